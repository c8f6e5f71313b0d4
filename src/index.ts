/**
 * milvus-cluster core: versions, catalog, rules, planner, values and executor. Loads no Pulumi or cdk8s code;
 * the adapters live in `milvus-cluster/pulumi` and `milvus-cluster/cdk8s`.
 */
export * from "./catalog";
export * from "./errors";
export * from "./plan/plan";
export type * from "./plan/types";
export * from "./rules";
export { chartDefaultCoordinators, chartDefaultMessageQueue, topologyFor } from "./spec/resolve";
export * from "./spec/types";
export { namespaceProblem, releaseNameProblem, SPEC_FIELDS, validateSpecShape } from "./spec/validate";
export { componentsRunning, messageQueueProblem, type ResolvedSpec, resolveSpec, type ValuesForOptions, valuesFor } from "./values/values-for";
export * from "./versions/versions";
export { EXECUTOR_RUNTIME_FILE, type ExecutorRuntime, executorRuntime, executorRuntimePath } from "./executor/runtime";
export { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE } from "./executor/types";
