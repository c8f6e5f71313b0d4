import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE, executorRbacRules, executorRuntime, MIGRATION_FILES } from "../../src/executor";
import { LOCAL_EXECUTOR_COMMAND, MilvusCluster, type MilvusClusterArgs } from "../../src/pulumi";
import { childOf, childrenOf, childTypes, installMocks, isSecretValue, logged, logs, MOCK_KUBE_SYSTEM_UID, README_ARGS, registered, resolved, settle, T, transformationRecorder } from "./helpers";

beforeAll(async () => {
  await installMocks();
});

/** Builds a cluster and waits until every child reached the mock monitor. */
async function build(name: string, args: MilvusClusterArgs, opts?: pulumi.ComponentResourceOptions): Promise<MilvusCluster> {
  const c = new MilvusCluster(name, args, opts);
  await settle(c.release.urn, c.endpoint, c.stops);
  return c;
}

type Obj = Record<string, unknown>;
const inputs = (name: string, type: string, resourceName?: string): Obj => childOf(name, type, resourceName).inputs as Obj;
/** The per-plan ConfigMap (`<name>-executor`: plan.json, values files); `<name>-executor-runtime` holds executor.cjs. */
const planConfigMap = (name: string): Obj => inputs(name, T.configMap, `${name}-executor`);
const runtimeConfigMap = (name: string): Obj => inputs(name, T.configMap, `${name}-executor-runtime`);
const planJson = (name: string): Obj => JSON.parse((at(planConfigMap(name), "data") as Record<string, string>)["plan.json"]!) as Obj;
const at = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

describe("fresh install without stops (2.5.16)", () => {
  let c: MilvusCluster;
  beforeAll(async () => {
    c = await build("fresh", { namespace: "milvus", version: "2.5.16", messageQueue: "pulsarv3" });
  });

  it("creates the component, a guard executor (no stop: a dry run before the Release moves) and the Release; no Secret", () => {
    expect(registered.find((r) => r.type === T.component && r.name === "fresh")).toBeDefined();
    expect(childTypes("fresh")).toEqual([T.component, T.configMap, T.configMap, T.serviceAccount, T.job, T.release, T.role, T.roleBinding].sort());
    const env = at(inputs("fresh", T.job), "spec", "template", "spec", "containers", 0, "env") as { name: string; value: string }[];
    expect(env).toContainEqual({ name: "MILVUS_EXECUTOR_DRY_RUN", value: "1" });
    expect(c.executorCommand).toBeUndefined();
    expect(c.credentialsSecret).toBeUndefined();
  });

  it("gives the Release the target chart, complete values and deterministic flags", () => {
    const rel = inputs("fresh", T.release);
    expect(rel).toMatchObject({
      name: "fresh",
      namespace: "milvus",
      chart: "milvus",
      version: "4.2.58",
      repositoryOpts: { repo: "https://zilliztech.github.io/milvus-helm" },
      resetValues: true,
      reuseValues: false,
      atomic: false,
      timeout: 900,
      skipAwait: false,
      waitForJobs: true,
    });
    expect(at(rel, "values", "image", "all", "tag")).toBe("v2.5.16");
    expect(at(rel, "values", "pulsarv3", "enabled")).toBe(true);
    expect(at(rel, "values", "mixCoordinator", "enabled")).toBe(true);
  });

  it("exposes the outputs", async () => {
    expect(await resolved(c.releaseName)).toBe("fresh");
    expect(await resolved(c.namespace)).toBe("milvus");
    expect(await resolved(c.version)).toBe("2.5.16");
    expect(await resolved(c.chartVersion)).toBe("4.2.58");
    expect(await resolved(c.endpoint)).toBe("fresh-milvus.milvus.svc.cluster.local:19530");
    expect(await resolved(c.stops)).toEqual([]);
  });
});

