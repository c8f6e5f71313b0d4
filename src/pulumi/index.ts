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
  MilvusResourcesArgs,
} from "./args";
export { LOCAL_EXECUTOR_COMMAND, LOCAL_EXECUTOR_NODE, type LocalExecutorCommand, localExecutorCommand } from "./local-executor";
export { MILVUS_CLUSTER_TYPE, MilvusCluster } from "./milvus-cluster";
export { credentialsSecretName, milvusEndpoint, milvusServiceName, resolveClusterArgs } from "./resolve";
