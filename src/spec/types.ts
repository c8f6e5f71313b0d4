/** Deployment mode: a distributed cluster or a single standalone pod. */
export type ClusterMode = "cluster" | "standalone";

/** Coordinator topology: one mixCoordinator, or the four separate coordinators (Milvus < 2.6 only). */
export type CoordinatorTopology = "mixed" | "separate";

/**
 * Message queue. `pulsar` is the bundled Pulsar v2 (the chart's `pulsar` key), `pulsarv3` the bundled Pulsar v3
 * (`pulsarv3` key), `kafka` the bundled Kafka, `rocksmq`/`natsmq` the embedded standalone queues, `woodpecker`
 * the Milvus 2.6 log store, `external-pulsar`/`external-kafka` a queue you run yourself.
 */
export type MessageQueue =
  | "pulsar"
  | "pulsarv3"
  | "kafka"
  | "rocksmq"
  | "natsmq"
  | "woodpecker"
  | "external-pulsar"
  | "external-kafka";

/** Every message queue name, for validation and CLI help. */
export const MESSAGE_QUEUES: readonly MessageQueue[] = [
  "pulsar",
  "pulsarv3",
  "kafka",
  "rocksmq",
  "natsmq",
  "woodpecker",
  "external-pulsar",
  "external-kafka",
];

/** Milvus components whose replicas and resources the spec can set. */
export type ComponentName =
  | "proxy"
  | "mixCoordinator"
  | "rootCoordinator"
  | "queryCoordinator"
  | "dataCoordinator"
  | "indexCoordinator"
  | "queryNode"
  | "dataNode"
  | "indexNode"
  | "streamingNode"
  | "standalone";

/** Every component name. */
export const COMPONENTS: readonly ComponentName[] = [
  "proxy",
  "mixCoordinator",
  "rootCoordinator",
  "queryCoordinator",
  "dataCoordinator",
  "indexCoordinator",
  "queryNode",
  "dataNode",
  "indexNode",
  "streamingNode",
  "standalone",
];

/** The four coordinators that mixCoordinator replaces. */
export const SEPARATE_COORDINATORS: readonly ComponentName[] = [
  "rootCoordinator",
  "queryCoordinator",
  "dataCoordinator",
  "indexCoordinator",
];

/** Kubernetes resource requests/limits, e.g. `{ requests: { cpu: "2", memory: "8Gi" } }`. */
export interface ResourceRequirements {
  /** Requests by resource name. @default none */
  readonly requests?: Readonly<Record<string, string>>;
  /** Limits by resource name. @default none */
  readonly limits?: Readonly<Record<string, string>>;
}

/** Per-component settings. */
export interface ComponentSpec {
  /** Number of pods (a non-negative integer). @default the chart's default (1) */
  readonly replicas?: number;
  /** Resource requests and limits. @default the chart's default (none) */
  readonly resources?: ResourceRequirements;
}

