/**
 * The fake cluster: ONE model of a Helm release and the Kubernetes objects around it, in TypeScript, used two ways:
 *
 * - in process, as a `ClusterClient` (`FakeCluster.client()`): the executor's unit tests drive every phase fast, with
 *   a virtual clock (`sleep` advances it, nothing waits);
 * - behind real executables (`bin/helm`, `bin/kubectl`, plain node scripts) that load the same model from a state
 *   directory (`state.json`), run one call and save it: for end-to-end tests through `milvus-cluster apply`, the
 *   process entry and the bundle.
 *
 * What it models: helm release revisions (status, chart, computed and user-supplied values), `helm version`,
 * Milvus Deployments (rollout, image tags), `/healthz` through the service proxy, leftover volume claims, and a
 * generic kubectl object store (get/create/replace/delete of any kind, optimistic concurrency by resourceVersion) in
 * which Leases live. Every call is logged. The migration extends it by registering kubectl handlers
 * (`registerKubectlHandler`) and keeping its objects in the same store.
 *
 * The fake helm and kubectl accept only the flags they know and, like the real helm, refuse `--atomic` on helm 4 and
 * `--rollback-on-failure` on helm 3 ("Error: unknown flag"), so a wrong flag fails the run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClusterClient, CommandOptions, CommandResult } from "../../../src/executor/cluster-client";
import { fakeHelm } from "./helm";
import { fakeKubectl } from "./kubectl";

/** Chart defaults of the fake: the managed keys plus noise that exercises the executor's JSON reading. */
export const FAKE_CHART_DEFAULTS: Record<string, unknown> = {
  attu: { enabled: false, image: { repository: "zilliz/attu", tag: "v2.4.6" } },
  cluster: { enabled: true },
  etcd: { enabled: true, extraEnvVars: [{ name: "A", value: "b=c" }, { name: "EMPTY", value: "" }], replicaCount: 3 },
  externalKafka: { enabled: false, brokerList: "" },
  externalPulsar: { enabled: false, host: "localhost", port: 6650 },
  extraConfigFiles: { "user.yaml": '# "quoted" {braces} [brackets], key: value, back\\slash\\\n' },
  image: { all: { pullPolicy: "IfNotPresent", repository: "milvusdb/milvus", tag: "v2.5.8" }, tools: { repository: "milvusdb/milvus-config-tool", tag: "v0.1.2" } },
  kafka: { enabled: false },
  labels: {},
  log: { level: "info" },
  metrics: { enabled: true },
  mixCoordinator: { enabled: true, replicas: 1, resources: {} },
  nullable: null,
  proxy: { enabled: true },
  pulsar: { enabled: false },
  pulsarv3: { enabled: true },
  rootCoordinator: { enabled: false },
  standalone: { messageQueue: "rocksmq", extraEnv: [] },
  "weird key": 'a\\"b "c" {d}',
  woodpecker: { enabled: false },
};

/** Milvus Deployments of release `my-milvus` in the fake. */
export const FAKE_DEPLOYMENTS = ["my-milvus-milvus-datanode", "my-milvus-milvus-mixcoord", "my-milvus-milvus-proxy", "my-milvus-milvus-querynode"];

/** One revision of the release. */
export interface RevisionState {
  revision: number;
  status: string;
  chart: string;
  /** Computed values (chart defaults merged with the user's). */
  values: Record<string, unknown>;
  /** User-supplied values (`helm get values` without --all). */
  userValues: Record<string, unknown>;
}

/** A Milvus Deployment. */
export interface DeploymentState {
  name: string;
  replicas: number;
}

/** A stored Kubernetes object (any kind): its JSON, with metadata.name, namespace and resourceVersion. */
export type StoredObject = Record<string, unknown> & { metadata: Record<string, unknown> };

