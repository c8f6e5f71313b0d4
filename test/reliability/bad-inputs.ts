/**
 * The bad-input catalogue: every entry is one distinct mistake a user can make, with the field that must be named
 * and the rule id that must be cited. bad-inputs.test.ts runs each entry through every surface it applies to:
 * the planner, valuesFor, the Pulumi component, the cdk8s construct and the CLI.
 */
import type { DeployedState } from "../../src";

/** Where an input can be given. */
export type Surface = "plan" | "values" | "pulumi" | "cdk8s" | "cli";

/** One bad input. */
export interface BadInput {
  /** Stable id, BI-NN. */
  readonly id: string;
  /** What is wrong, in words. */
  readonly what: string;
  /** The spec (MilvusSpec vocabulary) given to every surface. */
  readonly spec: Record<string, unknown>;
  /** The deployed release (planner `from`, Pulumi `expectedFrom`, cdk8s `from`, CLI `--from`). */
  readonly from?: string | DeployedState;
  /** Adapter-level settings (release name, namespace, chart repository, executor image...). */
  readonly adapter?: Record<string, unknown>;
  /** Replaces spec fields for the Pulumi surface (its credentials are inputs, not Secret references). */
  readonly pulumi?: Record<string, unknown>;
  /** The field the Pulumi error must name, when it differs (its credentials are plain inputs). */
  readonly pulumiField?: string;
  /** The field the error must name (as the spec calls it). */
  readonly field: string;
  /** The rule id the error must cite. */
  readonly ruleId: string;
  /** Surfaces the input applies to. */
  readonly surfaces: readonly Surface[];
  /** Extra CLI arguments (e.g. `-o commands --release m;rm`), for inputs only the CLI takes. */
  readonly cliArgs?: readonly string[];
}

const ALL: readonly Surface[] = ["plan", "values", "pulumi", "cdk8s", "cli"];
const NO_VALUES: readonly Surface[] = ["plan", "pulumi", "cdk8s", "cli"];
const ADAPTERS: readonly Surface[] = ["pulumi", "cdk8s"];
const V = "2.6.4";
const s3 = { host: "s3.example.com", bucket: "vectors" };
const ref = (key: string) => ({ name: "creds", key });

/** A YAML billion-laughs document: 9^7 strings from a few hundred bytes. */
function aliasBomb(): string {
  let text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = "a";
  for (const n of "bcdefg") {
    text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    prev = n;
  }
  return text;
}

