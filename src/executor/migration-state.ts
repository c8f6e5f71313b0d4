import { MIGRATION_ANNOTATIONS, MIGRATION_PLACEHOLDERS } from "./migration";

/*
 * The state of a metadata migration (R-META-MIGRATION) as the executor records it on the state ConfigMap
 * (`migrationObjectNames(release).stateConfigMap`): data `replicas` ("name=count name=count ...", recorded once and
 * reused by every re-run, so a retry restores the original counts, not the zeros of a stopped release) and the
 * annotations of `MIGRATION_ANNOTATIONS`. Pure functions only: reading and writing the ConfigMap is migration-run.ts.
 */

/** Patterns every value discovered at run time must match before it reaches a manifest or a command line. */
export const RUNTIME_VALUE_PATTERNS = {
  /** An etcd endpoint `host:port` (DNS name or IPv4, no scheme, no credentials). */
  endpoint: /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$/,
  /** A plain Milvus version MAJOR.MINOR.PATCH. */
  version: /^[0-9]+\.[0-9]+\.[0-9]+$/,
  /** A helm revision. */
  number: /^[0-9]+$/,
  /** A Kubernetes object name (DNS-1123 subdomain characters). */
  name: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
  /** An OCI image tag. */
  tag: /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
  /** The recorded replicas: `name=count` pairs separated by one space. */
  replicas: /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?=[0-9]+( [a-z0-9]([-a-z0-9.]*[a-z0-9])?=[0-9]+)*$/,
} as const;

/** Kind of a runtime value (a key of `RUNTIME_VALUE_PATTERNS`). */
export type RuntimeValueKind = keyof typeof RUNTIME_VALUE_PATTERNS;

/**
 * Whether `value` is one line matching the pattern of `kind` (an unknown kind never matches).
 * @param kind which pattern
 * @param value the value as discovered (may be anything)
 */
export function isValidRuntimeValue(kind: string, value: unknown): boolean {
  if (typeof value !== "string" || /[\r\n]/.test(value)) return false;
  const pattern = (RUNTIME_VALUE_PATTERNS as Record<string, RegExp>)[kind];
  return pattern?.test(value) ?? false;
}

/** `backup` annotation: `done` once the backup Job completed, `stale` after a rollback restarted the source version. */
export type BackupMark = "" | "done" | "stale";
/** `migrated` annotation. */
export type MigrateMark = "" | "started" | "failed" | "done" | "rolled-back";
/** `upgraded` and `complete` annotations. */
export type DoneMark = "" | "done";

/** What the state ConfigMap records ("" for an annotation that is absent). */
export interface MigrationState {
  readonly sourceVersion: string;
  readonly sourceRevision: string;
  readonly sourceTag: string;
  /** "name=count ..." of every Milvus Deployment before the stop. */
  readonly replicas: string;
  readonly backup: BackupMark;
  readonly migrate: MigrateMark;
  readonly upgraded: DoneMark;
  readonly complete: DoneMark;
}

const BACKUP_MARKS: readonly string[] = ["", "done", "stale"];
const MIGRATE_MARKS: readonly string[] = ["", "started", "failed", "done", "rolled-back"];
const DONE_MARKS: readonly string[] = ["", "done"];

function stringAt(obj: unknown, key: string): string {
  if (typeof obj !== "object" || obj === null) return "";
  const v = (obj as Record<string, unknown>)[key];
  return typeof v === "string" ? v : "";
}

/** The state read from a ConfigMap, or the names of the fields that hold invalid values. */
export type ParsedMigrationState = { readonly ok: true; readonly state: MigrationState } | { readonly ok: false; readonly invalid: readonly string[] };

/**
 * Reads and checks the state ConfigMap (the object `kubectl get configmap -o json` prints). Only the executor writes
 * it, so anything unexpected (an edited replica list, an unknown phase mark) is reported, never guessed around.
 * @param configMap the parsed ConfigMap
 */
