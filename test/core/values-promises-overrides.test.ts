/**
 * What `valuesFor` promises about raw `helmValues` (issue #16, src/values/values-for.ts): credentials are refused by
 * any path (R-INPUT), shortcut keys removed in chart 4.0.0 are refused from 4.0.0 on (R-CONFIG-FILES), managed keys a
 * chart lacks are refused (R-CHART-KEYS), config files may not switch the queue (R-MQ-KEEP), replicas given here get
 * the typed fields' checks, and nothing may contradict or cut away a managed key (R-RESET-VALUES). Each refusal names
 * the full field path and rule id, once.
 */
import { type MilvusSpec, valuesFor } from "../../src";
import { at, problemsOf, refusalOf } from "../support/values";

type RefusalRow = [name: string, helmValues: Record<string, unknown>, refusal: string[]];
type AcceptRow = [name: string, helmValues: Record<string, unknown>];

/** 2.6.4 cluster on 5.0.6 with `helmValues` (and `extra` spec fields). */
const spec = (helmValues: Record<string, unknown>, extra: Partial<MilvusSpec> = {}): MilvusSpec => ({ version: "2.6.4", ...extra, helmValues });

describe("helmValues: credentials by any path (R-INPUT)", () => {
  it.each<RefusalRow>([
    ["an S3 secret key, reported once", { externalS3: { secretKey: "hunter2" } }, ["helmValues.externalS3.secretKey R-INPUT"]],
    ["an S3 access key given as a boolean (not a string, still a credential path)", { externalS3: { accessKey: true } }, ["helmValues.externalS3.accessKey R-INPUT"]],
    ["a map in place of MinIO's access key", { minio: { accessKey: { value: "AKIA" } } }, ["helmValues.minio.accessKey.value R-INPUT"]],
    ["MinIO's root user", { minio: { rootUser: "admin" } }, ["helmValues.minio.rootUser R-INPUT"]],
    ["MinIO's root password", { minio: { rootPassword: "hunter2" } }, ["helmValues.minio.rootPassword R-INPUT"]],
    ["the external Kafka SASL user name (not a credential-looking key)", { externalKafka: { sasl: { username: "bob" } } }, ["helmValues.externalKafka.sasl.username R-INPUT"]],
    ["the external Kafka SASL password", { externalKafka: { sasl: { password: 42 } } }, ["helmValues.externalKafka.sasl.password R-INPUT"]],
    ["external Pulsar auth params", { externalPulsar: { authParams: "token:abc" } }, ["helmValues.externalPulsar.authParams R-INPUT"]],
    ["a plain credential in an extraEnv entry", { proxy: { extraEnv: [{ name: "MINIO_SECRET_ACCESS_KEY", value: "hunter2" }] } }, ["helmValues.proxy.extraEnv.0.value R-INPUT"]],
    ["a credential inside a config file", { extraConfigFiles: { "more.yaml": "minio:\n  secretAccessKey: hunter2\n" } }, ["helmValues.extraConfigFiles.more.yaml.minio.secretAccessKey R-INPUT"]],
  ])("refuses %s", (_name, helmValues, refusal) => {
    expect(refusalOf(spec(helmValues), "5.0.6")).toEqual(refusal);
  });

  it.each<AcceptRow>([
    ["an empty S3 secret key (the chart's own empty default)", { externalS3: { secretKey: "" } }],
    ["a null MinIO access key", { minio: { accessKey: null } }],
    ["a key that names a Secret key, beside a credential path", { minio: { secretKeyRef: "minio-secret" } }],
    ["an extraEnv entry that references a Secret", { proxy: { extraEnv: [{ name: "MINIO_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "s3", key: "secret" } } }] } }],
  ])("accepts %s", (_name, helmValues) => {
    expect(() => valuesFor(spec(helmValues), "5.0.6")).not.toThrow();
  });
});

describe("helmValues: removed shortcut keys (R-CONFIG-FILES) and managed keys the chart lacks (R-CHART-KEYS)", () => {
  type ChartRow = [name: string, version: string, chart: string, helmValues: Record<string, unknown>, refusal: string[]];
  it.each<ChartRow>([
    ["dataCoordinator.segment on 4.0.0, the first chart without it", "2.2.1", "4.0.0", { dataCoordinator: { segment: { maxSize: 512 } } }, ["helmValues.dataCoordinator.segment.maxSize R-CONFIG-FILES"]],
    ["common on 5.0.6", "2.6.4", "5.0.6", { common: { security: { authorizationEnabled: true } } }, ["helmValues.common.security.authorizationEnabled R-CONFIG-FILES"]],
    ["standalone.rocksmq as a leaf", "2.6.4", "5.0.6", { standalone: { rocksmq: "x" } }, ["helmValues.standalone.rocksmq R-CONFIG-FILES"]],
    ["woodpecker.enabled on 4.2.41 (the key starts at 4.2.42)", "2.5.6", "4.2.41", { woodpecker: { enabled: false } }, ["helmValues.woodpecker.enabled R-CHART-KEYS"]],
    ["streaming.enabled on 4.2.7 (the key starts at 4.2.8)", "2.5.8", "4.2.7", { streaming: { enabled: false } }, ["helmValues.streaming.enabled R-CHART-KEYS"]],
    ["a config file on 3.3.1 (extraConfigFiles starts at 3.3.2)", "2.2.0", "3.3.1", { extraConfigFiles: { "user.yaml": "log:\n  level: debug\n" } }, ["helmValues.extraConfigFiles.user.yaml R-CHART-KEYS"]],
    ["an empty extraConfigFiles map on 3.3.1 (Helm would ignore it)", "2.2.0", "3.3.1", { extraConfigFiles: {} }, ["helmValues.extraConfigFiles R-CHART-KEYS"]],
  ])("refuses %s", (_name, version, chart, helmValues, refusal) => {
    expect(refusalOf({ version, helmValues }, chart)).toEqual(refusal);
  });

  type ChartAcceptRow = [name: string, version: string, chart: string, helmValues: Record<string, unknown>];
  it.each<ChartAcceptRow>([
    ["dataCoordinator.segment on 3.3.6, the last chart with it", "2.2.0", "3.3.6", { dataCoordinator: { segment: { maxSize: 512 } } }],
    ["a key that only starts like a removed one (commonLabels)", "2.6.4", "5.0.6", { commonLabels: { team: "search" } }],
    ["a sibling of a removed key (dataNode.enabled is not dataNode.segment)", "2.6.4", "5.0.6", { dataNode: { nodeSelector: { pool: "data" } } }],
    ["woodpecker.enabled false on 4.2.42, where the chart has it", "2.5.7", "4.2.42", { woodpecker: { enabled: false } }],
    ["a key the library does not track, on any chart", "2.0.0", "3.0.0", { proxy: { service: { type: "LoadBalancer" } } }],
  ])("accepts %s", (_name, version, chart, helmValues) => {
    expect(() => valuesFor({ version, helmValues }, chart)).not.toThrow();
  });
});

describe("helmValues: config files (R-CONFIG-FILES, R-MQ-KEEP)", () => {
  it.each<RefusalRow>([
    ["a file that is not YAML", { extraConfigFiles: { "bad.yaml": "a: [1, 2" } }, ["helmValues.extraConfigFiles.bad.yaml R-CONFIG-FILES"]],
    ["a file that is a list, not a mapping", { extraConfigFiles: { "list.yaml": "- a\n- b\n" } }, ["helmValues.extraConfigFiles.list.yaml R-CONFIG-FILES"]],
    ["a file that switches the queue", { extraConfigFiles: { "mq.yaml": "mq:\n  type: kafka\n" } }, ["helmValues.extraConfigFiles.mq.yaml.mq.type R-MQ-KEEP"]],
  ])("refuses %s", (_name, helmValues, refusal) => {
    expect(refusalOf(spec(helmValues), "5.0.6")).toEqual(refusal);
  });

  it.each<AcceptRow>([
    ["a file that keeps the queue's own mq.type", { extraConfigFiles: { "mq.yaml": "mq:\n  type: pulsar\n" } }],
    ["an empty file", { extraConfigFiles: { "empty.yaml": "" } }],
    ["a non-string entry (the chart renders it; there is nothing to parse)", { extraConfigFiles: { "n.yaml": 5 } }],
    ["extraConfigFiles given as a list (not scanned as files)", { extraConfigFiles: [] }],
  ])("accepts %s", (_name, helmValues) => {
    expect(() => valuesFor(spec(helmValues), "5.0.6")).not.toThrow();
  });

  it("merges a file of the user's own beside the managed user.yaml", () => {
    const v = valuesFor(spec({ extraConfigFiles: { "more.yaml": "log:\n  level: warn\n" } }, { milvusConfig: { log: { format: "json" } } }), "5.0.6");
    expect([at(v, "extraConfigFiles.more.yaml"), at(v, "extraConfigFiles.user.yaml")]).toEqual(["log:\n  level: warn\n", "log:\n  format: json\n"]);
  });
});

describe("helmValues: replicas, resources and HPAs get the typed fields' checks", () => {
  it.each<RefusalRow>([
    ["negative replicas", { queryNode: { replicas: -1 } }, ["helmValues.queryNode.replicas R-INPUT"]],
    ["replicas as a string", { dataNode: { replicas: "3" } }, ["helmValues.dataNode.replicas R-INPUT"]],
    ["invalid replicas with an HPA: only the replica count is named", { proxy: { replicas: 1.5, hpa: { enabled: true } } }, ["helmValues.proxy.replicas R-INPUT"]],
    ["fixed replicas and an HPA", { queryNode: { replicas: 2, hpa: { enabled: true } } }, ["helmValues.queryNode.hpa R-INPUT"]],
    ["resources that are not a map", { queryNode: { resources: "lots" } }, ["helmValues.queryNode.resources R-INPUT"]],
    ["a limit below the request", { proxy: { resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } } }, ["helmValues.proxy.resources.limits.cpu R-INPUT"]],
  ])("refuses %s", (_name, helmValues, refusal) => {
    expect(refusalOf(spec(helmValues), "5.0.6")).toEqual(refusal);
  });

  it.each<AcceptRow>([
    ["coordinator replicas 2 with active-standby", { mixCoordinator: { replicas: 2 } }],
    ["coordinator replicas 1", { mixCoordinator: { replicas: 1 } }],
    ["queryNode replicas 4 (not a coordinator)", { queryNode: { replicas: 4 } }],
  ])("accepts %s", (_name, helmValues) => {
    expect(() => valuesFor(spec(helmValues), "5.0.6")).not.toThrow();
  });

  it.each<AcceptRow>([
    ["coordinator replicas 1", { mixCoordinator: { replicas: 1 } }],
    ["queryNode replicas 4 (not a coordinator)", { queryNode: { replicas: 4 } }],
    ["dataNode replicas 2", { dataNode: { replicas: 2 } }],
  ])("accepts without active-standby: %s", (_name, helmValues) => {
    expect(() => valuesFor(spec(helmValues, { activeStandby: false }), "5.0.6")).not.toThrow();
  });

  it.each<AcceptRow>([
    ["replicas with the HPA off", { queryNode: { replicas: 2, hpa: { enabled: false } } }],
    ["valid resources", { proxy: { resources: { requests: { cpu: "500m" }, limits: { cpu: "1" } } } }],
  ])("accepts %s", (_name, helmValues) => {
    expect(() => valuesFor(spec(helmValues), "5.0.6")).not.toThrow();
  });

  it("refuses coordinator replicas 2 without active-standby", () => {
    expect(refusalOf(spec({ mixCoordinator: { replicas: 2 } }, { activeStandby: false }), "5.0.6")).toEqual(["helmValues.mixCoordinator.replicas R-COORD-HA"]);
  });

  it("checks separate coordinators too (rootCoordinator replicas 3 without active-standby)", () => {
    expect(refusalOf({ version: "2.5.8", coordinators: "separate", activeStandby: false, helmValues: { rootCoordinator: { replicas: 3 } } }, "4.2.44")).toEqual(["helmValues.rootCoordinator.replicas R-COORD-HA"]);
  });
});

describe("helmValues may not contradict or cut away a managed key (R-RESET-VALUES)", () => {
  it.each<RefusalRow>([
    ["a managed flag set to the other value", { cluster: { enabled: false } }, ["helmValues.cluster.enabled R-RESET-VALUES"]],
    ["the image tag", { image: { all: { tag: "v2.6.5" } } }, ["helmValues.image.all.tag R-RESET-VALUES"]],
    ["null in place of the pulsar map", { pulsar: null }, ["helmValues.pulsar R-RESET-VALUES"]],
    ["a scalar in place of the streaming map", { streaming: false }, ["helmValues.streaming R-RESET-VALUES"]],
    ["a string in place of image.all (two managed keys below it, named once)", { image: { all: "milvusdb/milvus:v2.6.4" } }, ["helmValues.image.all R-RESET-VALUES"]],
    ["a list in place of the mixCoordinator map", { mixCoordinator: [] }, ["helmValues.mixCoordinator R-RESET-VALUES"]],
  ])("refuses %s", (_name, helmValues, refusal) => {
    expect(refusalOf(spec(helmValues), "5.0.6")).toEqual(refusal);
  });

  it("names a cut-away map beside other problems, and the value that cuts it", () => {
    expect(refusalOf(spec({ pulsarv3: null }, { coordinators: "separate" }), "5.0.6")).toEqual(["coordinators R-26-TOPOLOGY", "helmValues.pulsarv3 R-RESET-VALUES"]);
    const cut = problemsOf(spec({ image: { all: "milvusdb/milvus:v2.6.4" } }), "5.0.6")[0]!;
    expect(cut.message).toContain(JSON.stringify("milvusdb/milvus:v2.6.4"));
  });

  it("the error's summary names the version and the chart", () => {
    expect(() => valuesFor(spec({ cluster: { enabled: false } }), "5.0.6")).toThrow(/2\.6\.4[\s\S]*5\.0\.6/);
  });

  it("refuses a user.yaml of its own when milvusConfig writes the managed one", () => {
    expect(refusalOf(spec({ extraConfigFiles: { "user.yaml": "log:\n  level: warn\n" } }, { milvusConfig: { log: { level: "debug" } } }), "5.0.6")).toEqual(["helmValues.extraConfigFiles.user.yaml R-RESET-VALUES"]);
  });

  it("accepts user.yaml in helmValues when milvusConfig is unset (nothing manages it)", () => {
    const v = valuesFor(spec({ extraConfigFiles: { "user.yaml": "log:\n  level: warn\n" } }), "5.0.6");
    expect(at(v, "extraConfigFiles.user.yaml")).toBe("log:\n  level: warn\n");
  });

  it("accepts the same value as the managed key, and maps below a managed map", () => {
    const v = valuesFor(spec({ image: { all: { tag: "v2.6.4", pullPolicy: "Always" } }, pulsarv3: { enabled: true, proxy: { replicaCount: 2 } } }), "5.0.6");
    expect([at(v, "image.all.pullPolicy"), at(v, "image.all.repository"), at(v, "pulsarv3.proxy.replicaCount"), at(v, "pulsarv3.enabled")]).toEqual(["Always", "milvusdb/milvus", 2, true]);
  });

  it("compares structured managed values by content (endpoints list)", () => {
    const endpoints = ["etcd-0.etcd:2379"];
    expect(() => valuesFor(spec({ externalEtcd: { endpoints: ["etcd-0.etcd:2379"] } }, { externalEtcdEndpoints: endpoints }), "5.0.6")).not.toThrow();
    expect(refusalOf(spec({ externalEtcd: { endpoints: ["etcd-9.etcd:2379"] } }, { externalEtcdEndpoints: endpoints }), "5.0.6")).toEqual(["helmValues.externalEtcd.endpoints R-RESET-VALUES"]);
  });
});
