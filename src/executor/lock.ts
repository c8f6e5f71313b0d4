import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { isPlainObject } from "../values/merge";
import type { ClusterClient, CommandResult } from "./cluster-client";
import type { ExecutorInput } from "./context";
import { ExecutorExit } from "./exit";
import { parseJson } from "./live";
import { EXIT_CODES } from "./script";

/*
 * One run at a time: a coordination.k8s.io/v1 Lease per release, the way client-go's leader election uses one
 * (k8s.io/client-go/tools/leaderelection/resourcelock/leaselock.go): `holderIdentity`, `leaseDurationSeconds`,
 * `acquireTime`, `renewTime`, `leaseTransitions`. Every write is a create (fails if it exists) or a replace carrying the
 * resourceVersion that was read (fails with Conflict if anyone wrote in between), so two executors can never both
 * believe they hold it. Released like client-go's ReleaseOnCancel: holder cleared, duration 1 s.
 *
 * Expiry is judged by comparing `renewTime + leaseDurationSeconds` with this machine's clock, so clocks that differ
 * by more than the lease duration can take an abandoned lease over early or late; the default 60 s leaves room for
 * ordinary skew.
 */

/** Seconds a lease stays valid without renewal. */
export const LEASE_DURATION_SECONDS = 60;

/** Seconds between renewals while the executor runs. */
export const LEASE_RENEW_SECONDS = 20;

/** Name of the release's lock. */
export function leaseName(releaseName: string): string {
  return `${releaseName}-milvus-upgrade`;
}

/** Who this executor is, for the holder's identity: the Job's pod, or host and pid. */
export function defaultHolderIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const who = env.MILVUS_EXECUTOR_HOLDER || (env.POD_NAME ? `pod ${env.POD_NAME}` : `${hostname()} pid ${process.pid}`);
  return `${who} (${randomBytes(3).toString("hex")})`;
}

/** Kubernetes MicroTime (RFC 3339 with microseconds). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** A Lease as read. */
export interface LeaseState {
  readonly resourceVersion: string;
  readonly holder: string;
  readonly durationSeconds: number;
  /** renewTime (or acquireTime) in ms since the epoch; NaN when absent. */
  readonly renewedAt: number;
  readonly acquireTime?: string;
  readonly transitions: number;
}

/** `kubectl get lease -o json` -> its state; undefined when malformed. */
export function parseLease(json: unknown): LeaseState | undefined {
  if (!isPlainObject(json) || !isPlainObject(json.metadata)) return undefined;
  const rv = json.metadata.resourceVersion;
  const spec = isPlainObject(json.spec) ? json.spec : {};
  if (typeof rv !== "string") return undefined;
  const renew = typeof spec.renewTime === "string" ? spec.renewTime : typeof spec.acquireTime === "string" ? spec.acquireTime : "";
  return {
    resourceVersion: rv,
    holder: typeof spec.holderIdentity === "string" ? spec.holderIdentity : "",
    durationSeconds: typeof spec.leaseDurationSeconds === "number" ? spec.leaseDurationSeconds : 0,
    renewedAt: renew ? Date.parse(renew) : Number.NaN,
    ...(typeof spec.acquireTime === "string" ? { acquireTime: spec.acquireTime } : {}),
    transitions: typeof spec.leaseTransitions === "number" ? spec.leaseTransitions : 0,
  };
}

/** Whether a lease is free to take at `now`: no holder, or not renewed within its duration. */
export function leaseFree(lease: LeaseState, now: number): boolean {
  if (lease.holder === "") return true;
  if (!Number.isFinite(lease.renewedAt)) return true;
  return now > lease.renewedAt + lease.durationSeconds * 1000;
}

/** Options of `ReleaseLock`. */
export interface ReleaseLockOptions {
  /** Holder identity. @default defaultHolderIdentity() */
  readonly holder?: string;
  /** @default LEASE_DURATION_SECONDS */
  readonly durationSeconds?: number;
}

