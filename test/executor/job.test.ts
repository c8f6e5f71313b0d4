import fc from "fast-check";
import { MilvusClusterError } from "../../src";
import {
  DEFAULT_EXECUTOR_IMAGE,
  DEFAULT_EXECUTOR_NODE_IMAGE,
  EXECUTOR_RESOURCE_KINDS,
  type ExecutorRuntime,
  executorRuntime,
  type ExecutorJobOptions,
  executorJobModel,
  executorJobName,
  executorRbacRules,
  MIGRATION_RBAC_RULES,
  renderExecutor,
  SUBCHART_ROLE_RULES,
} from "../../src/executor";
import { planUpgrade } from "../../src/plan/plan";
import { DNS1123_LABEL } from "../../src/util/names";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BUNDLE = renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to });
/** A stand-in for dist/executor/executor.cjs, so that these tests need no build; the real file is tested in runtime.test.ts. */
const RUNTIME: ExecutorRuntime = { source: "// the executor\n", hash: "0123456789", fileName: "executor.cjs", path: "/pkg/dist/executor/executor.cjs" };
const OPTS: ExecutorJobOptions = { releaseName: "my-milvus", namespace: "milvus", runtime: RUNTIME };

describe("executorJobModel", () => {
  const model = executorJobModel(BUNDLE, OPTS);

  it("names the Job after a hash of bundle, images, paths and program, the rest after the release", () => {
    expect(model.jobName).toMatch(/^my-milvus-upgrade-[0-9a-f]{10}$/);
    expect(executorJobModel(BUNDLE, { ...OPTS }).jobName).toBe(model.jobName);
    const names = [
      executorJobModel(BUNDLE, { ...OPTS, toolsImage: "registry.example.com/tools:1" }).jobName,
      executorJobModel(BUNDLE, { ...OPTS, nodeImage: "registry.example.com/node:24" }).jobName,
      executorJobModel(BUNDLE, { ...OPTS, runtime: { ...RUNTIME, source: "// v2\n", hash: "abcdef0123" } }).jobName,
      executorJobModel(BUNDLE, { ...OPTS, nodeBinary: "/nodejs/bin/node" }).jobName,
      executorJobModel(BUNDLE, { ...OPTS, helmPath: "/usr/local/bin/helm" }).jobName,
    ];
    expect(new Set([model.jobName, ...names]).size).toBe(names.length + 1);
    expect(model.serviceAccountName).toBe("my-milvus-milvus-upgrader");
    expect(model.configMapName).toBe("my-milvus-milvus-upgrader");
    expect(model.namespace).toBe("milvus");
  });

  it("init container: copies helm and kubectl of the tools image into the tools emptyDir, with cp and no shell", () => {
    expect(model.toolsImage).toBe(DEFAULT_EXECUTOR_IMAGE);
    expect(model.toolsImage).toMatch(/^alpine\/k8s:\d+\.\d+\.\d+$/);
    expect(model.toolsCommand).toEqual(["cp", "/usr/bin/helm", "/usr/bin/kubectl", "/opt/milvus-cluster/bin/"]);
    expect(model.toolsPath).toBe("/opt/milvus-cluster/bin");
    const other = executorJobModel(BUNDLE, { ...OPTS, helmPath: "/usr/local/bin/helm", kubectlPath: "/opt/k/kubectl-1.31" });
    expect(other.toolsCommand).toEqual(["cp", "/usr/local/bin/helm", "/opt/k/kubectl-1.31", "/opt/milvus-cluster/bin/"]);
    expect([other.env["HELM_BIN"], other.env["KUBECTL_BIN"]]).toEqual(["/opt/milvus-cluster/bin/helm", "/opt/milvus-cluster/bin/kubectl-1.31"]);
  });

  it("main container: node from the Node image runs the bundled executor, helm and kubectl from the copies", () => {
    expect(model.image).toBe(DEFAULT_EXECUTOR_NODE_IMAGE);
    expect(model.image).toMatch(/^node:\d+\.\d+\.\d+-alpine\d+\.\d+$/);
    expect(model.command).toEqual(["/usr/local/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"]);
    expect(executorJobModel(BUNDLE, { ...OPTS, nodeImage: "gcr.io/distroless/nodejs24-debian13:nonroot", nodeBinary: "/nodejs/bin/node" }).command).toEqual([
      "/nodejs/bin/node",
      "/opt/milvus-cluster/runtime/executor.cjs",
    ]);
    expect(model.mountPath).toBe("/executor");
    expect(model.runtimeMountPath).toBe("/opt/milvus-cluster/runtime");
    expect(model.scratchPath).toBe("/tmp/helm");
    expect(model.runAsUser).toBe(65532);
    expect(model.env).toEqual({
      HELM_BIN: "/opt/milvus-cluster/bin/helm",
      KUBECTL_BIN: "/opt/milvus-cluster/bin/kubectl",
      HELM_CACHE_HOME: "/tmp/helm/cache",
      HELM_CONFIG_HOME: "/tmp/helm/config",
      HELM_DATA_HOME: "/tmp/helm/data",
      HOME: "/tmp/helm",
      TMPDIR: "/tmp/helm",
      MILVUS_EXECUTOR_DIR: "/executor",
      // The Job's health gate asks http://<service>.<namespace>.svc:9091/healthz itself, not the API server's proxy.
      MILVUS_EXECUTOR_HEALTH: "service",
    });
  });

  it("bounds the Job by the bundle's run time and keeps it a day", () => {
    expect(model.activeDeadlineSeconds).toBe(BUNDLE.maxDurationSeconds + 300);
    expect(model.ttlSecondsAfterFinished).toBe(86400);
    expect(executorJobModel(BUNDLE, { ...OPTS, ttlSecondsAfterFinished: 0 }).ttlSecondsAfterFinished).toBe(0);
  });

  it("labels every object; the plan's files in the per-plan ConfigMap, the program in its own one named by its hash", () => {
    expect(model.labels).toEqual({
      "app.kubernetes.io/name": "milvus-upgrader",
      "app.kubernetes.io/instance": "my-milvus",
      "app.kubernetes.io/managed-by": "milvus-cluster",
    });
    expect(model.configMapData).toEqual({ ...BUNDLE.files });
    expect(Object.keys(model.configMapData)).toContain("plan.json");
    for (const key of Object.keys(model.configMapData)) expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
    expect(model.runtimeConfigMapName).toBe("my-milvus-milvus-executor-0123456789");
    expect(model.runtimeConfigMapData).toEqual({ "executor.cjs": "// the executor\n" });
    // Shared by every plan of one library version: another plan, the same runtime ConfigMap.
    const other = renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to, stepTimeoutSeconds: 600 });
    expect(executorJobModel(other, OPTS).runtimeConfigMapName).toBe(model.runtimeConfigMapName);
  });

  it("takes other images, pinned by digest", () => {
    const digest = `@sha256:${"a".repeat(64)}`;
    const m = executorJobModel(BUNDLE, { ...OPTS, toolsImage: `registry.example.com/tools/helm-kubectl:3.17${digest}`, nodeImage: `registry.example.com/node${digest}` });
    expect([m.toolsImage, m.image]).toEqual([`registry.example.com/tools/helm-kubectl:3.17${digest}`, `registry.example.com/node${digest}`]);
  });

  it("reads the bundled executor by default (dist/executor/executor.cjs)", () => {
    const m = executorJobModel(BUNDLE, { releaseName: "my-milvus", namespace: "milvus" });
    const runtime = executorRuntime();
    expect(m.runtimeConfigMapData).toEqual({ "executor.cjs": runtime.source });
    expect(m.runtimeConfigMapName).toBe(`my-milvus-milvus-executor-${runtime.hash}`);
  });

  it.each([
    ["my-milvus", `my-milvus-upgrade-HASH`],
    ["a".repeat(44), `${"a".repeat(44)}-upgrade-HASH`],
    ["a".repeat(53), `${"a".repeat(44)}-upgrade-HASH`],
    [`${"a".repeat(43)}-b`, `${"a".repeat(43)}-upgrade-HASH`],
    [`${"a".repeat(42)}--bcd`, `${"a".repeat(42)}-upgrade-HASH`],
  ])("job name of release %s is %s, at most 63 characters", (release, expected) => {
    const name = executorJobName(release, "0123456789");
    expect(name).toBe(expected.replace("HASH", "0123456789"));
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS1123_LABEL);
  });

  it("every valid release name gives a DNS-1123 job name of at most 63 characters (property)", () => {
    const release = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/);
    fc.assert(
      fc.property(release, fc.stringMatching(/^[0-9a-f]{10}$/), (r, hash) => {
        const name = executorJobName(r, hash);
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(DNS1123_LABEL);
        expect(name.endsWith(`-upgrade-${hash}`)).toBe(true);
      }),
    );
  });

  it("a new plan is a new Job; the other names stay", () => {
    const other = renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to, stepTimeoutSeconds: 600 });
    const m = executorJobModel(other, OPTS);
    expect(m.jobName).not.toBe(model.jobName);
    expect([m.serviceAccountName, m.configMapName]).toEqual([model.serviceAccountName, model.configMapName]);
  });

  it.each<[string, Partial<ExecutorJobOptions>]>([
    ["releaseName", { releaseName: "Bad_Name" }],
    ["releaseName", { releaseName: "a".repeat(54) }],
    ["namespace", { namespace: "a b" }],
    ["toolsImage", { toolsImage: "alpine/k8s:1.31.9; id" }],
    ["toolsImage", { toolsImage: "" }],
    ["toolsImage", { toolsImage: "Alpine/K8s" }],
    ["nodeImage", { nodeImage: "node:24 --privileged" }],
    ["nodeImage", { nodeImage: "" }],
    ["helmPath", { helmPath: "helm" }],
    ["helmPath", { helmPath: "/usr/bin/../../etc/passwd" }],
    ["kubectlPath", { kubectlPath: "/usr/bin/kubectl; id" }],
    ["kubectlPath", { helmPath: "/a/tool", kubectlPath: "/b/tool" }],
    ["nodeBinary", { nodeBinary: "/usr/local/bin/node --inspect" }],
    ["nodeBinary", { nodeBinary: "" }],
    ["runtime", { runtime: { ...RUNTIME, hash: "$(id)" } }],
    ["runtime", { runtime: { ...RUNTIME, fileName: "../x.cjs" } }],
    ["ttlSecondsAfterFinished", { ttlSecondsAfterFinished: -1 }],
    ["ttlSecondsAfterFinished", { ttlSecondsAfterFinished: 1.5 }],
    ["clusterScopedRbac", { clusterScopedRbac: true }],
  ])("%s: %j is refused with R-INPUT", (field, patch) => {
    let error: unknown;
    try {
      executorJobModel(BUNDLE, { ...OPTS, ...patch });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MilvusClusterError);
    expect((error as MilvusClusterError).problems.map((p) => [p.field, p.ruleId])).toContainEqual([field, "R-INPUT"]);
  });

  it("refuses something that is not a bundle", () => {
    expect(() => executorJobModel({ ...BUNDLE, hash: "$(id)" }, OPTS)).toThrow(/bundle/);
  });
});

