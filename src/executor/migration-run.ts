import { access } from "node:fs/promises";
import { join } from "node:path";
import { parseMilvusVersion } from "../versions/versions";
import type { ClusterClient } from "./cluster-client";
import type { ExecutorContext, ExecutorMigrationInput, ExecutorStepInput, MigrationRun } from "./context";
import { compareMilvus } from "./decide";
import { ExecutorExit } from "./exit";
import { MIGRATION_FILES, type MigrationObjectNames } from "./migration";
import {
  annotateArgs,
  formatReplicas,
  isValidRuntimeValue,
  type MigrationState,
  parseMigrationState,
  type RecordedReplicas,
  type StateMarks,
} from "./migration-state";
import { asRecord, getPathValue, isNotFound, itemsOf, MigrationCluster, nameOf, PhaseProblem, trimmed } from "./migration-cluster";
import type { Reporter } from "./reporter";
import { EXIT_CODES } from "./script";

/*
 * The offline metadata migration Milvus 2.1.x -> 2.2.x (R-META-MIGRATION) and its rollback, run by the executor's
 * core flow (run.ts) where a remaining step is the `meta-migration` step:
 *
 *   pre-checks (before anything changes, exit 26): the bundle's manifests, at least one Milvus Deployment, none scaled
 *   by a HorizontalPodAutoscaler, the release's root path, an etcd endpoint (given, from externalEtcd of the live
 *   values, or the release's etcd Service), a StorageClass (given and existing, or a default one);
 *   1/5 record the replicas and the source (version, helm revision, image tag) in the state ConfigMap;
 *   2/5 stop: delete a migration Job an interrupted run left active, scale every Milvus Deployment to 0, wait until no
 *       pod is left, wait until no session key is left in etcd (etcdctl in the etcd pod; a fixed wait otherwise);
 *   3/5 back up the metadata into the PVC (a Job; done once, a re-run skips it);
 *   4/5 migrate (a Job; after an interrupted or failed migrate the backup is restored first);
 *   5/5 helm upgrade to the 2.2 chart (never with helm's own rollback), restore the replicas, health gate.
 *
 * Each finished phase is an annotation of the state ConfigMap; a re-run skips what is recorded. A failure before the
 * metadata changed restarts the source version (exit 40 or 44); after it, the automatic rollback (exit 41, or 42
 * with `migration.rollbackOnFailure` off, 43 when the rollback fails) restores the metadata from the backup, rolls
 * the release back to the recorded revision, restores the replicas and gates on the source image tag. The requested
 * rollback (`operation: rollback-migration`) runs the same rollback (45 when there is nothing to restore).
 *
 * This file is the flow, its decisions and its messages; the cluster operations of the phases (stop, Jobs, replicas,
 * tool configs) are migration-cluster.ts, the state record's pure parts migration-state.ts. Every cluster call is
 * `client.kubectl/helm` with an argument array; manifests come from the bundle's files (the ones without
 * placeholders as `-f <file>`, the others filled in and written as JSON on stdin); every answer is `-o json` read
 * with JSON.parse; every wait uses `client.sleep` and `client.now`.
 */

/** MAJOR.MINOR.PATCH of a version, without a leading v, a -suffix or a +build (what the state records). */
function versionCore(v: string): string {
  const sv = parseMilvusVersion(v).semver;
  return `${sv.major}.${sv.minor}.${sv.patch}`;
}

function etcdSelector(release: string): string {
  return `app.kubernetes.io/instance=${release},app.kubernetes.io/name=etcd`;
}

/**
 * One metadata migration of one release: the state read once from the cluster, the pre-checks, the step, the dry run
 * and the rollback. The core flow creates one per run when the plan has a `meta-migration` step.
 */
export class MetadataMigration {
  /** Names of the migration objects of the release. */
  readonly names: MigrationObjectNames;
  private readonly ctx: ExecutorContext;
  private readonly client: ClusterClient;
  private readonly reporter: Reporter;
  private readonly release: string;
  private readonly ns: string;
  private readonly settings: ExecutorMigrationInput;
  private readonly cluster: MigrationCluster;
  private stateRead = false;
  private recorded: MigrationState | undefined;
  private prechecked = false;
  private deployments: RecordedReplicas[] = [];
  private etcdEndpoint = "";
  private etcdSource = "";
  private etcdPod = "";
  private storageNote = "";
  private source = { version: "", revision: "", tag: "" };
  private startedAt = 0;
  private liveValues: unknown = {};

  /** @param ctx the run's context; its input must have `migration` (a `meta-migration` step) */
  constructor(ctx: ExecutorContext) {
    const m = ctx.input.migration;
    if (!m) throw new ExecutorExit(EXIT_CODES.UNEXPECTED, "internal error: the plan has no metadata migration settings");
    this.ctx = ctx;
    this.client = ctx.client;
    this.reporter = ctx.reporter;
    this.release = ctx.input.releaseName;
    this.ns = ctx.input.namespace;
    this.settings = m;
    this.names = m.names;
    this.cluster = new MigrationCluster({
      client: ctx.client,
      reporter: ctx.reporter,
      dir: ctx.dir,
      release: ctx.input.releaseName,
      namespace: ctx.input.namespace,
      selector: ctx.selector,
      names: m.names,
      rootPath: m.rootPath,
      sessionWaitSeconds: m.sessionWaitSeconds,
      stepTimeoutSeconds: ctx.stepTimeoutSeconds,
    });
  }

  /** The recorded state, once `readState` found the ConfigMap. */
  get state(): MigrationState | undefined {
    return this.recorded;
  }

  private elapsed(): string {
    return this.ctx.elapsed(this.startedAt);
  }

  /** One progress line of a phase, with the time since the migration step started. */
  private phase(line: string): void {
    this.reporter.progress(`      ${line} [${this.elapsed()}]`);
  }

  // ------------------------------------------------------------------ state

