/**
 * The executor: turns the steps of a plan into a runnable POSIX sh script plus values files (`renderExecutor`), and
 * into the model of an in-cluster Kubernetes Job that runs it (`executorJobModel`), shared by the Pulumi and cdk8s
 * adapters.
 */
export {
  EXECUTOR_DEADLINE_SLACK_SECONDS,
  EXECUTOR_MOUNT_PATH,
  EXECUTOR_RESOURCE_KINDS,
  EXECUTOR_RUN_AS_USER,
  EXECUTOR_SCRATCH_PATH,
  DEFAULT_EXECUTOR_TTL_SECONDS,
  type ExecutorJobOptions,
  type ExecutorResourceKind,
  executorJobModel,
  executorJobName,
  executorRbacRules,
  MANAGE_VERBS,
  READ_VERBS,
  SUBCHART_ROLE_RULES,
} from "./job";
export {
  bundleHash,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  EXECUTOR_OVERHEAD_SECONDS,
  EXECUTOR_SCRIPT_FILE,
  EXIT_CODES,
  type ExitCodeName,
  executorOptionsProblems,
  messageQueueOfValues,
  modeOfValues,
  renderExecutor,
  stepValuesFile,
} from "./script";
export { DEFAULT_EXECUTOR_IMAGE, type ExecutorBundle, type ExecutorJobModel, type ExecutorOptions, type RbacRule } from "./types";
