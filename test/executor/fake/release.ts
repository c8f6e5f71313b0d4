/**
 * Test support: the helm side of the fake cluster, in TypeScript: one Helm release as JSON data (its revisions with
 * status, chart, image tag and values) and `helm` argv answered as the real helm answers them (`status -o json`,
 * `get values [--all] -o json [--revision N]`, `history -o json`, `upgrade`, `rollback`, `version`). Like the real
 * binaries it refuses `--atomic` on helm 4 and `--rollback-on-failure` on helm 3 ("Error: unknown flag"), so a wrong
 * flag fails the run. It tells the kube model (kube.ts) what an upgrade or rollback did to the Deployments.
 *
 * Knobs: `failUpgrade` (`fetch` fails before any change, `apply` creates a failed revision, rolled back by helm when
 * helm's own rollback flag was given), `frozenImage` (Deployments keep a tag whatever helm does), `statusError`,
 * `failRollback`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandResult } from "../../../src/executor/cluster-client";
// Loaded on first use: every call of the fake executables is a new process.
import { yaml } from "../../../src/util/lazy-yaml";

/** Chart defaults of a 3.x chart (what Milvus 2.1 and 2.2 run on): the managed keys, no pulsarv3. */
export const FAKE_CHART_DEFAULTS_3X: Readonly<Record<string, unknown>> = {
  attu: { enabled: false, image: { repository: "zilliz/attu", tag: "v2.2.8" } },
  cluster: { enabled: true },
  etcd: { enabled: true, replicaCount: 3 },
  externalKafka: { enabled: false },
  externalPulsar: { enabled: false, host: "localhost", port: 6650 },
  image: { all: { pullPolicy: "IfNotPresent", repository: "milvusdb/milvus", tag: "v2.2.0" } },
  kafka: { enabled: false },
  mixCoordinator: { enabled: false },
  pulsar: { enabled: true },
  standalone: { messageQueue: "rocksmq" },
  // A literal dotted key next to the nested one: the executor must read values by their nested path only.
  "mixCoordinator.enabled": true,
};

/** One revision. */
export interface FakeRevisionState {
  readonly revision: number;
  status: string;
  readonly chart: string;
  readonly tag: string;
  /** Computed values (`--all`). */
  readonly values: Record<string, unknown>;
  /** User-supplied values (without `--all`). */
  readonly userValues: Record<string, unknown>;
}

/** The release as JSON data. */
export interface FakeReleaseState {
  name: string;
  namespace: string;
  /** What `helm version --template '{{.Version}}'` prints. */
  helmVersion: string;
  defaults: Record<string, unknown>;
  revisions: FakeRevisionState[];
  failUpgrade: { chart: string; kind: "fetch" | "apply" } | null;
  frozenImage: string | null;
  statusError: string | null;
  failRollback: boolean;
  /** argv of every helm call. */
  calls: string[][];
}

/** A new release state without revisions (no release yet). */
export function newReleaseState(o: { name?: string; namespace?: string; helmVersion?: string; defaults?: Record<string, unknown> } = {}): FakeReleaseState {
  return {
    name: o.name ?? "my-milvus",
    namespace: o.namespace ?? "milvus",
    helmVersion: o.helmVersion ?? "v3.17.3",
    defaults: structuredClone(o.defaults ?? FAKE_CHART_DEFAULTS_3X) as Record<string, unknown>,
    revisions: [],
    failUpgrade: null,
    frozenImage: null,
    statusError: null,
    failRollback: false,
    calls: [],
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge (arrays and scalars replace), what `--reset-values -f` computes over the chart defaults. */
export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? mergeValues(prev, v) : v;
  }
  return out;
}

/** What helm's actions do to the workloads (the kube model). */
export interface FakeReleaseLink {
  helmUpgraded(outcome: "deployed" | "failed" | "rolled-back"): void;
  helmRolledBack(revision: number): void;
}

class HelmError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function die(message: string): never {
  throw new HelmError(2, `fake helm: ${message}`);
}

/** The helm model over a state; see the file comment. */
export class FakeRelease {
  constructor(
    readonly state: FakeReleaseState,
    private readonly link: FakeReleaseLink,
    private readonly cwd = process.cwd(),
  ) {}

