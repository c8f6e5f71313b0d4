import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../src/pulumi";
import { deferredPaths, PLANNED_FIELDS, resolveClusterInputs } from "../../src/pulumi/resolve";
import { childOf, childTypes, identityOf, installMocks, logged, logs, README_ARGS, settle, T } from "./helpers";

/*
 * Issue #11 item 11: every argument the plan does not read accepts `pulumi.Input<T>`. Plain values are still checked
 * synchronously; a deferred value is checked when it resolves, failing with the InputPropertiesError naming it.
 */

beforeAll(async () => {
  await installMocks();
});

type Obj = Record<string, unknown>;
const inputs = (name: string, type: string, resourceName?: string): Obj => childOf(name, type, resourceName).inputs as Obj;
const at = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k as string], o);

/**
 * The settled value or the rejection of an Output (the SDK's own `promise()`, which `apply` cannot observe). A rejected
 * Output also rejects its `isKnown` and `isSecret` promises; they are handled here, or jest reports them.
 */
function outcome<T>(o: pulumi.Output<T>): Promise<{ value?: T; error?: unknown }> {
  const internal = o as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  internal.isKnown.catch(() => undefined);
  internal.isSecret.catch(() => undefined);
  return internal.promise().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/** Constructs the component, returning what it threw synchronously (or undefined). */
function thrownNow(name: string, args: unknown): pulumi.InputPropertiesError | undefined {
  try {
    new MilvusCluster(name, args as MilvusClusterArgs);
  } catch (e) {
    if (pulumi.InputPropertiesError.isInstance(e)) return e;
    throw e;
  }
  return undefined;
}

/** Other resources of the platform stack whose outputs feed the component (under mocks their state echoes their inputs). */
function platform(prefix: string): { namespace: pulumi.Output<string>; bucket: pulumi.Output<string>; replicas: pulumi.Output<number> } {
  const ns = new k8s.core.v1.Namespace(`${prefix}-ns`, { metadata: { name: "vectors-prod" } });
  // Stands for a bucket resource (e.g. aws.s3.BucketV2's `bucket`): a ConfigMap output under the Kubernetes mocks.
  const bucketSource = new k8s.core.v1.ConfigMap(`${prefix}-bucket`, { data: { bucket: "vectors-prod-data", replicas: "3" } });
  return {
    namespace: ns.metadata.name,
    bucket: bucketSource.data.apply((d) => d["bucket"]!),
    replicas: bucketSource.data.apply((d) => Number(d["replicas"])),
  };
}

const S3 = { host: "s3.eu-central-1.amazonaws.com", accessKeyId: "AKIA0", secretAccessKey: pulumi.secret("s") };

describe("namespace and bucket from other resources' outputs (the issue's scenario)", () => {
  let c: MilvusCluster;
  beforeAll(async () => {
    const p = platform("plat");
    c = new MilvusCluster("composed", {
      ...README_ARGS,
      namespace: p.namespace,
      expectedFrom: "2.5.8",
      externalObjectStorage: { ...S3, bucket: p.bucket },
      queryNode: { replicas: p.replicas },
    });
    // The same arguments, all plain: the resources must be the same.
    new MilvusCluster("composedplain", {
      ...README_ARGS,
      releaseName: "composed",
      namespace: "vectors-prod",
      expectedFrom: "2.5.8",
      externalObjectStorage: { ...S3, bucket: "vectors-prod-data" },
      queryNode: { replicas: 3 },
    });
    await settle(c.release.urn, c.endpoint, c.stops, c.namespace);
  });

  it("is accepted, with the same plan and children as plain arguments", async () => {
    expect(childTypes("composed")).toEqual(childTypes("composedplain"));
    expect((await outcome(c.stops)).value).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect((await outcome(c.namespace)).value).toBe("vectors-prod");
    expect((await outcome(c.endpoint)).value).toBe("composed-milvus.vectors-prod.svc.cluster.local:19530");
  });

  it("puts the resolved namespace on every child and the bucket and replicas into the Release values", () => {
    const rel = inputs("composed", T.release);
    expect(rel).toMatchObject({ name: "composed", namespace: "vectors-prod", version: inputs("composedplain", T.release)["version"] });
    expect(at(rel, "values", "externalS3", "bucketName")).toBe("vectors-prod-data");
    expect(at(rel, "values", "queryNode", "replicas")).toBe(3);
    for (const type of [T.job, T.secret, T.serviceAccount, T.role, T.roleBinding]) expect([type, at(inputs("composed", type), "metadata", "namespace")]).toEqual([type, "vectors-prod"]);
    expect(at(identityOf("composed").inputs, "data")).toEqual({ releaseName: "composed", namespace: "vectors-prod" });
  });

  it("renders the executor from the resolved values: the Job (name, plan hash) and the plan equal the plain arguments' ones", () => {
    const job = inputs("composed", T.job);
    const plain = inputs("composedplain", T.job);
    expect(at(job, "metadata", "name")).toBe(at(plain, "metadata", "name"));
    expect(at(job, "metadata", "annotations")).toEqual(at(plain, "metadata", "annotations"));
    expect(at(job, "spec")).toEqual(at(plain, "spec"));
    expect(at(inputs("composed", T.configMap, "composed-executor"), "data")).toEqual(at(inputs("composedplain", T.configMap, "composedplain-executor"), "data"));
    // The Release values are the same too, but for the credentials-version annotation (another Secret's uid).
    const values = (name: string) => ({ ...(at(inputs(name, T.release), "values") as Obj), annotations: undefined });
    expect(values("composed")).toEqual(values("composedplain"));
  });

  it("lists the deferred paths; credentials are never among them", () => {
    const p = { namespace: pulumi.output("x"), externalObjectStorage: { host: "h", bucket: pulumi.output("b"), accessKeyId: pulumi.output("k") }, externalEtcdEndpoints: ["a:1", pulumi.output("b:2")] };
    expect(deferredPaths(p)).toEqual(["namespace", "externalObjectStorage.bucket", "externalEtcdEndpoints"]);
  });
});

describe("a value that resolves invalid fails when it resolves, with the property named", () => {
  it("replicas from an Output resolving to -1: no synchronous error, the late resolution fails on queryNode.replicas", async () => {
    const args: MilvusClusterArgs = { ...README_ARGS, queryNode: { replicas: pulumi.output(-1) } };
    const r = resolveClusterInputs("late", args);
    expect(r.deferred).toEqual(["queryNode.replicas"]);
    const { error } = await outcome(r.late!);
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const e = error as pulumi.InputPropertiesError;
    expect(e.errors.map((x) => x.propertyPath)).toEqual(["queryNode.replicas"]);
    expect(e.errors[0]!.reason).toMatch(/\[R-INPUT\] Fix: \S/);
    expect(e.message).toMatch(/^MilvusCluster late: invalid arguments \(1 problem\):\n {2}- queryNode\.replicas: /);
  });

  it.each<[string, Obj, string]>([
    ["namespace not a DNS label", { namespace: pulumi.output("Milvus_NS") }, "namespace"],
    ["release name too long", { releaseName: pulumi.output("a".repeat(54)) }, "releaseName"],
    ["bucket name", { externalObjectStorage: { ...S3, bucket: pulumi.output("Not A Bucket") } }, "externalObjectStorage.bucket"],
    ["helmValues contradicting a managed key", { helmValues: pulumi.output({ streaming: { enabled: false } }) }, "helmValues.streaming.enabled"],
    ["credential in milvusConfig", { milvusConfig: { minio: { secretAccessKey: pulumi.output("x") } } }, "milvusConfig.minio.secretAccessKey"],
    ["step timeout", { stepTimeout: pulumi.output("1h") }, "stepTimeout"],
    ["executor image", { executorImage: pulumi.output("alpine k8s") }, "executorImage"],
    ["createNamespace for an Output resolving to default", { createNamespace: true, namespace: pulumi.output("default") }, "createNamespace"],
  ])("%s", async (_label, extra, path) => {
    const r = resolveClusterInputs("lateeach", { ...README_ARGS, ...extra } as MilvusClusterArgs);
    const { error } = await outcome(r.late!);
    const e = error as pulumi.InputPropertiesError;
    expect(pulumi.InputPropertiesError.isInstance(e)).toBe(true);
    expect(e.errors.map((x) => x.propertyPath)).toContain(path);
    expect(e.errors.find((x) => x.propertyPath === path)!.reason).toMatch(/\[R-[A-Z0-9-]+\] Fix: \S/);
  });
});

describe("plain values are still validated synchronously, beside Outputs", () => {
  it("a plain bad value throws at construction although other fields are Outputs", () => {
    const e = thrownNow("mixed", { ...README_ARGS, namespace: pulumi.output("milvus"), queryNode: { replicas: -1 }, releaseName: "Bad_Name" });
    expect(e?.errors.map((x) => x.propertyPath).sort()).toEqual(["queryNode.replicas", "releaseName"]);
  });

  it("a typo in a field name is reported now even when its value is an Output", () => {
    const e = thrownNow("typo", { ...README_ARGS, proxy: { replica: pulumi.output(2) } });
    expect(e?.errors.map((x) => x.propertyPath)).toEqual(["proxy.replica"]);
  });

  it.each<[string, Obj, string]>([
    ["mode", { mode: pulumi.output("cluster") }, "mode"],
    ["chartVersion", { chartVersion: pulumi.output("4.2.58") }, "chartVersion"],
    ["messageQueue", { messageQueue: pulumi.output("pulsar") }, "messageQueue"],
    ["expectedFrom", { expectedFrom: pulumi.output("2.5.8") }, "expectedFrom"],
    ["executor", { executor: pulumi.output("local") }, "executor"],
    ["createNamespace", { createNamespace: pulumi.output(true) }, "createNamespace"],
    ["a whole externalObjectStorage", { externalObjectStorage: pulumi.output({ ...S3, bucket: "b" }) }, "externalObjectStorage"],
    ["useIAM", { externalObjectStorage: { host: "s3.example.com", bucket: "vectors", useIAM: pulumi.output(true) } }, "externalObjectStorage.useIAM"],
    ["a Promise in a planned field", { coordinators: Promise.resolve("mixed") }, "coordinators"],
  ])("refuses an Output in a planned or structural field now: %s", (_label, extra, path) => {
    const e = thrownNow("planned", { ...README_ARGS, ...extra });
    expect(e?.errors[0]?.propertyPath).toBe(path);
    expect(e!.errors[0]!.reason).toMatch(/^is an Output or Promise.*\[R-INPUT\] Fix: pass a plain value/);
    expect(PLANNED_FIELDS.includes(path) || path.startsWith("externalObjectStorage")).toBe(true);
  });

  it("refuses adoptExisting with a namespace from an Output (the import id is a resource option)", () => {
    const e = thrownNow("adoptout", { ...README_ARGS, adoptExisting: true, namespace: pulumi.output("milvus") });
    expect(e?.errors.map((x) => x.propertyPath)).toEqual(["namespace"]);
    expect(e!.errors[0]!.reason).toMatch(/adoptExisting imports the release.*\[R-INPUT\] Fix: pass namespace as a plain value/);
  });
});

describe("program-time messages and the local executor with Outputs", () => {
  it("names the deferred release name in the preview warnings instead of a placeholder", async () => {
    logs.warn.mockClear();
    const c = new MilvusCluster("warnout", { ...README_ARGS, releaseName: pulumi.output("vectors"), version: "2.2.0" });
    await settle(c.release.urn);
    const warned = logged("warn").join("\n");
    expect(warned).toMatch(/the backup stays in PVC <releaseName>-meta-migration-backup/);
    expect(warned).not.toMatch(/from-an-output/);
    expect(inputs("warnout", T.release)["name"]).toBe("vectors");
  });

  it("local executor: files, triggers and KUBECONFIG from the resolved values", async () => {
    const kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "localout-")), "kubeconfig");
    fs.writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n");
    const c = new MilvusCluster("localout", { ...README_ARGS, expectedFrom: "2.5.8", executor: "local", namespace: pulumi.output("milvus"), localKubeconfig: pulumi.output(kubeconfig) });
    const plain = new MilvusCluster("localplain", { ...README_ARGS, releaseName: "localout", expectedFrom: "2.5.8", executor: "local", localKubeconfig: kubeconfig });
    await settle(c.release.urn, plain.release.urn);
    const cmd = inputs("localout", T.command, "localout-executor");
    const plainCmd = inputs("localplain", T.command, "localplain-executor");
    expect(cmd["environment"]).toEqual({ MILVUS_EXECUTOR_DRY_RUN: "0", MILVUS_EXECUTOR_HEALTH: "proxy", HELM_KUBECONTEXT: "", KUBECONFIG: kubeconfig });
    expect(cmd["triggers"]).toEqual(plainCmd["triggers"]);
    expect(cmd["stdin"]).toEqual(plainCmd["stdin"]);
  });
});
