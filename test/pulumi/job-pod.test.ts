/**
 * The Pulumi executor Job (its inputs as registered under mocks) run as a pod against the fake cluster
 * (test/support/pod/run-pod.ts; see test/cdk8s/job-pod.test.ts for what is and is not modelled): it carries only
 * the stops, so a release at 2.5.8 ends at 2.5.16 and the Release resource does the rest; at the target it has
 * nothing to do.
 */
import * as path from "node:path";
import { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE } from "../../src/executor";
import { MilvusCluster } from "../../src/pulumi";
import { FAKE_BIN_DIR, FakeCluster } from "../executor/fake/cluster";
import { imageDir, runPod, type SimPodSpec } from "../support/pod/run-pod";
import { childOf, childrenOf, installMocks, settle, T } from "./helpers";

const RELAY = path.join(__dirname, "..", "support", "pod", "relay-bin.cjs");

beforeAll(async () => {
  await installMocks();
});

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

/** Builds the component (release my-milvus in milvus) and runs its Job's pod. */
async function runJob(resourceName: string) {
  const c = new MilvusCluster(resourceName, { releaseName: "my-milvus", namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8" });
  await settle(c.release.urn);
  const job = childOf(resourceName, T.job).inputs as { spec: { template: { spec: SimPodSpec } } };
  const configMaps = Object.fromEntries(
    childrenOf(resourceName)
      .filter((r) => r.type === T.configMap)
      .map((r) => {
        const inputs = r.inputs as { metadata: { name: string }; data: Record<string, string> };
        return [inputs.metadata.name, inputs.data];
      }),
  );
  const images = {
    [DEFAULT_EXECUTOR_IMAGE]: imageDir(fake.root, "tools", { "/usr/bin/helm": { copyOf: RELAY }, "/usr/bin/kubectl": { copyOf: RELAY } }),
    [DEFAULT_EXECUTOR_NODE_IMAGE]: imageDir(fake.root, "node", { "/usr/local/bin/node": { linkTo: process.execPath } }),
  };
  const out = runPod(path.join(fake.root, "pod"), job.spec.template.spec, images, configMaps, { FAKE_STATE: fake.env()["FAKE_STATE"]!, FAKE_BIN_DIR, NODE_OPTIONS: fake.env()["NODE_OPTIONS"]! });
  fake.sync();
  return out;
}

describe("the Pulumi executor Job, run as a pod against the fake cluster", () => {
  it("runs the 2.5.16 stop on a release at 2.5.8 (the Release moves it to 2.6.4 afterwards)", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const out = await runJob("podrun");
    expect(out.containers.map((c) => [c.name, c.code])).toEqual([
      ["tools", 0],
      ["executor", 0],
    ]);
    expect(out.containers[1]!.stdout).toMatch(/^\[1\/1\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. done in /m);
    expect(fake.upgrades().map((u) => u[u.indexOf("--version") + 1])).toEqual(["4.2.58"]);
    expect(fake.current()).toMatchObject({ tag: "v2.5.16", status: "deployed" });
    // The Job's health gates asked the Milvus Service over HTTP (MILVUS_EXECUTOR_HEALTH=service), never the API server's proxy.
    expect(fake.httpCalls().length).toBeGreaterThan(0);
    expect(fake.kubectlCalls().filter((c) => c[1] === "--raw")).toEqual([]);
  });

  it("has nothing to do once the release is at the target", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6", values: { mixCoordinator: { enabled: true }, streaming: { enabled: true } } });
    const out = await runJob("podnoop");
    expect(out.containers.map((c) => [c.name, c.code])).toEqual([
      ["tools", 0],
      ["executor", 0],
    ]);
    expect(fake.upgrades()).toEqual([]);
  });
});
