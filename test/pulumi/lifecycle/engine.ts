/**
 * A model of successive `pulumi up` / `preview` / `refresh` / `destroy` runs of a program, under Pulumi mocks, with
 * the state carried from one run to the next and whatever the executor Job would run executed against the fake
 * helm/kubectl of test/executor/fake-cluster.ts (the current sh executor; the TypeScript executor and its fake once
 * issue #10 lands).
 *
 * What is modelled, and from which source (each decision reads the resource's inputs and the options the component
 * gave it, seen through a `transformations` hook, because `MockResourceArgs` carries no options):
 *
 * - Step per resource (pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `continueStepsFromDiff`): no old state
 *   is a create; `ignoreChanges` paths take their old value before the diff; a changed input is an update, or a
 *   replace where the provider forces one; an unchanged resource whose last operation failed ("initialization
 *   errors") gets an empty update; otherwise it is the same, and its outputs are its old state.
 * - Forced replacements: a Helm Release whose `name` or `namespace` changes (pulumi-kubernetes
 *   `provider/pkg/provider/helm_release.go`, `Diff`, `forceNewFields`); a Job whose spec changes (its pod template
 *   is immutable); a Job with `pulumi.com/replaceUnready: "true"` whose live Job is not ready
 *   (`provider/pkg/provider/provider.go`, `Diff`). Replacing a Job with the same name is delete-before-replace.
 * - Job await (`provider/pkg/await/job.go`): success on the Complete condition, failure on Failed; an empty update of a
 *   Job that already Failed fails at once without running anything.
 * - Release create/update: one `helm upgrade --install` of the target (a revision in the fake), failing when the test
 *   says so (state kept, with the error, like a partial failure).
 * - `refresh` drops resources whose live object is gone (here: Jobs removed by their TTL).
 * - `destroy` and resources that leave the program: delete in reverse registration order, except `retainOnDelete`
 *   (dropped from the state only). Helm uninstall leaves the StatefulSet volume claims; deleting a Namespace deletes
 *   every claim in it.
 * - Secrets get a `uid` and a `resourceVersion` that the API server bumps on every write.
 */
import * as fs from "node:fs";
import * as vm from "node:vm";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CONNECTION_FILE, KUBECONFIG_FILE, parseConnection, withKubeContext } from "../../../src/executor/connection";
import { parseExecutorFiles, withExecutorFiles } from "../../../src/executor/files-from-stdin";
import { runExecutor } from "../../../src/executor/run";
import { FakeCluster } from "../../executor/fake/cluster";
import { isSecretValue } from "../helpers";

// biome-ignore lint/suspicious/noExplicitAny: the SDK's internal module (no types), patched only during a run; see run()
const debuggable: { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> } = require("@pulumi/pulumi/runtime/debuggable") as any;

type Obj = Record<string, unknown>;

/** Options the component gave a resource (what the engine reads). */
interface SeenOptions {
  readonly ignoreChanges?: string[];
  readonly retainOnDelete?: boolean;
  readonly protect?: boolean;
  readonly additionalSecretOutputs?: string[];
  readonly import?: string;
}

/** One resource in the stack state. */
export interface StateEntry {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  inputs: Obj;
  outputs: Obj;
  opts: SeenOptions;
  /** The last create/update failed (the engine's initErrors). */
  initError?: string;
}

/** What the engine did to a resource in one run. */
export type StepOp = "create" | "update" | "empty-update" | "replace" | "same" | "delete" | "retain" | "refresh-drop";

/** The outcome of one run. */
export interface RunResult {
  readonly ok: boolean;
  readonly error?: string;
  /** Step per resource key, in order. */
  readonly steps: { key: string; op: StepOp }[];
  /** How many times the executor ran. */
  readonly executorRuns: number;
}

