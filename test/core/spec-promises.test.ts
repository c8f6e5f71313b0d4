/**
 * What spec validation promises a user (issue #16, src/spec/validate.ts): every malformed field of a `MilvusSpec` is
 * refused before anything is planned, naming the field (with the caller's prefix) and the rule (R-INPUT,
 * R-VERSION-FORMAT, R-MQ-SUPPORT), and every well-formed value passes. Rows list the exact (field, rule id) pairs a
 * spec produces, so a check that disappears, names another field or fires on a valid value fails a row.
 */
import type { InputProblem } from "../../src/errors";
import { MAX_REPLICAS, namespaceProblem, quantityValue, releaseNameProblem, replicasProblem, resourcesProblems, SPEC_FIELDS, validateSpecShape } from "../../src/spec/validate";
import { type Pairs, pairs } from "../support/problems";

const V = { version: "2.6.4" };
const SECRET = { name: "s3-creds", key: "access-key" };

function shape(spec: unknown, prefix?: string): Pairs {
  return pairs(validateSpecShape(spec, prefix));
}

describe("validateSpecShape: the spec as a whole", () => {
  it.each<[string, unknown, string | undefined, Pairs]>([
    ["not an object", "2.6.4", undefined, [["spec", "R-INPUT"]]],
    ["an array", [V], undefined, [["spec", "R-INPUT"]]],
    ["null, with a prefix", null, "to.", [["to.", "R-INPUT"]]],
    ["a minimal valid spec", V, undefined, []],
    ["a typo of a field", { ...V, chartVesion: "5.0.6" }, undefined, [["chartVesion", "R-INPUT"]]],
    ["a typo with a prefix", { ...V, mod: "cluster" }, "spec.", [["spec.mod", "R-INPUT"]]],
    ["version missing", {}, undefined, [["version", "R-VERSION-FORMAT"]]],
    ["version a number", { version: 2.6 }, "to.", [["to.version", "R-VERSION-FORMAT"]]],
    ["version 2.6", { version: "2.6" }, undefined, [["version", "R-VERSION-FORMAT"]]],
    ["chartVersion latest", { ...V, chartVersion: "latest" }, undefined, [["chartVersion", "R-VERSION-FORMAT"]]],
    ["chartVersion a number", { ...V, chartVersion: 5 }, undefined, [["chartVersion", "R-VERSION-FORMAT"]]],
    ["chartVersion valid", { ...V, chartVersion: "5.0.6" }, undefined, []],
    ["mode cluster and standalone are modes", { ...V, mode: "standalone" }, undefined, []],
    ["mode distributed", { ...V, mode: "distributed" }, undefined, [["mode", "R-INPUT"]]],
    ["coordinators mixed", { ...V, coordinators: "mixed" }, undefined, []],
    ["coordinators separate", { ...V, coordinators: "separate" }, undefined, []],
    ["coordinators split", { ...V, coordinators: "split" }, undefined, [["coordinators", "R-INPUT"]]],
    ["activeStandby true", { ...V, activeStandby: true }, undefined, []],
    ["activeStandby 'yes'", { ...V, activeStandby: "yes" }, undefined, [["activeStandby", "R-INPUT"]]],
    ["messageQueue kafka", { ...V, messageQueue: "kafka" }, undefined, []],
    ["messageQueue rabbitmq", { ...V, messageQueue: "rabbitmq" }, undefined, [["messageQueue", "R-MQ-SUPPORT"]]],
    ["every field of SPEC_FIELDS is known", Object.fromEntries(SPEC_FIELDS.map((f) => [f, undefined])), undefined, [["version", "R-VERSION-FORMAT"]]],
  ])("%s", (_what, spec, prefix, expected) => {
    expect(shape(spec, prefix)).toEqual(expected);
  });

  it("reports every problem at once, in field order", () => {
    expect(shape({ version: "x", mode: "x", coordinators: "x", activeStandby: "x", messageQueue: "x", milvusConfig: "x", helmValues: [], imageRepository: "milvusdb/UPPER" })).toEqual([
      ["version", "R-VERSION-FORMAT"],
      ["mode", "R-INPUT"],
      ["coordinators", "R-INPUT"],
      ["activeStandby", "R-INPUT"],
      ["messageQueue", "R-MQ-SUPPORT"],
      ["milvusConfig", "R-INPUT"],
      ["imageRepository", "R-INPUT"],
      ["helmValues", "R-INPUT"],
    ]);
  });
});