describe("one-step upgrade (expectedFrom 2.5.16 -> 2.6.4)", () => {
  it("has no stop, so a guard executor runs and the Release moves to chart 5.0.6", async () => {
    const c = await build("onestep", { ...README_ARGS, expectedFrom: "2.5.16" });
    expect(childTypes("onestep")).toEqual([T.component, T.configMap, T.configMap, T.serviceAccount, T.job, T.release, T.role, T.roleBinding].sort());
    const rel = inputs("onestep", T.release);
    expect(rel).toMatchObject({ version: "5.0.6", resetValues: true, name: "onestep", namespace: "milvus" });
    expect(at(rel, "values", "streaming", "enabled")).toBe(true);
    expect(at(rel, "values", "indexNode", "enabled")).toBe(false);
    expect(at(rel, "values", "queryNode", "replicas")).toBe(3);
    expect(await resolved(c.stops)).toEqual([]);
  });
});

describe("chained upgrade (expectedFrom 2.5.8 -> 2.6.4)", () => {
  let c: MilvusCluster;
  beforeAll(async () => {
    c = await build("chain", { ...README_ARGS, expectedFrom: "2.5.8" });
  });

  it("creates the in-cluster executor and the Release", () => {
    expect(childTypes("chain")).toEqual([T.component, T.configMap, T.configMap, T.serviceAccount, T.job, T.release, T.role, T.roleBinding].sort());
    expect(c.executorJob).toBeDefined();
  });

  it("puts the plan and the 2.5.16 stop's values into the per-plan ConfigMap", () => {
    const data = at(planConfigMap("chain"), "data") as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(["plan.json", "step-1.yaml"]);
    const step1 = YAML.parse(data["step-1.yaml"]!) as Obj;
    expect(at(step1, "image", "all", "tag")).toBe("v2.5.16");
    expect(at(step1, "mixCoordinator", "enabled")).toBe(true);
    expect(at(step1, "queryNode", "replicas")).toBe(3);
    const plan = planJson("chain");
    expect(at(plan, "steps", 0, "chart")).toBe("4.2.58");
    expect(plan["expectedFrom"]).toBe("2.5.8"); // the executor refuses another live version
    expect(plan["includesFinalStep"]).toBe(false); // the Release performs the final step
  });

  it("puts the bundled executor into its own immutable ConfigMap named by its hash", () => {
    const runtime = executorRuntime();
    const cm = runtimeConfigMap("chain");
    expect(cm).toMatchObject({ metadata: { name: `chain-milvus-executor-${runtime.hash}`, namespace: "milvus" }, data: { "executor.cjs": runtime.source }, immutable: true });
  });

  it("moves the Release to 2.6.4 on chart 5.0.6 with reset values", () => {
    const rel = inputs("chain", T.release);
    expect(rel).toMatchObject({ version: "5.0.6", resetValues: true, chart: "milvus" });
    expect(at(rel, "values", "image", "all", "tag")).toBe("v2.6.4");
    expect(at(rel, "values", "pulsar", "enabled")).toBe(true);
  });

  it("runs the Job non-root, read-only, without privilege escalation, once", () => {
    const job = inputs("chain", T.job);
    expect(at(job, "metadata", "name")).toMatch(/^chain-upgrade-[0-9a-f]{10}$/);
    expect(at(job, "metadata", "namespace")).toBe("milvus");
    const spec = at(job, "spec") as Obj;
    expect(spec["backoffLimit"]).toBe(0);
    expect(spec["activeDeadlineSeconds"]).toEqual(expect.any(Number));
    const pod = at(spec, "template", "spec") as Obj;
    expect(pod).toMatchObject({ automountServiceAccountToken: true, restartPolicy: "Never", serviceAccountName: at(inputs("chain", T.serviceAccount), "metadata", "name") });
    const init = at(pod, "initContainers", 0) as Obj;
    const container = at(pod, "containers", 0) as Obj;
    expect(at(pod, "initContainers", 1)).toBeUndefined();
    expect(init).toMatchObject({ name: "tools", image: DEFAULT_EXECUTOR_IMAGE, command: ["cp", "/usr/bin/helm", "/usr/bin/kubectl", "/opt/milvus-cluster/bin/"] });
    expect(init["volumeMounts"]).toEqual([{ name: "tools", mountPath: "/opt/milvus-cluster/bin" }]);
    expect(container).toMatchObject({ name: "executor", image: DEFAULT_EXECUTOR_NODE_IMAGE, command: ["/usr/local/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"] });
    for (const c of [init, container]) {
      expect(c["securityContext"]).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ["ALL"] },
      });
    }
    expect(container["volumeMounts"]).toEqual([
      { name: "executor", mountPath: "/executor", readOnly: true },
      { name: "runtime", mountPath: "/opt/milvus-cluster/runtime", readOnly: true },
      { name: "tools", mountPath: "/opt/milvus-cluster/bin", readOnly: true },
      { name: "scratch", mountPath: "/tmp/helm" },
    ]);
    const env = Object.fromEntries((container["env"] as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ HELM_BIN: "/opt/milvus-cluster/bin/helm", KUBECTL_BIN: "/opt/milvus-cluster/bin/kubectl", MILVUS_EXECUTOR_DIR: "/executor" });
    expect(at(pod, "volumes")).toEqual([
      { name: "executor", configMap: { name: at(planConfigMap("chain"), "metadata", "name"), defaultMode: 0o444 } },
      { name: "runtime", configMap: { name: at(runtimeConfigMap("chain"), "metadata", "name"), defaultMode: 0o444 } },
      { name: "tools", emptyDir: {} },
      { name: "scratch", emptyDir: {} },
    ]);
  });

  it("takes the images given, pinned by digest", async () => {
    const digest = `@sha256:${"c".repeat(64)}`;
    await build("images", { ...README_ARGS, expectedFrom: "2.5.8", executorImage: `registry.example.com/k8s${digest}`, executorNodeImage: `registry.example.com/node:24${digest}` });
    const pod = at(inputs("images", T.job), "spec", "template", "spec");
    expect(at(pod, "initContainers", 0, "image")).toBe(`registry.example.com/k8s${digest}`);
    expect(at(pod, "containers", 0, "image")).toBe(`registry.example.com/node:24${digest}`);
    await build("distroless", { ...README_ARGS, expectedFrom: "2.5.8", executorNodeImage: "gcr.io/distroless/nodejs24-debian13:nonroot", executorNodeBinary: "/nodejs/bin/node" });
    expect(at(inputs("distroless", T.job), "spec", "template", "spec", "containers", 0, "command")).toEqual(["/nodejs/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"]);
  });

  it("grants the executor a namespaced Role bound to its ServiceAccount", () => {
    const role = inputs("chain", T.role);
    expect((role["rules"] as unknown[]).length).toBeGreaterThan(0);
    const binding = inputs("chain", T.roleBinding);
    const sa = at(inputs("chain", T.serviceAccount), "metadata", "name");
    expect(binding).toMatchObject({
      roleRef: { kind: "Role", name: at(role, "metadata", "name") },
      subjects: [{ kind: "ServiceAccount", name: sa, namespace: "milvus" }],
    });
  });

  it("lists the exact stop", async () => {
    expect(await resolved(c.stops)).toEqual(["2.5.16 (chart 4.2.58)"]);
  });
});

