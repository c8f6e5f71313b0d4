import type { InputProblem } from "../errors";
import { dns1123LabelProblem, dns1123SubdomainProblem, HOST_PORT, PORT } from "../util/names";
import { isMilvusVersion } from "../versions/versions";
import { COMPONENTS, type ComponentSpec, MESSAGE_QUEUES, type MilvusSpec, type SecretKeyRef } from "./types";

/** Fields `MilvusSpec` accepts; anything else is refused (a typo must not be silently ignored). */
export const SPEC_FIELDS: readonly string[] = [
  "version",
  "chartVersion",
  "mode",
  "coordinators",
  "activeStandby",
  "messageQueue",
  "externalPulsar",
  "externalKafka",
  "externalEtcdEndpoints",
  "etcdReplicas",
  "externalObjectStorage",
  "minioCredentialsSecret",
  ...COMPONENTS,
  "milvusConfig",
  "imageRepository",
  "helmValues",
];

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** The longest Secret key Kubernetes accepts (DNS1123SubdomainMaxLength). */
const MAX_SECRET_KEY = 253;
const HOST = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;
/**
 * An image repository without tag or digest, the grammar of distribution/reference (reference.go, regexp.go):
 * `[domain '/'] path-component ('/' path-component)*`, a domain of host components (letters of either case, digits,
 * inner `-`) with an optional port 1-65535, path components of lower-case letters and digits joined by `.`, `_`,
 * `__` or a run of `-`; at most 255 characters in all (NameTotalLengthMax).
 */
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_REPOSITORY = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::${PORT})?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const MAX_IMAGE_REPOSITORY = 255;
/**
 * Kubernetes quantity grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go), without the sign: container
 * resources must be non-negative. `<number><suffix>` with suffix a binary SI (Ki..Ei), a decimal SI (n u m "" k M G T
 * P E) or a decimal exponent (e3, E-2).
 */
const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const QUANTITY_PARTS = /^\+?((?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SUFFIX_FACTOR: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The numeric value of a valid quantity (precise enough to compare a limit with a request). */
export function quantityValue(q: string): number {
  const m = QUANTITY_PARTS.exec(q);
  if (!m) return Number.NaN;
  const suffix = m[2] ?? "";
  // The SI suffixes first: "E" (exa) and "Ei" (exbi) also start with the letter of a decimal exponent ("1e3", "2E-2").
  // Stryker disable next-line ConditionalExpression,StringLiteral: without a suffix the lookup misses and 10 ** Number("") is 1, so the "" shortcut only saves time
  const factor = suffix === "" ? 1 : (SUFFIX_FACTOR[suffix] ?? 10 ** Number(suffix.slice(1)));
  return Number(m[1]) * factor;
}

/**
 * Container resource names Kubernetes accepts: the standard cpu, memory, ephemeral-storage and hugepages-<size>, or
 * an extended resource qualified by a domain (nvidia.com/gpu).
 */
const RESOURCE_NAME = /^(cpu|memory|ephemeral-storage|hugepages-[0-9]+(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPE])?|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/** Replicas of a Deployment: a Kubernetes int32, non-negative. */
export const MAX_REPLICAS = 2 ** 31 - 1;

/** Checks a replica count (typed field or helmValues): a non-negative int32. */
export function replicasProblem(value: unknown, field: string): InputProblem | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_REPLICAS) {
    return { field, ruleId: "R-INPUT", message: `replicas must be a non-negative integer, got ${JSON.stringify(value)}`, fix: `use 0, 1, 2, ... up to ${MAX_REPLICAS} (a Kubernetes int32)` };
  }
  return undefined;
}
const PLAIN_TOKEN = /^[A-Za-z0-9_.-]+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function secretRefProblems(ref: unknown, field: string, out: InputProblem[]): void {
  if (!isObject(ref)) {
    out.push({ field, ruleId: "R-INPUT", message: "must be a Secret reference { name, key }", fix: `set ${field}: { name: "my-secret", key: "my-key" }` });
    return;
  }
  const r = ref as unknown as SecretKeyRef;
  const nameProblem = dns1123SubdomainProblem(r.name);
  if (nameProblem) out.push({ field: `${field}.name`, ruleId: "R-INPUT", message: `Secret name ${nameProblem}`, fix: "use the name of a Secret in the release namespace" });
  // Kubernetes' IsConfigMapKey (k8s.io/apimachinery pkg/util/validation) also refuses keys longer than 253
  // characters, "." and any key starting with "..": no Secret holds such a key, and a pod's secretKeyRef naming one
  // is refused by the API server.
  if (typeof r.key !== "string" || !SECRET_KEY.test(r.key) || r.key.length > MAX_SECRET_KEY || r.key === "." || r.key.startsWith("..")) {
    out.push({ field: `${field}.key`, ruleId: "R-INPUT", message: `Secret key ${JSON.stringify(r.key)} is not a valid key`, fix: `use letters, digits, '-', '_' or '.', at most ${MAX_SECRET_KEY} characters, not "." and not starting with ".."` });
  }
}

