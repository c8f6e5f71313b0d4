import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { yaml } from "../util/lazy-yaml";
import { isPlainObject } from "../values/merge";
import type { ClusterClient } from "./cluster-client";
import { checkClusterIdentity } from "./connection";
import { EXECUTOR_INPUT_FILE, EXECUTOR_INPUT_FORMAT, type ExecutorContext, type ExecutorInput, type ExecutorStepInput, type HelmFlavour, type LiveRelease, type MigrationRun, type RunProgress } from "./context";
import { checkLive, checkQueueCarried, checkTopology, compareMilvus, decideRemainingSteps, formatDuration, isRetryOfNextStep, type StepDecision } from "./decide";
import { ExecutorExit } from "./exit";
import { type HealthCheckPath, healthGate } from "./health";
import { detectHelm, helmUpgradeArgs } from "./helm";
import { lastGoodRevision, liveChartVersion, liveRelease, pastEveryStep, readHistory, readStatus, readUserValues, readValues, versionOfTag } from "./live";
import { ReleaseLock } from "./lock";
import { migrationOf, migrationRun } from "./migration-run";
import type { Reporter } from "./reporter";
import { droppedKeys } from "./reset-drops";
import { EXIT_CODES } from "./script";

/*
 * The executor's core flow, a state machine over the live release:
 *
 *   setup (plan.json, helm version) -> lock (the release's Lease) -> readLiveState (helm status, values, history)
 *   -> decideRemainingSteps (refusals first, then run/skip per step, pre-checks of every step that runs)
 *   -> runStep (helm upgrade, or the metadata migration) -> healthGate (rollout, image tag, /healthz) -> next step
 *
 * Every refusal happens before anything changes; after any failure the next run reads the live release again and
 * resumes at the right step. The metadata migration (2.1 -> 2.2) is migration-run.ts.
 */

/** Options of `runExecutor`. */
export interface RunExecutorOptions {
  /** Directory holding `plan.json`, the values files and the migration manifests. */
  readonly dir: string;
  /** The way to the cluster (`ProcessClusterClient` for the real binaries). */
  readonly client: ClusterClient;
  /** Where progress, notes and the final error go. */
  readonly reporter: Reporter;
  /** Read the live release and print what would run; change nothing (not even the lock). @default false */
  readonly dryRun?: boolean;
  /** Identity written into the release's Lease. @default the pod name, or host and pid */
  readonly holder?: string;
  /**
   * How the health gate asks Milvus's `/healthz`: `proxy` (through the API server, from outside the cluster) or
   * `service` (the Service directly, from a pod inside the cluster: the Job).
   * @default "proxy"
   */
  readonly healthCheck?: HealthCheckPath;
  /**
   * `metadata.uid` of the kube-system Namespace of the cluster this run must reach (Pulumi's local executor passes the
   * provider's): checked first, before the plan's helm calls and the lock; another cluster is WRONG_CLUSTER.
   * @default no check
   */
  readonly expectedClusterUid?: string;
}

/** Label selector of the Milvus component Deployments of a release; Attu and CDC run images with their own tags. */
export function milvusSelector(releaseName: string): string {
  return `app.kubernetes.io/instance=${releaseName},app.kubernetes.io/name=milvus,component!=attu,component!=cdc`;
}

/**
 * Runs the executor on the bundle in `dir` and returns its exit code (`EXIT_CODES`): `ExecutorExit` ends the run
 * with its code and message; any other error is UNEXPECTED (1). The release's lock is always released at the end.
 */
