/**
 * The executor run end to end against the fake cluster model in process (see fake/model.ts): which helm commands it
 * runs, in which order, with which flags, and what it refuses.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { ProcessClusterClient } from "../../src/executor/cluster-client";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import { FAKE_DEPLOYMENTS, FakeCluster } from "./fake/cluster";
import { runEntry, runInProcess } from "./fake/run";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
const REPO = "https://zilliztech.github.io/milvus-helm";

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

/** Renders `opts` into the fake's bundle directory and runs the executor on it in process. */
async function run(opts: ExecutorOptions = BASE): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(fake, renderExecutor(opts));
}

/** The argv the executor passes to `helm upgrade` for a step. */
function upgradeArgv(step: number, chart: string, extra: string[] = []): string[] {
  return [
    "upgrade",
    "my-milvus",
    "milvus",
    "--repo",
    REPO,
    "--version",
    chart,
    "-n",
    "milvus",
    "--reset-values",
    "-f",
    path.join(fake.bundleDir, `step-${step}.yaml`),
    "--wait",
    "--wait-for-jobs",
    "--timeout",
    "900s",
    ...extra,
  ];
}

describe("executor against a fake release", () => {
  it("live 2.5.8 -> 2.6.4: reads the release, then runs both steps in order with the right flags", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    const calls = fake.helmCalls();
    expect(calls.slice(0, 3)).toEqual([
      ["version", "--template", "{{.Version}}"],
      ["status", "my-milvus", "-n", "milvus", "-o", "json"],
      ["get", "values", "my-milvus", "-n", "milvus", "--all", "-o", "json"],
    ]);
    expect(fake.upgrades()).toEqual([upgradeArgv(1, "4.2.58"), upgradeArgv(2, "5.0.6")]);
    expect(r.stdout).toMatch(/^\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. done in \d+s$/m);
    expect(r.stdout).toMatch(/^\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. done in \d+s$/m);
    expect(r.stdout).toContain("release my-milvus is at Milvus 2.6.4");
    const live = fake.current();
    expect([live.tag, live.chart, live.status, live.revision]).toEqual(["v2.6.4", "5.0.6", "deployed", 3]);
  });

  it("gates every step: rollout status of each Milvus deployment, then the image tag", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    await run();
    const kubectl = fake.kubectlCalls();
    const selector = "app.kubernetes.io/instance=my-milvus,app.kubernetes.io/name=milvus,component!=attu,component!=cdc";
    const rollouts = kubectl.filter((c) => c[0] === "rollout");
    // The live release before the first upgrade, then after each of the two steps.
    expect(rollouts).toHaveLength(3 * FAKE_DEPLOYMENTS.length);
    expect(rollouts[0]).toEqual(["rollout", "status", `deployment/${FAKE_DEPLOYMENTS[0]}`, "-n", "milvus", expect.stringMatching(/^--timeout=\d+s$/)]);
    const gets = kubectl.filter((c) => c[0] === "get" && c[1] === "deployments");
    for (const g of gets) expect(g).toEqual(["get", "deployments", "-n", "milvus", "-l", selector, "-o", "json"]);
    // Milvus itself answers healthy after each gate, through the API server's service proxy (Service my-milvus, port 9091).
    const healthz = kubectl.filter((c) => c[1] === "--raw");
    expect(healthz).toEqual(Array(3).fill(["get", "--raw", "/api/v1/namespaces/milvus/services/my-milvus:9091/proxy/healthz"]));
  });

  it("a failed step 2 stops the run; the re-run skips step 1 and resumes at step 2", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.failUpgrade("5.0.6", "fetch");
    const first = await run();
    expect(first.code).toBe(EXIT_CODES.HELM_UPGRADE_FAILED);
    expect(first.stdout).toMatch(/^\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. done in/m);
    expect(first.stdout).not.toContain("[2/2]");
    expect(first.stderr).toContain("helm upgrade to 2.6.4 (chart 5.0.6) failed");
    expect(first.stderr).toContain("resumes at step 2");
    expect(fake.current().tag).toBe("v2.5.16");

    fake.clearFailure();
    fake.resetCalls();
    const second = await run();
    expect(second.code).toBe(EXIT_CODES.SUCCESS);
    expect(second.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped (live 2.5.16 already passed)");
    expect(second.stdout).toMatch(/^\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. done in/m);
    expect(fake.upgrades()).toEqual([upgradeArgv(2, "5.0.6")]);
    expect(fake.current().tag).toBe("v2.6.4");
  });

  it("with rollbackOnFailure a failed step is rolled back (--atomic on helm 3) and the re-run resumes at it", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.failUpgrade("5.0.6", "apply");
    const opts = { ...BASE, rollbackOnFailure: true };
    const first = await run(opts);
    expect(first.code).toBe(EXIT_CODES.HELM_UPGRADE_FAILED);
    expect(first.stderr).toContain("helm rolls the release back");
    expect(fake.upgrades().every((c) => c.includes("--atomic") && !c.includes("--rollback-on-failure"))).toBe(true);
    expect(fake.current()).toMatchObject({ tag: "v2.5.16", status: "deployed" });

    fake.clearFailure();
    fake.resetCalls();
    const second = await run(opts);
    expect(second.code).toBe(EXIT_CODES.SUCCESS);
    expect(second.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped");
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["5.0.6"]);
  });

  it("a release left failed by the step the chain runs next is upgraded again from there (retry), no helm rollback needed", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.failUpgrade("5.0.6", "apply");
    expect((await run()).code).toBe(EXIT_CODES.HELM_UPGRADE_FAILED);
    expect(fake.current()).toMatchObject({ revision: 3, status: "failed", tag: "v2.6.4" });
    fake.clearFailure();

    fake.resetCalls();
    const retried = await run();
    expect(retried.code).toBe(EXIT_CODES.SUCCESS);
    expect(retried.stderr).toContain("release my-milvus is failed (revision 3) at step 2 (2.6.4 (chart 5.0.6)); upgrading again from the last deployed revision 2");
    // The failed revision's values say 2.6.4; the executor plans from revision 2, the last deployed one.
    expect(fake.helmCalls()).toContainEqual(["get", "values", "my-milvus", "-n", "milvus", "--all", "-o", "json", "--revision", "2"]);
    expect(retried.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped (live 2.5.16 already passed)");
    expect(fake.upgrades()).toEqual([upgradeArgv(2, "5.0.6")]);
    expect(fake.current()).toMatchObject({ revision: 4, status: "deployed", tag: "v2.6.4" });
  });

  it("a release left failed by something else than the next step keeps today's guidance; with rollbackOnFailure it resumes from the last deployed revision", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
    // Someone tried another chart (5.0.7 is not the chain's) and left the release failed.
    fake.addRevision({ tag: "v2.6.5", chart: "5.0.7", status: "failed" });
    fake.release.state.revisions[1]!.status = "superseded";

    const refused = await run();
    expect(refused.code).toBe(EXIT_CODES.RELEASE_FAILED);
    expect(refused.stderr).toContain("helm rollback my-milvus 2 -n milvus");
    expect(fake.upgrades()).toEqual([]);

    fake.resetCalls();
    const resumed = await run({ ...BASE, rollbackOnFailure: true });
    expect(resumed.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.helmCalls()).toContainEqual(["get", "values", "my-milvus", "-n", "milvus", "--all", "-o", "json", "--revision", "2"]);
    expect(resumed.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped (live 2.5.16 already passed)");
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["5.0.6"]);
  });

  it("a failed revision with the next step's chart but another image tag is not a retry", async () => {
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
    fake.addRevision({ tag: "v2.6.3", chart: "5.0.6", status: "failed" });
    fake.release.state.revisions[0]!.status = "superseded";
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.RELEASE_FAILED);
    expect(r.stderr).toContain("helm rollback my-milvus 1 -n milvus");
  });

  it("already at the target: only the final step runs (includesFinalStep), nothing at all without it", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const withFinal = await run();
    expect(withFinal.code).toBe(EXIT_CODES.SUCCESS);
    expect(withFinal.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped (live 2.6.4 already passed)");
    expect(fake.upgrades()).toEqual([upgradeArgv(2, "5.0.6")]);

    fake.resetCalls();
    const stops = await run({ ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false });
    expect(stops.code).toBe(EXIT_CODES.SUCCESS);
    expect(stops.stdout).toContain("[1/1] 2.5.16 (chart 4.2.58) ... skipped (live 2.6.4 already passed)");
    expect(stops.stdout).toContain("nothing to do");
    expect(fake.upgrades()).toEqual([]);
    expect(fake.kubectlCallsBesidesLock()).toEqual([]);
  });

  it("candidate stops (Pulumi): runs the stop and leaves the final upgrade to the Helm Release", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const r = await run({ ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades()).toEqual([upgradeArgv(1, "4.2.58")]);
    expect(r.stdout).toContain("the Helm Release performs the final upgrade to 2.6.4");
  });

  it("at 2.5.16 with separate coordinators the 2.5.16 stop still runs (topology differs)", async () => {
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58", values: { mixCoordinator: { enabled: false } } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["4.2.58", "5.0.6"]);
  });

  it("refuses a downgrade before touching anything", async () => {
    fake.addRevision({ tag: "v2.6.5", chart: "5.0.7" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
    expect(r.stderr).toContain("R-DOWNGRADE");
    expect(r.stderr).toContain("2.6.5");
    expect(fake.upgrades()).toEqual([]);
  });

  it.each([
    ["pending-upgrade", "helm rollback my-milvus 1 -n milvus"],
    ["pending-rollback", "helm rollback my-milvus 1 -n milvus"],
  ])("refuses a %s release with the exact recovery command", async (status, command) => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.addRevision({ tag: "v2.5.16", status, chart: "4.2.58" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.RELEASE_PENDING);
    expect(r.stderr).toContain(command);
    expect(fake.upgrades()).toEqual([]);
  });

  it("refuses a pending-install release with helm uninstall", async () => {
    fake.addRevision({ tag: "v2.6.4", status: "pending-install", chart: "5.0.6" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.RELEASE_PENDING);
    expect(r.stderr).toContain("helm uninstall my-milvus -n milvus");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a health gate that never sees the new image exits with its code", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.freezeImage("v2.5.8");
    const started = Date.now();
    const r = await run({ ...BASE, stepTimeoutSeconds: 2 });
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain("step 1/2 (2.5.16 (chart 4.2.58))");
    expect(r.stderr).toContain(`${FAKE_DEPLOYMENTS[0]}=milvusdb/milvus:v2.5.8`);
    expect(r.stderr).toContain("image tagged v2.5.16");
    expect(fake.upgrades()).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(15_000);

    // The re-run does not move on from the unhealthy release: the live release fails its gate first.
    fake.resetCalls();
    const again = await run({ ...BASE, stepTimeoutSeconds: 1 });
    expect(again.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(again.stderr).toContain("before step 2: the live release (Milvus 2.5.16)");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a rollout that does not finish fails the gate", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.failRollout();
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain(`deployment ${FAKE_DEPLOYMENTS[0]} did not finish rolling out`);
    expect(fake.upgrades()).toEqual([]);
  });

  it("refuses a message-queue change before any helm upgrade or kubectl call (but the lock's)", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { kafka: { enabled: true }, pulsarv3: { enabled: false } } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("message queue kafka");
    expect(r.stderr).toContain("pulsarv3");
    expect(r.stderr).toContain("R-MQ-KEEP");
    expect(fake.upgrades()).toEqual([]);
    expect(fake.kubectlCallsBesidesLock()).toEqual([]);
  });

  it("refuses a mode change", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { cluster: { enabled: false } } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.MODE_CHANGE_REFUSED);
    expect(r.stderr).toContain("R-MODE-KEEP");
    expect(fake.upgrades()).toEqual([]);
  });

  it("no release and includesFinalStep false: exit 0, the Helm Release installs it", async () => {
    const r = await run({ ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("no release yet; the Helm Release resource installs it");
    expect(fake.upgrades()).toEqual([]);
  });

  it("no release and includesFinalStep true: installs the final step with helm upgrade --install", async () => {
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped (no release yet");
    expect(fake.upgrades()).toEqual([upgradeArgv(2, "5.0.6", ["--install"])]);
    expect(fake.current()).toMatchObject({ revision: 1, tag: "v2.6.4", status: "deployed" });
  });

  it.each([
    ["v3.12.3", EXIT_CODES.HELM_TOO_OLD],
    ["v3.14.0-rc.1", EXIT_CODES.SUCCESS],
    ["v3.13.99", EXIT_CODES.HELM_TOO_OLD],
    ["v2.17.0", EXIT_CODES.HELM_TOO_OLD],
    ["v3.14.0", EXIT_CODES.SUCCESS],
  ])("helm %s -> exit %d", async (version, code) => {
    fake.setHelmVersion(version);
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const r = await run();
    expect(r.code).toBe(code);
    if (code === EXIT_CODES.HELM_TOO_OLD) {
      expect(r.stderr).toContain(`helm ${version} is too old`);
      expect(r.stderr).toContain(">= 3.14.0");
      expect(r.stderr).toContain("R-HELM-MIN");
      expect(fake.helmCalls()).toEqual([["version", "--template", "{{.Version}}"]]);
    }
  });

  it.each([
    ["v3.17.3", true, ["--atomic"]],
    ["v4.1.4", true, ["--rollback-on-failure"]],
    ["v3.17.3", false, []],
    ["v4.1.4", false, []],
  ])("helm %s with rollbackOnFailure %s passes %j", async (version, rollbackOnFailure, extra) => {
    fake.setHelmVersion(version);
    fake.addRevision({ tag: "v2.5.8" });
    const r = await run({ ...BASE, rollbackOnFailure });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades()).toEqual([upgradeArgv(1, "4.2.58", extra), upgradeArgv(2, "5.0.6", extra)]);
  });

  it("candidate stops that include the 2.2 metadata migration touch nothing of it on a release past 2.2.0", async () => {
    // The migration (migration.test.ts) reads its state only for a release at or below 2.2.0.
    fake.addRevision({ tag: "v2.5.8", values: { pulsar: { enabled: true }, pulsarv3: { enabled: false } } });
    const spec = { version: "2.6.4", messageQueue: "pulsar" } as const;
    const r = await run({ ...BASE, steps: [...candidateStops(spec), ...planUpgrade({ to: spec }).steps] });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("[2/4] 2.2.0 (chart 3.3.6) ... skipped (live 2.5.8 already passed)");
    expect(fake.kubectlCallsBesidesLock().every((c) => (c[0] === "get" ? c[1] === "deployments" || c[1] === "--raw" : c[0] === "rollout"))).toBe(true);
  });

  it("expectedFrom: refuses another live version, accepts a version the chain produces", async () => {
    fake.addRevision({ tag: "v2.5.3" });
    const refused = await run({ ...BASE, expectedFrom: "2.5.8" });
    expect(refused.code).toBe(EXIT_CODES.UNEXPECTED_LIVE_VERSION);
    expect(refused.stderr).toContain("neither the expected 2.5.8");
    expect(fake.upgrades()).toEqual([]);

    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
    const resumed = await run({ ...BASE, expectedFrom: "2.5.8" });
    expect(resumed.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["5.0.6"]);
  });

  it("refuses a pre-release source", async () => {
    fake.addRevision({ tag: "v2.6.0-rc1", chart: "5.0.0" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.PRERELEASE_REFUSED);
    expect(r.stderr).toContain("R-PRERELEASE-SOURCE");
  });

  it("a helm status failure other than a missing release is not mistaken for one", async () => {
    fake.release.state.statusError = "Error: Kubernetes cluster unreachable: secrets is forbidden (not found in cache)\n";
    const r = await run({ ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false });
    expect(r.code).toBe(EXIT_CODES.LIVE_STATE_UNREADABLE);
    expect(r.stderr).toContain("Kubernetes cluster unreachable");
    expect(r.stdout).not.toContain("no release yet");
  });

  it("live values without a Milvus version cannot be read", async () => {
    fake.addRevision({ tag: "latest" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.LIVE_STATE_UNREADABLE);
    expect(r.stderr).toContain("image.all.tag of release my-milvus is 'latest'");
  });

  it("an oci repository is referenced as <url>/milvus without --repo", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    await run({ ...BASE, chartRepository: "oci://registry.example.com/charts/" });
    const [call] = fake.upgrades();
    expect(call!.slice(0, 5)).toEqual(["upgrade", "my-milvus", "oci://registry.example.com/charts/milvus", "--version", "5.0.6"]);
    expect(call).not.toContain("--repo");
  });

  it("the process entry: MILVUS_EXECUTOR_DIR points at the bundle; HELM_BIN and KUBECTL_BIN select the binaries", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const values = fake.writeBundle(renderExecutor(BASE), path.join(fake.root, "values"));
    const binDir = path.join(fake.root, "other-bin");
    fs.mkdirSync(binDir);
    for (const [name, target] of [["my-helm", "helm"], ["my-kubectl", "kubectl"]] as const) {
      const env = fake.env();
      fs.writeFileSync(path.join(binDir, name), `#!/bin/sh\nexec ${JSON.stringify(target === "helm" ? env.HELM_BIN : env.KUBECTL_BIN)} "$@"\n`, { mode: 0o755 });
    }
    // No helm or kubectl on PATH at all: only HELM_BIN/KUBECTL_BIN can find them.
    const r = await runEntry(fake, [], { PATH: "/usr/bin:/bin", MILVUS_EXECUTOR_DIR: values, HELM_BIN: path.join(binDir, "my-helm"), KUBECTL_BIN: path.join(binDir, "my-kubectl") });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades()[0]).toContain(path.join(values, "step-2.yaml"));
  });

  it("the process entry: --dir wins over MILVUS_EXECUTOR_DIR, MILVUS_EXECUTOR_DRY_RUN=1 changes nothing, a bad argument is a setup failure", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const dir = fake.writeBundle(renderExecutor(BASE), path.join(fake.root, "given"));
    const dry = await runEntry(fake, ["--dir", dir], { MILVUS_EXECUTOR_DIR: path.join(fake.root, "nowhere"), MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(dry.code).toBe(EXIT_CODES.SUCCESS);
    expect(dry.stdout).toContain("dry run: nothing changed (live Milvus 2.5.8, 2 step(s) to run)");
    expect(fake.upgrades()).toEqual([]);
    expect(fake.lease()).toBeUndefined();
    const bad = await runEntry(fake, ["--frobnicate"]);
    expect(bad.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(bad.stderr).toContain('unknown argument "--frobnicate"');
  });

  it("a missing values file is a setup failure before anything changes", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.writeBundle(renderExecutor(BASE));
    fs.rmSync(path.join(fake.bundleDir, "step-2.yaml"));
    const r = await runInProcess(fake, undefined);
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain("step-2.yaml is missing");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a missing helm is a setup failure", async () => {
    const r = await runInProcess(fake, renderExecutor(BASE), { client: new ProcessClusterClient({ helmBin: path.join(fake.root, "no-such-helm") }) });
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain("helm not found");
  });

  it("a missing kubectl is a setup failure before anything changes", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const client = new ProcessClusterClient({ helmBin: "/bin/true", kubectlBin: path.join(fake.root, "no-such-kubectl") });
    const helmVersion = { ...client, helm: async () => ({ code: 0, stdout: "v3.17.3", stderr: "" }), kubectl: client.kubectl.bind(client), httpGet: client.httpGet.bind(client), sleep: client.sleep.bind(client), now: client.now.bind(client) };
    const r = await runInProcess(fake, renderExecutor(BASE), { client: helmVersion });
    expect(r.code).toBe(EXIT_CODES.SETUP_FAILED);
    expect(r.stderr).toContain("kubectl not found (KUBECTL_BIN selects the binary)");
    expect(fake.upgrades()).toEqual([]);
  });

  it("standalone rocksmq 2.5.3 -> 2.6.4 keeps its queue", async () => {
    fake.addRevision({ tag: "v2.5.3", chart: "4.2.36", values: { cluster: { enabled: false }, standalone: { messageQueue: "rocksmq" }, pulsarv3: { enabled: false } } });
    const plan = planUpgrade({ from: { version: "2.5.3", mode: "standalone", messageQueue: "rocksmq" }, to: { version: "2.6.4", mode: "standalone" } });
    const r = await run({ ...BASE, steps: plan.steps });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(plan.steps.map((s) => s.chartVersion));
  });
});
