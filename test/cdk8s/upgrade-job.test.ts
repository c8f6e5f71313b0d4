import { Chart, Testing } from "cdk8s";
import { parse as parseYaml } from "yaml";
import { MilvusCluster, type MilvusClusterProps } from "../../src/cdk8s";
import { DEFAULT_EXECUTOR_IMAGE, executorRbacRules, MIGRATION_FILES } from "../../src/executor";
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

function configMapData(objects: K8sObject[]): Record<string, string> {
  return single(objects, "ConfigMap")["data"] as Record<string, string>;
}

describe("upgrade-job mode", () => {
  test("emits exactly a ServiceAccount, Role, RoleBinding, ConfigMap and Job, all in the release namespace", () => {
    const { cluster, objects } = synth();
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"]);
    for (const o of objects) expect(o.metadata.namespace).toBe("milvus");
    const model = cluster.upgradeJob!;
    expect(single(objects, "Job").metadata.name).toBe(cluster.jobName);
    expect(cluster.jobName).toMatch(/^milvus-upgrade-[0-9a-f]{10}$/);
    expect(single(objects, "ServiceAccount").metadata.name).toBe(model.serviceAccount.name);
    expect(single(objects, "ConfigMap").metadata.name).toBe(model.configMap.name);
    expect(cluster.renderMode).toBe("upgrade-job");
    expect(cluster.rendered).toBeUndefined();
  });

  test("the release namespace can differ from the chart's", () => {
    const { objects } = synth({ ...BASE, namespace: "vectors", releaseName: "db" });
    for (const o of objects) expect(o.metadata.namespace).toBe("vectors");
    const binding = single(objects, "RoleBinding");
    expect(binding["subjects"]).toEqual([{ kind: "ServiceAccount", name: single(objects, "ServiceAccount").metadata.name, namespace: "vectors" }]);
  });

  test("pod settings: token mounted, non-root, read-only root filesystem, scratch emptyDir, no retries, deadline, TTL", () => {
    const { cluster, objects } = synth();
    const { spec, pod, container } = jobOf(objects);
    const bundle = cluster.executor!;
    expect(spec.backoffLimit).toBe(0);
    expect(spec.ttlSecondsAfterFinished).toBe(86400);
    expect(spec.activeDeadlineSeconds).toBeGreaterThanOrEqual(bundle.maxDurationSeconds);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe(single(objects, "ServiceAccount").metadata.name);
    expect(single(objects, "ServiceAccount")["automountServiceAccountToken"]).toBe(false);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.image).toBe(DEFAULT_EXECUTOR_IMAGE);
    // The ConfigMap is mounted read-only; the scratch emptyDir is the only writable place, and HELM_* point there.
    const volumes = Object.fromEntries(pod.volumes.map((v) => [v.name, v]));
    const mounts = container.volumeMounts;
    const configMount = mounts.find((m) => volumes[m.name]?.configMap);
    const scratchMount = mounts.find((m) => volumes[m.name]?.emptyDir);
    expect(configMount).toMatchObject({ readOnly: true });
    expect(volumes[configMount!.name]?.configMap?.name).toBe(single(objects, "ConfigMap").metadata.name);
    expect(scratchMount).toBeDefined();
    expect(scratchMount!.readOnly).toBeUndefined();
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    for (const k of ["HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"]) {
      expect(env[k]?.startsWith(scratchMount!.mountPath)).toBe(true);
    }
    // The command runs the script from the ConfigMap mount.
    expect(container.command.join(" ")).toContain(configMount!.mountPath);
  });

  test("executor settings are passed through: image, step timeout, TTL, rollback, repository", () => {
    const { cluster, objects } = synth({ ...BASE, executorImage: "registry.example.com/tools/helm:3.17.3", stepTimeoutSeconds: 300, ttlSecondsAfterFinished: 600, rollbackOnFailure: true, chartRepository: "https://mirror.example.com/milvus" });
    const { spec, container } = jobOf(objects);
    expect(container.image).toBe("registry.example.com/tools/helm:3.17.3");
    expect(spec.ttlSecondsAfterFinished).toBe(600);
    const script = configMapData(objects)["upgrade.sh"]!;
    expect(script).toContain("https://mirror.example.com/milvus");
    expect(script).not.toContain("https://zilliztech.github.io/milvus-helm");
    expect(script).toMatch(/--atomic|--rollback-on-failure/);
    expect(script).toContain("300");
    const defaults = synth();
    expect(cluster.executor!.maxDurationSeconds).toBeLessThan(defaults.cluster.executor!.maxDurationSeconds);
    expect(spec.activeDeadlineSeconds).toBeLessThan(jobOf(defaults.objects).spec.activeDeadlineSeconds);
  });

  test("a fresh install: every candidate stop, then the target, as helm upgrade --install", () => {
    const { cluster, objects } = synth();
    const stops = candidateStops({ version: "2.6.4", messageQueue: "pulsar" });
    const install = planUpgrade({ to: { version: "2.6.4", messageQueue: "pulsar" } });
    expect(cluster.plan).toEqual(install);
    expect(cluster.stops).toEqual(stops);
    expect(cluster.steps).toEqual([...stops, ...install.steps]);
    const data = configMapData(objects);
    // The script, one values file per step (each the step's complete values), and the migration manifests: a candidate
    // stop is the 2.2.0 metadata migration, which the Job runs itself.
    expect(Object.keys(data).sort()).toEqual(["upgrade.sh", ...cluster.steps.map((_, i) => `step-${i + 1}.yaml`), ...Object.values(MIGRATION_FILES)].sort());
    cluster.steps.forEach((s, i) => {
      expect(parseYaml(data[`step-${i + 1}.yaml`]!)).toEqual(s.values);
    });
    expect(data["upgrade.sh"]).toContain("--install");
    expect(data["upgrade.sh"]).toContain("INCLUDES_FINAL_STEP='1'");
  });

  test("a one-step upgrade (2.5.16 -> 2.6.4): the exact plan, no stops", () => {
    const { cluster, objects } = synth({ ...BASE, from: "2.5.16" });
    expect(cluster.plan).toEqual(planUpgrade({ from: "2.5.16", to: { version: "2.6.4", messageQueue: "pulsar" } }));
    expect(cluster.stops).toEqual([]);
    expect(cluster.steps.map((s) => [s.milvusVersion, s.chartVersion, s.action])).toEqual([["2.6.4", "5.0.6", "helm-upgrade"]]);
    const data = configMapData(objects);
    expect(Object.keys(data).sort()).toEqual(["step-1.yaml", "upgrade.sh"]);
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
    const script = data["upgrade.sh"]!;
    expect(script.indexOf("4.2.58")).toBeGreaterThanOrEqual(0);
    expect(script.indexOf("4.2.58")).toBeLessThan(script.lastIndexOf("5.0.6"));
    expect(cluster.executor!.stepSummary).toEqual(["2.5.16 (chart 4.2.58)", "2.6.4 (chart 5.0.6)"]);
  });

  test("a chain through the offline 2.2.0 metadata migration: the Job runs it, with the migration settings and manifests", async () => {
    const { cluster, objects } = synth({ ...BASE, from: "2.1.4", migration: { storageClass: "fast-ssd", backupSize: "20Gi", cleanup: true } });
    expect(cluster.steps.map((s) => `${s.milvusVersion}:${s.action}`)).toEqual(["2.2.0:meta-migration", "2.5.16:helm-upgrade", "2.6.4:helm-upgrade"]);
    const data = configMapData(objects);
    expect(data["upgrade.sh"]).toContain("MIG_CLEANUP='1'");
    const claim = parseYaml(data["migration-backup-pvc.yaml"]!) as K8sObject;
    expect(claim["spec"]).toMatchObject({ storageClassName: "fast-ssd", resources: { requests: { storage: "20Gi" } } });
    // The manifests the Job creates validate like the synthesized objects (placeholders filled in as the script does).
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
    expect(await schemaProblems(all)).toEqual([]);
  });

  test("the schema check catches an invalid object", async () => {
    const { objects } = synth();
    const job = structuredClone(single(objects, "Job"));
    (job["spec"] as { backoffLimit: unknown }).backoffLimit = "zero";
    expect(await schemaProblems([job])).toEqual([{ kind: "Job", name: job.metadata.name, error: expect.stringContaining("backoffLimit") }]);
  });

  test("snapshot: upgrade-job mode (2.5.8 -> 2.6.4)", () => {
    expect(synth({ ...BASE, from: "2.5.8" }).objects).toMatchSnapshot();
  });
});
