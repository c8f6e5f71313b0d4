import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ApiObject, App, Chart, Testing, Yaml } from "cdk8s";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { MilvusCluster } from "../../src/cdk8s";
import { NEXT_FROM_ANNOTATION, STEP_ANNOTATION, TARGET_ANNOTATION } from "../../src/cdk8s/milvus-cluster";
import { duplicateObjects, helmProcess as cp, parseManifests } from "../../src/cdk8s/render";
import { ensureHelm, FIXTURE_CHART_DIR, helmEnv } from "../support/helm";
import { type K8sObject, ofKind, schemaProblems } from "./support";

const ZILLIZ = "https://zilliztech.github.io/milvus-helm";

/** A recorded `helm template` call. */
interface HelmCall {
  readonly prog: string;
  readonly args: string[];
  /** The values helm was given on standard input (`-f -`), parsed. */
  readonly values: Record<string, unknown>;
}

/** Replaces the construct's helm call (node's spawnSync): records the argv and returns `stdout` as helm's output. */
function spyHelm(stdout = ""): HelmCall[] {
  const calls: HelmCall[] = [];
  jest.spyOn(cp, "spawnSync").mockImplementation(((prog: string, args: readonly string[], options: { input?: string }) => {
    const values = args[args.indexOf("-f") + 1] === "-" ? (parseYaml(options.input ?? "") as Record<string, unknown>) : {};
    calls.push({ prog, args: [...args], values });
    return { pid: 0, output: [], stdout, stderr: "", status: 0, signal: null };
  }) as unknown as typeof cp.spawnSync);
  return calls;
}

/** Keeps the construct's "set from next" line out of the test output, and records it. */
function quietStderr(): jest.SpyInstance {
  return jest.spyOn(process.stderr, "write").mockImplementation(() => true);
}

function chartIn(namespace = "milvus"): Chart {
  return new Chart(Testing.app(), "test", { namespace });
}

afterEach(() => jest.restoreAllMocks());

