import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  CommandError,
  ensureHelm,
  ensureKubectl,
  FIXTURE_CHART_DIR,
  findObjects,
  helmEnv,
  helmTemplate,
  type K8sObject,
  milvusChartDir,
  run,
} from "./helm";

const RELEASE = "demo";
const NAMESPACE = "milvus-test";
const FAIL_TEXT = "pulsar.enabled and pulsarv3.enabled are both true";

let tmp: string;

beforeAll(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "helm-support-test-"));
});

afterAll(async () => {
  await fs.promises.rm(tmp, { recursive: true, force: true });
});

let valuesCounter = 0;
async function valuesFile(values: object): Promise<string> {
  valuesCounter += 1;
  const file = path.join(tmp, `values-${valuesCounter}.json`);
  // JSON is YAML: helm reads it with -f.
  await fs.promises.writeFile(file, JSON.stringify(values));
  return file;
}

async function render(major: 3 | 4, values: object): Promise<K8sObject[]> {
  const { objects } = await helmTemplate({
    helm: await ensureHelm(major),
    chartDir: FIXTURE_CHART_DIR,
    release: RELEASE,
    namespace: NAMESPACE,
    valuesFiles: [await valuesFile(values)],
  });
  return objects;
}

function deploymentNames(objects: K8sObject[]): string[] {
  return findObjects(objects, "Deployment")
    .map((o) => o.metadata.name)
    .sort();
}

function milvusYaml(objects: K8sObject[]): string {
  const [cm] = findObjects(objects, "ConfigMap", `${RELEASE}-milvus`);
  const data = cm?.["data"] as Record<string, string> | undefined;
  if (!data?.["milvus.yaml"]) throw new Error("ConfigMap milvus.yaml missing");
  return data["milvus.yaml"];
}

const names = (...components: string[]) => components.map((c) => `${RELEASE}-milvus-${c}`).sort();

describe("ensureHelm / ensureKubectl", () => {
  const savedHelmBin = process.env["HELM_BIN"];
  beforeAll(() => {
    delete process.env["HELM_BIN"];
  });
  afterAll(() => {
    if (savedHelmBin !== undefined) process.env["HELM_BIN"] = savedHelmBin;
  });

  it.each([
    [3, "v3.17."],
    [4, "v4."],
  ] as const)("helm %i binary reports version %s*", async (major, prefix) => {
    const helm = await ensureHelm(major);
    expect(path.isAbsolute(helm)).toBe(true);
    const { stdout } = await run(helm, ["version", "--short"], { env: helmEnv(tmp) });
    expect(stdout.trim().startsWith(prefix)).toBe(true);
  });

  it("is cached: concurrent calls return the same path", async () => {
    const paths = await Promise.all([ensureHelm(3), ensureHelm(3), ensureHelm(4), ensureHelm(4)]);
    expect(paths[0]).toBe(paths[1]);
    expect(paths[2]).toBe(paths[3]);
    expect(paths[0]).not.toBe(paths[2]);
  });

  it("honours HELM_BIN for helm 3 only", async () => {
    process.env["HELM_BIN"] = "relative/helm-from-env";
    try {
      expect(await ensureHelm(3)).toBe(path.resolve("relative/helm-from-env"));
      expect(await ensureHelm(4)).not.toBe(path.resolve("relative/helm-from-env"));
    } finally {
      delete process.env["HELM_BIN"];
    }
  });

  it("kubectl binary runs", async () => {
    const kubectl = await ensureKubectl();
    const { stdout } = await run(kubectl, ["version", "--client", "-o", "json"]);
    const parsed = JSON.parse(stdout) as { clientVersion?: { gitVersion?: string } };
    expect(parsed.clientVersion?.gitVersion).toMatch(/^v1\.\d+\./);
  });
});

describe("helmEnv", () => {
  it("puts helm's cache, config and data homes under the given directory", () => {
    const env = helmEnv(tmp);
    for (const key of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) {
      expect(env[key]?.startsWith(tmp + path.sep)).toBe(true);
      expect(fs.existsSync(env[key] as string)).toBe(true);
    }
  });
});

