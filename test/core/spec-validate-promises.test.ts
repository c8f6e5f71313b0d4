/**
 * What spec validation promises at the edges of each grammar (issue #16, src/spec/validate.ts, beside
 * spec-promises.test.ts): for every field, the value just inside the grammar is accepted and the value just outside
 * is refused, naming the field (with the caller's prefix) and the rule id, with a message and a fix. The accepted
 * field names, message queues and the int32 bound are written out here, not read from the module, so a change to
 * them fails a row.
 */
import type { InputProblem } from "../../src/errors";
import { namespaceProblem, quantityValue, releaseNameProblem, replicasProblem, resourcesProblems, SPEC_FIELDS, validateSpecShape } from "../../src/spec/validate";
import { type Pairs, pairs } from "../support/problems";

const V = { version: "2.6.4" };
const SECRET = { name: "s3-creds", key: "access-key" };
const S3 = { host: "s3.amazonaws.com", bucket: "milvus-data", accessKeyId: SECRET, secretAccessKey: SECRET };
const EP = { ...V, messageQueue: "external-pulsar" };
const EK = { ...V, messageQueue: "external-kafka" };
const shape = (spec: unknown, prefix?: string): Pairs => pairs(validateSpecShape(spec, prefix));
const res = (r: unknown, field = "queryNode.resources"): Pairs => {
  const out: InputProblem[] = [];
  resourcesProblems(r, field, out);
  return pairs(out);
};
/** Rows of (what, value, valid) with the verdict in the title. */
const verdicts = (rows: [string, unknown, boolean][]): [string, unknown, boolean][] => rows.map(([what, v, ok]) => [`${what}: ${ok ? "accepted" : "refused"}`, v, ok]);
/** `word` appears in `text` as a whole word (not run together with its neighbours). */
const hasWord = (text: string, word: string): boolean => new RegExp(`(^|[^A-Za-z0-9-])${word.replace(/[-.]/g, "\\$&")}([^A-Za-z0-9-]|$)`).test(text);

/** Every field a user can set, written out (the README's spec reference), with a valid value each. */
const FIELD_VALUES: [string, Record<string, unknown>][] = [
  ["version", V],
  ["chartVersion", { ...V, chartVersion: "5.0.6" }],
  ["mode", { ...V, mode: "cluster" }],
  ["coordinators", { ...V, coordinators: "mixed" }],
  ["activeStandby", { ...V, activeStandby: false }],
  ["messageQueue", { ...V, messageQueue: "pulsarv3" }],
  ["externalPulsar", { ...EP, externalPulsar: { host: "pulsar" } }],
  ["externalKafka", { ...EK, externalKafka: { brokerList: "kafka:9092" } }],
  ["externalEtcdEndpoints", { ...V, externalEtcdEndpoints: ["etcd:2379"] }],
  ["etcdReplicas", { ...V, etcdReplicas: 3 }],
  ["externalObjectStorage", { ...V, externalObjectStorage: S3 }],
  ["minioCredentialsSecret", { ...V, minioCredentialsSecret: "minio" }],
  ["proxy", { ...V, proxy: { replicas: 2 } }],
  ["mixCoordinator", { ...V, mixCoordinator: { replicas: 1 } }],
  ["rootCoordinator", { ...V, rootCoordinator: { replicas: 1 } }],
  ["queryCoordinator", { ...V, queryCoordinator: { replicas: 1 } }],
  ["dataCoordinator", { ...V, dataCoordinator: { replicas: 1 } }],
  ["indexCoordinator", { ...V, indexCoordinator: { replicas: 1 } }],
  ["queryNode", { ...V, queryNode: { replicas: 2 } }],
  ["dataNode", { ...V, dataNode: { replicas: 2 } }],
  ["indexNode", { ...V, indexNode: { replicas: 2 } }],
  ["streamingNode", { ...V, streamingNode: { replicas: 2 } }],
  ["standalone", { ...V, mode: "standalone", standalone: { resources: { requests: { cpu: "1" } } } }],
  ["milvusConfig", { ...V, milvusConfig: { log: { level: "info" } } }],
  ["imageRepository", { ...V, imageRepository: "milvusdb/milvus" }],
  ["helmValues", { ...V, helmValues: {} }],
];
const MESSAGE_QUEUE_NAMES = ["pulsar", "pulsarv3", "kafka", "rocksmq", "natsmq", "woodpecker", "external-pulsar", "external-kafka"];

