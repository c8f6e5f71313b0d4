import { SPEC_FIELDS } from "../spec/validate";
/**
 * Props of the cdk8s `MilvusCluster` construct, written in jsii style (readonly fields, `@default` on every
 * field, no union types) so the construct can later be published as a jsii library. The vocabulary is the
 * one of `MilvusSpec` (the core spec) and of the Pulumi `MilvusClusterArgs`; enumerations are plain strings
 * whose allowed values are listed in each field's documentation and checked when the construct is created.
 */

/** A key in a Kubernetes Secret in the release namespace. Credentials are only ever passed this way. */
export interface MilvusSecretKeyReference {
  /** Secret name (DNS-1123 subdomain). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** Kubernetes resource requests and limits, e.g. `{ requests: { cpu: "2", memory: "8Gi" } }`. */
export interface MilvusResourceRequirements {
  /**
   * Requests by resource name (Kubernetes quantities).
   * @default - none
   */
  readonly requests?: { [resource: string]: string };
  /**
   * Limits by resource name (Kubernetes quantities).
   * @default - none
   */
  readonly limits?: { [resource: string]: string };
}

/** Settings of one Milvus component. */
export interface MilvusComponentProps {
  /**
   * Number of pods (a non-negative integer).
   * @default - the chart's default (1)
   */
  readonly replicas?: number;
  /**
   * Resource requests and limits.
   * @default - the chart's default (none)
   */
  readonly resources?: MilvusResourceRequirements;
}

/** External S3-compatible object storage. Credentials come from Secrets, or from the pod's IAM identity. */
export interface MilvusExternalObjectStorageProps {
  /** Endpoint host, e.g. `s3.eu-central-1.amazonaws.com`. */
  readonly host: string;
  /** Bucket name. */
  readonly bucket: string;
  /**
   * Endpoint port.
   * @default 443
   */
  readonly port?: number;
  /**
   * Path prefix inside the bucket.
   * @default "" (the chart's default)
   */
  readonly rootPath?: string;
  /**
   * Use TLS.
   * @default true
   */
  readonly useSSL?: boolean;
  /**
   * Use the pod's IAM identity instead of keys.
   * @default false
   */
  readonly useIAM?: boolean;
  /**
   * Cloud provider: `aws`, `gcp`, `aliyun`, `azure`, ...
   * @default "aws"
   */
  readonly cloudProvider?: string;
  /**
   * Region (chart >= 4.1.29).
   * @default - unset
   */
  readonly region?: string;
  /**
   * Access key id, from a Secret. Required unless `useIAM`.
   * @default - none
   */
  readonly accessKeyId?: MilvusSecretKeyReference;
  /**
   * Secret access key, from a Secret. Required unless `useIAM`.
   * @default - none
   */
  readonly secretAccessKey?: MilvusSecretKeyReference;
}

/** An external Pulsar cluster (`messageQueue: "external-pulsar"`). */
export interface MilvusExternalPulsarProps {
  /** Broker host. */
  readonly host: string;
  /**
   * Broker port.
   * @default 6650
   */
  readonly port?: number;
  /**
   * Tenant (chart >= 4.0.31).
   * @default "public"
   */
  readonly tenant?: string;
  /**
   * Namespace (chart >= 4.0.31).
   * @default "default"
   */
  readonly namespace?: string;
  /**
   * Auth plugin class name.
   * @default - none
   */
  readonly authPlugin?: string;
  /**
   * Auth parameters (a credential), from a Secret.
   * @default - none
   */
  readonly authParams?: MilvusSecretKeyReference;
}

/** An external Kafka cluster (`messageQueue: "external-kafka"`). */
export interface MilvusExternalKafkaProps {
  /** Comma-separated `host:port` brokers. */
  readonly brokerList: string;
  /**
   * `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`.
   * @default "SASL_SSL"
   */
  readonly securityProtocol?: string;
  /**
   * SASL mechanism.
   * @default "PLAIN"
   */
  readonly saslMechanisms?: string;
  /**
   * SASL username, from a Secret.
   * @default - none
   */
  readonly saslUsername?: MilvusSecretKeyReference;
  /**
   * SASL password, from a Secret.
   * @default - none
   */
  readonly saslPassword?: MilvusSecretKeyReference;
}

/**
 * Settings of the offline metadata migration Milvus 2.1.x -> 2.2.x: the executor's `MigrationOptions`, field by field
 * (a struct of its own rather than a type alias, which jsii would erase; resolve.ts checks both stay assignable).
 */
export interface MilvusMigrationProps {
  /**
   * etcd endpoint (`host:port`) that holds the release's metadata; the meta-migration tool connects to it from inside
   * the cluster.
   * @default - discovered at run time: `externalEtcd.endpoints[0]` of the live values when `externalEtcd.enabled`, else the
   * release's etcd Service (label `app.kubernetes.io/name=etcd`, not headless, port named `client`)
   */
  readonly etcdEndpoint?: string;
  /**
   * etcd root path of the release (`etcd.rootPath` in milvus.yaml, `metadata.rootPath` in charts before 4.0). A live
   * release whose values name another root path is refused.
   * @default "by-dev"
   */
  readonly rootPath?: string;
  /**
   * StorageClass of the backup PersistentVolumeClaim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Image of the meta-migration tool (runs `/milvus/bin/meta-migration`). Pin it by digest in production.
   * @default - the executor's DEFAULT_META_MIGRATION_IMAGE
   */
  readonly image?: string;
  /**
   * Longest wait, in whole seconds, for the etcd session keys of the stopped components to expire.
   * @default 75
   */
  readonly sessionWaitSeconds?: number;
  /**
   * After a failure once the migration has begun, return to the old version by itself (restore the metadata backup,
   * helm rollback, restore the replicas, health gate on the old image).
   * @default true
   */
  readonly rollbackOnFailure?: boolean;
  /**
   * Delete the migration objects (Jobs, ConfigMaps and the backup PVC) after a successful migration.
   * @default false
   */
  readonly cleanup?: boolean;
  /**
   * Size of the backup PersistentVolumeClaim, a Kubernetes quantity.
   * @default "10Gi"
   */
  readonly backupSize?: string;
}

/** Allowed values of `MilvusClusterProps.renderMode`. */
export enum MilvusRenderMode {
  /** A Job runs every step of the chain in the cluster, the final `helm upgrade --install` included. */
  UPGRADE_JOB = "upgrade-job",
  /** The manifests of one step, rendered with `helm template`, for GitOps tools (no Helm release). */
  RENDER = "render",
}

/**
 * Render modes of `MilvusCluster` (the allowed values of `MilvusClusterProps.renderMode`).
 * @deprecated use the `MilvusRenderMode` enum
 * @jsii ignore
 */
export const RENDER_MODES: readonly string[] = [MilvusRenderMode.UPGRADE_JOB, MilvusRenderMode.RENDER];

/** One step of an upgrade plan, as the construct exposes it (the core `UpgradeStep`, with jsii types). */
export interface MilvusUpgradeStep {
  /** Milvus version after the step, e.g. "2.5.16". */
  readonly milvusVersion: string;
  /** Chart version used, e.g. "4.2.58". */
  readonly chartVersion: string;
  /** https URL of the repository that serves the chart. */
  readonly chartRepository: string;
  /** What the step does: `install`, `helm-upgrade` or `meta-migration`. */
  readonly action: string;
  /** The complete Helm values for this chart version. */
  // biome-ignore lint/suspicious/noExplicitAny: jsii maps are `{ [key: string]: any }`
  readonly values: { [key: string]: any };
  /** Sentence naming the rule ids that forced the step. */
  readonly reason: string;
  /** Rules that forced or shaped the step. */
  readonly ruleIds: string[];
  /** Availability during the step: `none`, `rolling`, `recreate` or `offline`. */
  readonly downtime: string;
  /** Whether the step can be undone. */
  readonly reversible: boolean;
}

/** An upgrade plan, as the construct exposes it (the core `UpgradePlan`, with jsii types). */
export interface MilvusUpgradePlan {
  /**
   * Deployed version.
   * @default - a fresh install
   */
  readonly from?: string;
  /** Target version. */
  readonly to: string;
  /** Steps in order; the last one reaches `to`. */
  readonly steps: MilvusUpgradeStep[];
  /** Assumptions made and requirements to know about. */
  readonly warnings: string[];
}

/** What the upgrade Job runs: the executor's files and their hash. */
export interface MilvusExecutorBundle {
  /** The executor's files by name (plan, values files, ...), as mounted from the ConfigMap. Never credentials. */
  readonly files: { [name: string]: string };
  /** Content hash (hex, 10 characters) over the files. */
  readonly hash: string;
  /** One line per step, e.g. "2.5.16 (chart 4.2.58)". */
  readonly stepSummary: string[];
  /** Upper bound of the run time in seconds (all steps and gates). */
  readonly maxDurationSeconds: number;
  /**
   * Whether the bundle can run the metadata migration.
   * @default false
   */
  readonly includesMigration?: boolean;
}

/** Props of `MilvusCluster`. */
export interface MilvusClusterProps {
  // ---------------------------------------------------------------- the desired deployment (MilvusSpec)

