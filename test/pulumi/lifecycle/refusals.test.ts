/**
 * Refusals through whole `pulumi up`s of the lifecycle engine (engine.ts): the run fails with the
 * InputPropertiesError's message naming the property, rule and fix, and nothing that depends on the refused value
 * reaches the cluster. Issue #11 items 6 (R-RELEASE-IDENTITY), 10 (R-LOCAL-CLUSTER) and 11 (late-resolving inputs).
 */
import * as vm from "node:vm";
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../../src/pulumi";
import { PROVIDER_CONTEXT, type RunResult, Stack } from "./engine";

const JOB = "kubernetes:batch/v1:Job";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB_KEY = `${JOB}::my-milvus-executor`;
const RELEASE_KEY = `${RELEASE}::my-milvus`;

beforeAll(() => {
  jest.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
  jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  jest.spyOn(pulumi.log, "error").mockImplementation(() => Promise.resolve());
});

/*
 * A refusal rejects an Output that many SDK promises derive from (each dependent's serialization, isKnown, isSecret);
 * the Pulumi language host reports the first as the program's error, jest-circus would fail the test on every one,
 * also on those settling after the engine's run. For each test, jest's listeners on the real process are set aside
 * and every such rejection is recorded in `stray`; the tests assert that each is the refusal itself.
 */
// The real process (jest gives tests a copy, and jest's `createRequire` returns the copy): vm evaluates in Node's main context.
const realProcess = vm.runInThisContext("process") as NodeJS.Process;
let stray: string[] = [];
let jestListeners: { rejection: NodeJS.UnhandledRejectionListener[]; exception: NodeJS.UncaughtExceptionListener[] };
const record = (e: unknown) => {
  stray.push((e as Error)?.message ?? String(e));
};

let stack: Stack;
beforeEach(() => {
  stack = new Stack();
  stray = [];
  jestListeners = { rejection: realProcess.listeners("unhandledRejection") as NodeJS.UnhandledRejectionListener[], exception: realProcess.listeners("uncaughtException") as NodeJS.UncaughtExceptionListener[] };
  realProcess.removeAllListeners("unhandledRejection");
  realProcess.removeAllListeners("uncaughtException");
  realProcess.on("unhandledRejection", record);
  realProcess.on("uncaughtException", record);
});
afterEach(async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 200));
  realProcess.removeAllListeners("unhandledRejection");
  realProcess.removeAllListeners("uncaughtException");
  for (const l of jestListeners.rejection) realProcess.on("unhandledRejection", l);
  for (const l of jestListeners.exception) realProcess.on("uncaughtException", l);
  stack.cleanup();
});

/** Every stray rejection is the refusal (`message`), nothing else failed. */
async function onlyStray(message: RegExp): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 200));
  for (const s of stray) expect(s).toMatch(message);
}

function program(args: MilvusClusterArgs) {
  return (opts: pulumi.ComponentResourceOptions): pulumi.Output<unknown>[] => {
    const c = new MilvusCluster("my-milvus", args, opts);
    return [c.namespace, c.release.urn, c.status, c.endpoint];
  };
}

const BASE: MilvusClusterArgs = { namespace: "milvus", messageQueue: "pulsarv3", version: "2.5.8" };
const op = (r: RunResult, key: string) => r.steps.filter((s) => s.key === key).map((s) => s.op);

describe("late-resolving inputs through a whole up (item 11)", () => {
  it("namespace from an Output: installs like the plain program, and the next plain up changes nothing", async () => {
    const first = await stack.up(program({ ...BASE, namespace: pulumi.output("milvus") }));
    expect(first).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });
    const again = await stack.up(program(BASE));
    expect(again).toMatchObject({ ok: true, executorRuns: 0 });
    expect(op(again, RELEASE_KEY)).toEqual(["same", "same"]);
  }, 120_000);

  it("replicas from an Output resolving to -1: the preview fails naming queryNode.replicas, nothing is applied", async () => {
    await stack.up(program(BASE));
    const bad = await stack.up(program({ ...BASE, version: "2.5.16", queryNode: { replicas: pulumi.output(-1) } }));
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/queryNode\.replicas: replicas must be a non-negative integer, got -1 \[R-INPUT\] Fix: /);
    expect(op(bad, RELEASE_KEY)).toEqual([]);
    expect(bad.executorRuns).toBe(0);
    expect(stack.fake.current().tag).toBe("v2.5.8");
    await onlyStray(/queryNode\.replicas: replicas must be a non-negative integer, got -1 \[R-INPUT\]/);
  }, 120_000);
});

