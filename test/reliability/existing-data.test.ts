/**
 * `allowExistingData` reaches the executor's input (plan.json) from every surface (the executor itself is tested in
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

/** allowExistingData of a plan.json, as the executor reads it. */
const flagIn = (planJson: string | undefined) => (JSON.parse(planJson ?? "null") as { allowExistingData?: boolean } | null)?.allowExistingData;

describe("allowExistingData", () => {
  it.each([
    [undefined, false],
    [true, true],
  ])("cdk8s upgrade-job (%p) -> %s", (allow, expected) => {
    const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
    new Cdk8sMilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsarv3", ...(allow ? { allowExistingData: allow } : {}) });
    const cm = Testing.synth(chart).find((o) => o.kind === "ConfigMap" && o.data?.["plan.json"] !== undefined)!;
    expect(flagIn(cm.data["plan.json"])).toBe(expected);
  });

  it.each([
    [undefined, false],
    [true, true],
  ])("Pulumi (%p) -> %s", async (allow, expected) => {
    const name = `existing-${expected}`;
    const m = new MilvusCluster(name, { namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8", messageQueue: "pulsarv3", ...(allow ? { allowExistingData: allow } : {}) });
    await settle(m.stops);
    const cm = childOf(name, T.configMap, `${name}-executor`);
    expect(flagIn((cm.inputs.data as Record<string, string>)["plan.json"])).toBe(expected);
  });

  it.each([
    [undefined, false],
    [true, true],
  ])("CLI apply (%p) -> %s", (allow, expected) => {
    const bundle = applyBundle({ release: "m", namespace: "milvus", spec: { version: "2.6.4", messageQueue: "pulsarv3" }, allowExistingData: allow });
    expect(flagIn(bundle.files["plan.json"])).toBe(expected);
  });
});
