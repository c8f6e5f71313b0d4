import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Chart, Testing } from "cdk8s";
import * as cp from "cdk8s/lib/_child_process";
import { parse as parseYaml } from "yaml";
import { MilvusCluster } from "../../src/cdk8s";
import { ensureHelm, FIXTURE_CHART_DIR, helmEnv } from "../support/helm";
import { type K8sObject, ofKind, schemaProblems } from "./support";

const ZILLIZ = "https://zilliztech.github.io/milvus-helm";

/** A recorded `helm template` call. */
interface HelmCall {
  readonly prog: string;
  readonly args: string[];
  /** The values file helm was given, parsed. */
  readonly values: Record<string, unknown>;
}

/** Replaces cdk8s's child-process call: records the argv and returns `stdout` as helm's output. */
function spyHelm(stdout = ""): HelmCall[] {
  const calls: HelmCall[] = [];
  jest.spyOn(cp._child_process, "spawnSync").mockImplementation(((prog: string, args: readonly string[]) => {
    const f = args.indexOf("-f");
    const values = f >= 0 ? (parseYaml(fs.readFileSync(args[f + 1]!, "utf8")) as Record<string, unknown>) : {};
    calls.push({ prog, args: [...args], values });
    return { pid: 0, output: [], stdout: Buffer.from(stdout), stderr: Buffer.from(""), status: 0, signal: null };
  }) as unknown as typeof cp._child_process.spawnSync);
  return calls;
}

function chartIn(namespace = "milvus"): Chart {
  return new Chart(Testing.app(), "test", { namespace });
}

afterEach(() => jest.restoreAllMocks());