/** Everything the fake knows; JSON, so the executables can load and save it. */
export interface FakeState {
  helmVersion: string;
  releaseName: string;
  namespace: string;
  chartDefaults: Record<string, unknown>;
  revisions: RevisionState[];
  deployments: DeploymentState[];
  /** Deployments keep running this tag whatever helm does. */
  frozenImage?: string;
  /** `kubectl rollout status` fails. */
  rolloutFail?: boolean;
  /** stderr of a failing `helm status`. */
  statusError?: string;
  /** The next `helm upgrade --version <chart>` fails: `fetch` before any change, `apply` after creating a revision. */
  failUpgrade?: { chart: string; kind: "fetch" | "apply" };
  /** Answers of `/healthz`, used in order (the last one repeats). @default healthy */
  healthz: { ok: boolean; body: string }[];
  /** Volume claims left by an uninstalled release (listed for its instance label). */
  orphanedPvcs: string[];
  /** The object store: kind (lower-case plural, e.g. "leases") -> "namespace/name" -> object. */
  objects: Record<string, Record<string, StoredObject>>;
  nextResourceVersion: number;
  /** Virtual clock in ms (in process); the executables use real time when unset. */
  clock?: number;
  /** argv of every call; `kubectlKinds[i]` is the kind of the object kubectl call i read from stdin, or "". */
  calls: { helm: string[][]; kubectl: string[][]; kubectlKinds: string[] };
  /** Room for extensions (the migration's knobs and counters). */
  ext: Record<string, unknown>;
}

/** A revision to add. */
export interface FakeRevision {
  /** Milvus image tag, e.g. "v2.5.8". */
  readonly tag: string;
  /** Helm status. @default "deployed" */
  readonly status?: string;
  /** Chart version. @default "4.2.44" */
  readonly chart?: string;
  /** User values merged over FAKE_CHART_DEFAULTS. @default {} */
  readonly values?: Record<string, unknown>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge for test data (arrays and scalars replace), as helm merges values. */
export function deepMergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = isObject(v) && isObject(prev) ? deepMergeValues(prev, v) : v;
  }
  return out;
}

/** A new state: no release, helm v3.17.3, the four Deployments of `my-milvus`, Milvus healthy. */
export function initialState(): FakeState {
  return {
    helmVersion: "v3.17.3",
    releaseName: "my-milvus",
    namespace: "milvus",
    chartDefaults: FAKE_CHART_DEFAULTS,
    revisions: [],
    deployments: FAKE_DEPLOYMENTS.map((name) => ({ name, replicas: 1 })),
    healthz: [{ ok: true, body: "OK" }],
    orphanedPvcs: [],
    objects: {},
    nextResourceVersion: 1,
    calls: { helm: [], kubectl: [], kubectlKinds: [] },
    ext: {},
  };
}

/** What a handler sees of one call. */
export interface FakeCall {
  readonly model: FakeModel;
  readonly args: readonly string[];
  readonly stdin: string | undefined;
}

/** A kubectl handler: answers the call, or returns undefined to let the next handler (finally the built-in one) try. */
export type KubectlHandler = (call: FakeCall) => CommandResult | undefined;

const kubectlHandlers: KubectlHandler[] = [];

/** Adds a kubectl handler in front of the built-in ones (the migration's Jobs, scale, exec, ...). */
export function registerKubectlHandler(handler: KubectlHandler): void {
  kubectlHandlers.unshift(handler);
}

/** The handlers, newest first. */
export function extraKubectlHandlers(): readonly KubectlHandler[] {
  return kubectlHandlers;
}

/** The model: state plus the operations helm and kubectl perform on it. */
export class FakeModel {
  state: FakeState;

  constructor(state: FakeState = initialState()) {
    this.state = state;
  }

  now(): number {
    return this.state.clock ?? Date.now();
  }

  current(): RevisionState | undefined {
    return this.state.revisions.at(-1);
  }

  revision(n: number): RevisionState | undefined {
    return this.state.revisions.find((r) => r.revision === n);
  }

  /** The image tag the Deployments run now. */
  runningTag(): string {
    if (this.state.frozenImage !== undefined) return this.state.frozenImage;
    const tag = (this.current()?.values.image as { all?: { tag?: unknown } } | undefined)?.all?.tag;
    return typeof tag === "string" ? tag : "";
  }

  /** Adds a revision computed from user values (what `helm upgrade --reset-values -f` does). */
  addRevision(userValues: Record<string, unknown>, chart: string, status: string): RevisionState {
    const rev: RevisionState = {
      revision: (this.current()?.revision ?? 0) + 1,
      status,
      chart,
      values: deepMergeValues(this.state.chartDefaults, userValues),
      userValues,
    };
    this.state.revisions.push(rev);
    return rev;
  }

  /** Marks every deployed revision superseded. */
  supersedeAll(): void {
    for (const r of this.state.revisions) if (r.status === "deployed") r.status = "superseded";
  }

