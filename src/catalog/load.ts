import { readFileSync } from "node:fs";
import { MilvusClusterError } from "../errors";
import { CATALOG_UPDATE_HINT, Catalog } from "./catalog";

/**
 * Reads a catalog overlay file (written by `milvus-cluster catalog update`) and returns the built-in catalog plus its
 * charts. Synchronous, because Pulumi components and cdk8s constructs validate in their constructors. Nothing is
 * cached or registered globally: each call returns its own immutable `Catalog`.
 * @param path the overlay file, e.g. `milvus-catalog.json`
 * @param field input field that named the file, for errors
 * @default field "catalogFile"
 */
export function loadCatalogFile(path: string, field = "catalogFile"): Catalog {
  if (typeof path !== "string" || path.trim() === "") {
    throw new MilvusClusterError([{ field, ruleId: "R-CATALOG-OVERLAY", message: `${JSON.stringify(path)} is not a file path`, fix: "pass the path of the overlay file, e.g. milvus-catalog.json, or leave it unset" }]);
  }
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new MilvusClusterError([{ field, ruleId: "R-CATALOG-OVERLAY", message: `cannot read the catalog overlay ${path} (${code})`, fix: `write it with ${CATALOG_UPDATE_HINT.split(", then")[0]} and commit it` }]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MilvusClusterError([{ field, ruleId: "R-CATALOG-OVERLAY", message: `${path} is not JSON (${(e as Error).message})`, fix: "regenerate the file with milvus-cluster catalog update (never edit it by hand)" }]);
  }
  return Catalog.withOverlay(parsed, field);
}

/**
 * The catalog for an optional overlay file: the built-in catalog when `path` is undefined, else `loadCatalogFile`.
 * @param path the overlay file, or undefined for none
 * @param field input field that named the file, for errors
 * @default field "catalogFile"
 */
export function catalogFor(path: string | undefined, field = "catalogFile"): Catalog {
  return path === undefined ? Catalog.builtin : loadCatalogFile(path, field);
}
