import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../src/pulumi";
import { argPath, chartRepositoryProblem, resolveClusterArgs } from "../../src/pulumi/resolve";
import { installMocks, README_ARGS, registered } from "./helpers";

beforeAll(async () => {
  await installMocks();
});

/** Constructs the component and returns the InputPropertiesError it threw synchronously. */
function thrown(args: unknown, name = "bad"): pulumi.InputPropertiesError {
  let error: unknown;
  try {
    new MilvusCluster(name, args as MilvusClusterArgs);
  } catch (e) {
    error = e;
  }
  if (!pulumi.InputPropertiesError.isInstance(error)) throw new Error(`expected an InputPropertiesError, got ${String(error)}`);
  return error;
}

const paths = (e: pulumi.InputPropertiesError) => e.errors.map((x) => x.propertyPath);

const base: MilvusClusterArgs = { ...README_ARGS };
const s3 = { host: "s3.example.com", bucket: "vectors" };

describe("every validation error throws InputPropertiesError synchronously, naming the property, rule and fix", () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    // [label, args, property path, rule id]
    ["version not a version", { ...base, version: "latest" }, "version", "R-VERSION-FORMAT"],
    ["unknown version", { ...base, version: "2.6.99" }, "version", "R-KNOWN-VERSION"],
    ["chartVersion never published", { ...base, chartVersion: "9.9.9" }, "chartVersion", "R-CHART-PUBLISHED"],
    ["release name not a DNS label", { ...base, releaseName: "Vectors_1" }, "releaseName", "R-INPUT"],
    ["release name longer than 53", { ...base, releaseName: "a".repeat(54) }, "releaseName", "R-INPUT"],
    ["namespace not a DNS label", { ...base, namespace: "Milvus" }, "namespace", "R-INPUT"],
    ["createNamespace for default", { ...base, namespace: "default", createNamespace: true }, "createNamespace", "R-INPUT"],
    ["createNamespace not a boolean", { ...base, createNamespace: "yes" }, "createNamespace", "R-INPUT"],
    ["mode", { ...base, mode: "hybrid" }, "mode", "R-INPUT"],
    ["coordinators", { ...base, coordinators: "many" }, "coordinators", "R-INPUT"],
    ["separate coordinators on 2.6", { ...base, coordinators: "separate" }, "coordinators", "R-26-TOPOLOGY"],
    ["message queue", { ...base, messageQueue: "rabbitmq" }, "messageQueue", "R-MQ-SUPPORT"],
    ["rocksmq in cluster mode", { ...base, messageQueue: "rocksmq" }, "messageQueue", "R-MQ-SUPPORT"],
    ["external-kafka without externalKafka", { ...base, messageQueue: "external-kafka" }, "externalKafka", "R-MQ-SUPPORT"],
    ["externalKafka broker list", { ...base, messageQueue: "external-kafka", externalKafka: { brokerList: "kafka" } }, "externalKafka.brokerList", "R-INPUT"],
    ["externalPulsar host", { ...base, messageQueue: "external-pulsar", externalPulsar: { host: "bad host" } }, "externalPulsar.host", "R-INPUT"],
    ["external etcd endpoints", { ...base, externalEtcdEndpoints: ["etcd"] }, "externalEtcdEndpoints", "R-INPUT"],
    ["etcd replicas", { ...base, etcdReplicas: 0 }, "etcdReplicas", "R-INPUT"],
    ["object storage without credentials", { ...base, externalObjectStorage: { ...s3 } }, "externalObjectStorage.accessKeyId", "R-INPUT"],
    ["object storage empty credential", { ...base, externalObjectStorage: { ...s3, accessKeyId: "", secretAccessKey: "x" } }, "externalObjectStorage.accessKeyId", "R-INPUT"],
    ["object storage bucket", { ...base, externalObjectStorage: { ...s3, bucket: "B", useIAM: true } }, "externalObjectStorage.bucket", "R-INPUT"],
    ["MinIO credentials with external storage", { ...base, externalObjectStorage: { ...s3, useIAM: true }, minioCredentials: { accessKey: "a", secretKey: "b" } }, "minioCredentials", "R-INPUT"],
    ["MinIO credentials incomplete", { ...base, minioCredentials: { accessKey: "a" } }, "minioCredentials.secretKey", "R-INPUT"],
    ["replicas negative", { ...base, queryNode: { replicas: -1 } }, "queryNode.replicas", "R-INPUT"],
    ["resources quantity", { ...base, dataNode: { resources: { requests: { cpu: "lots" } } } }, "dataNode.resources.requests.cpu", "R-INPUT"],
    ["indexNode on 2.6", { ...base, indexNode: { replicas: 2 } }, "indexNode", "R-26-TOPOLOGY"],
    ["image repository", { ...base, imageRepository: "Registry/Milvus:tag" }, "imageRepository", "R-INPUT"],
    ["credential in milvusConfig", { ...base, milvusConfig: { minio: { secretAccessKey: "x" } } }, "milvusConfig.minio.secretAccessKey", "R-INPUT"],
    ["credential in helmValues", { ...base, helmValues: { externalS3: { secretKey: "x" } } }, "helmValues.externalS3.secretKey", "R-INPUT"],
    ["helmValues contradicting a managed key", { ...base, helmValues: { streaming: { enabled: false } } }, "helmValues.streaming.enabled", "R-RESET-VALUES"],
    ["executor", { ...base, executor: "remote" }, "executor", "R-INPUT"],
    ["executor image", { ...base, executorImage: "alpine k8s" }, "executorImage", "R-INPUT"],
    ["step timeout", { ...base, stepTimeoutSeconds: 0 }, "stepTimeoutSeconds", "R-INPUT"],
    ["step timeout fraction", { ...base, stepTimeoutSeconds: 90.5 }, "stepTimeoutSeconds", "R-INPUT"],
    ["step timeout below 30 s", { ...base, stepTimeoutSeconds: 29 }, "stepTimeoutSeconds", "R-INPUT"],
    ["step timeout in hours", { ...base, stepTimeout: "1h" }, "stepTimeout", "R-INPUT"],
    ["step timeout with a space", { ...base, stepTimeout: "15 m" }, "stepTimeout", "R-INPUT"],
    ["step timeout as a fraction of minutes", { ...base, stepTimeout: "1.5m" }, "stepTimeout", "R-INPUT"],
    ["step timeout below 30 s as a duration", { ...base, stepTimeout: "20s" }, "stepTimeout", "R-INPUT"],
    ["step timeout above a day", { ...base, stepTimeout: "1441m" }, "stepTimeout", "R-INPUT"],
    ["step timeout twice", { ...base, stepTimeout: "15m", stepTimeoutSeconds: 900 }, "stepTimeout", "R-INPUT"],
    ["executor Node image", { ...base, executorNodeImage: "node:24 ; id" }, "executorNodeImage", "R-INPUT"],
    ["executor node binary not absolute", { ...base, executorNodeBinary: "node" }, "executorNodeBinary", "R-INPUT"],
    ["executor node binary with ..", { ...base, executorNodeBinary: "/usr/../bin/sh" }, "executorNodeBinary", "R-INPUT"],
    ["atomic not a boolean", { ...base, atomic: "true" }, "atomic", "R-INPUT"],
    ["adoptExisting not a boolean", { ...base, adoptExisting: 1 }, "adoptExisting", "R-INPUT"],
    ["chart repository over http", { ...base, chartRepository: "http://charts.example.com" }, "chartRepository", "R-INPUT"],
    ["chart repository with credentials", { ...base, chartRepository: "https://user:pw@charts.example.com" }, "chartRepository", "R-INPUT"],
    ["chart repository not a URL", { ...base, chartRepository: "charts.example.com" }, "chartRepository", "R-INPUT"],
    ["expectedFrom not a version", { ...base, expectedFrom: "old" }, "expectedFrom", "R-VERSION-FORMAT"],
    ["expectedFrom above the target (downgrade)", { ...base, expectedFrom: "2.6.5" }, "version", "R-DOWNGRADE"],
    ["expectedFrom a release candidate", { ...base, expectedFrom: "2.6.0-rc1" }, "expectedFrom", "R-PRERELEASE-SOURCE"],
    ["migration settings not an object", { ...base, migration: "on" }, "migration", "R-INPUT"],
    ["migration etcd endpoint with a scheme", { ...base, migration: { etcdEndpoint: "http://etcd:2379" } }, "migration.etcdEndpoint", "R-INPUT"],
    ["migration root path with shell syntax", { ...base, migration: { rootPath: "by-dev;id" } }, "migration.rootPath", "R-INPUT"],
    ["migration storage class", { ...base, migration: { storageClass: "Fast SSD" } }, "migration.storageClass", "R-INPUT"],
    ["migration image", { ...base, migration: { image: "meta migration" } }, "migration.image", "R-INPUT"],
    ["migration session wait", { ...base, migration: { sessionWaitSeconds: -1 } }, "migration.sessionWaitSeconds", "R-INPUT"],
    ["migration rollback flag", { ...base, migration: { rollbackOnFailure: "yes" } }, "migration.rollbackOnFailure", "R-INPUT"],
    ["migration backup size", { ...base, migration: { backupSize: "lots" } }, "migration.backupSize", "R-INPUT"],
    ["migration unknown field", { ...base, migration: { cleanUp: true } }, "migration.cleanUp", "R-INPUT"],
    ["cluster to standalone is not an upgrade", { ...base, mode: "standalone", expectedFrom: "2.5.8" }, "mode", "R-MODE-KEEP"],
    ["unknown field", { ...base, replicas: 3 }, "replicas", "R-INPUT"],
    ["unknown component field", { ...base, proxy: { replica: 2 } }, "proxy.replica", "R-INPUT"],
    ["version as an Output", { ...base, version: pulumi.output("2.6.4") }, "version", "R-INPUT"],
    ["mode as an Output (the plan reads it; component settings may be Outputs, see inputs.test.ts)", { ...base, mode: pulumi.output("cluster") }, "mode", "R-INPUT"],
  ])("%s", (_label, args, path, ruleId) => {
    const e = thrown(args);
    expect(paths(e)).toContain(path);
    const err = e.errors.find((x) => x.propertyPath === path)!;
    expect(err.reason).toContain(`[${ruleId}]`);
    expect(err.reason).toMatch(/ Fix: \S/);
    expect(e.message).toContain(`${path}: `);
  });

  it("defaults the release name to the resource name and says so when that name is invalid", () => {
    const e = thrown({ ...base }, "Vectors");
    expect(paths(e)).toEqual(["releaseName"]);
    expect(e.errors[0]!.reason).toMatch(/defaults to the resource name.*Fix: set releaseName explicitly/);
  });

  it("reports an Output once, as an Output", () => {
    const e = thrown({ ...base, version: pulumi.output("2.6.4") });
    expect(paths(e)).toEqual(["version"]);
    expect(e.errors[0]!.reason).toMatch(/^is an Output or Promise.*\[R-INPUT\] Fix: pass a plain value/);
  });

  it("collects every argument problem at once", () => {
    const e = thrown({ ...base, releaseName: "X", namespace: "Y", executor: "z", stepTimeoutSeconds: -1, queryNode: { replicas: 1.5 } });
    expect(paths(e)).toEqual(expect.arrayContaining(["releaseName", "namespace", "executor", "stepTimeoutSeconds", "queryNode.replicas"]));
    expect(e.message).toMatch(/^MilvusCluster bad: invalid arguments \(5 problems\)/);
  });

  it("registers nothing for invalid arguments", async () => {
    thrown({ ...base, version: "nope" }, "nothing");
    await new Promise((r) => setImmediate(r));
    expect(registered.filter((r) => r.name.startsWith("nothing"))).toEqual([]);
  });

  it("throws for args that are not an object", () => {
    expect(paths(thrown(undefined))).toEqual(["args"]);
  });

  it("accepts a chain through the 2.2 metadata migration: the executor runs it, with the migration settings", () => {
    const r = resolveClusterArgs("mig", { ...base, expectedFrom: "2.1.4", migration: { storageClass: "fast-ssd", rollbackOnFailure: false, sessionWaitSeconds: 90 } });
    expect(r.stops.map((s) => `${s.milvusVersion}:${s.action}`)).toEqual(["2.2.0:meta-migration", "2.5.16:helm-upgrade"]);
    expect(r.target.milvusVersion).toBe("2.6.4");
    const bundle = r.rendered!.bundle;
    expect(bundle.includesMigration).toBe(true);
    const plan = JSON.parse(bundle.files["plan.json"]!) as { migration: Record<string, unknown> };
    expect(plan.migration).toMatchObject({ storageClass: "fast-ssd", rollbackOnFailure: false, sessionWaitSeconds: 90 });
    expect(bundle.files["migration-backup-pvc.yaml"]).toContain("storageClassName: fast-ssd");
    expect(r.warnings).toContainEqual(expect.stringMatching(/offline metadata migration to 2\.2\.0: every Milvus component is at 0 replicas .* PVC mig-meta-migration-backup \(R-META-MIGRATION\)/));
    // From 2.1.x straight to 2.2.0: the executor migrates, the Release then applies the same chart and values.
    const direct = resolveClusterArgs("mig22", { ...base, version: "2.2.0", expectedFrom: "2.1.4" });
    expect(direct.stops.map((s) => s.action)).toEqual(["meta-migration"]);
    expect(direct.target).toMatchObject({ milvusVersion: "2.2.0", chartVersion: "3.3.6", action: "helm-upgrade" });
    expect(direct.rendered!.bundle.stepSummary).toEqual(["2.2.0 (chart 3.3.6)"]);
  });

  it("accepts credentials as Outputs and plain strings", () => {
    const r = resolveClusterArgs("ok", { ...base, externalObjectStorage: { ...s3, accessKeyId: pulumi.secret("a"), secretAccessKey: "b" } });
    expect(r.credentials.map((c) => c.key)).toEqual(["s3-access-key-id", "s3-secret-access-key"]);
    expect(r.spec.externalObjectStorage?.accessKeyId).toEqual({ name: "ok-milvus-credentials", key: "s3-access-key-id" });
  });
});

