/**
 * When `helmValues` contradicts a key that `valuesFor` manages, the refusal (R-RESET-VALUES) names the helmValues
 * path and its fix names the spec field that sets the key, so the user knows what to change instead (issue #16,
 * src/values/values-for.ts: the field each `put` records). Also: credential paths refused whatever the value's type.
 */
import type { MilvusSpec } from "../../src";
import { problemsOf, refusalOf, valuesAt } from "../support/values";

const ref = { name: "s", key: "k" };
const S3: MilvusSpec["externalObjectStorage"] = { host: "s3.amazonaws.com", port: 9000, bucket: "vectors", rootPath: "p", useSSL: true, useIAM: false, cloudProvider: "aws", region: "eu-west-1", accessKeyId: ref, secretAccessKey: ref };
const PULSAR: Partial<MilvusSpec> = { messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com", port: 6650, tenant: "t", namespace: "n" } };
const KAFKA: Partial<MilvusSpec> = { messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092" } };

/** Splits a fix into the words and dotted paths it names. */
const named = (fix: string) => fix.split(/[\s,();:]+/);

type ManagedRow = [key: string, value: unknown, specField: string, spec: Partial<MilvusSpec>];

describe("a contradicted managed key: the fix names the spec field that sets it (R-RESET-VALUES)", () => {
  it.each<ManagedRow>([
    ["cluster.enabled", false, "mode", {}],
    ["image.all.repository", "other/milvus", "imageRepository", {}],
    ["image.all.tag", "v9.9.9", "version", {}],
    ["mixCoordinator.enabled", false, "coordinators", {}],
    ["queryCoordinator.enabled", true, "coordinators", {}],
    ["mixCoordinator.activeStandby.enabled", false, "activeStandby", {}],
    ["dataCoordinator.activeStandby.enabled", false, "activeStandby", {}],
    ["indexNode.enabled", true, "version", {}],
    ["streaming.enabled", false, "version", {}],
    ["pulsar.enabled", true, "messageQueue", {}],
    ["pulsarv3.enabled", false, "messageQueue", {}],
    ["kafka.enabled", true, "messageQueue", {}],
    ["woodpecker.enabled", true, "messageQueue", {}],
    ["externalPulsar.enabled", true, "messageQueue", {}],
    ["externalKafka.enabled", true, "messageQueue", {}],
    ["standalone.messageQueue", "kafka", "messageQueue", {}],
    ["externalPulsar.host", "other.example.com", "externalPulsar.host", PULSAR],
    ["externalPulsar.port", 1, "externalPulsar.port", PULSAR],
    ["externalPulsar.tenant", "x", "externalPulsar.tenant", PULSAR],
    ["externalPulsar.namespace", "x", "externalPulsar.namespace", PULSAR],
    ["externalKafka.brokerList", "other:9092", "externalKafka.brokerList", KAFKA],
    ["externalKafka.securityProtocol", "PLAINTEXT", "externalKafka.securityProtocol", KAFKA],
    ["externalKafka.sasl", { mechanisms: "GSSAPI" }, "externalKafka.saslMechanisms", KAFKA],
    ["etcd.enabled", false, "externalEtcdEndpoints", {}],
    ["externalEtcd.enabled", true, "externalEtcdEndpoints", {}],
    ["externalEtcd.endpoints", ["x:1"], "externalEtcdEndpoints", { externalEtcdEndpoints: ["etcd-0.etcd:2379"] }],
    ["etcd.replicaCount", 5, "etcdReplicas", { etcdReplicas: 3 }],
    ["minio.enabled", false, "externalObjectStorage", {}],
    ["externalS3.enabled", true, "externalObjectStorage", {}],
    ["externalS3.host", "x.example.com", "externalObjectStorage.host", { externalObjectStorage: S3 }],
    ["externalS3.port", 1, "externalObjectStorage.port", { externalObjectStorage: S3 }],
    ["externalS3.bucketName", "other", "externalObjectStorage.bucket", { externalObjectStorage: S3 }],
    ["externalS3.rootPath", "other", "externalObjectStorage.rootPath", { externalObjectStorage: S3 }],
    ["externalS3.useSSL", false, "externalObjectStorage.useSSL", { externalObjectStorage: S3 }],
    ["externalS3.useIAM", true, "externalObjectStorage.useIAM", { externalObjectStorage: S3 }],
    ["externalS3.cloudProvider", "gcp", "externalObjectStorage.cloudProvider", { externalObjectStorage: S3 }],
    ["externalS3.region", "us-east-1", "externalObjectStorage.region", { externalObjectStorage: S3 }],
    ["minio.mode", "distributed", "mode", { mode: "standalone" }],
    ["minio.existingSecret", "other", "minioCredentialsSecret", { minioCredentialsSecret: "minio-creds" }],
    ["dataNode.replicas", 4, "dataNode.replicas", { dataNode: { replicas: 2 } }],
    ["dataNode.resources", { requests: { cpu: "4" } }, "dataNode.resources", { dataNode: { resources: { requests: { cpu: "1" } } } }],
    ["proxy.extraEnv", [], "credentials", { minioCredentialsSecret: "minio-creds" }],
    ["extraConfigFiles.user.yaml", "log: {}\n", "milvusConfig", { milvusConfig: { log: { level: "debug" } } }],
  ])("%s", (key, value, specField, extra) => {
    const helmValues = valuesAt(key, value);
    const spec: MilvusSpec = { version: "2.6.4", ...extra, helmValues };
    const reset = problemsOf(spec, "5.0.6").filter((p) => p.ruleId === "R-RESET-VALUES");
    expect(reset.map((p) => p.field)).toEqual([`helmValues.${key}`]);
    expect(named(reset[0]!.fix)).toContain(specField);
    expect(reset[0]!.message).toContain(specField);
  });
});

describe("credential paths of the chart are refused whatever the value's type (R-INPUT)", () => {
  it.each<[path: string]>([
    ["externalS3.accessKey"],
    ["externalS3.secretKey"],
    ["minio.accessKey"],
    ["minio.secretKey"],
    ["minio.rootUser"],
    ["minio.rootPassword"],
    ["externalKafka.sasl.password"],
    ["externalKafka.sasl.username"],
    ["externalPulsar.authParams"],
  ])("%s: true", (path) => {
    expect(refusalOf({ version: "2.6.4", helmValues: valuesAt(path, true) }, "5.0.6")).toEqual([`helmValues.${path} R-INPUT`]);
  });

  it("an undefined value is no credential", () => {
    expect(() => problemsOf({ version: "2.6.4", helmValues: { externalS3: { secretKey: undefined } } }, "5.0.6")).toThrow(/expected valuesFor/);
  });
});
