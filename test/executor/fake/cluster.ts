/**
 * Test support: the fake cluster, ONE model (release.ts for helm, kube.ts for kubectl, both plain JSON state) used two
 * ways:
 *
 * - in process: `FakeCluster` is a `ClusterClient` with a virtual clock (`sleep` advances `now` at once, so every
 *   polling loop of the executor runs without waiting); tests read the models' state and turn their knobs between
 *   runs;
 * - behind real executables `bin/helm` and `bin/kubectl` (plain node scripts, see bin-main.ts) that load the same
 *   models from a state directory (`env()` saves it, `sync()` reads it back), for end-to-end tests through
 *   `milvus-cluster apply`, the process entry and the bundle; `bin/cluster-network.cjs`, preloaded through
 *   NODE_OPTIONS, answers the executor's in-cluster HTTP GETs (the Service's `/healthz`) from the same model.
 *
 * The bundle directory holds plan.json, the values files and the migration manifests as the executor reads them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClusterClient, CommandOptions, CommandResult, HttpGetOptions, HttpResult } from "../../../src/executor/cluster-client";
import { leaseName } from "../../../src/executor/lock";
import { type FakeDeployment, FakeKube, type FakeKubeSetup, type FakeKubeState, newKubeState } from "./kube";
import { FakeRelease, type FakeReleaseState, newReleaseState } from "./release";

/** Chart defaults of a 4.x/5.x chart (Milvus 2.5/2.6): the managed keys plus noise that exercises the JSON reading. */
export const FAKE_CHART_DEFAULTS: Readonly<Record<string, unknown>> = {
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

/** Milvus Deployments of a 2.5 release `my-milvus` (mixCoordinator). */
export const FAKE_25_DEPLOYMENTS: readonly FakeDeployment[] = [
  { name: "my-milvus-milvus-datanode", component: "datanode", replicas: 1 },
  { name: "my-milvus-milvus-mixcoord", component: "mixcoord", replicas: 1 },
  { name: "my-milvus-milvus-proxy", component: "proxy", replicas: 1 },
  { name: "my-milvus-milvus-querynode", component: "querynode", replicas: 1 },
];

/** Names of FAKE_25_DEPLOYMENTS. */
export const FAKE_DEPLOYMENTS: readonly string[] = FAKE_25_DEPLOYMENTS.map((d) => d.name);

/** Setup of a fake cluster. */
export interface FakeClusterSetup extends FakeKubeSetup {
  /** @default "v3.17.3" */
  readonly helmVersion?: string;
  /** Chart defaults the revisions' values are computed over. @default FAKE_CHART_DEFAULTS_3X (release.ts) */
  readonly defaults?: Record<string, unknown>;
}

/** Hooks of the in-process client (e.g. to run a second executor while the first one upgrades). */
export interface FakeClientHooks {
  /** Called before a helm call is answered; may wait. */
  readonly beforeHelm?: (args: readonly string[]) => Promise<void> | void;
  /** Called before a kubectl call is answered (e.g. to make Milvus healthy after some polls). */
  readonly beforeKubectl?: (args: readonly string[]) => Promise<void> | void;
  /** Called before an in-cluster HTTP GET is answered (e.g. to make Milvus healthy after some polls). */
  readonly beforeHttp?: (url: string) => Promise<void> | void;
}

/** The state of both models, as the executables keep it. */
export interface FakeClusterState {
  release: FakeReleaseState;
  kube: FakeKubeState;
  /** Kind of the object each kubectl call read from stdin ("" for none), parallel to kube.calls. */
  stdinKinds: string[];
}

/** File of the state in the state directory. */
export const STATE_FILE = "state.json";

/** The directory of the executables. */
export const FAKE_BIN_DIR = path.join(__dirname, "bin");

/** The two models over one state, linked as helm's actions affect the workloads. */
export function linkedModels(state: Pick<FakeClusterState, "release" | "kube">, cwd: string): { release: FakeRelease; kube: FakeKube } {
  const models = {} as { release: FakeRelease; kube: FakeKube };
  models.release = new FakeRelease(state.release, { helmUpgraded: (o) => models.kube.helmUpgraded(o), helmRolledBack: (r) => models.kube.helmRolledBack(r) }, cwd);
  models.kube = new FakeKube(state.kube, { currentTag: () => models.release.currentTag() }, cwd);
  return models;
}

/** The fake cluster; see the file comment. */
export class FakeCluster implements ClusterClient {
  /** The helm model. */
  release: FakeRelease;
  /** The kube model. */
  kube: FakeKube;
  /** Temporary root of this fake (bundle/, state/). */
  readonly root: string;
  /** Directory of the bundle (plan.json, step-N.yaml, migration-*.yaml). */
  readonly dir: string;
  /** Directory of the executables' state (state.json). */
  readonly stateDir: string;
  /** Virtual milliseconds since the epoch. */
  private clock = Date.UTC(2025, 0, 1);
  /** Sum of the virtual waits (what a real run would have slept). */
  sleptMs = 0;
  /** Kind of the object each kubectl call read from stdin ("" for none), parallel to `kubectlCalls()`. */
  private stdinKinds: string[] = [];
  private hooks: FakeClientHooks = {};

  private constructor(setup: FakeClusterSetup) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "milvus-fake-cluster-"));
    this.dir = path.join(this.root, "bundle");
    this.stateDir = path.join(this.root, "state");
    fs.mkdirSync(this.dir);
    fs.mkdirSync(this.stateDir);
    const kube = newKubeState(setup);
    const release = newReleaseState({ name: kube.release, namespace: kube.namespace, helmVersion: setup.helmVersion, defaults: setup.defaults });
    const models = linkedModels({ release, kube }, this.dir);
    this.release = models.release;
    this.kube = models.kube;
  }

  /** A fake cluster around release `my-milvus` in namespace `milvus`, no revision yet (2.1-era Deployments by default). */
  static create(setup: FakeClusterSetup = {}): FakeCluster {
    return new FakeCluster(setup);
  }

  /** A fake 2.5/2.6-era cluster: FAKE_25_DEPLOYMENTS and FAKE_CHART_DEFAULTS, no revision yet. */
  static create25(setup: FakeClusterSetup = {}): FakeCluster {
    return new FakeCluster({ deployments: FAKE_25_DEPLOYMENTS, defaults: structuredClone(FAKE_CHART_DEFAULTS) as Record<string, unknown>, ...setup });
  }

  /** The bundle directory (an alias of `dir`). */
  get bundleDir(): string {
    return this.dir;
  }

  /** This fake as the executor's client, with hooks (the same model and clock). */
  client(hooks: FakeClientHooks = {}): ClusterClient {
    this.hooks = hooks;
    return this;
  }

  async helm(argv: readonly string[]): Promise<CommandResult> {
    const { args, error } = this.kube.takeContext(argv, "--kube-context");
    await this.hooks.beforeHelm?.(args);
    return error ?? this.release.helm(args);
  }

  async kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    await this.hooks.beforeKubectl?.(args);
    this.stdinKinds.push(stdinKindOf(opts?.stdin));
    return this.kube.kubectl(args, opts?.stdin);
  }

  /** Answers from the kube model's `/healthz`; a request without an answer costs its whole timeout on the virtual clock. */
  async httpGet(url: string, opts: HttpGetOptions): Promise<HttpResult> {
    await this.hooks.beforeHttp?.(url);
    this.httpTimeouts.push(opts.timeoutMs);
    const r = this.kube.httpGet(url);
    if (r.status === 0) this.clock += opts.timeoutMs;
    return r;
  }

  /** `timeoutMs` of every HTTP GET, in order. */
  readonly httpTimeouts: number[] = [];

  sleep(ms: number): Promise<void> {
    this.clock += ms;
    this.sleptMs += ms;
    return Promise.resolve();
  }

  now(): number {
    return this.clock;
  }

  /** Writes the bundle's files into `dir` (default: the bundle directory, replacing an earlier bundle); returns it. */
  writeBundle(bundle: { files: Readonly<Record<string, string>> }, dir = this.dir): string {
    fs.mkdirSync(dir, { recursive: true });
    if (dir === this.dir) for (const f of fs.readdirSync(this.dir)) fs.rmSync(path.join(this.dir, f), { force: true });
    for (const [name, text] of Object.entries(bundle.files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  // ------------------------------------------------------------------ the executables

  /** Saves the state for the executables and returns the environment that points helm/kubectl callers at them. */
  env(): Record<string, string> {
    this.save();
    return {
      PATH: `${FAKE_BIN_DIR}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HELM_BIN: path.join(FAKE_BIN_DIR, "helm"),
      KUBECTL_BIN: path.join(FAKE_BIN_DIR, "kubectl"),
      FAKE_STATE: this.stateDir,
      // The simulated cluster network: fetch of http://<service>.<namespace>.svc:... is answered by this model.
      NODE_OPTIONS: `--require ${JSON.stringify(path.join(FAKE_BIN_DIR, "cluster-network.cjs"))}`,
    };
  }

  /** Writes both models' state to the state directory. */
  save(): void {
    const state: FakeClusterState = { release: this.release.state, kube: this.kube.state, stdinKinds: this.stdinKinds };
    fs.writeFileSync(path.join(this.stateDir, STATE_FILE), JSON.stringify(state));
  }

  /** Reads the state back from the state directory (after the executables changed it). */
  sync(): void {
    const state = JSON.parse(fs.readFileSync(path.join(this.stateDir, STATE_FILE), "utf8")) as FakeClusterState;
    const models = linkedModels(state, this.dir);
    this.release = models.release;
    this.kube = models.kube;
    this.stdinKinds = state.stdinKinds;
  }

  // ------------------------------------------------------------------ knobs and views for tests

  setHelmVersion(version: string): void {
    this.release.state.helmVersion = version;
  }

  /** Adds the next revision of the release (values merged over the defaults, image.all.tag set). */
  addRevision(rev: { tag: string; status?: string; chart?: string; values?: Record<string, unknown> }): number {
    return this.release.addRevision(rev);
  }

  revisions(): number[] {
    return this.release.state.revisions.map((r) => r.revision);
  }

  /** The newest revision: number, status, tag, chart and values. */
  current(): { revision: number; status: string; tag: string; chart: string; values: Record<string, unknown> } {
    const r = this.release.current();
    if (!r) throw new Error("no release");
    return { revision: r.revision, status: r.status, tag: r.tag, chart: r.chart, values: r.values };
  }

  failUpgrade(chart: string, kind: "fetch" | "apply"): void {
    this.release.state.failUpgrade = { chart, kind };
  }

  clearFailure(): void {
    this.release.state.failUpgrade = null;
  }

  freezeImage(tag: string): void {
    this.release.state.frozenImage = tag;
  }

  unfreezeImage(): void {
    this.release.state.frozenImage = null;
  }

  failRollout(fail = true): void {
    this.kube.state.rolloutFail = fail;
  }

  /** What `/healthz` answers: "ok", or the error text of an unhealthy Milvus. */
  setHealthz(answer: string): void {
    this.kube.state.healthz = answer;
  }

  /** The Service's `/healthz` gives no answer from inside the cluster (`error`), or answers again (`null`). */
  setHealthzUnreachable(error: string | null): void {
    this.kube.state.healthzUnreachable = error;
  }

  /** URL of every in-cluster HTTP GET since the last `resetCalls`. */
  httpCalls(): string[] {
    return this.kube.state.httpCalls;
  }

  /** The release is uninstalled, but these volume claims (labelled with its instance) remain. */
  leaveVolumes(...claims: string[]): void {
    this.release.state.revisions = [];
    for (const name of claims) {
      this.kube.state.pvcs[name] = { phase: "Bound", manifest: { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name, labels: { "app.kubernetes.io/instance": this.kube.state.release } } } };
    }
  }

  /** The release's Lease (the executor's lock), if any. */
  lease(): Record<string, unknown> | undefined {
    return this.kube.state.leases[leaseName(this.kube.state.release)];
  }

  /** argv of every helm call since the last `resetCalls`. */
  helmCalls(): string[][] {
    return this.release.state.calls;
  }

  /** argv of every kubectl call since the last `resetCalls`. */
  kubectlCalls(): string[][] {
    return this.kube.state.calls;
  }

  /** The kubectl calls on the release's Lease. */
  leaseCalls(): string[][] {
    return this.kubectlCalls().filter((c, i) => c[1] === "lease" || this.stdinKinds[i] === "Lease");
  }

  /** The kubectl calls other than those on the release's Lease. */
  kubectlCallsBesidesLock(): string[][] {
    return this.kubectlCalls().filter((c, i) => !(c[1] === "lease" || this.stdinKinds[i] === "Lease"));
  }

  /** argv of the `helm upgrade` calls. */
  upgrades(): string[][] {
    return this.helmCalls().filter((c) => c[0] === "upgrade");
  }

  /** Forgets the recorded calls. */
  resetCalls(): void {
    this.release.state.calls = [];
    this.kube.state.calls = [];
    this.kube.state.httpCalls = [];
    this.stdinKinds = [];
  }

  /** Removes the temporary directory. */
  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** Kind of the Kubernetes object in `stdin` (JSON), or "". */
export function stdinKindOf(stdin: string | undefined): string {
  if (!stdin) return "";
  try {
    const parsed = JSON.parse(stdin) as { kind?: unknown };
    return typeof parsed.kind === "string" ? parsed.kind : "";
  } catch {
    return "";
  }
}
