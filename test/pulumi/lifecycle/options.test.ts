/**
 * The lifecycle arguments (issue #11) with the inputs a careless user types, and the pure helpers behind the
 * identity guard and the credentials-version annotation, table-driven.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../../src/pulumi";
import { expandHome, localConnection } from "../../../src/pulumi/local-executor";
import { chartHasPodAnnotations, credentialsVersion, identityProblems, withPodAnnotation } from "../../../src/pulumi/resolve";
import { childOf, identityOf, installMocks, isSecretValue, MOCK_KUBE_SYSTEM_UID, README_ARGS, registered, settle, T } from "../helpers";



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

describe('executor: "local" runs against the provider\'s cluster only (item 10, R-LOCAL-CLUSTER)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lc-kubeconfig-"));
  const kubeconfigPath = path.join(dir, "prod.kubeconfig");
  fs.writeFileSync(kubeconfigPath, "apiVersion: v1\nkind: Config\n");
  const CONTENTS = "apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: https://prod.example:6443}\nusers:\n- name: ci\n  user: {token: s3cr3t-token}\n";
  const executorOf = (name: string) => registered.find((r) => r.name === `${name}-executor` && r.type === T.command)!.inputs as Record<string, unknown>;
  const filesOf = (name: string) => {
    const stdin = executorOf(name)["stdin"];
    return JSON.parse(String(isSecretValue(stdin) ? (stdin as { value: unknown }).value : stdin)) as Record<string, string>;
  };

  it("a kubeconfig path: KUBECONFIG for the executor; the context and the provider's kube-system uid in connection.json", async () => {
    const c = new MilvusCluster("lc", { ...README_ARGS, namespace: "lc", expectedFrom: "2.5.8", executor: "local", localKubeconfig: kubeconfigPath, localContext: "prod" });
    await settle(c.release.urn);
    expect(registered.some((r) => r.name === "lc-cluster-identity")).toBe(false); // the executor checks, no second command
    expect(executorOf("lc")["environment"]).toMatchObject({ HELM_KUBECONTEXT: "", KUBECONFIG: kubeconfigPath });
    expect(JSON.parse(filesOf("lc")["connection.json"]!)).toEqual({ context: "prod", kubeSystemUid: MOCK_KUBE_SYSTEM_UID });
    expect(filesOf("lc")["kubeconfig"]).toBeUndefined();
    expect(registered.find((r) => r.name === "lc-kube-system")).toMatchObject({ id: "kube-system", type: T.namespace });
  });

  it("kubeconfig contents (e.g. a cluster resource's kubeconfig output): a file on the secret stdin, never an environment variable", async () => {
    const c = new MilvusCluster("lc2", { ...README_ARGS, namespace: "lc2", expectedFrom: "2.5.8", executor: "local", localKubeconfig: pulumi.secret(CONTENTS) });
    await settle(c.release.urn);
    expect(filesOf("lc2")["kubeconfig"]).toBe(CONTENTS);
    expect(JSON.stringify(executorOf("lc2")["environment"])).not.toContain("s3cr3t-token");
    expect(executorOf("lc2")["environment"]).not.toHaveProperty("KUBECONFIG");
    expect(isSecretValue(executorOf("lc2")["stdin"])).toBe(true);
  });

  it("with the default provider, the stack config kubernetes:kubeconfig and kubernetes:context are the defaults", async () => {
    pulumi.runtime.setConfig("kubernetes:kubeconfig", kubeconfigPath);
    pulumi.runtime.setConfig("kubernetes:context", "prod-eu");
    try {
      const c = new MilvusCluster("lc3", { ...README_ARGS, namespace: "lc3", expectedFrom: "2.5.8", executor: "local" });
      await settle(c.release.urn);
      // The provider's kubeconfig setting is read as a secret (it may be the contents), so what carries it is one too.
      expect(isSecretValue(executorOf("lc3")["environment"])).toBe(true);
      expect((executorOf("lc3")["environment"] as { value: unknown }).value).toMatchObject({ KUBECONFIG: kubeconfigPath });
      expect(JSON.parse(filesOf("lc3")["connection.json"]!)).toEqual({ context: "prod-eu", kubeSystemUid: MOCK_KUBE_SYSTEM_UID });
      // The arguments win over the provider's defaults.
      const d = new MilvusCluster("lc4", { ...README_ARGS, namespace: "lc4", expectedFrom: "2.5.8", executor: "local", localContext: "other" });
      await settle(d.release.urn);
      expect(JSON.parse(filesOf("lc4")["connection.json"]!)).toMatchObject({ context: "other" });
    } finally {
      pulumi.runtime.setConfig("kubernetes:kubeconfig", "");
      pulumi.runtime.setConfig("kubernetes:context", "");
    }
  });

  it("with an explicit provider the stack config is not used, and the component warns that the ambient kubeconfig is", async () => {
    pulumi.runtime.setConfig("kubernetes:context", "prod-eu");
    const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
    try {
      const provider = new k8s.Provider("explicit", { context: "the-providers-context" });
      const c = new MilvusCluster("lc5", { ...README_ARGS, namespace: "lc5", expectedFrom: "2.5.8", executor: "local" }, { provider });
      await settle(c.release.urn);
      expect(JSON.parse(filesOf("lc5")["connection.json"]!)).toEqual({ kubeSystemUid: MOCK_KUBE_SYSTEM_UID });
      expect(warn.mock.calls.map((call) => String(call[0])).join("\n")).toMatch(/lc5: executor "local" runs helm and kubectl with the ambient kubeconfig.*Pass localKubeconfig and localContext.*R-LOCAL-CLUSTER/);
    } finally {
      warn.mockRestore();
      pulumi.runtime.setConfig("kubernetes:context", "");
    }
  });

  it.each<[string, { kubeconfig?: string; context?: string; kubeSystemUid?: string }, { field: string; ruleId: string } | undefined]>([
    ["ambient kubeconfig, current context", { kubeSystemUid: "uid-a" }, undefined],
    ["an existing path", { kubeconfig: kubeconfigPath, kubeSystemUid: "uid-a" }, undefined],
    ["a mistyped path", { kubeconfig: "/ci/nope.kubeconfig", kubeSystemUid: "uid-a" }, { field: "localKubeconfig", ruleId: "R-INPUT" }],
    ["contents (a line break)", { kubeconfig: CONTENTS, kubeSystemUid: "uid-a" }, undefined],
    ["JSON contents", { kubeconfig: '{"apiVersion":"v1","kind":"Config"}', kubeSystemUid: "uid-a" }, undefined],
    ["the provider read no uid", { kubeSystemUid: "" }, { field: "executor", ruleId: "R-LOCAL-CLUSTER" }],
  ])("localConnection: %s", (_label, opts, problem) => {
    const r = localConnection({ kubeSystemUid: undefined, ...opts });
    if (problem === undefined) {
      expect(r.problems).toEqual([]);
      expect(JSON.parse(r.connection!.files["connection.json"]!)).toMatchObject({ kubeSystemUid: "uid-a" });
    } else expect(r.problems[0]).toMatchObject(problem);
  });

  it.each<[string, string]>([
    ["~", os.homedir()],
    ["~/.kube/prod", path.join(os.homedir(), ".kube/prod")],
    ["/abs/~/x", "/abs/~/x"],
  ])("expandHome(%s) as the Kubernetes provider expands it", (given, expanded) => {
    expect(expandHome(given)).toBe(expanded);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["localKubeconfig without executor local", { localKubeconfig: "/x" }, "localKubeconfig"],
    ["localKubeconfig empty", { executor: "local", localKubeconfig: "" }, "localKubeconfig"],
    ["localKubeconfig blank", { executor: "local", localKubeconfig: "  " }, "localKubeconfig"],
    ["localContext without executor local", { localContext: "prod" }, "localContext"],
    ["localContext empty", { executor: "local", localContext: "" }, "localContext"],
    ["localContext with a line break", { executor: "local", localContext: "prod\nrm -rf /" }, "localContext"],
    ["localContext not a string", { executor: "local", localContext: 42 }, "localContext"],
  ])("%s is refused synchronously, naming the property", (_label, extra, property) => {
    const err = thrown({ ...README_ARGS, ...extra }).errors.find((e) => e.propertyPath === property);
    expect(err?.reason).toMatch(/\[R-INPUT\]/);
  });
});
