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