export async function runExecutor(opts: RunExecutorOptions): Promise<number> {
  const { reporter } = opts;
  try {
    await new Executor(opts).run();
    return EXIT_CODES.SUCCESS;
  } catch (e) {
    if (e instanceof ExecutorExit) {
      reporter.error(e.message);
      return e.exitCode;
    }
    reporter.error(`unexpected failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return EXIT_CODES.UNEXPECTED;
  }
}

/** Reads and checks `plan.json`. */
export async function readExecutorInput(dir: string): Promise<ExecutorInput> {
  const file = join(dir, EXECUTOR_INPUT_FILE);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `executor input ${file} cannot be read (${(e as Error).message}); set MILVUS_EXECUTOR_DIR (or --dir) to the directory of the bundle`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `executor input ${file} is not JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(input) || input.format !== EXECUTOR_INPUT_FORMAT || !Array.isArray(input.steps) || input.steps.length === 0 || typeof input.releaseName !== "string" || typeof input.namespace !== "string") {
    throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `executor input ${file} is not a plan of format ${EXECUTOR_INPUT_FORMAT}; render it again with this version of milvus-cluster (renderExecutor)`);
  }
  return input as unknown as ExecutorInput;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

class Executor {
  private readonly opts: RunExecutorOptions;
  private readonly client: ClusterClient;
  private readonly reporter: Reporter;
  private readonly migration: MigrationRun;
  private ctx!: ExecutorContext;
  private lock: ReleaseLock | undefined;
  private readonly stepValues = new Map<number, Record<string, unknown>>();

  constructor(opts: RunExecutorOptions) {
    this.opts = opts;
    this.client = opts.client;
    this.reporter = opts.reporter;
    this.migration = migrationRun;
  }

  private get input(): ExecutorInput {
    return this.ctx.input;
  }

  private say(line: string): void {
    this.reporter.progress(line);
  }

  private valuesPath(step: ExecutorStepInput): string {
    return join(this.opts.dir, step.valuesFile);
  }

  /** The step's values (its file, parsed once), for the reset report and the health gate's Service name. */
  private async valuesOf(step: ExecutorStepInput): Promise<Record<string, unknown>> {
    let v = this.stepValues.get(step.index);
    if (!v) {
      const parsed: unknown = yaml().parse(await readFile(this.valuesPath(step), "utf8"), { version: "1.1" });
      v = isPlainObject(parsed) ? parsed : {};
      this.stepValues.set(step.index, v);
    }
    return v;
  }

  async run(): Promise<void> {
    const started = this.client.now();
    const input = await readExecutorInput(this.opts.dir);
    if (this.opts.expectedClusterUid !== undefined) await checkClusterIdentity(this.client, this.opts.expectedClusterUid);
    const helm = await detectHelm(this.client, input.minHelm);
    this.ctx = this.context(input, helm, started);
    if (input.operation === "rollback-migration") {
      await this.withLock(() => this.migration.rollbackMigration(this.ctx));
      return;
    }
    this.reporter.note(`helm ${helm.version}; release ${input.releaseName} in namespace ${input.namespace}; target Milvus ${input.targetVersion}; ${input.steps.length} step(s)`);
    await this.withLock(() => this.upgrade());
  }

  private context(input: ExecutorInput, helm: HelmFlavour, startedAt: number): ExecutorContext {
    const progress: RunProgress = { currentVersion: "", currentTag: "", stepRan: false };
    const ctx: ExecutorContext = {
      client: this.client,
      reporter: this.reporter,
      input,
      dir: this.opts.dir,
      dryRun: this.opts.dryRun === true,
      stepTimeoutSeconds: input.stepTimeoutSeconds,
      helm,
      startedAt,
      selector: milvusSelector(input.releaseName),
      healthCheck: this.opts.healthCheck ?? "proxy",
      progress,
      helmUpgrade: (step, o) => this.helmUpgrade(step, o),
      healthGate: async (tag, what) => {
        await this.lock?.checkpoint(this.client.now());
        const step = input.steps.find((s) => s.tag === tag);
        const values = step && (await exists(this.valuesPath(step))) ? await this.valuesOf(step) : ctx.live?.values;
        await healthGate(ctx, tag, what, values);
      },
      readStatus: () => readStatus(ctx),
      elapsed: (since = startedAt) => formatDuration((this.client.now() - since) / 1000),
    };
    return ctx;
  }

  /** Runs `body` holding the release's Lease (a dry run only reads it). */
  private async withLock(body: () => Promise<void>): Promise<void> {
    const lock = new ReleaseLock(this.client, this.input, this.opts.holder ? { holder: this.opts.holder } : {});
    if (this.ctx.dryRun) {
      const held = await lock.peek(this.client.now());
      if (held) this.reporter.note(`${held} (a dry run takes no lock)`);
      await body();
      return;
    }
    await lock.acquire(this.client.now());
    this.lock = lock;
    lock.startRenewing(() => this.client.now());
    try {
      await body();
    } finally {
      this.lock = undefined;
      await lock.release(this.client.now()).catch(() => undefined);
    }
  }

  async helmUpgrade(step: ExecutorStepInput, o: { install?: boolean; noRollback?: boolean } = {}) {
    await this.lock?.checkpoint(this.client.now());
    const args = helmUpgradeArgs(this.input, this.ctx.helm, step, this.valuesPath(step), o);
    this.reporter.note(`helm ${args.join(" ")}`);
    const r = await this.client.helm(args);
    for (const line of `${r.stdout}${r.stderr}`.split("\n")) if (line.trim() !== "") this.reporter.note(line);
    if (r.code === 0) this.ctx.progress.stepRan = true;
    return r;
  }

  private async gate(tag: string, what: string, values: unknown): Promise<void> {
    await this.lock?.checkpoint(this.client.now());
    await healthGate(this.ctx, tag, what, values);
  }

  // ------------------------------------------------------------------ readLiveState

  /** The state machine of an upgrade. */
  private async upgrade(): Promise<void> {
    const input = this.input;
    const status = await readStatus(this.ctx);
    if (!status) return this.noRelease();

    // Nothing to do: the latest revision, whatever its status, is already past every step.
    const latest = await readValues(this.ctx);
    const latestVersion = versionOfTag(latest.tag);
    if (latestVersion !== undefined && compareMilvus(latestVersion, input.targetVersion) <= 0 && pastEveryStep(this.ctx, latestVersion)) {
      const live = liveRelease(this.ctx, status, latest);
      checkTopology(input, live);
      this.ctx.live = live;
      for (const s of input.steps) this.say(`[${s.index}/${input.steps.length}] ${s.label} ... skipped (live ${latestVersion} already passed)`);
      this.say(`nothing to do: live Milvus ${latestVersion} (revision ${status.revision}, ${status.status}) has passed every step${input.includesFinalStep ? "" : `; the Helm Release performs the final upgrade to ${input.targetVersion}`}`);
      return;
    }

    const live = await this.liveFromStatus(status, latest);
    checkLive(input, live);
    this.ctx.live = live;
    this.reporter.note(`live: Milvus ${live.version}, revision ${live.revision} (${live.status}), ${live.mode}, message queue ${live.messageQueue}, mixCoordinator ${live.mixCoordinator}`);
    this.ctx.progress.currentVersion = live.version;
    this.ctx.progress.currentTag = live.tag;
    const mig = input.migration;
    if (mig && compareMilvus(live.version, mig.version) <= 0) await this.migration.readMigrationState(this.ctx);

    // decideRemainingSteps: every step first, so a step that cannot run is refused before anything changes.
    const decisions = this.decide(live);
    await this.checkQueue(live, decisions);
    let toRun = 0;
    let cur = live.version;
    for (const step of input.steps) {
      if (decisions[step.index - 1] !== "run") continue;
      await this.checkRunnable(step, cur);
      cur = step.version;
      toRun++;
    }
    const firstToRun = input.steps.find((s) => decisions[s.index - 1] === "run");
    if (firstToRun) await this.reportResetDrops(firstToRun);

    if (this.ctx.dryRun) return this.dryRun(live, decisions, toRun);

    let preflight = live.status === "deployed";
    for (const step of input.steps) {
      const n = `${step.index}/${input.steps.length}`;
      if (decisions[step.index - 1] === "skip") {
        this.say(`[${n}] ${step.label} ... skipped (live ${live.version} already passed)`);
        continue;
      }
      if (preflight) {
        preflight = false;
        if (mig && this.migration.migrationInProgress(this.ctx)) {
          this.reporter.note(`a metadata migration of release ${input.releaseName} is under way (ConfigMap ${mig.names.stateConfigMap}): it resumes with its own gates`);
        } else {
          // A run that stopped at a health gate left an unhealthy release behind: never upgrade on top of it.
          await this.gate(live.tag, `before step ${step.index}: the live release (Milvus ${live.version})`, live.values);
        }
      }
      if (this.migrationNeeded(step)) await this.migration.runMigrationStep(this.ctx, step);
      else await this.runStep(step, false);
      this.ctx.progress.currentVersion = step.version;
      this.ctx.progress.currentTag = step.tag;
      this.ctx.progress.stepRan = true;
    }
    const total = `(${this.ctx.elapsed()} in all)`;
    if (toRun === 0) this.say(`nothing to do: live Milvus ${live.version} has passed every step`);
    else if (input.includesFinalStep) this.say(`release ${input.releaseName} is at Milvus ${input.targetVersion} ${total}`);
    else this.say(`intermediate steps done; the Helm Release performs the final upgrade to ${input.targetVersion} ${total}`);
  }

  /** Refuses a live queue a remaining step cannot carry (natsmq into 2.6, the old bundled Pulsar chart): `checkQueueCarried`. */
  private async checkQueue(live: LiveRelease, decisions: readonly StepDecision[]): Promise<void> {
    // The live chart matters only to the bundled Pulsar; helm history is read only when helm status did not name it.
    const pulsar = isPlainObject(live.values.pulsar) && live.values.pulsar.enabled === true;
    const fromStatus = live.valuesRevision === undefined && live.chart !== undefined && live.chart !== "";
    const chart = pulsar ? liveChartVersion(live, fromStatus ? [] : await readHistory(this.ctx)) : "";
    if (pulsar && chart === "") this.reporter.note(`helm did not name the chart of release ${this.input.releaseName}'s live revision; the bundled Pulsar chart it runs is not checked (R-PULSAR-SUBCHART)`);
    checkQueueCarried(this.input, { ...live, chart }, decisions);
  }

  private decide(live: LiveRelease): StepDecision[] {
    return decideRemainingSteps(this.input, live, (v) => this.input.migration !== undefined && this.migration.migrationResumableAt(this.ctx, v));
  }

  /**
   * The live release to plan from, by its status: deployed as it is; pending-* refused with the recovery command;
   * failed resumed from the last deployed revision when its failed revision is the next step (a retry), when the
   * migration's own helm step failed it, or with rollbackOnFailure; refused with guidance otherwise.
   */
  private async liveFromStatus(status: { status: string; revision: number }, latest: Awaited<ReturnType<typeof readValues>>): Promise<LiveRelease> {
    const { releaseName: rel, namespace: ns } = this.input;
    const hasMigration = this.input.migration !== undefined;
    switch (status.status) {
      case "deployed":
        return liveRelease(this.ctx, status, latest);
      case "pending-install":
        throw new ExecutorExit(
          EXIT_CODES.RELEASE_PENDING,
          `release ${rel} is pending-install: an install was interrupted (or is still running) and Helm does not recover it. Nothing was deployed before it. When no other helm operation runs, remove it and re-run: helm uninstall ${rel} -n ${ns}`,
        );
      case "pending-upgrade":
      case "pending-rollback": {
        if (hasMigration && (await this.migrationFailedResumable())) {
          throw new ExecutorExit(EXIT_CODES.RELEASE_PENDING, migrationOf(this.ctx).pendingReleaseMessage(status.status, String(status.revision)));
        }
        const good = lastGoodRevision(await readHistory(this.ctx), status.revision);
        if (good !== undefined) {
          throw new ExecutorExit(
            EXIT_CODES.RELEASE_PENDING,
            `release ${rel} is ${status.status} (revision ${status.revision}): an operation was interrupted (or is still running) and Helm does not recover it. When no other helm operation runs, roll back to the last deployed revision and re-run: helm rollback ${rel} ${good} -n ${ns}`,
          );
        }
        throw new ExecutorExit(EXIT_CODES.RELEASE_PENDING, `release ${rel} is ${status.status} (revision ${status.revision}) and has no earlier deployed revision; inspect it with helm history ${rel} -n ${ns}`);
      }
      case "failed": {
        const history = await readHistory(this.ctx);
        const good = lastGoodRevision(history, status.revision);
        if (good === undefined) throw new ExecutorExit(EXIT_CODES.RELEASE_FAILED, `release ${rel} is failed and has no deployed revision to resume from; inspect it with helm history ${rel} -n ${ns}`);
        if (hasMigration && (await this.migrationFailedResumable())) {
          // Never roll such a release back by hand: the last deployed revision would start the 2.1 image on migrated metadata.
          this.reporter.note(migrationOf(this.ctx).failedReleaseNote(String(status.revision), String(good)));
          return liveRelease(this.ctx, status, await readValues(this.ctx, good), good);
        }
        const candidate = liveRelease(this.ctx, status, await readValues(this.ctx, good), good);
        const failedChart = history.find((e) => e.revision === status.revision)?.chart ?? "";
        const decisions = this.decide(candidate);
        const next = this.input.steps.find((_, i) => decisions[i] === "run");
        if (isRetryOfNextStep(next, failedChart, latest.tag)) {
          this.reporter.note(`release ${rel} is failed (revision ${status.revision}) at step ${next!.index} (${next!.label}); upgrading again from the last deployed revision ${good}`);
          return candidate;
        }
        if (!this.input.rollbackOnFailure) {
          throw new ExecutorExit(
            EXIT_CODES.RELEASE_FAILED,
            `release ${rel} is failed (revision ${status.revision}). Find the cause (helm history ${rel} -n ${ns}), roll back to the last deployed revision and re-run: helm rollback ${rel} ${good} -n ${ns}. With rollbackOnFailure the executor resumes from revision ${good} by itself.`,
          );
        }
        this.reporter.note(`release ${rel} is failed (revision ${status.revision}); resuming from the last deployed revision ${good} (rollbackOnFailure)`);
        return candidate;
      }
      default:
        throw new ExecutorExit(EXIT_CODES.RELEASE_FAILED, `release ${rel} is ${status.status}; the executor upgrades only a deployed release. Inspect it with helm history ${rel} -n ${ns}`);
    }
  }

  private async migrationFailedResumable(): Promise<boolean> {
    return this.migration.migrationFailedReleaseResumable(this.ctx);
  }

  /** The step is the migration and the release needs it: below its version, or a migration to it is under way. */
  private migrationNeeded(step: ExecutorStepInput): boolean {
    if (step.action !== "meta-migration" || this.ctx.live === undefined) return false;
    const cur = this.ctx.progress.currentVersion;
    if (compareMilvus(cur, step.version) < 0) return true;
    return this.migration.migrationResumableAt(this.ctx, cur);
  }

  /** Refuses before anything changes when a step cannot run: its values file is missing, or the migration's pre-checks fail. */
  private async checkRunnable(step: ExecutorStepInput, currentVersion: string): Promise<void> {
    const file = this.valuesPath(step);
    if (!(await exists(file))) throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `values file ${file} is missing; set MILVUS_EXECUTOR_DIR to the directory holding step-N.yaml`);
    const saved = this.ctx.progress.currentVersion;
    this.ctx.progress.currentVersion = currentVersion;
    try {
      if (this.migrationNeeded(step)) await this.migration.migrationPrecheck(this.ctx, step);
    } finally {
      this.ctx.progress.currentVersion = saved;
    }
  }

  /** "Say what a reset drops": the user-supplied values `--reset-values` with the first step's file will not keep. */
  private async reportResetDrops(step: ExecutorStepInput): Promise<void> {
    const user = await readUserValues(this.ctx);
    if (user === undefined) {
      this.reporter.note("the release's user-supplied values cannot be read (helm get values); not compared with the step's values");
      return;
    }
    const dropped = droppedKeys(user, await this.valuesOf(step));
    if (dropped.length === 0) return;
    this.reporter.note(
      `--reset-values drops these user-supplied values of release ${this.input.releaseName}, which step ${step.index} (${step.label}) does not set: ${dropped.join(", ")}. Keep one by setting it in the spec (e.g. extraValues); the release's current values: helm get values ${this.input.releaseName} -n ${this.input.namespace}`,
    );
  }

  private async dryRun(live: LiveRelease, decisions: readonly StepDecision[], toRun: number): Promise<void> {
    const input = this.input;
    for (const step of input.steps) {
      const n = `${step.index}/${input.steps.length}`;
      const d = decisions[step.index - 1];
      if (d === "skip") this.say(`[${n}] ${step.label} ... would skip (live ${live.version} already passed)`);
      else if (this.migrationNeeded(step)) await this.migration.migrationDryRun(this.ctx, step);
      // The release exists here, so every step is a helm upgrade (an install step only installs a missing release).
      else this.say(`[${n}] ${step.label} ... would run: helm upgrade ${input.releaseName} to chart ${step.chart} with ${this.valuesPath(step)}, then the health gate (rollout, image tag ${step.tag}, Milvus /healthz on port 9091)`);
      if (d === "run") this.ctx.progress.currentVersion = step.version;
    }
    this.say(`dry run: nothing changed (live Milvus ${live.version}, ${toRun} step(s) to run)`);
  }

  /** One helm step: helm upgrade, health gate, one progress line. */
  private async runStep(step: ExecutorStepInput, install: boolean): Promise<void> {
    const started = this.client.now();
    const r = await this.helmUpgrade(step, { install });
    const rel = this.input.releaseName;
    if (r.code !== 0) {
      if (this.input.rollbackOnFailure) {
        throw new ExecutorExit(EXIT_CODES.HELM_UPGRADE_FAILED, `helm upgrade to ${step.label} failed (helm's output above); with rollbackOnFailure helm rolls the release back to the previous revision. Fix the cause and re-run: the executor resumes at step ${step.index}.`);
      }
      throw new ExecutorExit(
        EXIT_CODES.HELM_UPGRADE_FAILED,
        `helm upgrade to ${step.label} failed (helm's output above). The release may now be failed: fix the cause and re-run, and the executor upgrades again from the last deployed revision (it resumes at step ${step.index}); or inspect it with helm history ${rel} -n ${this.input.namespace} and roll back with helm rollback ${rel} <last deployed revision> -n ${this.input.namespace}.`,
      );
    }
    await this.gate(step.tag, `step ${step.index}/${this.input.steps.length} (${step.label})`, await this.valuesOf(step));
    this.say(`[${step.index}/${this.input.steps.length}] ${step.label} ... done in ${formatDuration((this.client.now() - started) / 1000)}`);
  }

  // ------------------------------------------------------------------ no release

  private async noRelease(): Promise<void> {
    const input = this.input;
    await this.checkOrphanedData();
    if (!input.includesFinalStep) {
      this.say("no release yet; the Helm Release resource installs it");
      return;
    }
    const count = input.steps.length;
    for (const s of input.steps.slice(0, -1)) this.say(`[${s.index}/${count}] ${s.label} ... skipped (no release yet: installing ${input.targetVersion} directly)`);
    const last = input.steps[count - 1]!;
    await this.checkRunnable(last, last.version);
    if (this.ctx.dryRun) {
      this.say(`[${count}/${count}] ${last.label} ... would install: helm upgrade --install ${input.releaseName} with ${this.valuesPath(last)} (dry run; no release ${input.releaseName} in namespace ${input.namespace})`);
      return;
    }
    this.reporter.note(`release ${input.releaseName} does not exist in namespace ${input.namespace}; installing Milvus ${last.version}`);
    await this.runStep(last, true);
    this.say(`release ${input.releaseName} installed at Milvus ${last.version} (${this.ctx.elapsed()} in all)`);
  }

  /**
   * No release, but maybe its volumes: an uninstalled release leaves its etcd/MinIO/Pulsar claims behind, holding data
   * of a Milvus version nobody can see any more. Installing any version on top of it can lose that data.
   */
  private async checkOrphanedData(): Promise<void> {
    const input = this.input;
    if (input.allowExistingData) return;
    const found = new Set<string>();
    for (const selector of [`app.kubernetes.io/instance=${input.releaseName}`, `release=${input.releaseName}`]) {
      const r = await this.client.kubectl(["get", "persistentvolumeclaims", "-n", input.namespace, "-l", selector, "-o", "name"]);
      if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `listing the volume claims of release ${input.releaseName} failed: ${r.stderr.trim()}`);
      for (const line of r.stdout.split("\n")) if (line.trim() !== "") found.add(line.trim());
    }
    if (found.size > 0) {
      throw new ExecutorExit(
        EXIT_CODES.ORPHANED_DATA,
        `release ${input.releaseName} does not exist in namespace ${input.namespace}, but its volume claims remain: ${[...found].sort().join(" ")}. They hold data of a Milvus version that cannot be read any more; installing ${input.targetVersion} on them can lose it. Reinstall the version that wrote the data and upgrade from there, or delete the claims if the data is not needed (allowExistingData installs anyway).`,
      );
    }
  }
}