describe("render mode: helm arguments (spy on the construct's helm call)", () => {
  test("renders the target chart from its repository with --skip-tests, pinned values and the release name", () => {
    const calls = spyHelm();
    const cluster = new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render" });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.prog).toBe("helm");
    expect(call!.args).toEqual([
      "template",
      "-f",
      "-",
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
    expect(cluster.nextFrom).toBeUndefined();
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
    expect(calls[0]!.args).toEqual(["template", "-f", "-", "--namespace", "milvus-prod", "--skip-tests", "vectors", path.join(charts, "milvus-4.2.58.tgz")]);
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

  test("stages render the NEXT step only, inside the construct, and name the from to set once it is healthy", () => {
    const calls = spyHelm();
    const stderr = quietStderr();
    const app = Testing.app();
    const chart = new Chart(app, "test", { namespace: "milvus" });
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render", stages: true });
    // One helm call: the 2.5.16 stop (chart 4.2.58) with that step's values; 2.6.4 is not rendered yet.
    expect(calls.map((c) => c.args[c.args.indexOf("--version") + 1])).toEqual(["4.2.58"]);
    expect(calls[0]!.values).toEqual(cluster.plan.steps[0]!.values);
    expect(calls[0]!.values).toMatchObject({ mixCoordinator: { enabled: true }, rootCoordinator: { enabled: false }, streaming: { enabled: false }, indexNode: { enabled: true }, pulsar: { enabled: true } });
    expect(cluster.steps.map((s) => s.milvusVersion)).toEqual(["2.5.16"]);
    expect(cluster.nextFrom).toBe("2.5.16");
    // No stage charts beside the user's chart: everything lives in the construct's own scope.
    expect(app.charts.map((c) => c.node.id)).toEqual(["test"]);
    expect(cluster.rendered!.node.scope).toBe(cluster);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('test/milvus: rendered step 1 of 2 (Milvus 2.5.16, chart 4.2.58) towards 2.6.4. Apply it; once it is healthy set from: "2.5.16"'));
  });

  test("following nextFrom: the second synthesis renders the target and says nothing more", () => {
    const calls = spyHelm();
    const stderr = quietStderr();
    const cluster = new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.16", messageQueue: "pulsar", renderMode: "render", stages: true });
    expect(calls.map((c) => c.args[c.args.indexOf("--version") + 1])).toEqual(["5.0.6"]);
    expect(calls[0]!.values).toMatchObject({ streaming: { enabled: true }, indexNode: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } });
    expect(cluster.steps.map((s) => s.milvusVersion)).toEqual(["2.6.4"]);
    expect(cluster.nextFrom).toBeUndefined();
    expect(stderr).not.toHaveBeenCalled();
  });

  test("helm output is parsed in process (no second node process) into ApiObjects: YAML 1.1, empty documents skipped", () => {
    // cdk8s Include reads helm's output back with Yaml.load, which starts `node _loadurl.mjs`.
    const yamlLoad = jest.spyOn(Yaml, "load");
    spyHelm(["---", "# Source: x", "apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: a", "data:", "  mode: 0644", "---", "", "---", "apiVersion: rbac.authorization.k8s.io/v1", "kind: ClusterRole", "metadata:", "  name: r", "  namespace: wrong", "rules: []", ""].join("\n"));
    const chart = chartIn();
    const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", renderMode: "render" });
    expect(yamlLoad).not.toHaveBeenCalled();
    expect(cluster.rendered!.apiObjects.every((o) => o instanceof ApiObject)).toBe(true);
    const objects = Testing.synth(chart) as K8sObject[];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace ?? "-"}`)).toEqual(["ConfigMap/a/milvus", "ClusterRole/r/-"]);
    // 0644 is the octal file mode 420 under YAML 1.1, as Kubernetes' Go YAML parser reads it.
    expect(objects[0]!["data"]).toEqual({ mode: 420 });
  });

  test("invalid YAML from helm is an error naming the step", () => {
    expect(() => parseManifests("kind: [unclosed", "helm template of Milvus 2.6.4 (chart 5.0.6)")).toThrow(/helm template of Milvus 2\.6\.4 \(chart 5\.0\.6\): helm printed invalid YAML/);
    expect(() => parseManifests("just: data\n", "x")).toThrow(/x: a rendered document has no apiVersion\/kind/);
  });

  test("synthesis fails when the app holds one object twice (two constructs for one release)", () => {
    spyHelm(["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: milvus-proxy", "spec: {}", ""].join("\n"));
    const app = Testing.app();
    const a = new Chart(app, "a", { namespace: "milvus" });
    const b = new Chart(app, "b", { namespace: "milvus" });
    new MilvusCluster(a, "milvus", { version: "2.6.4", renderMode: "render" });
    new MilvusCluster(b, "milvus", { version: "2.6.4", renderMode: "render" });
    expect(duplicateObjects(app)).toEqual(["apps/Deployment/milvus/milvus-proxy is defined 2 times (a/milvus/chart/milvus-proxy-deployment, b/milvus/chart/milvus-proxy-deployment)"]);
    expect(() => app.synth()).toThrow(/Validation failed[\s\S]*apps\/Deployment\/milvus\/milvus-proxy is defined 2 times/);
  });

  test("without stages, an upgrade that needs a stop is refused (rendering only the target would skip it)", () => {
    spyHelm();
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render" })).toThrow(
      /test\/milvus: upgrade refused:\n {2}- stages: rendering only Milvus 2\.6\.4 would skip the required stop\(s\) 2\.5\.16 \(chart 4\.2\.58\) from 2\.5\.8 \[R-26-VIA-2516\] Fix: set stages: true \(it renders the next step/,
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

  test("upgrade-job mode: two constructs for one release fail synthesis too (the same ServiceAccount, Role, ...)", () => {
    const app = Testing.app();
    new MilvusCluster(new Chart(app, "a", { namespace: "milvus" }), "milvus", { version: "2.6.4" });
    new MilvusCluster(new Chart(app, "b", { namespace: "milvus" }), "milvus", { version: "2.6.4" });
    expect(duplicateObjects(app)).toEqual(expect.arrayContaining([expect.stringMatching(/^core\/ServiceAccount\/milvus\/milvus-milvus-upgrader is defined 2 times/)]));
    expect(() => app.synth()).toThrow(/Validation failed/);
  });

  test("a missing helm binary is an error naming helmExecutable", () => {
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", helmExecutable: "/nonexistent/helm" })).toThrow(
      'helm template of Milvus 2.6.4 (chart 5.0.6): cannot run "/nonexistent/helm": not found (set helmExecutable to the helm binary)',
    );
  });

  test("helm failures surface with helm's message", () => {
    jest.spyOn(cp, "spawnSync").mockReturnValue({ pid: 0, output: [], stdout: "", stderr: "Error: chart not found", status: 1, signal: null } as unknown as ReturnType<typeof cp.spawnSync>);
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

  test("the GitOps chain 2.5.8 -> 2.6.4, one synthesis per step: each output one version of each object, annotated", () => {
    const stderr = quietStderr();
    const synthStep = (from: string) => {
      const outdir = fs.mkdtempSync(path.join(tmp, "chain-"));
      const app = new App({ outdir });
      const chart = new Chart(app, "apps", { namespace: "milvus" });
      const cluster = new MilvusCluster(chart, "milvus", { version: "2.6.4", from, messageQueue: "pulsar", renderMode: "render", stages: true, helmExecutable: helm, chartPath: FIXTURE_CHART_DIR });
      app.synth();
      // One manifest file: the user's chart (no stage charts beside it).
      expect(fs.readdirSync(outdir)).toEqual(["apps.k8s.yaml"]);
      const objects = parseAllDocuments(fs.readFileSync(path.join(outdir, "apps.k8s.yaml"), "utf8")).map((d) => d.toJS() as K8sObject);
      return { cluster, objects };
    };
    const keys = (objs: K8sObject[]) => objs.map((o) => `${o.apiVersion.split("/").slice(0, -1).join("/")}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    const deployments = (objs: K8sObject[]) => ofKind(objs, "Deployment").map((d) => d.metadata.name.replace("milvus-milvus-", "")).sort();

    // Commit 1: the 2.5.16 stop.
    const first = synthStep("2.5.8");
    expect(first.cluster.nextFrom).toBe("2.5.16");
    expect(deployments(first.objects)).toEqual(["datanode", "indexnode", "mixcoord", "proxy", "querynode"]);
    expect(new Set(keys(first.objects)).size).toBe(first.objects.length);
    for (const o of first.objects) {
      expect(o.metadata.annotations).toMatchObject({ [STEP_ANNOTATION]: "1/2", [TARGET_ANNOTATION]: "2.6.4", [NEXT_FROM_ANNOTATION]: "2.5.16" });
    }
    // Commit 2, after 2.5.16 is healthy: from: "2.5.16" renders the target.
    const second = synthStep(first.cluster.nextFrom!);
    expect(second.cluster.nextFrom).toBeUndefined();
    expect(deployments(second.objects)).toEqual(["datanode", "mixcoord", "proxy", "querynode", "streamingnode"]);
    expect(new Set(keys(second.objects)).size).toBe(second.objects.length);
    for (const o of second.objects) {
      expect(o.metadata.annotations).toMatchObject({ [STEP_ANNOTATION]: "1/1", [TARGET_ANNOTATION]: "2.6.4" });
      expect(o.metadata.annotations?.[NEXT_FROM_ANNOTATION]).toBeUndefined();
    }
    // The 2.5.16 indexnode is gone from the second output: with pruning on (Argo CD syncPolicy.automated.prune, Flux
    // spec.prune) the tool deletes it, since the one Application/Kustomization owns both outputs; nothing keeps it.
    const dropped = keys(first.objects).filter((k) => !keys(second.objects).includes(k));
    expect(dropped).toEqual(expect.arrayContaining(["apps/Deployment/milvus/milvus-milvus-indexnode"]));
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  test("every rendered object validates against the Kubernetes schemas", async () => {
    const { objects } = render({ messageQueue: "pulsar" });
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set(["Deployment", "Service", "ConfigMap"]));
    const standalone = render({ mode: "standalone", messageQueue: "rocksmq" }).objects;
    const stderr = quietStderr();
    const staged = render({ from: "2.5.8", messageQueue: "pulsar", stages: true }).objects;
    stderr.mockRestore();
    expect(ofKind(staged, "Deployment", "milvus-milvus-indexnode")).toHaveLength(1);
    expect(await schemaProblems([...objects, ...standalone, ...staged])).toEqual([]);
  });

  test("snapshot: render mode", () => {
    const { objects } = render({ messageQueue: "pulsar" });
    expect(objects).toMatchSnapshot();
  });
});
