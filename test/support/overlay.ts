import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { Catalog, type CatalogOverlay } from "../../src";
import { buildCatalogOverlay } from "../../src/catalog/update";

/** The catalog overlay fixtures (test/fixtures/catalog/README.md): an index.yaml newer than the built-in catalog. */
export const CATALOG_FIXTURES = path.resolve(__dirname, "..", "fixtures", "catalog");
export const FIXTURE_INDEX = path.join(CATALOG_FIXTURES, "index.yaml");
/** The imagined chart 5.0.30 (Milvus 2.6.30) with its own values.yaml (no indexCoordinator block). */
export const FIXTURE_CHART_5030 = path.join(CATALOG_FIXTURES, "milvus-5.0.30");

/**
 * The fixture overlay, built in process (no I/O but reading the fixtures): 5.0.20 (Milvus 2.6.16, extrapolated) and
 * 5.0.30 (Milvus 2.6.30; with `withChart`, read from its values.yaml, else extrapolated).
 */
export function fixtureOverlay(withChart = false): CatalogOverlay {
  const index = YAML.parse(fs.readFileSync(FIXTURE_INDEX, "utf8"));
  const charts = withChart
    ? [
        {
          origin: FIXTURE_CHART_5030,
          chartYaml: YAML.parse(fs.readFileSync(path.join(FIXTURE_CHART_5030, "Chart.yaml"), "utf8")),
          values: YAML.parse(fs.readFileSync(path.join(FIXTURE_CHART_5030, "values.yaml"), "utf8")),
        },
      ]
    : [];
  return buildCatalogOverlay({ index, indexSource: null, repository: "https://zilliztech.github.io/milvus-helm", charts }).overlay;
}

/** The built-in catalog plus the fixture overlay. */
export function fixtureCatalog(withChart = false): Catalog {
  return Catalog.withOverlay(fixtureOverlay(withChart));
}