describe("executor RBAC", () => {
  const rules = executorRbacRules();
  const allows = (apiGroup: string, resource: string, verb: string): boolean =>
    rules.some((r) => r.apiGroups.includes(apiGroup) && r.resources.includes(resource) && r.verbs.includes(verb));

  it("is namespaced least privilege: no wildcards, no cluster-scoped kinds, no escalate/bind/impersonate", () => {
    const clusterScoped = ["namespaces", "nodes", "clusterroles", "clusterrolebindings", "customresourcedefinitions", "persistentvolumes", "storageclasses", "podsecuritypolicies", "mutatingwebhookconfigurations", "validatingwebhookconfigurations"];
    for (const r of rules) {
      expect(r.apiGroups).not.toContain("*");
      expect(r.resources).not.toContain("*");
      expect(r.verbs).not.toContain("*");
      for (const res of r.resources) expect(clusterScoped).not.toContain(res);
      for (const verb of ["escalate", "bind", "impersonate"]) expect(r.verbs).not.toContain(verb);
    }
  });

  it.each([
    ["", "secrets", ["get", "list", "create", "update", "patch", "delete"]],
    ["", "configmaps", ["create", "patch", "delete"]],
    ["", "services", ["create", "patch", "delete"]],
    ["", "serviceaccounts", ["create", "patch", "delete"]],
    ["", "persistentvolumeclaims", ["create", "list"]],
    ["", "pods", ["get", "list", "watch"]],
    ["apps", "deployments", ["get", "list", "watch", "create", "update", "patch", "delete"]],
    ["apps", "statefulsets", ["create", "patch", "delete"]],
    ["apps", "replicasets", ["get", "list", "watch"]],
    ["batch", "jobs", ["create", "delete", "watch"]],
    ["policy", "poddisruptionbudgets", ["create", "patch"]],
    ["rbac.authorization.k8s.io", "roles", ["create", "patch"]],
    ["rbac.authorization.k8s.io", "rolebindings", ["create", "patch"]],
    ["autoscaling", "horizontalpodautoscalers", ["create"]],
    ["networking.k8s.io", "ingresses", ["create"]],
    ["monitoring.coreos.com", "servicemonitors", ["create"]],
  ])("%s/%s allows %j", (group, resource, verbs) => {
    for (const verb of verbs) expect([group, resource, verb, allows(group, resource, verb)]).toEqual([group, resource, verb, true]);
  });

  it("reads replicasets without managing them", () => {
    expect(allows("apps", "replicasets", "create")).toBe(false);
    expect(allows("apps", "replicasets", "delete")).toBe(false);
  });

  it("covers every listed kind with its verbs, and the Roles the subcharts render (escalation prevention)", () => {
    for (const k of EXECUTOR_RESOURCE_KINDS) {
      // A kind with its own verbs (the Lease) gets exactly those.
      const verbs = k.verbs ?? (k.access === "manage" ? ["get", "list", "watch", "create", "update", "patch", "delete"] : ["get", "list", "watch"]);
      for (const verb of verbs) expect([k.resource, verb, allows(k.apiGroup, k.resource, verb)]).toEqual([k.resource, verb, true]);
      expect(k.why.length).toBeGreaterThan(5);
    }
    for (const r of SUBCHART_ROLE_RULES) {
      for (const g of r.apiGroups) for (const res of r.resources) for (const verb of r.verbs) expect(allows(g, res, verb)).toBe(true);
    }
  });

  it("gives the executor's own Lease exactly the verbs it needs, nothing more", () => {
    expect(rules).toContainEqual({ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] });
    expect(allows("coordination.k8s.io", "leases", "delete")).toBe(false);
    expect(allows("coordination.k8s.io", "leases", "list")).toBe(false);
  });

  it("has no services/proxy right: the Job's health gate asks the Milvus Service directly (MILVUS_EXECUTOR_HEALTH=service)", () => {
    for (const r of [rules, executorRbacRules({ migration: true })]) expect(r.some((rule) => rule.resources.some((res) => res.startsWith("services/")))).toBe(false);
    expect(allows("", "services/proxy", "get")).toBe(false);
    const model = executorJobModel(BUNDLE, OPTS);
    expect(model.rbacRules).toEqual(rules);
    expect(model.env["MILVUS_EXECUTOR_HEALTH"]).toBe("service");
  });

  it("adds exactly scale, logs and exec for a bundle that can run the metadata migration, each with its reason", () => {
    const withMigration = executorRbacRules({ migration: true });
    expect(withMigration.slice(0, rules.length)).toEqual(rules);
    expect(withMigration.slice(rules.length)).toEqual([
      { apiGroups: ["apps"], resources: ["deployments/scale"], verbs: ["get", "update", "patch"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
    ]);
    for (const r of MIGRATION_RBAC_RULES) expect(r.why.length).toBeGreaterThan(40);
    const plan = planUpgrade({ from: "2.1.4", to: "2.6.4" });
    const migrating = renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: plan.steps, targetVersion: plan.to });
    expect(executorJobModel(migrating, OPTS).rbacRules).toEqual(withMigration);
    expect(executorJobModel(BUNDLE, OPTS).rbacRules).toEqual(rules);
    // Still no cluster-scoped right: StorageClasses are read only where the cluster allows it anyway.
    for (const r of withMigration) expect(r.resources).not.toContain("storageclasses");
    // The migration's Jobs and its time are in the executor Job's deadline.
    expect(executorJobModel(migrating, OPTS).activeDeadlineSeconds).toBe(migrating.maxDurationSeconds + 300);
    expect(migrating.maxDurationSeconds).toBeGreaterThan(BUNDLE.maxDurationSeconds);
  });

  it("is deterministic and copied per call", () => {
    const again = executorRbacRules();
    expect(again).toEqual(rules);
    (again[0]!.verbs as string[]).push("escalate");
    expect(executorRbacRules()[0]!.verbs).not.toContain("escalate");
  });
});