describe("the fields and values a spec accepts", () => {
  it.each(FIELD_VALUES)("%s is a field of the spec", (_field, spec) => {
    expect(shape(spec)).toEqual([]);
  });

  it("SPEC_FIELDS lists exactly those fields", () => {
    expect([...SPEC_FIELDS].sort()).toEqual(FIELD_VALUES.map(([f]) => f).sort());
  });

  it("the fix of an unknown field names every field a spec accepts", () => {
    const [p] = validateSpecShape({ ...V, replica: 3 }, "spec.");
    expect([p?.field, p?.ruleId]).toEqual(["spec.replica", "R-INPUT"]);
    for (const [field] of FIELD_VALUES) expect({ field, named: hasWord(p?.fix ?? "", field) }).toEqual({ field, named: true });
  });

  it.each(MESSAGE_QUEUE_NAMES.filter((q) => !q.startsWith("external-")))("messageQueue %s is a message queue", (q) => {
    expect(shape({ ...V, messageQueue: q })).toEqual([]);
  });

  it("the fix of an unknown message queue names every queue", () => {
    const [p] = validateSpecShape({ ...V, messageQueue: "pulsar4" });
    expect([p?.field, p?.ruleId]).toEqual(["messageQueue", "R-MQ-SUPPORT"]);
    for (const q of MESSAGE_QUEUE_NAMES) expect({ q, named: hasWord(p?.fix ?? "", q) }).toEqual({ q, named: true });
  });

  it.each<[string, unknown, Pairs]>([
    ["mode cluster", { ...V, mode: "cluster" }, []],
    ["mode Cluster", { ...V, mode: "Cluster" }, [["mode", "R-INPUT"]]],
    ["mode empty", { ...V, mode: "" }, [["mode", "R-INPUT"]]],
    ["coordinators empty", { ...V, coordinators: "" }, [["coordinators", "R-INPUT"]]],
    ["activeStandby false", { ...V, activeStandby: false }, []],
    ["activeStandby 0", { ...V, activeStandby: 0 }, [["activeStandby", "R-INPUT"]]],
    ["messageQueue empty", { ...V, messageQueue: "" }, [["messageQueue", "R-MQ-SUPPORT"]]],
    ["milvusConfig null", { ...V, milvusConfig: null }, [["milvusConfig", "R-INPUT"]]],
    ["milvusConfig a string", { ...V, milvusConfig: "log.level: debug" }, [["milvusConfig", "R-INPUT"]]],
    ["helmValues null", { ...V, helmValues: null }, [["helmValues", "R-INPUT"]]],
    ["helmValues a list", { ...V, helmValues: [{ a: 1 }] }, [["helmValues", "R-INPUT"]]],
    ["a component null", { ...V, queryNode: null }, [["queryNode", "R-INPUT"]]],
    ["a component a list", { ...V, queryNode: [{ replicas: 1 }] }, [["queryNode", "R-INPUT"]]],
    ["a component with only resources", { ...V, dataNode: { resources: { limits: { memory: "8Gi" } } } }, []],
    ["an empty component", { ...V, dataNode: {} }, []],
    ["object storage null", { ...V, externalObjectStorage: null }, [["externalObjectStorage", "R-INPUT"]]],
    ["object storage a list", { ...V, externalObjectStorage: [S3] }, [["externalObjectStorage", "R-INPUT"]]],
  ])("%s", (_what, spec, expected) => {
    expect(shape(spec)).toEqual(expected);
  });

  it("every field path carries the caller's prefix", () => {
    const spec = {
      version: "2.6",
      chartVersion: "x",
      mode: "x",
      messageQueue: "external-pulsar",
      externalPulsar: { host: "-", port: 0, tenant: "a b", authParams: { name: "A", key: "" } },
      externalEtcdEndpoints: ["x"],
      etcdReplicas: 0,
      externalObjectStorage: { host: "-", bucket: "B", port: 0, rootPath: "a b", region: "a b" },
      minioCredentialsSecret: "M",
      proxy: { replicas: -1, resources: { limits: { cpu: "x" } }, image: "x" },
      imageRepository: "X",
    };
    const fields = shape(spec, "args.spec.").map(([f]) => f);
    expect(fields.length).toBeGreaterThan(15);
    for (const f of fields) expect(f.startsWith("args.spec.")).toBe(true);
  });
});