  /** Target Milvus version, e.g. `"2.6.4"`. */
  readonly version: string;

  /**
   * The Milvus version deployed now, e.g. `"2.5.8"`. Set it when upgrading an existing release: the construct
   * then plans the exact chain of stops (`planUpgrade`) and refuses paths that lose data. In `upgrade-job` mode
   * the Job still reads the live version at apply time: it skips stops the release has already passed (a re-run
   * resumes) and refuses a live release that is neither this version nor one the chain produces.
   * @default - unset: a fresh install, or an upgrade whose deployed version is only discovered by the Job
   */
  readonly from?: string;

  /**
   * Use exactly this chart version for the target (it must be published).
   * @default - the newest chart that ships `version`
   */
  readonly chartVersion?: string;

  /**
   * Deployment mode: `"cluster"` or `"standalone"`.
   * @default "cluster"
   */
  readonly mode?: string;

  /**
   * Coordinator topology: `"mixed"` (one mixCoordinator) or `"separate"` (four coordinators, Milvus < 2.6 only).
   * @default "mixed" (Milvus 2.6 supports only mixed)
   */
  readonly coordinators?: string;

  /**
   * Run coordinators active-standby, which makes upgrades rolling (cluster mode).
   * @default true in cluster mode
   */
  readonly activeStandby?: boolean;

