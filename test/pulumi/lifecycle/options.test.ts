/**
 * The lifecycle arguments (issue #11) with the inputs a careless user types, and the pure helpers behind the
 * identity guard and the credentials-version annotation, table-driven.
 */
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../../src/pulumi";
import { chartHasPodAnnotations, credentialsVersion, identityProblems, localClusterProblems, withPodAnnotation } from "../../../src/pulumi/resolve";
import { childOf, identityOf, installMocks, README_ARGS, registered, settle, T } from "../helpers";

beforeAll(async () => {
  await installMocks();
});

function thrown(args: unknown): pulumi.InputPropertiesError {
  try {
    new MilvusCluster("bad-lifecycle", args as MilvusClusterArgs);
  } catch (e) {
    if (pulumi.InputPropertiesError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected an InputPropertiesError");
}

describe("bad lifecycle arguments are refused synchronously, naming the property, the rule and the fix", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["TTL negative", { executorJobTtlSeconds: -1 }, "executorJobTtlSeconds"],
    ["TTL fractional", { executorJobTtlSeconds: 1.5 }, "executorJobTtlSeconds"],
    ["TTL a string", { executorJobTtlSeconds: "3600" }, "executorJobTtlSeconds"],
    ["retainNamespaceOnDelete not a boolean", { retainNamespaceOnDelete: "no" }, "retainNamespaceOnDelete"],
    ["allowReleaseReplacement not a boolean", { allowReleaseReplacement: 1 }, "allowReleaseReplacement"],
    ["releaseOptions not an object", { releaseOptions: "skipAwait" }, "releaseOptions"],
    ["releaseOptions unknown field", { releaseOptions: { wait: false } }, "releaseOptions.wait"],
    ["maxHistory negative", { releaseOptions: { maxHistory: -3 } }, "releaseOptions.maxHistory"],
    ["skipAwait a string", { releaseOptions: { skipAwait: "true" } }, "releaseOptions.skipAwait"],
    ["postrender not a string", { releaseOptions: { postrender: ["kustomize"] } }, "releaseOptions.postrender"],
    ["skipAwait with atomic", { atomic: true, releaseOptions: { skipAwait: true } }, "releaseOptions.skipAwait"],
  ])("%s", (_label, extra, property) => {
    const before = registered.length;
    const e = thrown({ ...README_ARGS, ...extra });
    const err = e.errors.find((x) => x.propertyPath === property);
    expect(err?.reason).toMatch(/\[R-INPUT\] Fix: \S/);
    expect(registered.length).toBe(before);
  });
});

describe("what the component gives the engine", () => {
  it("Job: replaceUnready, no TTL unless asked; Release: pass-through options; identity record; secret values only when adopting", async () => {
    const recorder: { type: string; name: string; opts: pulumi.CustomResourceOptions }[] = [];
    const c = new MilvusCluster(
      "opts",
      { ...README_ARGS, expectedFrom: "2.5.8", releaseOptions: { maxHistory: 10, skipAwait: true, description: "bump" } },
      {
        transformations: [
          (a) => {
            recorder.push({ type: a.type, name: a.name, opts: a.opts as pulumi.CustomResourceOptions });
            return undefined;
          },
        ],
      },
    );
    await settle(c.release.urn, c.status);
    const job = childOf("opts", T.job).inputs as { metadata: { annotations: Record<string, string> }; spec: Record<string, unknown> };
    expect(job.metadata.annotations["pulumi.com/replaceUnready"]).toBe("true");
    expect(job.spec["ttlSecondsAfterFinished"]).toBeUndefined();
    expect(childOf("opts", T.release).inputs).toMatchObject({ maxHistory: 10, skipAwait: true, description: "bump", waitForJobs: true });
    expect(identityOf("opts").inputs).toMatchObject({ metadata: { name: "opts-milvus-identity", namespace: "milvus" }, data: { releaseName: "opts", namespace: "milvus" } });
    const release = recorder.find((r) => r.type === T.release)!;
    expect(release.opts.additionalSecretOutputs).toBeUndefined();
    expect(recorder.find((r) => r.name === "opts-identity")!.opts.ignoreChanges).toEqual(["metadata.name", "metadata.namespace", "data"]);
  });

  it("executorJobTtlSeconds is passed to the Job; createNamespace retains the Namespace unless told otherwise", async () => {
    const recorder: { name: string; opts: pulumi.CustomResourceOptions }[] = [];
    const t = [
      (a: pulumi.ResourceTransformationArgs) => {
        recorder.push({ name: a.name, opts: a.opts as pulumi.CustomResourceOptions });
        return undefined;
      },
    ];
    const a = new MilvusCluster("ttl", { ...README_ARGS, namespace: "ttl", expectedFrom: "2.5.8", executorJobTtlSeconds: 600, createNamespace: true }, { transformations: t });
    const b = new MilvusCluster("nsdel", { ...README_ARGS, namespace: "nsdel", createNamespace: true, retainNamespaceOnDelete: false }, { transformations: t });
    await settle(a.release.urn, b.release.urn);
    expect((childOf("ttl", T.job).inputs as { spec: Record<string, unknown> }).spec["ttlSecondsAfterFinished"]).toBe(600);
    expect(recorder.find((r) => r.name === "ttl-namespace")!.opts.retainOnDelete).toBe(true);
    expect(recorder.find((r) => r.name === "nsdel-namespace")!.opts.retainOnDelete).toBe(false);
  });
});

