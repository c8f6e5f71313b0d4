import { Chart, Testing } from "cdk8s";
import { parse as parseYaml } from "yaml";
import { MilvusCluster, type MilvusClusterProps } from "../../src/cdk8s";
import { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE, type ExecutorInput, executorRbacRules, executorRuntime, MIGRATION_FILES } from "../../src/executor";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import { type K8sObject, ofKind, schemaProblems, single, stringLeaves } from "./support";

const BASE: MilvusClusterProps = { version: "2.6.4", messageQueue: "pulsar" };

function synth(props: MilvusClusterProps = BASE, opts: { id?: string; namespace?: string } = {}): { cluster: MilvusCluster; objects: K8sObject[] } {
  const chart = new Chart(Testing.app(), "test", { namespace: opts.namespace ?? "milvus" });
  const cluster = new MilvusCluster(chart, opts.id ?? "milvus", props);
  return { cluster, objects: Testing.synth(chart) as K8sObject[] };
}

interface SynthContainer {
  image: string;
  command: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface SynthPodSpec {
  restartPolicy: string;
  automountServiceAccountToken: boolean;
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  volumes: { name: string; configMap?: { name: string }; emptyDir?: object }[];
  initContainers: SynthContainer[];
  containers: SynthContainer[];
}

interface SynthJobSpec {
  backoffLimit: number;
  ttlSecondsAfterFinished: number;
  activeDeadlineSeconds: number;
  template: { spec: SynthPodSpec };
}

function jobOf(objects: K8sObject[]): { job: K8sObject; spec: SynthJobSpec; pod: SynthPodSpec; container: SynthContainer } {
  const job = single(objects, "Job");
  const spec = job["spec"] as SynthJobSpec;
  return { job, spec, pod: spec.template.spec, container: spec.template.spec.containers[0]! };
}

/** The per-plan ConfigMap (plan.json, values files, migration manifests). */
function planConfigMap(objects: K8sObject[]): K8sObject {
  const found = ofKind(objects, "ConfigMap").filter((c) => (c["data"] as Record<string, string>)["plan.json"] !== undefined);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The runtime ConfigMap (executor.cjs). */
function runtimeConfigMap(objects: K8sObject[]): K8sObject {
  const found = ofKind(objects, "ConfigMap").filter((c) => (c["data"] as Record<string, string>)["executor.cjs"] !== undefined);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function configMapData(objects: K8sObject[]): Record<string, string> {
  return planConfigMap(objects)["data"] as Record<string, string>;
}

/** The executor input (plan.json) of the per-plan ConfigMap. */
function planOf(objects: K8sObject[]): ExecutorInput {
  return JSON.parse(configMapData(objects)["plan.json"]!) as ExecutorInput;
}

describe("upgrade-job mode", () => {
  test("emits exactly a ServiceAccount, Role, RoleBinding, the plan and runtime ConfigMaps and a Job, all in the release namespace", () => {
    const { cluster, objects } = synth();
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "ConfigMap", "Job"]);
    for (const o of objects) expect(o.metadata.namespace).toBe("milvus");
    const model = cluster.upgradeJob!;
    expect(single(objects, "Job").metadata.name).toBe(cluster.jobName);
    expect(cluster.jobName).toMatch(/^milvus-upgrade-[0-9a-f]{10}$/);
    expect(single(objects, "ServiceAccount").metadata.name).toBe(model.serviceAccount.name);
    expect(planConfigMap(objects).metadata.name).toBe(model.configMap.name);
    expect(runtimeConfigMap(objects).metadata.name).toBe(model.runtimeConfigMap.name);
    expect(cluster.renderMode).toBe("upgrade-job");
    expect(cluster.rendered).toBeUndefined();
  });

  test("the release namespace can differ from the chart's", () => {
    const { objects } = synth({ ...BASE, namespace: "vectors", releaseName: "db" });
    for (const o of objects) expect(o.metadata.namespace).toBe("vectors");
    const binding = single(objects, "RoleBinding");
    expect(binding["subjects"]).toEqual([{ kind: "ServiceAccount", name: single(objects, "ServiceAccount").metadata.name, namespace: "vectors" }]);
  });

  test("pod settings: token mounted, non-root, read-only root filesystem, emptyDirs, no retries, deadline, TTL", () => {
    const { objects } = synth();
    const { spec, pod, container } = jobOf(objects);
    const init = pod.initContainers[0]!;
    expect(pod.initContainers).toHaveLength(1);
    expect(spec.backoffLimit).toBe(0);
    expect(spec.ttlSecondsAfterFinished).toBe(86400);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe(single(objects, "ServiceAccount").metadata.name);
    expect(single(objects, "ServiceAccount")["automountServiceAccountToken"]).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    for (const c of [init, container]) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
    }
    const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
    const mount = (c: SynthContainer, path: string) => c.volumeMounts.find((m) => m.mountPath === path);
    // Init container: copies helm and kubectl of the tools image into the tools emptyDir, its only writable place.
    expect(init.image).toBe(DEFAULT_EXECUTOR_IMAGE);
    expect(init.command).toEqual(["cp", "/usr/bin/helm", "/usr/bin/kubectl", "/opt/milvus-cluster/bin/"]);
    expect(init.volumeMounts).toEqual([{ name: expect.any(String), mountPath: "/opt/milvus-cluster/bin" }]);
    expect(volumes[init.volumeMounts[0]!.name]?.emptyDir).toBeDefined();
    // Main container: node of the Node image runs executor.cjs from the runtime ConfigMap, the plan from the other.
    expect(container.image).toBe(DEFAULT_EXECUTOR_NODE_IMAGE);
    expect(container.command).toEqual(["/usr/local/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"]);
    expect(volumes[mount(container, "/opt/milvus-cluster/runtime")!.name]?.configMap?.name).toBe(runtimeConfigMap(objects).metadata.name);
    expect(volumes[mount(container, "/executor")!.name]?.configMap?.name).toBe(planConfigMap(objects).metadata.name);
    for (const p of ["/opt/milvus-cluster/runtime", "/executor", "/opt/milvus-cluster/bin"]) expect(mount(container, p)).toMatchObject({ readOnly: true });
    expect(mount(container, "/opt/milvus-cluster/bin")!.name).toBe(init.volumeMounts[0]!.name);
    const scratch = mount(container, "/tmp/helm")!;
    expect(volumes[scratch.name]?.emptyDir).toBeDefined();
    expect(scratch.readOnly).toBeUndefined();
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ HELM_BIN: "/opt/milvus-cluster/bin/helm", KUBECTL_BIN: "/opt/milvus-cluster/bin/kubectl", MILVUS_EXECUTOR_DIR: "/executor", HOME: "/tmp/helm" });
    for (const k of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) expect(env[k]?.startsWith("/tmp/helm/")).toBe(true);
  });

  test("the runtime ConfigMap: executor.cjs, immutable, named by its hash, the same for every plan of the release", () => {
    const { objects } = synth();
    const runtime = executorRuntime();
    const cm = runtimeConfigMap(objects);
    expect(cm["data"]).toEqual({ "executor.cjs": runtime.source });
    expect(cm["immutable"]).toBe(true);
    expect(cm.metadata.name).toBe(`milvus-milvus-executor-${runtime.hash}`);
    expect(runtimeConfigMap(synth({ ...BASE, from: "2.5.8" }).objects)).toEqual(cm);
    expect(planConfigMap(objects)["immutable"]).toBe(true);
  });

  test("executor settings are passed through: images, step timeout, TTL, rollback, repository", () => {
    const { cluster, objects } = synth({
      ...BASE,
      executorImage: "registry.example.com/tools/helm:3.17.3",
      executorNodeImage: `registry.example.com/node@sha256:${"b".repeat(64)}`,
      stepTimeout: "5m",
      ttlSecondsAfterFinished: 600,
      rollbackOnFailure: true,
      chartRepository: "https://mirror.example.com/milvus",
    });
    const { spec, pod, container } = jobOf(objects);
    expect(pod.initContainers[0]!.image).toBe("registry.example.com/tools/helm:3.17.3");
    expect(container.image).toBe(`registry.example.com/node@sha256:${"b".repeat(64)}`);
    expect(spec.ttlSecondsAfterFinished).toBe(600);
    const plan = planOf(objects);
    expect(plan.steps.map((s) => s.repository)).toEqual(plan.steps.map(() => "https://mirror.example.com/milvus"));
    expect(plan.rollbackOnFailure).toBe(true);
    expect(plan.stepTimeoutSeconds).toBe(300);
    const defaults = synth();
    expect(cluster.executor!.maxDurationSeconds).toBeLessThan(defaults.cluster.executor!.maxDurationSeconds);
    expect(spec.activeDeadlineSeconds).toBeLessThan(jobOf(defaults.objects).spec.activeDeadlineSeconds);
  });

  test("a distroless nodejs image with its node binary", () => {
    const { container } = jobOf(synth({ ...BASE, executorNodeImage: "gcr.io/distroless/nodejs24-debian13:nonroot", executorNodeBinary: "/nodejs/bin/node" }).objects);
    expect(container.image).toBe("gcr.io/distroless/nodejs24-debian13:nonroot");
    expect(container.command).toEqual(["/nodejs/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"]);
    expect(() => synth({ ...BASE, executorNodeBinary: "node --inspect" })).toThrow(/- executorNodeBinary: "node --inspect" is not an absolute file path \[R-INPUT\]/);
    expect(() => synth({ ...BASE, renderMode: "render", executorNodeBinary: "/nodejs/bin/node" })).toThrow(/- executorNodeBinary: .*renderMode render/);
  });

  test.each([
    ["15m", 900],
    ["900s", 900],
    ["900", 900],
    ["1m", 60],
  ])("stepTimeout %s is %i seconds; stepTimeoutSeconds takes the same syntax", (given, seconds) => {
    expect(planOf(synth({ ...BASE, stepTimeout: given }).objects).stepTimeoutSeconds).toBe(seconds);
    expect(planOf(synth({ ...BASE, stepTimeoutSeconds: seconds }).objects).stepTimeoutSeconds).toBe(seconds);
  });

  test.each<[string, MilvusClusterProps, RegExp]>([
    ["a unit helm knows but not every surface", { ...BASE, stepTimeout: "1h" }, /- stepTimeout: "1h" is not a duration \[R-INPUT\] Fix: use whole seconds or minutes: 15m, 900s or 900/],
    ["a space", { ...BASE, stepTimeout: "15 m" }, /- stepTimeout: "15 m" is not a duration \[R-INPUT\]/],
    ["a fraction", { ...BASE, stepTimeout: "1.5m" }, /- stepTimeout: "1.5m" is not a duration/],
    ["zero", { ...BASE, stepTimeout: "0" }, /- stepTimeout: "0" is not a duration/],
    ["a negative number of seconds", { ...BASE, stepTimeoutSeconds: -5 }, /- stepTimeoutSeconds: -5 is not a duration/],
    ["seconds as a fraction", { ...BASE, stepTimeoutSeconds: 90.5 }, /- stepTimeoutSeconds: 90.5 is not a duration/],
    ["both set", { ...BASE, stepTimeout: "15m", stepTimeoutSeconds: 900 }, /- stepTimeout: stepTimeout and stepTimeoutSeconds are both set \[R-INPUT\]/],
    ["render mode", { ...BASE, renderMode: "render", stepTimeout: "15m" }, /- stepTimeout: .*renderMode render/],
  ])("stepTimeout: %s is refused at synth, naming the prop", (_, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test("a fresh install: every candidate stop, then the target, as helm upgrade --install", () => {
    const { cluster, objects } = synth();
    const stops = candidateStops({ version: "2.6.4", messageQueue: "pulsar" });
    const install = planUpgrade({ to: { version: "2.6.4", messageQueue: "pulsar" } });
    expect(cluster.plan).toEqual(install);
    expect(cluster.stops).toEqual(stops);
    expect(cluster.steps).toEqual([...stops, ...install.steps]);
    const data = configMapData(objects);
    // The plan, one values file per step (each the step's complete values), and the migration manifests: a candidate
    // stop is the 2.2.0 metadata migration, which the Job runs itself.
    expect(Object.keys(data).sort()).toEqual(["plan.json", ...cluster.steps.map((_, i) => `step-${i + 1}.yaml`), ...Object.values(MIGRATION_FILES)].sort());
    cluster.steps.forEach((s, i) => {
      expect(parseYaml(data[`step-${i + 1}.yaml`]!)).toEqual(s.values);
    });
    // The last step installs when the release does not exist yet (helm upgrade --install).
    expect(planOf(objects).includesFinalStep).toBe(true);
    expect(planOf(objects).steps.map((s) => s.valuesFile)).toEqual(cluster.steps.map((_, i) => `step-${i + 1}.yaml`));
  });

  test("a one-step upgrade (2.5.16 -> 2.6.4): the exact plan, no stops", () => {
    const { cluster, objects } = synth({ ...BASE, from: "2.5.16" });
    expect(cluster.plan).toEqual(planUpgrade({ from: "2.5.16", to: { version: "2.6.4", messageQueue: "pulsar" } }));
    expect(cluster.stops).toEqual([]);
    expect(cluster.steps.map((s) => [s.milvusVersion, s.chartVersion, s.action])).toEqual([["2.6.4", "5.0.6", "helm-upgrade"]]);
    const data = configMapData(objects);
    expect(Object.keys(data).sort()).toEqual(["plan.json", "step-1.yaml"]);
    expect(parseYaml(data["step-1.yaml"]!)).toEqual(cluster.steps[0]!.values);
  });

  test("a chained upgrade (2.5.8 -> 2.5.16 -> 2.6.4): both steps in order, the last one installing if needed", () => {
    const { cluster, objects } = synth({ ...BASE, from: "2.5.8" });
    expect(cluster.steps.map((s) => [s.milvusVersion, s.chartVersion])).toEqual([
      ["2.5.16", "4.2.58"],
      ["2.6.4", "5.0.6"],
    ]);
    expect(cluster.stops.map((s) => s.milvusVersion)).toEqual(["2.5.16"]);
    const data = configMapData(objects);
    expect(parseYaml(data["step-1.yaml"]!)).toMatchObject({ mixCoordinator: { enabled: true }, rootCoordinator: { enabled: false }, streaming: { enabled: false }, pulsar: { enabled: true } });
    expect(parseYaml(data["step-2.yaml"]!)).toMatchObject({ streaming: { enabled: true }, indexNode: { enabled: false }, pulsar: { enabled: true }, standalone: { messageQueue: "pulsar" } });
    expect(planOf(objects).steps.map((s) => [s.index, s.chart, s.valuesFile])).toEqual([
      [1, "4.2.58", "step-1.yaml"],
      [2, "5.0.6", "step-2.yaml"],
    ]);
    expect(cluster.executor!.stepSummary).toEqual(["2.5.16 (chart 4.2.58)", "2.6.4 (chart 5.0.6)"]);
  });

  test("a chain through the offline 2.2.0 metadata migration: the Job runs it, with the migration settings and manifests", async () => {
    const { cluster, objects } = synth({ ...BASE, from: "2.1.4", migration: { storageClass: "fast-ssd", backupSize: "20Gi", cleanup: true } });
    expect(cluster.steps.map((s) => `${s.milvusVersion}:${s.action}`)).toEqual(["2.2.0:meta-migration", "2.5.16:helm-upgrade", "2.6.4:helm-upgrade"]);
    const data = configMapData(objects);
    expect(planOf(objects).migration).toMatchObject({ cleanup: true, storageClass: "fast-ssd", backupSize: "20Gi" });
    const claim = parseYaml(data["migration-backup-pvc.yaml"]!) as K8sObject;
    expect(claim["spec"]).toMatchObject({ storageClassName: "fast-ssd", resources: { requests: { storage: "20Gi" } } });
    // The manifests the Job creates validate like the synthesized objects (placeholders filled in as the executor does).
    const manifests = Object.values(MIGRATION_FILES).map((f) => parseYaml(data[f]!.replace(/@[A-Z_]+@/g, (p) => ({ "@ETCD_ENDPOINT@": "milvus-etcd:2379", "@SOURCE_VERSION@": "2.1.4", "@SOURCE_REVISION@": "3", "@SOURCE_TAG@": "v2.1.4", "@REPLICAS@": "a=1" })[p] ?? p)) as K8sObject);
    expect(await schemaProblems(manifests)).toEqual([]);
    // From 2.2.0 on, the chain is plain helm upgrades, and the Role has no migration rules.
    const later = synth({ ...BASE, from: "2.2.0" });
    expect(later.cluster.steps.map((s) => s.action)).not.toContain("meta-migration");
    expect(single(later.objects, "Role")["rules"]).toEqual(executorRbacRules());
  });

  test("migration settings are checked and belong to upgrade-job mode", () => {
    expect(() => synth({ ...BASE, migration: { etcdEndpoint: "etcd", rootPath: "/by-dev" } })).toThrow(
      /- migration\.etcdEndpoint: "etcd" is not an etcd endpoint host:port \[R-INPUT\].*\n {2}- migration\.rootPath: "\/by-dev" is not an etcd root path \[R-INPUT\]/s,
    );
    expect(() => synth({ ...BASE, renderMode: "render", migration: {} })).toThrow(/- migration: migration has no effect in renderMode render \[R-INPUT\]/);
  });

  test("the Role is namespaced and grants exactly the executor's rules, nothing cluster-wide or wildcarded", () => {
    const { objects } = synth();
    expect(ofKind(objects, "ClusterRole")).toEqual([]);
    expect(ofKind(objects, "ClusterRoleBinding")).toEqual([]);
    const role = single(objects, "Role");
    expect(role.apiVersion).toBe("rbac.authorization.k8s.io/v1");
    expect(role.metadata.namespace).toBe("milvus");
    const rules = role["rules"] as { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
    // Exactly the executor's rules (derived from what the Milvus chart and its subcharts render), plus the migration's
    // (the candidate stops include the 2.2.0 metadata migration), nothing else.
    expect(rules).toEqual(executorRbacRules({ migration: true }));
    expect(rules.length).toBeGreaterThan(0);
    const clusterScoped = ["namespaces", "nodes", "clusterroles", "clusterrolebindings", "customresourcedefinitions", "persistentvolumes", "storageclasses", "priorityclasses"];
    for (const r of rules) {
      expect(r.apiGroups).not.toContain("*");
      expect(r.resources).not.toContain("*");
      expect(r.verbs).not.toContain("*");
      for (const v of ["escalate", "bind", "impersonate"]) expect(r.verbs).not.toContain(v);
      for (const res of clusterScoped) expect(r.resources).not.toContain(res);
    }
    // Helm keeps its release records in Secrets of the namespace and must manage the chart's Deployments.
    const grants = (group: string, resource: string, verb: string) => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(grants("", "secrets", "get")).toBe(true);
    expect(grants("", "secrets", "create")).toBe(true);
    expect(grants("apps", "deployments", "patch")).toBe(true);
    const binding = single(objects, "RoleBinding");
    expect(binding["roleRef"]).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name });
  });

  test("the Job name changes exactly when the plan changes", () => {
    const name = (props: MilvusClusterProps, opts: { id?: string; namespace?: string } = {}) => synth(props, opts).cluster.jobName;
    const base = name(BASE);
    // Same plan: same name, whatever the construct path, the chart or the Job's lifecycle settings.
    expect(name(BASE)).toBe(base);
    expect(name({ ...BASE, releaseName: "milvus" }, { id: "other" })).toBe(base);
    expect(name({ ...BASE, ttlSecondsAfterFinished: 60 })).toBe(base);
    // Same name, same Job: the pod template (immutable) depends on the plan alone, not on the construct path.
    const job = (props: MilvusClusterProps, opts: { id?: string } = {}) => single(synth(props, opts).objects, "Job");
    expect(job({ ...BASE, releaseName: "milvus" }, { id: "elsewhere" })).toEqual(job(BASE));
    expect(JSON.stringify(job(BASE))).not.toContain("cdk8s.io/metadata.addr");
    // Another plan, other values, another image: another Job.
    const changed = [
      name({ ...BASE, version: "2.6.3" }),
      name({ ...BASE, from: "2.5.8" }),
      name({ ...BASE, from: "2.5.16" }),
      name({ ...BASE, queryNode: { replicas: 3 } }),
      name({ ...BASE, imageRepository: "registry.example.com/milvusdb/milvus" }),
      name({ ...BASE, executorImage: "registry.example.com/tools/helm:3.17.3" }),
      name({ ...BASE, executorNodeImage: "registry.example.com/node:24" }),
      name({ ...BASE, stepTimeoutSeconds: 1200 }),
    ];
    for (const c of changed) expect(c).not.toBe(base);
    expect(new Set(changed).size).toBe(changed.length);
  });

  test("no Secret, and no credential in any ConfigMap or Job: credentials stay Secret references", () => {
    const { objects } = synth({
      version: "2.6.4",
      messageQueue: "external-kafka",
      externalKafka: {
        brokerList: "kafka-0.example.com:9092",
        saslUsername: { name: "kafka-credentials", key: "username" },
        saslPassword: { name: "kafka-credentials", key: "password" },
      },
      externalObjectStorage: {
        host: "s3.eu-central-1.amazonaws.com",
        bucket: "milvus-data",
        accessKeyId: { name: "s3-credentials", key: "access-key-id" },
        secretAccessKey: { name: "s3-credentials", key: "secret-access-key" },
      },
    });
    expect(ofKind(objects, "Secret")).toEqual([]);
    const credentialKey = /(password|secretkey|secretaccesskey|accesskey|accesskeyid|token|authparams|sasl\.username)$/i;
    for (const o of [...ofKind(objects, "ConfigMap"), ...ofKind(objects, "Job")]) {
      const leaves = stringLeaves(o);
      // The chart's well-known default MinIO credentials never appear.
      for (const [, v] of leaves) expect(v).not.toMatch(/minioadmin/);
      if (o.kind === "Job") {
        for (const e of jobOf([o]).container.env ?? []) expect(e.valueFrom).toBeUndefined();
      }
      // Values files hold references ({ name, key }) for credentials, never literal values.
      for (const [file, text] of Object.entries((o["data"] as Record<string, string> | undefined) ?? {})) {
        if (!/^step-\d+\.yaml$/.test(file)) continue;
        for (const [p, v] of stringLeaves(parseYaml(text))) {
          if (credentialKey.test(p.replace(/\[\d+\]/g, ""))) throw new Error(`${file}: credential-like key ${p} has a literal value ${JSON.stringify(v)}`);
        }
        expect(text).toContain("s3-credentials");
        expect(text).toContain("kafka-credentials");
      }
    }
  });

  test("every synthesized object validates against the Kubernetes schemas", async () => {
    const all = [synth().objects, synth({ ...BASE, from: "2.5.8" }).objects, synth({ ...BASE, mode: "standalone", messageQueue: "rocksmq" }).objects].flat();
    expect(new Set(all.map((o) => o.kind))).toEqual(new Set(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"]));
    expect(ofKind(all, "ConfigMap").length).toBe(6);
    expect(await schemaProblems(all)).toEqual([]);
  });

  test("the schema check catches an invalid object", async () => {
    const { objects } = synth();
    const job = structuredClone(single(objects, "Job"));
    (job["spec"] as { backoffLimit: unknown }).backoffLimit = "zero";
    expect(await schemaProblems([job])).toEqual([{ kind: "Job", name: job.metadata.name, error: expect.stringContaining("backoffLimit") }]);
  });

  test("snapshot: upgrade-job mode (2.5.8 -> 2.6.4)", () => {
    // executor.cjs and its hash (in the runtime ConfigMap's name and in the Job's) change with every change of the
    // executor's code: they stand as placeholders here; the test above checks them against dist/executor/executor.cjs.
    const { cluster, objects } = synth({ ...BASE, from: "2.5.8" });
    const runtime = executorRuntime();
    const jobHash = cluster.jobName!.slice(-10);
    const text = JSON.stringify(objects)
      .replace(JSON.stringify(runtime.source), JSON.stringify("<executor.cjs>"))
      .replaceAll(runtime.hash, "<runtime-hash>")
      .replaceAll(jobHash, "<job-hash>");
    expect(JSON.parse(text)).toMatchSnapshot();
  });
});