  /**
   * Message queue: `"pulsar"` (bundled Pulsar v2), `"pulsarv3"`, `"kafka"`, `"rocksmq"`, `"natsmq"`,
   * `"woodpecker"`, `"external-pulsar"` or `"external-kafka"`. It never changes during an upgrade: when upgrading,
   * set it to what the release runs.
   * @default - the target chart's default for a fresh install; for an upgrade, the default of the chart that shipped `from`
   */
  readonly messageQueue?: string;

  /**
   * The external Pulsar; required when `messageQueue` is `"external-pulsar"`.
   * @default - none
   */
  readonly externalPulsar?: MilvusExternalPulsarProps;

  /**
   * The external Kafka; required when `messageQueue` is `"external-kafka"`.
   * @default - none
   */
  readonly externalKafka?: MilvusExternalKafkaProps;

  /**
   * External etcd endpoints (`host:port`).
   * @default - the bundled etcd
   */
  readonly externalEtcdEndpoints?: string[];

  /**
   * Bundled etcd replicas.
   * @default 3 in cluster mode, 1 in standalone mode
   */
  readonly etcdReplicas?: number;

  /**
   * External S3-compatible object storage.
   * @default - the bundled MinIO
   */
  readonly externalObjectStorage?: MilvusExternalObjectStorageProps;

  /**
   * Existing Secret with keys `accesskey` and `secretkey` for the bundled MinIO.
   * @default - the chart's built-in MinIO credentials
   */
  readonly minioCredentialsSecret?: string;

  /**
   * Proxy settings.
   * @default - chart defaults
   */
  readonly proxy?: MilvusComponentProps;
  /**
   * mixCoordinator settings.
   * @default - chart defaults
   */
  readonly mixCoordinator?: MilvusComponentProps;
  /**
   * rootCoordinator settings (separate coordinators only).
   * @default - chart defaults
   */
  readonly rootCoordinator?: MilvusComponentProps;
  /**
   * queryCoordinator settings (separate coordinators only).
   * @default - chart defaults
   */
  readonly queryCoordinator?: MilvusComponentProps;
  /**
   * dataCoordinator settings (separate coordinators only).
   * @default - chart defaults
   */
  readonly dataCoordinator?: MilvusComponentProps;
  /**
   * indexCoordinator settings (separate coordinators only).
   * @default - chart defaults
   */
  readonly indexCoordinator?: MilvusComponentProps;
  /**
   * queryNode settings.
   * @default - chart defaults
   */
  readonly queryNode?: MilvusComponentProps;
  /**
   * dataNode settings.
   * @default - chart defaults
   */
  readonly dataNode?: MilvusComponentProps;
  /**
   * indexNode settings (Milvus < 2.6 only).
   * @default - chart defaults
   */
  readonly indexNode?: MilvusComponentProps;
  /**
   * streamingNode settings (Milvus >= 2.6).
   * @default - chart defaults
   */
  readonly streamingNode?: MilvusComponentProps;
  /**
   * Standalone pod settings (standalone mode).
   * @default - chart defaults
   */
  readonly standalone?: MilvusComponentProps;

