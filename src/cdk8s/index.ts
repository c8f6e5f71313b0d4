/**
 * milvus-cluster/cdk8s: the `MilvusCluster` construct for cdk8s apps. Needs the peer dependencies `cdk8s`,
 * `cdk8s-plus-28` and `constructs`.
 */
import "./peers";
export { MilvusCluster } from "./milvus-cluster";
export type {
  MilvusClusterProps,
  MilvusComponentProps,
  MilvusExternalKafkaProps,
  MilvusExternalObjectStorageProps,
  MilvusExternalPulsarProps,
  MilvusMigrationProps,
  MilvusResourceRequirements,
  MilvusSecretKeyReference,
} from "./props";
export { RENDER_MODES } from "./props";
export { MilvusUpgradeJob, type MilvusUpgradeJobProps } from "./upgrade-job";
