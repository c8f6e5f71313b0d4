import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { type InputProblem, MilvusClusterError } from "../errors";
import {
  DEFAULT_EXECUTOR_IMAGE,
  DEFAULT_EXECUTOR_NODE_IMAGE,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  type ExecutorBundle,
  type ExecutorJobModel,
  executorJobModel,
  type MigrationOptions,
  migrationOptionsProblems,
  renderExecutor,
} from "../executor";
import { isKubeContextName } from "../executor/connection";
import { catalogFor } from "../catalog/load";
import { candidateStops, planUpgrade } from "../plan/plan";
import type { UpgradeStep } from "../plan/types";
import { COMPONENTS, type MilvusSpec, type SecretKeyRef } from "../spec/types";
import { namespaceProblem, releaseNameProblem, SPEC_FIELDS, validateSpecShape } from "../spec/validate";
import { ACCEPTED_DURATION_FORMS, parseDuration } from "../util/duration";
import { chartRepositoryProblem } from "../util/names";
import { enabledMessageQueue } from "../values/values-for";
import { compareVersions, isMilvusVersion } from "../versions/versions";
import type { MilvusClusterArgs, MilvusReleaseOptionsArgs } from "./args";

/** Chart repository validation is the core's (the executor checks the same). */
export { chartRepositoryProblem };

/** `MilvusClusterArgs` with every `pulumi.Input` resolved: what the validation and the planner read. */
export type PlainClusterArgs = pulumi.Unwrap<MilvusClusterArgs>;

/** Executor values accepted by `MilvusClusterArgs.executor`. */
export const EXECUTORS = ["in-cluster", "local", "none"] as const;

/** Where the intermediate stops run. */
export type ExecutorKind = (typeof EXECUTORS)[number];

/** Largest accepted `stepTimeoutSeconds` (one day). */
export const MAX_STEP_TIMEOUT_SECONDS = 86_400;

/** Every field `MilvusClusterArgs` accepts; anything else is refused (a typo must not be silently ignored). */
export const ARG_FIELDS: readonly string[] = [
  "releaseName",
  "namespace",
  "createNamespace",
  "retainNamespaceOnDelete",
  "allowReleaseReplacement",
  // The spec vocabulary; MinIO credentials are values here (turned into a Secret), not a Secret name.
  ...SPEC_FIELDS.map((f) => (f === "minioCredentialsSecret" ? "minioCredentials" : f)),
  "chartRepository",
  "executor",
  "executorImage",
  "executorJobTtlSeconds",
  "localKubeconfig",
  "localContext",
  "executorNodeImage",
  "executorNodeBinary",
  "stepTimeout",
  "stepTimeoutSeconds",
  "atomic",
  "allowExistingData",
  "adoptExisting",
  "expectedFrom",
  "migration",
  "catalogFile",
  "releaseOptions",
];

/** Fields of `MilvusReleaseOptionsArgs` with the type each must have. */
const RELEASE_OPTION_TYPES: Readonly<Record<string, "boolean" | "string" | "count">> = {
  skipAwait: "boolean",
  maxHistory: "count",
  postrender: "string",
  dependencyUpdate: "boolean",
  cleanupOnFail: "boolean",
  description: "string",
};

/**
 * Credential fields: the only `pulumi.Input`s. Each lands in the credentials Secret under `key` and reaches the
 * values only as a `{ name, key }` reference.
 */
const CREDENTIAL_FIELDS: readonly { readonly path: readonly [string, string]; readonly key: string }[] = [
  { path: ["externalObjectStorage", "accessKeyId"], key: "s3-access-key-id" },
  { path: ["externalObjectStorage", "secretAccessKey"], key: "s3-secret-access-key" },
  { path: ["externalPulsar", "authParams"], key: "pulsar-auth-params" },
  { path: ["externalKafka", "saslUsername"], key: "kafka-sasl-username" },
  { path: ["externalKafka", "saslPassword"], key: "kafka-sasl-password" },
  { path: ["minioCredentials", "accessKey"], key: "accesskey" },
  { path: ["minioCredentials", "secretKey"], key: "secretkey" },
];

const NAMESPACES_THAT_ALWAYS_EXIST = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** One credential for the credentials Secret. */
export interface CredentialEntry {
  /** Key in the Secret. */
  readonly key: string;
  /** The secret value, as given. */
  readonly value: pulumi.Input<string>;
  /** Argument path it came from, e.g. `externalObjectStorage.accessKeyId`. */
  readonly field: string;
}

/** The in-cluster or local executor, rendered. */
export interface ResolvedExecutor {
  /** Script, values files, hash and step summary. */
  readonly bundle: ExecutorBundle;
  /** Job, RBAC and ConfigMap model (used by the in-cluster executor). */
  readonly model: ExecutorJobModel;
}

