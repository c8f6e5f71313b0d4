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
  type ExecutorRbacOptions,
  type ExecutorResourceKind,
  executorJobModel,
  executorJobName,
  executorRbacRules,
  MANAGE_VERBS,
  MIGRATION_RBAC_RULES,
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
export {
  DEFAULT_BACKUP_SIZE,
  DEFAULT_META_MIGRATION_IMAGE,
  DEFAULT_MIGRATION_ROOT_PATH,
  DEFAULT_SESSION_WAIT_SECONDS,
  MAX_SESSION_WAIT_SECONDS,
  MIGRATION_ANNOTATIONS,
  MIGRATION_FILES,
  MIGRATION_OPTION_FIELDS,
  MIGRATION_PLACEHOLDERS,
  MIGRATION_RUN_AS_USER,
  type ManifestObject,
  type MigrationManifestInput,
  type MigrationObjectNames,
  migrationFiles,
  migrationManifests,
  migrationObjectNames,
  migrationOptionsProblems,
  type ResolvedMigration,
  resolveMigrationOptions,
} from "./migration";
export {
  DEFAULT_EXECUTOR_IMAGE,
  type ExecutorBundle,
  type ExecutorJobModel,
  type ExecutorOperation,
  type ExecutorOptions,
  type MigrationOptions,
  type RbacRule,
} from "./types";