describe("validateSpecShape: external message queues", () => {
  const EP = { ...V, messageQueue: "external-pulsar" };
  const EK = { ...V, messageQueue: "external-kafka" };
  it.each<[string, unknown, Pairs]>([
    ["external-pulsar without externalPulsar", EP, [["externalPulsar", "R-MQ-SUPPORT"]]],
    ["external-kafka without externalKafka", EK, [["externalKafka", "R-MQ-SUPPORT"]]],
    ["externalPulsar without messageQueue external-pulsar", { ...V, externalPulsar: { host: "pulsar.example.com" } }, [["externalPulsar", "R-MQ-SUPPORT"]]],
    ["externalKafka without messageQueue external-kafka", { ...V, messageQueue: "kafka", externalKafka: { brokerList: "k:9092" } }, [["externalKafka", "R-MQ-SUPPORT"]]],
    ["a valid external Pulsar", { ...EP, externalPulsar: { host: "pulsar.example.com", port: 6650, tenant: "public", namespace: "default", authPlugin: "org.apache.pulsar.client.impl.auth.AuthenticationToken", authParams: SECRET } }, []],
    ["Pulsar host with a space", { ...EP, externalPulsar: { host: "pulsar example" } }, [["externalPulsar.host", "R-INPUT"]]],
    ["Pulsar host missing", { ...EP, externalPulsar: {} }, [["externalPulsar.host", "R-INPUT"]]],
    ["Pulsar host ending in a dot", { ...EP, externalPulsar: { host: "pulsar." } }, [["externalPulsar.host", "R-INPUT"]]],
    ["Pulsar port 0", { ...EP, externalPulsar: { host: "p", port: 0 } }, [["externalPulsar.port", "R-INPUT"]]],
    ["Pulsar port 65536", { ...EP, externalPulsar: { host: "p", port: 65536 } }, [["externalPulsar.port", "R-INPUT"]]],
    ["Pulsar port 1 and 65535 are ports", { ...EP, externalPulsar: { host: "p", port: 65535 } }, []],
    ["Pulsar port 1", { ...EP, externalPulsar: { host: "p", port: 1 } }, []],
    ["Pulsar port 6650.5", { ...EP, externalPulsar: { host: "p", port: 6650.5 } }, [["externalPulsar.port", "R-INPUT"]]],
    ["Pulsar tenant with shell syntax", { ...EP, externalPulsar: { host: "p", tenant: "a;b" } }, [["externalPulsar.tenant", "R-INPUT"]]],
    ["Pulsar namespace a number", { ...EP, externalPulsar: { host: "p", namespace: 7 } }, [["externalPulsar.namespace", "R-INPUT"]]],
    ["Pulsar authPlugin with a space", { ...EP, externalPulsar: { host: "p", authPlugin: "a b" } }, [["externalPulsar.authPlugin", "R-INPUT"]]],
    ["Pulsar authParams as plain text", { ...EP, externalPulsar: { host: "p", authParams: "token:abc" } }, [["externalPulsar.authParams", "R-INPUT"]]],
    ["Pulsar authParams with a bad Secret name and key", { ...EP, externalPulsar: { host: "p", authParams: { name: "Bad_Name", key: "a b" } } }, [["externalPulsar.authParams.name", "R-INPUT"], ["externalPulsar.authParams.key", "R-INPUT"]]],
    ["Pulsar authParams without a key", { ...EP, externalPulsar: { host: "p", authParams: { name: "tok" } } }, [["externalPulsar.authParams.key", "R-INPUT"]]],
    ["a valid external Kafka", { ...EK, externalKafka: { brokerList: "kafka-0.example.com:9092, kafka-1.example.com:9093", securityProtocol: "SASL_SSL", saslMechanisms: "PLAIN", saslUsername: SECRET, saslPassword: SECRET } }, []],
    ["Kafka brokers without ports", { ...EK, externalKafka: { brokerList: "kafka-0,kafka-1" } }, [["externalKafka.brokerList", "R-INPUT"]]],
    ["Kafka one broker of two without a port", { ...EK, externalKafka: { brokerList: "kafka-0:9092,kafka-1" } }, [["externalKafka.brokerList", "R-INPUT"]]],
    ["Kafka brokers as a list", { ...EK, externalKafka: { brokerList: ["k:9092"] } }, [["externalKafka.brokerList", "R-INPUT"]]],
    ["Kafka securityProtocol with shell syntax", { ...EK, externalKafka: { brokerList: "k:9092", securityProtocol: "$(id)" } }, [["externalKafka.securityProtocol", "R-INPUT"]]],
    ["Kafka saslMechanisms a number", { ...EK, externalKafka: { brokerList: "k:9092", saslMechanisms: 1 } }, [["externalKafka.saslMechanisms", "R-INPUT"]]],
    ["Kafka saslUsername as plain text", { ...EK, externalKafka: { brokerList: "k:9092", saslUsername: "admin" } }, [["externalKafka.saslUsername", "R-INPUT"]]],
    ["Kafka saslPassword as plain text", { ...EK, externalKafka: { brokerList: "k:9092", saslPassword: "hunter2" } }, [["externalKafka.saslPassword", "R-INPUT"]]],
  ])("%s", (_what, spec, expected) => {
    expect(shape(spec)).toEqual(expected);
  });
});

