/**
 * The synthesized executor Job run as a pod (test/support/pod/run-pod.ts: volumes from the synthesized ConfigMaps,
 * init container then main container, paths mapped through each container's mounts) against the fake cluster:
 * the init container's `cp` puts helm and kubectl where HELM_BIN and KUBECTL_BIN point, and node runs executor.cjs
 * from the runtime ConfigMap with the plan from the per-plan ConfigMap. The tools image holds a relay to the fake
 * binaries at /usr/bin/helm and /usr/bin/kubectl (where alpine/k8s has them); the Node image holds node at
 * /usr/local/bin/node (where the official node images have it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Chart, Testing } from "cdk8s";
import { MilvusCluster, type MilvusClusterProps } from "../../src/cdk8s";
import { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE } from "../../src/executor";
import { FAKE_BIN_DIR, FakeCluster } from "../executor/fake/cluster";
import { imageDir, runPod, type SimPodSpec } from "../support/pod/run-pod";
import { type K8sObject, ofKind, single } from "./support";

const RELAY = path.join(__dirname, "..", "support", "pod", "relay-bin.cjs");

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

function synth(props: MilvusClusterProps): K8sObject[] {
  const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
  new MilvusCluster(chart, "my-milvus", props);
  return Testing.synth(chart) as K8sObject[];
}

function runJob(objects: K8sObject[]) {
  const pod = (single(objects, "Job")["spec"] as { template: { spec: SimPodSpec } }).template.spec;
  const configMaps = Object.fromEntries(ofKind(objects, "ConfigMap").map((c) => [c.metadata.name, c["data"] as Record<string, string>]));
  const images = {
    [DEFAULT_EXECUTOR_IMAGE]: imageDir(fake.root, "tools", { "/usr/bin/helm": { copyOf: RELAY }, "/usr/bin/kubectl": { copyOf: RELAY } }),
    [DEFAULT_EXECUTOR_NODE_IMAGE]: imageDir(fake.root, "node", { "/usr/local/bin/node": { linkTo: process.execPath } }),
  };
  // NODE_OPTIONS: the simulated cluster network, through which the Job's health gate asks the Milvus Service.
  const env = { FAKE_STATE: fake.env()["FAKE_STATE"]!, FAKE_BIN_DIR, NODE_OPTIONS: fake.env()["NODE_OPTIONS"]! };
  const out = runPod(path.join(fake.root, "pod"), pod, images, configMaps, env);
  fake.sync();
  return out;
}

describe("the cdk8s executor Job, run as a pod against the fake cluster", () => {
  it("2.5.8 -> 2.5.16 -> 2.6.4: the init container copies helm and kubectl, node runs the bundle from its ConfigMap", () => {
    fake.addRevision({ tag: "v2.5.8" });
    const out = runJob(synth({ version: "2.6.4", from: "2.5.8" }));
    expect(out.containers.map((c) => [c.name, c.code])).toEqual([
      ["tools", 0],
      ["executor", 0],
    ]);
    expect(fs.readdirSync(out.volumes["tools"]!).sort()).toEqual(["helm", "kubectl"]);
    const main = out.containers[1]!;
    expect(main.stdout).toMatch(/^\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. done in /m);
    expect(main.stdout).toMatch(/^\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. done in /m);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", chart: "5.0.6", status: "deployed" });
    // helm got the values file from the plan's ConfigMap volume.
    const upgrade = fake.upgrades()[0]!;
    expect(upgrade[upgrade.indexOf("-f") + 1]).toBe(path.join(out.volumes["executor"]!, "step-1.yaml"));
    // The Job's health gates asked the Milvus Service over HTTP (MILVUS_EXECUTOR_HEALTH=service), never the API server's proxy.
    expect(fake.httpCalls()).toEqual(Array(3).fill("http://my-milvus.milvus.svc:9091/healthz"));
    expect(fake.kubectlCalls().filter((c) => c[1] === "--raw")).toEqual([]);
  });

  it("a refused live version ends the main container with the executor's exit code, nothing changed", () => {
    fake.addRevision({ tag: "v2.4.17", chart: "4.2.20" });
    const out = runJob(synth({ version: "2.6.4", from: "2.5.8" }));
    expect(out.containers[1]!.code).toBe(23);
    expect(out.containers[1]!.stderr).toContain("2.4.17");
    expect(fake.upgrades()).toEqual([]);
  });
});
