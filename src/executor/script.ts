import { createHash } from "node:crypto";
import { type InputProblem, MilvusClusterError } from "../errors";
import type { StepAction, UpgradeStep } from "../plan/types";
import { MIN_EXECUTOR_HELM } from "../rules/tables";
import type { HelmValues } from "../spec/types";
import { namespaceProblem, releaseNameProblem } from "../spec/validate";
import { chartRepositoryProblem, SHELL_METACHARACTERS } from "../util/names";
import { getPath, isPlainObject } from "../values/merge";
import { compareVersions, isMilvusVersion, minorOf, parseMilvusVersion } from "../versions/versions";
import { MIGRATION_FILES, migrationFiles, migrationObjectNames, migrationOptionsProblems, type ResolvedMigration, resolveMigrationOptions } from "./migration";
import { EXECUTOR_INPUT_FILE, EXECUTOR_INPUT_FORMAT, type ExecutorInput } from "./context";
import type { ExecutorBundle, ExecutorOperation, ExecutorOptions } from "./types";
import { yaml } from "../util/lazy-yaml";

/**
 * Exit codes of the executor, one per outcome (the process exit code of `node executor.cjs`, the return value of
 * `runExecutor`). Every refusal happens before the executor changes anything; after any failure, running the same
 * executor again re-reads the live release and resumes at the right step.
 */