describe("validateSpecShape: etcd, object storage, MinIO", () => {
  const S3 = { host: "s3.amazonaws.com", bucket: "milvus-data", accessKeyId: SECRET, secretAccessKey: SECRET };
  it.each<[string, unknown, Pairs]>([
    ["etcd endpoints", { ...V, externalEtcdEndpoints: ["etcd-0.etcd:2379", "etcd-1.etcd:2379"] }, []],
    ["etcd endpoint without a port", { ...V, externalEtcdEndpoints: ["etcd-0.etcd"] }, [["externalEtcdEndpoints", "R-INPUT"]]],
    ["etcd endpoints as one string", { ...V, externalEtcdEndpoints: "etcd:2379" }, [["externalEtcdEndpoints", "R-INPUT"]]],
    ["etcd endpoint a number", { ...V, externalEtcdEndpoints: [2379] }, [["externalEtcdEndpoints", "R-INPUT"]]],
    ["etcdReplicas 1", { ...V, etcdReplicas: 1 }, []],
    ["etcdReplicas 0", { ...V, etcdReplicas: 0 }, [["etcdReplicas", "R-INPUT"]]],
    ["etcdReplicas 1.5", { ...V, etcdReplicas: 1.5 }, [["etcdReplicas", "R-INPUT"]]],
    ["etcdReplicas int32 max", { ...V, etcdReplicas: MAX_REPLICAS }, []],
    ["etcdReplicas above int32", { ...V, etcdReplicas: MAX_REPLICAS + 1 }, [["etcdReplicas", "R-INPUT"]]],
    ["object storage with Secret credentials", { ...V, externalObjectStorage: { ...S3, port: 443, rootPath: "milvus/data", cloudProvider: "aws", region: "eu-central-1" } }, []],
    ["object storage with IAM and no credentials", { ...V, externalObjectStorage: { host: "s3.amazonaws.com", bucket: "milvus-data", useIAM: true } }, []],
    ["object storage not an object", { ...V, externalObjectStorage: "s3://bucket" }, [["externalObjectStorage", "R-INPUT"]]],
    ["object storage without credentials", { ...V, externalObjectStorage: { host: "s3.amazonaws.com", bucket: "milvus-data" } }, [["externalObjectStorage.accessKeyId", "R-INPUT"]]],
    ["object storage with only the access key", { ...V, externalObjectStorage: { host: "s3.amazonaws.com", bucket: "milvus-data", accessKeyId: SECRET } }, [["externalObjectStorage.accessKeyId", "R-INPUT"]]],
    ["object storage with only the secret key", { ...V, externalObjectStorage: { host: "s3.amazonaws.com", bucket: "milvus-data", secretAccessKey: SECRET } }, [["externalObjectStorage.accessKeyId", "R-INPUT"]]],
    ["object storage with plain-text keys", { ...V, externalObjectStorage: { ...S3, accessKeyId: "AKIA", secretAccessKey: "s3cr3t" } }, [["externalObjectStorage.accessKeyId", "R-INPUT"], ["externalObjectStorage.secretAccessKey", "R-INPUT"]]],
    ["object storage host with a slash", { ...V, externalObjectStorage: { ...S3, host: "s3.amazonaws.com/x" } }, [["externalObjectStorage.host", "R-INPUT"]]],
    ["object storage bucket upper case", { ...V, externalObjectStorage: { ...S3, bucket: "Milvus" } }, [["externalObjectStorage.bucket", "R-INPUT"]]],
    ["object storage bucket of 2 characters", { ...V, externalObjectStorage: { ...S3, bucket: "ab" } }, [["externalObjectStorage.bucket", "R-INPUT"]]],
    ["object storage bucket of 3 characters", { ...V, externalObjectStorage: { ...S3, bucket: "abc" } }, []],
    ["object storage bucket ending in '-'", { ...V, externalObjectStorage: { ...S3, bucket: "milvus-" } }, [["externalObjectStorage.bucket", "R-INPUT"]]],
    ["object storage port 70000", { ...V, externalObjectStorage: { ...S3, port: 70000 } }, [["externalObjectStorage.port", "R-INPUT"]]],
    ["object storage port 0", { ...V, externalObjectStorage: { ...S3, port: 0 } }, [["externalObjectStorage.port", "R-INPUT"]]],
    ["object storage rootPath with a space", { ...V, externalObjectStorage: { ...S3, rootPath: "a b" } }, [["externalObjectStorage.rootPath", "R-INPUT"]]],
    ["object storage rootPath a number", { ...V, externalObjectStorage: { ...S3, rootPath: 1 } }, [["externalObjectStorage.rootPath", "R-INPUT"]]],
    ["object storage rootPath empty", { ...V, externalObjectStorage: { ...S3, rootPath: "" } }, []],
    ["object storage region with a slash", { ...V, externalObjectStorage: { ...S3, region: "eu/central" } }, [["externalObjectStorage.region", "R-INPUT"]]],
    ["object storage cloudProvider a number", { ...V, externalObjectStorage: { ...S3, cloudProvider: 3 } }, [["externalObjectStorage.cloudProvider", "R-INPUT"]]],
    ["MinIO credentials Secret", { ...V, minioCredentialsSecret: "minio-creds" }, []],
    ["MinIO credentials Secret with an upper-case name", { ...V, minioCredentialsSecret: "MinIO" }, [["minioCredentialsSecret", "R-INPUT"]]],
    ["MinIO credentials with external object storage", { ...V, minioCredentialsSecret: "minio-creds", externalObjectStorage: S3 }, [["minioCredentialsSecret", "R-INPUT"]]],
  ])("%s", (_what, spec, expected) => {
    expect(shape(spec)).toEqual(expected);
  });
});