const JOB = "kubernetes:batch/v1:Job";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const SECRET = "kubernetes:core/v1:Secret";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const COMPONENT = "milvus-cluster:index:MilvusCluster";
const LOCAL_COMMAND = "command:local:Command";

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function getAt(o: unknown, p: readonly string[]): unknown {
  return p.reduce<unknown>((v, k) => (isObj(v) ? v[k] : undefined), o);
}

function setAt(o: Obj, p: readonly string[], v: unknown): void {
  let cur = o;
  for (const k of p.slice(0, -1)) {
    if (!isObj(cur[k])) cur[k] = {};
    cur = cur[k] as Obj;
  }
  if (v === undefined) delete cur[p[p.length - 1]!];
  else cur[p[p.length - 1]!] = v;
}

const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v ?? null)) as T;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The live cluster besides the Helm release (which lives in the fake helm's state). */
export class LiveCluster {
  /** Jobs by `namespace/name`: their condition and TTL. */
  readonly jobs = new Map<string, { condition: "Complete" | "Failed"; ttl?: number }>();
  readonly namespaces = new Set<string>(["default", "kube-system"]);
  /** metadata.uid of kube-system: the cluster's identity (R-LOCAL-CLUSTER). */
  readonly kubeSystemUid = "kube-system-uid-of-the-provider-cluster";
  /** Volume claims by namespace. */
  readonly claims = new Map<string, Set<string>>();
  /** Secrets by `namespace/name`: uid and resourceVersion. */
  readonly secrets = new Map<string, { uid: string; resourceVersion: number; data: string }>();
  private counter = 0;

  nextUid(): string {
    this.counter += 1;
    return `uid-${this.counter}`;
  }

  /** Kubernetes' TTL controller: every finished Job with a TTL is deleted. */
  expireJobs(): string[] {
    const gone = [...this.jobs].filter(([, j]) => j.ttl !== undefined).map(([k]) => k);
    for (const k of gone) this.jobs.delete(k);
    return gone;
  }

  claimsIn(namespace: string): string[] {
    return [...(this.claims.get(namespace) ?? [])].sort();
  }
}

/** Knobs a scenario turns between runs. */
export interface Faults {
  /** The next Release create/update fails after writing a failed revision (helm's own failure). */
  releaseFails?: boolean;
}

/** Name of the provider's cluster in the kubeconfig of the machine running Pulumi (the fake's contexts). */
export const PROVIDER_CONTEXT = "provider-cluster";

/**
 * A stack: state, the fake cluster, and the runs. `program` builds the resources (a `MilvusCluster`) given the
 * options to pass to it (the transformation that shows the engine each child's options).
 */
export class Stack {
  readonly state = new Map<string, StateEntry>();
  readonly fake = FakeCluster.create25();
  readonly live = new LiveCluster();
  readonly faults: Faults = {};
  /** stdout+stderr of every executor run, in order. */
  readonly executorLogs: string[] = [];
  /** The environment and connection of every local executor run (what pulumi-command would start the process with). */
  readonly localRuns: { environment: Record<string, string>; kubeconfig?: string; context?: string; code: number }[] = [];

  constructor() {
    // The machine's kubeconfig knows the provider's cluster (its current context); a scenario adds other contexts.
    this.fake.kube.state.contexts = { [PROVIDER_CONTEXT]: this.live.kubeSystemUid };
    this.fake.kube.state.currentContext = PROVIDER_CONTEXT;
  }
  private seen = new Map<string, SeenOptions>();
  /** Resources registered in the current run (the state of this run so far). */
  private pending = new Map<string, StateEntry>();

  /** Removes the fake's temporary directory. */
  cleanup(): void {
    this.fake.cleanup();
  }

  /** Component options that let the engine model see every child's resource options. */
  private componentOptions(): pulumi.ComponentResourceOptions {
    return {
      transformations: [
        (args) => {
          const o = args.opts as pulumi.CustomResourceOptions;
          this.seen.set(`${args.type}::${args.name}`, {
            ignoreChanges: o.ignoreChanges,
            retainOnDelete: o.retainOnDelete,
            protect: o.protect,
            additionalSecretOutputs: o.additionalSecretOutputs,
            import: typeof o.import === "string" ? o.import : undefined,
          });
          return undefined;
        },
      ],
    };
  }

  /** The options the component gave a resource in the last run. */
  optionsOf(type: string, name: string): SeenOptions | undefined {
    return this.seen.get(`${type}::${name}`);
  }

  /** `pulumi preview`: the steps, no effect on the cluster or the state. */
  preview(program: (opts: pulumi.ComponentResourceOptions) => pulumi.Output<unknown>[]): Promise<RunResult> {
    return this.run(program, true);
  }

  /** `pulumi up` (after a successful preview; `skipPreview` runs only the update). */
  async up(program: (opts: pulumi.ComponentResourceOptions) => pulumi.Output<unknown>[], skipPreview = false): Promise<RunResult> {
    if (skipPreview) return this.run(program, false);
    const p = await this.preview(program);
    // `pulumi up` stops when its preview fails.
    if (!p.ok) return p;
    const u = await this.run(program, false);
    // Steps of the preview, then of the update.
    return { ...u, steps: [...p.steps, ...u.steps] };
  }

  /** `pulumi refresh`: drops the resources whose live object is gone. */
  refresh(): RunResult {
    const steps: { key: string; op: StepOp }[] = [];
    for (const [key, e] of [...this.state]) {
      if (e.type === JOB && !this.live.jobs.has(this.objectKey(e))) {
        this.state.delete(key);
        steps.push({ key, op: "refresh-drop" });
      }
    }
    return { ok: true, steps, executorRuns: 0 };
  }

  /** `pulumi destroy`: every resource, in reverse order, honouring `retainOnDelete`. */
  destroy(): RunResult {
    const steps: { key: string; op: StepOp }[] = [];
    for (const e of [...this.state.values()].reverse()) {
      steps.push({ key: e.key, op: this.delete(e) });
      this.state.delete(e.key);
    }
    return { ok: true, steps, executorRuns: 0 };
  }

  private objectKey(e: StateEntry): string {
    const meta = (e.inputs["metadata"] ?? {}) as Obj;
    return `${String(meta["namespace"] ?? "default")}/${String(meta["name"] ?? e.name)}`;
  }

  private delete(e: StateEntry): StepOp {
    if (e.type === COMPONENT) return "delete";
    if (e.opts.retainOnDelete) return "retain";
    if (e.type === JOB) this.live.jobs.delete(this.objectKey(e));
    if (e.type === NAMESPACE) {
      const ns = String(getAt(e.inputs, ["metadata", "name"]));
      this.live.namespaces.delete(ns);
      this.live.claims.delete(ns);
    }
    if (e.type === RELEASE) {
      // helm uninstall: the revisions go; StatefulSet claims (etcd, MinIO, Pulsar) and the `resource-policy: keep`
      // claims of the standalone pod and standalone MinIO stay.
      const ns = String(e.inputs["namespace"]);
      this.fake.leaveVolumes(...this.live.claimsIn(ns));
    }
    return "delete";
  }

  private async run(program: (opts: pulumi.ComponentResourceOptions) => pulumi.Output<unknown>[], preview: boolean): Promise<RunResult> {
    const steps: { key: string; op: StepOp }[] = [];
    const registered = new Set<string>();
    const newState = new Map<string, StateEntry>();
    let executorRuns = 0;
    let failure: string | undefined;
    this.seen = new Map();
    this.pending = newState;
    const stack = this;
    // A registration that fails does not reliably reject the outputs under mocks: the run ends on the first failure.
    let failRun: (e: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => {
      failRun = reject;
    });
    failed.catch(() => undefined);
    await pulumi.runtime.setMocks(
      {
        async newResource(args: pulumi.runtime.MockResourceArgs): Promise<{ id: string; state: Obj }> {
          const key = `${args.type}::${args.name}`;
          if (process.env["LIFECYCLE_DEBUG"]) fs.appendFileSync(process.env["LIFECYCLE_DEBUG"], `${preview ? "preview" : "up"} ${key}\n`);
          registered.add(key);
          // A read (`Namespace.get`): the provider returns the live object; it is no step of the run.
          if (args.id === "kube-system" && args.type === NAMESPACE) return { id: "kube-system", state: { metadata: { name: "kube-system", uid: stack.live.kubeSystemUid } } };
          // Adopting: the read of the live release (`Release.get`); the provider's Read returns the user-supplied
          // values (`helm get values` without --all). A read is no step of the run.
          if (args.type === RELEASE && args.name.endsWith("-adopted-release") && args.id) {
            const [namespace, release] = args.id.split("/");
            const got = await stack.fake.helm(["get", "values", release!, "-n", namespace!, "-o", "json"]);
            if (got.code !== 0) throw new Error(`resource '${args.id}' does not exist`);
            const current = stack.fake.current();
            return { id: args.id, state: { name: release, namespace, values: JSON.parse(got.stdout) ?? {}, status: { name: release, namespace, status: current.status, version: current.chart, appVersion: current.tag.replace(/^v/, "") } } };
          }
          const opts = stack.seen.get(key) ?? {};
          const old = stack.state.get(key);
          const inputs = copy(args.inputs);
          // ignoreChanges: the old value of each path is used (step_generator: processIgnoreChanges).
          if (old) for (const p of opts.ignoreChanges ?? []) setAt(inputs, p.split("."), copy(getAt(old.inputs, p.split("."))));
          if (!args.custom) {
            newState.set(key, { key, type: args.type, name: args.name, inputs, outputs: inputs, opts });
            return { id: "", state: inputs };
          }
          const op = stack.decide(args.type, old, inputs);
          steps.push({ key, op });
          const entry: StateEntry = { key, type: args.type, name: args.name, inputs, outputs: op === "same" && old ? old.outputs : inputs, opts };
          if (op === "same" && old?.initError === undefined) {
            newState.set(key, { ...old!, opts });
            return { id: `${args.name}_id`, state: old!.outputs };
          }
          if (preview) {
            // A preview reports the step; outputs of a change are the inputs (unknowns are not modelled).
            newState.set(key, entry);
            return { id: `${args.name}_id`, state: entry.outputs };
          }
          try {
            const outputs = await stack.apply(args.type, op, old, entry, () => {
              executorRuns += 1;
            });
            entry.outputs = outputs;
            newState.set(key, entry);
            return { id: `${args.name}_id`, state: outputs };
          } catch (e) {
            entry.initError = (e as Error).message;
            // A failed command leaves the state as it was (applyLocalExecutor); anything else records its initError.
            if (args.type !== LOCAL_COMMAND) newState.set(key, entry);
            // The engine stops here: nothing that depends on this resource is registered. (Rejecting the
            // registration would leave every output of the resource as an unhandled rejection under jest.)
            failRun(e as Error);
            return new Promise<never>(() => undefined);
          }
        },
        call(): Obj {
          return {};
        },
      },
      "lifecycle",
      "dev",
      preview,
    );
    // A failed registration (or a rejected input) rejects promises inside the SDK that nothing awaits: the
    // `registerResource` chain of every dependent. The Pulumi language host reports the first of them as the program's
    // error; jest would fail the test on each. For the run, every SDK-tracked promise (`debuggablePromise`, through
    // which the SDK wraps them all) gets a handler that records the first error instead.
    // A rejected Output also rejects its derived promises (isKnown, isSecret) that nobody awaits. On the real process
    // (jest gives tests a copy of `process`), jest-circus's listener is set aside for
    // the run and these are recorded as the run's failure.
    // The real process: jest gives tests a copy of `process`, and its `createRequire` returns that copy too;
    // `vm.runInThisContext` evaluates in Node's main context.
    const realProcess = vm.runInThisContext("process") as NodeJS.Process;
    const jestListeners = realProcess.listeners("unhandledRejection");
    const jestUncaught = realProcess.listeners("uncaughtException");
    realProcess.removeAllListeners("unhandledRejection");
    realProcess.removeAllListeners("uncaughtException");
    // The first one also ends the run: the outputs of a resource whose registration failed may never settle.
    const swallow = (e: unknown) => {
      failure ??= (e as Error)?.message ?? String(e);
      failRun(e as Error);
    };
    realProcess.on("unhandledRejection", swallow);
    realProcess.on("uncaughtException", swallow);
    const original = debuggable.debuggablePromise;
    debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
      const tracked = original(p, ctx);
      tracked.catch(swallow);
      return tracked;
    };
    try {
      const outputs = program(this.componentOptions());
      await Promise.race([waitFor(outputs), failed]);
    } catch (e) {
      failure = (e as Error).message;
    }
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 200));
    debuggable.debuggablePromise = original;
    realProcess.off("unhandledRejection", swallow);
    realProcess.off("uncaughtException", swallow);
    for (const l of jestUncaught) realProcess.on("uncaughtException", l as (...args: unknown[]) => void);
    for (const l of jestListeners) realProcess.on("unhandledRejection", l as (...args: unknown[]) => void);
    if (preview) return { ok: failure === undefined, error: failure, steps, executorRuns };
    // Resources registered in this run replace their entries; the rest stay (a failed run deletes nothing), or are
    // deleted when the program completed.
    for (const [k, e] of newState) this.state.set(k, e);
    if (failure === undefined) {
      for (const [k, e] of [...this.state]) {
        if (registered.has(k)) continue;
        steps.push({ key: k, op: this.delete(e) });
        this.state.delete(k);
      }
    }
    return { ok: failure === undefined, error: failure, steps, executorRuns };
  }

  /** The engine's step for a custom resource. */
  private decide(type: string, old: StateEntry | undefined, inputs: Obj): StepOp {
    if (!old) return "create";
    const changed = !same(old.inputs, inputs);
    if (type === RELEASE && (!same(old.inputs["name"], inputs["name"]) || !same(old.inputs["namespace"], inputs["namespace"]))) return "replace";
    if (type === JOB) {
      if (changed) return "replace";
      const replaceUnready = getAt(inputs, ["metadata", "annotations", "pulumi.com/replaceUnready"]) === "true";
      const live = this.live.jobs.get(this.objectKey(old));
      if (replaceUnready && live !== undefined && live.condition !== "Complete") return "replace";
    }
    if (type === CONFIG_MAP && changed) return "replace";
    // pulumi-command: a change of `triggers` replaces the command; any other input change updates it, which runs
    // `create` again since it has no `update` (local/command.d.ts). Either way the executor runs.
    if (type === LOCAL_COMMAND && changed) return same(old.inputs["triggers"], inputs["triggers"]) ? "update" : "replace";
    if (changed) return "update";
    if (old.initError !== undefined) return "empty-update";
    return "same";
  }

  /** Performs a step against the model cluster; returns the outputs. */
  private async apply(type: string, op: StepOp, old: StateEntry | undefined, entry: StateEntry, ranExecutor: () => void): Promise<Obj> {
    const inputs = entry.inputs;
    if (type === NAMESPACE) {
      this.live.namespaces.add(String(getAt(inputs, ["metadata", "name"])));
      return inputs;
    }
    if (type === SECRET) {
      const k = this.objectKey(entry);
      const data = JSON.stringify(inputs["stringData"] ?? {});
      const prev = this.live.secrets.get(k);
      const next = prev && op !== "replace" ? { ...prev, resourceVersion: prev.data === data ? prev.resourceVersion : prev.resourceVersion + 1, data } : { uid: this.live.nextUid(), resourceVersion: 1, data };
      this.live.secrets.set(k, next);
      const outputs = copy(inputs);
      setAt(outputs, ["metadata", "uid"], next.uid);
      setAt(outputs, ["metadata", "resourceVersion"], String(next.resourceVersion));
      return outputs;
    }
    if (type === JOB) return this.applyJob(op, old, entry, ranExecutor);
    if (type === LOCAL_COMMAND && entry.name.endsWith("-executor")) return this.applyLocalExecutor(entry, ranExecutor);
    if (type === RELEASE) return this.applyRelease(entry);
    return inputs;
  }

  private async applyJob(op: StepOp, old: StateEntry | undefined, entry: StateEntry, ranExecutor: () => void): Promise<Obj> {
    const k = this.objectKey(entry);
    if (op === "empty-update" || op === "update") {
      // The Job awaiter reads the live Job: a Failed condition fails at once; nothing runs.
      const live = this.live.jobs.get(k);
      if (live?.condition === "Failed") throw new Error(`Job ${k} failed: the Job's Failed condition is True (awaiter, no new run)`);
      return entry.inputs;
    }
    if (op === "replace" && old) this.live.jobs.delete(this.objectKey(old));
    ranExecutor();
    const result = await this.runExecutor(entry.inputs);
    const ttl = getAt(entry.inputs, ["spec", "ttlSecondsAfterFinished"]);
    this.live.jobs.set(k, { condition: result.code === 0 ? "Complete" : "Failed", ttl: typeof ttl === "number" ? ttl : undefined });
    this.executorLogs.push(`${result.stdout}${result.stderr}`);
    if (result.code !== 0) throw new Error(`Job ${k} failed: executor exit ${result.code}: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    return entry.inputs;
  }

  /**
   * The local executor's command: what `node executor.cjs --files-from-stdin` does (entry.ts) with the command's
   * `stdin` and `environment`, in process against the fake: the files in a private directory, a `kubeconfig` among
   * them for KUBECONFIG, `connection.json`'s context on every call and its kube-system uid checked first. A failed
   * command is not kept in the state (pulumi-command's Create returns no resource on error), so the next `up` creates
   * it again.
   */
  private async applyLocalExecutor(entry: StateEntry, ranExecutor: () => void): Promise<Obj> {
    ranExecutor();
    // What the provider receives: secret inputs arrive as their values (the mocks show the SDK's secret wrapper).
    const plain = (v: unknown): unknown => (isSecretValue(v) ? (v as Obj)["value"] : v);
    const environment = (plain(entry.inputs["environment"]) ?? {}) as Record<string, string>;
    const files = parseExecutorFiles(String(plain(entry.inputs["stdin"])));
    const connection = files[CONNECTION_FILE] !== undefined ? parseConnection(files[CONNECTION_FILE]) : {};
    const out: string[] = [];
    const err: string[] = [];
    const code = await withExecutorFiles(
      files,
      (dir) =>
        runExecutor({
          dir,
          dryRun: environment["MILVUS_EXECUTOR_DRY_RUN"] === "1",
          healthCheck: environment["MILVUS_EXECUTOR_HEALTH"] === "service" ? "service" : "proxy",
          client: connection.context !== undefined ? withKubeContext(this.fake.client(), connection.context) : this.fake.client(),
          reporter: { progress: (l) => out.push(l), note: (l) => err.push(l), error: (l) => err.push(l) },
          ...(connection.kubeSystemUid !== undefined ? { expectedClusterUid: connection.kubeSystemUid } : {}),
        }),
      this.fake.root,
    );
    this.localRuns.push({ environment, ...(files[KUBECONFIG_FILE] !== undefined ? { kubeconfig: files[KUBECONFIG_FILE] } : {}), ...(connection.context !== undefined ? { context: connection.context } : {}), code });
    this.executorLogs.push(`${out.map((l) => `${l}\n`).join("")}${err.map((l) => `${l}\n`).join("")}`);
    if (code !== 0) {
      throw new Error(`command ${entry.name} failed: exit ${code}: ${err.slice(-3).join(" | ")}`);
    }
    return { ...entry.inputs, stdout: out.join("\n"), stderr: err.join("\n") };
  }

  /** Runs what the Job's container would run: the ConfigMap it mounts, with the script's documented environment. */
  private async runExecutor(job: Obj): Promise<{ code: number; stdout: string; stderr: string }> {
    const volumes = (getAt(job, ["spec", "template", "spec", "volumes"]) ?? []) as Obj[];
    const cmName = String(getAt(volumes.find((v) => isObj(v["configMap"])), ["configMap", "name"]));
    const ns = String(getAt(job, ["metadata", "namespace"]));
    const cm = [...this.pending.values(), ...this.state.values()].find((e) => e.type === CONFIG_MAP && getAt(e.inputs, ["metadata", "name"]) === cmName && getAt(e.inputs, ["metadata", "namespace"]) === ns);
    if (!cm) throw new Error(`Job mounts ConfigMap ${ns}/${cmName}, which is not in the state`);
    const dir = fs.mkdtempSync(path.join(this.fake.root, "job-"));
    for (const [file, content] of Object.entries((cm.inputs["data"] ?? {}) as Record<string, string>)) fs.writeFileSync(path.join(dir, file), content);
    const out: string[] = [];
    const err: string[] = [];
    // entry.ts: MILVUS_EXECUTOR_DRY_RUN=1 in the container's environment makes it a dry run (the guard).
    const env = (getAt(job, ["spec", "template", "spec", "containers"]) as Obj[] | undefined)?.[0]?.["env"] as { name: string; value: string }[] | undefined;
    const code = await runExecutor({
      dir,
      dryRun: env?.some((e) => e.name === "MILVUS_EXECUTOR_DRY_RUN" && e.value === "1") ?? false,
      // entry.ts: MILVUS_EXECUTOR_HEALTH=service (set by the Job model) makes the health gate ask the Milvus Service.
      healthCheck: env?.some((e) => e.name === "MILVUS_EXECUTOR_HEALTH" && e.value === "service") ? "service" : "proxy",
      client: this.fake.client(),
      reporter: { progress: (l) => out.push(l), note: (l) => err.push(l), error: (l) => err.push(l) },
    });
    const stdout = out.map((l) => `${l}\n`).join("");
    const stderr = err.map((l) => `${l}\n`).join("");
    if (process.env["LIFECYCLE_DEBUG"]) fs.appendFileSync(process.env["LIFECYCLE_DEBUG"], `executor ${code}\n${stdout}${stderr}\n`);
    return { code, stdout, stderr };
  }

  private applyRelease(entry: StateEntry): Obj {
    const inputs = entry.inputs;
    const values = (inputs["values"] ?? {}) as Obj;
    const tag = String(getAt(values, ["image", "all", "tag"]));
    const chart = String(inputs["version"]);
    const ns = String(inputs["namespace"]);
    const name = String(inputs["name"]);
    if (this.faults.releaseFails) {
      this.fake.addRevision({ tag, chart, values, status: "failed" });
      throw new Error(`Release ${ns}/${name}: helm upgrade failed (injected)`);
    }
    const revision = this.fake.addRevision({ tag, chart, values });
    const claims = this.live.claims.get(ns) ?? new Set<string>();
    for (const c of [`data-${name}-etcd-0`, `export-${name}-minio-0`]) claims.add(c);
    this.live.claims.set(ns, claims);
    return { ...copy(inputs), status: { name, namespace: ns, revision, chart: "milvus", version: chart, appVersion: tag.replace(/^v/, ""), status: "deployed" } };
  }
}

/** Waits until every output settled; rejects with the first error. */
async function waitFor(outputs: pulumi.Output<unknown>[]): Promise<void> {
  // biome-ignore lint/suspicious/noExplicitAny: the SDK's internal promise accessor, the way its own tests await outputs
  await Promise.all(outputs.map((o) => (o as any).promise()));
}