export const EXIT_CODES = {
  /** Every remaining step ran and passed its health gate; or nothing was left to do; or there is no release yet and `includesFinalStep` is false (the Helm Release resource installs it). */
  SUCCESS: 0,
  /** Something failed unexpectedly (an error the executor has no code for, e.g. recording migration progress failed); any code not listed here means this too. stderr names it. */
  UNEXPECTED: 1,
  /** `helm upgrade` of a step failed. With rollbackOnFailure helm rolled it back; otherwise the release may be `failed`. */
  HELM_UPGRADE_FAILED: 10,
  /** A health gate failed: a Milvus Deployment did not roll out, or does not run the step's image tag, within the step timeout (also checked on the live release before the first upgrade). */
  HEALTH_GATE_FAILED: 11,
  /** The release is `pending-install`, `pending-upgrade` or `pending-rollback`; stderr carries the exact recovery command (`helm rollback <rel> <rev> -n <ns>`, or `helm uninstall` for pending-install). */
  RELEASE_PENDING: 20,
  /**
   * The release is `failed` and its failed revision is not the step the chain runs next (and rollbackOnFailure is
   * off), or in another state that is not `deployed` (uninstalling, uninstalled, unknown).
   */
  RELEASE_FAILED: 21,
  /** The live Milvus version is above the target (R-DOWNGRADE). */
  DOWNGRADE_REFUSED: 22,
  /** `expectedFrom` is set and the live version is neither it, nor a version one of the steps produces, nor past every step. */
  UNEXPECTED_LIVE_VERSION: 23,
  /** The live mode (`cluster.enabled`) differs from the plan's values (R-MODE-KEEP). */
  MODE_CHANGE_REFUSED: 24,
  /**
   * The live message queue differs from the plan's values (R-MQ-KEEP), or a step left to run cannot carry it: a natsmq
   * release into Milvus 2.6, which removed natsmq (R-MQ-SUPPORT), or the bundled kafkaesque Pulsar chart of charts
   * <= 3.0.10 onto a chart that bundles apache Pulsar, >= 3.0.12 (R-PULSAR-SUBCHART, read from the live chart).
   */
  MQ_CHANGE_REFUSED: 25,
  /**
   * A remaining step is the offline 2.1 -> 2.2 metadata migration (R-META-MIGRATION) and one of its pre-checks refused it
   * before anything changed: no Milvus Deployment, a Deployment scaled by a HorizontalPodAutoscaler (it cannot stay at
   * 0), no etcd endpoint, a root path other than the release's, no (default) StorageClass, a missing manifest, or a
   * source that is not 2.1.x (R-META-SOURCE). stderr names the check and the fix.
   */
  META_MIGRATION_REQUIRED: 26,
  /** The live version is a pre-release (rc/beta), which cannot be upgraded (R-PRERELEASE-SOURCE). */
  PRERELEASE_REFUSED: 27,
  /**
   * The release does not exist, but volume claims labelled with its name remain (an uninstalled release's data of an
   * unknown Milvus version); installing onto them is refused unless `allowExistingData`.
   */
  ORPHANED_DATA: 28,
  /**
   * Another executor holds the release's lock (the Lease `<release>-milvus-upgrade` in the release namespace, renewed
   * while it runs): stderr names its holder and when the lease expires. Nothing was changed; re-run when it finished
   * (an abandoned lease is taken over once it expired).
   */
  RELEASE_LOCKED: 29,
  /** helm is older than the executor's minimum (R-HELM-MIN). */
  HELM_TOO_OLD: 30,
  /** helm or kubectl is missing, `helm version` failed, or a values file is missing. */
  SETUP_FAILED: 31,
  /** `helm status` or `helm get values` failed for another reason than a missing release, or the live values name no Milvus version (`image.all.tag`); or the migration state ConfigMap cannot be read or holds invalid data. */
  LIVE_STATE_UNREADABLE: 32,
  /**
   * The cluster kubectl reaches is not the one the caller named (its kube-system Namespace has another uid, or cannot be
   * read): Pulumi's local executor on a kubeconfig or context of another cluster (R-LOCAL-CLUSTER). Nothing was read
   * or changed, not even the lock.
   */
  WRONG_CLUSTER: 33,
  /**
   * Migration: the metadata backup Job failed or did not finish (a backup volume claim left Pending is named). The
   * metadata is unchanged; with `migration.rollbackOnFailure` the old version runs again with its recorded replicas,
   * otherwise Milvus stays stopped. A re-run retries the backup.
   */
  META_BACKUP_FAILED: 40,
  /**
   * Migration: a phase after the backup failed (migrate Job, helm upgrade to the 2.2 chart, restoring replicas, health
   * gate) and the automatic rollback succeeded: metadata restored from the backup, the release back on its 2.1 revision
   * with the recorded replicas and healthy. A re-run tries again with a fresh backup.
   */
  META_MIGRATION_ROLLED_BACK: 41,
  /**
   * Migration: a phase after the backup failed and `migration.rollbackOnFailure` is off. Milvus is stopped (or partly
   * started on 2.2); the state ConfigMap records the finished phases. A re-run resumes without repeating a finished
   * backup (restoring the backup first when a migrate Job was interrupted); the rollback operation returns to 2.1.
   */
  META_MIGRATION_FAILED: 42,
  /** Migration: the rollback (automatic or requested) failed; stderr says where and what to do. The backup PVC is kept. */
  META_ROLLBACK_FAILED: 43,
  /**
   * Migration: Milvus did not stop: pods still ran after the step timeout, or etcd session keys of Milvus components
   * were still present after `migration.sessionWaitSeconds` (something else runs Milvus on this etcd). Metadata
   * unchanged; with `migration.rollbackOnFailure` the old version is restarted. A re-run retries.
   */
  META_STOP_FAILED: 44,
  /** Migration rollback requested, but there is no finished backup of this release (no state ConfigMap, a backup not marked done or stale, or the PVC is gone). Nothing was changed. */
  META_NO_BACKUP: 45,
} as const;

/** Name of an executor outcome. */
export type ExitCodeName = keyof typeof EXIT_CODES;

/** Default timeout of each helm upgrade and each health gate, in seconds. */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 900;

/** Slack added to `maxDurationSeconds` for helm start-up, chart downloads and reading the live release. */
export const EXECUTOR_OVERHEAD_SECONDS = 120;


/** Values file name of step `index` (1-based). */
export function stepValuesFile(index: number): string {
  return `step-${index}.yaml`;
}

/** Chart version: plain semver without build metadata. */
const CHART_VERSION_PATTERN = /^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$/;
/** OCI image tag (the registry's grammar). */
const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/**
 * Every string of `plan.json` that reaches a helm or kubectl argv matches this, on top of its own pattern: no space,
 * quote or shell syntax, and no leading '-' (it could be read as a flag).
 */
const ARGV_VALUE_PATTERN = /^(?:[A-Za-z0-9._:/+][A-Za-z0-9._:/+-]*)?$/;
const STEP_ACTIONS: readonly StepAction[] = ["install", "helm-upgrade", "meta-migration"];
const OPERATIONS: readonly ExecutorOperation[] = ["upgrade", "rollback-migration"];

