import type * as YamlModule from "yaml";

let loaded: typeof YamlModule | undefined;

/**
 * The `yaml` package, loaded on first use. Importing the core (or an adapter) must not pay for it (about 20 ms of
 * module loading, 72 files) when nothing is serialized: only `milvusConfig` values and executor values files need it.
 */
export function yaml(): typeof YamlModule {
  // A synchronous lazy import (the package is compiled to CommonJS).
  loaded ??= require("yaml") as typeof YamlModule;
  return loaded;
}