describe("render mode: helm arguments (spy on cdk8s's child-process call)", () => {
  test("renders the target chart from its repository with --skip-tests, pinned values and the release name", () => {
    const calls = spyHelm();
    const cluster = new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render" });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.prog).toBe("helm");
    expect(call!.args).toEqual([
      "template",
      "-f",
      expect.stringMatching(/overrides\.yaml$/),
      "--repo",
      ZILLIZ,
      "--version",
      "5.0.6",
      "--namespace",
      "milvus",
      "--skip-tests",
      "milvus",
      "milvus",
    ]);
    // The values helm received are the target step's complete values: every managed key pinned.
    expect(call!.values).toEqual(cluster.steps[0]!.values);
    expect(call!.values).toMatchObject({
      cluster: { enabled: true },
      image: { all: { tag: "v2.6.4" } },
      mixCoordinator: { enabled: true },
      indexNode: { enabled: false },
      streaming: { enabled: true },
      standalone: { messageQueue: "pulsar" },
      pulsarv3: { enabled: true },
      pulsar: { enabled: false },
      woodpecker: { enabled: false },
      kafka: { enabled: false },
    });
    expect(cluster.renderMode).toBe("render");
    expect(cluster.jobName).toBeUndefined();
    expect(cluster.stageCharts).toEqual([]);
  });

  test("pins standalone.messageQueue for a standalone cluster", () => {
    const calls = spyHelm();
    new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", mode: "standalone", messageQueue: "woodpecker" });
    expect(calls[0]!.values).toMatchObject({ cluster: { enabled: false }, standalone: { messageQueue: "woodpecker" }, woodpecker: { enabled: true }, pulsarv3: { enabled: false } });
  });

  test("a local chartPath replaces --repo and --version; helmExecutable, releaseName and namespace are passed", () => {
    const calls = spyHelm();
    // The construct checks that the chart archive exists before helm runs (an empty file is enough for the spy).
    const charts = fs.mkdtempSync(path.join(os.tmpdir(), "mc-charts-"));
    fs.writeFileSync(path.join(charts, "milvus-4.2.58.tgz"), "");
    new MilvusCluster(chartIn("apps"), "db", {
      version: "2.5.16",
      renderMode: "render",
      chartPath: path.join(charts, "milvus-{chartVersion}.tgz"),
      helmExecutable: "/opt/helm/helm",
      releaseName: "vectors",
      namespace: "milvus-prod",
    });
    expect(calls[0]!.prog).toBe("/opt/helm/helm");
    expect(calls[0]!.args).toEqual(["template", "-f", expect.stringMatching(/overrides\.yaml$/), "--namespace", "milvus-prod", "--skip-tests", "vectors", path.join(charts, "milvus-4.2.58.tgz")]);
  });

  test("an https chartRepository replaces the step's repository; an oci:// one becomes the chart reference", () => {
    const calls = spyHelm();
    new MilvusCluster(chartIn(), "a", { version: "2.6.4", renderMode: "render", chartRepository: "https://mirror.example.com/milvus" });
    new MilvusCluster(chartIn(), "b", { version: "2.6.4", renderMode: "render", chartRepository: "oci://registry.example.com/charts/" });
    expect(calls[0]!.args.slice(3)).toEqual(["--repo", "https://mirror.example.com/milvus", "--version", "5.0.6", "--namespace", "milvus", "--skip-tests", "a", "milvus"]);
    expect(calls[1]!.args.slice(3)).toEqual(["--version", "5.0.6", "--namespace", "milvus", "--skip-tests", "b", "oci://registry.example.com/charts/milvus"]);
  });

  test("without a chart namespace the release goes to 'default'", () => {
    const calls = spyHelm();
    new MilvusCluster(Testing.chart(), "milvus", { version: "2.6.4", renderMode: "render" });
    expect(calls[0]!.args).toContain("default");
    expect(calls[0]!.args[calls[0]!.args.indexOf("--namespace") + 1]).toBe("default");
  });

  test("stages: one chart per plan step, in order, each with that step's chart version and values", () => {
    const calls = spyHelm();
    const app = Testing.app();
    const chart = new Chart(app, "test", { namespace: "milvus" });
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render", stages: true });
    expect(cluster.stageCharts.map((c) => c.node.id)).toEqual(["milvus-01-v2.5.16", "milvus-02-v2.6.4"]);
    // Siblings of the enclosing chart, in the App.
    for (const c of cluster.stageCharts) {
      expect(c.node.scope).toBe(app);
      expect(c.namespace).toBe("milvus");
    }
    expect(cluster.stageCharts[1]!.node.dependencies).toContain(cluster.stageCharts[0]);
    expect(app.charts.map((c) => c.node.id)).toEqual(["test", "milvus-01-v2.5.16", "milvus-02-v2.6.4"]);
    expect(calls.map((c) => c.args[c.args.indexOf("--version") + 1])).toEqual(["4.2.58", "5.0.6"]);
    expect(calls.map((c) => c.values)).toEqual(cluster.plan.steps.map((s) => s.values));
    expect(calls[0]!.values).toMatchObject({ mixCoordinator: { enabled: true }, rootCoordinator: { enabled: false }, streaming: { enabled: false }, indexNode: { enabled: true }, pulsar: { enabled: true } });
    expect(calls[1]!.values).toMatchObject({ streaming: { enabled: true }, indexNode: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } });
    expect(cluster.steps).toEqual(cluster.plan.steps);
    // The enclosing chart holds nothing of the construct.
    expect(Testing.synth(chart)).toEqual([]);
  });

  test("stages with a one-step plan emit a single stage chart", () => {
    spyHelm();
    const cluster = new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.16", messageQueue: "pulsar", renderMode: "render", stages: true });
    expect(cluster.stageCharts.map((c) => c.node.id)).toEqual(["milvus-01-v2.6.4"]);
  });

  test("without stages, an upgrade that needs a stop is refused (rendering only the target would skip it)", () => {
    spyHelm();
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render" })).toThrow(
      /test\/milvus: upgrade refused:\n {2}- stages: rendering only Milvus 2\.6\.4 would skip the required stop\(s\) 2\.5\.16 \(chart 4\.2\.58\) from 2\.5\.8 \[R-26-VIA-2516\] Fix: set stages: true/,
    );
  });

  test("a one-step upgrade renders the target without stages", () => {
    const calls = spyHelm();
    const cluster = new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.16", messageQueue: "pulsar", renderMode: "render" });
    expect(cluster.stops).toEqual([]);
    expect(calls[0]!.args).toContain("5.0.6");
    expect(calls[0]!.values).toMatchObject({ pulsar: { enabled: true }, pulsarv3: { enabled: false } });
  });

  test("a metadata migration cannot be rendered", () => {
    spyHelm();
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.1.4", messageQueue: "pulsar", renderMode: "render", stages: true })).toThrow(
      /- from: the step to Milvus 2\.2\.0 is the offline metadata migration, which rendered manifests cannot perform \[R-META-MIGRATION\] Fix: use renderMode "upgrade-job" \(its Job runs the migration\), or migrate by hand first/,
    );
  });

  test("helm failures surface with helm's message", () => {
    jest.spyOn(cp._child_process, "spawnSync").mockReturnValue({ pid: 0, output: [], stdout: Buffer.from(""), stderr: Buffer.from("Error: chart not found"), status: 1, signal: null } as unknown as ReturnType<typeof cp._child_process.spawnSync>);
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render" })).toThrow("Error: chart not found");
  });
});

