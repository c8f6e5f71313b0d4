import { CATALOG_UPDATE_HINT, Catalog } from "../catalog/catalog";
import type { ChartRecord } from "../catalog/types";
import { type InputProblem, MilvusClusterError } from "../errors";
import { CHART_EXCLUSIONS, MQ_SUPPORT, OLDEST_SUPPORTED_CHART, REMOVED_SHORTCUT_KEYS, ROLLING_FROM_MILVUS, SHORTCUT_KEYS_REMOVED_IN } from "../rules/tables";
import { chartDefaultCoordinators, chartDefaultMessageQueue, topologyFor } from "../spec/resolve";
import {
  type ClusterMode,
  type ComponentName,
  type ComponentSpec,
  type CoordinatorTopology,
  type HelmValues,
  type MessageQueue,
  type MilvusSpec,
  SEPARATE_COORDINATORS,
  type SecretKeyRef,
} from "../spec/types";
import { validateSpecShape } from "../spec/validate";
import { yaml } from "../util/lazy-yaml";
import { compareVersions, parseMilvusVersion } from "../versions/versions";
import { deepMerge, getPath, isPlainObject, leafPaths, setPath } from "./merge";
import { MQ_TYPE_OF, mqTypeProblem, parseConfigFile, plainCredentialProblems } from "./scan";
import { replicasProblem, resourcesProblems } from "../spec/validate";

/** Options for `valuesFor`. */
export interface ValuesForOptions {
  /**
   * The values are for an intermediate stop, where the spec describes the target: settings for components this
   * version does not run are skipped, and `milvusConfig` is left out on charts without `extraConfigFiles` (< 3.3.2;
   * the target step applies it). When false both are errors.
   * @default false
   */
  readonly intermediateStop?: boolean;
  /**
   * The chart catalog that knows `chartVersion` and its keys (the built-in catalog plus an overlay, for a chart
   * published after this library).
   * @default Catalog.builtin
   */
  readonly catalog?: Catalog;
}

/** A spec with every default resolved against one chart version. */
export interface ResolvedSpec extends MilvusSpec {
  /** Resolved mode. */
  readonly mode: ClusterMode;
  /** Resolved coordinator topology. */
  readonly coordinators: CoordinatorTopology;
  /** Resolved active-standby setting. */
  readonly activeStandby: boolean;
  /** Resolved message queue. */
  readonly messageQueue: MessageQueue;
}

/** Paths whose values are credentials: never accepted as plain values. */
const CREDENTIAL_PATHS: readonly string[] = [
  "externalS3.accessKey",
  "externalS3.secretKey",
  "minio.accessKey",
  "minio.secretKey",
  "minio.rootUser",
  "minio.rootPassword",
  "externalKafka.sasl.password",
  "externalKafka.sasl.username",
  "externalPulsar.authParams",
];


/** Environment variables Milvus maps onto config keys (paramtable env source: lower-cased, '_' and '.' stripped). */
const ENV = {
  minioAccessKey: "MINIO_ACCESS_KEY_ID", // minio.accessKeyID
  minioSecretKey: "MINIO_SECRET_ACCESS_KEY", // minio.secretAccessKey
  kafkaUser: "KAFKA_SASL_USERNAME", // kafka.saslUsername
  kafkaPassword: "KAFKA_SASL_PASSWORD", // kafka.saslPassword
  pulsarAuthParams: "PULSAR_AUTH_PARAMS", // pulsar.authParams
} as const;

/**
 * Resolves a spec's defaults against a chart version: mode (cluster), coordinators (the chart's default,
 * mixed from 4.2.4, and always mixed for 2.6), active-standby (on in cluster mode from 2.2.3) and message queue
 * (the chart's default for the mode).
 */
export function resolveSpec(spec: MilvusSpec, chart: ChartRecord): ResolvedSpec {
  const mode = spec.mode ?? "cluster";
  const topology = topologyFor(parseMilvusVersion(spec.version).version);
  const coordinators = spec.coordinators ?? topology.coordinatorsOnly ?? chartDefaultCoordinators(chart);
  const haCapable = compareVersions(spec.version, ROLLING_FROM_MILVUS) >= 0;
  return {
    ...spec,
    mode,
    coordinators,
    activeStandby: spec.activeStandby ?? (mode === "cluster" && haCapable),
    messageQueue: spec.messageQueue ?? freshDefaultQueue(chart, mode),
  };
}

