export * from "./catalog";
export type { ChartRecord, KeyRange, RepositoryId } from "./types";
