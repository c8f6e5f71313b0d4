/**
 * The BUILT bundle (`dist/executor/executor.cjs`, what the Job's ConfigMap and Pulumi's local executor carry) run
 * end to end with plain `node` against the fake cluster's helm and kubectl executables (test/executor/fake/bin):
 * a 2-step chain, a no-op re-run, the Pulumi local executor's `--files-from-stdin`, a dry run, a bad argument, and
 * the Job's `MILVUS_EXECUTOR_HEALTH=service` (the bundle's own fetch, answered by the fake's simulated cluster network).
 * The bundle is copied into a directory without node_modules first, as in the Node image.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, executorRuntime, renderExecutor } from "../../src/executor";
import { planUpgrade } from "../../src/plan/plan";
import { localConnection, localExecutorCommand } from "../../src/pulumi/local-executor";
import { FakeCluster } from "./fake/cluster";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const CHAIN: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };

let fake: FakeCluster;
let bundle: string;
beforeEach(() => {
  fake = FakeCluster.create25();
  // Alone in a directory of its own: no node_modules next to it or above it (os.tmpdir()).
  const dir = path.join(fake.root, "runtime");
  fs.mkdirSync(dir);
  bundle = path.join(dir, "executor.cjs");
  fs.copyFileSync(executorRuntime().path, bundle);
});
afterEach(() => {
  fake.cleanup();
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node executor.cjs <args>` with the fakes as HELM_BIN/KUBECTL_BIN; the fake's state is read back afterwards. */
function runBundle(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<Outcome> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["HELM_BIN", "KUBECTL_BIN", "MILVUS_EXECUTOR_DIR", "MILVUS_EXECUTOR_DRY_RUN", "NODE_OPTIONS"]) delete base[k];
  const fullEnv = { ...base, ...fake.env(), TMPDIR: path.join(fake.root, "tmp"), ...env };
  fs.mkdirSync(fullEnv.TMPDIR!, { recursive: true });
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bundle, ...args], { env: fullEnv, cwd: fake.root, timeout: 60_000, encoding: "utf8" }, (error, stdout, stderr) => {
      fake.sync();
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? "");
  });
}