describe("helpers", () => {
  it.each([
    ["to", "version"],
    ["to.version", "version"],
    ["to.queryNode.replicas", "queryNode.replicas"],
    ["from", "expectedFrom"],
    ["from.chartVersion", "expectedFrom"],
    ["minioCredentialsSecret", "minioCredentials"],
    ["helmValues.a.b", "helmValues.a.b"],
  ])("argPath(%s) = %s", (field, path) => {
    expect(argPath(field)).toBe(path);
  });

  it.each([
    ["https://zilliztech.github.io/milvus-helm", true],
    ["https://mirror.example.com:8443/charts/milvus/", true],
    ["oci://registry.example.com/charts", true],
    ["http://mirror.example.com", false],
    ["https://mirror.example.com/?token=x", false],
    ["https://mirror.example.com/$(id)", false],
    ["file:///tmp/charts", false],
    ["", false],
  ])("chartRepositoryProblem(%s) accepts: %s", (repo, ok) => {
    expect(chartRepositoryProblem(repo) === undefined).toBe(ok);
  });
});

describe("one duration syntax for the step timeout (15m, 900s, 900)", () => {
  const base = { version: "2.6.4", messageQueue: "pulsar", expectedFrom: "2.5.8" };
  it.each<[MilvusClusterArgs, number]>([
    [{ ...base, stepTimeout: "15m" }, 900],
    [{ ...base, stepTimeout: "900s" }, 900],
    [{ ...base, stepTimeout: "900" }, 900],
    [{ ...base, stepTimeout: "30s" }, 30],
    [{ ...base, stepTimeout: "1440m" }, 86_400],
    [{ ...base, stepTimeoutSeconds: 900 }, 900],
    [{ ...base }, 900],
  ])("%j: %i seconds for the executor and the Release", (args, seconds) => {
    const r = resolveClusterArgs("t", args);
    expect(r.stepTimeoutSeconds).toBe(seconds);
    expect(JSON.parse(r.rendered!.bundle.files["plan.json"]!).stepTimeoutSeconds).toBe(seconds);
  });

  it("refuses anything else, naming the field, the forms and an example", () => {
    const e = thrown({ ...base, stepTimeout: "1h" });
    expect(paths(e)).toEqual(["stepTimeout"]);
    expect(e.errors[0]!.reason).toMatch(/"1h" is not a duration \[R-INPUT\] Fix: use whole seconds or minutes: 15m, 900s or 900/);
    const range = thrown({ ...base, stepTimeout: "10s" });
    expect(range.errors[0]!.reason).toMatch(/"10s" is not a timeout between 30 s and 24 h .*e\.g\. stepTimeout: "15m"/);
  });
});