describe("render mode with the real helm binary and the fixture chart", () => {
  let helm: string;
  let tmp: string;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    helm = await ensureHelm(3);
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "cdk8s-render-test-"));
    const env = helmEnv(tmp);
    for (const k of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) {
      saved[k] = process.env[k];
      process.env[k] = env[k];
    }
  });

  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await fs.promises.rm(tmp, { recursive: true, force: true });
  });

  function render(props: Partial<ConstructorParameters<typeof MilvusCluster>[2]> = {}): { chart: Chart; cluster: MilvusCluster; objects: K8sObject[] } {
    const chart = chartIn();
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", renderMode: "render", helmExecutable: helm, chartPath: FIXTURE_CHART_DIR, ...props });
    return { chart, cluster, objects: Testing.synth(chart) as K8sObject[] };
  }

  function milvusYaml(objects: K8sObject[]): Record<string, unknown> {
    const cm = ofKind(objects, "ConfigMap", "milvus-milvus")[0];
    const data = cm?.["data"] as Record<string, string> | undefined;
    return parseYaml(data?.["milvus.yaml"] ?? "") as Record<string, unknown>;
  }

  test("a 2.6.4 cluster: mixcoord and streamingnode, no indexnode, no separate coordinators", () => {
    const { objects } = render({ messageQueue: "pulsar" });
    const deployments = ofKind(objects, "Deployment").map((d) => d.metadata.name).sort();
    expect(deployments).toEqual(["milvus-milvus-datanode", "milvus-milvus-mixcoord", "milvus-milvus-proxy", "milvus-milvus-querynode", "milvus-milvus-streamingnode"]);
    for (const o of objects) expect(o.metadata.namespace).toBe("milvus");
    // The pinned message queue reaches milvus.yaml.
    expect(milvusYaml(objects)).toMatchObject({ mq: { type: "pulsar" }, pulsar: { address: "milvus-pulsar-proxy", port: 6650 } });
  });

  test("a standalone 2.6.4 with rocksmq: one deployment and the pinned standalone.messageQueue", () => {
    const { objects } = render({ mode: "standalone", messageQueue: "rocksmq" });
    const deployments = ofKind(objects, "Deployment");
    expect(deployments.map((d) => d.metadata.name)).toEqual(["milvus-milvus-standalone"]);
    expect(deployments[0]!.metadata.annotations).toMatchObject({ "milvus.io/message-queue": "rocksmq" });
    expect(milvusYaml(objects)).toMatchObject({ mq: { type: "rocksmq" } });
  });

  test("component settings reach the rendered Deployments", () => {
    const { objects } = render({ queryNode: { replicas: 3, resources: { requests: { cpu: "2", memory: "8Gi" } } } });
    const qn = ofKind(objects, "Deployment", "milvus-milvus-querynode")[0]!;
    expect(qn["spec"]).toMatchObject({ replicas: 3, template: { spec: { containers: [{ resources: { requests: { cpu: "2", memory: "8Gi" } } }] } } });
  });

  test("the release namespace wins over the enclosing chart's namespace", () => {
    const { objects } = render({ namespace: "vectors" });
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) expect(o.metadata.namespace).toBe("vectors");
  });

  test("stages render each step's manifests: 2.5.16 with indexnode, then 2.6.4 with streamingnode", () => {
    const app = Testing.app();
    const chart = new Chart(app, "test", { namespace: "milvus" });
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render", stages: true, helmExecutable: helm, chartPath: FIXTURE_CHART_DIR });
    const [first, second] = cluster.stageCharts.map((c) => Testing.synth(c) as K8sObject[]);
    const names = (objs: K8sObject[] | undefined) => ofKind(objs ?? [], "Deployment").map((d) => d.metadata.name.replace("milvus-milvus-", "")).sort();
    expect(names(first)).toEqual(["datanode", "indexnode", "mixcoord", "proxy", "querynode"]);
    expect(names(second)).toEqual(["datanode", "mixcoord", "proxy", "querynode", "streamingnode"]);
    // Synthesized offline into one file per stage, numbered in apply order.
    const outdir = path.join(tmp, "out");
    const synthApp = new App({ outdir });
    const userChart = new Chart(synthApp, "apps", { namespace: "milvus" });
    new MilvusCluster(userChart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render", stages: true, helmExecutable: helm, chartPath: FIXTURE_CHART_DIR });
    synthApp.synth();
    expect(fs.readdirSync(outdir).sort()).toEqual([
      expect.stringMatching(/^0000-apps/),
      expect.stringMatching(/^0001-milvus-01-v2\.5\.16/),
      expect.stringMatching(/^0002-milvus-02-v2\.6\.4/),
    ]);
  });

  test("every rendered object validates against the Kubernetes schemas", async () => {
    const { objects } = render({ messageQueue: "pulsar" });
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(["Deployment", "Service", "ConfigMap"]));
    const standalone = render({ mode: "standalone", messageQueue: "rocksmq" }).objects;
    const staged = render({ from: "2.5.8", messageQueue: "pulsar", stages: true }).cluster.stageCharts.flatMap((c) => Testing.synth(c) as K8sObject[]);
    expect(staged.length).toBeGreaterThan(objects.length);
    expect(await schemaProblems([...objects, ...standalone, ...staged])).toEqual([]);
  });

  test("snapshot: render mode", () => {
    const { objects } = render({ messageQueue: "pulsar" });
    expect(objects).toMatchSnapshot();
  });
});
