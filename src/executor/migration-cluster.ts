import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { yaml } from "../util/lazy-yaml";
import type { ClusterClient, CommandResult } from "./cluster-client";
import { MIGRATION_FILES, type MigrationObjectNames } from "./migration";
import { fillPlaceholders, isValidRuntimeValue, type PlaceholderValues, parseReplicas, type RecordedReplicas } from "./migration-state";
import type { Reporter } from "./reporter";

/*
 * The cluster operations of the metadata migration (migration-run.ts has the flow, its decisions and messages): the
 * Deployments, the stop (active Jobs, scale to 0, pods gone, etcd session keys gone), the replica restore, the tool
 * configs and backup volume, one meta-migration Job run to its condition. Every call is `client.kubectl/helm` with an
 * argument array; reads are `-o json` parsed with JSON.parse; waits poll with `client.sleep` and measure with
 * `client.now`. A phase that cannot finish throws `PhaseProblem` with what the user reads; the flow chooses the exit code.
 */

/** Seconds between two polls of a wait (pods, session keys, Jobs). */
export const MIGRATION_POLL_SECONDS = 2;

/** Longest wait for one `kubectl exec ... etcdctl` answer. */
export const ETCDCTL_TIMEOUT_SECONDS = 30;

/** Extra seconds a migration Job may run beyond its step timeout before the executor stops waiting. */
export const MIGRATION_JOB_GRACE_SECONDS = 60;

/** Component prefixes of Milvus 2.1 session keys under `<root>/meta/session/` (the counter key `id` is not one). */
const SESSION_COMPONENTS = /^(rootcoord|datacoord|querycoord|indexcoord|datanode|querynode|indexnode|proxy|migration)/;

/** A failure of a migration phase: what the user reads, without the exit code (the caller chooses it). */
export class PhaseProblem extends Error {}

/** Whether kubectl said the object does not exist. */
export function isNotFound(r: CommandResult): boolean {
  return /NotFound|not found/.test(r.stderr);
}

/** `text` without surrounding blank space, optionally only its first `lines` lines. */
export function trimmed(text: string, lines?: number): string {
  const all = text.trim().split("\n");
  return (lines === undefined ? all : all.slice(0, lines)).join("\n");
}

/** `v` as an object, or an empty one. */
export function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The items of a kubectl List. */
export function itemsOf(json: unknown): Record<string, unknown>[] {
  const items = asRecord(json)["items"];
  return Array.isArray(items) ? items.map(asRecord) : [];
}

/** metadata.name of an object, or "". */
export function nameOf(item: Record<string, unknown>): string {
  const n = asRecord(item["metadata"])["name"];
  return typeof n === "string" ? n : "";
}

