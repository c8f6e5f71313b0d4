import fc from "fast-check";
import { MilvusClusterError } from "../../src";
import {
  DEFAULT_EXECUTOR_IMAGE,
  EXECUTOR_RESOURCE_KINDS,
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
const OPTS: ExecutorJobOptions = { releaseName: "my-milvus", namespace: "milvus" };

describe("executorJobModel", () => {
  const model = executorJobModel(BUNDLE, OPTS);

  it("names the Job after a hash of bundle and image, the rest after the release", () => {
    expect(model.jobName).toMatch(/^my-milvus-upgrade-[0-9a-f]{10}$/);
    expect(executorJobModel(BUNDLE, { releaseName: "my-milvus", namespace: "milvus" }).jobName).toBe(model.jobName);
    expect(executorJobModel(BUNDLE, { releaseName: "my-milvus", namespace: "milvus", image: "registry.example.com/tools:1" }).jobName).not.toBe(model.jobName);
    expect(model.serviceAccountName).toBe("my-milvus-milvus-upgrader");
    expect(model.configMapName).toBe("my-milvus-milvus-upgrader");
    expect(model.namespace).toBe("milvus");
  });

  it("runs the mounted script as a non-root user with helm's directories on scratch", () => {
    expect(model.image).toBe(DEFAULT_EXECUTOR_IMAGE);
    expect(model.command).toEqual(["/bin/sh", "/executor/upgrade.sh"]);
    expect(model.mountPath).toBe("/executor");
    expect(model.scratchPath).toBe("/tmp/helm");
    expect(model.runAsUser).toBe(65532);
    expect(model.env).toEqual({
      HELM_CACHE_HOME: "/tmp/helm/cache",
      HELM_CONFIG_HOME: "/tmp/helm/config",
      HELM_DATA_HOME: "/tmp/helm/data",
      HOME: "/tmp/helm",
      TMPDIR: "/tmp/helm",
      MILVUS_EXECUTOR_DIR: "/executor",
    });
  });

  it("bounds the Job by the bundle's run time and keeps it a day", () => {
    expect(model.activeDeadlineSeconds).toBe(BUNDLE.maxDurationSeconds + 300);
    expect(model.ttlSecondsAfterFinished).toBe(86400);
    expect(executorJobModel(BUNDLE, { ...OPTS, ttlSecondsAfterFinished: 0 }).ttlSecondsAfterFinished).toBe(0);
  });

  it("labels every object and carries script and values in the ConfigMap", () => {
    expect(model.labels).toEqual({
      "app.kubernetes.io/name": "milvus-upgrader",
      "app.kubernetes.io/instance": "my-milvus",
      "app.kubernetes.io/managed-by": "milvus-cluster",
    });
    expect(model.configMapData).toEqual({ "upgrade.sh": BUNDLE.script, ...BUNDLE.files });
    for (const key of Object.keys(model.configMapData)) expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
  });

  it("takes another image", () => {
    expect(executorJobModel(BUNDLE, { ...OPTS, image: "registry.example.com/tools/helm-kubectl:3.17@sha256:" + "a".repeat(64) }).image).toContain("registry.example.com");
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
    ["image", { image: "alpine/k8s:1.31.9; id" }],
    ["image", { image: "" }],
    ["image", { image: "Alpine/K8s" }],
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
      const verbs = k.access === "manage" ? ["get", "list", "watch", "create", "update", "patch", "delete"] : ["get", "list", "watch"];
      for (const verb of verbs) expect(allows(k.apiGroup, k.resource, verb)).toBe(true);
      expect(k.why.length).toBeGreaterThan(5);
    }
    for (const r of SUBCHART_ROLE_RULES) {
      for (const g of r.apiGroups) for (const res of r.resources) for (const verb of r.verbs) expect(allows(g, res, verb)).toBe(true);
    }
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