  /**
   * Reads the state ConfigMap once (`mig_read_state`): absent is no migration recorded; unreadable or invalid
   * content ends the run with exit 32 (LIVE_STATE_UNREADABLE).
   */
  async readState(): Promise<void> {
    if (this.stateRead) return;
    this.stateRead = true;
    this.recorded = undefined;
    const r = await this.cluster.kubectlJson(["get", "configmap", this.names.stateConfigMap, "-n", this.ns]);
    if (!r.ok) {
      if (isNotFound(r.result)) return;
      throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `reading the migration state ConfigMap ${this.names.stateConfigMap} failed: ${trimmed(r.result.stderr)}`);
    }
    const parsed = parseMigrationState(r.json);
    if (!parsed.ok) {
      throw new ExecutorExit(
        EXIT_CODES.LIVE_STATE_UNREADABLE,
        `the migration state ConfigMap ${this.names.stateConfigMap} holds invalid values in: ${parsed.invalid.join(" ")}. Only the executor writes it; restore it from your records, or delete it if no migration of release ${this.release} is under way.`,
      );
    }
    this.recorded = parsed.state;
  }

  /** A migration of this release started and neither completed nor was rolled back (`mig_in_progress`). */
  inProgress(): boolean {
    const s = this.recorded;
    return this.stateRead && s !== undefined && s.complete !== "done" && s.migrate !== "rolled-back";
  }

  /** A migration to `version` (the live version) got past the migrate phase and did not complete (`mig_resumable_at`). */
  resumableAt(version: string): boolean {
    const s = this.recorded;
    return this.inProgress() && s !== undefined && compareMilvus(version, this.settings.version) === 0 && (s.migrate === "done" || s.upgraded === "done");
  }

  /**
   * The live release is failed (or pending) by the migration's own helm step, which a re-run repeats
   * (`mig_failed_release_resumable`): the metadata is migrated, so helm's rollback to the 2.1 revision must never run.
   */
  async failedReleaseResumable(): Promise<boolean> {
    await this.readState();
    const s = this.recorded;
    return this.inProgress() && s !== undefined && s.migrate === "done" && s.upgraded !== "done";
  }

  /** The refusal of a pending release left by the migration's helm step (exit 20), for the core's status check. */
  pendingReleaseMessage(status: string, revision: string): string {
    return `release ${this.release} is ${status} (revision ${revision}) after the helm step of the metadata migration recorded on ConfigMap ${this.names.stateConfigMap}. Its metadata is already migrated, so a plain helm rollback would start Milvus ${this.recorded?.sourceVersion ?? "2.1"} on migrated metadata. When no other helm operation runs, use the rollback operation (milvus-cluster apply --rollback-migration), which restores the metadata before it rolls the release back, then re-run the upgrade.`;
  }

  /** The note of a failed release the migration resumes (the core then reads the values of revision `good`). */
  failedReleaseNote(revision: string, good: string): string {
    return `release ${this.release} is failed (revision ${revision}) by the helm step of the metadata migration recorded on ConfigMap ${this.names.stateConfigMap}; resuming it from revision ${good}`;
  }

  // ------------------------------------------------------------------ pre-checks

  private async listDeploymentsOr(code: number, suffix = ""): Promise<RecordedReplicas[]> {
    try {
      return await this.cluster.listDeployments();
    } catch (e) {
      if (e instanceof PhaseProblem) throw new ExecutorExit(code, `${e.message}${suffix}`);
      throw e;
    }
  }

  /** Refuses Deployments that a HorizontalPodAutoscaler scales: it would scale them up while Milvus must stay stopped. */
  private async checkHpa(): Promise<void> {
    const r = await this.cluster.kubectlJson(["get", "horizontalpodautoscalers", "-n", this.ns]);
    if (!r.ok) {
      throw new ExecutorExit(EXIT_CODES.META_MIGRATION_REQUIRED, `listing the HorizontalPodAutoscalers of namespace ${this.ns} failed (the migration must know that none scales Milvus): ${trimmed(r.result.stderr)}`);
    }
    const targets = new Set(
      itemsOf(r.json).map((hpa) => {
        const ref = asRecord(getPathValue(hpa, ["spec", "scaleTargetRef"]));
        return `${String(ref["kind"])}/${String(ref["name"])}`;
      }),
    );
    const scaled = this.deployments.filter((d) => targets.has(`Deployment/${d.name}`)).map((d) => d.name);
    if (scaled.length > 0) {
      throw new ExecutorExit(
        EXIT_CODES.META_MIGRATION_REQUIRED,
        `the metadata migration must scale every Milvus component to 0, but a HorizontalPodAutoscaler scales: ${scaled.join(" ")} [R-META-MIGRATION]. Disable autoscaling of these components (their hpa values, or delete the HPAs) for the migration and enable it again afterwards. Nothing was changed.`,
      );
    }
  }

  /**
   * The etcd endpoint (and the etcd pod for the session check): the given endpoint, else externalEtcd.endpoints[0]
   * of the live values, else the release's etcd Service (not headless, port named `client`).
   */
  private async discoverEtcd(liveValues: unknown): Promise<void> {
    const fail = (message: string): ExecutorExit => new ExecutorExit(EXIT_CODES.META_MIGRATION_REQUIRED, message);
    this.etcdPod = "";
    if (this.settings.etcdEndpoint !== "") {
      this.etcdEndpoint = this.settings.etcdEndpoint;
      this.etcdSource = "migration.etcdEndpoint";
      return;
    }
    if (getPathValue(liveValues, ["externalEtcd", "enabled"]) === true) {
      const endpoint = getPathValue(liveValues, ["externalEtcd", "endpoints", "0"]);
      this.etcdSource = "externalEtcd.endpoints of the release values";
      if (!isValidRuntimeValue("endpoint", endpoint)) {
        throw fail(`externalEtcd.endpoints[0] of release ${this.release} is '${String(endpoint ?? "")}', not host:port; set migration.etcdEndpoint (--etcd-endpoint) to the etcd endpoint. Nothing was changed.`);
      }
      this.etcdEndpoint = endpoint as string;
      return;
    }
    const services = await this.cluster.kubectlJson(["get", "services", "-n", this.ns, "-l", etcdSelector(this.release)]);
    if (!services.ok) {
      throw fail(`listing the etcd Services of release ${this.release} failed: ${trimmed(services.result.stderr)}; set migration.etcdEndpoint (--etcd-endpoint). Nothing was changed.`);
    }
    this.etcdSource = "the release etcd Service";
    this.etcdEndpoint = "";
    for (const svc of itemsOf(services.json)) {
      const clusterIP = getPathValue(svc, ["spec", "clusterIP"]);
      if (typeof clusterIP !== "string" || clusterIP === "" || clusterIP === "None") continue;
      const ports = getPathValue(svc, ["spec", "ports"]);
      const client = Array.isArray(ports) ? ports.map(asRecord).find((p) => p["name"] === "client" && Number.isInteger(p["port"])) : undefined;
      if (client) {
        this.etcdEndpoint = `${nameOf(svc)}:${String(client["port"])}`;
        break;
      }
    }
    if (!isValidRuntimeValue("endpoint", this.etcdEndpoint)) {
      throw fail(`no etcd Service of release ${this.release} with a port named client (label app.kubernetes.io/name=etcd, not headless); set migration.etcdEndpoint (--etcd-endpoint host:port). Nothing was changed.`);
    }
    const pods = await this.cluster.kubectlJson(["get", "pods", "-n", this.ns, "-l", etcdSelector(this.release), "--field-selector=status.phase=Running"]);
    const pod = pods.ok ? nameOf(itemsOf(pods.json)[0] ?? {}) : "";
    this.etcdPod = isValidRuntimeValue("name", pod) ? pod : "";
  }

  /**
   * The StorageClass of the backup volume: a given class must exist; without one a default class must, as far as
   * StorageClasses (cluster-scoped) can be read with the executor's namespaced rights.
   */
  private async checkStorage(): Promise<void> {
    const fail = (message: string): ExecutorExit => new ExecutorExit(EXIT_CODES.META_MIGRATION_REQUIRED, message);
    if (this.recorded?.backup === "done" || (await this.cluster.kubectl(["get", "persistentvolumeclaim", this.names.backupClaim, "-n", this.ns, "-o", "name"])).code === 0) {
      this.storageNote = `PVC ${this.names.backupClaim} exists`;
      return;
    }
    const given = this.settings.storageClass;
    if (given !== "") {
      const r = await this.cluster.kubectl(["get", "storageclass", given, "-o", "name"]);
      if (r.code === 0) this.storageNote = `StorageClass ${given}`;
      else if (isNotFound(r)) throw fail(`StorageClass ${given} (migration.storageClass) does not exist; the backup needs a volume. Name an existing class. Nothing was changed.`);
      else this.storageNote = `StorageClass ${given} (not checked: ${trimmed(r.stderr, 1)})`;
      return;
    }
    const r = await this.cluster.kubectlJson(["get", "storageclasses"]);
    if (!r.ok) {
      this.storageNote = `the default StorageClass, if any (StorageClasses cannot be read with namespaced rights: ${trimmed(r.result.stderr, 1)}; a claim left Pending fails the backup with a clear message)`;
      return;
    }
    const classes = itemsOf(r.json);
    const isDefault = (sc: Record<string, unknown>): boolean => {
      const a = asRecord(getPathValue(sc, ["metadata", "annotations"]));
      return a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
    };
    const def = classes.find(isDefault);
    if (!def) {
      throw fail(`the cluster has no default StorageClass, and migration.storageClass (--storage-class) is not set; the metadata backup needs a volume. Set it to one of: ${classes.map(nameOf).join(", ")}. Nothing was changed.`);
    }
    this.storageNote = `the default StorageClass (${nameOf(def)})`;
  }

  /**
   * Every check of the migration, before anything changes (`mig_precheck`, exit 26): the manifests, the Deployments,
   * the HPAs, the root path, the etcd endpoint, the StorageClass. Runs once per run.
   * @param liveValues the computed values of the live release (`helm get values --all`) @default `ctx.live.values`
   */
  async precheck(liveValues: unknown = this.ctx.live?.values): Promise<void> {
    if (this.prechecked) return;
    this.prechecked = true;
    for (const file of Object.values(MIGRATION_FILES)) {
      try {
        await access(join(this.ctx.dir, file));
      } catch {
        throw new ExecutorExit(EXIT_CODES.META_MIGRATION_REQUIRED, `migration manifest ${join(this.ctx.dir, file)} is missing; run the executor in the directory of its bundle. Nothing was changed.`);
      }
    }
    await this.readState();
    this.deployments = await this.listDeploymentsOr(EXIT_CODES.META_MIGRATION_REQUIRED, ". Nothing was changed.");
    if (this.deployments.length === 0) {
      throw new ExecutorExit(EXIT_CODES.META_MIGRATION_REQUIRED, `no Milvus deployment of release ${this.release} found (label selector ${this.ctx.selector}); the migration stops and restarts them. Nothing was changed.`);
    }
    await this.checkHpa();
    const root = getPathValue(liveValues, ["metadata", "rootPath"]);
    if (typeof root === "string" && root !== "" && root !== this.settings.rootPath) {
      throw new ExecutorExit(
        EXIT_CODES.META_MIGRATION_REQUIRED,
        `release ${this.release} keeps its metadata under root path '${root}' (metadata.rootPath), but the migration is set to '${this.settings.rootPath}'; set migration.rootPath (--root-path) to the release's. Nothing was changed.`,
      );
    }
    await this.discoverEtcd(liveValues);
    await this.checkStorage();
  }

  // ------------------------------------------------------------------ cluster operations of the phases

  /** Records the replicas and the source in a new state ConfigMap. */
  private async createState(): Promise<void> {
    const replicas = formatReplicas(this.deployments);
    const unexpected = (what: string, v: string): ExecutorExit => new ExecutorExit(EXIT_CODES.UNEXPECTED, `cannot record the ${what} '${v}'`);
    if (!isValidRuntimeValue("replicas", replicas)) throw unexpected("replicas", replicas);
    if (!isValidRuntimeValue("version", this.source.version)) throw unexpected("source version", this.source.version);
    if (!isValidRuntimeValue("number", this.source.revision)) throw unexpected("source helm revision", this.source.revision);
    if (!isValidRuntimeValue("tag", this.source.tag)) throw unexpected("source image tag", this.source.tag);
    const text = await this.cluster.filled(MIGRATION_FILES.state, { replicas, sourceVersion: this.source.version, sourceRevision: this.source.revision, sourceTag: this.source.tag });
    const r = await this.cluster.kubectl(["create", "-f", "-", "-n", this.ns], text);
    if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.UNEXPECTED, `creating the migration state ConfigMap ${this.names.stateConfigMap} failed: ${trimmed(r.stderr)}. Nothing was changed.`);
    this.recorded = { sourceVersion: this.source.version, sourceRevision: this.source.revision, sourceTag: this.source.tag, replicas, backup: "", migrate: "", upgraded: "", complete: "" };
  }

  /** Records progress on the state ConfigMap (`mig_mark`). */
  private async mark(marks: StateMarks): Promise<void> {
    const args = annotateArgs(marks);
    const r = await this.cluster.kubectl(["annotate", "configmap", this.names.stateConfigMap, "-n", this.ns, "--overwrite", ...args]);
    if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.UNEXPECTED, `recording the migration progress (${args.join(" ")}) on ConfigMap ${this.names.stateConfigMap} failed: ${trimmed(r.stderr)}`);
    if (this.recorded) {
      const next: Record<string, string> = { ...this.recorded };
      for (const [k, v] of Object.entries(marks)) next[k] = v ?? "";
      this.recorded = next as unknown as MigrationState;
    }
  }

  /** Runs `f`; a PhaseProblem becomes `onProblem(message)` (which throws). */
  private async guard<T>(f: () => Promise<T>, onProblem: (message: string) => Promise<never> | never): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof PhaseProblem) return onProblem(e.message);
      throw e;
    }
  }

  /** Runs the health gate; its failure (already an ExecutorExit) is reported and becomes `onProblem`. */
  private async gate(tag: string, what: string, onProblem: (message: string) => Promise<never> | never): Promise<void> {
    try {
      await this.ctx.healthGate(tag, what);
    } catch (e) {
      if (!(e instanceof ExecutorExit)) throw e;
      this.reporter.error(e.message);
      await onProblem("");
    }
  }

  // ------------------------------------------------------------------ failures

  private recordedText(): string {
    return this.recorded?.replicas ?? "";
  }

  /** A failure before the metadata changed (exit `code`); with rollbackOnFailure the source version is restarted. */
  private async failEarly(code: number, message: string): Promise<never> {
    const cm = this.names.stateConfigMap;
    const v = this.source.version;
    if (this.settings.rollbackOnFailure) {
      this.reporter.note(message);
      this.reporter.note(`the metadata was not changed; restarting Milvus ${v} with the recorded replicas (migration.rollbackOnFailure)`);
      let restartProblem = "";
      try {
        await this.cluster.restoreReplicas(this.recordedText());
        await this.ctx.healthGate(this.source.tag, `restart of Milvus ${v}`);
      } catch (e) {
        if (e instanceof ExecutorExit) {
          this.reporter.error(e.message);
          restartProblem = "health gate above";
        } else if (e instanceof PhaseProblem) restartProblem = e.message;
        else throw e;
      }
      if (restartProblem === "") {
        throw new ExecutorExit(code, `${message}. Milvus ${v} runs again with its recorded replicas; its metadata was not changed. Fix the cause and re-run: the migration starts again (ConfigMap ${cm} keeps the recorded replicas).`);
      }
      throw new ExecutorExit(
        EXIT_CODES.META_ROLLBACK_FAILED,
        `${message}. Restarting Milvus ${v} failed too (${restartProblem}); its metadata was not changed. Scale the deployments back to the replicas recorded in ConfigMap ${cm} (${this.recordedText()}), or fix the cause and re-run.`,
      );
    }
    throw new ExecutorExit(
      code,
      `${message}. Milvus stays stopped (migration.rollbackOnFailure is off); its metadata was not changed. Fix the cause and re-run to resume, or scale the deployments back to the replicas recorded in ConfigMap ${cm} (${this.recordedText()}).`,
    );
  }

  /** A failure once the metadata may have changed; with rollbackOnFailure the full rollback (exit 41), else 42. */
  private async failMeta(message: string): Promise<never> {
    const v = this.source.version;
    if (this.settings.rollbackOnFailure) {
      this.reporter.note(`${message}; rolling back to Milvus ${v} (migration.rollbackOnFailure)`);
      await this.rollback();
      throw new ExecutorExit(
        EXIT_CODES.META_MIGRATION_ROLLED_BACK,
        `${message}. Rolled back: the metadata was restored from the backup in PVC ${this.names.backupClaim} and release ${this.release} runs Milvus ${v} again with its recorded replicas. Fix the cause and re-run: the migration starts again with a fresh backup.`,
      );
    }
    const s = this.recorded;
    throw new ExecutorExit(
      EXIT_CODES.META_MIGRATION_FAILED,
      `${message}. Not rolled back (migration.rollbackOnFailure is off): Milvus is stopped or partly started; the progress is recorded on ConfigMap ${this.names.stateConfigMap} (backup=${s?.backup ?? ""}, migrated=${s?.migrate ?? ""}, upgraded=${s?.upgraded ?? ""}). Fix the cause and re-run to resume (a finished backup is not repeated; an interrupted migrate restores the backup first), or return to Milvus ${v} with the rollback operation (milvus-cluster apply --rollback-migration).`,
    );
  }

  // ------------------------------------------------------------------ rollback

  /**
   * Back to the source version: stop, restore the metadata from the backup (rollback Job), helm rollback to the
   * recorded revision when the release moved, the recorded replicas, health gate on the source image tag. The record
   * says `migrated=rolled-back` once the metadata is restored and `backup=stale` once the whole rollback passed, so a
   * rollback interrupted after the restore resumes without restoring again (the source may have written since).
   */
  private async rollback(): Promise<void> {
    const restoredBefore = this.recorded?.migrate === "rolled-back";
    const { version: v, revision: rev, tag } = this.source;
    const rel = this.release;
    const fail = (message: string): never => {
      throw new ExecutorExit(EXIT_CODES.META_ROLLBACK_FAILED, message);
    };
    this.reporter.progress(`      rollback to Milvus ${v}:`);
    const sessions = await this.guard(
      () => this.cluster.stop(this.etcdPod),
      (p) => fail(`rollback: stopping Milvus failed: ${p}. Nothing was restored yet; fix the cause and run the rollback operation (milvus-cluster apply --rollback-migration).`),
    );
    this.phase(`rollback 1/4: stopped, ${sessions}`);
    if (restoredBefore) {
      this.phase(`rollback 2/4: the metadata was restored from the backup by an earlier run (ConfigMap ${this.names.stateConfigMap}), not again`);
    } else {
      await this.guard(
        () => this.cluster.prepare(this.etcdEndpoint, this.source.version),
        (p) => fail(`rollback: ${p}. Milvus is stopped; run the rollback operation again after fixing the cause.`),
      );
      await this.guard(
        () => this.cluster.job(this.names.rollbackJob, MIGRATION_FILES.rollbackJob, "rollback"),
        (p) =>
          fail(
            `rollback: restoring the metadata from the backup failed: ${p}. Milvus is stopped; the backup stays in PVC ${this.names.backupClaim} (migration.bak). Do not start Milvus ${v} before its metadata is restored: fix the cause and run the rollback operation again (milvus-cluster apply --rollback-migration).`,
          ),
      );
      await this.mark({ migrate: "rolled-back" });
      this.phase(`rollback 2/4: restored the metadata from the backup (Job ${this.names.rollbackJob})`);
    }
    const status = await this.cluster.helmStatus();
    if (!status.ok) {
      fail(
        `rollback: helm status ${rel} failed: ${trimmed(status.result.stderr)}. The metadata is restored and Milvus is stopped: roll the release back to revision ${rev} (helm rollback ${rel} ${rev} -n ${this.ns}), then scale the deployments to the replicas recorded in ConfigMap ${this.names.stateConfigMap}.`,
      );
    }
    if (status.ok && status.revision !== rev) {
      const args = ["rollback", rel, rev, "-n", this.ns, "--wait", "--timeout", `${this.ctx.stepTimeoutSeconds}s`];
      this.reporter.note(`helm ${args.join(" ")}`);
      const r = await this.client.helm(args);
      for (const line of `${r.stdout}${r.stderr}`.trimEnd().split("\n")) if (line !== "") this.reporter.note(`  ${line}`);
      if (r.code !== 0) fail(`rollback: helm rollback ${rel} ${rev} failed (helm's output above). The metadata is restored and Milvus is stopped: fix the cause and run the rollback operation again.`);
      this.phase(`rollback 3/4: release ${rel} rolled back to revision ${rev} (Milvus ${v})`);
    } else {
      this.phase(`rollback 3/4: release ${rel} still runs revision ${rev} (Milvus ${v}); no helm rollback needed`);
    }
    await this.mark({ upgraded: null });
    await this.guard(
      () => this.cluster.restoreReplicas(this.recordedText()),
      (p) => fail(`rollback: ${p}. The metadata and the release are back on ${v}; scale the deployments to the replicas recorded in ConfigMap ${this.names.stateConfigMap} (${this.recordedText()}).`),
    );
    await this.gate(tag, `rollback to Milvus ${v}`, () =>
      fail(`rollback: Milvus ${v} was restored (metadata, release revision ${rev}, replicas) but did not become healthy (above); inspect its pods.`),
    );
    // The source version runs again and writes metadata: the backup no longer matches it.
    await this.mark({ backup: "stale", complete: null });
    this.phase(`rollback 4/4: Milvus ${v} runs with its recorded replicas (${this.recordedText()}) and passed its health gate`);
  }

  // ------------------------------------------------------------------ cleanup

  /** With `migration.cleanup` deletes the migration objects; otherwise says what is kept. */
  private async cleanup(): Promise<void> {
    const n = this.names;
    if (!this.settings.cleanup) {
      this.reporter.progress(`      kept: the backup in PVC ${n.backupClaim} and the record in ConfigMap ${n.stateConfigMap} (delete them when no longer needed; migration.cleanup deletes them)`);
      return;
    }
    for (const job of [n.backupJob, n.migrateJob, n.rollbackJob]) {
      if ((await this.cluster.kubectl(["delete", "job", job, "-n", this.ns, "--ignore-not-found"])).code !== 0) this.reporter.note(`could not delete Job ${job}`);
    }
    if ((await this.cluster.kubectl(["delete", "configmap", n.toolConfigMap, n.stateConfigMap, "-n", this.ns, "--ignore-not-found"])).code !== 0) {
      this.reporter.note(`could not delete ConfigMaps ${n.toolConfigMap} ${n.stateConfigMap}`);
    }
    if ((await this.cluster.kubectl(["delete", "persistentvolumeclaim", n.backupClaim, "-n", this.ns, "--ignore-not-found"])).code !== 0) {
      this.reporter.note(`could not delete PVC ${n.backupClaim}`);
    }
    this.reporter.progress(`      cleaned up: the Jobs, ConfigMaps ${n.toolConfigMap} and ${n.stateConfigMap}, the backup PVC ${n.backupClaim} (migration.cleanup)`);
  }

  // ------------------------------------------------------------------ dry run

  private sessionPlan(): string {
    const max = this.settings.sessionWaitSeconds;
    return this.etcdPod !== ""
      ? `poll the etcd session keys until none is left (etcdctl in pod ${this.etcdPod}, at most ${max}s)`
      : `wait ${max}s for the etcd sessions to expire (no etcd pod of the release to query)`;
  }

  /**
   * The phases the migration step would run (`mig_dry_run`), after `precheck` passed; changes nothing.
   * @param step the migration step
   */
  dryRun(step: ExecutorStepInput): void {
    const input = { index: step.index, count: this.ctx.input.steps.length, currentVersion: this.ctx.progress.currentVersion };
    const say = (line: string): void => this.reporter.progress(line);
    const s = this.recorded;
    const underWay = s !== undefined && s.complete !== "done";
    const label = `${step.version} (chart ${step.chart})`;
    const n = this.names;
    say(`[${input.index}/${input.count}] ${label} ... would run: metadata migration ${underWay ? s.sourceVersion : versionCore(input.currentVersion)} -> ${step.version}, offline (every Milvus component at 0 replicas from the stop until the health gate passes) [R-META-MIGRATION]`);
    say(`      pre-checks passed: ${this.deployments.length} Milvus deployment(s), none scaled by an HPA; etcd ${this.etcdEndpoint} (${this.etcdSource}); backup volume: ${this.storageNote}`);
    if (underWay) say(`      1. reuse the replicas recorded by an earlier run in ConfigMap ${n.stateConfigMap}: ${s.replicas}`);
    else say(`      1. record the replicas in ConfigMap ${n.stateConfigMap}: ${formatReplicas(this.deployments)}`);
    if (underWay && s.migrate === "done") {
      say("      2-4. stop, back up, migrate: done by an earlier run");
    } else {
      say(`      2. stop: scale every Milvus deployment to 0, wait until no pod is left, then ${this.sessionPlan()}`);
      if (underWay && s.backup === "done") say(`      3. back up: done by an earlier run (PVC ${n.backupClaim}), skipped`);
      else say(`      3. back up the metadata into PVC ${n.backupClaim} (Job ${n.backupJob} from ${MIGRATION_FILES.backupJob})`);
      if (underWay && (s.migrate === "started" || s.migrate === "failed")) {
        say(`      4. restore the metadata from the backup (an earlier migrate did not finish), then migrate it (Job ${n.migrateJob}, root path ${this.settings.rootPath})`);
      } else {
        say(`      4. migrate the metadata (Job ${n.migrateJob} from ${MIGRATION_FILES.migrateJob}: cmd.type run, root path ${this.settings.rootPath})`);
      }
    }
    const values = join(this.ctx.dir, step.valuesFile);
    if (underWay && s.upgraded === "done") say(`      5. helm upgrade: done by an earlier run; restore the recorded replicas, health gate (image tag ${step.tag})`);
    else say(`      5. helm upgrade to chart ${step.chart} with ${values}, restore the recorded replicas, health gate (image tag ${step.tag})`);
    if (this.settings.rollbackOnFailure) say("      on failure: roll back by itself (restore the metadata from the backup, helm rollback to the 2.1 revision, restore the replicas, health gate)");
    else say("      on failure: stop and keep the progress for a re-run (migration.rollbackOnFailure is off)");
    if (this.settings.cleanup) say("      afterwards: delete the migration objects and the backup (migration.cleanup)");
    else say(`      afterwards: keep the backup PVC ${n.backupClaim} and ConfigMap ${n.stateConfigMap}`);
  }

  // ------------------------------------------------------------------ the step

  /**
   * The migration step (`mig_run_step`), after `precheck` passed: record, stop, back up, migrate, helm upgrade,
   * restore the replicas, health gate, cleanup. Each finished phase is recorded; a re-run skips it. Ends with an
   * `ExecutorExit` of 26, 32, 40-44 (or 1) on failure, as described at the top of this file.
   * @param step the migration step
   */
  async runStep(step: ExecutorStepInput): Promise<void> {
    // The core ran the pre-checks before anything changed; this only makes sure (a no-op then).
    await this.precheck();
    this.startedAt = this.client.now();
    const { currentVersion, currentTag, stepRan } = this.ctx.progress;
    const input = { index: step.index, count: this.ctx.input.steps.length };
    const n = this.names;
    const label = `${step.version} (chart ${step.chart})`;
    const head = `[${input.index}/${input.count}] ${label}`;
    if (this.recorded?.complete === "done") {
      this.reporter.note(`ConfigMap ${n.stateConfigMap} records an earlier, completed migration; recording this one anew`);
      const r = await this.cluster.kubectl(["delete", "configmap", n.stateConfigMap, "-n", this.ns]);
      if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.UNEXPECTED, `deleting the old ConfigMap ${n.stateConfigMap} failed: ${trimmed(r.stderr)}`);
      this.recorded = undefined;
    }
    const existing = this.recorded;
    if (existing) {
      this.source = { version: existing.sourceVersion, revision: existing.sourceRevision, tag: existing.sourceTag };
    } else {
      // The revision that runs the source: the one the core resumed from past a failed revision, else the current one.
      const resumedFrom = this.ctx.live?.valuesRevision;
      let revision = stepRan || resumedFrom === undefined ? "" : String(resumedFrom);
      if (revision === "") {
        const status = await this.cluster.helmStatus();
        if (!status.ok) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm status ${this.release} failed: ${trimmed(status.result.stderr)}`);
        revision = status.revision;
      }
      this.source = { version: versionCore(currentVersion), revision, tag: currentTag };
    }
    if (!/^2\.1\.[0-9]+$/.test(this.source.version)) {
      throw new ExecutorExit(
        EXIT_CODES.META_MIGRATION_REQUIRED,
        `the metadata migration starts from Milvus 2.1.x, but the release runs ${this.source.version} [R-META-SOURCE]; upgrade to the newest 2.1.x first. Nothing of the migration was changed.`,
      );
    }
    this.reporter.progress(`${head}: metadata migration ${this.source.version} -> ${step.version}, offline until the health gate passes [R-META-MIGRATION]`);
    if (existing) {
      this.phase(`1/5 reusing the replicas recorded by an earlier run in ConfigMap ${n.stateConfigMap}: ${existing.replicas}`);
    } else {
      await this.createState();
      this.phase(`1/5 recorded the replicas in ConfigMap ${n.stateConfigMap}: ${this.recordedText()}`);
    }
    if (this.recorded?.migrate !== "done") {
      const sessions = await this.guard(
        () => this.cluster.stop(this.etcdPod),
        (p) => this.failEarly(EXIT_CODES.META_STOP_FAILED, `stopping Milvus ${this.source.version} for the migration failed: ${p}`),
      );
      this.phase(`2/5 stopped: every Milvus deployment at 0 replicas, no pod left, ${sessions}`);
      await this.guard(
        () => this.cluster.prepare(this.etcdEndpoint, this.source.version),
        (p) => this.failEarly(EXIT_CODES.META_BACKUP_FAILED, `preparing the backup failed: ${p}`),
      );
      if (this.recorded?.backup === "done") {
        this.phase(`3/5 backup: done by an earlier run (PVC ${n.backupClaim}), skipped`);
      } else {
        await this.guard(
          () => this.cluster.job(n.backupJob, MIGRATION_FILES.backupJob, "backup"),
          (p) => this.failEarly(EXIT_CODES.META_BACKUP_FAILED, `the metadata backup failed: ${p}`),
        );
        await this.mark({ backup: "done" });
        this.phase(`3/5 backed up the metadata into PVC ${n.backupClaim} (Job ${n.backupJob})`);
      }
      if (this.recorded?.migrate === "started" || this.recorded?.migrate === "failed") {
        this.reporter.note("an earlier migrate Job did not finish: restoring the metadata from the backup before migrating again");
        await this.guard(
          () => this.cluster.job(n.rollbackJob, MIGRATION_FILES.rollbackJob, "restore"),
          (p) => this.failMeta(`restoring the metadata before the retry failed: ${p}`),
        );
      }
      await this.mark({ migrate: "started" });
      await this.guard(
        () => this.cluster.job(n.migrateJob, MIGRATION_FILES.migrateJob, "migrate"),
        async (p) => {
          await this.mark({ migrate: "failed" });
          return this.failMeta(`the metadata migration failed: ${p}`);
        },
      );
      await this.mark({ migrate: "done" });
      this.phase(`4/5 migrated the metadata to the ${step.version} layout (Job ${n.migrateJob})`);
    } else {
      this.phase("2-4/5 stop, backup and migrate: done by an earlier run");
    }
    if (this.recorded?.upgraded !== "done") {
      // Never helm's own rollback here: it would start the source version on migrated metadata.
      if ((await this.ctx.helmUpgrade(step, { noRollback: true })).code !== 0) await this.failMeta(`helm upgrade to ${label} failed (helm's output above)`);
      await this.mark({ upgraded: "done" });
    }
    await this.guard(
      () => this.cluster.restoreReplicas(this.recordedText()),
      (p) => this.failMeta(`restoring the recorded replicas failed: ${p}`),
    );
    await this.gate(step.tag, `step ${input.index}/${input.count} (${label})`, () => this.failMeta(`the health gate of ${label} failed (above)`));
    await this.mark({ complete: "done" });
    this.phase(`5/5 Milvus ${step.version} (chart ${step.chart}) runs with the recorded replicas; every deployment is ready with image tag ${step.tag}`);
    await this.cleanup();
    this.reporter.progress(`${head} ... done in ${this.elapsed()} (metadata migration)`);
  }

  // ------------------------------------------------------------------ the rollback operation

  /**
   * The rollback operation (`operation: rollback-migration`, `mig_rollback_operation`): back to the recorded 2.1
   * source. Returns when the release runs the source version again (or the migration was already rolled back, or
   * this is a dry run); otherwise ends with an `ExecutorExit` (45 nothing to restore, 22 past the migration, 43 the
   * rollback failed, 20/32 the release cannot be read).
   */
  async rollbackOperation(dryRun: boolean): Promise<void> {
    const rel = this.release;
    const ns = this.ns;
    const n = this.names;
    this.startedAt = this.client.now();
    const live = await this.readLive();
    if (!live) throw new ExecutorExit(EXIT_CODES.META_NO_BACKUP, `release ${rel} does not exist in namespace ${ns}: there is no migration to roll back`);
    // A pending-upgrade or pending-rollback left by the migration's helm step is what this rollback resolves (helm
    // rollback to the recorded revision, after the metadata is restored); an interrupted install has nothing to roll back to.
    if (live.status === "pending-install") {
      throw new ExecutorExit(
        EXIT_CODES.RELEASE_PENDING,
        `release ${rel} is pending-install: an install was interrupted (or is still running) and Helm does not recover it. Nothing was deployed before it. When no other helm operation runs, remove it and re-run: helm uninstall ${rel} -n ${ns}`,
      );
    }
    const liveVersion = await this.readLiveVersion();
    await this.readState();
    const s = this.recorded;
    if (!s) throw new ExecutorExit(EXIT_CODES.META_NO_BACKUP, `there is no migration state ConfigMap ${n.stateConfigMap}: no metadata migration of release ${rel} was recorded, so there is no backup to roll back to. Nothing was changed.`);
    // backup=stale is written last by a rollback that passed its health gate; rolled-back alone is one interrupted after the restore.
    if (s.migrate === "rolled-back" && s.backup === "stale") {
      this.reporter.progress(`the migration of release ${rel} was already rolled back: Milvus ${s.sourceVersion} runs on its restored metadata; nothing to do`);
      return;
    }
    if (s.backup !== "done") {
      throw new ExecutorExit(
        EXIT_CODES.META_NO_BACKUP,
        `ConfigMap ${n.stateConfigMap} records no finished backup (backup='${s.backup}'), so there is nothing to restore. The metadata of Milvus ${s.sourceVersion} is changed only after a backup: scale the deployments back to the recorded replicas (${s.replicas}) or re-run the upgrade. Nothing was changed.`,
      );
    }
    const target = this.settings.version;
    if (compareMilvus(liveVersion, target) > 0) {
      throw new ExecutorExit(
        EXIT_CODES.DOWNGRADE_REFUSED,
        `release ${rel} runs Milvus ${liveVersion}, past the migration to ${target}; rolling back to ${s.sourceVersion} would discard every later upgrade [R-DOWNGRADE]. Restore from a milvus-backup instead. Nothing was changed.`,
      );
    }
    const claim = await this.cluster.kubectl(["get", "persistentvolumeclaim", n.backupClaim, "-n", ns, "-o", "name"]);
    if (claim.code !== 0) {
      throw new ExecutorExit(EXIT_CODES.META_NO_BACKUP, `the backup volume claim ${n.backupClaim} cannot be read (${trimmed(claim.stderr, 1)}); without it there is nothing to restore. Nothing was changed.`);
    }
    if (s.complete === "done") this.reporter.note(`the migration to ${target} had completed: metadata written by Milvus ${target} since then is lost by this rollback`);
    this.deployments = await this.listDeploymentsOr(EXIT_CODES.META_MIGRATION_REQUIRED, ". Nothing was changed.");
    await this.checkHpa();
    await this.discoverEtcd(this.liveValues);
    this.source = { version: s.sourceVersion, revision: s.sourceRevision, tag: s.sourceTag };
    const v = this.source.version;
    if (dryRun) {
      const say = (line: string): void => this.reporter.progress(line);
      say(`rollback of the metadata migration of release ${rel} (live Milvus ${liveVersion}, revision ${live.revision}, ${live.status}) to Milvus ${v} would run:`);
      say(`      1. stop: scale every Milvus deployment to 0, wait until no pod is left, then ${this.sessionPlan()}`);
      if (s.migrate === "rolled-back") say(`      2. the metadata was restored from the backup by an earlier run: not again`);
      else say(`      2. restore the metadata from the backup in PVC ${n.backupClaim} (Job ${n.rollbackJob} from ${MIGRATION_FILES.rollbackJob}, etcd ${this.etcdEndpoint})`);
      if (live.revision !== this.source.revision) say(`      3. helm rollback ${rel} ${this.source.revision} (the revision that ran Milvus ${v})`);
      else say(`      3. no helm rollback: the release still runs revision ${this.source.revision}`);
      say(`      4. restore the recorded replicas (${s.replicas}), health gate (image tag ${this.source.tag})`);
      say("dry run: nothing changed");
      return;
    }
    this.reporter.note(`rolling the metadata migration of release ${rel} back to Milvus ${v} (live Milvus ${liveVersion}, revision ${live.revision}, ${live.status})`);
    await this.rollback();
    this.reporter.progress(`release ${rel} is back on Milvus ${v} with its metadata restored from the backup`);
  }

  private async readLive(): Promise<{ status: string; revision: string } | undefined> {
    const status = await this.ctx.readStatus();
    return status ? { status: status.status, revision: String(status.revision) } : undefined;
  }

  /** The Milvus version of the live values (`image.all.tag`), which also give the etcd endpoint. */
  private async readLiveVersion(): Promise<string> {
    const r = await this.client.helm(["get", "values", this.release, "-n", this.ns, "--all", "-o", "json"]);
    if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm get values ${this.release} -n ${this.ns} --all failed: ${trimmed(r.stderr)}`);
    try {
      this.liveValues = JSON.parse(r.stdout) as unknown;
    } catch (e) {
      throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm get values ${this.release} printed no JSON: ${(e as Error).message}`);
    }
    const tag = getPathValue(this.liveValues, ["image", "all", "tag"]);
    if (typeof tag !== "string" || !/^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]*)?$/.test(tag)) {
      throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `image.all.tag of release ${this.release} is '${String(tag ?? "")}', not a Milvus version`);
    }
    return tag.replace(/^v/, "");
  }
}

