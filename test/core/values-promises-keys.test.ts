/**
 * What `valuesFor` promises about the values it writes (issue #16, src/values/values-for.ts): which key gets which
 * value for which chart version, mode, message queue and coordinator topology, with the boundary charts of every
 * chart-range rule it applies (mixCoordinator from 4.0.9, activeStandby keys from 4.0.4, streaming from 4.2.8,
 * pulsarv3 from 4.2.21, woodpecker from 4.2.42, the mixed default from 4.2.4, R-PULSAR2-CHARTS 4.2.21-4.2.29).
 * A key marked ABSENT must not be written: Helm would warn or, worse, the chart would silently ignore it.
 */
import { type MilvusSpec, valuesFor } from "../../src";
import type { ValuesForOptions } from "../../src/values/values-for";
import { Catalog } from "../../src";
import { fixtureOverlay } from "../support/overlay";
import { ABSENT, keysOf, refusalOf } from "../support/values";

type KeyRow = [name: string, spec: MilvusSpec, chart: string, expected: Record<string, unknown>];

const SEPARATE = ["rootCoordinator", "queryCoordinator", "dataCoordinator", "indexCoordinator"];
const each = (names: readonly string[], suffix: string, value: unknown): Record<string, unknown> => Object.fromEntries(names.map((n) => [`${n}.${suffix}`, value]));

describe("valuesFor: mode, image and coordinator keys", () => {
  it.each<KeyRow>([
    [
      "2.6.4 cluster on 5.0.6: mixed coordinators with active-standby, streaming on, no indexNode",
      { version: "2.6.4" },
      "5.0.6",
      {
        "cluster.enabled": true,
        "image.all.repository": "milvusdb/milvus",
        "image.all.tag": "v2.6.4",
        "mixCoordinator.enabled": true,
        ...each(SEPARATE, "enabled", false),
        "mixCoordinator.activeStandby.enabled": true,
        ...each(SEPARATE, "activeStandby.enabled", true),
        "indexNode.enabled": false,
        "streaming.enabled": true,
      },
    ],
    [
      "2.6.4 standalone on 5.0.6: cluster off, active-standby off",
      { version: "2.6.4", mode: "standalone" },
      "5.0.6",
      { "cluster.enabled": false, "mixCoordinator.enabled": true, "mixCoordinator.activeStandby.enabled": false, ...each(SEPARATE, "activeStandby.enabled", false) },
    ],
    [
      "2.5.8 on 4.2.3 (before the mixed default of 4.2.4): separate coordinators, indexNode on, no streaming key",
      { version: "2.5.8" },
      "4.2.3",
      { "mixCoordinator.enabled": false, ...each(SEPARATE, "enabled", true), "indexNode.enabled": true, "streaming.enabled": ABSENT },
    ],
    ["2.5.8 on 4.2.4 (the mixed default): mixed coordinators", { version: "2.5.8" }, "4.2.4", { "mixCoordinator.enabled": true, ...each(SEPARATE, "enabled", false) }],
    ["2.5.8 on 4.2.7: no streaming key yet", { version: "2.5.8" }, "4.2.7", { "streaming.enabled": ABSENT }],
    ["2.5.8 on 4.2.8 (first chart with streaming): streaming off before 2.6", { version: "2.5.8" }, "4.2.8", { "streaming.enabled": false, "indexNode.enabled": true }],
    ["explicit separate coordinators on a mixed-default chart", { version: "2.5.8", coordinators: "separate" }, "4.2.44", { "mixCoordinator.enabled": false, ...each(SEPARATE, "enabled", true) }],
    [
      "2.6.0 on chart 4.2.3 (below the mixed default): 2.6 runs mixed coordinators whatever the chart's default",
      { version: "2.6.0" },
      "4.2.3",
      { "mixCoordinator.enabled": true, "rootCoordinator.enabled": false, "indexNode.enabled": false },
    ],
    ["2.2.3 on 4.0.8 (R-ROLLING's first version): active-standby on", { version: "2.2.3" }, "4.0.8", { ...each(SEPARATE, "activeStandby.enabled", true), "mixCoordinator.enabled": ABSENT }],
    ["2.2.2 on 4.0.8 (below R-ROLLING): active-standby off", { version: "2.2.2" }, "4.0.8", each(SEPARATE, "activeStandby.enabled", false)],
    ["2.2.3 on 4.0.3 (no activeStandby keys before 4.0.4)", { version: "2.2.3", activeStandby: false }, "4.0.3", each(SEPARATE, "activeStandby.enabled", ABSENT)],
    ["2.2.3 on 4.0.4 (first chart with activeStandby keys)", { version: "2.2.3" }, "4.0.4", each(SEPARATE, "activeStandby.enabled", true)],
    ["mixed coordinators on 4.0.9 (first chart with mixCoordinator)", { version: "2.2.3", coordinators: "mixed" }, "4.0.9", { "mixCoordinator.enabled": true, "mixCoordinator.activeStandby.enabled": true, "rootCoordinator.enabled": false }],
    ["activeStandby switched off explicitly", { version: "2.6.4", activeStandby: false }, "5.0.6", { "mixCoordinator.activeStandby.enabled": false }],
    ["another version than the chart's own: image tag v<version>", { version: "2.6.5" }, "5.0.6", { "image.all.tag": "v2.6.5" }],
    ["a v-prefixed version is normalised", { version: "v2.6.4" }, "5.0.6", { "image.all.tag": "v2.6.4" }],
    ["own image repository", { version: "2.6.4", imageRepository: "registry.example.com/mirror/milvus" }, "5.0.6", { "image.all.repository": "registry.example.com/mirror/milvus" }],
  ])("%s", (_name, spec, chart, expected) => {
    expect(keysOf(valuesFor(spec, chart), expected)).toEqual(expected);
  });
});