/**
 * The queue a new release gets on a chart when `messageQueue` is unset: the chart's default, except Pulsar v2 on the
 * charts R-PULSAR2-CHARTS keeps Pulsar v2 releases off (4.2.21-4.2.26 default to it), where it is Pulsar v3, as the
 * chart README recommends for new instances (R-PULSAR2-FRESH).
 */
export function freshDefaultQueue(chart: ChartRecord, mode: ClusterMode): MessageQueue {
  const mq = chartDefaultMessageQueue(chart, mode);
  if (mq !== "pulsar") return mq;
  const excluded = CHART_EXCLUSIONS.some(
    (ex) =>
      ex.ruleId === "R-PULSAR2-CHARTS" &&
      compareVersions(chart.chart, ex.charts[0]) >= 0 &&
      // Stryker disable next-line ConditionalExpression,EqualityOperator: the cluster default is Pulsar v2 only below 4.2.27 (R-DEFAULT-FLIPS), so no chart above the range's end (4.2.29) gets here
      (ex.charts[1] === null || compareVersions(chart.chart, ex.charts[1]) <= 0),
  );
  return excluded ? "pulsarv3" : mq;
}

/** Components the topology runs at this version and mode. */
export function componentsRunning(spec: ResolvedSpec): ComponentName[] {
  if (spec.mode === "standalone") return ["standalone"];
  const topo = topologyFor(parseMilvusVersion(spec.version).version);
  const out: ComponentName[] = ["proxy", "queryNode", "dataNode"];
  if (spec.coordinators === "mixed") out.push("mixCoordinator");
  else out.push(...SEPARATE_COORDINATORS);
  if (topo.indexNode) out.push("indexNode");
  if (topo.streaming) out.push("streamingNode");
  return out;
}

/** Builder that only writes keys existing in the chart and remembers which spec field set each managed key. */
class ValuesWriter {
  readonly values: HelmValues = {};
  readonly managed = new Map<string, { value: unknown; field: string }>();

  constructor(
    private readonly chart: ChartRecord,
    private readonly catalog: Catalog,
  ) {}

  /** Writes `value` at `path` when the chart has the key; returns whether it was written. */
  put(path: readonly string[], value: unknown, field: string): boolean {
    const key = path.join(".");
    if (!this.catalog.keyExists(key, this.chart.chart)) return false;
    setPath(this.values, path, value);
    this.managed.set(key, { value, field });
    return true;
  }

  /** Whether the chart has the key. */
  has(path: readonly string[]): boolean {
    return this.catalog.keyExists(path.join("."), this.chart.chart);
  }
}