/** Everything the component needs, resolved and validated at program time. */
export interface ResolvedCluster {
  readonly releaseName: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  /** The core spec the planner and `valuesFor` saw (credentials as Secret references). */
  readonly spec: MilvusSpec;
  /** Name of the credentials Secret (`<release>-milvus-credentials`). */
  readonly credentialsSecretName: string;
  /** Credentials to store in that Secret; empty means no Secret. */
  readonly credentials: readonly CredentialEntry[];
  /** The final step, performed by the Helm Release. */
  readonly target: UpgradeStep;
  /** Intermediate stops run by the executor before the Release (candidate stops, or the exact chain). */
  readonly stops: readonly UpgradeStep[];
  /** Planner warnings plus the component's own. */
  readonly warnings: readonly string[];
  readonly executor: ExecutorKind;
  readonly executorImage: string;
  readonly executorNodeImage: string;
  readonly stepTimeoutSeconds: number;
  readonly atomic: boolean;
  readonly adoptExisting: boolean;
  /** Keep a created Namespace on delete (`retainOnDelete`). */
  readonly retainNamespaceOnDelete: boolean;
  /** The user accepts that a releaseName/namespace change replaces the Release. */
  readonly allowReleaseReplacement: boolean;
  /** ttlSecondsAfterFinished of the executor Job; undefined means none. */
  readonly executorJobTtlSeconds?: number;
  /** Kubeconfig of the local executor (a path or the contents); undefined means the provider's default's. */
  readonly localKubeconfig?: string;
  /** Kubeconfig context of the local executor; undefined means the provider's default's. */
  readonly localContext?: string;
  /** Pass-through options of the target Release, as given (validated). */
  readonly releaseOptions: pulumi.Unwrap<MilvusReleaseOptionsArgs>;
  readonly expectedFrom?: string;
  readonly chartRepository?: string;
  /** Metadata migration settings as given (the executor applies the defaults). */
  readonly migration?: MigrationOptions;
  /** Rendered executor; present unless `executor` is `none` (a guard when there are no stops). */
  readonly rendered?: ResolvedExecutor;
  /** The executor only guards (no stop): the target as its one step, run as a dry run. */
  readonly guard: boolean;
}

/** The name of the credentials Secret of a release. */
export function credentialsSecretName(releaseName: string): string {
  return `${releaseName}-milvus-credentials`;
}

/** `2.5.16 (chart 4.2.58)`, plus the action when it is not a plain upgrade. */
export function stepLabel(step: UpgradeStep): string {
  const base = `${step.milvusVersion} (chart ${step.chartVersion})`;
  return step.action === "meta-migration" ? `${base}, metadata migration` : base;
}

/** Maps a core field path (planner, valuesFor, executor) onto the `MilvusClusterArgs` path. */
export function argPath(field: string): string {
  if (field === "to" || field === "to.version") return "version";
  if (field.startsWith("to.")) return argPath(field.slice(3));
  if (field === "from" || field.startsWith("from.")) return "expectedFrom";
  if (field === "minioCredentialsSecret") return "minioCredentials";
  // Executor and Job options.
  if (field === "image" || field === "toolsImage") return "executorImage";
  if (field === "nodeImage") return "executorNodeImage";
  if (field === "nodeBinary") return "executorNodeBinary";
  if (field === "rollbackOnFailure") return "atomic";
  if (field === "targetVersion" || field === "steps" || field.startsWith("steps.") || field.startsWith("steps[")) return "version";
  if (field === "spec" || field === "") return "args";
  return field;
}

/** The `reason` of an InputPropertyError: the problem, its rule id and the fix. */
export function problemReason(p: InputProblem): string {
  return `${p.message} [${p.ruleId}] Fix: ${p.fix}`;
}