/** A key in a Kubernetes Secret in the release namespace. */
export interface SecretKeyRef {
  /** Secret name (DNS-1123 subdomain). */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

/** External S3-compatible object storage. Credentials come from a Secret, or IAM. */
export interface ExternalObjectStorageSpec {
  /** Endpoint host, e.g. `s3.eu-central-1.amazonaws.com`. */
  readonly host: string;
  /** Endpoint port. @default 443 */
  readonly port?: number;
  /** Bucket name. */
  readonly bucket: string;
  /** Path prefix inside the bucket. @default "" (the chart's default) */
  readonly rootPath?: string;
  /** Use TLS. @default true */
  readonly useSSL?: boolean;
  /** Use the pod's IAM identity instead of keys. @default false */
  readonly useIAM?: boolean;
  /** `aws`, `gcp`, `aliyun`, `azure`... @default "aws" */
  readonly cloudProvider?: string;
  /** Region (chart >= 4.1.29). @default unset */
  readonly region?: string;
  /** Access key id. Required unless useIAM. */
  readonly accessKeyId?: SecretKeyRef;
  /** Secret access key. Required unless useIAM. */
  readonly secretAccessKey?: SecretKeyRef;
}

/** External Pulsar. */
export interface ExternalPulsarSpec {
  /** Broker host. */
  readonly host: string;
  /** Broker port. @default 6650 */
  readonly port?: number;
  /** Tenant (chart >= 4.0.31). @default "public" */
  readonly tenant?: string;
  /** Namespace (chart >= 4.0.31). @default "default" */
  readonly namespace?: string;
  /** Auth plugin class name; its parameters come from `authParams`. @default none */
  readonly authPlugin?: string;
  /** Auth parameters (a credential), from a Secret. @default none */
  readonly authParams?: SecretKeyRef;
}

/** External Kafka. */
export interface ExternalKafkaSpec {
  /** Comma-separated `host:port` brokers. */
  readonly brokerList: string;
  /** `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`. @default "SASL_SSL" */
  readonly securityProtocol?: string;
  /** SASL mechanism. @default "PLAIN" */
  readonly saslMechanisms?: string;
  /** SASL username, from a Secret. @default none */
  readonly saslUsername?: SecretKeyRef;
  /** SASL password, from a Secret. @default none */
  readonly saslPassword?: SecretKeyRef;
}

/**
 * The desired Milvus deployment, independent of chart versions. `valuesFor` turns it into the complete values of
 * one chart version; the planner uses it for every step.
 */
export interface MilvusSpec {
  /** Target Milvus version, e.g. "2.6.4". */
  readonly version: string;
  /** Use exactly this chart version for the target (it must be published). @default the newest chart that ships `version` */
  readonly chartVersion?: string;
  /** Cluster or standalone. @default "cluster" (or the deployed mode) */
  readonly mode?: ClusterMode;
  /**
   * Coordinator topology. @default the deployed topology for an upgrade; for a fresh install the chart's default
   * (mixed from chart 4.2.4, separate before); always mixed for Milvus 2.6
   */
  readonly coordinators?: CoordinatorTopology;
  /** Run coordinators active-standby, which makes upgrades rolling (cluster mode). @default true in cluster mode from Milvus 2.2.3, else false */
  readonly activeStandby?: boolean;
  /** Message queue. @default the target chart's default for a fresh install, the deployed MQ for an upgrade */
  readonly messageQueue?: MessageQueue;
  /** Required when messageQueue is `external-pulsar`. @default none */
  readonly externalPulsar?: ExternalPulsarSpec;
  /** Required when messageQueue is `external-kafka`. @default none */
  readonly externalKafka?: ExternalKafkaSpec;
  /** External etcd endpoints (`host:port`); empty or unset uses the bundled etcd. @default bundled etcd */
  readonly externalEtcdEndpoints?: readonly string[];
  /** Bundled etcd replicas. @default 3 in cluster mode, 1 in standalone mode */
  readonly etcdReplicas?: number;
  /** External object storage; unset uses the bundled MinIO. @default bundled MinIO */
  readonly externalObjectStorage?: ExternalObjectStorageSpec;
  /**
   * Existing Secret with keys `accesskey` and `secretkey` for the bundled MinIO (its `existingSecret`), also
   * injected into Milvus. @default the chart's built-in MinIO credentials
   */
  readonly minioCredentialsSecret?: string;
  /** Proxy settings. @default chart defaults */
  readonly proxy?: ComponentSpec;
  /** mixCoordinator settings. @default chart defaults */
  readonly mixCoordinator?: ComponentSpec;
  /** rootCoordinator settings (separate coordinators only). @default chart defaults */
  readonly rootCoordinator?: ComponentSpec;
  /** queryCoordinator settings (separate coordinators only). @default chart defaults */
  readonly queryCoordinator?: ComponentSpec;
  /** dataCoordinator settings (separate coordinators only). @default chart defaults */
  readonly dataCoordinator?: ComponentSpec;
  /** indexCoordinator settings (separate coordinators only). @default chart defaults */
  readonly indexCoordinator?: ComponentSpec;
  /** queryNode settings. @default chart defaults */
  readonly queryNode?: ComponentSpec;
  /** dataNode settings. @default chart defaults */
  readonly dataNode?: ComponentSpec;
  /** indexNode settings (Milvus < 2.6 only). @default chart defaults */
  readonly indexNode?: ComponentSpec;
  /** streamingNode settings (Milvus >= 2.6). @default chart defaults */
  readonly streamingNode?: ComponentSpec;
  /** standalone pod settings (standalone mode). @default chart defaults */
  readonly standalone?: ComponentSpec;
  /** Milvus configuration (milvus.yaml keys), written to `extraConfigFiles.user.yaml`. Never put credentials here. @default none */
  readonly milvusConfig?: Readonly<Record<string, unknown>>;
  /** Image repository override, e.g. a mirror. @default "milvusdb/milvus" */
  readonly imageRepository?: string;
  /** Raw Helm values deep-merged over the managed values; contradicting a managed key is an error. @default none */
  readonly helmValues?: Readonly<Record<string, unknown>>;
}

/** What is deployed now, as far as the caller knows. Unset fields are assumed from the chart that shipped `version`. */
export interface DeployedState {
  /** Deployed Milvus version. */
  readonly version: string;
  /** Deployed mode. @default "cluster" */
  readonly mode?: ClusterMode;
  /** Deployed message queue. @default the default of the chart that shipped `version` */
  readonly messageQueue?: MessageQueue;
  /** Deployed coordinator topology. @default the default of the chart that shipped `version` */
  readonly coordinators?: CoordinatorTopology;
  /** Deployed chart version. @default the newest chart that ships `version` */
  readonly chartVersion?: string;
  /** Repository the release was installed from. @default zilliztech */
  readonly repository?: string;
}

/** Helm values: a YAML-shaped object. */
export type HelmValues = Record<string, unknown>;
