import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Chart, Testing } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";
import { serializeCatalogOverlay } from "../../src/catalog/update";
import { ensureHelm, FIXTURE_CHART_DIR, helmEnv } from "../support/helm";
import { fixtureOverlay } from "../support/overlay";
import { errorOf, type K8sObject, ofKind } from "./support";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-cdk8s-catalog-"));
const overlayFile = path.join(dir, "milvus-catalog.json");
fs.writeFileSync(overlayFile, serializeCatalogOverlay(fixtureOverlay()));

const chartIn = () => new Chart(Testing.app(), "test", { namespace: "milvus" });

describe("MilvusClusterProps.catalogFile", () => {
  test("upgrade-job mode: the Job's plan targets 2.6.30 on the overlay chart 5.0.30, and the plan warns what was assumed", () => {
    const chart = chartIn();
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.30", from: "2.6.15", messageQueue: "pulsarv3", catalogFile: overlayFile });
    expect(cluster.steps.map((s) => [s.milvusVersion, s.chartVersion])).toEqual([["2.6.30", "5.0.30"]]);
    expect(cluster.plan.warnings.find((w) => w.includes("[R-CATALOG-OVERLAY]"))).toContain("managed values keys extrapolated from built-in chart 5.0.19");
    const objects = Testing.synth(chart) as K8sObject[];
    const cm = ofKind(objects, "ConfigMap").find((c) => JSON.stringify(c).includes("5.0.30"));
    expect(cm).toBeDefined();
  });

  test("another construct without catalogFile is refused, naming catalog update (no state shared between constructs)", () => {
    new MilvusCluster(chartIn(), "with", { version: "2.6.30", catalogFile: overlayFile });
    const e = errorOf(() => new MilvusCluster(chartIn(), "without", { version: "2.6.30" }));
    expect(e.message).toContain("[R-KNOWN-VERSION]");
    expect(e.message).toContain("milvus-cluster catalog update");
  });

  test.each<[string, unknown, RegExp]>([
    ["a missing file", "/nonexistent/milvus-catalog.json", /catalogFile: cannot read the catalog overlay \/nonexistent\/milvus-catalog.json \(ENOENT\) \[R-CATALOG-OVERLAY\]/],
    ["not a path", 7, /catalogFile: 7 is not a path \[R-CATALOG-OVERLAY\]/],
  ])("refuses %s with the field, rule and fix", (_label, catalogFile, message) => {
    expect(errorOf(() => new MilvusCluster(chartIn(), "bad", { version: "2.6.15", catalogFile: catalogFile as string })).message).toMatch(message);
  });

  describe("render mode with the real helm and the fixture chart", () => {
    let helm: string;
    const saved: Record<string, string | undefined> = {};
    beforeAll(async () => {
      helm = await ensureHelm(3);
      const env = helmEnv(dir);
      for (const k of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) {
        saved[k] = process.env[k];
        process.env[k] = env[k];
      }
    });
    afterAll(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    test("the values planned for overlay chart 5.0.30 render: 2.6 topology and the 2.6.30 image", () => {
      const chart = chartIn();
      new MilvusCluster(chart, "milvus", { version: "2.6.30", messageQueue: "pulsarv3", renderMode: "render", helmExecutable: helm, chartPath: FIXTURE_CHART_DIR, catalogFile: overlayFile });
      const objects = Testing.synth(chart) as K8sObject[];
      const deployments = ofKind(objects, "Deployment").map((d) => d.metadata.name).sort();
      expect(deployments).toEqual(["milvus-milvus-datanode", "milvus-milvus-mixcoord", "milvus-milvus-proxy", "milvus-milvus-querynode", "milvus-milvus-streamingnode"]);
      expect(JSON.stringify(ofKind(objects, "Deployment"))).toContain("milvusdb/milvus:v2.6.30");
    });
  });
});