describe("node dist/executor/executor.cjs against the fake binaries", () => {
  it("runs a 2-step chain 2.5.8 -> 2.5.16 -> 2.6.4; a re-run skips the stop and re-applies only the final step", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.writeBundle(renderExecutor(CHAIN));
    const first = await runBundle(["--dir", fake.bundleDir]);
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((u) => u[u.indexOf("--version") + 1])).toEqual(["4.2.58", "5.0.6"]);
    expect(first.stdout).toMatch(/^\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. done in /m);
    expect(first.stdout).toMatch(/^\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. done in /m);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", chart: "5.0.6", status: "deployed" });

    fake.resetCalls();
    const again = await runBundle([], { MILVUS_EXECUTOR_DIR: fake.bundleDir });
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    // The final step always runs (it carries the values the release must have); the passed stop does not.
    expect(fake.upgrades().map((u) => u[u.indexOf("--version") + 1])).toEqual(["5.0.6"]);
    expect(again.stdout).toMatch(/^\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. skipped/m);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", revision: 4, status: "deployed" });
  });

  it("a Job that carries only the stops (Pulumi) is a true no-op once the release is at the target", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6", values: { mixCoordinator: { enabled: true }, streaming: { enabled: true } } });
    fake.writeBundle(renderExecutor({ ...CHAIN, steps: PLAN.steps.slice(0, -1), includesFinalStep: false, expectedFrom: "2.5.8" }));
    const r = await runBundle(["--dir", fake.bundleDir]);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades()).toEqual([]);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", revision: 2 });
  });

  it("--files-from-stdin (Pulumi's local executor): runs the stops from the JSON on stdin and leaves no file behind", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const stops = renderExecutor({ ...CHAIN, steps: PLAN.steps.slice(0, -1), includesFinalStep: false });
    const cmd = localExecutorCommand(stops, { ...executorRuntime(), path: bundle });
    expect(cmd.interpreter).toEqual(["node", bundle]);
    // Exactly the argv local.Command builds (interpreter..., create), with node resolved to this test's node.
    const r = await runBundle([cmd.create], { ...cmd.environment, MILVUS_EXECUTOR_DIR: "/nonexistent" }, cmd.stdin);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((u) => u[u.indexOf("--version") + 1])).toEqual(["4.2.58"]);
    expect(fake.current()).toMatchObject({ tag: "v2.5.16", status: "deployed" });
    // The values file helm got lived in a private temporary directory, removed afterwards.
    const valuesFile = fake.upgrades()[0]![fake.upgrades()[0]!.indexOf("-f") + 1]!;
    expect(valuesFile.startsWith(path.join(fake.root, "tmp", "milvus-executor-"))).toBe(true);
    expect(fs.readdirSync(path.join(fake.root, "tmp")).filter((f) => f.startsWith("milvus-executor-"))).toEqual([]);
  });

  it("--files-from-stdin with the provider's kubeconfig contents and context: KUBECONFIG is a private copy for the run, every call names the context", async () => {
    fake.kube.state.contexts = { staging: "uid-of-staging", prod: "uid-of-prod" };
    fake.kube.state.currentContext = "staging";
    fake.addRevision({ tag: "v2.5.8" });
    const stops = renderExecutor({ ...CHAIN, steps: PLAN.steps.slice(0, -1), includesFinalStep: false });
    const kubeconfig = "apiVersion: v1\nkind: Config\ncurrent-context: staging\n";
    const connection = localConnection({ kubeconfig, context: "prod", kubeSystemUid: "uid-of-prod" }).connection!;
    expect(connection.secretStdin).toBe(true);
    const cmd = localExecutorCommand(stops, { ...executorRuntime(), path: bundle }, connection);
    const r = await runBundle([cmd.create], cmd.environment, cmd.stdin);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.current()).toMatchObject({ tag: "v2.5.16", status: "deployed" });
    const seen = fake.kube.state.kubeconfigs;
    expect(seen.length).toBeGreaterThan(3);
    for (const k of seen) {
      expect(k.content).toBe(kubeconfig);
      expect(k.path!.startsWith(path.join(fake.root, "tmp", "milvus-executor-"))).toBe(true);
    }
    expect(new Set(fake.kube.state.contextCalls)).toEqual(new Set(["prod"]));
    expect(fs.readdirSync(path.join(fake.root, "tmp")).filter((f) => f.startsWith("milvus-executor-"))).toEqual([]);
  });

  it("--files-from-stdin on another cluster: exit 33 WRONG_CLUSTER, no helm call", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const stops = renderExecutor({ ...CHAIN, steps: PLAN.steps.slice(0, -1), includesFinalStep: false });
    const connection = localConnection({ kubeSystemUid: "uid-of-the-providers-cluster" }).connection!;
    const cmd = localExecutorCommand(stops, { ...executorRuntime(), path: bundle }, connection);
    const r = await runBundle([cmd.create], cmd.environment, cmd.stdin);
    expect(r.code).toBe(EXIT_CODES.WRONG_CLUSTER);
    expect(r.stderr).toContain("[R-LOCAL-CLUSTER]");
    expect(fake.helmCalls()).toEqual([]);
  });

  it("refuses garbage on stdin before touching the cluster", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const r = await runBundle(["--files-from-stdin"], {}, '{"../plan.json": "{}"}');
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain("not a plain file name");
    expect(fake.helmCalls()).toEqual([]);
  });

  it("MILVUS_EXECUTOR_DRY_RUN=1 changes nothing", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.writeBundle(renderExecutor(CHAIN));
    const r = await runBundle(["--dir", fake.bundleDir], { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades()).toEqual([]);
    expect(fake.current()).toMatchObject({ tag: "v2.5.8", revision: 1 });
  });

  it("an unknown argument is a setup failure naming the usage", async () => {
    const r = await runBundle(["--dri", "/x"]);
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain("usage: node executor.cjs [--dir DIR | --files-from-stdin]");
    const both = await runBundle(["--dir", "/x", "--files-from-stdin"]);
    expect(both.code).toBe(EXIT_CODES.SETUP_FAILED);
  });

  it("MILVUS_EXECUTOR_HEALTH=service (the Job): every gate asks the Milvus Service with the bundle's fetch, never the proxy", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.writeBundle(renderExecutor(CHAIN));
    const r = await runBundle(["--dir", fake.bundleDir], { MILVUS_EXECUTOR_HEALTH: "service" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    // Answered by the simulated cluster network (fake/bin/cluster-network.cjs): the live release, then both steps.
    expect(fake.httpCalls()).toEqual(Array(3).fill("http://my-milvus.milvus.svc:9091/healthz"));
    expect(fake.kubectlCalls().filter((c) => c[1] === "--raw")).toEqual([]);
  });

  it("MILVUS_EXECUTOR_HEALTH=service: no answer is exit 11 with the connection error and the NetworkPolicy hint", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.setHealthzUnreachable("connect ECONNREFUSED 10.96.0.12:9091");
    fake.writeBundle(renderExecutor({ ...CHAIN, stepTimeoutSeconds: 3 }));
    const r = await runBundle(["--dir", fake.bundleDir], { MILVUS_EXECUTOR_HEALTH: "service" });
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain("Milvus did not answer healthy on my-milvus:9091/healthz within 3s (GET http://my-milvus.milvus.svc:9091/healthz): no answer: connect ECONNREFUSED 10.96.0.12:9091.");
    expect(r.stderr).toContain("default-deny NetworkPolicy");
    expect(fake.upgrades()).toEqual([]);
  });

  it("an unknown MILVUS_EXECUTOR_HEALTH is a setup failure before anything is asked", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.writeBundle(renderExecutor(CHAIN));
    const r = await runBundle(["--dir", fake.bundleDir], { MILVUS_EXECUTOR_HEALTH: "direct" });
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain('MILVUS_EXECUTOR_HEALTH="direct" is not a health check path; set it to "service"');
    expect([fake.helmCalls(), fake.kubectlCalls()]).toEqual([[], []]);
  });
});