describe("the edges of each grammar", () => {
  it.each<[string, unknown, boolean]>(verdicts([
    // Secret keys: Kubernetes' IsConfigMapKey (k8s.io/apimachinery pkg/util/validation): [-._a-zA-Z0-9]+, at most
    // 253 characters, not "." and not starting with "..".
    ["a", "a", true],
    ["Z", "Z", true],
    ["9", "9", true],
    ["a dotted key", "tls.crt", true],
    ["an underscore key", "ACCESS_KEY", true],
    ["a key starting with '-'", "-key", true],
    ["a key starting with one '.'", ".dockerconfigjson", true],
    ["253 characters", "k".repeat(253), true],
    ["254 characters", "k".repeat(254), false],
    ["'.'", ".", false],
    ["'..'", "..", false],
    ["starting with '..'", "..data", false],
    ["empty", "", false],
    ["a leading space", " key", false],
    ["a trailing space", "key ", false],
    ["a slash", "a/b", false],
    ["a number", 7, false],
  ]))("Secret key: %s", (_what, key, ok) => {
    expect(shape({ ...EK, externalKafka: { brokerList: "k:9092", saslPassword: { name: "kafka", key } } })).toEqual(ok ? [] : [["externalKafka.saslPassword.key", "R-INPUT"]]);
  });

  it.each<[string, unknown, Pairs]>([
    ["Secret name with a dot", { name: "kafka.creds", key: "k" }, []],
    ["Secret name missing", { key: "k" }, [["externalKafka.saslUsername.name", "R-INPUT"]]],
    ["Secret reference null", null, [["externalKafka.saslUsername", "R-INPUT"]]],
    ["Secret reference a list", [SECRET], [["externalKafka.saslUsername", "R-INPUT"]]],
  ])("%s", (_what, ref, expected) => {
    expect(shape({ ...EK, externalKafka: { brokerList: "k:9092", saslUsername: ref } })).toEqual(expected);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["one letter", "p", true],
    ["one upper-case letter", "P", true],
    ["one digit", "0", true],
    ["two characters", "p9", true],
    ["a dashed name", "my-pulsar", true],
    ["a dotted name", "pulsar.messaging.svc", true],
    ["an IPv4 address", "10.0.0.12", true],
    ["a leading '-'", "-pulsar", false],
    ["a trailing '-'", "pulsar-", false],
    ["a leading '.'", ".pulsar", false],
    ["an underscore", "my_pulsar", false],
    ["a leading space", " pulsar", false],
    ["a trailing space", "pulsar ", false],
    ["a port", "pulsar:6650", false],
    ["empty", "", false],
    ["a number", 10, false],
  ]))("host name: %s, for Pulsar and object storage alike", (_what, host, ok) => {
    expect(shape({ ...EP, externalPulsar: { host } })).toEqual(ok ? [] : [["externalPulsar.host", "R-INPUT"]]);
    expect(shape({ ...V, externalObjectStorage: { ...S3, host } })).toEqual(ok ? [] : [["externalObjectStorage.host", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["1", 1, true],
    ["65535", 65535, true],
    ["0", 0, false],
    ["65536", 65536, false],
    ["a fraction", 443.5, false],
    ["a string", "443", false],
    ["negative", -443, false],
  ]))("port %s, for Pulsar and object storage alike", (_what, port, ok) => {
    expect(shape({ ...EP, externalPulsar: { host: "pulsar", port } })).toEqual(ok ? [] : [["externalPulsar.port", "R-INPUT"]]);
    expect(shape({ ...V, externalObjectStorage: { ...S3, port } })).toEqual(ok ? [] : [["externalObjectStorage.port", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["one character", "a", true],
    ["letters, digits, '_', '.', '-'", "Tenant_1.a-b", true],
    ["a leading bad character", ";tenant", false],
    ["a trailing bad character", "tenant;", false],
    ["empty", "", false],
    ["a slash", "a/b", false],
  ]))("plain token (Pulsar tenant, Kafka protocol, object storage region): %s", (_what, v, ok) => {
    expect(shape({ ...EP, externalPulsar: { host: "p", tenant: v } })).toEqual(ok ? [] : [["externalPulsar.tenant", "R-INPUT"]]);
    expect(shape({ ...EK, externalKafka: { brokerList: "k:9092", securityProtocol: v } })).toEqual(ok ? [] : [["externalKafka.securityProtocol", "R-INPUT"]]);
    expect(shape({ ...V, externalObjectStorage: { ...S3, region: v } })).toEqual(ok ? [] : [["externalObjectStorage.region", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["3 characters", "abc", true],
    ["63 characters", `a${"b".repeat(61)}c`, true],
    ["2 characters", "ab", false],
    ["64 characters", `a${"b".repeat(62)}c`, false],
    ["dots and dashes inside", "milvus.data-1", true],
    ["a leading '-'", "-milvus", false],
    ["a leading '.'", ".milvus", false],
    ["a trailing '.'", "milvus.", false],
    ["an upper-case letter inside", "milVus", false],
    ["an underscore", "milvus_data", false],
    ["missing", undefined, false],
    ["a number", 12345, false],
  ]))("bucket name: %s", (_what, bucket, ok) => {
    expect(shape({ ...V, externalObjectStorage: { ...S3, bucket } })).toEqual(ok ? [] : [["externalObjectStorage.bucket", "R-INPUT"]]);
  });

  it("object storage without a host names the host", () => {
    expect(shape({ ...V, externalObjectStorage: { bucket: "milvus", useIAM: true } })).toEqual([["externalObjectStorage.host", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["one character", "m", true],
    ["a path with '/', '.', '_', '-'", "milvus/data_1/v2.6-a", true],
    ["a trailing space", "milvus ", false],
    ["a leading space", " milvus", false],
    ["a colon", "s3:milvus", false],
  ]))("object storage rootPath: %s", (_what, rootPath, ok) => {
    expect(shape({ ...V, externalObjectStorage: { ...S3, rootPath } })).toEqual(ok ? [] : [["externalObjectStorage.rootPath", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["one good endpoint", ["etcd:2379"], true],
    ["an empty list", [], true],
    ["one good, one without a port", ["etcd-0:2379", "etcd-1"], false],
    ["one without a port, one good", ["etcd-0", "etcd-1:2379"], false],
    ["a nested list", [["etcd:2379"]], false],
    ["a port out of range", ["etcd:65536"], false],
    ["null", null, false],
  ]))("externalEtcdEndpoints: %s", (_what, endpoints, ok) => {
    expect(shape({ ...V, externalEtcdEndpoints: endpoints })).toEqual(ok ? [] : [["externalEtcdEndpoints", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["one broker", "kafka:9092", true],
    ["brokers with spaces after commas", "k0:9092 , k1:9092", true],
    ["an empty string", "", false],
    ["a trailing comma", "k0:9092,", false],
    ["missing", undefined, false],
  ]))("Kafka brokerList: %s", (_what, brokerList, ok) => {
    expect(shape({ ...EK, externalKafka: { brokerList } })).toEqual(ok ? [] : [["externalKafka.brokerList", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["a registry and path", "registry.example.com/milvusdb/milvus", true],
    ["a single name", "milvus", true],
    ["a registry port 65535", "registry:65535/milvus", true],
    ["a registry port 65536", "registry:65536/milvus", false],
    ["separators inside components", "my-registry.example.com/milvus_db/milvus.x-1", true],
    ["a trailing slash", "milvusdb/milvus/", false],
    ["a digest", "milvusdb/milvus@sha256:abc", false],
    ["upper case in the path", "milvusdb/Milvus", false],
    ["upper case in a registry host", "Registry.Example.com/milvusdb/milvus", true],
    ["upper case in a single name (no registry)", "Milvus", false],
    ["a double underscore", "milvusdb/milvus__x", true],
    ["a triple underscore", "milvusdb/milvus___x", false],
    ["a run of dashes", "milvusdb/my--repo", true],
    ["a leading separator", "milvusdb/-milvus", false],
    ["a dash at a host component's end", "registry-.example.com/milvus", false],
    ["a port without a registry path", "registry:5000", false],
    ["255 characters", `r/${"a".repeat(253)}`, true],
    ["256 characters", `r/${"a".repeat(254)}`, false],
    ["empty", "", false],
  ]))("imageRepository: %s", (_what, imageRepository, ok) => {
    expect(shape({ ...V, imageRepository })).toEqual(ok ? [] : [["imageRepository", "R-INPUT"]]);
  });
});

describe("replicas: a Kubernetes int32", () => {
  it.each<[string, unknown, Pairs]>([
    ["2147483647 (int32 max)", 2147483647, []],
    ["2147483648", 2147483648, [["queryNode.replicas", "R-INPUT"]]],
    ["0", 0, []],
    ["-1", -1, [["queryNode.replicas", "R-INPUT"]]],
    ["Infinity", Number.POSITIVE_INFINITY, [["queryNode.replicas", "R-INPUT"]]],
    ["null", null, [["queryNode.replicas", "R-INPUT"]]],
  ])("component replicas %s", (_what, replicas, expected) => {
    expect(shape({ ...V, queryNode: { replicas } })).toEqual(expected);
  });

  it.each<[string, unknown, boolean]>(verdicts([
    ["1", 1, true],
    ["2147483647", 2147483647, true],
    ["2147483648", 2147483648, false],
    ["0", 0, false],
    ["a string", "3", false],
    ["a fraction", 2.5, false],
  ]))("etcdReplicas %s", (_what, etcdReplicas, ok) => {
    expect(shape({ ...V, etcdReplicas })).toEqual(ok ? [] : [["etcdReplicas", "R-INPUT"]]);
  });

  it("a refusal of helmValues replicas says what is wrong and the int32 bound", () => {
    const p = replicasProblem(2147483648, "helmValues.proxy.replicas");
    expect(pairs(p ? [p] : [])).toEqual([["helmValues.proxy.replicas", "R-INPUT"]]);
    expect(p?.fix).toContain("2147483647");
  });
});

describe("resources: names and quantities", () => {
  it.each<[string, unknown]>([
    ["1.25", "1.25"],
    ["1.", "1."],
    [".55", ".55"],
    [".5", ".5"],
    ["+2", "+2"],
    ["10", "10"],
    ["1e10", "1e10"],
    ["1E3", "1E3"],
    ["1e+3", "1e+3"],
    ["1e-3", "1e-3"],
    ["0", "0"],
    ["the number 0", 0],
    ["the number 0.5", 0.5],
    ["100n", "100n"],
    ["5u", "5u"],
    ["2k", "2k"],
    ["1M", "1M"],
    ["1T", "1T"],
    ["1P", "1P"],
    ["1Ki", "1Ki"],
    ["1Ti", "1Ti"],
    ["1Pi", "1Pi"],
  ])("the quantity %s is accepted", (_what, q) => {
    expect(res({ requests: { memory: q } })).toEqual([]);
  });

  it.each<[string, unknown]>([
    ["a suffix alone", "Ki"],
    ["a unit and a number after it", "1Ki2"],
    ["a space before the unit", "1 Ki"],
    ["a leading space", " 1"],
    ["a trailing letter", "1x"],
    ["KB", "1KB"],
    ["two dots", "1.2.3"],
    ["an exponent without digits", "1e"],
    ["a dot alone", "."],
    ["empty", ""],
    ["a list", ["1"]],
    ["an object", { value: 1 }],
    ["true", true],
    ["null", null],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("%s is not a quantity", (_what, q) => {
    expect(res({ limits: { cpu: q } })).toEqual([["queryNode.resources.limits.cpu", "R-INPUT"]]);
  });

  it.each<[string, unknown, boolean]>([
    ['"-1"', "-1", true],
    ['" -1" (a space first)', " -1", true],
    ["-2", -2, true],
    ["-Infinity", Number.NEGATIVE_INFINITY, true],
    ['"1-"', "1-", false],
    ['"4 GB"', "4 GB", false],
    ["NaN", Number.NaN, false],
    ["a list", [-1], false],
  ])("the refusal of %s says whether it is negative", (_what, q, negative) => {
    const out: InputProblem[] = [];
    resourcesProblems({ requests: { cpu: q } }, "proxy.resources", out);
    expect(pairs(out)).toEqual([["proxy.resources.requests.cpu", "R-INPUT"]]);
    expect(/negative/.test(out[0]?.message ?? "")).toBe(negative);
  });

  it.each<[string, boolean]>([
    ["cpu", true],
    ["memory", true],
    ["ephemeral-storage", true],
    ["hugepages-2Mi", true],
    ["hugepages-16Mi", true],
    ["hugepages-1Gi", true],
    ["hugepages-2M", true],
    ["hugepages-1048576", true],
    ["nvidia.com/gpu", true],
    ["gpu.intel.com/i915", true],
    ["example.io/x", true],
    ["a.b/c", true],
    ["acme-1/fpga", true],
    ["x.example.com/A_b.c-9", true],
    [`example.com/${"g".repeat(63)}`, true],
    [`example.com/${"g".repeat(64)}`, false],
    ["xcpu", false],
    ["cpus", false],
    ["hugepages-", false],
    ["hugepages-2Mb", false],
    ["gpu", false],
    ["example.com/", false],
    ["example.com/-gpu", false],
    ["example.com/gpu-", false],
    ["-example.com/gpu", false],
    ["example-.com/gpu", false],
    ["example.-com/gpu", false],
    ["example.com-/gpu", false],
    ["Example.com/gpu", false],
    ["example..com/gpu", false],
  ])("resource name %s (valid: %s)", (name, ok) => {
    expect(res({ limits: { [name]: "1" } })).toEqual(ok ? [] : [[`queryNode.resources.limits.${name}`, "R-INPUT"]]);
  });

  it.each<[string, unknown, Pairs]>([
    ["requests alone", { requests: { cpu: "1" } }, []],
    ["empty", {}, []],
    ["requests null", { requests: null }, [["queryNode.resources.requests", "R-INPUT"]]],
    ["a quantity refused and the limit check skipped", { requests: { cpu: "x" }, limits: { cpu: "1" } }, [["queryNode.resources.requests.cpu", "R-INPUT"]]],
    ["a bad name skips its quantity", { requests: { CPU: "x" } }, [["queryNode.resources.requests.CPU", "R-INPUT"]]],
    ["a limit just below the request", { requests: { cpu: "1001m" }, limits: { cpu: "1" } }, [["queryNode.resources.limits.cpu", "R-INPUT"]]],
    ["a limit equal to the request", { requests: { memory: "1Gi" }, limits: { memory: "1024Mi" } }, []],
    ["each resource compared on its own", { requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } }, [["queryNode.resources.limits.cpu", "R-INPUT"]]],
    ["a number limit below a string request", { requests: { cpu: "2" }, limits: { cpu: 1 } }, [["queryNode.resources.limits.cpu", "R-INPUT"]]],
    ["a request without a limit", { requests: { memory: "64Gi" }, limits: { cpu: "1" } }, []],
    ["unknown parts and good parts", { requests: { cpu: "1" }, limit: {} }, [["queryNode.resources.limit", "R-INPUT"]]],
  ])("%s", (_what, r, expected) => {
    expect(res(r)).toEqual(expected);
  });

  it("a limit below the request names both values and how to fix it", () => {
    const out: InputProblem[] = [];
    resourcesProblems({ requests: { memory: "3Gi" }, limits: { memory: "2Gi" } }, "dataNode.resources", out);
    expect(pairs(out)).toEqual([["dataNode.resources.limits.memory", "R-INPUT"]]);
    expect(out[0]?.message).toContain("3Gi");
    expect(out[0]?.message).toContain("2Gi");
    expect(out[0]?.fix).toContain("memory");
  });

  it.each<[string, number]>([
    ["1.25", 1.25],
    ["1.", 1],
    [".55", 0.55],
    ["1e10", 1e10],
    ["1e+3", 1000],
    ["10", 10],
    ["2Ki", 2048],
  ])("quantityValue(%s) = %d", (q, value) => {
    expect(quantityValue(q)).toBeCloseTo(value, 9);
  });

  it.each<string>(["-1", "1 ", "x1", "1e", "1e-", "Ki", ""])("quantityValue(%p) is NaN", (q) => {
    expect(quantityValue(q)).toBeNaN();
  });
});

describe("release names and namespaces say what is wrong and how to fix it", () => {
  it.each<[string, unknown]>([
    ["54 characters", "a".repeat(54)],
    ["upper case", "Milvus"],
    ["a trailing '-'", "milvus-"],
    ["not a string", 53],
  ])("release name %s", (_what, name) => {
    const p = releaseNameProblem(name, "args.releaseName");
    expect(pairs(p ? [p] : [])).toEqual([["args.releaseName", "R-INPUT"]]);
  });

  it.each<[string, unknown]>([
    ["64 characters", "a".repeat(64)],
    ["a dot", "milvus.prod"],
    ["empty", ""],
  ])("namespace %s", (_what, name) => {
    const p = namespaceProblem(name, "args.namespace");
    expect(pairs(p ? [p] : [])).toEqual([["args.namespace", "R-INPUT"]]);
  });
});
