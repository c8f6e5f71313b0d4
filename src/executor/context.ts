import type { StepAction } from "../plan/types";
import type { ClusterClient, CommandResult } from "./cluster-client";
import type { HealthCheckPath } from "./health";
import type { MIGRATION_FILES, MigrationObjectNames, ResolvedMigration } from "./migration";
import type { Reporter } from "./reporter";
import type { ExecutorOperation } from "./types";

/*
 * The shared vocabulary of the executor: what `renderExecutor` writes into `plan.json` (`ExecutorInput`), what the
 * executor knows about the live release (`LiveRelease`), and the context every phase receives (`ExecutorContext`).
 * The core flow (run.ts) and the metadata migration (migration-run.ts) are both written against these types.
 */

/** File name of the executor input in a bundle (next to the `step-N.yaml` values files and the migration manifests). */
export const EXECUTOR_INPUT_FILE = "plan.json";

/** Format of `plan.json`; an executor refuses an input of another format (exit SETUP_FAILED). */
export const EXECUTOR_INPUT_FORMAT = 1;

/** One step as the executor runs it: everything of an `UpgradeStep` but its values, which live in `valuesFile`. */
export interface ExecutorStepInput {
  /** 1-based position in the chain. */
  readonly index: number;
  /** Milvus version the step deploys, normalized (no leading v), e.g. "2.5.16". */
  readonly version: string;
  /** Image tag the step's Deployments must run (`image.all.tag` of its values), e.g. "v2.5.16". */
  readonly tag: string;
  /** Chart version, e.g. "4.2.58". */
  readonly chart: string;
  /** Chart repository without a trailing slash: an https repository, or an `oci://` path (the chart is `<repo>/milvus`). */
  readonly repository: string;
  /** What the step does. */
  readonly action: StepAction;
  /** Whether the step's values enable `mixCoordinator` (the topology a step at the same version must match). */
  readonly mixCoordinator: boolean;
  /** File name of the step's complete values in the bundle, e.g. "step-1.yaml". */
  readonly valuesFile: string;
  /** "2.5.16 (chart 4.2.58)", the step in progress lines. */
  readonly label: string;
  /** Why the plan contains the step (one line, may be empty). */
  readonly reason: string;
}

/** The metadata migration settings of an input whose steps contain a `meta-migration` step. */
export interface ExecutorMigrationInput extends ResolvedMigration {
  /** Milvus version the migration produces (the migration step's version), e.g. "2.2.0". */
  readonly version: string;
  /** Names of the migration objects of the release. */
  readonly names: MigrationObjectNames;
  /** File names of the migration manifests in the bundle. */
  readonly files: typeof MIGRATION_FILES;
}

/**
 * `plan.json`: the validated, normalized executor input written by `renderExecutor`. Every string in it was checked
 * against a strict pattern by the generator; the executor still only ever passes them as argv elements or writes
 * them into files, never into a shell.
 */
export interface ExecutorInput {
  /** `EXECUTOR_INPUT_FORMAT`. */
  readonly format: typeof EXECUTOR_INPUT_FORMAT;
  /** Helm release name (DNS-1123 label). */
  readonly releaseName: string;
  /** Release namespace (DNS-1123 label). */
  readonly namespace: string;
  /** Target Milvus version, normalized. */
  readonly targetVersion: string;
  /** Refuse unless the live release runs this version or one a step produces. @default unset */
  readonly expectedFrom?: string;
  /** Whether the last step is the final target step (run as `helm upgrade --install`). */
  readonly includesFinalStep: boolean;
  /** helm 3 `--atomic` / helm 4 `--rollback-on-failure` on every helm step but the migration's. */
  readonly rollbackOnFailure: boolean;
  /** Install over leftover volume claims of a missing release. */
  readonly allowExistingData: boolean;
  /** Timeout of each helm upgrade and each health gate, in seconds. */
  readonly stepTimeoutSeconds: number;
  /** Oldest helm the executor runs with (R-HELM-MIN), e.g. "3.14.0". */
  readonly minHelm: string;
  /** Mode the plan's values select. */
  readonly planMode: "cluster" | "standalone";
  /** Message queue signature the plan's values select (see `messageQueueOfValues`), e.g. "pulsarv3". */
  readonly planMessageQueue: string;
  /** Run the chain, or roll a recorded metadata migration back. */
  readonly operation: ExecutorOperation;
  /** Settings of the metadata migration, when a step is a `meta-migration`. @default unset */
  readonly migration?: ExecutorMigrationInput;
  /** The steps, in order (at least one). */
  readonly steps: readonly ExecutorStepInput[];
}

/** The helm the executor runs: its version and the flags that depend on it. */
export interface HelmFlavour {
  /** `helm version --template '{{.Version}}'`, e.g. "v3.17.3". */
  readonly version: string;
  /** Major version: 3 or 4 (a later major is treated as 4). */
  readonly major: 3 | 4;
  /** The flag that rolls a failed upgrade back: helm 3 `--atomic`, helm 4 `--rollback-on-failure`. */
  readonly rollbackFlag: "--atomic" | "--rollback-on-failure";
}

/** `helm status` of the release, as far as the executor uses it. */
export interface ReleaseStatus {
  /** `info.status`: deployed, failed, pending-install, pending-upgrade, pending-rollback, superseded, uninstalling, ... */
  readonly status: string;
  /** The latest revision (helm's `version`). */
  readonly revision: number;
  /**
   * Chart version of the latest revision (`chart.metadata.version` of `helm status -o json`, e.g. "3.0.10").
   * @default unset: helm printed no Milvus chart version
   */
  readonly chart?: string;
}