/** The mode a values set selects: `cluster.enabled: false` is standalone; absent means the chart default, cluster. */
export function modeOfValues(values: HelmValues): "cluster" | "standalone" {
  return getPath(values, ["cluster", "enabled"]) === false ? "standalone" : "cluster";
}

/**
 * The message queue a values set selects, computed the same way for the plan's values and the live values: in standalone mode `standalone.messageQueue` when it names an embedded queue (rocksmq when absent: the
 * charts before that key ran rocksmq); otherwise every enabled queue of externalPulsar, pulsar, woodpecker,
 * pulsarv3, externalKafka, kafka joined by '+', or "none".
 */
export function messageQueueOfValues(values: HelmValues, mode: "cluster" | "standalone"): string {
  if (mode === "standalone") {
    const embedded = getPath(values, ["standalone", "messageQueue"]);
    if (embedded === undefined || embedded === "") return "rocksmq";
    if (embedded === "rocksmq" || embedded === "natsmq" || embedded === "woodpecker") return embedded;
  }
  const order: readonly [string, string][] = [
    ["externalPulsar", "external-pulsar"],
    ["pulsar", "pulsar"],
    ["woodpecker", "woodpecker"],
    ["pulsarv3", "pulsarv3"],
    ["externalKafka", "external-kafka"],
    ["kafka", "kafka"],
  ];
  const enabled = order.filter(([key]) => getPath(values, [key, "enabled"]) === true).map(([, name]) => name);
  return enabled.length > 0 ? enabled.join("+") : "none";
}

/** The image tag a step deploys: `image.all.tag` of its values, else the chart's convention `v<version>`. */
function tagOf(step: UpgradeStep): unknown {
  return getPath(step.values, ["image", "all", "tag"]) ?? `v${step.milvusVersion}`;
}


function versionProblem(value: unknown, field: string): InputProblem | undefined {
  if (typeof value === "string" && isMilvusVersion(value)) return undefined;
  return { field, ruleId: "R-INPUT", message: `${JSON.stringify(value)} is not a Milvus version`, fix: "use MAJOR.MINOR.PATCH with an optional leading v and pre-release, e.g. 2.5.16" };
}

function stepProblems(step: unknown, index: number, chartRepository: string | undefined): InputProblem[] {
  const at = `steps[${index}]`;
  if (!isPlainObject(step)) return [{ field: at, ruleId: "R-INPUT", message: "a step must be an object (an UpgradeStep)", fix: "pass the steps of planUpgrade or candidateStops" }];
  const s = step as unknown as UpgradeStep;
  const out: InputProblem[] = [];
  const push = (p: InputProblem | undefined): void => {
    if (p) out.push(p);
  };
  push(versionProblem(s.milvusVersion, `${at}.milvusVersion`));
  if (typeof s.chartVersion !== "string" || !CHART_VERSION_PATTERN.test(s.chartVersion)) {
    out.push({ field: `${at}.chartVersion`, ruleId: "R-INPUT", message: `${JSON.stringify(s.chartVersion)} is not a chart version`, fix: "use MAJOR.MINOR.PATCH, e.g. 4.2.58" });
  }
  // The override replaces every step's repository, so a step's own one only matters without it.
  if (chartRepository === undefined) push(chartRepositoryProblem(s.chartRepository, `${at}.chartRepository`));
  if (!STEP_ACTIONS.includes(s.action)) {
    out.push({ field: `${at}.action`, ruleId: "R-INPUT", message: `${JSON.stringify(s.action)} is not a step action`, fix: `use one of ${STEP_ACTIONS.join(", ")}` });
  }
  if (!isPlainObject(s.values)) {
    out.push({ field: `${at}.values`, ruleId: "R-INPUT", message: "values must be an object", fix: "pass the complete values of the step (valuesFor)" });
  } else {
    const tag = tagOf(s);
    if (typeof tag !== "string" || !IMAGE_TAG_PATTERN.test(tag)) {
      out.push({ field: `${at}.values.image.all.tag`, ruleId: "R-INPUT", message: `${JSON.stringify(tag)} is not an image tag`, fix: "use a tag such as v2.5.16 (letters, digits, '_', '.', '-')" });
    }
  }
  return out;
}