describe("identityProblems (R-RELEASE-IDENTITY)", () => {
  const first = { releaseName: "vectors", namespace: "milvus" };
  it.each<[string, Record<string, string> | undefined, { releaseName: string; namespace: string }, boolean, string[]]>([
    ["nothing recorded (first install)", undefined, first, false, []],
    ["same identity", { ...first }, first, false, []],
    ["namespace moved", { ...first }, { ...first, namespace: "milvus-2" }, false, ["namespace"]],
    ["release renamed", { ...first }, { ...first, releaseName: "vectors-2" }, false, ["releaseName"]],
    ["both", { ...first }, { releaseName: "b", namespace: "c" }, false, ["releaseName", "namespace"]],
    ["both, allowed", { ...first }, { releaseName: "b", namespace: "c" }, true, []],
  ])("%s", (_label, recorded, desired, allowed, fields) => {
    expect(identityProblems(recorded, desired, allowed).map((p) => p.field)).toEqual(fields);
  });
});

describe("credentials version annotation", () => {
  it("hashes uid and resourceVersion only, and changes with either", () => {
    const v = credentialsVersion("uid-1", "7");
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(credentialsVersion("uid-1", "8")).not.toBe(v);
    expect(credentialsVersion("uid-2", "7")).not.toBe(v);
    expect(credentialsVersion("uid-1", "7")).toBe(v);
  });

  it.each([
    ["2.1.0", false],
    ["3.0.0", true],
    ["4.2.58", true],
    ["5.0.19", true],
  ])("chart %s has the top-level annotations value: %s", (chart, has) => {
    expect(chartHasPodAnnotations(chart)).toBe(has);
  });

  it("keeps the user's own helmValues.annotations", () => {
    expect(withPodAnnotation({ annotations: { team: "search" }, image: {} }, "k", "v")).toEqual({ annotations: { team: "search", k: "v" }, image: {} });
    expect(withPodAnnotation({}, "k", "v")).toEqual({ annotations: { k: "v" } });
  });

  it("no credential in the Release values: the annotation is there, the secret values are not", async () => {
    const c = new MilvusCluster("rot", { ...README_ARGS, namespace: "rot", minioCredentials: { accessKey: pulumi.secret("AKIA-visible?"), secretKey: pulumi.secret("s3cr3t-value") } });
    await settle(c.release.urn);
    const values = JSON.stringify(childOf("rot", T.release).inputs["values"]);
    expect(values).toContain("milvus-cluster/credentials-version");
    expect(values).not.toContain("s3cr3t-value");
    expect(values).not.toContain("AKIA-visible?");
  });
});

describe('executor: "local" runs against the provider\'s cluster only (R-LOCAL-CLUSTER)', () => {
  it("checks kube-system's uid through kubectl with the executor's own environment before the executor runs", async () => {
    const c = new MilvusCluster("lc", { ...README_ARGS, namespace: "lc", expectedFrom: "2.5.8", executor: "local", localKubeconfig: "/ci/prod.kubeconfig" });
    await settle(c.release.urn);
    const probe = registered.find((r) => r.name === "lc-cluster-identity")!.inputs as Record<string, unknown>;
    expect(probe["interpreter"]).toEqual(["kubectl", "get", "namespace", "kube-system", "-o", "jsonpath={.metadata.uid}"]);
    expect(probe["environment"]).toEqual({ HELM_KUBECONTEXT: "", KUBECONFIG: "/ci/prod.kubeconfig" });
    const exec = registered.find((r) => r.name === "lc-executor")!.inputs as Record<string, unknown>;
    expect(exec["environment"]).toMatchObject({ HELM_KUBECONTEXT: "", KUBECONFIG: "/ci/prod.kubeconfig" });
    expect(registered.find((r) => r.name === "lc-kube-system")).toMatchObject({ id: "kube-system", type: T.namespace });
  });

  it.each<[string, string | undefined, string | undefined, boolean]>([
    ["same cluster", "uid-a", "uid-a\n", true],
    ["another cluster (wrong context)", "uid-a", "uid-b", false],
    ["kubectl printed nothing", "uid-a", "", false],
    ["provider uid unknown", undefined, "uid-a", false],
  ])("%s", (_label, providerUid, reached, ok) => {
    const problems = localClusterProblems(providerUid, reached);
    expect(problems.length === 0).toBe(ok);
    if (!ok) expect(problems[0]).toMatchObject({ field: "executor", ruleId: "R-LOCAL-CLUSTER", fix: expect.stringContaining("localKubeconfig") });
  });

  it("localKubeconfig is refused without executor local, and when it is not a path", () => {
    expect(thrown({ ...README_ARGS, localKubeconfig: "/x" }).errors.map((e) => e.propertyPath)).toContain("localKubeconfig");
    expect(thrown({ ...README_ARGS, executor: "local", localKubeconfig: "" }).errors.map((e) => e.propertyPath)).toContain("localKubeconfig");
  });
});