describe("without expectedFrom: every candidate stop below the target", () => {
  it("hands 2.1.4, the 2.2.0 migration and 2.5.16 to the executor", async () => {
    const c = await build("readme", README_ARGS);
    expect(await resolved(c.stops)).toEqual(["2.1.4 (chart 3.2.18)", "2.2.0 (chart 3.3.6), metadata migration", "2.5.16 (chart 4.2.58)"]);
    const data = at(planConfigMap("readme"), "data") as Record<string, string>;
    // The plan, one values file per stop, and the manifests of the metadata migration the executor runs itself.
    expect(Object.keys(data).sort()).toEqual([...Object.values(MIGRATION_FILES), "plan.json", "step-1.yaml", "step-2.yaml", "step-3.yaml"].sort());
    expect(childOf("readme", T.job)).toBeDefined();
    // The Role carries the migration's extra rules (scale, logs, exec into etcd for the session check).
    expect(inputs("readme", T.role)["rules"]).toEqual(executorRbacRules({ migration: true }));
  });
});

describe("dependsOn (transformations recorder)", () => {
  it("makes the Release wait for the Job, and the Job for its ConfigMap, RBAC and the credentials", async () => {
    const rec = transformationRecorder();
    const c = await build(
      "deps",
      { ...README_ARGS, createNamespace: true, expectedFrom: "2.5.8", externalObjectStorage: { host: "s3.example.com", bucket: "vectors", accessKeyId: "AKIA0", secretAccessKey: pulumi.secret("s") } },
      { transformations: [rec.transformation] },
    );
    const seen = (type: string) => {
      const s = rec.seen.find((x) => x.type === type);
      if (!s) throw new Error(`no ${type} seen`);
      return s;
    };
    const releaseDeps = seen(T.release).opts.dependsOn as pulumi.Resource[];
    expect(releaseDeps).toContain(c.executorJob);
    expect(releaseDeps).toContain(c.credentialsSecret);
    const jobDeps = seen(T.job).opts.dependsOn as pulumi.Resource[];
    expect(jobDeps).toContain(c.credentialsSecret);
    expect(jobDeps.length).toBe(7); // namespace, credentials, ServiceAccount, Role, RoleBinding, both ConfigMaps
    for (const s of rec.seen.filter((x) => x.type !== T.component)) expect([s.type, s.opts.parent]).toEqual([s.type, c]);
    expect(seen(T.secret).opts.dependsOn).toEqual([expect.anything()]); // the namespace
  });

  it("imports the existing release when adoptExisting is set", async () => {
    const rec = transformationRecorder();
    await build("adopt", { ...README_ARGS, adoptExisting: true }, { transformations: [rec.transformation] });
    // The target Release (the adoption's read of the live release is `adopt-adopted-release`, see adoption.test.ts).
    expect(rec.seen.find((s) => s.type === T.release && s.name === "adopt")?.opts.import).toBe("milvus/adopt");
    expect(registered.find((r) => r.type === T.release && r.name === "adopt")?.id).toBe("milvus/adopt");
  });
});