  // ---------------------------------------------------------------- object store

  private key(ns: string, name: string): string {
    return `${ns}/${name}`;
  }

  getObject(kind: string, ns: string, name: string): StoredObject | undefined {
    return this.state.objects[kind]?.[this.key(ns, name)];
  }

  listObjects(kind: string, ns: string): StoredObject[] {
    return Object.entries(this.state.objects[kind] ?? {})
      .filter(([k]) => k.startsWith(`${ns}/`))
      .map(([, o]) => o);
  }

  /** Stores `obj` (a new resourceVersion); the caller checked existence and versions. */
  putObject(kind: string, ns: string, obj: StoredObject): StoredObject {
    const name = String(obj.metadata.name);
    const stored: StoredObject = { ...obj, metadata: { ...obj.metadata, name, namespace: ns, resourceVersion: String(this.state.nextResourceVersion++) } };
    this.state.objects[kind] ??= {};
    this.state.objects[kind]![this.key(ns, name)] = stored;
    return stored;
  }

  deleteObject(kind: string, ns: string, name: string): boolean {
    const store = this.state.objects[kind];
    if (!store || !(this.key(ns, name) in store)) return false;
    delete store[this.key(ns, name)];
    return true;
  }

  // ---------------------------------------------------------------- calls

  helm(args: readonly string[], opts?: CommandOptions): CommandResult {
    this.state.calls.helm.push([...args]);
    return fakeHelm(this, args, opts?.stdin);
  }

  kubectl(args: readonly string[], opts?: CommandOptions): CommandResult {
    this.state.calls.kubectl.push([...args]);
    let kind = "";
    try {
      const parsed: unknown = opts?.stdin ? JSON.parse(opts.stdin) : undefined;
      if (isObject(parsed) && typeof parsed.kind === "string") kind = parsed.kind;
    } catch {
      kind = "";
    }
    this.state.calls.kubectlKinds.push(kind);
    return fakeKubectl(this, args, opts?.stdin);
  }
}

/** Hooks of the in-process client (e.g. to run a second executor while the first one upgrades). */
export interface FakeClientHooks {
  /** Called before a helm call is answered; may wait. */
  beforeHelm?: (args: readonly string[]) => Promise<void> | void;
}

/** The fake as a `ClusterClient` in process, with a virtual clock. */
export class FakeClusterClient implements ClusterClient {
  constructor(
    private readonly model: FakeModel,
    private readonly hooks: FakeClientHooks = {},
  ) {
    this.model.state.clock ??= Date.UTC(2026, 0, 1);
  }

  async helm(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    await this.hooks.beforeHelm?.(args);
    return this.model.helm(args, opts);
  }

  async kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    return this.model.kubectl(args, opts);
  }

  async sleep(ms: number): Promise<void> {
    this.model.state.clock = this.model.now() + ms;
    await new Promise((resolve) => setImmediate(resolve));
  }

  now(): number {
    return this.model.now();
  }
}

/** File of the state in a state directory. */
export const STATE_FILE = "state.json";

/** Loads the state of a state directory (bin/helm and bin/kubectl). */
export function loadState(dir: string): FakeState {
  return JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), "utf8")) as FakeState;
}