describe("valuesFor: message queue keys (R-MQ-SUPPORT, R-PULSAR2-PIN, R-STANDALONE-MQ, R-PULSAR2-FRESH)", () => {
  const QUEUE_KEYS = ["pulsar", "pulsarv3", "kafka", "woodpecker", "externalPulsar", "externalKafka"];
  /** The enabled flag of every queue key, with only `on` true (ABSENT for keys the chart does not have). */
  const onlyQueue = (on: string | undefined, absent: readonly string[] = []): Record<string, unknown> =>
    Object.fromEntries(QUEUE_KEYS.map((k) => [`${k}.enabled`, absent.includes(k) ? ABSENT : k === on]));
  const pulsar = { externalPulsar: { host: "pulsar.example.com" } };
  const kafka = { externalKafka: { brokerList: "kafka-0.example.com:9092" } };

  it.each<KeyRow>([
    ["cluster default on 5.0.6: Pulsar v3", { version: "2.6.4" }, "5.0.6", { ...onlyQueue("pulsarv3"), "standalone.messageQueue": "pulsar" }],
    ["pulsar (v2) pinned on 5.0.6", { version: "2.6.4", messageQueue: "pulsar" }, "5.0.6", { ...onlyQueue("pulsar"), "standalone.messageQueue": "pulsar" }],
    ["kafka", { version: "2.6.4", messageQueue: "kafka" }, "5.0.6", { ...onlyQueue("kafka"), "standalone.messageQueue": "kafka" }],
    ["woodpecker in cluster mode", { version: "2.6.4", messageQueue: "woodpecker" }, "5.0.6", { ...onlyQueue("woodpecker"), "standalone.messageQueue": "woodpecker" }],
    ["external Pulsar", { version: "2.6.4", messageQueue: "external-pulsar", ...pulsar }, "5.0.6", { ...onlyQueue("externalPulsar"), "standalone.messageQueue": "pulsar" }],
    ["external Kafka", { version: "2.6.4", messageQueue: "external-kafka", ...kafka }, "5.0.6", { ...onlyQueue("externalKafka"), "standalone.messageQueue": "kafka" }],
    ["standalone default on 5.0.6: woodpecker", { version: "2.6.4", mode: "standalone" }, "5.0.6", { ...onlyQueue("woodpecker"), "standalone.messageQueue": "woodpecker" }],
    ["standalone default on 4.2.44: rocksmq, every queue subchart off", { version: "2.5.8", mode: "standalone" }, "4.2.44", { ...onlyQueue(undefined), "standalone.messageQueue": "rocksmq" }],
    ["standalone natsmq on 4.2.44", { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, "4.2.44", { ...onlyQueue(undefined), "standalone.messageQueue": "natsmq" }],
    ["cluster default on 4.2.20: Pulsar v2 (no pulsarv3 key yet)", { version: "2.4.16" }, "4.2.20", onlyQueue("pulsar", ["pulsarv3", "woodpecker"])],
    ["woodpecker key from 4.2.42 (off unless chosen)", { version: "2.5.7" }, "4.2.42", onlyQueue("pulsarv3")],
    ["cluster default on 4.2.21 (R-PULSAR2-CHARTS starts): a new release gets Pulsar v3", { version: "2.4.16" }, "4.2.21", onlyQueue("pulsarv3", ["woodpecker"])],
    ["cluster default on 4.2.26 (still in R-PULSAR2-CHARTS): Pulsar v3", { version: "2.5.4" }, "4.2.26", onlyQueue("pulsarv3", ["woodpecker"])],
    ["cluster default on 4.2.27 (chart default flipped): Pulsar v3", { version: "2.5.4" }, "4.2.27", onlyQueue("pulsarv3", ["woodpecker"])],
    ["cluster default on 4.2.3: Pulsar v2, no pulsarv3 or woodpecker key", { version: "2.5.8" }, "4.2.3", onlyQueue("pulsar", ["pulsarv3", "woodpecker"])],
    ["kafka on 3.0.14 (first chart with kafka keys)", { version: "2.0.1", messageQueue: "kafka" }, "3.0.14", onlyQueue("kafka", ["pulsarv3", "woodpecker"])],
    ["2.0.0 on 3.0.0: no kafka, externalKafka or standalone.messageQueue key yet", { version: "2.0.0" }, "3.0.0", { ...onlyQueue("pulsar", ["pulsarv3", "woodpecker", "kafka", "externalKafka"]), "standalone.messageQueue": ABSENT }],
    ["standalone on 3.0.23 (first chart with standalone.messageQueue): rocksmq", { version: "2.0.2", mode: "standalone" }, "3.0.23", { "standalone.messageQueue": "rocksmq" }],
  ])("%s", (_name, spec, chart, expected) => {
    expect(keysOf(valuesFor(spec, chart), expected)).toEqual(expected);
  });
});

describe("valuesFor: external Pulsar and Kafka settings, credentials from Secrets only", () => {
  it.each<KeyRow>([
    [
      "external Pulsar: host, default port 6650, no tenant or namespace unless given",
      { version: "2.6.4", messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com" } },
      "5.0.6",
      { "externalPulsar.host": "pulsar.example.com", "externalPulsar.port": 6650, "externalPulsar.tenant": ABSENT, "externalPulsar.namespace": ABSENT, "externalPulsar.authPlugin": ABSENT },
    ],
    [
      "external Pulsar: own port, tenant, namespace and auth plugin (chart >= 4.0.31)",
      { version: "2.6.4", messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com", port: 6651, tenant: "t1", namespace: "ns1", authPlugin: "org.apache.pulsar.client.impl.auth.AuthenticationToken" } },
      "5.0.6",
      { "externalPulsar.enabled": true, "externalPulsar.host": "pulsar.example.com", "externalPulsar.port": 6651, "externalPulsar.tenant": "t1", "externalPulsar.namespace": "ns1", "externalPulsar.authPlugin": "org.apache.pulsar.client.impl.auth.AuthenticationToken" },
    ],
    [
      "external Pulsar tenant on 4.0.31 (first chart with it)",
      { version: "2.2.14", messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com", tenant: "t1", namespace: "ns1" } },
      "4.0.31",
      { "externalPulsar.tenant": "t1", "externalPulsar.namespace": "ns1" },
    ],
    [
      "external Kafka: brokers, default SASL_SSL and PLAIN",
      { version: "2.6.4", messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092,kafka-1.example.com:9092" } },
      "5.0.6",
      { "externalKafka.brokerList": "kafka-0.example.com:9092,kafka-1.example.com:9092", "externalKafka.securityProtocol": "SASL_SSL", "externalKafka.sasl": { mechanisms: "PLAIN" } },
    ],
    [
      "external Kafka: own protocol and mechanism",
      { version: "2.6.4", messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092", securityProtocol: "SSL", saslMechanisms: "SCRAM-SHA-512" } },
      "5.0.6",
      { "externalKafka.securityProtocol": "SSL", "externalKafka.sasl": { mechanisms: "SCRAM-SHA-512" } },
    ],
  ])("%s", (_name, spec, chart, expected) => {
    expect(keysOf(valuesFor(spec, chart), expected)).toEqual(expected);
  });

  const ref = (name: string, key: string) => ({ name, key });
  const env = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
  type EnvRow = [name: string, spec: MilvusSpec, chart: string, components: string[], entries: Record<string, unknown>[]];
  const CLUSTER_26 = ["proxy", "queryNode", "dataNode", "mixCoordinator", "streamingNode"];

  it.each<EnvRow>([
    [
      "external Pulsar authParams: PULSAR_AUTH_PARAMS on every running component",
      { version: "2.6.4", messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com", authParams: ref("pulsar-auth", "params") } },
      "5.0.6",
      CLUSTER_26,
      [env("PULSAR_AUTH_PARAMS", "pulsar-auth", "params")],
    ],
    [
      "external Kafka SASL user and password",
      { version: "2.6.4", messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092", saslUsername: ref("kafka", "user"), saslPassword: ref("kafka", "password") } },
      "5.0.6",
      CLUSTER_26,
      [env("KAFKA_SASL_USERNAME", "kafka", "user"), env("KAFKA_SASL_PASSWORD", "kafka", "password")],
    ],
    [
      "external Kafka SASL password only",
      { version: "2.6.4", messageQueue: "external-kafka", externalKafka: { brokerList: "kafka-0.example.com:9092", saslPassword: ref("kafka", "password") } },
      "5.0.6",
      CLUSTER_26,
      [env("KAFKA_SASL_PASSWORD", "kafka", "password")],
    ],
    [
      "external S3 keys: MinIO env names on every running component (separate coordinators on 2.5)",
      { version: "2.5.8", coordinators: "separate", externalObjectStorage: { host: "s3.amazonaws.com", bucket: "vectors", accessKeyId: ref("s3", "id"), secretAccessKey: ref("s3", "secret") } },
      "4.2.44",
      ["proxy", "queryNode", "dataNode", ...SEPARATE, "indexNode"],
      [env("MINIO_ACCESS_KEY_ID", "s3", "id"), env("MINIO_SECRET_ACCESS_KEY", "s3", "secret")],
    ],
    [
      "bundled MinIO with its own credentials Secret: keys accesskey and secretkey, standalone only",
      { version: "2.6.4", mode: "standalone", minioCredentialsSecret: "minio-creds" },
      "5.0.6",
      ["standalone"],
      [env("MINIO_ACCESS_KEY_ID", "minio-creds", "accesskey"), env("MINIO_SECRET_ACCESS_KEY", "minio-creds", "secretkey")],
    ],
  ])("%s", (_name, spec, chart, components, entries) => {
    const v = valuesFor(spec, chart);
    const withEnv = ["proxy", "standalone", "mixCoordinator", ...SEPARATE, "queryNode", "dataNode", "indexNode", "streamingNode"].filter((c) => keysOf(v, { [`${c}.extraEnv`]: 0 })[`${c}.extraEnv`] !== ABSENT);
    expect(withEnv.sort()).toEqual([...components].sort());
    for (const c of components) expect(keysOf(v, { [`${c}.extraEnv`]: 0 })[`${c}.extraEnv`]).toEqual(entries);
    // The credential itself never appears: only Secret references.
    expect(JSON.stringify(v)).not.toMatch(/"value":/);
  });

  it("writes no extraEnv when no credential is referenced", () => {
    const v = valuesFor({ version: "2.6.4" }, "5.0.6");
    expect(JSON.stringify(v)).not.toContain("extraEnv");
  });

  it("gives each component its own copy of the env list (no YAML anchors, editing one leaves the others)", () => {
    const v = valuesFor({ version: "2.6.4", minioCredentialsSecret: "minio-creds" }, "5.0.6") as Record<string, { extraEnv: unknown[] }>;
    expect(v.proxy!.extraEnv).not.toBe(v.queryNode!.extraEnv);
    expect(v.proxy!.extraEnv[0]).not.toBe(v.queryNode!.extraEnv[0]);
  });
});

describe("valuesFor: etcd, object storage, components and config", () => {
  it.each<KeyRow>([
    ["cluster, bundled etcd: etcd's own replica default (no replicaCount written)", { version: "2.6.4" }, "5.0.6", { "etcd.enabled": true, "externalEtcd.enabled": false, "etcd.replicaCount": ABSENT, "externalEtcd.endpoints": ABSENT }],
    ["cluster, etcdReplicas 3", { version: "2.6.4", etcdReplicas: 3 }, "5.0.6", { "etcd.replicaCount": 3 }],
    ["standalone: one etcd replica", { version: "2.6.4", mode: "standalone" }, "5.0.6", { "etcd.replicaCount": 1 }],
    ["standalone, etcdReplicas 3", { version: "2.6.4", mode: "standalone", etcdReplicas: 3 }, "5.0.6", { "etcd.replicaCount": 3 }],
    [
      "external etcd: bundled etcd off, endpoints copied, no replica count",
      { version: "2.6.4", mode: "standalone", externalEtcdEndpoints: ["etcd-0.etcd:2379", "etcd-1.etcd:2379"] },
      "5.0.6",
      { "etcd.enabled": false, "externalEtcd.enabled": true, "externalEtcd.endpoints": ["etcd-0.etcd:2379", "etcd-1.etcd:2379"], "etcd.replicaCount": ABSENT },
    ],
    ["an empty endpoint list keeps the bundled etcd", { version: "2.6.4", externalEtcdEndpoints: [] }, "5.0.6", { "etcd.enabled": true, "externalEtcd.enabled": false, "externalEtcd.endpoints": ABSENT }],
    ["cluster, bundled MinIO: no mode written (the chart's distributed default)", { version: "2.6.4" }, "5.0.6", { "minio.enabled": true, "externalS3.enabled": false, "minio.mode": ABSENT, "minio.existingSecret": ABSENT }],
    ["standalone, bundled MinIO: mode standalone", { version: "2.6.4", mode: "standalone" }, "5.0.6", { "minio.mode": "standalone" }],
    ["bundled MinIO with a credentials Secret", { version: "2.6.4", minioCredentialsSecret: "minio-creds" }, "5.0.6", { "minio.existingSecret": "minio-creds" }],
    [
      "external S3 with IAM: defaults port 443, SSL on; no rootPath, cloudProvider or region unless given",
      { version: "2.6.4", mode: "standalone", externalObjectStorage: { host: "s3.amazonaws.com", bucket: "vectors", useIAM: true } },
      "5.0.6",
      {
        "minio.enabled": false,
        "minio.mode": ABSENT,
        "externalS3.enabled": true,
        "externalS3.host": "s3.amazonaws.com",
        "externalS3.port": 443,
        "externalS3.bucketName": "vectors",
        "externalS3.useSSL": true,
        "externalS3.useIAM": true,
        "externalS3.rootPath": ABSENT,
        "externalS3.cloudProvider": ABSENT,
        "externalS3.region": ABSENT,
      },
    ],
    [
      "external S3 with every setting",
      { version: "2.6.4", externalObjectStorage: { host: "minio.example.com", port: 9000, bucket: "vectors", rootPath: "prod/milvus", useSSL: false, cloudProvider: "aws", region: "eu-central-1", accessKeyId: { name: "s3", key: "id" }, secretAccessKey: { name: "s3", key: "secret" } } },
      "5.0.6",
      { "externalS3.port": 9000, "externalS3.rootPath": "prod/milvus", "externalS3.useSSL": false, "externalS3.useIAM": false, "externalS3.cloudProvider": "aws", "externalS3.region": "eu-central-1" },
    ],
    [
      "external S3 region on 4.1.29 and cloudProvider on 4.0.31 (their first charts)",
      { version: "2.4.0", externalObjectStorage: { host: "s3.amazonaws.com", bucket: "vectors", useIAM: true, cloudProvider: "aws", region: "us-east-1" } },
      "4.1.29",
      { "externalS3.cloudProvider": "aws", "externalS3.region": "us-east-1" },
    ],
    [
      "replicas and resources of running components",
      { version: "2.6.4", queryNode: { replicas: 3, resources: { requests: { cpu: "2", memory: "8Gi" } } }, mixCoordinator: { replicas: 2 }, proxy: { replicas: 0 } },
      "5.0.6",
      { "queryNode.replicas": 3, "queryNode.resources": { requests: { cpu: "2", memory: "8Gi" } }, "mixCoordinator.replicas": 2, "proxy.replicas": 0, "dataNode.replicas": ABSENT },
    ],
    ["dataNode replicas", { version: "2.6.4", dataNode: { replicas: 4 } }, "5.0.6", { "dataNode.replicas": 4, "queryNode.replicas": ABSENT }],
    ["standalone replicas", { version: "2.6.4", mode: "standalone", standalone: { replicas: 1 } }, "5.0.6", { "standalone.replicas": 1 }],
    ["separate coordinator replicas with active-standby", { version: "2.5.8", coordinators: "separate", rootCoordinator: { replicas: 2 } }, "4.2.44", { "rootCoordinator.replicas": 2 }],
    ["indexNode replicas before 2.6", { version: "2.5.8", indexNode: { replicas: 2 } }, "4.2.44", { "indexNode.replicas": 2 }],
    ["streamingNode replicas on 2.6", { version: "2.6.4", streamingNode: { replicas: 2 } }, "5.0.6", { "streamingNode.replicas": 2 }],
    ["an empty milvusConfig writes no config file", { version: "2.6.4", milvusConfig: {} }, "5.0.6", { extraConfigFiles: ABSENT }],
    ["milvusConfig on 3.3.2 (first chart with extraConfigFiles)", { version: "2.2.0", milvusConfig: { log: { level: "debug" } } }, "3.3.2", { "extraConfigFiles.user.yaml": "log:\n  level: debug\n" }],
    ["helmValues the library does not manage are merged in", { version: "2.6.4", helmValues: { proxy: { service: { type: "LoadBalancer" } }, log: { level: "warn" } } }, "5.0.6", { "proxy.service.type": "LoadBalancer", "log.level": "warn", "proxy.enabled": ABSENT }],
    ["helmValues that repeat a managed key's own value are accepted", { version: "2.6.4", helmValues: { cluster: { enabled: true }, mixCoordinator: { activeStandby: { enabled: true } } } }, "5.0.6", { "cluster.enabled": true, "mixCoordinator.activeStandby.enabled": true }],
  ])("%s", (_name, spec, chart, expected) => {
    expect(keysOf(valuesFor(spec, chart), expected)).toEqual(expected);
  });

  type StopRow = [name: string, spec: MilvusSpec, chart: string, options: ValuesForOptions, expected: Record<string, unknown>];
  it.each<StopRow>([
    [
      "an intermediate stop skips settings of components that version does not run",
      { version: "2.5.16", streamingNode: { replicas: 2 }, rootCoordinator: { replicas: 1 } },
      "4.2.58",
      { intermediateStop: true },
      { "streamingNode.replicas": ABSENT, "rootCoordinator.replicas": ABSENT, "mixCoordinator.enabled": true },
    ],
    ["an intermediate stop leaves milvusConfig out on a chart without extraConfigFiles", { version: "2.1.4", milvusConfig: { log: { level: "debug" } } }, "3.2.18", { intermediateStop: true }, { extraConfigFiles: ABSENT }],
    ["an intermediate stop still writes milvusConfig where the chart has extraConfigFiles", { version: "2.2.0", milvusConfig: { log: { level: "debug" } } }, "3.3.6", { intermediateStop: true }, { "extraConfigFiles.user.yaml": "log:\n  level: debug\n" }],
  ])("%s", (_name, spec, chart, options, expected) => {
    expect(keysOf(valuesFor(spec, chart, options), expected)).toEqual(expected);
  });
});

describe("valuesFor with a catalog overlay (a chart published after this library)", () => {
  /** The fixture overlay, with chart 5.0.20 shipping a build-stamped image tag (as pre-GA charts did). */
  const catalog = () => {
    const o = fixtureOverlay();
    return Catalog.withOverlay({ ...o, charts: o.charts.map((c) => (c.chart === "5.0.20" ? { ...c, imageTag: "v2.6.16-20260901-abcdef0" } : c)) });
  };

  it("knows the overlay's chart only through the catalog it is given", () => {
    expect(refusalOf({ version: "2.6.16" }, "5.0.20")).toEqual(["chartVersion R-KNOWN-VERSION"]);
    expect(keysOf(valuesFor({ version: "2.6.16" }, "5.0.20", { catalog: catalog() }), { "streaming.enabled": 0 })).toEqual({ "streaming.enabled": true });
  });

  it("uses the chart's own image tag for the chart's own Milvus version, v<version> for any other", () => {
    const cat = catalog();
    expect(keysOf(valuesFor({ version: "2.6.16" }, "5.0.20", { catalog: cat }), { "image.all.tag": 0 })).toEqual({ "image.all.tag": "v2.6.16-20260901-abcdef0" });
    expect(keysOf(valuesFor({ version: "2.6.15" }, "5.0.20", { catalog: cat }), { "image.all.tag": 0 })).toEqual({ "image.all.tag": "v2.6.15" });
  });
});