  private get major(): number {
    return Number(/^v?(\d+)/.exec(this.state.helmVersion)?.[1] ?? 3);
  }

  /** The newest revision, or undefined (no release). */
  current(): FakeRevisionState | undefined {
    return this.state.revisions.at(-1);
  }

  /** Image tag the Deployments run. */
  currentTag(): string {
    return this.state.frozenImage ?? this.current()?.tag ?? "";
  }

  /** Adds a revision with `values` merged over the defaults and image.all.tag `tag`. */
  addRevision(rev: { tag: string; status?: string; chart?: string; values?: Record<string, unknown> }): number {
    const userValues = mergeValues(rev.values ?? {}, { image: { all: { tag: rev.tag } } });
    const revision = this.state.revisions.length + 1;
    this.state.revisions.push({ revision, status: rev.status ?? "deployed", chart: rev.chart ?? "4.2.44", tag: rev.tag, values: mergeValues(this.state.defaults, userValues), userValues });
    return revision;
  }

  private notFound(): never {
    throw new HelmError(1, "Error: release: not found");
  }

  private supersedeAll(): void {
    for (const r of this.state.revisions) if (r.status === "deployed") r.status = "superseded";
  }

  /** Runs one helm call against the model (records its argv first). */
  helm(args: readonly string[]): CommandResult {
    this.state.calls.push([...args]);
    try {
      return { code: 0, stdout: this.run(args), stderr: "" };
    } catch (e) {
      if (e instanceof HelmError) return { code: e.code, stdout: "", stderr: `${e.message}\n` };
      throw e;
    }
  }