/** Everything the executor input needs, validated and normalized. */
interface InputData {
  readonly releaseName: string;
  readonly namespace: string;
  readonly targetVersion: string;
  readonly expectedFrom: string;
  readonly includesFinalStep: boolean;
  readonly rollbackOnFailure: boolean;
  readonly allowExistingData: boolean;
  readonly stepTimeoutSeconds: number;
  readonly planMode: "cluster" | "standalone";
  readonly planMessageQueue: string;
  readonly operation: ExecutorOperation;
  /** The migration settings and the migration step's version, when a step is a `meta-migration`. */
  readonly migration?: ResolvedMigration & { readonly version: string };
  readonly steps: readonly {
    readonly version: string;
    readonly tag: string;
    readonly chart: string;
    readonly repository: string;
    readonly action: StepAction;
    readonly mixCoordinator: boolean;
    readonly values: HelmValues;
    readonly reason: string;
  }[];
}

/**
 * Validates executor options and returns every problem found (empty when valid): release name and namespace
 * (DNS-1123 labels), versions, chart repositories (https or oci, no shell syntax), timeouts (positive integers),
 * steps (complete, ordered, not above the target, one mode and one message queue, a final step that is a helm step).
 * @param opts the options as given (may come from untyped callers)
 */
export function executorOptionsProblems(opts: ExecutorOptions): InputProblem[] {
  const problems: InputProblem[] = [];
  const push = (p: InputProblem | undefined): void => {
    if (p) problems.push(p);
  };
  if (!isPlainObject(opts)) {
    return [{ field: "options", ruleId: "R-INPUT", message: "executor options must be an object", fix: "pass ExecutorOptions" }];
  }
  push(releaseNameProblem(opts.releaseName, "releaseName"));
  push(namespaceProblem(opts.namespace, "namespace"));
  push(versionProblem(opts.targetVersion, "targetVersion"));
  if (opts.expectedFrom !== undefined) push(versionProblem(opts.expectedFrom, "expectedFrom"));
  if (opts.stepTimeoutSeconds !== undefined && !(Number.isSafeInteger(opts.stepTimeoutSeconds) && opts.stepTimeoutSeconds > 0)) {
    problems.push({ field: "stepTimeoutSeconds", ruleId: "R-INPUT", message: `${JSON.stringify(opts.stepTimeoutSeconds)} is not a positive whole number of seconds`, fix: `use e.g. ${DEFAULT_STEP_TIMEOUT_SECONDS}` });
  }
  for (const flag of ["includesFinalStep", "rollbackOnFailure", "allowExistingData"] as const) {
    if (opts[flag] !== undefined && typeof opts[flag] !== "boolean") {
      problems.push({ field: flag, ruleId: "R-INPUT", message: `${JSON.stringify(opts[flag])} is not a boolean`, fix: "use true or false" });
    }
  }
  if (opts.chartRepository !== undefined) push(chartRepositoryProblem(opts.chartRepository, "chartRepository"));
  problems.push(...migrationOptionsProblems(opts.migration, "migration"));
  if (opts.operation !== undefined && !OPERATIONS.includes(opts.operation)) {
    problems.push({ field: "operation", ruleId: "R-INPUT", message: `${JSON.stringify(opts.operation)} is not an executor operation`, fix: `use one of ${OPERATIONS.join(", ")}` });
  }
  if (!Array.isArray(opts.steps) || opts.steps.length === 0) {
    problems.push({ field: "steps", ruleId: "R-INPUT", message: "there are no steps to execute", fix: "pass the steps of planUpgrade or candidateStops (an empty chain needs no executor)" });
    return problems;
  }
  const stepIssues = opts.steps.flatMap((s, i) => stepProblems(s, i, opts.chartRepository));
  problems.push(...stepIssues);
  if (stepIssues.length > 0 || problems.some((p) => p.field === "targetVersion")) return problems;

  // The chain as a whole.
  const steps = opts.steps;
  const target = parseMilvusVersion(opts.targetVersion).version;
  steps.forEach((s, i) => {
    const prev = steps[i - 1];
    if (prev && compareVersions(s.milvusVersion, prev.milvusVersion) < 0) {
      problems.push({ field: `steps[${i}].milvusVersion`, ruleId: "R-INPUT", message: `${s.milvusVersion} comes after ${prev.milvusVersion}: steps must be in ascending order`, fix: "pass the steps in the order the plan lists them" });
    }
    if (compareVersions(s.milvusVersion, target) > 0) {
      problems.push({ field: `steps[${i}].milvusVersion`, ruleId: "R-INPUT", message: `${s.milvusVersion} is above the target ${target}`, fix: "pass the steps of a plan for this target" });
    }
  });
  const last = steps[steps.length - 1]!;
  if ((opts.includesFinalStep ?? true) && compareVersions(last.milvusVersion, target) !== 0) {
    problems.push({ field: `steps[${steps.length - 1}].milvusVersion`, ruleId: "R-INPUT", message: `the final step runs ${last.milvusVersion}, not the target ${target}`, fix: "end the steps with the target step, or set includesFinalStep: false" });
  }
  const migrations = steps.map((s, i) => [s, i] as const).filter(([s]) => s.action === "meta-migration");
  if (migrations.length > 1) {
    problems.push({ field: `steps[${migrations[1]![1]}].action`, ruleId: "R-INPUT", message: "the steps contain more than one metadata migration", fix: "pass the steps of one plan (there is one migration, to 2.2.0) [R-META-MIGRATION]" });
  }
  for (const [s, i] of migrations) {
    if (minorOf(s.milvusVersion) !== "2.2") {
      problems.push({ field: `steps[${i}].milvusVersion`, ruleId: "R-INPUT", message: `the metadata migration produces Milvus 2.2.x, not ${s.milvusVersion}`, fix: "pass the steps of planUpgrade or candidateStops [R-META-MIGRATION]" });
    }
  }
  if (opts.operation === "rollback-migration" && migrations.length === 0) {
    problems.push({ field: "operation", ruleId: "R-INPUT", message: "the rollback of a metadata migration needs the steps that contain the migration step", fix: "pass the steps of a plan to a target >= 2.2.0 (e.g. candidateStops plus the target), as for the upgrade that ran the migration" });
  }
  const modes = new Set(steps.map((s) => modeOfValues(s.values)));
  if (modes.size > 1) {
    problems.push({ field: "steps", ruleId: "R-INPUT", message: `the steps' values disagree on the mode (${[...modes].join(", ")})`, fix: "pass the steps of one plan (R-MODE-KEEP)" });
  } else {
    const mode = [...modes][0]!;
    const queues = steps.map((s, i) => `step ${i + 1}: ${messageQueueOfValues(s.values, mode)}`);
    if (new Set(steps.map((s) => messageQueueOfValues(s.values, mode))).size > 1) {
      problems.push({ field: "steps", ruleId: "R-INPUT", message: `the steps' values disagree on the message queue (${queues.join(", ")})`, fix: "pass the steps of one plan (R-MQ-KEEP)" });
    }
  }
  return problems;
}