/** One `MetadataMigration` per run (per context): the state it read and the checks it made are the run's. */
const migrations = new WeakMap<ExecutorContext, MetadataMigration>();

/** The migration of the run of `ctx` (created on first use). */
export function migrationOf(ctx: ExecutorContext): MetadataMigration {
  let m = migrations.get(ctx);
  if (!m) {
    m = new MetadataMigration(ctx);
    migrations.set(ctx, m);
  }
  return m;
}

/** The metadata migration as the core flow calls it (`MigrationRun` of context.ts). */
export const migrationRun: MigrationRun = {
  readMigrationState: (ctx) => migrationOf(ctx).readState(),
  migrationInProgress: (ctx) => migrationOf(ctx).inProgress(),
  migrationResumableAt: (ctx, version) => migrationOf(ctx).resumableAt(version),
  migrationFailedReleaseResumable: (ctx) => migrationOf(ctx).failedReleaseResumable(),
  migrationPrecheck: (ctx) => migrationOf(ctx).precheck(),
  migrationDryRun: async (ctx, step) => migrationOf(ctx).dryRun(step),
  runMigrationStep: (ctx, step) => migrationOf(ctx).runStep(step),
  rollbackMigration: (ctx) => migrationOf(ctx).rollbackOperation(ctx.dryRun),
};