function componentProblems(c: unknown, field: string, out: InputProblem[]): void {
  if (!isObject(c)) {
    out.push({ field, ruleId: "R-INPUT", message: "must be an object { replicas?, resources? }", fix: `set ${field}: { replicas: 2 }` });
    return;
  }
  for (const k of Object.keys(c)) {
    if (k !== "replicas" && k !== "resources") {
      out.push({ field: `${field}.${k}`, ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: "use replicas or resources; other chart settings go in helmValues" });
    }
  }
  const spec = c as ComponentSpec;
  if (spec.replicas !== undefined) {
    const p = replicasProblem(spec.replicas, `${field}.replicas`);
    if (p) out.push(p);
  }
  if (spec.resources !== undefined) resourcesProblems(spec.resources, `${field}.resources`, out);
}

/** Checks container resources: `{ requests?, limits? }` maps of resource names to quantities, limits >= requests. */
export function resourcesProblems(resources: unknown, field: string, out: InputProblem[]): void {
  if (!isObject(resources)) {
    out.push({ field, ruleId: "R-INPUT", message: "resources must be { requests?, limits? }", fix: 'e.g. { requests: { cpu: "1", memory: "4Gi" } }' });
    return;
  }
  const parsed: Record<string, Record<string, number>> = {};
  for (const [part, map] of Object.entries(resources)) {
    if (part !== "requests" && part !== "limits") {
      out.push({ field: `${field}.${part}`, ruleId: "R-INPUT", message: `unknown field "${part}"`, fix: "use requests or limits" });
      continue;
    }
    if (!isObject(map)) {
      out.push({ field: `${field}.${part}`, ruleId: "R-INPUT", message: `${part} must be a map of resource names to quantities, got ${JSON.stringify(map)}`, fix: `e.g. ${part}: { cpu: "1", memory: "2Gi" }` });
      continue;
    }
    parsed[part] = {};
    for (const [name, q] of Object.entries(map)) {
      if (!RESOURCE_NAME.test(name)) {
        out.push({ field: `${field}.${part}.${name}`, ruleId: "R-INPUT", message: `"${name}" is not a Kubernetes resource name`, fix: "use cpu, memory, ephemeral-storage, hugepages-<size> or a qualified extended resource such as nvidia.com/gpu" });
        continue;
      }
      // Stryker disable next-line ConditionalExpression,LogicalOperator: Number.isFinite is true for finite numbers only, so either operand alone (or ||) decides alike; a non-finite number is refused as a string or as a number
      const text = typeof q === "number" && Number.isFinite(q) ? String(q) : q;
      if (typeof text !== "string" || !QUANTITY.test(text)) {
        // Stryker disable next-line EqualityOperator: a number reaches here only when it is negative or not finite (0 is a quantity), so q < 0 and q <= 0 agree
        const negative = (typeof q === "string" && q.trim().startsWith("-")) || (typeof q === "number" && q < 0);
        out.push({ field: `${field}.${part}.${name}`, ruleId: "R-INPUT", message: negative ? `${JSON.stringify(q)} is negative; resources are non-negative` : `${JSON.stringify(q)} is not a Kubernetes quantity`, fix: 'use e.g. "500m", "2", "4Gi"' });
        continue;
      }
      parsed[part]![name] = quantityValue(text);
    }
  }
  for (const [name, limit] of Object.entries(parsed["limits"] ?? {})) {
    const request = parsed["requests"]?.[name];
    // Stryker disable next-line ConditionalExpression: limit < undefined is false, so dropping the undefined check changes nothing
    if (request !== undefined && limit < request) {
      out.push({ field: `${field}.limits.${name}`, ruleId: "R-INPUT", message: `the limit ${JSON.stringify((resources as Record<string, Record<string, unknown>>)["limits"]![name])} is below the request ${JSON.stringify((resources as Record<string, Record<string, unknown>>)["requests"]![name])}; Kubernetes refuses the pod`, fix: `raise limits.${name} to at least the request, or lower requests.${name}` });
    }
  }
}