function inputData(opts: ExecutorOptions): InputData {
  const problems = executorOptionsProblems(opts);
  if (problems.length > 0) throw new MilvusClusterError(problems, "invalid executor options");
  const planMode = modeOfValues(opts.steps[opts.steps.length - 1]!.values);
  const migrationStep = opts.steps.find((s) => s.action === "meta-migration");
  return {
    releaseName: opts.releaseName,
    namespace: opts.namespace,
    targetVersion: parseMilvusVersion(opts.targetVersion).version,
    expectedFrom: opts.expectedFrom === undefined ? "" : parseMilvusVersion(opts.expectedFrom).version,
    includesFinalStep: opts.includesFinalStep ?? true,
    rollbackOnFailure: opts.rollbackOnFailure ?? false,
    allowExistingData: opts.allowExistingData ?? false,
    stepTimeoutSeconds: opts.stepTimeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS,
    planMode,
    planMessageQueue: messageQueueOfValues(opts.steps[0]!.values, planMode),
    operation: opts.operation ?? "upgrade",
    migration: migrationStep ? { ...resolveMigrationOptions(opts.migration), version: parseMilvusVersion(migrationStep.milvusVersion).version } : undefined,
    steps: opts.steps.map((s) => ({
      version: parseMilvusVersion(s.milvusVersion).version,
      tag: String(tagOf(s)),
      chart: s.chartVersion,
      repository: (opts.chartRepository ?? s.chartRepository).replace(/\/+$/, ""),
      action: s.action,
      mixCoordinator: getPath(s.values, ["mixCoordinator", "enabled"]) === true,
      values: s.values,
      reason: typeof s.reason === "string" ? s.reason : "",
    })),
  };
}

