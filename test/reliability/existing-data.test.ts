/**
 * `allowExistingData` reaches the executor script from every surface (the executor itself is tested in
 * faults.test.ts: leftover volume claims of a missing release are refused with exit 28 unless it is set).
 */
import { Chart, Testing } from "cdk8s";
import { MilvusCluster as Cdk8sMilvusCluster } from "../../src/cdk8s";
import { applyBundle } from "../../src/cli/apply";
import { MilvusCluster } from "../../src/pulumi";
import { T, childOf, installMocks, settle } from "../pulumi/helpers";

beforeAll(async () => {
  await installMocks();
});

const flagIn = (script: string) => /^ALLOW_EXISTING_DATA='(\d)'$/m.exec(script)?.[1];

describe("allowExistingData", () => {
  it.each([
    [undefined, "0"],
    [true, "1"],
  ])("cdk8s upgrade-job (%p) -> %s", (allow, expected) => {
    const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
    new Cdk8sMilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsarv3", ...(allow ? { allowExistingData: allow } : {}) });
    const cm = Testing.synth(chart).find((o) => o.kind === "ConfigMap")!;
    expect(flagIn(cm.data["upgrade.sh"])).toBe(expected);
  });

  it.each([
    [undefined, "0"],
    [true, "1"],
  ])("Pulumi (%p) -> %s", async (allow, expected) => {
    const name = `existing-${expected}`;
    const m = new MilvusCluster(name, { namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8", messageQueue: "pulsarv3", ...(allow ? { allowExistingData: allow } : {}) });
    await settle(m.stops);
    const cm = childOf(name, T.configMap);
    expect(flagIn((cm.inputs.data as Record<string, string>)["upgrade.sh"]!)).toBe(expected);
  });

  it.each([
    [undefined, "0"],
    [true, "1"],
  ])("CLI apply (%p) -> %s", (allow, expected) => {
    const bundle = applyBundle({ release: "m", namespace: "milvus", spec: { version: "2.6.4", messageQueue: "pulsarv3" }, allowExistingData: allow });
    expect(flagIn(bundle.script)).toBe(expected);
  });
});
