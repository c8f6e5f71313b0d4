export * from "./catalog";
export { catalogFor, loadCatalogFile } from "./load";
export { CATALOG_OVERLAY_FORMAT, type CatalogOverlay, type ChartRecord, type KeyRange, type OverlayChart, type RepositoryId } from "./types";