/** Second line of defence: a value bound for an argv that does not match `ARGV_VALUE_PATTERN` is a bug. */
function argvValue(name: string, value: string): string {
  if (!ARGV_VALUE_PATTERN.test(value) || SHELL_METACHARACTERS.test(value)) {
    throw new Error(`internal error: ${name} value ${JSON.stringify(value)} is not safe to pass to helm or kubectl`);
  }
  return value;
}

/** The executor input (`plan.json`) of validated data. */
function executorInput(d: InputData): ExecutorInput {
  const m = d.migration;
  argvValue("releaseName", d.releaseName);
  argvValue("namespace", d.namespace);
  for (const s of d.steps) {
    for (const field of ["version", "tag", "chart", "repository"] as const) argvValue(`steps.${field}`, s[field]);
  }
  return {
    format: EXECUTOR_INPUT_FORMAT,
    releaseName: d.releaseName,
    namespace: d.namespace,
    targetVersion: d.targetVersion,
    ...(d.expectedFrom ? { expectedFrom: d.expectedFrom } : {}),
    includesFinalStep: d.includesFinalStep,
    rollbackOnFailure: d.rollbackOnFailure,
    allowExistingData: d.allowExistingData,
    stepTimeoutSeconds: d.stepTimeoutSeconds,
    minHelm: MIN_EXECUTOR_HELM,
    planMode: d.planMode,
    planMessageQueue: d.planMessageQueue,
    operation: d.operation,
    ...(m ? { migration: { ...m, names: migrationObjectNames(d.releaseName), files: { ...MIGRATION_FILES } } } : {}),
    steps: d.steps.map((s, i) => ({
      index: i + 1,
      version: s.version,
      tag: s.tag,
      chart: s.chart,
      repository: s.repository,
      action: s.action,
      mixCoordinator: s.mixCoordinator,
      valuesFile: stepValuesFile(i + 1),
      label: `${s.version} (chart ${s.chart})`,
      reason: oneLine(s.reason),
    })),
  };
}

/**
 * Extra run time of a migration step beyond its helm upgrade and gate: stop (pods, sessions), backup, a restore before
 * a retry, migrate (each Job its deadline plus 60 s), and a rollback (stop, restore, helm rollback, gate).
 */
function migrationSeconds(t: number, sessionWait: number): number {
  return t + sessionWait + 3 * (t + 60) + t + sessionWait + (t + 60) + t + t;
}

/** One line of printable ASCII, for comments. */
function oneLine(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, " ").trim();
}

function renderValuesFile(step: InputData["steps"][number], index: number, count: number): string {
  // YAML 1.1 quoting: helm reads values with a YAML 1.1 parser, which takes an unquoted yes/on/y as a boolean.
  // Sorted keys: the same values always give the same file, so the bundle hash follows content, not key order.
  const doc = new (yaml().Document)(step.values, { version: "1.1", sortMapEntries: true });
  doc.commentBefore = [
    ` Step ${index}/${count}: Milvus ${step.version}, chart ${step.chart} (${step.action}), generated by milvus-cluster.`,
    ` Complete values for this chart version: applied with --reset-values, never merged with the release's values.`,
    step.reason ? ` ${oneLine(step.reason)}` : "",
  ]
    .filter((l) => l !== "")
    .join("\n");
  return doc.toString();
}

/** sha256 over the files in name order (names and contents), hex, first 10 characters. */
export function bundleHash(files: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(files).sort()) {
    hash.update(`\0${name}\0`);
    hash.update(files[name]!);
  }
  return hash.digest("hex").slice(0, 10);
}

