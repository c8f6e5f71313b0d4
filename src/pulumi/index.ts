/**
 * `milvus-cluster/pulumi`: the `MilvusCluster` Pulumi component. Loads `@pulumi/pulumi` and `@pulumi/kubernetes`
 * (peer dependencies; `@pulumi/command` only for `executor: "local"`); the package root never does.
 */
import "./peers";
export type {
  MilvusClusterArgs,
  MilvusComponentArgs,
  MilvusExternalKafkaArgs,
  MilvusExternalObjectStorageArgs,
  MilvusExternalPulsarArgs,
  MilvusMigrationArgs,
  MilvusMinioCredentialsArgs,
  MilvusReleaseOptionsArgs,
  MilvusResourcesArgs,
} from "./args";
export { LOCAL_EXECUTOR_COMMAND, LOCAL_EXECUTOR_NODE, type LocalExecutorCommand, localExecutorCommand } from "./local-executor";
export { MILVUS_CLUSTER_TYPE, MilvusCluster, type MilvusReleaseStatus, REPLACE_UNREADY_ANNOTATION } from "./milvus-cluster";
export {
  CREDENTIALS_VERSION_ANNOTATION,
  credentialsSecretName,
  identityConfigMapName,
  milvusEndpoint,
  milvusServiceName,
  RELEASE_IDENTITY_RULE,
  resolveClusterArgs,
} from "./resolve";