  /**
   * Milvus configuration (milvus.yaml keys), written to `extraConfigFiles.user.yaml`. Never put credentials here.
   * @default - none
   */
  // biome-ignore lint/suspicious/noExplicitAny: jsii maps are `{ [key: string]: any }`
  readonly milvusConfig?: { [key: string]: any };

  /**
   * Image repository override (no tag), e.g. a mirror.
   * @default "milvusdb/milvus"
   */
  readonly imageRepository?: string;

  /**
   * Raw Helm values deep-merged over the managed values; contradicting a managed key is an error.
   * @default - none
   */
  // biome-ignore lint/suspicious/noExplicitAny: jsii maps are `{ [key: string]: any }`
  readonly helmValues?: { [key: string]: any };

  // ---------------------------------------------------------------- the release

  /**
   * Helm release name (DNS-1123 label, at most 53 characters).
   * @default - the construct id; an id that is not a valid release name is an error
   */
  readonly releaseName?: string;

  /**
   * Release namespace. Every object this construct emits, and the release itself, lives there.
   * @default - the namespace of the enclosing Chart, else "default"
   */
  readonly namespace?: string;

  /**
   * Chart repository for every step: an https URL (a mirror) or an `oci://` registry path.
   * @default - each step's own repository (zilliztech, which serves every published chart)
   */
  readonly chartRepository?: string;

  /**
   * How the construct deploys Milvus: `"upgrade-job"` or `"render"` (`MilvusRenderMode`).
   *
   * - `"upgrade-job"`: a ServiceAccount, a namespaced Role and RoleBinding, a ConfigMap (the executor script and
   *   one values file per step) and a Job that runs every step in the cluster, including the final
   *   `helm upgrade --install`. No chart is needed at synth time; the release is owned by Helm.
   * - `"render"`: one step's manifests rendered with `helm template` and parsed in process into cdk8s `ApiObject`s,
   *   every managed key pinned, for GitOps tools. There is no Helm release; an upgrade with stops is followed one
   *   step per synthesis with `stages`.
   *
   * Never switch modes on an existing release: Helm-owned objects and plain manifests would fight over ownership.
   * @default "upgrade-job"
   */
  readonly renderMode?: string;

  // ---------------------------------------------------------------- render mode

  /**
   * Render mode only, with `from` set: follow the upgrade chain one step per synthesis. The construct renders the
   * NEXT step of the plan only (from 2.5.8 to 2.6.4: the 2.5.16 stop first), annotates every rendered object with
   * `milvus-cluster/upgrade-step` (e.g. `1/2`), `milvus-cluster/upgrade-target` and, before the target,
   * `milvus-cluster/next-from`, and prints which `from` to set next. Apply it, wait until it is healthy, set `from` to
   * that version, synthesize again. The output therefore never holds two versions of one object, and each step is
   * applied and healthy before the next is synthesized (docs/gitops.md). Required when the plan has several steps,
   * since rendering only the target would skip required stops.
   * @default false
   */
  readonly stages?: boolean;

  /**
   * Render mode only: the helm binary that runs `helm template` at synth time.
   * @default "helm"
   */
  readonly helmExecutable?: string;

  /**
   * Render mode only: a local chart (directory or `.tgz`) to render instead of fetching the chart from its
   * repository. `{chartVersion}` in the path is replaced with each step's chart version
   * (e.g. `charts/milvus-{chartVersion}.tgz`), so vendored charts work with `stages`.
   * @default - the chart from the repository (network access at synth time)
   */
  readonly chartPath?: string;

  // ---------------------------------------------------------------- upgrade-job mode

  /**
   * Upgrade-job mode only: image the executor Job's init container copies `helm` (>= the version the plan requires)
   * and `kubectl` from; it must have `cp`, `/usr/bin/helm` and `/usr/bin/kubectl`. Pin it by digest in production.
   * @default "alpine/k8s:1.31.9" (DEFAULT_EXECUTOR_IMAGE)
   */
  readonly executorImage?: string;

  /**
   * Upgrade-job mode only: Node.js (>= 20) image of the executor Job's main container, which runs the bundled
   * executor with the node binary at `executorNodeBinary`. Pin it by digest in production.
   * @default "node:24.19.0-alpine3.23" (DEFAULT_EXECUTOR_NODE_IMAGE)
   */
  readonly executorNodeImage?: string;

  /**
   * Upgrade-job mode only: absolute path of node in `executorNodeImage`, e.g. `/nodejs/bin/node` for a distroless
   * nodejs image (`gcr.io/distroless/nodejs24-debian13:nonroot`).
   * @default "/usr/local/bin/node" (the official node images)
   */
  readonly executorNodeBinary?: string;