/** The live release as read before the first step (helm status, helm get values --all). */
export interface LiveRelease extends ReleaseStatus {
  /** Revision the values were read from: the latest, or the last deployed one when resuming past a failed revision. @default the latest */
  readonly valuesRevision?: number;
  /** Computed values of that revision (`helm get values --all -o json`, parsed with JSON.parse). */
  readonly values: Readonly<Record<string, unknown>>;
  /** `image.all.tag` of those values, e.g. "v2.5.8". */
  readonly tag: string;
  /** The Milvus version it runs (the tag without its leading v). */
  readonly version: string;
  /** `cluster.enabled: false` is standalone, anything else cluster. */
  readonly mode: "cluster" | "standalone";
  /** Message queue signature of the live values. */
  readonly messageQueue: string;
  /** `mixCoordinator.enabled` of the live values (the nested key, never a literal dotted key). */
  readonly mixCoordinator: boolean;
}

/** What the run has done so far; updated by the core flow after each step (the migration reads it). */
export interface RunProgress {
  /** Milvus version the release runs now (the live version, then each finished step's). */
  currentVersion: string;
  /** Image tag the release runs now. */
  currentTag: string;
  /** Whether a step changed the release in this run (then the helm revision must be read again). */
  stepRan: boolean;
}

/** Options of one `helm upgrade` of a step. */
export interface HelmUpgradeOptions {
  /** Add `--install` (the fresh install of the final step). @default false */
  readonly install?: boolean;
  /** Leave out helm's own rollback even with `rollbackOnFailure` (the migration's helm step). @default false */
  readonly noRollback?: boolean;
}

/**
 * What every phase of the executor receives. Built once by `runExecutor` after reading `plan.json` and detecting helm;
 * `live` and `progress` are filled in as the run goes. Throw `ExecutorExit` to end the run with a documented code.
 */
export interface ExecutorContext {
  /** The only way to the cluster. */
  readonly client: ClusterClient;
  /** Progress lines, notes and the final error. */
  readonly reporter: Reporter;
  /** The parsed `plan.json`. */
  readonly input: ExecutorInput;
  /** Directory holding `plan.json`, the values files and the migration manifests. */
  readonly dir: string;
  /** Read the live release and print what would run; change nothing. */
  readonly dryRun: boolean;
  /** Timeout of each helm upgrade and each health gate, in seconds (`input.stepTimeoutSeconds`). */
  readonly stepTimeoutSeconds: number;
  /** The helm binary's version and flags. */
  readonly helm: HelmFlavour;
  /** `client.now()` when the run started, for elapsed times in progress lines. */
  readonly startedAt: number;
  /** Label selector of the release's Milvus component Deployments and pods (Attu and CDC excluded). */
  readonly selector: string;
  /** How the health gate asks `/healthz`: the API server's service proxy, or the Service directly (in the cluster). */
  readonly healthCheck: HealthCheckPath;
  /** The live release once read; unset when it does not exist (or before it was read). */
  live?: LiveRelease;
  /** What the run has done so far. */
  readonly progress: RunProgress;
  /** Runs `helm upgrade` of `step` with its values file, `--reset-values --wait --wait-for-jobs --timeout <t>s`; its output goes to the reporter. */
  helmUpgrade(step: ExecutorStepInput, opts?: HelmUpgradeOptions): Promise<CommandResult>;
  /**
   * Health gate: every Milvus Deployment of the release rolls out and runs an image tagged `tag`, and Milvus answers
   * healthy on `:9091/healthz`, within the step timeout; else throws `ExecutorExit(HEALTH_GATE_FAILED)` whose
   * message starts with `what`.
   */
  healthGate(tag: string, what: string): Promise<void>;
  /** helm status of the release, or undefined when it does not exist; throws LIVE_STATE_UNREADABLE otherwise. */
  readStatus(): Promise<ReleaseStatus | undefined>;
  /** Elapsed time of the run, e.g. "1m12s". */
  elapsed(since?: number): string;
}

/**
 * What the core flow calls of the metadata migration (implemented in `migration-run.ts`). Each function may throw
 * `ExecutorExit` with one of the migration exit codes (26, 32, 40-45).
 */
export interface MigrationRun {
  /** Reads the state ConfigMap once (the shell's `mig_read_state`); later calls reuse it. */
  readMigrationState(ctx: ExecutorContext): Promise<void>;
  /** A migration of this release started and neither completed nor was rolled back (`mig_in_progress`; after readMigrationState). */
  migrationInProgress(ctx: ExecutorContext): boolean;
  /** A migration to `version` got past its migrate phase and did not complete (`mig_resumable_at`). */
  migrationResumableAt(ctx: ExecutorContext, version: string): boolean;
  /** The live release is failed/pending because of the migration's own helm step, which a re-run repeats (`mig_failed_release_resumable`). */
  migrationFailedReleaseResumable(ctx: ExecutorContext): Promise<boolean>;
  /** Every pre-check before anything changes (`mig_precheck`; exit 26). */
  migrationPrecheck(ctx: ExecutorContext, step: ExecutorStepInput): Promise<void>;
  /** Prints the phases the migration step would run (`mig_dry_run`). */
  migrationDryRun(ctx: ExecutorContext, step: ExecutorStepInput): Promise<void>;
  /** Runs the migration step (`mig_run_step`). */
  runMigrationStep(ctx: ExecutorContext, step: ExecutorStepInput): Promise<void>;
  /** The rollback operation (`mig_rollback_operation`); returns normally on success (exit 0). */
  rollbackMigration(ctx: ExecutorContext): Promise<void>;
}