/** Every bad input. */
export const BAD_INPUTS: readonly BadInput[] = [
  // Versions.
  { id: "BI-01", what: "a version without patch", spec: { version: "2.6" }, field: "version", ruleId: "R-VERSION-FORMAT", surfaces: ALL },
  { id: "BI-02", what: "a version word", spec: { version: "latest" }, field: "version", ruleId: "R-VERSION-FORMAT", surfaces: ALL },
  { id: "BI-03", what: "a four-part version", spec: { version: "2.5.8.1" }, field: "version", ruleId: "R-VERSION-FORMAT", surfaces: ALL },
  { id: "BI-04", what: "shell metacharacters in the version", spec: { version: "2.6.4;rm -rf /" }, field: "version", ruleId: "R-VERSION-FORMAT", surfaces: ALL },
  { id: "BI-05", what: "an unknown version", spec: { version: "2.6.99" }, field: "version", ruleId: "R-KNOWN-VERSION", surfaces: NO_VALUES },
  { id: "BI-06", what: "an unknown 2.5 patch", spec: { version: "2.5.99" }, field: "version", ruleId: "R-KNOWN-VERSION", surfaces: NO_VALUES },
  { id: "BI-07", what: "a malformed deployed version", spec: { version: V }, from: "2.5", field: "from", ruleId: "R-VERSION-FORMAT", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-08", what: "a chart that was never published", spec: { version: "2.5.9", chartVersion: "4.2.46" }, field: "chartVersion", ruleId: "R-CHART-PUBLISHED", surfaces: NO_VALUES },
  { id: "BI-09", what: "an unknown chart", spec: { version: V, chartVersion: "9.9.9" }, field: "chartVersion", ruleId: "R-CHART-PUBLISHED", surfaces: NO_VALUES },
  { id: "BI-10", what: "a chart of another minor", spec: { version: V, chartVersion: "4.2.58" }, field: "chartVersion", ruleId: "R-CHART-MINOR", surfaces: NO_VALUES },
  { id: "BI-11", what: "a malformed chart version", spec: { version: V, chartVersion: "five" }, field: "chartVersion", ruleId: "R-VERSION-FORMAT", surfaces: ALL },
  // Refused paths.
  { id: "BI-12", what: "a downgrade", spec: { version: "2.5.16" }, from: "2.6.4", field: "version", ruleId: "R-DOWNGRADE", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-13", what: "an upgrade from 2.6.0-rc1", spec: { version: V }, from: "2.6.0-rc1", field: "from", ruleId: "R-PRERELEASE-SOURCE", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-14", what: "an upgrade from a beta", spec: { version: "2.5.8" }, from: "2.5.0-beta", field: "from", ruleId: "R-PRERELEASE-SOURCE", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-15", what: "a GA release onto a pre-release", spec: { version: "2.3.0-beta" }, from: "2.2.2", field: "version", ruleId: "R-PRERELEASE-TARGET", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-16", what: "Milvus 1.x to 2.x", spec: { version: "2.0.2" }, from: "1.1.1", field: "from", ruleId: "R-MILVUS-1X", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-17", what: "Pulsar v2 to Pulsar v3 inside an upgrade", spec: { version: V, messageQueue: "pulsarv3" }, from: { version: "2.5.8", messageQueue: "pulsar" }, field: "messageQueue", ruleId: "R-MQ-KEEP", surfaces: ["plan"] },
  { id: "BI-18", what: "Pulsar to Kafka inside an upgrade", spec: { version: "2.5.16", messageQueue: "kafka" }, from: { version: "2.5.8", messageQueue: "pulsar" }, field: "messageQueue", ruleId: "R-MQ-KEEP", surfaces: ["plan"] },
  { id: "BI-19", what: "standalone to cluster", spec: { version: V, mode: "cluster" }, from: { version: "2.5.8", mode: "standalone", messageQueue: "rocksmq" }, field: "mode", ruleId: "R-MODE-KEEP", surfaces: ["plan"] },
  { id: "BI-20", what: "cluster to standalone", spec: { version: "2.5.16", mode: "standalone", messageQueue: "pulsarv3" }, from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3" }, field: "mode", ruleId: "R-MODE-KEEP", surfaces: ["plan"] },
  { id: "BI-21", what: "a Pulsar v2 release onto charts 4.2.21-4.2.29", spec: { version: "2.4.17", messageQueue: "pulsar" }, from: "2.4.16", field: "version", ruleId: "R-PULSAR2-CHARTS", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  { id: "BI-22", what: "an explicit chart in 4.2.21-4.2.29 for Pulsar v2", spec: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.22" }, field: "chartVersion", ruleId: "R-PULSAR2-CHARTS", surfaces: NO_VALUES },
  { id: "BI-23", what: "Milvus 2.3 on chart >= 4.2.0", spec: { version: "2.3.21", chartVersion: "4.2.0" }, field: "chartVersion", ruleId: "R-23-CHART", surfaces: NO_VALUES },
  // Topology and message queue.
  { id: "BI-24", what: "separate coordinators on 2.6", spec: { version: V, coordinators: "separate" }, field: "coordinators", ruleId: "R-26-TOPOLOGY", surfaces: ALL },
  { id: "BI-25", what: "indexNode settings on 2.6", spec: { version: V, indexNode: { replicas: 1 } }, field: "indexNode", ruleId: "R-26-TOPOLOGY", surfaces: ALL },
  { id: "BI-26", what: "streamingNode settings before 2.6", spec: { version: "2.5.8", streamingNode: { replicas: 1 } }, field: "streamingNode", ruleId: "R-26-TOPOLOGY", surfaces: ALL },
  { id: "BI-27", what: "mixCoordinator before it existed", spec: { version: "2.2.0", coordinators: "mixed", activeStandby: false }, field: "coordinators", ruleId: "R-DEFAULT-FLIPS", surfaces: ALL },
  { id: "BI-28", what: "an unknown message queue", spec: { version: V, messageQueue: "rabbitmq" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-29", what: "rocksmq in cluster mode", spec: { version: V, messageQueue: "rocksmq" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-30", what: "natsmq in cluster mode", spec: { version: V, messageQueue: "natsmq" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-31", what: "woodpecker before 2.6", spec: { version: "2.5.8", messageQueue: "woodpecker" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-32", what: "Pulsar v3 before chart 4.2.21", spec: { version: "2.4.5", messageQueue: "pulsarv3" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-33", what: "an unknown mode", spec: { version: V, mode: "hybrid" }, field: "mode", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-34", what: "an unknown coordinator topology", spec: { version: V, coordinators: "many" }, field: "coordinators", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-35", what: "external-pulsar without externalPulsar", spec: { version: V, messageQueue: "external-pulsar" }, field: "externalPulsar", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-36", what: "external-kafka without externalKafka", spec: { version: V, messageQueue: "external-kafka" }, field: "externalKafka", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-37", what: "externalKafka without external-kafka", spec: { version: V, externalKafka: { brokerList: "kafka:9092" } }, field: "externalKafka", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  // Replicas and resources.
  { id: "BI-38", what: "negative replicas", spec: { version: V, queryNode: { replicas: -1 } }, field: "queryNode.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-39", what: "non-integer replicas", spec: { version: V, dataNode: { replicas: 1.5 } }, field: "dataNode.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-40", what: "replicas as a string", spec: { version: V, proxy: { replicas: "3" } }, field: "proxy.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-41", what: "a resource quantity that is not one", spec: { version: V, queryNode: { resources: { requests: { cpu: "lots" } } } }, field: "queryNode.resources.requests.cpu", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-42", what: "coordinator replicas > 1 without active-standby", spec: { version: V, activeStandby: false, mixCoordinator: { replicas: 2 } }, field: "mixCoordinator.replicas", ruleId: "R-COORD-HA", surfaces: ALL },
  { id: "BI-43", what: "active-standby before 2.2.3", spec: { version: "2.2.0", activeStandby: true }, field: "activeStandby", ruleId: "R-COORD-HA", surfaces: ALL },
  { id: "BI-44", what: "HPA and fixed replicas together", spec: { version: V, queryNode: { replicas: 3 }, helmValues: { queryNode: { hpa: { enabled: true } } } }, field: "helmValues.queryNode.hpa", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-45", what: "an unknown component setting", spec: { version: V, queryNode: { cpu: 2 } }, field: "queryNode.cpu", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-46", what: "an unknown spec field (typo)", spec: { version: V, replica: 3 }, field: "replica", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-47", what: "etcd replicas of zero", spec: { version: V, etcdReplicas: 0 }, field: "etcdReplicas", ruleId: "R-INPUT", surfaces: ALL },
  // External dependencies and credentials.
  { id: "BI-48", what: "external storage without credentials", spec: { version: V, externalObjectStorage: { ...s3 } }, field: "externalObjectStorage.accessKeyId", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-49", what: "shell metacharacters in the storage host", spec: { version: V, externalObjectStorage: { ...s3, host: "s3.example.com;reboot", useIAM: true } }, field: "externalObjectStorage.host", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-50", what: "an invalid bucket name", spec: { version: V, externalObjectStorage: { ...s3, bucket: "My Bucket", useIAM: true } }, field: "externalObjectStorage.bucket", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-51", what: "a Secret name that is not DNS-1123", spec: { version: V, externalObjectStorage: { ...s3, accessKeyId: { name: "Creds!", key: "id" }, secretAccessKey: ref("secret") } }, pulumi: { externalObjectStorage: { ...s3, accessKeyId: "", secretAccessKey: "x" } }, pulumiField: "externalObjectStorage.accessKeyId", field: "externalObjectStorage.accessKeyId.name", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-52", what: "a plain credential in helmValues", spec: { version: V, helmValues: { externalS3: { secretKey: "hunter2" } } }, field: "helmValues.externalS3.secretKey", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-53", what: "a plain MinIO password in helmValues", spec: { version: V, helmValues: { minio: { secretKey: "hunter2" } } }, field: "helmValues.minio.secretKey", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-54", what: "a credential in milvusConfig", spec: { version: V, milvusConfig: { minio: { secretAccessKey: "hunter2" } } }, field: "milvusConfig.minio.secretAccessKey", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-55", what: "an external etcd endpoint without port", spec: { version: V, externalEtcdEndpoints: ["etcd"] }, field: "externalEtcdEndpoints", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-56", what: "a Kafka broker list without ports", spec: { version: V, messageQueue: "external-kafka", externalKafka: { brokerList: "kafka" } }, field: "externalKafka.brokerList", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-57", what: "a Pulsar host with a space", spec: { version: V, messageQueue: "external-pulsar", externalPulsar: { host: "bad host" } }, field: "externalPulsar.host", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-58", what: "a Pulsar port out of range", spec: { version: V, messageQueue: "external-pulsar", externalPulsar: { host: "pulsar", port: 70000 } }, field: "externalPulsar.port", ruleId: "R-INPUT", surfaces: ALL },
  // Overrides and configuration.
  { id: "BI-59", what: "an override contradicting a managed key", spec: { version: V, helmValues: { streaming: { enabled: false } } }, field: "helmValues.streaming.enabled", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-60", what: "an override of the image tag", spec: { version: V, helmValues: { image: { all: { tag: "v2.6.5" } } } }, field: "helmValues.image.all.tag", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-61", what: "a shortcut config key removed in chart 4.0.0", spec: { version: V, helmValues: { common: { retentionDuration: 60 } } }, field: "helmValues.common.retentionDuration", ruleId: "R-CONFIG-FILES", surfaces: ALL },
  { id: "BI-62", what: "a managed key the chart does not have", spec: { version: "2.3.5", helmValues: { streaming: { enabled: false } } }, field: "helmValues.streaming.enabled", ruleId: "R-CHART-KEYS", surfaces: ALL },
  { id: "BI-63", what: "milvusConfig on a chart without extraConfigFiles", spec: { version: "2.1.4", activeStandby: false, milvusConfig: { common: { retentionDuration: 60 } } }, field: "milvusConfig", ruleId: "R-CONFIG-FILES", surfaces: ALL },
  { id: "BI-64", what: "an image repository with a tag", spec: { version: V, imageRepository: "milvusdb/milvus:v2.6.4" }, field: "imageRepository", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-65", what: "shell metacharacters in the image repository", spec: { version: V, imageRepository: "milvusdb/milvus$(id)" }, field: "imageRepository", ruleId: "R-INPUT", surfaces: ALL },
  // Adapter-level settings.
  { id: "BI-66", what: "a release name with upper case", spec: { version: V }, adapter: { releaseName: "Vectors" }, field: "releaseName", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-67", what: "a release name longer than 53", spec: { version: V }, adapter: { releaseName: "a".repeat(54) }, field: "releaseName", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-68", what: "shell metacharacters in the release name", spec: { version: V }, adapter: { releaseName: "m;rm" }, field: "releaseName", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-69", what: "a namespace that is not DNS-1123", spec: { version: V }, adapter: { namespace: "Milvus_NS" }, field: "namespace", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-70", what: "a chart repository that is not https", spec: { version: V }, adapter: { chartRepository: "http://charts.example.com" }, field: "chartRepository", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-71", what: "shell metacharacters in the chart repository", spec: { version: V }, adapter: { chartRepository: "https://charts.example.com/$(id)" }, field: "chartRepository", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-72", what: "an executor image with shell metacharacters", spec: { version: V }, adapter: { executorImage: "alpine/k8s:1.31;id" }, field: "executorImage", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-73", what: "a step timeout of zero", spec: { version: V }, adapter: { stepTimeoutSeconds: 0 }, field: "stepTimeoutSeconds", ruleId: "R-INPUT", surfaces: ADAPTERS },
  // Round 2 (issue #14). Kubernetes rules.
  { id: "BI-74", what: "replicas beyond int32 (3e9)", spec: { version: V, queryNode: { replicas: 3e9 } }, field: "queryNode.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-75", what: "replicas of 1e21", spec: { version: V, proxy: { replicas: 1e21 } }, field: "proxy.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-76", what: "a negative resource quantity", spec: { version: V, queryNode: { resources: { requests: { memory: "-1Gi" } } } }, field: "queryNode.resources.requests.memory", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-77", what: "a limit below its request", spec: { version: V, dataNode: { resources: { requests: { cpu: "2" }, limits: { cpu: "500m" } } } }, field: "dataNode.resources.limits.cpu", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-78", what: "an invalid resource name", spec: { version: V, queryNode: { resources: { limits: { "CPU cores": "2" } } } }, field: "queryNode.resources.limits.CPU cores", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-79", what: "requests as a string, not a map", spec: { version: V, queryNode: { resources: { requests: "2Gi" } } }, field: "queryNode.resources.requests", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-80", what: "a quantity suffix outside the grammar (2K)", spec: { version: V, proxy: { resources: { requests: { memory: "2K" } } } }, field: "proxy.resources.requests.memory", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-81", what: "a Kafka broker port of 99999", spec: { version: V, messageQueue: "external-kafka", externalKafka: { brokerList: "kafka.example.com:99999" } }, field: "externalKafka.brokerList", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-82", what: "an etcd endpoint port of 0", spec: { version: V, externalEtcdEndpoints: ["etcd.example.com:0"] }, field: "externalEtcdEndpoints", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-83", what: "a chart repository URL with port 99999", spec: { version: V }, adapter: { chartRepository: "https://charts.example.com:99999/milvus" }, field: "chartRepository", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-108", what: "an image registry port of 99999", spec: { version: V, imageRepository: "registry.example.com:99999/milvusdb/milvus" }, field: "imageRepository", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-109", what: "an executor image registry port of 99999", spec: { version: V }, adapter: { executorImage: "registry.example.com:99999/alpine/k8s:1.31.9" }, field: "executorImage", ruleId: "R-INPUT", surfaces: ADAPTERS },
  // helmValues over managed keys.
  { id: "BI-84", what: "pulsar: null in helmValues", spec: { version: V, helmValues: { pulsar: null } }, field: "helmValues.pulsar", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-85", what: "image.all: null in helmValues", spec: { version: V, helmValues: { image: { all: null } } }, field: "helmValues.image.all", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-86", what: 'image.all: "repo:tag" in helmValues', spec: { version: V, helmValues: { image: { all: "milvusdb/milvus:v2.6.4" } } }, field: "helmValues.image.all", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-87", what: "cluster: null in helmValues", spec: { version: V, helmValues: { cluster: null } }, field: "helmValues.cluster", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-88", what: "streaming: false in helmValues", spec: { version: V, helmValues: { streaming: false } }, field: "helmValues.streaming", ruleId: "R-RESET-VALUES", surfaces: ALL },
  { id: "BI-89", what: "negative replicas through helmValues", spec: { version: V, helmValues: { queryNode: { replicas: -1 } } }, field: "helmValues.queryNode.replicas", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-90", what: "coordinator replicas through helmValues without active-standby", spec: { version: V, activeStandby: false, helmValues: { mixCoordinator: { replicas: 2 } } }, field: "helmValues.mixCoordinator.replicas", ruleId: "R-COORD-HA", surfaces: ALL },
  { id: "BI-91", what: "replicas and an HPA, both through helmValues", spec: { version: V, helmValues: { proxy: { replicas: 2, hpa: { enabled: true } } } }, field: "helmValues.proxy.hpa", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-92", what: "a limit below its request through helmValues", spec: { version: V, helmValues: { queryNode: { resources: { requests: { memory: "8Gi" }, limits: { memory: "4Gi" } } } } }, field: "helmValues.queryNode.resources.limits.memory", ruleId: "R-INPUT", surfaces: ALL },
  // Credentials by any path.
  { id: "BI-93", what: "a credential inside an extraConfigFiles file", spec: { version: V, helmValues: { extraConfigFiles: { "creds.yaml": "minio:\n  secretAccessKey: hunter2\n" } } }, field: "helmValues.extraConfigFiles.creds.yaml.minio.secretAccessKey", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-94", what: "a credential in a component's extraEnv", spec: { version: V, helmValues: { queryNode: { extraEnv: [{ name: "MINIO_SECRET_ACCESS_KEY", value: "hunter2" }] } } }, field: "helmValues.queryNode.extraEnv.0.value", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-95", what: "the etcd subchart's root password", spec: { version: V, helmValues: { etcd: { auth: { rbac: { rootPassword: "hunter2" } } } } }, field: "helmValues.etcd.auth.rbac.rootPassword", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-96", what: "the Kafka subchart's client passwords (a list)", spec: { version: "2.5.8", messageQueue: "kafka", helmValues: { kafka: { auth: { sasl: { jaas: { clientPasswords: ["hunter2"] } } } } } }, field: "helmValues.kafka.auth.sasl.jaas.clientPasswords", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-97", what: "a numeric MinIO root password", spec: { version: V, helmValues: { minio: { rootPassword: 12345678 } } }, field: "helmValues.minio.rootPassword", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-98", what: "the Pulsar manager's admin password", spec: { version: V, helmValues: { pulsarv3: { pulsar_manager: { admin: { password: "hunter2" } } } } }, field: "helmValues.pulsarv3.pulsar_manager.admin.password", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-99", what: "a numeric etcd password in milvusConfig", spec: { version: V, milvusConfig: { etcd: { auth: { password: 123456 } } } }, field: "milvusConfig.etcd.auth.password", ruleId: "R-INPUT", surfaces: ALL },
  { id: "BI-110", what: "an extraConfigFiles file nested 10,000 deep", spec: { version: V, helmValues: { extraConfigFiles: { "deep.yaml": `a: ${"[".repeat(10000)}${"]".repeat(10000)}\n` } } }, field: "helmValues.extraConfigFiles.deep.yaml", ruleId: "R-CONFIG-FILES", surfaces: ALL },
  { id: "BI-111", what: "an alias bomb in an extraConfigFiles file", spec: { version: V, helmValues: { extraConfigFiles: { "bomb.yaml": aliasBomb() } } }, field: "helmValues.extraConfigFiles.bomb.yaml", ruleId: "R-CONFIG-FILES", surfaces: ALL },
  // Knowledge (round 2).
  { id: "BI-100", what: "mq.type in milvusConfig that switches the queue", spec: { version: V, milvusConfig: { mq: { type: "kafka" } } }, field: "milvusConfig.mq.type", ruleId: "R-MQ-KEEP", surfaces: ALL },
  { id: "BI-101", what: "mq.type in an extraConfigFiles file that switches the queue", spec: { version: V, helmValues: { extraConfigFiles: { "mq.yaml": "mq:\n  type: rocksmq\n" } } }, field: "helmValues.extraConfigFiles.mq.yaml.mq.type", ruleId: "R-MQ-KEEP", surfaces: ALL },
  { id: "BI-102", what: "natsmq on Milvus 2.6", spec: { version: V, mode: "standalone", messageQueue: "natsmq" }, field: "messageQueue", ruleId: "R-MQ-SUPPORT", surfaces: ALL },
  { id: "BI-103", what: "a fresh 2.4.17 with an explicit Pulsar v2", spec: { version: "2.4.17", messageQueue: "pulsar" }, field: "version", ruleId: "R-PULSAR2-CHARTS", surfaces: NO_VALUES },
  { id: "BI-104", what: "2.0.0 on the old Pulsar chart to 2.1.4", spec: { version: "2.1.4", activeStandby: false }, from: "2.0.0", field: "from", ruleId: "R-PULSAR-SUBCHART", surfaces: ["plan", "pulumi", "cdk8s", "cli"] },
  // Names and props everywhere.
  { id: "BI-105", what: "an executor image with upper case", spec: { version: V }, adapter: { executorImage: "Alpine/K8s:1.31" }, field: "executorImage", ruleId: "R-INPUT", surfaces: ADAPTERS },
  { id: "BI-106", what: "shell metacharacters in --release of plan -o commands", spec: { version: V }, cliArgs: ["-o", "commands", "--release", "m;rm"], field: "release", ruleId: "R-INPUT", surfaces: ["cli"] },
  { id: "BI-107", what: "a namespace that is not DNS-1123 in plan -o commands", spec: { version: V }, cliArgs: ["-o", "commands", "-n", "Milvus_NS"], field: "namespace", ruleId: "R-INPUT", surfaces: ["cli"] },
];