/** Saves the state atomically (write, then rename). */
export function saveState(dir: string, state: FakeState): void {
  const tmp = path.join(dir, `${STATE_FILE}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, path.join(dir, STATE_FILE));
}

/** The directory of the executables. */
export const FAKE_BIN_DIR = path.join(__dirname, "bin");

/**
 * A fake release and its cluster, with the helpers the tests use. In process (`client()`) the state lives in memory;
 * `env()` saves it to `state/` for the executables, and `sync()` reads it back after they ran.
 */
export class FakeCluster {
  readonly root: string;
  readonly stateDir: string;
  readonly bundleDir: string;
  readonly model: FakeModel;

  private constructor(root: string) {
    this.root = root;
    this.stateDir = path.join(root, "state");
    this.bundleDir = path.join(root, "bundle");
    for (const d of [this.stateDir, this.bundleDir]) fs.mkdirSync(d, { recursive: true });
    this.model = new FakeModel();
  }

  /** A new fake in a fresh temporary directory, with no release yet and helm v3.17.3. */
  static create(): FakeCluster {
    return new FakeCluster(fs.mkdtempSync(path.join(os.tmpdir(), "milvus-executor-")));
  }

  get state(): FakeState {
    return this.model.state;
  }

  /** The in-process client. */
  client(hooks: FakeClientHooks = {}): FakeClusterClient {
    return new FakeClusterClient(this.model, hooks);
  }

  /** Saves the state for the executables and returns the environment that points helm/kubectl callers at them. */
  env(): Record<string, string> {
    this.save();
    return {
      PATH: `${FAKE_BIN_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HELM_BIN: path.join(FAKE_BIN_DIR, "helm"),
      KUBECTL_BIN: path.join(FAKE_BIN_DIR, "kubectl"),
      FAKE_STATE: this.stateDir,
    };
  }

  /** Writes the in-memory state to the state directory. */
  save(): void {
    const { clock: _clock, ...rest } = this.model.state;
    saveState(this.stateDir, rest as FakeState);
  }

  /** Reads the state back from the state directory (after the executables changed it). */
  sync(): void {
    this.model.state = loadState(this.stateDir);
  }

  setHelmVersion(version: string): void {
    this.state.helmVersion = version;
  }

  /** Adds the next revision of the release (user values merged over the defaults, the tag set). */
  addRevision(rev: FakeRevision): number {
    const user = deepMergeValues(rev.values ?? {}, { image: { all: { tag: rev.tag } } });
    return this.model.addRevision(user, rev.chart ?? "4.2.44", rev.status ?? "deployed").revision;
  }

  revisions(): number[] {
    return this.state.revisions.map((r) => r.revision);
  }

  /** The newest revision: number, status, tag, chart and values. */
  current(): { revision: number; status: string; tag: string; chart: string; values: Record<string, unknown> } {
    const r = this.model.current();
    if (!r) throw new Error("no release");
    const tag = (r.values.image as { all: { tag: string } }).all.tag;
    return { revision: r.revision, status: r.status, tag, chart: r.chart, values: r.values };
  }

  statusOf(revision: number): string {
    return this.model.revision(revision)?.status ?? "";
  }

  failUpgrade(chart: string, kind: "fetch" | "apply"): void {
    this.state.failUpgrade = { chart, kind };
  }

  clearFailure(): void {
    delete this.state.failUpgrade;
  }

  /** The release is uninstalled but these volume claims (with its instance label) remain. */
  leaveVolumes(...claims: string[]): void {
    this.state.revisions = [];
    this.state.orphanedPvcs = claims;
  }

  freezeImage(tag: string): void {
    this.state.frozenImage = tag;
  }

  unfreezeImage(): void {
    delete this.state.frozenImage;
  }

  failRollout(fail = true): void {
    this.state.rolloutFail = fail;
  }

  /** `/healthz` answers these, in order (the last repeats). */
  setHealthz(...answers: { ok: boolean; body: string }[]): void {
    this.state.healthz = answers;
  }

  /** Writes the bundle's files into `dir` (default: bundle/); returns the directory. */
  writeBundle(bundle: { files: Readonly<Record<string, string>> }, dir = this.bundleDir): string {
    fs.mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(bundle.files)) fs.writeFileSync(path.join(dir, name), content);
    return dir;
  }

  helmCalls(): string[][] {
    return this.state.calls.helm;
  }

  kubectlCalls(): string[][] {
    return this.state.calls.kubectl;
  }

  /** kubectl calls other than those of the release's Lease (the lock). */
  kubectlCallsBesidesLock(): string[][] {
    const kinds = this.state.calls.kubectlKinds;
    return this.kubectlCalls().filter((c, i) => c[1] !== "lease" && kinds[i] !== "Lease");
  }

  /** The kubectl calls on the release's Lease. */
  leaseCalls(): string[][] {
    const kinds = this.state.calls.kubectlKinds;
    return this.kubectlCalls().filter((c, i) => c[1] === "lease" || kinds[i] === "Lease");
  }

  upgrades(): string[][] {
    return this.helmCalls().filter((c) => c[0] === "upgrade");
  }

  resetCalls(): void {
    this.state.calls = { helm: [], kubectl: [], kubectlKinds: [] };
  }

  /** The release's Lease, if any. */
  lease(): StoredObject | undefined {
    return this.model.getObject("leases", this.state.namespace, `${this.state.releaseName}-milvus-upgrade`);
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