/** Builds the `pulumi.InputPropertiesError` for a list of problems (deduplicated, in order). */
export function inputPropertiesError(resourceName: string, problems: readonly InputProblem[]): pulumi.InputPropertiesError {
  const seen = new Set<string>();
  const errors: { propertyPath: string; reason: string }[] = [];
  for (const p of problems) {
    const e = { propertyPath: argPath(p.field), reason: problemReason(p) };
    const k = `${e.propertyPath}\u0000${e.reason}`;
    if (seen.has(k)) continue;
    seen.add(k);
    errors.push(e);
  }
  const lines = errors.map((e) => `  - ${e.propertyPath}: ${e.reason}`);
  return new pulumi.InputPropertiesError({
    message: `MilvusCluster ${resourceName}: invalid arguments (${errors.length} problem${errors.length === 1 ? "" : "s"}):\n${lines.join("\n")}`,
    errors,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isDeferred(v: unknown): boolean {
  return pulumi.Output.isInstance(v) || (isObject(v) && typeof (v as { then?: unknown }).then === "function");
}

/**
 * Fields that must be plain values: the planner reads them (version, chart version, mode, topology, message queue,
 * expectedFrom, executor, catalog), or they decide which resources exist and their resource options (`createNamespace`,
 * `retainNamespaceOnDelete` -> `retainOnDelete`, `allowReleaseReplacement` -> `ignoreChanges`, `adoptExisting` ->
 * `import`). Every other argument accepts `pulumi.Input<T>`.
 */
export const PLANNED_FIELDS: readonly string[] = [
  "version",
  "chartVersion",
  "mode",
  "coordinators",
  "activeStandby",
  "messageQueue",
  "expectedFrom",
  "executor",
  "catalogFile",
  "createNamespace",
  "retainNamespaceOnDelete",
  "allowReleaseReplacement",
  "adoptExisting",
];

/**
 * Objects that must be plain themselves (their fields may be Outputs): whether each is set decides the message queue
 * and object storage checks and which credentials the Secret holds; `useIAM` decides whether credentials are needed.
 */
const PLAIN_OBJECTS: readonly string[] = ["externalObjectStorage", "externalPulsar", "externalKafka", "minioCredentials", "externalObjectStorage.useIAM"];

/**
 * Placeholders of the program-time projection for values that arrive later and are required or bound something
 * computed at program time. Any other deferred value is left out of the projection (every such field is optional).
 * The plan never reads them; the step timeout placeholder is the largest timeout, so the executor's
 * `customTimeouts` (a resource option, plain by nature) is the upper bound when the timeout is an Output.
 */
const PLACEHOLDERS: Readonly<Record<string, unknown>> = {
  releaseName: "release-from-an-output",
  namespace: "namespace-from-an-output",
  "externalObjectStorage.host": "host-from-an-output.invalid",
  "externalObjectStorage.bucket": "bucket-from-an-output",
  "externalPulsar.host": "host-from-an-output.invalid",
  "externalKafka.brokerList": "host-from-an-output.invalid:9092",
  stepTimeout: String(MAX_STEP_TIMEOUT_SECONDS),
  stepTimeoutSeconds: MAX_STEP_TIMEOUT_SECONDS,
};

/**
 * A program-time message (a warning of the plan) with the placeholders of deferred values replaced by the argument
 * they stand for, e.g. `<releaseName>-meta-migration-backup`.
 */
export function namePlaceholders(text: string, deferred: readonly string[]): string {
  let out = text;
  for (const d of deferred) {
    const p = PLACEHOLDERS[d];
    if (typeof p === "string") out = out.split(p).join(`<${d}>`);
  }
  return out;
}

/** `path` is `parent` or a field or element inside it. */
function isAtOrUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`);
}

function containsDeferred(v: unknown): boolean {
  if (isDeferred(v)) return true;
  if (Array.isArray(v)) return v.some(containsDeferred);
  return isObject(v) && Object.values(v).some(containsDeferred);
}

/**
 * The argument paths holding an Output or Promise, credentials excepted (they are always inputs). An array holding
 * one counts as a whole (`externalEtcdEndpoints`).
 */
export function deferredPaths(args: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (CREDENTIAL_FIELDS.some((c) => c.path.join(".") === path)) return;
    if (isDeferred(v) || (Array.isArray(v) && containsDeferred(v))) out.push(path);
    else if (isObject(v)) for (const [k, sv] of Object.entries(v)) walk(sv, `${path}.${k}`);
  };
  for (const [k, v] of Object.entries(args)) walk(v, k);
  return out;
}

/** `value` with the values at `deferred` paths replaced by their placeholder (or left out). */
function projection(value: unknown, path: string, deferred: readonly string[]): unknown {
  if (deferred.includes(path)) return PLACEHOLDERS[path];
  if (!isObject(value) || (path !== "" && !deferred.some((d) => isAtOrUnder(d, path)))) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, projection(v, path === "" ? k : `${path}.${k}`, deferred)]));
}

/** Credentials replaced by a placeholder string, so that resolving the other arguments never reads or taints them. */
function withoutCredentials(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  for (const c of CREDENTIAL_FIELDS) {
    const group = out[c.path[0]];
    if (isObject(group) && group[c.path[1]] !== undefined) out[c.path[0]] = { ...group, [c.path[1]]: "credential-kept-in-the-secret" };
  }
  // An Output kubeconfig is usually a secret (a cluster's kubeconfig output): resolving it with the other arguments
  // would make every value derived from them secret too. The local executor reads it apart (milvus-cluster.ts).
  if (isDeferred(out["localKubeconfig"])) out["localKubeconfig"] = "kubeconfig-read-by-the-local-executor";
  return out;
}

/** The resolution of arguments some of which may arrive later. */
export interface ResolvedInputs {
  /**
   * Resolved at program time: everything when no argument is an Output; otherwise the plan and the set of resources,
   * from a projection in which the deferred values are placeholders (use `late` for anything else).
   */
  readonly now: ResolvedCluster;
  /**
   * Present when some argument is an Output: the full resolution once every value is known, validated like plain
   * arguments (it fails with the `InputPropertiesError` naming the property, rule and fix). Its `credentials` are
   * empty (use `now.credentials`).
   */
  readonly late?: pulumi.Output<ResolvedCluster>;
  /** The argument paths that were Outputs or Promises. */
  readonly deferred: readonly string[];
}

/**
 * Like `resolveClusterArgs`, but every argument the plan does not read may be a `pulumi.Input`. Plain values are
 * validated now (synchronously, before anything is registered); deferred values are validated when they resolve.
 * An Output in a planned field (`PLANNED_FIELDS`) is refused now.
 * @param resourceName the component's resource name (the default release name)
 * @param args the component arguments
 */
export function resolveClusterInputs(resourceName: string, args: MilvusClusterArgs): ResolvedInputs {
  if (!isObject(args)) return { now: resolveClusterArgs(resourceName, args), deferred: [] };
  const a = args as unknown as Record<string, unknown>;
  const deferred = deferredPaths(a);
  if (deferred.length === 0) return { now: resolveClusterArgs(resourceName, args), deferred };
  const refused: InputProblem[] = [];
  for (const d of deferred) {
    if (PLANNED_FIELDS.some((f) => isAtOrUnder(d, f)) || PLAIN_OBJECTS.includes(d)) refused.push(outputProblem(d));
  }
  if (args.adoptExisting === true) {
    for (const f of ["releaseName", "namespace"]) {
      if (deferred.includes(f)) refused.push({ field: f, ruleId: "R-INPUT", message: "is an Output, but adoptExisting imports the release by its id namespace/releaseName, a resource option that must be known when the program runs", fix: `pass ${f} as a plain value while adoptExisting is set` });
    }
  }
  const now = resolveWith(resourceName, projection(a, "", deferred) as PlainClusterArgs, deferred, refused);
  const late = pulumi.output(withoutCredentials(a)).apply((plain) => {
    const full = resolveClusterArgs(resourceName, plain as unknown as MilvusClusterArgs);
    // The plan reads only plain fields, so the late plan is the program-time plan; anything else is a bug to stop at.
    if (full.target.chartVersion !== now.target.chartVersion || full.stops.map(stepLabel).join() !== now.stops.map(stepLabel).join()) {
      throw new Error(`MilvusCluster ${resourceName}: the plan changed when the Output arguments resolved (${now.stops.map(stepLabel).join(", ")} -> ${full.stops.map(stepLabel).join(", ")}); please report this`);
    }
    return { ...full, credentials: [] };
  });
  return { now, late, deferred };
}

/** Reports Outputs and Promises in fields that must be plain (everything but credentials). */
function deferredProblems(value: unknown, path: string, out: InputProblem[]): void {
  if (isDeferred(value)) {
    out.push(outputProblem(path));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      deferredProblems(v, `${path}[${i}]`, out);
    });
  } else if (isObject(value)) for (const [k, v] of Object.entries(value)) deferredProblems(v, `${path}.${k}`, out);
}

/** The problem of an Output in a field that must be plain. */
function outputProblem(path: string): InputProblem {
  return {
      field: path,
      ruleId: "R-INPUT",
      message: "is an Output or Promise, but the upgrade chain (or the set of resources) is planned from it when the program runs",
      fix: `pass a plain value (read stack configuration with pulumi.Config().require(...), which is plain); ${PLANNED_FIELDS.join(", ")}, the objects externalObjectStorage, externalPulsar, externalKafka and minioCredentials themselves, and externalObjectStorage.useIAM must be plain, every other value may be an Output`,
  };
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function booleanProblem(args: Record<string, unknown>, field: string, out: InputProblem[]): void {
  const v = args[field];
  if (v !== undefined && typeof v !== "boolean") out.push({ field, ruleId: "R-INPUT", message: `must be true or false, got ${JSON.stringify(v)}`, fix: "use a boolean" });
}


/** Maps `MilvusClusterArgs` onto the core spec; credentials become references into the credentials Secret. */
function toSpec(args: PlainClusterArgs, secretName: string): { spec: MilvusSpec; credentials: CredentialEntry[] } {
  const credentials: CredentialEntry[] = [];
  const ref = (group: string, field: string, value: unknown): SecretKeyRef | undefined => {
    if (value === undefined) return undefined;
    const c = CREDENTIAL_FIELDS.find((f) => f.path[0] === group && f.path[1] === field)!;
    credentials.push({ key: c.key, value: value as pulumi.Input<string>, field: `${group}.${field}` });
    return { name: secretName, key: c.key };
  };
  const a = args as unknown as Record<string, unknown>;
  const spec: Record<string, unknown> = {};
  for (const f of ["version", "chartVersion", "mode", "coordinators", "activeStandby", "messageQueue", "externalEtcdEndpoints", "etcdReplicas", ...COMPONENTS, "milvusConfig", "imageRepository", "helmValues"]) {
    if (a[f] !== undefined) spec[f] = a[f];
  }
  const s3 = args.externalObjectStorage;
  if (s3 !== undefined) {
    spec["externalObjectStorage"] = isObject(s3)
      ? withoutUndefined({ ...s3, accessKeyId: ref("externalObjectStorage", "accessKeyId", s3.accessKeyId), secretAccessKey: ref("externalObjectStorage", "secretAccessKey", s3.secretAccessKey) })
      : s3;
  }
  const pulsar = args.externalPulsar;
  if (pulsar !== undefined) {
    spec["externalPulsar"] = isObject(pulsar) ? withoutUndefined({ ...pulsar, authParams: ref("externalPulsar", "authParams", pulsar.authParams) }) : pulsar;
  }
  const kafka = args.externalKafka;
  if (kafka !== undefined) {
    spec["externalKafka"] = isObject(kafka)
      ? withoutUndefined({ ...kafka, saslUsername: ref("externalKafka", "saslUsername", kafka.saslUsername), saslPassword: ref("externalKafka", "saslPassword", kafka.saslPassword) })
      : kafka;
  }
  const minio = args.minioCredentials;
  if (isObject(minio)) {
    ref("minioCredentials", "accessKey", minio.accessKey);
    ref("minioCredentials", "secretKey", minio.secretKey);
    spec["minioCredentialsSecret"] = secretName;
  }
  return { spec: spec as unknown as MilvusSpec, credentials };
}

/**
 * The step timeout in seconds from `stepTimeout` or `stepTimeoutSeconds` (one duration syntax: `15m`, `900s`, `900`;
 * `parseDuration`), checked against 30 s .. 24 h, with the problems found (both set, not a duration, out of range).
 */
export function stepTimeoutOf(args: Pick<PlainClusterArgs, "stepTimeout" | "stepTimeoutSeconds">): { seconds: number; problems: InputProblem[] } {
  const given = (["stepTimeout", "stepTimeoutSeconds"] as const).filter((f) => args[f] !== undefined);
  if (given.length === 2) {
    return { seconds: DEFAULT_STEP_TIMEOUT_SECONDS, problems: [{ field: "stepTimeout", ruleId: "R-INPUT", message: "stepTimeout and stepTimeoutSeconds are both set", fix: 'set one of them, e.g. stepTimeout: "15m"' }] };
  }
  const field = given[0];
  if (field === undefined) return { seconds: DEFAULT_STEP_TIMEOUT_SECONDS, problems: [] };
  let seconds: number;
  try {
    seconds = parseDuration(args[field], field);
  } catch (e) {
    if (e instanceof MilvusClusterError) return { seconds: DEFAULT_STEP_TIMEOUT_SECONDS, problems: [...e.problems] };
    throw e;
  }
  if (seconds < 30 || seconds > MAX_STEP_TIMEOUT_SECONDS) {
    return {
      seconds,
      problems: [{ field, ruleId: "R-INPUT", message: `${JSON.stringify(args[field])} is not a timeout between 30 s and 24 h (${MAX_STEP_TIMEOUT_SECONDS} s)`, fix: `use ${ACCEPTED_DURATION_FORMS} in that range, e.g. ${field}: ${field === "stepTimeout" ? '"15m"' : DEFAULT_STEP_TIMEOUT_SECONDS}` }],
    };
  }
  return { seconds, problems: [] };
}

/** Checks the argument object itself: unknown fields, deferred values, credentials, adapter-only settings. */
function argumentProblems(args: PlainClusterArgs, resourceName: string): InputProblem[] {
  const out: InputProblem[] = [];
  const a = args as unknown as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (!ARG_FIELDS.includes(k)) out.push({ field: k, ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: `use one of: ${ARG_FIELDS.join(", ")}` });
  }
  // Plain fields must not be Outputs; credentials may be.
  for (const [k, v] of Object.entries(a)) {
    if (k === "minioCredentials") continue;
    if ((k === "externalObjectStorage" || k === "externalPulsar" || k === "externalKafka") && isObject(v)) {
      for (const [sub, sv] of Object.entries(v)) {
        if (CREDENTIAL_FIELDS.some((c) => c.path[0] === k && c.path[1] === sub)) continue;
        deferredProblems(sv, `${k}.${sub}`, out);
      }
      continue;
    }
    deferredProblems(v, k, out);
  }
  // Credentials: strings or Outputs of strings.
  for (const c of CREDENTIAL_FIELDS) {
    const group = a[c.path[0]];
    if (!isObject(group)) continue;
    const v = group[c.path[1]];
    if (v === undefined) continue;
    if (typeof v === "string" ? v === "" : !isDeferred(v)) {
      out.push({ field: c.path.join("."), ruleId: "R-INPUT", message: "must be a non-empty string or an Output of one (ideally a secret)", fix: `e.g. config.requireSecret("${c.path[1]}")` });
    }
  }
  const minio = a["minioCredentials"];
  if (minio !== undefined) {
    if (!isObject(minio)) out.push({ field: "minioCredentials", ruleId: "R-INPUT", message: "must be { accessKey, secretKey }", fix: "set both keys or remove minioCredentials" });
    else {
      for (const k of Object.keys(minio)) {
        if (k !== "accessKey" && k !== "secretKey") out.push({ field: `minioCredentials.${k}`, ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: "use accessKey and secretKey" });
      }
      for (const k of ["accessKey", "secretKey"]) {
        if (minio[k] === undefined) out.push({ field: `minioCredentials.${k}`, ruleId: "R-INPUT", message: "is missing", fix: "set both accessKey and secretKey" });
      }
    }
  }
  // Release name (defaults to the resource name) and namespace.
  const releaseName = args.releaseName ?? resourceName;
  const rn = releaseNameProblem(releaseName, "releaseName");
  if (rn) out.push(args.releaseName === undefined ? { ...rn, message: `${rn.message} (the release name defaults to the resource name)`, fix: `set releaseName explicitly; ${rn.fix}` } : rn);
  const namespace = args.namespace ?? "default";
  const ns = namespaceProblem(namespace, "namespace");
  if (ns) out.push(ns);
  booleanProblem(a, "createNamespace", out);
  booleanProblem(a, "atomic", out);
  booleanProblem(a, "adoptExisting", out);
  booleanProblem(a, "allowExistingData", out);
  booleanProblem(a, "retainNamespaceOnDelete", out);
  booleanProblem(a, "allowReleaseReplacement", out);
  const ttl = args.executorJobTtlSeconds;
  if (ttl !== undefined && !(typeof ttl === "number" && Number.isSafeInteger(ttl) && ttl >= 0)) {
    out.push({ field: "executorJobTtlSeconds", ruleId: "R-INPUT", message: `${JSON.stringify(ttl)} is not a whole number of seconds >= 0`, fix: "leave it unset (no TTL, recommended with pulumi refresh) or use e.g. 86400" });
  }
  if (args.localKubeconfig !== undefined && (typeof args.localKubeconfig !== "string" || args.localKubeconfig.trim() === "" || args.localKubeconfig.includes("\0"))) {
    out.push({ field: "localKubeconfig", ruleId: "R-INPUT", message: `${JSON.stringify(args.localKubeconfig)} is neither a kubeconfig file path nor kubeconfig contents`, fix: "pass what you gave the Kubernetes provider's kubeconfig: a path such as /home/ci/.kube/prod.yaml, or the kubeconfig text" });
  } else if (args.localKubeconfig !== undefined && args.executor !== "local") {
    out.push({ field: "localKubeconfig", ruleId: "R-INPUT", message: 'is used only with executor: "local"', fix: 'remove localKubeconfig or set executor: "local"' });
  }
  if (args.localContext !== undefined && !isKubeContextName(args.localContext)) {
    out.push({ field: "localContext", ruleId: "R-INPUT", message: `${JSON.stringify(args.localContext)} is not a kubeconfig context name (non-empty, at most 253 characters, no control characters)`, fix: "pass the context you gave the Kubernetes provider, e.g. prod-eu" });
  } else if (args.localContext !== undefined && args.executor !== "local") {
    out.push({ field: "localContext", ruleId: "R-INPUT", message: 'is used only with executor: "local"', fix: 'remove localContext or set executor: "local"' });
  }
  const ro = a["releaseOptions"];
  if (ro !== undefined) {
    if (!isObject(ro)) out.push({ field: "releaseOptions", ruleId: "R-INPUT", message: "must be an object", fix: "e.g. releaseOptions: { maxHistory: 10 }" });
    else {
      for (const [k, v] of Object.entries(ro)) {
        const want = RELEASE_OPTION_TYPES[k];
        if (want === undefined) {
          out.push({ field: `releaseOptions.${k}`, ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: `use one of: ${Object.keys(RELEASE_OPTION_TYPES).join(", ")}` });
        } else if (v !== undefined && !(want === "count" ? typeof v === "number" && Number.isSafeInteger(v) && v >= 0 : typeof v === want)) {
          out.push({ field: `releaseOptions.${k}`, ruleId: "R-INPUT", message: `must be ${want === "count" ? "a whole number >= 0" : `a ${want}`}, got ${JSON.stringify(v)}`, fix: `set releaseOptions.${k} to ${want === "count" ? "e.g. 10" : `a ${want}`} or remove it` });
        }
      }
      if (ro["skipAwait"] === true && args.atomic === true) {
        out.push({ field: "releaseOptions.skipAwait", ruleId: "R-INPUT", message: "is ignored by the provider when atomic is true (an atomic upgrade waits)", fix: "remove releaseOptions.skipAwait or set atomic: false" });
      }
    }
  }
  if (args.createNamespace === true && NAMESPACES_THAT_ALWAYS_EXIST.includes(namespace)) {
    out.push({ field: "createNamespace", ruleId: "R-INPUT", message: `namespace ${namespace} always exists and must not be owned (and deleted) by this stack`, fix: "set createNamespace: false or use another namespace" });
  }
  // Executor.
  if (args.executor !== undefined && !(EXECUTORS as readonly unknown[]).includes(args.executor)) {
    out.push({ field: "executor", ruleId: "R-INPUT", message: `${JSON.stringify(args.executor)} is not an executor`, fix: `use one of: ${EXECUTORS.join(", ")}` });
  }
  if (args.executorImage !== undefined && (typeof args.executorImage !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(args.executorImage))) {
    out.push({ field: "executorImage", ruleId: "R-INPUT", message: `${JSON.stringify(args.executorImage)} is not an image reference`, fix: "use e.g. registry.example.com/tools/k8s@sha256:... (an image with cp, /usr/bin/helm and /usr/bin/kubectl)" });
  }
  if (args.executorNodeImage !== undefined && (typeof args.executorNodeImage !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(args.executorNodeImage))) {
    out.push({ field: "executorNodeImage", ruleId: "R-INPUT", message: `${JSON.stringify(args.executorNodeImage)} is not an image reference`, fix: `use e.g. ${DEFAULT_EXECUTOR_NODE_IMAGE} or registry.example.com/node@sha256:... (node at /usr/local/bin/node)` });
  }
  if (args.executorNodeBinary !== undefined && (typeof args.executorNodeBinary !== "string" || !/^(\/[A-Za-z0-9._-]+)+$/.test(args.executorNodeBinary) || /\/\.\.?(\/|$)/.test(args.executorNodeBinary))) {
    out.push({ field: "executorNodeBinary", ruleId: "R-INPUT", message: `${JSON.stringify(args.executorNodeBinary)} is not an absolute file path`, fix: "use e.g. /usr/local/bin/node (official node images) or /nodejs/bin/node (distroless nodejs)" });
  }
  out.push(...stepTimeoutOf(args).problems);
  if (args.chartRepository !== undefined) {
    const p = chartRepositoryProblem(args.chartRepository);
    if (p) out.push(p);
  }
  // Checked even when no stop needs the migration, so a typo never waits for the day it matters.
  out.push(...migrationOptionsProblems(a["migration"], "migration"));
  if (args.expectedFrom !== undefined && (typeof args.expectedFrom !== "string" || !isMilvusVersion(args.expectedFrom))) {
    out.push({ field: "expectedFrom", ruleId: "R-VERSION-FORMAT", message: `${JSON.stringify(args.expectedFrom)} is not a Milvus version`, fix: "use the version the live release runs, e.g. 2.5.8, or leave expectedFrom unset" });
  }
  return out;
}

/** Runs `fn`, turning a `MilvusClusterError` into the problem list it carries. */
function collect<T>(fn: () => T, out: InputProblem[]): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof MilvusClusterError) {
      out.push(...e.problems);
      return undefined;
    }
    throw e;
  }
}

/**
 * Validates plain `MilvusClusterArgs` (only credentials may be Outputs here; `resolveClusterInputs` accepts Outputs
 * wherever the plan does not need them), plans the upgrade and renders the executor, all at program time and without
 * side effects. Throws `pulumi.InputPropertiesError` listing every problem, each with its argument path and a
 * reason that names the rule id and the fix.
 * @param resourceName the component's resource name (the default release name)
 * @param args the component arguments
 */
export function resolveClusterArgs(resourceName: string, args: MilvusClusterArgs): ResolvedCluster {
  // Any Output left in a field is refused (R-INPUT) before a value is read.
  return resolveWith(resourceName, args as PlainClusterArgs, [], []);
}

/**
 * `resolveClusterArgs` over a projection in which the values at `deferred` paths are placeholders: problems at or
 * under those paths are not reported (they are checked when the values resolve), except unknown fields.
 */
function resolveWith(resourceName: string, args: PlainClusterArgs, deferred: readonly string[], initial: readonly InputProblem[]): ResolvedCluster {
  if (!isObject(args)) {
    throw inputPropertiesError(resourceName, [{ field: "args", ruleId: "R-INPUT", message: "must be an object", fix: 'pass { version: "2.6.4", ... }' }]);
  }
  const checkedNow = (ps: readonly InputProblem[]) => ps.filter((p) => p.message.startsWith("unknown field") || !deferred.some((d) => isAtOrUnder(argPath(p.field), d)));
  // A later stage that fails on placeholders alone (not expected: the plan never reads them) still reports them.
  const reported = (ps: readonly InputProblem[]) => [...initial, ...(checkedNow(ps).length > 0 || initial.length > 0 ? checkedNow(ps) : ps)];
  const problems = argumentProblems(args, resourceName);
  const releaseName = args.releaseName ?? resourceName;
  const namespace = args.namespace ?? "default";
  const secretName = credentialsSecretName(releaseName);
  const { spec, credentials } = toSpec(args, secretName);
  // A field already reported as an Output is not checked again as a value.
  const outputs = problems.filter((p) => p.message.startsWith("is an Output")).map((p) => p.field);
  problems.push(...validateSpecShape(spec).filter((p) => !outputs.some((d) => p.field === d || p.field.startsWith(`${d}.`))));
  if (initial.length > 0 || checkedNow(problems).length > 0) throw inputPropertiesError(resourceName, [...initial, ...checkedNow(problems)]);
  problems.length = 0;

  const executor = (args.executor ?? "in-cluster") as ExecutorKind;
  const stepTimeoutSeconds = stepTimeoutOf(args).seconds;
  const atomic = args.atomic ?? false;
  const warnings: string[] = [];

  // The catalog is this component's own input: an overlay never leaks into another component.
  const catalog = collect(() => catalogFor(args.catalogFile, "catalogFile"), problems);
  if (!catalog) throw inputPropertiesError(resourceName, reported(problems));

  // Plan: exact from expectedFrom, else the fresh-install target plus every candidate stop below it.
  const planned = collect(() => {
    if (args.expectedFrom !== undefined) {
      // A chain through the 2.2 metadata migration is fine: the executor runs the migration step (R-META-MIGRATION).
      const plan = planUpgrade({ from: args.expectedFrom, to: spec, catalog });
      const last = plan.steps[plan.steps.length - 1]!;
      if (last.action === "meta-migration") {
        // From 2.1.x straight to 2.2.0: the executor runs the migration (helm step included), the Release then
        // confirms the same chart and values.
        return { target: { ...last, action: "helm-upgrade" as const }, stops: plan.steps, warnings: plan.warnings };
      }
      return { target: last, stops: plan.steps.slice(0, -1), warnings: plan.warnings };
    }
    const plan = planUpgrade({ to: spec, catalog });
    return { target: plan.steps[plan.steps.length - 1]!, stops: candidateStops(spec, { catalog }), warnings: plan.warnings };
  }, problems);
  if (!planned) throw inputPropertiesError(resourceName, reported(problems));
  warnings.push(...planned.warnings);
  if (args.messageQueue === undefined) {
    // The queue the values enable: standalone.messageQueue says "pulsar" for Pulsar v3 too.
    const mq = enabledMessageQueue(planned.target.values);
    warnings.push(
      `messageQueue is unset, so the release gets the default of chart ${planned.target.chartVersion}${mq ? ` (${mq})` : ""}. If the release already exists, set messageQueue to the queue it runs: the queue must never change during an upgrade (R-MQ-KEEP).`,
    );
  }

  let rendered: ResolvedExecutor | undefined;
  // No stop: the executor still runs before the Release moves, as a guard. It gets the target as its one step and
  // runs as a dry run (MILVUS_EXECUTOR_DRY_RUN=1), which reads the live release and makes every refusal (downgrade,
  // pre-release source, mode or queue change, unexpected version, leftover claims without a release) but changes
  // nothing; the Release then performs the upgrade.
  const guard = planned.stops.length === 0 && executor !== "none";
  if (executor !== "none") {
    rendered = collect(() => {
      const bundle = renderExecutor({
        releaseName,
        namespace,
        steps: guard ? [planned.target] : planned.stops,
        targetVersion: planned.target.milvusVersion,
        includesFinalStep: false,
        expectedFrom: args.expectedFrom,
        stepTimeoutSeconds,
        rollbackOnFailure: atomic,
        allowExistingData: args.allowExistingData,
        chartRepository: args.chartRepository,
        migration: args.migration,
      });
      const model = executorJobModel(bundle, {
        releaseName,
        namespace,
        toolsImage: args.executorImage ?? DEFAULT_EXECUTOR_IMAGE,
        nodeImage: args.executorNodeImage ?? DEFAULT_EXECUTOR_NODE_IMAGE,
        nodeBinary: args.executorNodeBinary,
      });
      return { bundle, model };
    }, problems);
    if (!rendered) throw inputPropertiesError(resourceName, reported(problems));
  }
  const migration = planned.stops.find((s) => s.action === "meta-migration");
  if (migration && args.expectedFrom !== undefined && executor !== "none") {
    warnings.push(
      `The chain from ${args.expectedFrom} runs the offline metadata migration to ${migration.milvusVersion}: every Milvus component is at 0 replicas from the stop until the health gate; the backup stays in PVC ${releaseName}-meta-migration-backup (R-META-MIGRATION).`,
    );
  }
  if (migration && args.expectedFrom === undefined && executor !== "none") {
    // Candidate stops: the executor runs the migration only when the live release is on 2.1.x, but nothing at preview
    // time knows whether it is, so the preview warns (pulumi.log.warn), never just informs.
    warnings.push(
      `expectedFrom is unset and the candidate stops include the offline metadata migration to ${migration.milvusVersion}: if the live release runs Milvus 2.1.x, every Milvus component is scaled to 0 replicas from the stop until the health gate (the database is offline), and the backup stays in PVC ${releaseName}-meta-migration-backup (R-META-MIGRATION). Set expectedFrom to the version the release runs to see the exact chain.`,
    );
  }
  if (executor === "none") {
    warnings.push(
      `executor is "none": nothing guards the Release, so a downgrade, a pre-release source, a mode or message-queue change or leftover volume claims are not refused before the Helm release moves (R-GUARD-NONE).`,
    );
  }
  if (planned.stops.length > 0 && executor === "none") {
    warnings.push(
      `executor is "none": the stops ${planned.stops.map(stepLabel).join(", ")} are not run. Run them first (milvus-cluster apply), or a release below them will be upgraded straight to ${planned.target.milvusVersion}.`,
    );
  }

  return {
    releaseName,
    namespace,
    createNamespace: args.createNamespace ?? false,
    spec,
    credentialsSecretName: secretName,
    credentials,
    target: planned.target,
    stops: planned.stops,
    warnings,
    executor,
    executorImage: args.executorImage ?? DEFAULT_EXECUTOR_IMAGE,
    executorNodeImage: args.executorNodeImage ?? DEFAULT_EXECUTOR_NODE_IMAGE,
    stepTimeoutSeconds,
    atomic,
    adoptExisting: args.adoptExisting ?? false,
    retainNamespaceOnDelete: args.retainNamespaceOnDelete ?? true,
    allowReleaseReplacement: args.allowReleaseReplacement ?? false,
    executorJobTtlSeconds: args.executorJobTtlSeconds,
    localKubeconfig: args.localKubeconfig,
    localContext: args.localContext,
    releaseOptions: { ...(args.releaseOptions ?? {}) },
    expectedFrom: args.expectedFrom,
    chartRepository: args.chartRepository,
    migration: args.migration,
    rendered,
    guard,
  };
}

/**
 * The Milvus service host the chart creates: `<release>-milvus`, or the release name alone when it already
 * contains "milvus" (the chart's `milvus.fullname`), or `fullnameOverride`.
 */
export function milvusServiceName(releaseName: string, helmValues?: Readonly<Record<string, unknown>>): string {
  const trim = (s: string) => s.slice(0, 63).replace(/-+$/, "");
  const override = helmValues?.["fullnameOverride"];
  if (typeof override === "string" && override !== "") return trim(override);
  const nameOverride = helmValues?.["nameOverride"];
  const chartName = typeof nameOverride === "string" && nameOverride !== "" ? nameOverride : "milvus";
  return releaseName.includes(chartName) ? trim(releaseName) : trim(`${releaseName}-${chartName}`);
}

/** The in-cluster endpoint (`host:port`) of the Milvus proxy service. */
export function milvusEndpoint(releaseName: string, namespace: string, helmValues?: Readonly<Record<string, unknown>>): string {
  const service = helmValues?.["service"];
  const port = isObject(service) && typeof service["port"] === "number" ? service["port"] : 19530;
  return `${milvusServiceName(releaseName, helmValues)}.${namespace}.svc.cluster.local:${port}`;
}

/**
 * Rule id of the release identity guard: a `releaseName` or `namespace` change makes the Helm provider replace the
 * Release (pulumi-kubernetes `provider/pkg/provider/helm_release.go`, `Diff`: `forceNewFields := {".name",
 * ".namespace"}`), which installs a new, empty release and then uninstalls the old one.
 */
export const RELEASE_IDENTITY_RULE = "R-RELEASE-IDENTITY";

/** Name of the ConfigMap in which the component records the release identity (`<release>-milvus-identity`). */
export function identityConfigMapName(releaseName: string): string {
  return `${releaseName}-milvus-identity`;
}

/** The identity the component records: what the Release was created with. */
export interface ReleaseIdentity {
  readonly releaseName: string;
  readonly namespace: string;
}

/**
 * Compares the recorded identity (the identity ConfigMap's `data` as the engine returns it: old state, because its
 * name, namespace and data are `ignoreChanges`) with the desired one. Nothing recorded (first install, or a stack
 * from before the guard) is no problem.
 * @param recorded the identity ConfigMap's data from the state
 * @param desired release name and namespace of this run
 * @param allowed `allowReleaseReplacement`
 */
export function identityProblems(recorded: Readonly<Record<string, string>> | undefined, desired: ReleaseIdentity, allowed: boolean): InputProblem[] {
  if (allowed || recorded === undefined) return [];
  const out: InputProblem[] = [];
  for (const field of ["releaseName", "namespace"] as const) {
    const before = recorded[field];
    if (before === undefined || before === desired[field]) continue;
    out.push({
      field,
      ruleId: RELEASE_IDENTITY_RULE,
      message: `changes from "${before}" to "${desired[field]}": the Helm provider would replace the Release, installing a new, empty Milvus in ${desired.namespace}/${desired.releaseName} and then uninstalling ${recorded["namespace"] ?? desired.namespace}/${recorded["releaseName"] ?? desired.releaseName}, whose volume claims would be orphaned`,
      fix: `set ${field} back to "${before}"; to really replace the release (new empty database), set allowReleaseReplacement: true`,
    });
  }
  return out;
}

/** Pod annotation whose value changes whenever the credentials Secret changes, so that a rotation rolls the pods. */
export const CREDENTIALS_VERSION_ANNOTATION = "milvus-cluster/credentials-version";

/**
 * First chart version with the top-level `annotations` value. The chart's `milvus.ud.annotations` helper writes it
 * into every Milvus Deployment's pod template (`templates/*-deployment.yaml`, `spec.template.metadata.annotations`).
 * Checked over the zilliztech/milvus-helm history: every `milvus-3.*` and later tag's `charts/milvus/values.yaml`
 * has `annotations: {}`; the 2.x charts have neither the value nor the helper.
 */
export const FIRST_CHART_WITH_POD_ANNOTATIONS = "3.0.0";

/** Whether a chart version renders the top-level `annotations` value onto the Milvus pods. */
export function chartHasPodAnnotations(chartVersion: string): boolean {
  return compareVersions(chartVersion, FIRST_CHART_WITH_POD_ANNOTATIONS) >= 0;
}

/**
 * The credentials version: a short SHA-256 of the credentials Secret's `uid` and `resourceVersion`, which the API
 * server changes on every write of the Secret (and a replaced Secret has a new uid). No credential value is a hash
 * input: the annotation lands in plain Helm values, in the state and on the pods.
 * @param uid the Secret's metadata.uid
 * @param resourceVersion the Secret's metadata.resourceVersion
 */
export function credentialsVersion(uid: string | undefined, resourceVersion: string | undefined): string {
  return createHash("sha256").update(`${uid ?? ""}/${resourceVersion ?? ""}`).digest("hex").slice(0, 16);
}

/** `values` with `annotations[key] = value` added (the user's own `helmValues.annotations` are kept). */
export function withPodAnnotation(values: Readonly<Record<string, unknown>>, key: string, value: string): Record<string, unknown> {
  const existing = values["annotations"];
  return { ...values, annotations: { ...(isObject(existing) ? existing : {}), [key]: value } };
}

/** Rule id of the local executor's cluster check (the executor refuses another cluster: WRONG_CLUSTER). */
export { LOCAL_CLUSTER_RULE } from "../executor/connection";