describe("release identity refused through a whole up (item 6)", () => {
  it.each([
    ["namespace", { namespace: "milvus-2" }, /namespace: changes from "milvus" to "milvus-2".*\[R-RELEASE-IDENTITY\] Fix: set namespace back to "milvus"/],
    ["releaseName", { releaseName: "milvus-b" }, /releaseName: changes from "my-milvus" to "milvus-b".*\[R-RELEASE-IDENTITY\] Fix: set releaseName back to "my-milvus"/],
    ["namespace from an Output", { namespace: pulumi.output("milvus-2") }, /namespace: changes from "milvus" to "milvus-2".*\[R-RELEASE-IDENTITY\]/],
  ] as const)("a %s change fails the preview; the Release and the Job are untouched", async (_label, change, message) => {
    await stack.up(program(BASE));
    const moved = await stack.up(program({ ...BASE, ...change }));
    expect(moved.ok).toBe(false);
    expect(moved.error).toMatch(message);
    expect(op(moved, RELEASE_KEY)).toEqual([]);
    expect(op(moved, JOB_KEY)).toEqual([]);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });
    await onlyStray(message);
  }, 120_000);
});

describe('executor: "local" on another cluster refused through a whole up (item 10, R-LOCAL-CLUSTER)', () => {
  it("the kubeconfig's current context is another cluster: the executor exits WRONG_CLUSTER before any helm call; the Release is untouched", async () => {
    await stack.up(program({ ...BASE, executor: "none" }));
    // The machine's current context now points at staging (another cluster, another kube-system uid).
    stack.fake.kube.state.contexts["staging"] = "kube-system-uid-of-another-cluster";
    stack.fake.kube.state.currentContext = "staging";
    const helmCallsBefore = stack.fake.release.state.calls.length;
    const run = await stack.up(program({ ...BASE, version: "2.5.16", executor: "local" }));
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/exit 33: .*kube-system namespace has uid "kube-system-uid-of-another-cluster", but the Kubernetes provider's cluster has uid "kube-system-uid-of-the-provider-cluster".*\[R-LOCAL-CLUSTER\]. Fix: point localKubeconfig and localContext/);
    // The command ran once (the update; a preview runs nothing) and stopped at its first call, the identity read.
    expect(op(run, "command:local:Command::my-milvus-executor")).toEqual(["create", "create"]);
    expect(stack.localRuns.map((r) => r.code)).toEqual([33]);
    expect(stack.fake.release.state.calls.length).toBe(helmCallsBefore);
    expect(stack.fake.kube.state.calls.at(-1)).toEqual(["get", "namespace", "kube-system", "-o", "jsonpath={.metadata.uid}", "--request-timeout=30s"]);
    expect(stack.fake.kube.state.leases).toEqual({});
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });
    // The failed command is not in the state: once localContext names the provider's cluster, the next up runs it.
    const fixed = await stack.up(program({ ...BASE, version: "2.5.16", executor: "local", localContext: PROVIDER_CONTEXT }));
    expect(fixed.ok).toBe(true);
    expect(stack.localRuns.map((r) => r.code)).toEqual([33, 0]);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.16", status: "deployed" });
    await onlyStray(/R-LOCAL-CLUSTER/);
  }, 120_000);

  it("a localContext the kubeconfig does not know: kubectl's own error, WRONG_CLUSTER, nothing changed", async () => {
    await stack.up(program({ ...BASE, executor: "none" }));
    const run = await stack.up(program({ ...BASE, version: "2.5.16", executor: "local", localContext: "prod-typo" }));
    expect(run.ok).toBe(false);
    expect(run.error).toMatch(/exit 33: .*cannot read which cluster kubectl reaches.*context "prod-typo" does not exist.*\[R-LOCAL-CLUSTER\]/);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });
    await onlyStray(/R-LOCAL-CLUSTER/);
  }, 120_000);
});