function envFromSecret(name: string, ref: SecretKeyRef): Record<string, unknown> {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The message queue a set of values enables, read back from the keys `valuesFor` writes: `pulsarv3.enabled`
 * (bundled Pulsar v3) is told apart from `pulsar.enabled` (Pulsar v2), although `standalone.messageQueue` calls
 * both "pulsar". Undefined when no queue key is enabled.
 * @param values complete values of one step
 */
export function enabledMessageQueue(values: HelmValues): MessageQueue | undefined {
  const on = (key: string) => getPath(values, [key, "enabled"]) === true;
  if (on("pulsarv3")) return "pulsarv3";
  if (on("pulsar")) return "pulsar";
  if (on("kafka")) return "kafka";
  if (on("woodpecker")) return "woodpecker";
  if (on("externalPulsar")) return "external-pulsar";
  if (on("externalKafka")) return "external-kafka";
  const standalone = getPath(values, ["standalone", "messageQueue"]);
  return standalone === "rocksmq" || standalone === "natsmq" ? standalone : undefined;
}

/** Checks the MQ against mode, chart and Milvus version (R-MQ-SUPPORT). */
export function messageQueueProblem(mq: MessageQueue, mode: ClusterMode, chart: string, milvus: string, field = "messageQueue"): InputProblem | undefined {
  const support = MQ_SUPPORT[mq];
  if (!support.modes.includes(mode)) {
    return { field, ruleId: "R-MQ-SUPPORT", message: `${mq} is not available in ${mode} mode`, fix: `use one of ${Object.entries(MQ_SUPPORT).filter(([, s]) => s.modes.includes(mode)).map(([k]) => k).join(", ")}` };
  }
  if (support.minChart && compareVersions(chart, support.minChart) < 0) {
    return { field, ruleId: "R-MQ-SUPPORT", message: `${mq} needs chart >= ${support.minChart}, but Milvus ${milvus} uses chart ${chart}`, fix: `use a later Milvus version or another message queue` };
  }
  if (support.minMilvus && compareVersions(milvus, support.minMilvus) < 0) {
    return { field, ruleId: "R-MQ-SUPPORT", message: `${mq} needs Milvus >= ${support.minMilvus}, got ${milvus}`, fix: `use Milvus >= ${support.minMilvus} or another message queue` };
  }
  if (support.removedInMilvus && compareVersions(milvus, support.removedInMilvus) >= 0) {
    // Stryker disable next-line Regex: "2.6.0-0" has a single "-0", at its end; /-0/ removes the same
    const removed = support.removedInMilvus.replace(/-0$/, "");
    return {
      field,
      ruleId: "R-MQ-SUPPORT",
      message: `${mq} was removed in Milvus ${removed} (milvus-io/milvus#41564), got ${milvus}`,
      fix: `a new ${removed}+ release uses woodpecker, rocksmq, pulsarv3 or kafka; a ${mq} release stays on Milvus < ${removed}, or moves its data with milvus-backup to a new release on another queue`,
    };
  }
  return undefined;
}

/**
 * Returns the complete Helm values for one chart version from a version-independent spec. Every key whose chart
 * default ever flipped is written explicitly (R-DEFAULT-FLIPS, R-STANDALONE-MQ, R-PULSAR2-PIN); every key written
 * exists in that chart version; credentials are referenced from Secrets only; `helmValues` are deep-merged and
 * may not contradict a managed key. Throws `MilvusClusterError` listing every problem.
 * @param spec the desired deployment
 * @param chartVersion the chart version to produce values for (must be known to the catalog, >= 3.0.0)
 */
export function valuesFor(spec: MilvusSpec, chartVersion: string, options: ValuesForOptions = {}): HelmValues {
  const shape = validateSpecShape(spec);
  if (shape.length > 0) throw new MilvusClusterError(shape);
  const catalog = options.catalog ?? Catalog.builtin;
  const chart = catalog.chartRecord(chartVersion);
  if (!chart || compareVersions(chart.chart, OLDEST_SUPPORTED_CHART) < 0) {
    throw new MilvusClusterError([
      { field: "chartVersion", ruleId: "R-KNOWN-VERSION", message: `chart ${chartVersion} is ${chart ? "older than 3.0.0 (Milvus 2.0 release candidates)" : "unknown"}`, fix: chart ? "use a chart >= 3.0.0 (Milvus 2.0.0 GA and later)" : `use a chart the catalog knows (milvus-cluster versions); for a chart published after this catalog: ${CATALOG_UPDATE_HINT}` },
    ]);
  }
  const version = parseMilvusVersion(spec.version).version;
  const r = resolveSpec({ ...spec, version }, chart);
  const problems: InputProblem[] = [];
  const topo = topologyFor(version);
  const w = new ValuesWriter(chart, catalog);
  const cluster = r.mode === "cluster";

  // Mode and image.
  w.put(["cluster", "enabled"], cluster, "mode");
  w.put(["image", "all", "repository"], r.imageRepository ?? "milvusdb/milvus", "imageRepository");
  w.put(["image", "all", "tag"], chart.milvus === version ? chart.imageTag : `v${version}`, "version");

  // Topology (R-26-TOPOLOGY, R-DEFAULT-FLIPS).
  if (topo.coordinatorsOnly && r.coordinators !== topo.coordinatorsOnly) {
    problems.push({ field: "coordinators", ruleId: topo.ruleId, message: `Milvus ${version} supports only ${topo.coordinatorsOnly} coordinators, got ${r.coordinators}`, fix: `set coordinators: ${topo.coordinatorsOnly} (or leave it unset)` });
  }
  if (r.coordinators === "mixed" && !w.has(["mixCoordinator", "enabled"])) {
    problems.push({ field: "coordinators", ruleId: "R-DEFAULT-FLIPS", message: `mixCoordinator does not exist in chart ${chart.chart} (added in 4.0.9)`, fix: "use coordinators: separate for this version" });
  }
  const mixed = r.coordinators === "mixed";
  w.put(["mixCoordinator", "enabled"], mixed, "coordinators");
  for (const c of SEPARATE_COORDINATORS) w.put([c, "enabled"], !mixed, "coordinators");
  if (r.activeStandby && compareVersions(version, ROLLING_FROM_MILVUS) < 0) {
    problems.push({ field: "activeStandby", ruleId: "R-COORD-HA", message: `active-standby coordinators need Milvus >= ${ROLLING_FROM_MILVUS}, got ${version}`, fix: "set activeStandby: false for this version" });
  }
  for (const c of ["mixCoordinator", ...SEPARATE_COORDINATORS]) w.put([c, "activeStandby", "enabled"], r.activeStandby, "activeStandby");
  w.put(["indexNode", "enabled"], topo.indexNode, "version");
  w.put(["streaming", "enabled"], topo.streaming, "version");

  // Message queue (R-MQ-SUPPORT, R-PULSAR2-PIN, R-STANDALONE-MQ).
  const mq = r.messageQueue;
  const mqProblem = messageQueueProblem(mq, r.mode, chart.chart, version);
  if (mqProblem) problems.push(mqProblem);
  w.put(["pulsar", "enabled"], mq === "pulsar", "messageQueue");
  w.put(["pulsarv3", "enabled"], mq === "pulsarv3", "messageQueue");
  w.put(["kafka", "enabled"], mq === "kafka", "messageQueue");
  w.put(["woodpecker", "enabled"], mq === "woodpecker", "messageQueue");
  w.put(["externalPulsar", "enabled"], mq === "external-pulsar", "messageQueue");
  w.put(["externalKafka", "enabled"], mq === "external-kafka", "messageQueue");
  w.put(["standalone", "messageQueue"], MQ_TYPE_OF[mq], "messageQueue");

  const envFor: Record<string, unknown>[] = [];
  // validateSpecShape accepts externalPulsar only with messageQueue external-pulsar (and externalKafka likewise).
  if (r.externalPulsar) {
    const p = r.externalPulsar;
    w.put(["externalPulsar", "host"], p.host, "externalPulsar.host");
    w.put(["externalPulsar", "port"], p.port ?? 6650, "externalPulsar.port");
    if (p.tenant !== undefined && !w.put(["externalPulsar", "tenant"], p.tenant, "externalPulsar.tenant")) {
      problems.push({ field: "externalPulsar.tenant", ruleId: "R-INPUT", message: `chart ${chart.chart} has no externalPulsar.tenant`, fix: "remove tenant or use a later version" });
    }
    if (p.namespace !== undefined && !w.put(["externalPulsar", "namespace"], p.namespace, "externalPulsar.namespace")) {
      problems.push({ field: "externalPulsar.namespace", ruleId: "R-INPUT", message: `chart ${chart.chart} has no externalPulsar.namespace`, fix: "remove namespace or use a later version" });
    }
    if (p.authPlugin !== undefined) w.values["externalPulsar"] = { ...(w.values["externalPulsar"] as object), authPlugin: p.authPlugin };
    if (p.authParams) envFor.push(envFromSecret(ENV.pulsarAuthParams, p.authParams));
  }
  if (r.externalKafka) {
    const k = r.externalKafka;
    w.put(["externalKafka", "brokerList"], k.brokerList, "externalKafka.brokerList");
    w.put(["externalKafka", "securityProtocol"], k.securityProtocol ?? "SASL_SSL", "externalKafka.securityProtocol");
    w.put(["externalKafka", "sasl"], { mechanisms: k.saslMechanisms ?? "PLAIN" }, "externalKafka.saslMechanisms");
    if (k.saslUsername) envFor.push(envFromSecret(ENV.kafkaUser, k.saslUsername));
    if (k.saslPassword) envFor.push(envFromSecret(ENV.kafkaPassword, k.saslPassword));
  }

  // etcd.
  const etcdEndpoints = r.externalEtcdEndpoints ?? [];
  const externalEtcd = etcdEndpoints.length > 0;
  w.put(["etcd", "enabled"], !externalEtcd, "externalEtcdEndpoints");
  w.put(["externalEtcd", "enabled"], externalEtcd, "externalEtcdEndpoints");
  if (externalEtcd) w.put(["externalEtcd", "endpoints"], [...etcdEndpoints], "externalEtcdEndpoints");
  else if (r.etcdReplicas !== undefined || !cluster) w.put(["etcd", "replicaCount"], r.etcdReplicas ?? 1, "etcdReplicas");

  // Object storage.
  const s3 = r.externalObjectStorage;
  w.put(["minio", "enabled"], !s3, "externalObjectStorage");
  w.put(["externalS3", "enabled"], Boolean(s3), "externalObjectStorage");
  if (s3) {
    w.put(["externalS3", "host"], s3.host, "externalObjectStorage.host");
    w.put(["externalS3", "port"], s3.port ?? 443, "externalObjectStorage.port");
    w.put(["externalS3", "bucketName"], s3.bucket, "externalObjectStorage.bucket");
    if (s3.rootPath !== undefined) w.put(["externalS3", "rootPath"], s3.rootPath, "externalObjectStorage.rootPath");
    w.put(["externalS3", "useSSL"], s3.useSSL ?? true, "externalObjectStorage.useSSL");
    w.put(["externalS3", "useIAM"], s3.useIAM ?? false, "externalObjectStorage.useIAM");
    if (s3.cloudProvider !== undefined && !w.put(["externalS3", "cloudProvider"], s3.cloudProvider, "externalObjectStorage.cloudProvider")) {
      problems.push({ field: "externalObjectStorage.cloudProvider", ruleId: "R-INPUT", message: `chart ${chart.chart} has no externalS3.cloudProvider`, fix: "remove cloudProvider or use a later version" });
    }
    if (s3.region !== undefined && !w.put(["externalS3", "region"], s3.region, "externalObjectStorage.region")) {
      problems.push({ field: "externalObjectStorage.region", ruleId: "R-INPUT", message: `chart ${chart.chart} has no externalS3.region (added by 4.1.29)`, fix: "remove region or use a later version" });
    }
    if (s3.accessKeyId) envFor.push(envFromSecret(ENV.minioAccessKey, s3.accessKeyId));
    if (s3.secretAccessKey) envFor.push(envFromSecret(ENV.minioSecretKey, s3.secretAccessKey));
  } else {
    if (!cluster) w.put(["minio", "mode"], "standalone", "mode");
    if (r.minioCredentialsSecret) {
      w.put(["minio", "existingSecret"], r.minioCredentialsSecret, "minioCredentialsSecret");
      envFor.push(envFromSecret(ENV.minioAccessKey, { name: r.minioCredentialsSecret, key: "accesskey" }));
      envFor.push(envFromSecret(ENV.minioSecretKey, { name: r.minioCredentialsSecret, key: "secretkey" }));
    }
  }

  // Components: replicas, resources and credential env (R-COORD-HA).
  const running = componentsRunning(r);
  const componentFields: ComponentName[] = [
    "proxy",
    "mixCoordinator",
    ...SEPARATE_COORDINATORS,
    "queryNode",
    "dataNode",
    "indexNode",
    "streamingNode",
    "standalone",
  ];
  for (const c of componentFields) {
    const cs = (r as unknown as Record<string, ComponentSpec | undefined>)[c];
    if (cs && !running.includes(c)) {
      if (!options.intermediateStop) {
        problems.push({ field: c, ruleId: c === "indexNode" || c === "streamingNode" ? "R-26-TOPOLOGY" : "R-INPUT", message: `${c} does not run for Milvus ${version} in ${r.mode} mode with ${r.coordinators} coordinators`, fix: `remove ${c} settings (running: ${running.join(", ")})` });
      }
      continue;
    }
    const hpa = getPath(r.helmValues ?? {}, [c, "hpa", "enabled"]);
    if (cs?.replicas !== undefined && hpa === true) {
      problems.push({ field: `helmValues.${c}.hpa`, ruleId: "R-INPUT", message: `${c} sets fixed replicas (${cs.replicas}) and an HPA; the HPA owns the replica count and the two would fight`, fix: `remove ${c}.replicas or the HPA` });
    }
    if (cs?.replicas !== undefined) {
      const isCoord = c === "mixCoordinator" || SEPARATE_COORDINATORS.includes(c);
      if (isCoord && cs.replicas > 1 && !r.activeStandby) {
        problems.push({ field: `${c}.replicas`, ruleId: "R-COORD-HA", message: `${c} with ${cs.replicas} replicas needs active-standby`, fix: "set activeStandby: true or replicas: 1" });
      }
      w.put([c, "replicas"], cs.replicas, `${c}.replicas`);
    }
    if (cs?.resources !== undefined) w.put([c, "resources"], cs.resources, `${c}.resources`);
  }
  if (envFor.length > 0) {
    // A copy per component: shared objects would come out of YAML serialisation as anchors and aliases. (JSON, not
    // structuredClone, which creates arrays of another realm under jest and breaks instanceof checks downstream.)
    for (const c of running) w.put([c, "extraEnv"], JSON.parse(JSON.stringify(envFor)), "credentials");
  }

  // Milvus configuration (R-CONFIG-FILES), never a credential (R-INPUT) nor another queue (R-MQ-KEEP).
  const config = r.milvusConfig ?? {};
  problems.push(...plainCredentialProblems(config, "milvusConfig"));
  const configMq = mqTypeProblem(config, "milvusConfig", mq);
  if (configMq) problems.push(configMq);
  if (Object.keys(config).length > 0 && (w.has(["extraConfigFiles", "user.yaml"]) || !options.intermediateStop)) {
    if (!w.put(["extraConfigFiles", "user.yaml"], yaml().stringify(config), "milvusConfig")) {
      problems.push({ field: "milvusConfig", ruleId: "R-CONFIG-FILES", message: `chart ${chart.chart} has no extraConfigFiles (added in 3.3.2)`, fix: "use helmValues with that chart's shortcut keys, or a version on chart >= 3.3.2" });
    }
  }

  // Raw overrides.
  const overrides = r.helmValues ?? {};
  // Credentials by any path or type: keys of Milvus' config and of every subchart, extraEnv, config files (R-INPUT).
  const credentialFields = new Set<string>();
  for (const p of plainCredentialProblems(overrides, "helmValues")) {
    credentialFields.add(p.field);
    problems.push(p);
  }
  for (const [path, value] of leafPaths(overrides)) {
    const key = path.join(".");
    if (CREDENTIAL_PATHS.some((p) => key === p || key.startsWith(`${p}.`)) && value !== "" && value !== undefined && value !== null && !credentialFields.has(`helmValues.${key}`)) {
      problems.push({ field: `helmValues.${key}`, ruleId: "R-INPUT", message: "credentials are never accepted as plain Helm values", fix: "reference a Secret (externalObjectStorage.accessKeyId/secretAccessKey, externalKafka.saslPassword, externalPulsar.authParams, minioCredentialsSecret)" });
    }
    if (compareVersions(chart.chart, SHORTCUT_KEYS_REMOVED_IN) >= 0 && REMOVED_SHORTCUT_KEYS.some((p) => key === p || key.startsWith(`${p}.`))) {
      problems.push({ field: `helmValues.${key}`, ruleId: "R-CONFIG-FILES", message: `${key} was removed in chart 4.0.0 and is ignored by chart ${chart.chart}`, fix: "set it in milvusConfig instead (extraConfigFiles.user.yaml)" });
    }
  }
  const tracked = new Set(catalog.managedKeys());
  for (const [path] of leafPaths(overrides)) {
    // A config file's name stays one path element (["extraConfigFiles", "user.yaml"]), so the joined key is the catalog's.
    const key = path.join(".");
    if (tracked.has(key) && !catalog.keyExists(key, chart.chart)) {
      problems.push({ field: `helmValues.${key}`, ruleId: "R-CHART-KEYS", message: `${key} does not exist in chart ${chart.chart}; Helm would ignore it`, fix: "remove it for this version" });
    }
  }
  // Config files given directly must not switch the queue either (R-MQ-KEEP).
  const files = getPath(overrides, ["extraConfigFiles"]);
  if (isPlainObject(files)) {
    for (const [name, text] of Object.entries(files)) {
      if (typeof text !== "string") continue;
      const parsed = parseConfigFile(text, `helmValues.extraConfigFiles.${name}`);
      if (parsed.problem) problems.push(parsed.problem);
      const p = parsed.doc ? mqTypeProblem(parsed.doc, `helmValues.extraConfigFiles.${name}`, mq) : undefined;
      if (p) problems.push(p);
    }
  }
  // Replicas given through helmValues get the checks of the typed fields (R-INPUT, R-COORD-HA).
  for (const c of componentFields) {
    const res = getPath(overrides, [c, "resources"]);
    if (res !== undefined) resourcesProblems(res, `helmValues.${c}.resources`, problems);
    const raw = getPath(overrides, [c, "replicas"]);
    if (raw === undefined) continue;
    const field = `helmValues.${c}.replicas`;
    const replicaProblem = replicasProblem(raw, field);
    if (replicaProblem) {
      problems.push(replicaProblem);
      continue;
    }
    const isCoord = c === "mixCoordinator" || SEPARATE_COORDINATORS.includes(c);
    if (isCoord && (raw as number) > 1 && !r.activeStandby) {
      problems.push({ field, ruleId: "R-COORD-HA", message: `${c} with ${String(raw)} replicas needs active-standby`, fix: "set activeStandby: true or replicas: 1" });
    }
    if (getPath(overrides, [c, "hpa", "enabled"]) === true) {
      problems.push({ field: `helmValues.${c}.hpa`, ruleId: "R-INPUT", message: `${c} sets fixed replicas (${String(raw)}) and an HPA; the HPA owns the replica count and the two would fight`, fix: `remove ${c}.replicas or the HPA` });
    }
  }
  for (const [key, m] of w.managed) {
    const path = key === "extraConfigFiles.user.yaml" ? ["extraConfigFiles", "user.yaml"] : key.split(".");
    // null or a scalar in place of a managed subtree (pulsar: null, image.all: "repo:tag", streaming: false) would
    // replace the whole map and break the chart (R-RESET-VALUES).
    const cut = path.findIndex((_, i) => i < path.length - 1 && (() => {
      const v = getPath(overrides, path.slice(0, i + 1));
      return v !== undefined && !isPlainObject(v);
    })());
    if (cut >= 0) {
      const prefix = path.slice(0, cut + 1).join(".");
      if (!problems.some((p) => p.field === `helmValues.${prefix}`)) {
        problems.push({ field: `helmValues.${prefix}`, ruleId: "R-RESET-VALUES", message: `${JSON.stringify(getPath(overrides, path.slice(0, cut + 1)))} replaces the map that holds the managed key ${key} (set from ${m.field}); Helm would drop the chart's whole ${prefix} section`, fix: `remove helmValues.${prefix}, or set keys inside it as a map (${key} is managed: change ${m.field} instead)` });
      }
      continue;
    }
    const o = getPath(overrides, path);
    if (o !== undefined && !sameValue(o, m.value)) {
      problems.push({ field: `helmValues.${key}`, ruleId: "R-RESET-VALUES", message: `contradicts the managed key ${key} (${JSON.stringify(m.value)}, set from ${m.field})`, fix: `change ${m.field} instead, or remove helmValues.${key}` });
    }
  }
  if (problems.length > 0) throw new MilvusClusterError(problems, `invalid values for Milvus ${version} on chart ${chart.chart}`);
  // helmValues is a plain object here: validateSpecShape refused anything else.
  return deepMerge(w.values, overrides);
}