/** The value at a nested path (array indexes as strings), never a literal dotted key. */
export function getPathValue(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[Number(key)] : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** What the cluster operations work on. */
export interface MigrationClusterOptions {
  readonly client: ClusterClient;
  /** Notes of the waits and Jobs (progress lines are the flow's). */
  readonly reporter: Reporter;
  /** Directory of the bundle's manifests. */
  readonly dir: string;
  readonly release: string;
  readonly namespace: string;
  /** Label selector of the release's Milvus Deployments and pods. */
  readonly selector: string;
  readonly names: MigrationObjectNames;
  /** etcd root path of the release's metadata. */
  readonly rootPath: string;
  /** Longest wait for the session keys (or the fixed wait without etcdctl), seconds. */
  readonly sessionWaitSeconds: number;
  /** Longest wait for the pods to go; a Job gets 60 s more. */
  readonly stepTimeoutSeconds: number;
}

/** The migration's cluster operations; see the file comment. */
export class MigrationCluster {
  constructor(private readonly o: MigrationClusterOptions) {}

  /** kubectl with `args` (and `stdin` for `-f -`). */
  kubectl(args: readonly string[], stdin?: string): Promise<CommandResult> {
    return this.o.client.kubectl(args, stdin === undefined ? undefined : { stdin });
  }

  /** kubectl with `args` and `-o json`, its answer parsed with JSON.parse (a failed call or no JSON: `ok: false`). */
  async kubectlJson(args: readonly string[]): Promise<{ ok: true; json: unknown } | { ok: false; result: CommandResult }> {
    const r = await this.kubectl([...args, "-o", "json"]);
    if (r.code !== 0) return { ok: false, result: r };
    try {
      return { ok: true, json: JSON.parse(r.stdout) as unknown };
    } catch (e) {
      return { ok: false, result: { code: 1, stdout: r.stdout, stderr: `kubectl ${args.join(" ")} -o json printed no JSON: ${(e as Error).message}` } };
    }
  }

  /** "name=replicas" of every Milvus Deployment of the release. */
  async listDeployments(): Promise<RecordedReplicas[]> {
    const r = await this.kubectlJson(["get", "deployments", "-n", this.o.namespace, "-l", this.o.selector]);
    if (!r.ok) throw new PhaseProblem(`listing the Milvus deployments failed: ${trimmed(r.result.stderr)}`);
    const out: RecordedReplicas[] = [];
    for (const item of itemsOf(r.json)) {
      const name = nameOf(item);
      const replicas = getPathValue(item, ["spec", "replicas"]) ?? 1;
      const pair = `${name}=${String(replicas)}`;
      if (!isValidRuntimeValue("replicas", pair)) throw new PhaseProblem(`unexpected deployment '${pair}' (name=replicas)`);
      out.push({ name, replicas: Number(replicas) });
    }
    return out;
  }

  /** A manifest of the bundle, parsed (the generator wrote it as YAML 1.1). */
  private async manifest(file: string): Promise<unknown> {
    return yaml().parse(await readFile(join(this.o.dir, file), "utf8"), { version: "1.1" }) as unknown;
  }

  /** The bundle's `file` with the runtime values filled in, as JSON for kubectl's stdin. */
  async filled(file: string, values: PlaceholderValues): Promise<string> {
    return JSON.stringify(fillPlaceholders(await this.manifest(file), values));
  }

  /** `helm status -o json` of the release: its status and current revision. */
  async helmStatus(): Promise<{ ok: true; status: string; revision: string } | { ok: false; result: CommandResult }> {
    const r = await this.o.client.helm(["status", this.o.release, "-n", this.o.namespace, "-o", "json"]);
    if (r.code !== 0) return { ok: false, result: r };
    try {
      const json = JSON.parse(r.stdout) as unknown;
      return { ok: true, status: String(getPathValue(json, ["info", "status"]) ?? ""), revision: String(getPathValue(json, ["version"]) ?? "") };
    } catch (e) {
      return { ok: false, result: { code: 1, stdout: r.stdout, stderr: `helm status printed no JSON: ${(e as Error).message}` } };
    }
  }

  /** The session keys of Milvus components under `<root>/meta/session/`, read with etcdctl in the etcd pod. */
  private async sessions(etcdPod: string): Promise<{ ok: true; keys: string[] } | { ok: false; error: string }> {
    const prefix = `${this.o.rootPath}/meta/session/`;
    // A hanging exec (an etcd pod that stopped answering) must not hang the run: it counts as a failed query.
    const r = await this.o.client.kubectl(["exec", "-n", this.o.namespace, etcdPod, "--", "etcdctl", "get", "--prefix", "--keys-only", prefix], { timeoutMs: ETCDCTL_TIMEOUT_SECONDS * 1000 });
    if (r.code !== 0) return { ok: false, error: r.stderr };
    const keys = r.stdout
      .split("\n")
      .filter((line) => line.startsWith(prefix) && SESSION_COMPONENTS.test(line.slice(prefix.length)));
    return { ok: true, keys };
  }

  /**
   * Until the session keys of the stopped components are gone (a live session makes the tool refuse to run): polled
   * with etcdctl when the release's etcd pod answers, else a fixed wait of `sessionWaitSeconds`. Returns what it saw.
   */
  private async waitSessions(etcdPod: string): Promise<string> {
    const max = this.o.sessionWaitSeconds;
    let why = "no pod of a bundled etcd to query";
    if (etcdPod !== "") {
      let s = await this.sessions(etcdPod);
      if (s.ok) {
        const deadline = this.o.client.now() + max * 1000;
        while (s.ok && s.keys.length > 0) {
          if (this.o.client.now() >= deadline) {
            throw new PhaseProblem(`after ${max}s these etcd session keys are still present: ${s.keys.join(" ")} (a process still runs Milvus on this etcd; stop it, or raise migration.sessionWaitSeconds)`);
          }
          await this.o.client.sleep(MIGRATION_POLL_SECONDS * 1000);
          s = await this.sessions(etcdPod);
        }
        if (!s.ok) throw new PhaseProblem(`etcdctl in pod ${etcdPod} failed: ${trimmed(s.error, 3)}`);
        return `no etcd session key left (etcdctl in pod ${etcdPod})`;
      }
      why = `etcdctl in pod ${etcdPod} failed: ${trimmed(s.error, 1)}`;
    }
    this.o.reporter.note(`cannot list the etcd session keys (${why}); waiting ${max}s for the sessions of the stopped components to expire (Milvus 2.1 session leases last 60 s)`);
    await this.o.client.sleep(max * 1000);
    return `waited ${max}s for the etcd sessions to expire (${why})`;
  }

  private async jobConditions(name: string): Promise<{ ok: true; found: boolean; complete: boolean; failed: boolean } | { ok: false; error: string }> {
    const r = await this.kubectlJson(["get", "job", name, "-n", this.o.namespace]);
    if (!r.ok) return isNotFound(r.result) ? { ok: true, found: false, complete: false, failed: false } : { ok: false, error: trimmed(r.result.stderr) };
    const conditions = getPathValue(r.json, ["status", "conditions"]);
    const has = (type: string): boolean => Array.isArray(conditions) && conditions.map(asRecord).some((c) => c["type"] === type && c["status"] === "True");
    return { ok: true, found: true, complete: has("Complete"), failed: has("Failed") };
  }

  /** Deletes a migration Job an interrupted run left active (its tool holds an etcd session and may still write). */
  private async stopJobs(): Promise<void> {
    for (const job of [this.o.names.backupJob, this.o.names.migrateJob, this.o.names.rollbackJob]) {
      const c = await this.jobConditions(job);
      if (!c.ok) throw new PhaseProblem(`reading Job ${job} failed: ${c.error}`);
      if (!c.found || c.complete || c.failed) continue;
      this.o.reporter.note(`Job ${job} of an interrupted run is still active: deleting it before the stop`);
      const r = await this.kubectl(["delete", "job", job, "-n", this.o.namespace, "--ignore-not-found", "--cascade=foreground"]);
      if (r.code !== 0) throw new PhaseProblem(`deleting the active Job ${job} failed: ${trimmed(r.stderr)}`);
    }
  }

  /** No migration Job active, every Milvus Deployment at 0, no Milvus pod left, no session key left. */
  async stop(etcdPod: string): Promise<string> {
    await this.stopJobs();
    const current = await this.listDeployments();
    for (const d of current) {
      if (d.replicas === 0) continue;
      const r = await this.kubectl(["scale", "deployment", d.name, "-n", this.o.namespace, "--replicas=0"]);
      if (r.code !== 0) throw new PhaseProblem(`scaling ${d.name} to 0 failed: ${trimmed(r.stderr)}`);
    }
    const t = this.o.stepTimeoutSeconds;
    const deadline = this.o.client.now() + t * 1000;
    for (;;) {
      const pods = await this.kubectlJson(["get", "pods", "-n", this.o.namespace, "-l", this.o.selector]);
      if (!pods.ok) throw new PhaseProblem(`listing the Milvus pods failed: ${trimmed(pods.result.stderr)}`);
      const names = itemsOf(pods.json).map(nameOf);
      if (names.length === 0) break;
      if (this.o.client.now() >= deadline) throw new PhaseProblem(`after ${t}s these Milvus pods still exist: ${names.join(" ")}`);
      await this.o.client.sleep(MIGRATION_POLL_SECONDS * 1000);
    }
    return this.waitSessions(etcdPod);
  }

  /** Every recorded Deployment that still exists back to its recorded replica count. */
  async restoreReplicas(recorded: string): Promise<void> {
    const existing = new Set((await this.listDeployments()).map((d) => d.name));
    for (const d of parseReplicas(recorded)) {
      if (!existing.has(d.name)) {
        this.o.reporter.note(`recorded deployment ${d.name} no longer exists (the chart renamed or removed it); not scaled`);
        continue;
      }
      const r = await this.kubectl(["scale", "deployment", d.name, "-n", this.o.namespace, `--replicas=${d.replicas}`]);
      if (r.code !== 0) throw new PhaseProblem(`scaling ${d.name} to ${d.replicas} failed: ${trimmed(r.stderr)}`);
    }
  }

  /** The tool-config ConfigMap (etcd endpoint and source version filled in) and, when absent, the backup PVC. */
  async prepare(etcdEndpoint: string, sourceVersion: string): Promise<void> {
    let tools: string;
    try {
      tools = await this.filled(MIGRATION_FILES.toolConfig, { etcdEndpoint, sourceVersion });
    } catch (e) {
      throw new PhaseProblem(`internal error: a value of ${MIGRATION_FILES.toolConfig} is missing (${(e as Error).message})`);
    }
    const applied = await this.kubectl(["apply", "-f", "-", "-n", this.o.namespace], tools);
    if (applied.code !== 0) throw new PhaseProblem(`applying the tool ConfigMap ${this.o.names.toolConfigMap} failed: ${trimmed(applied.stderr)}`);
    const claim = await this.kubectl(["get", "persistentvolumeclaim", this.o.names.backupClaim, "-n", this.o.namespace, "-o", "name"]);
    if (claim.code === 0) return;
    if (!isNotFound(claim)) throw new PhaseProblem(`reading the backup volume claim ${this.o.names.backupClaim} failed: ${trimmed(claim.stderr)}`);
    const created = await this.kubectl(["create", "-f", join(this.o.dir, MIGRATION_FILES.backupClaim), "-n", this.o.namespace]);
    if (created.code !== 0) throw new PhaseProblem(`creating the backup volume claim ${this.o.names.backupClaim} failed: ${trimmed(created.stderr)}`);
  }

  /**
   * Runs one meta-migration Job (a new one: an earlier Job of that name is deleted first) until its condition is
   * `Complete`, or `Failed`, or its deadline passed (PhaseProblem, with the Job's log reported).
   */
  async job(name: string, file: string, what: string): Promise<void> {
    const deleted = await this.kubectl(["delete", "job", name, "-n", this.o.namespace, "--ignore-not-found", "--cascade=foreground"]);
    if (deleted.code !== 0) throw new PhaseProblem(`deleting the earlier Job ${name} failed: ${trimmed(deleted.stderr)}`);
    const created = await this.kubectl(["create", "-f", join(this.o.dir, file), "-n", this.o.namespace]);
    if (created.code !== 0) throw new PhaseProblem(`creating the ${what} Job ${name} failed: ${trimmed(created.stderr)}`);
    this.o.reporter.note(`${what}: Job ${name} started`);
    const limit = this.o.stepTimeoutSeconds;
    const deadline = this.o.client.now() + (limit + MIGRATION_JOB_GRACE_SECONDS) * 1000;
    let problem: string;
    for (;;) {
      const c = await this.jobConditions(name);
      if (!c.ok) throw new PhaseProblem(`reading the ${what} Job ${name} failed: ${c.error}`);
      if (c.complete) return;
      if (c.failed) {
        problem = `the ${what} Job ${name} failed`;
        break;
      }
      if (this.o.client.now() >= deadline) {
        problem = `the ${what} Job ${name} did not finish within ${limit}s`;
        break;
      }
      await this.o.client.sleep(MIGRATION_POLL_SECONDS * 1000);
    }
    const claim = await this.kubectlJson(["get", "persistentvolumeclaim", this.o.names.backupClaim, "-n", this.o.namespace]);
    if (claim.ok && getPathValue(claim.json, ["status", "phase"]) === "Pending") {
      problem += `: its backup volume claim ${this.o.names.backupClaim} is still Pending, no StorageClass provisioned it (set migration.storageClass / --storage-class to a class that can, or create a default StorageClass)`;
    }
    const logs = await this.kubectl(["logs", `job/${name}`, "-n", this.o.namespace, "--tail=100"]);
    if (logs.code === 0) {
      this.o.reporter.note(`log of Job ${name} (last 100 lines):`);
      for (const line of logs.stdout.trimEnd().split("\n")) this.o.reporter.note(`  ${line}`);
    } else {
      this.o.reporter.note(`log of Job ${name}: none (the pod never started)`);
    }
    throw new PhaseProblem(problem);
  }
}