  /**
   * Upgrade-job mode only: timeout of each helm upgrade and each health gate, as a duration: `15m`, `900s` or `900`
   * (seconds); the same syntax as the CLI's `--timeout`. The Job's active deadline is derived from it (all steps and
   * gates). Set this or `stepTimeoutSeconds`, not both.
   * @default "15m" (900 seconds)
   */
  readonly stepTimeout?: string;

  /**
   * Upgrade-job mode only: the step timeout in whole seconds (the same as `stepTimeout: "<n>"`). Set this or
   * `stepTimeout`, not both.
   * @default 900
   */
  readonly stepTimeoutSeconds?: number;

  /**
   * Upgrade-job mode only: the GitOps tool that applies the synthesized manifests, `"argocd"`, `"flux"` or `"none"`
   * (`MilvusGitOpsTool`). It decides the annotations of the executor Job and its ConfigMaps so that the Job runs once per
   * plan under that tool's reconciliation, and is never pruned while it runs:
   *
   * - `"argocd"`: the Job is a named Sync hook (`argocd.argoproj.io/hook: Sync`) with the delete policy `HookFailed`
   *   and sync wave 1: created once per plan, kept after success (so later syncs and self-heal do not run it again),
   *   deleted after a failure so that the next sync retries. No TTL.
   * - `"flux"`: the Job and its ConfigMaps carry `kustomize.toolkit.fluxcd.io/prune: disabled` and
   *   `kustomize.toolkit.fluxcd.io/ssa: IfNotPresent`: applied once, never pruned mid-run when the next plan replaces
   *   them. No TTL.
   * - `"none"`: plain objects; the finished Job is deleted after `ttlSecondsAfterFinished`.
   *
   * See docs/gitops.md for both workflows step by step.
   * @default "none"
   */
  readonly gitOps?: string;

  /**
   * Upgrade-job mode only: seconds after which a finished Job (and its pod and logs) is deleted. Not allowed with
   * `gitOps` `"argocd"` or `"flux"`: once the TTL deletes the Job, the tool applies it again from git and the
   * executor runs again.
   * @default 86400 with gitOps "none"; no TTL with "argocd" and "flux"
   */
  readonly ttlSecondsAfterFinished?: number;

  /**
   * Upgrade-job mode only: roll a failed step back (helm 3 `--atomic`, helm 4 `--rollback-on-failure`).
   * @default false
   */
  readonly rollbackOnFailure?: boolean;
  /**
   * Let the Job install when the release does not exist but volume claims of it remain (an uninstalled release's
   * data). Off, the Job refuses (exit 28), because that data was written by a version it cannot see.
   * @default false
   */
  readonly allowExistingData?: boolean;

  /**
   * Upgrade-job mode only: settings of the metadata migration 2.1.x -> 2.2.x, which the Job runs when the live release
   * is on 2.1.x. It is offline: every Milvus component is at 0 replicas from the stop until the health gate.
   * @default - every MilvusMigrationProps default
   */
  readonly migration?: MilvusMigrationProps;

  /**
   * A catalog overlay file (`milvus-catalog.json`, written by `milvus-cluster catalog update` and committed with the
   * app) that adds the Milvus charts published after this library was released. A relative path is resolved against
   * the working directory of the synth (where `cdk8s synth` runs). Plans that use one of its charts carry a warning
   * saying what was read from the chart and what was assumed (R-CATALOG-OVERLAY); an overlay that contradicts the
   * built-in catalog is refused (R-CATALOG-CONTRADICTS). See docs/catalog.md.
   * @default - unset: the built-in catalog only
   */
  readonly catalogFile?: string;
}

/** Every field `MilvusClusterProps` accepts; anything else is refused (a typo must not be silently ignored). */
export const MILVUS_CLUSTER_PROP_FIELDS: readonly string[] = [
  // The spec vocabulary (the same as MilvusSpec and the Pulumi args), then the construct's own settings.
  ...SPEC_FIELDS,
  "from",
  "releaseName",
  "namespace",
  "chartRepository",
  "renderMode",
  "stages",
  "helmExecutable",
  "chartPath",
  "executorImage",
  "executorNodeImage",
  "executorNodeBinary",
  "stepTimeout",
  "stepTimeoutSeconds",
  "ttlSecondsAfterFinished",
  "gitOps",
  "rollbackOnFailure",
  "allowExistingData",
  "migration",
  "catalogFile",
];