/**
 * Checks the shape of a spec (not its compatibility with a chart; `valuesFor` and the planner do that).
 * Returns every problem found.
 * @param spec the spec to check
 * @param prefix field prefix for messages (e.g. "" or "spec.")
 */
export function validateSpecShape(spec: unknown, prefix = ""): InputProblem[] {
  const out: InputProblem[] = [];
  const f = (name: string) => `${prefix}${name}`;
  if (!isObject(spec)) {
    return [{ field: prefix || "spec", ruleId: "R-INPUT", message: "must be an object", fix: "pass { version: \"2.6.4\", ... }" }];
  }
  for (const k of Object.keys(spec)) {
    if (!SPEC_FIELDS.includes(k)) {
      out.push({ field: f(k), ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: `use one of: ${SPEC_FIELDS.join(", ")}` });
    }
  }
  const s = spec as unknown as MilvusSpec;
  if (typeof s.version !== "string" || !isMilvusVersion(s.version)) {
    out.push({ field: f("version"), ruleId: "R-VERSION-FORMAT", message: `${JSON.stringify(s.version)} is not a Milvus version`, fix: "use e.g. 2.6.4" });
  }
  if (s.chartVersion !== undefined && (typeof s.chartVersion !== "string" || !isMilvusVersion(s.chartVersion))) {
    out.push({ field: f("chartVersion"), ruleId: "R-VERSION-FORMAT", message: `${JSON.stringify(s.chartVersion)} is not a chart version`, fix: "use e.g. 5.0.6, or leave it unset" });
  }
  if (s.mode !== undefined && s.mode !== "cluster" && s.mode !== "standalone") {
    out.push({ field: f("mode"), ruleId: "R-INPUT", message: `${JSON.stringify(s.mode)} is not a mode`, fix: "use cluster or standalone" });
  }
  if (s.coordinators !== undefined && s.coordinators !== "mixed" && s.coordinators !== "separate") {
    out.push({ field: f("coordinators"), ruleId: "R-INPUT", message: `${JSON.stringify(s.coordinators)} is not a coordinator topology`, fix: "use mixed or separate" });
  }
  if (s.activeStandby !== undefined && typeof s.activeStandby !== "boolean") {
    out.push({ field: f("activeStandby"), ruleId: "R-INPUT", message: "must be true or false", fix: "use a boolean" });
  }
  if (s.messageQueue !== undefined && !MESSAGE_QUEUES.includes(s.messageQueue)) {
    out.push({ field: f("messageQueue"), ruleId: "R-MQ-SUPPORT", message: `${JSON.stringify(s.messageQueue)} is not a message queue`, fix: `use one of: ${MESSAGE_QUEUES.join(", ")}` });
  }
  if (s.messageQueue === "external-pulsar" && !s.externalPulsar) {
    out.push({ field: f("externalPulsar"), ruleId: "R-MQ-SUPPORT", message: "messageQueue external-pulsar needs externalPulsar", fix: "set externalPulsar: { host }" });
  }
  if (s.messageQueue === "external-kafka" && !s.externalKafka) {
    out.push({ field: f("externalKafka"), ruleId: "R-MQ-SUPPORT", message: "messageQueue external-kafka needs externalKafka", fix: "set externalKafka: { brokerList }" });
  }
  if (s.externalPulsar !== undefined && s.messageQueue !== "external-pulsar") {
    out.push({ field: f("externalPulsar"), ruleId: "R-MQ-SUPPORT", message: "externalPulsar is set but messageQueue is not external-pulsar", fix: "set messageQueue: external-pulsar or remove externalPulsar" });
  }
  if (s.externalKafka !== undefined && s.messageQueue !== "external-kafka") {
    out.push({ field: f("externalKafka"), ruleId: "R-MQ-SUPPORT", message: "externalKafka is set but messageQueue is not external-kafka", fix: "set messageQueue: external-kafka or remove externalKafka" });
  }
  if (isObject(s.externalPulsar)) {
    const p = s.externalPulsar;
    if (typeof p.host !== "string" || !HOST.test(p.host)) out.push({ field: f("externalPulsar.host"), ruleId: "R-INPUT", message: `${JSON.stringify(p.host)} is not a host name`, fix: "use e.g. pulsar.example.com" });
    if (p.port !== undefined && (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) out.push({ field: f("externalPulsar.port"), ruleId: "R-INPUT", message: `port ${JSON.stringify(p.port)} is out of range`, fix: "use 1-65535" });
    for (const k of ["tenant", "namespace", "authPlugin"] as const) {
      const v = p[k];
      if (v !== undefined && (typeof v !== "string" || !PLAIN_TOKEN.test(v))) out.push({ field: f(`externalPulsar.${k}`), ruleId: "R-INPUT", message: `${JSON.stringify(v)} has characters outside [A-Za-z0-9_.-]`, fix: "use a plain name" });
    }
    if (p.authParams !== undefined) secretRefProblems(p.authParams, f("externalPulsar.authParams"), out);
  }
  if (isObject(s.externalKafka)) {
    const k = s.externalKafka;
    // Stryker disable next-line ArrayDeclaration: any non-empty list in place of [] fails HOST_PORT too, so a non-string brokerList is refused alike
    const brokers = typeof k.brokerList === "string" ? k.brokerList.split(",") : [];
    if (brokers.length === 0 || !brokers.every((b) => HOST_PORT.test(b.trim()))) {
      out.push({ field: f("externalKafka.brokerList"), ruleId: "R-INPUT", message: `${JSON.stringify(k.brokerList)} is not a list of host:port`, fix: "use e.g. kafka-0.example.com:9092,kafka-1.example.com:9092" });
    }
    for (const key of ["securityProtocol", "saslMechanisms"] as const) {
      const v = k[key];
      if (v !== undefined && (typeof v !== "string" || !PLAIN_TOKEN.test(v))) out.push({ field: f(`externalKafka.${key}`), ruleId: "R-INPUT", message: `${JSON.stringify(v)} has characters outside [A-Za-z0-9_.-]`, fix: "use e.g. SASL_SSL / PLAIN" });
    }
    if (k.saslUsername !== undefined) secretRefProblems(k.saslUsername, f("externalKafka.saslUsername"), out);
    if (k.saslPassword !== undefined) secretRefProblems(k.saslPassword, f("externalKafka.saslPassword"), out);
  }
  if (s.externalEtcdEndpoints !== undefined) {
    if (!Array.isArray(s.externalEtcdEndpoints) || !s.externalEtcdEndpoints.every((e) => typeof e === "string" && HOST_PORT.test(e))) {
      out.push({ field: f("externalEtcdEndpoints"), ruleId: "R-INPUT", message: `${JSON.stringify(s.externalEtcdEndpoints)} is not a list of host:port`, fix: 'use e.g. ["etcd-0.etcd:2379"]' });
    }
  }
  if (s.etcdReplicas !== undefined && (!Number.isInteger(s.etcdReplicas) || s.etcdReplicas < 1 || s.etcdReplicas > MAX_REPLICAS)) {
    out.push({ field: f("etcdReplicas"), ruleId: "R-INPUT", message: `etcdReplicas must be a positive integer, got ${JSON.stringify(s.etcdReplicas)}`, fix: "use 1 or 3" });
  }
  if (s.externalObjectStorage !== undefined) {
    const o = s.externalObjectStorage;
    if (!isObject(o)) {
      out.push({ field: f("externalObjectStorage"), ruleId: "R-INPUT", message: "must be an object", fix: "set { host, bucket, accessKeyId, secretAccessKey }" });
    } else {
      if (typeof o.host !== "string" || !HOST.test(o.host)) out.push({ field: f("externalObjectStorage.host"), ruleId: "R-INPUT", message: `${JSON.stringify(o.host)} is not a host name`, fix: "use e.g. s3.amazonaws.com" });
      if (typeof o.bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(o.bucket)) out.push({ field: f("externalObjectStorage.bucket"), ruleId: "R-INPUT", message: `${JSON.stringify(o.bucket)} is not a bucket name`, fix: "use 3-63 lower-case letters, digits, '.' or '-'" });
      if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) out.push({ field: f("externalObjectStorage.port"), ruleId: "R-INPUT", message: `port ${JSON.stringify(o.port)} is out of range`, fix: "use 1-65535" });
      if (o.rootPath !== undefined && (typeof o.rootPath !== "string" || !/^[A-Za-z0-9_./-]*$/.test(o.rootPath))) out.push({ field: f("externalObjectStorage.rootPath"), ruleId: "R-INPUT", message: `${JSON.stringify(o.rootPath)} has characters outside [A-Za-z0-9_./-]`, fix: "use a plain path" });
      for (const k of ["cloudProvider", "region"] as const) {
        const v = o[k];
        if (v !== undefined && (typeof v !== "string" || !PLAIN_TOKEN.test(v))) out.push({ field: f(`externalObjectStorage.${k}`), ruleId: "R-INPUT", message: `${JSON.stringify(v)} has characters outside [A-Za-z0-9_.-]`, fix: "use e.g. aws / eu-central-1" });
      }
      if (!o.useIAM) {
        if (o.accessKeyId === undefined || o.secretAccessKey === undefined) {
          out.push({ field: f("externalObjectStorage.accessKeyId"), ruleId: "R-INPUT", message: "external object storage needs credentials from a Secret (accessKeyId and secretAccessKey) or useIAM: true", fix: "create a Secret and reference it: accessKeyId: { name, key }, secretAccessKey: { name, key }" });
        }
      }
      if (o.accessKeyId !== undefined) secretRefProblems(o.accessKeyId, f("externalObjectStorage.accessKeyId"), out);
      if (o.secretAccessKey !== undefined) secretRefProblems(o.secretAccessKey, f("externalObjectStorage.secretAccessKey"), out);
    }
  }
  if (s.minioCredentialsSecret !== undefined) {
    const p = dns1123SubdomainProblem(s.minioCredentialsSecret);
    if (p) out.push({ field: f("minioCredentialsSecret"), ruleId: "R-INPUT", message: `Secret name ${p}`, fix: "use the name of a Secret with keys accesskey and secretkey" });
    if (s.externalObjectStorage !== undefined) out.push({ field: f("minioCredentialsSecret"), ruleId: "R-INPUT", message: "minioCredentialsSecret applies to the bundled MinIO, but externalObjectStorage is set", fix: "remove one of them" });
  }
  for (const c of COMPONENTS) {
    const v = (s as unknown as Record<string, unknown>)[c];
    if (v !== undefined) componentProblems(v, f(c), out);
  }
  if (s.milvusConfig !== undefined && !isObject(s.milvusConfig)) {
    out.push({ field: f("milvusConfig"), ruleId: "R-INPUT", message: "must be an object of milvus.yaml settings", fix: "e.g. { common: { security: { authorizationEnabled: true } } }" });
  }
  if (s.imageRepository !== undefined && (typeof s.imageRepository !== "string" || s.imageRepository.length > MAX_IMAGE_REPOSITORY || !IMAGE_REPOSITORY.test(s.imageRepository))) {
    out.push({ field: f("imageRepository"), ruleId: "R-INPUT", message: `${JSON.stringify(s.imageRepository)} is not an image repository`, fix: "use e.g. registry.example.com/milvusdb/milvus (no tag)" });
  }
  if (s.helmValues !== undefined && !isObject(s.helmValues)) {
    out.push({ field: f("helmValues"), ruleId: "R-INPUT", message: "must be an object", fix: "pass a values object" });
  }
  return out;
}

/** Validates a release name (DNS-1123 label, <= 53 characters, Helm's limit). */
export function releaseNameProblem(name: unknown, field = "releaseName"): InputProblem | undefined {
  const p = dns1123LabelProblem(name, 53);
  return p ? { field, ruleId: "R-INPUT", message: `release name ${p}`, fix: "use lower-case letters, digits and '-', at most 53 characters" } : undefined;
}

/** Validates a namespace (DNS-1123 label, <= 63 characters). */
export function namespaceProblem(name: unknown, field = "namespace"): InputProblem | undefined {
  const p = dns1123LabelProblem(name, 63);
  return p ? { field, ruleId: "R-INPUT", message: `namespace ${p}`, fix: "use lower-case letters, digits and '-', at most 63 characters" } : undefined;
}