  private run(args: readonly string[]): string {
    const [cmd, ...rest] = args;
    const pos: string[] = [];
    const f: Record<string, string | true> = {};
    const valued = ["-n", "--namespace", "-o", "--output", "--revision", "--version", "--repo", "-f", "--values", "--timeout", "--template"];
    const bools = ["-a", "--all", "--wait", "--wait-for-jobs", "--reset-values", "--atomic", "--rollback-on-failure", "-i", "--install"];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === "") die("empty argument");
      if (valued.includes(a)) {
        f[a === "--namespace" ? "-n" : a === "--output" ? "-o" : a === "--values" ? "-f" : a] = rest[++i] ?? die(`${a} needs a value`);
      } else if (bools.includes(a)) {
        if (a === "--atomic" && this.major !== 3) throw new HelmError(1, `Error: unknown flag: ${a}`);
        if (a === "--rollback-on-failure" && this.major === 3) throw new HelmError(1, `Error: unknown flag: ${a}`);
        f[a === "-a" ? "--all" : a === "-i" ? "--install" : a] = true;
      } else if (a.startsWith("-")) {
        throw new HelmError(1, `Error: unknown flag: ${a}`);
      } else pos.push(a);
    }
    const st = this.state;
    const needNamespace = (): void => {
      if (f["-n"] !== st.namespace) die(`${cmd} without -n ${st.namespace}`);
    };
    switch (cmd) {
      case "version":
        if (f["--template"] !== "{{.Version}}") die("unexpected version arguments");
        return st.helmVersion;
      case "status": {
        needNamespace();
        if (st.statusError !== null) throw new HelmError(1, st.statusError);
        const cur = this.current() ?? this.notFound();
        if (f["-o"] !== "json") die("status needs -o json");
        return `${JSON.stringify({
          name: pos[0],
          info: { first_deployed: "2025-01-01T00:00:00Z", last_deployed: "2025-01-02T00:00:00Z", deleted: "", description: 'Upgrade "complete" {ok}', status: cur.status, notes: 'Milvus "notes": {"status":"fake"}' },
          // helm status -o json prints the whole release, chart included (release.Release.Chart.Metadata).
          chart: { metadata: { name: "milvus", version: cur.chart, appVersion: cur.tag.replace(/^v/, ""), apiVersion: "v2" }, templates: [], values: {} },
          config: cur.userValues,
          manifest: '---\nkind: "Deployment"\nmetadata: {"name": "x", "status": "pending-upgrade", "version": 99}\n',
          version: cur.revision,
          namespace: st.namespace,
        })}\n`;
      }
      case "get": {
        needNamespace();
        if (pos[0] !== "values") die("only get values");
        if (f["-o"] !== "json") die("get values needs -o json");
        if (!this.current()) this.notFound();
        const rev = f["--revision"] === undefined ? this.current()! : (st.revisions.find((r) => String(r.revision) === f["--revision"]) ?? this.notFound());
        return `${JSON.stringify(f["--all"] ? rev.values : rev.userValues)}\n`;
      }
      case "history": {
        needNamespace();
        if (!this.current()) this.notFound();
        if (f["-o"] !== "json") die("history needs -o json");
        return `${JSON.stringify(st.revisions.map((r) => ({ revision: r.revision, updated: "2025-01-01T00:00:00Z", status: r.status, chart: `milvus-${r.chart}`, app_version: r.tag, description: `desc "${r.revision}" {x} [y]` })))}\n`;
      }
      case "upgrade":
        return this.upgrade(pos, f);
      case "rollback": {
        needNamespace();
        if (f["--wait"] !== true) die("rollback needs --wait");
        if (st.failRollback) throw new HelmError(1, "Error: rollback failed: context deadline exceeded");
        const target = st.revisions.find((r) => String(r.revision) === pos[1]);
        if (!target) throw new HelmError(1, `Error: release has no ${String(pos[1])} version`);
        this.supersedeAll();
        const revision = st.revisions.length + 1;
        st.revisions.push({ ...structuredClone(target), revision, status: "deployed" });
        this.link.helmRolledBack(target.revision);
        return "Rollback was a success! Happy Helming!\n";
      }
      default:
        return die(`unsupported command ${String(cmd)}`);
    }
  }

  private upgrade(pos: string[], f: Record<string, string | true>): string {
    const st = this.state;
    const [rel, chart] = pos;
    const cur = this.current();
    if (!cur && f["--install"] !== true) throw new HelmError(1, `Error: UPGRADE FAILED: "${String(rel)}" has no deployed releases`);
    if (cur?.status.startsWith("pending-")) throw new HelmError(1, "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress");
    const version = f["--version"];
    const file = f["-f"];
    if (typeof version !== "string" || typeof file !== "string" || f["-n"] !== st.namespace || chart === undefined) die("upgrade needs a chart, --version, -n and a -f file");
    const userValues = (yaml().parse(fs.readFileSync(path.resolve(this.cwd, file), "utf8"), { version: "1.1" }) ?? {}) as Record<string, unknown>;
    const values = mergeValues(st.defaults, userValues);
    const tagOf = (v: Record<string, unknown>): string => String(((v["image"] as Record<string, unknown>)?.["all"] as Record<string, unknown>)?.["tag"] ?? "");
    const newRevision = (status: string): void => {
      st.revisions.push({ revision: st.revisions.length + 1, status, chart: version, tag: tagOf(values), values, userValues });
    };
    const failure = st.failUpgrade;
    if (failure && failure.chart === version) {
      if (failure.kind === "fetch") throw new HelmError(1, `Error: failed to download "${chart}" at version "${version}"`);
      if (f["--atomic"] === true || f["--rollback-on-failure"] === true) {
        this.supersedeAll();
        newRevision("failed");
        const back = structuredClone(cur ?? st.revisions.at(-1)!);
        st.revisions.push({ ...back, revision: st.revisions.length + 1, status: "deployed" });
        this.link.helmUpgraded("rolled-back");
        throw new HelmError(1, `Error: UPGRADE FAILED: release ${String(rel)} failed, and has been rolled back due to atomic being set: context deadline exceeded`);
      }
      newRevision("failed");
      this.link.helmUpgraded("failed");
      throw new HelmError(1, "Error: UPGRADE FAILED: context deadline exceeded");
    }
    this.supersedeAll();
    newRevision("deployed");
    this.link.helmUpgraded("deployed");
    return `Release "${String(rel)}" has been upgraded. Happy Helming!\n`;
  }
}