describe("the Job name carries a hash of the plan", () => {
  const jobName = async (name: string, args: MilvusClusterArgs): Promise<string> => {
    await build(name, args);
    return at(inputs(name, T.job), "metadata", "name") as string;
  };
  const base: MilvusClusterArgs = { ...README_ARGS, releaseName: "vectors", expectedFrom: "2.5.8" };
  let baseName: string;
  beforeAll(async () => {
    baseName = await jobName("hash-base", base);
  });

  // The hash covers the images, the executor program and plan.json (release, namespace, target, stops, charts, repositories, expectedFrom, timeouts,
  // rollback) and every stop's values file. A setting that shapes a stop's values changes it; a setting that only
  // reaches the target's values (the Release) does not.
  it.each<[string, MilvusClusterArgs, boolean]>([
    ["the same arguments", { ...base }, false],
    ["streamingNode replicas (2.6 only: target values only)", { ...base, streamingNode: { replicas: 2 } }, false],
    ["the executor set to its default", { ...base, executor: "in-cluster" }, false],
    ["queryNode replicas (part of the 2.5.16 stop's values)", { ...base, queryNode: { replicas: 4 } }, true],
    ["milvusConfig (every stop's user.yaml)", { ...base, milvusConfig: { common: { retentionDuration: 3600 } } }, true],
    ["the target version", { ...base, version: "2.6.3" }, true],
    ["expectedFrom (another chain)", { ...base, expectedFrom: "2.4.17" }, true],
    ["the step timeout", { ...base, stepTimeoutSeconds: 1200 }, true],
    ["the step timeout as a duration", { ...base, stepTimeout: "20m" }, true],
    ["the default step timeout spelled out", { ...base, stepTimeout: "15m" }, false],
    ["the default step timeout in seconds", { ...base, stepTimeout: "900s" }, false],
    ["rollback on failure", { ...base, atomic: true }, true],
    ["the chart repository", { ...base, chartRepository: "https://mirror.example.com/milvus" }, true],
    // The image is part of the name: a Job's pod template is immutable, so another image must be another Job.
    ["the executor image", { ...base, executorImage: "registry.example.com/k8s-tools:1.0" }, true],
    ["the executor's Node image", { ...base, executorNodeImage: "registry.example.com/node:24" }, true],
  ])("%s -> changed: %s", async (label, args, changed) => {
    const name = `hash-${label.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.slice(0, 40).replace(/-+$/, "");
    const other = await jobName(name, args);
    if (changed) expect(other).not.toBe(baseName);
    else expect(other).toBe(baseName);
  });

  it("moves the Release values even when the Job name stays", async () => {
    await build("hash-sn", { ...base, streamingNode: { replicas: 2 } });
    expect(at(inputs("hash-sn", T.release), "values", "streamingNode", "replicas")).toBe(2);
  });
});

describe("credentials", () => {
  const SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
  const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
  let c: MilvusCluster;
  beforeAll(async () => {
    c = await build("creds", {
      ...README_ARGS,
      expectedFrom: "2.5.8",
      externalObjectStorage: { host: "s3.eu-central-1.amazonaws.com", bucket: "vectors", accessKeyId: ACCESS_KEY, secretAccessKey: pulumi.secret(SECRET_KEY) },
    });
  });

  it("go into one Secret whose values are all secret, even when given as plain strings", async () => {
    const secret = inputs("creds", T.secret);
    expect(at(secret, "metadata", "name")).toBe("creds-milvus-credentials");
    expect(at(secret, "metadata", "namespace")).toBe("milvus");
    // Secretness is hoisted to the whole map when it is serialized.
    expect(isSecretValue(secret["stringData"])).toBe(true);
    const data = at(secret, "stringData", "value") as Obj;
    expect(data).toEqual({ "s3-access-key-id": ACCESS_KEY, "s3-secret-access-key": SECRET_KEY });
    expect(await c.credentialsSecret!.stringData.isSecret).toBe(true);
  });

  it("are referenced by name and key from the values, never copied", () => {
    const rel = inputs("creds", T.release);
    const env = at(rel, "values", "proxy", "extraEnv") as Obj[];
    expect(env).toContainEqual({ name: "MINIO_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "creds-milvus-credentials", key: "s3-access-key-id" } } });
    expect(env).toContainEqual({ name: "MINIO_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "creds-milvus-credentials", key: "s3-secret-access-key" } } });
  });

  it("never appear in the ConfigMap, the Job, the RBAC objects or the Release", () => {
    for (const r of childrenOf("creds").filter((x) => x.type !== T.secret)) {
      const text = JSON.stringify(r.inputs);
      expect(text).not.toContain(SECRET_KEY);
      expect(text).not.toContain(ACCESS_KEY);
    }
    expect(JSON.stringify(planConfigMap("creds"))).toContain("creds-milvus-credentials");
  });

  it("cover bundled MinIO, Kafka and Pulsar credentials too", async () => {
    await build("creds2", { version: "2.5.16", messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092", saslUsername: "milvus", saslPassword: pulumi.secret("pw") }, minioCredentials: { accessKey: "minio", secretKey: pulumi.secret("minio-pw") } });
    const secret = inputs("creds2", T.secret);
    expect(isSecretValue(secret["stringData"])).toBe(true);
    expect(Object.keys(at(secret, "stringData", "value") as Obj).sort()).toEqual(["accesskey", "kafka-sasl-password", "kafka-sasl-username", "secretkey"]);
    expect(at(inputs("creds2", T.release), "values", "minio", "existingSecret")).toBe("creds2-milvus-credentials");
  });
});

describe("executor choice", () => {
  it("local: a command.local.Command running node with the bundled executor, the plan's files on stdin, the plan hash as trigger", async () => {
    const c = await build("local", { ...README_ARGS, expectedFrom: "2.5.8", executor: "local" });
    // The executor command and the provider's read of kube-system (the executor checks its uid first).
    expect(childTypes("local")).toEqual([T.command, T.component, T.namespace, T.release].sort());
    expect(c.executorJob).toBeUndefined();
    const cmd = registered.find((x) => x.name === "local-executor" && x.type === T.command)!.inputs as Obj;
    expect(cmd["interpreter"]).toEqual(["node", executorRuntime().path]);
    expect(cmd["create"]).toBe(LOCAL_EXECUTOR_COMMAND);
    expect(cmd["create"]).toBe("--files-from-stdin");
    const files = JSON.parse(cmd["stdin"] as string) as Record<string, string>;
    expect(Object.keys(files)).toEqual(["connection.json", "plan.json", "step-1.yaml"]);
    // No explicit provider and no stack config: the ambient kubeconfig's current context, checked against the uid the
    // provider read.
    expect(JSON.parse(files["connection.json"]!)).toEqual({ kubeSystemUid: MOCK_KUBE_SYSTEM_UID });
    expect(files["step-1.yaml"]).toContain("v2.5.16");
    expect(JSON.parse(files["plan.json"]!)).toMatchObject({ expectedFrom: "2.5.8", includesFinalStep: false });
    expect(cmd["triggers"]).toEqual([expect.stringMatching(/^[0-9a-f]{10}$/)]);
    expect(cmd["environment"]).toEqual({ MILVUS_EXECUTOR_DRY_RUN: "0", MILVUS_EXECUTOR_HEALTH: "proxy", HELM_KUBECONTEXT: "" });
    expect(cmd["addPreviousOutputInEnv"]).toBe(false);
  });

  it("local: the Release depends on the command", async () => {
    const rec = transformationRecorder();
    const c = await build("local2", { ...README_ARGS, expectedFrom: "2.5.8", executor: "local" }, { transformations: [rec.transformation] });
    expect(rec.seen.find((s) => s.type === T.release)?.opts.dependsOn).toEqual([c.executorCommand]);
  });

  it("none: no executor at all, the stops are still reported", async () => {
    logs.warn.mockClear();
    const c = await build("noexec", { ...README_ARGS, expectedFrom: "2.5.8", executor: "none" });
    expect(childTypes("noexec")).toEqual([T.component, T.release].sort());
    expect(await resolved(c.stops)).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect(logged("warn").join("\n")).toMatch(/executor is "none": the stops 2\.5\.16 \(chart 4\.2\.58\) are not run/);
  });
});

describe("chart repository override", () => {
  it.each<[string, Obj]>([
    ["https://charts.example.com/milvus", { chart: "milvus", repositoryOpts: { repo: "https://charts.example.com/milvus" } }],
    ["oci://registry.example.com/charts/", { chart: "oci://registry.example.com/charts/milvus" }],
  ])("%s", async (repo, expected) => {
    const name = repo.startsWith("oci") ? "repo-oci" : "repo-https";
    await build(name, { version: "2.5.16", messageQueue: "pulsarv3", chartRepository: repo });
    const rel = inputs(name, T.release);
    expect(rel).toMatchObject(expected);
    if (repo.startsWith("oci")) expect(rel["repositoryOpts"]).toBeUndefined();
  });
});

describe("namespace and endpoint", () => {
  it("creates the namespace on request and follows the chart's fullname rule", async () => {
    const c = await build("ns", { version: "2.5.16", messageQueue: "pulsarv3", releaseName: "my-milvus", namespace: "vectors", createNamespace: true });
    expect(at(inputs("ns", T.namespace), "metadata", "name")).toBe("vectors");
    expect(await resolved(c.endpoint)).toBe("my-milvus.vectors.svc.cluster.local:19530");
  });
});

describe("preview visibility", () => {
  it("names the stops in a pulumi.log.info line", async () => {
    logs.info.mockClear();
    await build("logged", { ...README_ARGS, expectedFrom: "2.5.8" });
    expect(logged("info")).toContainEqual(expect.stringMatching(/^MilvusCluster logged: stops before 2\.6\.4 \(chart 5\.0\.6\): 2\.5\.16 \(chart 4\.2\.58\) \(exact chain from 2\.5\.8; executor in-cluster\)$/));
  });
});

describe("the example program", () => {
  it("evaluates under mocks and exports the endpoint", async () => {
    const example = require("../../examples/pulumi/index") as { endpoint: pulumi.Output<string>; stops: pulumi.Output<string[]> };
    expect(await resolved(example.endpoint)).toBe("vectors-milvus.milvus.svc.cluster.local:19530");
    expect(await resolved(example.stops)).toContain("2.5.16 (chart 4.2.58)");
    await settle(example.endpoint);
    expect(childTypes("vectors")).toEqual([T.component, T.configMap, T.configMap, T.job, T.namespace, T.release, T.role, T.roleBinding, T.serviceAccount].sort());
  });
});