export function parseMigrationState(configMap: unknown): ParsedMigrationState {
  const metadata = typeof configMap === "object" && configMap !== null ? (configMap as Record<string, unknown>)["metadata"] : undefined;
  const annotations = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>)["annotations"] : undefined;
  const data = typeof configMap === "object" && configMap !== null ? (configMap as Record<string, unknown>)["data"] : undefined;
  const a = (key: string): string => stringAt(annotations, key);
  const state: MigrationState = {
    sourceVersion: a(MIGRATION_ANNOTATIONS.sourceVersion),
    sourceRevision: a(MIGRATION_ANNOTATIONS.sourceRevision),
    sourceTag: a(MIGRATION_ANNOTATIONS.sourceTag),
    replicas: stringAt(data, "replicas"),
    backup: a(MIGRATION_ANNOTATIONS.backup) as BackupMark,
    migrate: a(MIGRATION_ANNOTATIONS.migrate) as MigrateMark,
    upgraded: a(MIGRATION_ANNOTATIONS.upgraded) as DoneMark,
    complete: a(MIGRATION_ANNOTATIONS.complete) as DoneMark,
  };
  const invalid: string[] = [];
  if (!isValidRuntimeValue("version", state.sourceVersion)) invalid.push(MIGRATION_ANNOTATIONS.sourceVersion);
  if (!isValidRuntimeValue("number", state.sourceRevision)) invalid.push(MIGRATION_ANNOTATIONS.sourceRevision);
  if (!isValidRuntimeValue("tag", state.sourceTag)) invalid.push(MIGRATION_ANNOTATIONS.sourceTag);
  if (!isValidRuntimeValue("replicas", state.replicas)) invalid.push("data.replicas");
  if (!BACKUP_MARKS.includes(state.backup)) invalid.push(MIGRATION_ANNOTATIONS.backup);
  if (!MIGRATE_MARKS.includes(state.migrate)) invalid.push(MIGRATION_ANNOTATIONS.migrate);
  if (!DONE_MARKS.includes(state.upgraded)) invalid.push(MIGRATION_ANNOTATIONS.upgraded);
  if (!DONE_MARKS.includes(state.complete)) invalid.push(MIGRATION_ANNOTATIONS.complete);
  return invalid.length > 0 ? { ok: false, invalid } : { ok: true, state };
}

/** One recorded Deployment. */
export interface RecordedReplicas {
  readonly name: string;
  readonly replicas: number;
}

/** "a=1 b=2" -> [{a,1},{b,2}] (validate with `isValidRuntimeValue("replicas", ...)` first). */
export function parseReplicas(text: string): RecordedReplicas[] {
  if (text === "") return [];
  return text.split(" ").map((pair) => {
    const i = pair.lastIndexOf("=");
    return { name: pair.slice(0, i), replicas: Number(pair.slice(i + 1)) };
  });
}

/** [{a,1},{b,2}] -> "a=1 b=2". */
export function formatReplicas(list: readonly RecordedReplicas[]): string {
  return list.map((d) => `${d.name}=${d.replicas}`).join(" ");
}

/** A change of the state ConfigMap's annotations: a value to set, or `null` to remove the annotation. */
export type StateMarks = Partial<Record<"backup" | "migrate" | "upgraded" | "complete", string | null>>;

/** `kubectl annotate` arguments for `marks`: `key=value` to set, `key-` to remove. */
export function annotateArgs(marks: StateMarks): string[] {
  return Object.entries(marks).map(([field, value]) => {
    const key = MIGRATION_ANNOTATIONS[field as keyof StateMarks];
    return value === null ? `${key}-` : `${key}=${value}`;
  });
}

/** The runtime values that fill the `@...@` placeholders of the migration manifests. */
export type PlaceholderValues = Partial<Record<keyof typeof MIGRATION_PLACEHOLDERS, string>>;

/**
 * A copy of `manifest` with every placeholder of `MIGRATION_PLACEHOLDERS` replaced, in every string of the object
 * (the tool configs are YAML text inside the ConfigMap's data). Throws when a placeholder it meets has no value: a
 * Job must never start with an unfilled config.
 * @param manifest a parsed bundle manifest
 * @param values validated runtime values
 */
export function fillPlaceholders(manifest: unknown, values: PlaceholderValues): unknown {
  const fill = (text: string): string => {
    let out = text;
    for (const [field, placeholder] of Object.entries(MIGRATION_PLACEHOLDERS) as [keyof typeof MIGRATION_PLACEHOLDERS, string][]) {
      if (!out.includes(placeholder)) continue;
      const v = values[field];
      if (v === undefined || v === "") throw new Error(`internal error: no value for ${placeholder}`);
      out = out.replaceAll(placeholder, v);
    }
    return out;
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return fill(v);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [fill(k), walk(x)]));
    return v;
  };
  return walk(manifest);
}
