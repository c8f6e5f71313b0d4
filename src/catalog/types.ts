/** Id of a Milvus chart repository. `milvus-io` is archived and serves charts up to 4.0.31 only. */
export type RepositoryId = "zilliztech" | "milvus-io";

/** Facts about one Milvus Helm chart version, generated from the repositories' index.yaml and values. */
export interface ChartRecord {
  /** Chart version, e.g. "4.2.58". */
  readonly chart: string;
  /** Milvus version the chart ships by default (from `image.all.tag`, not `appVersion`), e.g. "2.5.16". */
  readonly milvus: string;
  /** The default `image.all.tag` exactly as in the chart, e.g. "v2.5.16". */
  readonly imageTag: string;
  /** `appVersion` as published (it lags the image for several charts). */
  readonly appVersion: string;
  /** Whether any repository's index.yaml lists the chart (unpublished charts cannot be installed). */
  readonly published: boolean;
  /** Repositories that serve the chart, preferred first. */
  readonly repositories: readonly RepositoryId[];
  /** Publication (or commit) date, YYYY-MM-DD. */
  readonly created: string;
  /** Dependency charts by alias (`etcd`, `minio`, `pulsar` = Pulsar v2, `pulsarv3`, `kafka`, ...) -> chart version. */
  readonly dependencies: Readonly<Record<string, string>>;
}

/** Inclusive chart-version range `[first, last]`; `last` null means "up to the newest chart". */
export type KeyRange = readonly [string, string | null];

/** The `format` of a catalog overlay file; a file with another format is refused. */
export const CATALOG_OVERLAY_FORMAT = "milvus-cluster/catalog-overlay/v1";

/**
 * One chart newer than the built-in catalog, as `milvus-cluster catalog update` found it. Besides the facts of a
 * `ChartRecord` it says where each fact came from, so a plan can tell what the library knows and what it assumed.
 */
export interface OverlayChart {
  /** Chart version, e.g. "5.0.30". */
  readonly chart: string;
  /** Milvus version the chart ships by default, e.g. "2.6.30". */
  readonly milvus: string;
  /** Where `milvus` was read: the chart's own default `image.all.tag`, or (chart not given) the index's `appVersion`. */
  readonly milvusFrom: "image.all.tag" | "appVersion";
  /** The default `image.all.tag` of the chart; with `milvusFrom: appVersion` it is `v<appVersion>` (assumed). */
  readonly imageTag: string;
  /** `appVersion` as the index lists it. */
  readonly appVersion: string;
  /** Publication date from the index entry, YYYY-MM-DD. */
  readonly created: string;
  /** https URL of the chart repository that serves the chart. */
  readonly repository: string;
  /** The index entry's `digest` (sha256 of the chart archive), for review; empty when the index has none. */
  readonly digest: string;
  /** Dependency charts by alias -> chart version, from the index entry. */
  readonly dependencies: Readonly<Record<string, string>>;
  /** The index entry's `kubeVersion` constraint, empty when the index has none. */
  readonly kubeVersion: string;
  /** Minimum Helm and Kubernetes versions: the rules' minimums for this chart, raised by `kubeVersion`. */
  readonly requires: { readonly helm: string; readonly kubernetes: string };
  /** Managed values keys present in the chart (sorted). */
  readonly keys: readonly string[];
  /** Where `keys` came from: the chart's values.yaml, or inherited from `extrapolatedFrom` ("extrapolated"). */
  readonly keysFrom: "values.yaml" | "extrapolated";
  /** With `keysFrom: extrapolated`: the newest built-in chart of the same major line the keys were inherited from. */
  readonly extrapolatedFrom?: string;
}

/**
 * A catalog overlay file (`milvus-catalog.json`): the charts published after the built-in catalog was generated.
 * Written by `milvus-cluster catalog update`; read with `--catalog`, `MILVUS_CLUSTER_CATALOG` or `catalogFile`.
 */
export interface CatalogOverlay {
  /** Always `CATALOG_OVERLAY_FORMAT`. */
  readonly format: typeof CATALOG_OVERLAY_FORMAT;
  /** Newest chart of the built-in catalog the overlay was written against. */
  readonly builtinNewest: string;
  /** The index it was read from: its https URL (null for a local file) and its own `generated` timestamp. */
  readonly index: { readonly source: string | null; readonly generated: string | null };
  /** The charts, ascending by chart version. */
  readonly charts: readonly OverlayChart[];
}
