import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { planUpgrade } from "../../src";
import { FIXTURE_CHART_DIR, ensureHelm, findObjects, helmTemplate, milvusChartDir } from "../support/helm";

/** Renders every step of a plan with a real helm binary, values passed as files (as the executor does). */
async function renderSteps(chartDir: string, from: Parameters<typeof planUpgrade>[0]) {
  const helm = await ensureHelm(3);
  const plan = planUpgrade(from);
  const dir = mkdtempSync(join(tmpdir(), "mc-render-"));
  const out = [];
  for (const [i, step] of plan.steps.entries()) {
    const file = join(dir, `step-${i + 1}.yaml`);
    writeFileSync(file, YAML.stringify(step.values));
    out.push({ step, ...(await helmTemplate({ helm, chartDir, release: "vectors", namespace: "milvus", valuesFiles: [file] })) });
  }
  return out;
}

const deploymentNames = (objects: { kind: string; metadata: { name: string } }[]) =>
  findObjects(objects as never, "Deployment").map((d) => d.metadata.name.replace("vectors-milvus-", "")).sort();

describe("step values render with a real helm binary (fixture chart)", () => {
  it("2.5.8 (separate) -> 2.5.16 mixcoord -> 2.6.4 streaming, Pulsar v2 kept", async () => {
    const [stop, target] = await renderSteps(FIXTURE_CHART_DIR, { from: { version: "2.5.8", coordinators: "separate", messageQueue: "pulsar" }, to: "2.6.4" });
    expect(deploymentNames(stop!.objects)).toEqual(["datanode", "indexnode", "mixcoord", "proxy", "querynode"]);
    expect(deploymentNames(target!.objects)).toEqual(["datanode", "mixcoord", "proxy", "querynode", "streamingnode"]);
    const images = findObjects(target!.objects, "Deployment").map((d) => JSON.stringify(d.spec));
    expect(images.every((s) => s.includes("milvusdb/milvus:v2.6.4"))).toBe(true);
    const cm = findObjects(target!.objects, "ConfigMap", "vectors-milvus")[0]!;
    expect(String((cm.data as Record<string, string>)["milvus.yaml"])).toMatch(/type: pulsar/);
  });

  it("standalone 2.6.4 renders rocksmq explicitly (helm template has no lookup)", async () => {
    const [step] = await renderSteps(FIXTURE_CHART_DIR, { to: { version: "2.6.4", mode: "standalone", messageQueue: "rocksmq" } });
    expect(deploymentNames(step!.objects)).toEqual(["standalone"]);
    const cm = findObjects(step!.objects, "ConfigMap", "vectors-milvus")[0]!;
    expect(String((cm.data as Record<string, string>)["milvus.yaml"])).toMatch(/type: rocksmq/);
  });

  const real = milvusChartDir();
  (real ? it : it.skip)(`renders against the real chart in MILVUS_CHART_DIR (${real ?? "unset: skipped"})`, async () => {
    const steps = await renderSteps(real!, { to: "2.6.4" });
    expect(deploymentNames(steps[0]!.objects)).toContain("streamingnode");
  });
});