/** The release's lock as held by this executor. */
export class ReleaseLock {
  /** Lease name. */
  readonly name: string;
  /** This executor's identity. */
  readonly holder: string;
  private readonly durationSeconds: number;
  private resourceVersion = "";
  private acquireTime = "";
  private transitions = 0;
  private lastRenew = 0;
  private lost: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly client: ClusterClient,
    private readonly input: Pick<ExecutorInput, "releaseName" | "namespace">,
    opts: ReleaseLockOptions = {},
  ) {
    this.name = leaseName(input.releaseName);
    this.holder = opts.holder ?? defaultHolderIdentity();
    this.durationSeconds = opts.durationSeconds ?? LEASE_DURATION_SECONDS;
  }

  private manifest(spec: Record<string, unknown>, resourceVersion?: string): string {
    return JSON.stringify({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: this.name,
        namespace: this.input.namespace,
        ...(resourceVersion ? { resourceVersion } : {}),
        labels: { "app.kubernetes.io/instance": this.input.releaseName, "app.kubernetes.io/managed-by": "milvus-cluster" },
      },
      spec,
    });
  }

  private held(now: number): Record<string, unknown> {
    return { holderIdentity: this.holder, leaseDurationSeconds: this.durationSeconds, acquireTime: this.acquireTime, renewTime: microTime(now), leaseTransitions: this.transitions };
  }

  private async write(verb: "create" | "replace", body: string): Promise<CommandResult> {
    return this.client.kubectl([verb, "-f", "-", "-n", this.input.namespace, "-o", "json"], { stdin: body });
  }

  private async read(): Promise<LeaseState | undefined> {
    const r = await this.client.kubectl(["get", "lease", this.name, "-n", this.input.namespace, "-o", "json"]);
    if (r.code === 127) throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `kubectl not found (KUBECTL_BIN selects the binary): ${r.stderr.trim()}; the lock and the health gates need it`);
    if (r.code !== 0) {
      if (/NotFound|not found/.test(r.stderr)) return undefined;
      throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `reading the lock of release ${this.input.releaseName} (Lease ${this.name}) failed: ${r.stderr.trim()}`);
    }
    const lease = parseLease(parseJson(r.stdout));
    if (!lease) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `the Lease ${this.name} is not a readable Lease`);
    return lease;
  }

  private accept(r: CommandResult): void {
    const lease = parseLease(parseJson(r.stdout));
    this.resourceVersion = lease?.resourceVersion ?? "";
  }

  private lockedMessage(lease: LeaseState): string {
    const expires = Number.isFinite(lease.renewedAt) ? new Date(lease.renewedAt + lease.durationSeconds * 1000).toISOString() : "unknown";
    return `release ${this.input.releaseName} is locked by ${lease.holder} (Lease ${this.name} in namespace ${this.input.namespace}, expires ${expires} unless renewed): another executor is upgrading it now. Nothing was changed. Re-run when it has finished; a lock whose holder died is taken over once it expired.`;
  }

  /** Who holds the lock now, if anyone else (for dry runs: read only). */
  async peek(now: number): Promise<string | undefined> {
    const lease = await this.read();
    return lease && !leaseFree(lease, now) && lease.holder !== this.holder ? this.lockedMessage(lease) : undefined;
  }

  /** Takes the lock or throws ExecutorExit(RELEASE_LOCKED) naming its holder. */
  async acquire(now: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const lease = await this.read();
      if (!lease) {
        this.acquireTime = microTime(now);
        this.transitions = 0;
        const r = await this.write("create", this.manifest(this.held(now)));
        if (r.code === 0) return this.took(r, now);
        if (/AlreadyExists|already exists/.test(r.stderr)) continue;
        throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `creating the lock of release ${this.input.releaseName} (Lease ${this.name}) failed: ${r.stderr.trim()}`);
      }
      if (!leaseFree(lease, now) && lease.holder !== this.holder) throw new ExecutorExit(EXIT_CODES.RELEASE_LOCKED, this.lockedMessage(lease));
      this.acquireTime = microTime(now);
      this.transitions = lease.holder === this.holder ? lease.transitions : lease.transitions + 1;
      const r = await this.write("replace", this.manifest(this.held(now), lease.resourceVersion));
      if (r.code === 0) return this.took(r, now);
      if (/Conflict|has been modified/.test(r.stderr)) continue;
      throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `taking the lock of release ${this.input.releaseName} (Lease ${this.name}) failed: ${r.stderr.trim()}`);
    }
    throw new ExecutorExit(EXIT_CODES.RELEASE_LOCKED, `release ${this.input.releaseName}: the Lease ${this.name} kept changing while taking it; another executor is competing for it. Nothing was changed; re-run later.`);
  }

  private took(r: CommandResult, now: number): void {
    this.accept(r);
    this.lastRenew = now;
  }

  /** Renews the lease (a replace with the last resourceVersion). A lost lock is remembered and reported by `check`. */
  async renew(now: number): Promise<void> {
    if (this.lost || this.resourceVersion === "") return;
    const r = await this.write("replace", this.manifest(this.held(now), this.resourceVersion));
    if (r.code === 0) {
      this.accept(r);
      this.lastRenew = now;
      return;
    }
    const lease = await this.read().catch(() => undefined);
    if (lease && lease.holder !== this.holder) this.lost = `the lock was taken over by ${lease.holder || "nobody"} (${r.stderr.trim()})`;
    // A transient error: the next renewal retries; the lease is still valid for its duration.
  }

  /** Renews when a third of the duration has passed (called between phases), and fails when the lock was lost. */
  async checkpoint(now: number): Promise<void> {
    if (now - this.lastRenew >= LEASE_RENEW_SECONDS * 1000) await this.renew(now);
    if (this.lost) {
      throw new ExecutorExit(EXIT_CODES.RELEASE_LOCKED, `release ${this.input.releaseName}: ${this.lost}; stopping before the next change. Re-run when the other executor has finished.`);
    }
  }

  /** Renews every LEASE_RENEW_SECONDS of real time while long helm calls run (the timer does not keep the process alive). */
  startRenewing(now: () => number): void {
    this.timer = setInterval(() => {
      this.renewing ??= this.renew(now()).finally(() => {
        this.renewing = undefined;
      });
    }, LEASE_RENEW_SECONDS * 1000);
    this.timer.unref();
  }

  /** Stops renewing and releases the lock (holder cleared), best effort. */
  async release(now: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.renewing;
    if (this.lost || this.resourceVersion === "") return;
    const spec = { leaseDurationSeconds: 1, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: this.transitions };
    await this.write("replace", this.manifest(spec, this.resourceVersion));
    this.resourceVersion = "";
  }
}