describe("milvusChartDir", () => {
  const saved = process.env["MILVUS_CHART_DIR"];
  afterEach(() => {
    if (saved === undefined) delete process.env["MILVUS_CHART_DIR"];
    else process.env["MILVUS_CHART_DIR"] = saved;
  });

  it.each([
    ["unset", undefined, undefined],
    ["a directory without Chart.yaml", os.tmpdir(), undefined],
    ["a missing path", path.join(os.tmpdir(), "no-such-chart-dir-xyz"), undefined],
    ["a chart directory", FIXTURE_CHART_DIR, FIXTURE_CHART_DIR],
  ])("%s", (_label, value, expected) => {
    if (value === undefined) delete process.env["MILVUS_CHART_DIR"];
    else process.env["MILVUS_CHART_DIR"] = value;
    expect(milvusChartDir()).toBe(expected);
  });
});

describe.each([3, 4] as const)("fixture chart rendered by helm %i", (major) => {
  it.each([
    {
      label: "default values (cluster, mixCoordinator)",
      values: {},
      deployments: names("proxy", "mixcoord", "querynode", "datanode", "indexnode"),
    },
    {
      label: "standalone",
      values: { cluster: { enabled: false } },
      deployments: names("standalone"),
    },
    {
      label: "streaming on, indexNode off (2.6 layout)",
      values: { streaming: { enabled: true }, indexNode: { enabled: false } },
      deployments: names("proxy", "mixcoord", "querynode", "datanode", "streamingnode"),
    },
    {
      label: "four separate coordinators (2.4 layout)",
      values: {
        mixCoordinator: { enabled: false },
        rootCoordinator: { enabled: true },
        queryCoordinator: { enabled: true },
        dataCoordinator: { enabled: true },
        indexCoordinator: { enabled: true },
      },
      deployments: names(
        "proxy",
        "rootcoord",
        "querycoord",
        "datacoord",
        "indexcoord",
        "querynode",
        "datanode",
        "indexnode",
      ),
    },
  ])("$label -> expected Deployments", async ({ values, deployments }) => {
    expect(deploymentNames(await render(major, values))).toEqual(deployments);
  });

  it("both pulsars enabled: helm exits non-zero with the chart's fail message", async () => {
    const err: unknown = await render(major, { pulsar: { enabled: true }, pulsarv3: { enabled: true } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CommandError);
    const ce = err as CommandError;
    expect(ce.exitCode).not.toBe(0);
    expect(ce.message).toContain(FAIL_TEXT);
    expect(ce.stderr).toContain(FAIL_TEXT);
  });
});

describe("fixture chart contents (helm 3)", () => {
  it("labels, image, replicas, resources, env and strategy come from the values", async () => {
    const objects = await render(3, {
      image: { all: { tag: "v2.5.16" } },
      proxy: {
        replicas: 2,
        resources: { limits: { cpu: "2" } },
        extraEnv: [{ name: "FOO", value: "bar" }],
      },
      rootCoordinator: { enabled: true, activeStandby: { enabled: true } },
    });
    const [proxy] = findObjects(objects, "Deployment", `${RELEASE}-milvus-proxy`);
    expect(proxy?.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "milvus",
      "app.kubernetes.io/instance": RELEASE,
      component: "proxy",
    });
    expect(proxy?.metadata.namespace).toBe(NAMESPACE);
    const spec = proxy?.["spec"] as {
      replicas: number;
      strategy?: unknown;
      template: { spec: { containers: { image: string; env?: unknown; resources?: unknown }[] } };
    };
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toBeUndefined();
    const [container] = spec.template.spec.containers;
    expect(container?.image).toBe("milvusdb/milvus:v2.5.16");
    expect(container?.env).toEqual([{ name: "FOO", value: "bar" }]);
    expect(container?.resources).toEqual({ limits: { cpu: "2" } });

    const strategy = (name: string) =>
      (findObjects(objects, "Deployment", `${RELEASE}-milvus-${name}`)[0]?.["spec"] as { strategy?: unknown })
        .strategy;
    expect(strategy("mixcoord")).toEqual({ type: "Recreate" });
    expect(strategy("rootcoord")).toBeUndefined();
  });

  it("service exposes 19530 and 9091 and selects the proxy, or standalone", async () => {
    for (const [values, component] of [
      [{}, "proxy"],
      [{ cluster: { enabled: false } }, "standalone"],
    ] as const) {
      const [svc] = findObjects(await render(3, values), "Service", `${RELEASE}-milvus`);
      const spec = svc?.["spec"] as { ports: { name: string; port: number }[]; selector: Record<string, string> };
      expect(spec.ports.map((p) => [p.name, p.port])).toEqual([
        ["milvus", 19530],
        ["metrics", 9091],
      ]);
      expect(spec.selector["component"]).toBe(component);
    }
  });

  it.each([
    { label: "pulsar v2 (default)", values: {}, mq: "pulsar" },
    { label: "pulsar v3", values: { pulsar: { enabled: false }, pulsarv3: { enabled: true } }, mq: "pulsar" },
    { label: "woodpecker", values: { pulsar: { enabled: false }, woodpecker: { enabled: true } }, mq: "woodpecker" },
    { label: "kafka", values: { pulsar: { enabled: false }, kafka: { enabled: true } }, mq: "kafka" },
    {
      label: "external pulsar wins over pulsar",
      values: { externalPulsar: { enabled: true, host: "pulsar.example" } },
      mq: "pulsar",
    },
    {
      label: "standalone rocksmq",
      values: { cluster: { enabled: false }, pulsar: { enabled: false } },
      mq: "rocksmq",
    },
    {
      label: "standalone woodpecker",
      values: { cluster: { enabled: false }, pulsar: { enabled: false }, standalone: { messageQueue: "woodpecker" } },
      mq: "woodpecker",
    },
  ])("milvus.yaml mq.type for $label is $mq", async ({ values, mq }) => {
    const config = parseYaml(milvusYaml(await render(3, values))) as { mq: { type: string } };
    expect(config.mq.type).toBe(mq);
  });

  it("conflicting message queues produce a duplicate mq key, as the real chart does", async () => {
    const text = milvusYaml(await render(3, { cluster: { enabled: false } }));
    expect(() => parseYaml(text)).toThrow(/unique|duplicate/i);
  });

  it("external etcd and S3 replace the bundled ones; extraConfigFiles become keys", async () => {
    const objects = await render(3, {
      externalEtcd: { enabled: true, endpoints: ["etcd-a:2379", "etcd-b:2379"] },
      externalS3: { enabled: true, host: "s3.example.com", port: "443" },
      extraConfigFiles: { "user.yaml": "proxy:\n  maxNameLength: 300\n" },
    });
    const config = parseYaml(milvusYaml(objects)) as {
      etcd: { endpoints: string[] };
      minio: { address: string };
    };
    expect(config.etcd.endpoints).toEqual(["etcd-a:2379", "etcd-b:2379"]);
    expect(config.minio.address).toBe("s3.example.com");
    const [cm] = findObjects(objects, "ConfigMap");
    expect((cm?.["data"] as Record<string, string>)["user.yaml"]).toBe("proxy:\n  maxNameLength: 300\n");
  });

  it("bundled etcd endpoints follow etcd.replicaCount; default user.yaml is rendered", async () => {
    const objects = await render(3, {});
    const config = parseYaml(milvusYaml(objects)) as { etcd: { endpoints: string[] }; minio: { address: string } };
    expect(config.etcd.endpoints).toHaveLength(3);
    expect(config.etcd.endpoints[0]).toBe(`${RELEASE}-etcd-0.${RELEASE}-etcd-headless.${NAMESPACE}.svc.cluster.local:2379`);
    expect(config.minio.address).toBe(`${RELEASE}-minio`);
    const [cm] = findObjects(objects, "ConfigMap");
    expect((cm?.["data"] as Record<string, string>)["user.yaml"]).toBe("# user config\n");
  });

  it("helm lint passes", async () => {
    const helm = await ensureHelm(3);
    const { stdout } = await run(helm, ["lint", FIXTURE_CHART_DIR], { env: helmEnv(tmp) });
    expect(stdout).toContain("0 chart(s) failed");
  });
});
