/**
 * milvus-cluster/cdk8s: the `MilvusCluster` construct for cdk8s apps. Needs the peer dependencies `cdk8s`,
 * `cdk8s-plus-28` and `constructs`. Every export is jsii-compatible (test/cdk8s/jsii-api.test.ts).
 */
import "./peers";
export { MilvusGitOpsTool } from "./gitops";
export { MilvusCluster } from "./milvus-cluster";
export {
  type MilvusClusterProps,
  type MilvusComponentProps,
  type MilvusExecutorBundle,
  type MilvusExternalKafkaProps,
  type MilvusExternalObjectStorageProps,
  type MilvusExternalPulsarProps,
  type MilvusMigrationProps,
  MilvusRenderMode,
  type MilvusResourceRequirements,
  type MilvusSecretKeyReference,
  type MilvusUpgradePlan,
  type MilvusUpgradeStep,
  RENDER_MODES,
} from "./props";
export { MilvusRenderedManifests, type MilvusRenderedManifestsProps } from "./render";
export { MilvusUpgradeJob } from "./upgrade-job";