/**
 * Renders the executor bundle: `plan.json` (the validated, normalized `ExecutorInput`), one complete values file per
 * step (`step-N.yaml`) and, when a step is the 2.1 -> 2.2 metadata migration, its manifests (`migration-*.yaml`).
 * The executor (`runExecutor`, `node executor.cjs`) reads them from one directory; there is no script.
 *
 * What the executor does with them (docs/executor.md; where it runs: docs/executor-runtime.md):
 * - it refuses helm below 3.14 (R-HELM-MIN), and uses `--atomic` (helm 3) or `--rollback-on-failure` (helm 4)
 *   when `rollbackOnFailure` is set; it takes the release's lock (a Lease) or exits RELEASE_LOCKED;
 * - it reads the live release (`helm status -o json`, `helm get values --all -o json`, parsed with JSON.parse): no
 *   release and `includesFinalStep` false exits 0 (the Helm Release resource installs it); no release and
 *   `includesFinalStep` true installs the final step with `helm upgrade --install`; a live release already past every
 *   step exits 0 whatever its status; a `pending-*` release fails with the exact recovery command; a `failed` one whose
 *   failed revision is the next step is upgraded again, any other fails with guidance unless `rollbackOnFailure`
 *   (then it resumes from the last deployed revision);
 * - before changing anything it refuses a downgrade (R-DOWNGRADE), a pre-release source (R-PRERELEASE-SOURCE), a
 *   live version that is neither `expectedFrom` nor a version the chain produces, a mode or message-queue change
 *   (R-MODE-KEEP, R-MQ-KEEP), a live queue a remaining step cannot carry (natsmq into 2.6, R-MQ-SUPPORT; the
 *   kafkaesque Pulsar chart of a live chart <= 3.0.10 onto apache Pulsar, R-PULSAR-SUBCHART), and a remaining
 *   `meta-migration` step whose pre-checks fail; versions are ordered as the planner orders them
 *   (`compareVersions`: 2.4.13 < 2.4.13-hotfix < 2.4.14); it says which
 *   user-supplied values `--reset-values` drops;
 * - a remaining `meta-migration` step runs offline (migration-run.ts); `operation: "rollback-migration"` rolls a
 *   recorded migration back instead;
 * - it skips every step already passed (live version above the step, or equal with the same coordinator
 *   topology); the final step (`includesFinalStep`) always runs;
 * - each step is `helm upgrade <rel> milvus --repo <repo>` (or `<oci-url>/milvus`) `--version <chart>
 *   --reset-values -f step-N.yaml --wait --wait-for-jobs --timeout <t>s`, then a health gate: every Milvus
 *   Deployment of the release rolls out, runs the step's image tag, and Milvus answers healthy on `:9091/healthz`.
 *   The live release passes the same gate before the first upgrade.
 *
 * Exit codes: `EXIT_CODES`. Inputs are validated first; invalid options throw `MilvusClusterError` (rule R-INPUT)
 * naming each field.
 *
 * `maxDurationSeconds` is steps x (helm timeout + gate timeout), plus one gate for the live release, plus 120, plus
 * for a migration step its stop, session waits, Jobs and a possible rollback (8 step timeouts, 2 session waits, 240 s).
 * @param opts what to execute and how
 */
export function renderExecutor(opts: ExecutorOptions): ExecutorBundle {
  const data = inputData(opts);
  const files: Record<string, string> = {};
  files[EXECUTOR_INPUT_FILE] = `${JSON.stringify(executorInput(data), null, 2)}\n`;
  data.steps.forEach((s, i) => {
    files[stepValuesFile(i + 1)] = renderValuesFile(s, i + 1, data.steps.length);
  });
  const t = data.stepTimeoutSeconds;
  if (data.migration) {
    Object.assign(files, migrationFiles({ releaseName: data.releaseName, namespace: data.namespace, targetVersion: data.migration.version, jobDeadlineSeconds: t, migration: data.migration }));
  }
  return {
    files,
    hash: bundleHash(files),
    stepSummary: data.steps.map((s) => `${s.version} (chart ${s.chart})`),
    maxDurationSeconds: data.steps.length * (t + t) + t + EXECUTOR_OVERHEAD_SECONDS + (data.migration ? migrationSeconds(t, data.migration.sessionWaitSeconds) : 0),
    includesMigration: data.migration !== undefined,
  };
}
