/**
 * `milvus-cluster/pulumi`: the `MilvusCluster` Pulumi component. Loads `@pulumi/pulumi`, `@pulumi/kubernetes` and
 * `@pulumi/command` (peer dependencies); the package root never does.
 */
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