describe("validateSpecShape: components, config, image, helmValues", () => {
  it.each<[string, unknown, Pairs]>([
    ["replicas and resources of a component", { ...V, queryNode: { replicas: 3, resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: 4, memory: "16Gi" } } } }, []],
    ["a component that is not an object", { ...V, proxy: 2 }, [["proxy", "R-INPUT"]]],
    ["an unknown key of a component", { ...V, dataNode: { replicas: 1, image: "x" } }, [["dataNode.image", "R-INPUT"]]],
    ["negative replicas", { ...V, streamingNode: { replicas: -1 } }, [["streamingNode.replicas", "R-INPUT"]]],
    ["replicas 0 (scaled down)", { ...V, indexNode: { replicas: 0 } }, []],
    ["resources not an object", { ...V, standalone: { resources: "big" } }, [["standalone.resources", "R-INPUT"]]],
    ["every component is checked", Object.fromEntries([["version", "2.6.4"], ...["proxy", "mixCoordinator", "rootCoordinator", "queryCoordinator", "dataCoordinator", "indexCoordinator", "queryNode", "dataNode", "indexNode", "streamingNode", "standalone"].map((c) => [c, { replicas: "2" }])]), ["proxy", "mixCoordinator", "rootCoordinator", "queryCoordinator", "dataCoordinator", "indexCoordinator", "queryNode", "dataNode", "indexNode", "streamingNode", "standalone"].map((c): [string, string] => [`${c}.replicas`, "R-INPUT"])],
    ["milvusConfig a map", { ...V, milvusConfig: { common: { security: { authorizationEnabled: true } } } }, []],
    ["milvusConfig a list", { ...V, milvusConfig: ["a"] }, [["milvusConfig", "R-INPUT"]]],
    ["imageRepository with a registry port", { ...V, imageRepository: "registry.example.com:5000/milvusdb/milvus" }, []],
    ["imageRepository with a tag", { ...V, imageRepository: "milvusdb/milvus:v2.6.4" }, [["imageRepository", "R-INPUT"]]],
    ["imageRepository with port 0", { ...V, imageRepository: "registry.example.com:0/milvus" }, [["imageRepository", "R-INPUT"]]],
    ["imageRepository a number", { ...V, imageRepository: 5 }, [["imageRepository", "R-INPUT"]]],
    ["helmValues a map", { ...V, helmValues: { log: { level: "debug" } } }, []],
    ["helmValues a string", { ...V, helmValues: "log.level=debug" }, [["helmValues", "R-INPUT"]]],
  ])("%s", (_what, spec, expected) => {
    expect(shape(spec)).toEqual(expected);
  });
});

