import { SPEC_FIELDS } from "../spec/validate";
import type { MigrationOptions } from "../executor/types";
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

/** Settings of the offline metadata migration Milvus 2.1.x -> 2.2.x: the executor's `MigrationOptions`, field by field. */
export type MilvusMigrationProps = MigrationOptions;

/** Render modes of `MilvusCluster` (the allowed values of `MilvusClusterProps.renderMode`). */
export const RENDER_MODES: readonly string[] = ["upgrade-job", "render"];

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
   * How the construct deploys Milvus: `"upgrade-job"` or `"render"`.
   *
   * - `"upgrade-job"`: a ServiceAccount, a namespaced Role and RoleBinding, a ConfigMap (the executor script and
   *   one values file per step) and a Job that runs every step in the cluster, including the final
   *   `helm upgrade --install`. No chart is needed at synth time; the release is owned by Helm.
   * - `"render"`: the target version's manifests rendered with `helm template` (cdk8s `Helm`), every managed key
   *   pinned, for GitOps tools. There is no Helm release and no upgrade chain unless `stages` is set.
   *
   * Never switch modes on an existing release: Helm-owned objects and plain manifests would fight over ownership.
   * @default "upgrade-job"
   */
  readonly renderMode?: string;

  // ---------------------------------------------------------------- render mode

  /**
   * Render mode only, with `from` set: emit one cdk8s Chart per plan step, in order
   * (`<release>-01-v2.5.16`, `<release>-02-v2.6.4`, ...), siblings of the enclosing Chart. For GitOps flows:
   * apply the stage manifests one after another, waiting for each rollout to finish before the next.
   * Required when the plan has several steps (rendering only the target would skip required stops).
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
   * Upgrade-job mode only: seconds after which a finished Job (and its pod and logs) is deleted.
   * @default 86400
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
  "rollbackOnFailure",
  "allowExistingData",
  "migration",
];