describe("resources and replicas", () => {
  const res = (r: unknown, field = "queryNode.resources"): Pairs => {
    const out: InputProblem[] = [];
    resourcesProblems(r, field, out);
    return pairs(out);
  };
  it.each<[string, unknown, Pairs]>([
    ["requests and limits", { requests: { cpu: "500m", memory: "1Gi", "ephemeral-storage": "10G", "hugepages-2Mi": "1Gi", "nvidia.com/gpu": 1 }, limits: { cpu: "1", memory: "1Gi" } }, []],
    ["an unknown part", { request: { cpu: "1" } }, [["queryNode.resources.request", "R-INPUT"]]],
    ["requests not a map", { requests: "1" }, [["queryNode.resources.requests", "R-INPUT"]]],
    ["limits a list", { limits: ["1"] }, [["queryNode.resources.limits", "R-INPUT"]]],
    ["an unknown resource name", { requests: { CPU: "1" } }, [["queryNode.resources.requests.CPU", "R-INPUT"]]],
    ["a negative quantity", { requests: { cpu: "-1" } }, [["queryNode.resources.requests.cpu", "R-INPUT"]]],
    ["a negative number", { limits: { cpu: -2 } }, [["queryNode.resources.limits.cpu", "R-INPUT"]]],
    ["not a quantity", { requests: { memory: "4 GB" } }, [["queryNode.resources.requests.memory", "R-INPUT"]]],
    ["NaN", { requests: { memory: Number.NaN } }, [["queryNode.resources.requests.memory", "R-INPUT"]]],
    ["a limit below the request", { requests: { memory: "2Gi" }, limits: { memory: "1Gi" } }, [["queryNode.resources.limits.memory", "R-INPUT"]]],
    ["a limit equal to the request in other units", { requests: { cpu: "1" }, limits: { cpu: "1000m" } }, []],
    ["a limit 1Gi above a request of 1G", { requests: { memory: "1G" }, limits: { memory: "1Gi" } }, []],
    ["a limit 1G below a request of 1Gi", { requests: { memory: "1Gi" }, limits: { memory: "1G" } }, [["queryNode.resources.limits.memory", "R-INPUT"]]],
    ["a limit without a request", { limits: { cpu: "1" } }, []],
    ["an exponent quantity", { requests: { cpu: "1e3" }, limits: { cpu: "2k" } }, []],
    // "E" is exa and "Ei" exbi, not a decimal exponent (1E is 10^18, not 1): a limit of 1E is far above 2 cpus.
    ["a limit of 1E above a request of 2", { requests: { cpu: "2" }, limits: { cpu: "1E" } }, []],
    ["a limit of 1Ei below a request of 2Ei", { requests: { memory: "2Ei" }, limits: { memory: "1Ei" } }, [["queryNode.resources.limits.memory", "R-INPUT"]]],
    ["a limit in an exponent below the request", { requests: { cpu: "2" }, limits: { cpu: "1e-3" } }, [["queryNode.resources.limits.cpu", "R-INPUT"]]],
  ])("%s", (_what, r, expected) => {
    expect(res(r)).toEqual(expected);
  });

  it("resources that are not a map are refused on the field given", () => {
    expect(res([], "proxy.resources")).toEqual([["proxy.resources", "R-INPUT"]]);
  });

  it.each<[string, number]>([
    ["1", 1],
    ["500m", 0.5],
    ["1Ki", 1024],
    ["2Mi", 2 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1Ti", 2 ** 40],
    ["1Pi", 2 ** 50],
    ["1Ei", 2 ** 60],
    ["3k", 3000],
    ["1M", 1e6],
    ["1G", 1e9],
    ["1T", 1e12],
    ["1P", 1e15],
    ["1E", 1e18],
    ["100n", 1e-7],
    ["5u", 5e-6],
    ["1.5", 1.5],
    [".5", 0.5],
    ["+2", 2],
    ["1e3", 1000],
    ["1E-2", 0.01],
  ])("quantityValue(%s) = %d", (q, value) => {
    expect(quantityValue(q)).toBeCloseTo(value, 12);
  });

  it("quantityValue of a non-quantity is NaN", () => {
    expect(quantityValue("4 GB")).toBeNaN();
  });

  it.each<[unknown, boolean]>([
    [0, true],
    [3, true],
    [MAX_REPLICAS, true],
    [MAX_REPLICAS + 1, false],
    [-1, false],
    [1.5, false],
    ["2", false],
    [Number.NaN, false],
  ])("replicas %p valid: %s", (value, ok) => {
    const p = replicasProblem(value, "helmValues.queryNode.replicas");
    expect(p === undefined).toBe(ok);
    if (p) expect([p.field, p.ruleId]).toEqual(["helmValues.queryNode.replicas", "R-INPUT"]);
  });
});

describe("release names and namespaces", () => {
  it.each<[unknown, boolean]>([
    ["my-milvus", true],
    ["a".repeat(53), true],
    ["a".repeat(54), false],
    ["My-Milvus", false],
    ["", false],
    [42, false],
  ])("release name %p valid: %s (on the field given, releaseName by default)", (name, ok) => {
    const p = releaseNameProblem(name);
    expect(p === undefined).toBe(ok);
    if (p) expect([p.field, p.ruleId]).toEqual(["releaseName", "R-INPUT"]);
    const q = releaseNameProblem(name, "spec.release");
    if (q) expect(q.field).toBe("spec.release");
  });

  it.each<[unknown, boolean]>([
    ["milvus", true],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
    ["milvus_ns", false],
  ])("namespace %p valid: %s (on the field given, namespace by default)", (name, ok) => {
    const p = namespaceProblem(name);
    expect(p === undefined).toBe(ok);
    if (p) expect([p.field, p.ruleId]).toEqual(["namespace", "R-INPUT"]);
    const q = namespaceProblem(name, "metadata.namespace");
    if (q) expect(q.field).toBe("metadata.namespace");
  });
});
