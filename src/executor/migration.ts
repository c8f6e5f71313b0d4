import { createHash } from "node:crypto";
import type { InputProblem } from "../errors";
import { dns1123SubdomainProblem, HOST_PORT, IMAGE_REFERENCE, SHELL_METACHARACTERS } from "../util/names";
import type { MigrationOptions } from "./types";
import { yaml } from "../util/lazy-yaml";

/*
 * The offline metadata migration Milvus 2.1.x -> 2.2.x (R-META-MIGRATION) as data: the Kubernetes objects the executor
 * (migration-run.ts) creates with `kubectl create/apply -f`. They are generated here, validated, and shipped in the
 * executor bundle as YAML files; the executor only fills in the few values it discovers at run time (etcd endpoint,
 * source version, source helm revision and image tag, recorded replicas), each after checking it against a strict
 * pattern (`RUNTIME_VALUE_PATTERNS`), and sends those objects as JSON on kubectl's stdin.
 *
 * What upstream `deployments/migrate-meta/migrate.sh` does and how this differs (FACTS.md section 4):
 * - Jobs (backoffLimit 0, activeDeadlineSeconds, non-root, no privilege escalation, all capabilities dropped) instead of
 *   bare Pods; success is the Job condition `Complete`, never a pod phase. The tool prints no line that only a
 *   success prints (its last line, "migration session expired", ends failed runs too), so its exit code, reported by
 *   the Job, is the verdict.
 * - One state ConfigMap per release records the replicas, the source version/revision/tag and the finished phases
 *   (annotations); the rollback reads the same ConfigMap name it wrote (upstream's rollback looks up a name without
 *   the instance suffix).
 * - The etcd session keys are checked instead of a fixed sleep where etcd can be queried.
 */

/** The meta-migration tool image upstream's migrate.sh and the Milvus Operator default to. */
export const DEFAULT_META_MIGRATION_IMAGE = "milvusdb/meta-migration:v2.2.0-bugfix-20230112";

/** Default etcd root path of a Milvus release (`etcd.rootPath`). */
export const DEFAULT_MIGRATION_ROOT_PATH = "by-dev";

/** Default longest wait for the etcd session keys to expire, seconds (upstream sleeps 75 s; leases last 60 s). */
export const DEFAULT_SESSION_WAIT_SECONDS = 75;

/** Largest accepted `sessionWaitSeconds`. */
export const MAX_SESSION_WAIT_SECONDS = 3600;

/** Default size of the backup PersistentVolumeClaim (upstream's and the operator's). */
export const DEFAULT_BACKUP_SIZE = "10Gi";

/**
 * uid and gid of the migration Jobs. The image (`build/docker/meta-migration/Dockerfile`: alpine, the binary in
 * `/milvus/bin`, no USER) runs as root by default but needs no root: it reads its config from the mounted ConfigMap
 * and writes only the backup file on the PVC, which `fsGroup` makes writable.
 */
export const MIGRATION_RUN_AS_USER = 65532;

/** Where the tool's configs are mounted and the backup volume lives (upstream's paths). */
export const MIGRATION_CONFIG_PATH = "/milvus/configs/meta";
export const MIGRATION_DATA_PATH = "/milvus/data";
/** The backup file on the PVC. */
export const MIGRATION_BACKUP_FILE = `${MIGRATION_DATA_PATH}/migration.bak`;

/** Annotations of the state ConfigMap. */
export const MIGRATION_ANNOTATIONS = {
  /** Milvus version before the migration, e.g. "2.1.4". */
  sourceVersion: "milvus-cluster.io/source-version",
  /** Helm revision that ran the source version: the rollback target. */
  sourceRevision: "milvus-cluster.io/source-revision",
  /** Image tag of the source version, e.g. "v2.1.4" (the rollback's health gate). */
  sourceTag: "milvus-cluster.io/source-tag",
  /** Milvus version the migration produces, e.g. "2.2.0". */
  targetVersion: "milvus-cluster.io/target-version",
  /** `done` once the backup Job completed; `stale` once a rollback restarted the source version and passed its health gate. */
  backup: "milvus-cluster.io/backup",
  /** `started`, `failed`, `done`, or `rolled-back` (a rollback restored the metadata; it finished once backup is `stale`). */
  migrate: "milvus-cluster.io/migrated",
  /** `done` once the helm upgrade to the 2.2 chart succeeded. */
  upgraded: "milvus-cluster.io/upgraded",
  /** `done` once the new version passed its health gate. */
  complete: "milvus-cluster.io/complete",
} as const;

/** File names of the migration manifests in the executor bundle. */
export const MIGRATION_FILES = {
  backupClaim: "migration-backup-pvc.yaml",
  toolConfig: "migration-tool-config.yaml",
  state: "migration-state.yaml",
  backupJob: "migration-backup-job.yaml",
  migrateJob: "migration-migrate-job.yaml",
  rollbackJob: "migration-rollback-job.yaml",
} as const;

/** Placeholders the executor replaces at run time, each with a value it validated first. */
export const MIGRATION_PLACEHOLDERS = {
  etcdEndpoint: "@ETCD_ENDPOINT@",
  sourceVersion: "@SOURCE_VERSION@",
  sourceRevision: "@SOURCE_REVISION@",
  sourceTag: "@SOURCE_TAG@",
  replicas: "@REPLICAS@",
} as const;

/** Names of the migration objects of a release. */
export interface MigrationObjectNames {
  /** ConfigMap recording replicas, source version/revision/tag and the finished phases. */
  readonly stateConfigMap: string;
  /** ConfigMap with the tool's configs `backup.yaml`, `migration.yaml`, `rollback.yaml`. */
  readonly toolConfigMap: string;
  /** PersistentVolumeClaim holding the backup file. */
  readonly backupClaim: string;
  /** Job backing up the metadata. */
  readonly backupJob: string;
  /** Job migrating the metadata (`cmd.type: run`). */
  readonly migrateJob: string;
  /** Job restoring the metadata from the backup. */
  readonly rollbackJob: string;
}

/** `<release>-<suffix>` within `max` characters: a long release name is cut and keeps a short hash of the full name. */
function objectName(releaseName: string, suffix: string, max: number): string {
  const plain = `${releaseName}-${suffix}`;
  if (plain.length <= max) return plain;
  const hash = createHash("sha256").update(releaseName).digest("hex").slice(0, 5);
  const room = max - suffix.length - hash.length - 2;
  return `${releaseName.slice(0, room).replace(/-+$/, "")}-${hash}-${suffix}`;
}

/**
 * The names of the migration objects of a release; Job names stay within 63 characters (their pods carry the name
 * in a label), the others are far below the 253 of a DNS subdomain.
 * @param releaseName the Helm release name (validated by the caller)
 */
export function migrationObjectNames(releaseName: string): MigrationObjectNames {
  return {
    stateConfigMap: `${releaseName}-meta-migration-state`,
    toolConfigMap: `${releaseName}-meta-migration-tools`,
    backupClaim: `${releaseName}-meta-migration-backup`,
    backupJob: objectName(releaseName, "meta-backup", 63),
    migrateJob: objectName(releaseName, "meta-migrate", 63),
    rollbackJob: objectName(releaseName, "meta-rollback", 63),
  };
}

/** Image references the executor accepts (the core's pattern). */
export const IMAGE_REFERENCE_PATTERN = IMAGE_REFERENCE;
/** An etcd endpoint: `host:port` (the core's pattern). */
export const ETCD_ENDPOINT_PATTERN = HOST_PORT;
/** etcd root path: slash-separated segments of letters, digits, '_', '.', '-'. */
const ROOT_PATH_PATTERN = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
/** A positive storage quantity. */
const STORAGE_QUANTITY_PATTERN = /^[1-9][0-9]*(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Fields `MigrationOptions` accepts. */
export const MIGRATION_OPTION_FIELDS: readonly string[] = ["etcdEndpoint", "rootPath", "storageClass", "image", "sessionWaitSeconds", "rollbackOnFailure", "cleanup", "backupSize"];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Every problem of migration options (empty when valid): unknown fields, an endpoint that is not `host:port` with a
 * port 1-65535, a root path, StorageClass, image or size that is not one, a wait outside 0..3600 s, flags that are not
 * booleans. Field paths are `<field>.<name>`.
 * @param opts the options as given (may come from untyped callers)
 * @param field the path of the options object in the caller's input
 */
export function migrationOptionsProblems(opts: unknown, field = "migration"): InputProblem[] {
  if (opts === undefined) return [];
  if (!isPlainObject(opts)) return [{ field, ruleId: "R-INPUT", message: "must be an object of migration settings", fix: `e.g. ${field}: { storageClass: "standard" }` }];
  const out: InputProblem[] = [];
  const at = (name: string): string => `${field}.${name}`;
  for (const k of Object.keys(opts)) {
    if (!MIGRATION_OPTION_FIELDS.includes(k)) out.push({ field: at(k), ruleId: "R-INPUT", message: `unknown field "${k}"`, fix: `use one of: ${MIGRATION_OPTION_FIELDS.join(", ")}` });
  }
  const o = opts as MigrationOptions;
  if (o.etcdEndpoint !== undefined) {
    const port = typeof o.etcdEndpoint === "string" ? Number(o.etcdEndpoint.slice(o.etcdEndpoint.lastIndexOf(":") + 1)) : 0;
    if (typeof o.etcdEndpoint !== "string" || o.etcdEndpoint.length > 253 || !ETCD_ENDPOINT_PATTERN.test(o.etcdEndpoint) || port < 1 || port > 65535) {
      out.push({ field: at("etcdEndpoint"), ruleId: "R-INPUT", message: `${JSON.stringify(o.etcdEndpoint)} is not an etcd endpoint host:port`, fix: "use e.g. my-milvus-etcd:2379 (no scheme, no credentials), or leave it unset to discover the release's etcd" });
    }
  }
  if (o.rootPath !== undefined) {
    const bad = typeof o.rootPath !== "string" || o.rootPath.length > 200 || !ROOT_PATH_PATTERN.test(o.rootPath) || o.rootPath.split("/").some((s) => s === "." || s === "..");
    if (bad) out.push({ field: at("rootPath"), ruleId: "R-INPUT", message: `${JSON.stringify(o.rootPath)} is not an etcd root path`, fix: `use the release's etcd.rootPath, e.g. ${DEFAULT_MIGRATION_ROOT_PATH} (letters, digits, '_', '.', '-' and '/' between segments)` });
  }
  if (o.storageClass !== undefined) {
    const p = dns1123SubdomainProblem(o.storageClass);
    if (p) out.push({ field: at("storageClass"), ruleId: "R-INPUT", message: `StorageClass name ${p}`, fix: "use the name of a StorageClass of the cluster (kubectl get storageclass)" });
  }
  if (o.image !== undefined && (typeof o.image !== "string" || o.image.length > 512 || !IMAGE_REFERENCE_PATTERN.test(o.image) || SHELL_METACHARACTERS.test(o.image))) {
    out.push({ field: at("image"), ruleId: "R-INPUT", message: `${JSON.stringify(o.image)} is not a container image reference`, fix: `use registry/repository:tag or @sha256:digest, e.g. ${DEFAULT_META_MIGRATION_IMAGE}` });
  }
  const wait = o.sessionWaitSeconds;
  if (wait !== undefined && !(Number.isSafeInteger(wait) && wait >= 0 && wait <= MAX_SESSION_WAIT_SECONDS)) {
    out.push({ field: at("sessionWaitSeconds"), ruleId: "R-INPUT", message: `${JSON.stringify(wait)} is not a whole number of seconds between 0 and ${MAX_SESSION_WAIT_SECONDS}`, fix: `use e.g. ${DEFAULT_SESSION_WAIT_SECONDS}` });
  }
  for (const flag of ["rollbackOnFailure", "cleanup"] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== "boolean") out.push({ field: at(flag), ruleId: "R-INPUT", message: `${JSON.stringify(o[flag])} is not a boolean`, fix: "use true or false" });
  }
  if (o.backupSize !== undefined && (typeof o.backupSize !== "string" || !STORAGE_QUANTITY_PATTERN.test(o.backupSize))) {
    out.push({ field: at("backupSize"), ruleId: "R-INPUT", message: `${JSON.stringify(o.backupSize)} is not a storage size`, fix: `use a Kubernetes quantity, e.g. ${DEFAULT_BACKUP_SIZE}` });
  }
  return out;
}

/** `MigrationOptions` with every default applied. */
export interface ResolvedMigration {
  /** Given endpoint, or "" to discover it at run time. */
  readonly etcdEndpoint: string;
  readonly rootPath: string;
  /** Given class, or "" for the cluster default. */
  readonly storageClass: string;
  readonly image: string;
  readonly sessionWaitSeconds: number;
  readonly rollbackOnFailure: boolean;
  readonly cleanup: boolean;
  readonly backupSize: string;
}

/** Applies the defaults of `MigrationOptions` (validate first with `migrationOptionsProblems`). */
export function resolveMigrationOptions(opts: MigrationOptions | undefined): ResolvedMigration {
  return {
    etcdEndpoint: opts?.etcdEndpoint ?? "",
    rootPath: opts?.rootPath ?? DEFAULT_MIGRATION_ROOT_PATH,
    storageClass: opts?.storageClass ?? "",
    image: opts?.image ?? DEFAULT_META_MIGRATION_IMAGE,
    sessionWaitSeconds: opts?.sessionWaitSeconds ?? DEFAULT_SESSION_WAIT_SECONDS,
    rollbackOnFailure: opts?.rollbackOnFailure ?? true,
    cleanup: opts?.cleanup ?? false,
    backupSize: opts?.backupSize ?? DEFAULT_BACKUP_SIZE,
  };
}

/** What the migration manifests are generated from. */
export interface MigrationManifestInput {
  /** Helm release name (validated). */
  readonly releaseName: string;
  /** Release namespace (validated). */
  readonly namespace: string;
  /** Milvus version the migration produces, e.g. "2.2.0" (`config.targetVersion`). */
  readonly targetVersion: string;
  /** activeDeadlineSeconds of each Job. */
  readonly jobDeadlineSeconds: number;
  /** The resolved migration settings. */
  readonly migration: ResolvedMigration;
}

/** A Kubernetes object as plain data. */
export type ManifestObject = Record<string, unknown>;

function labels(releaseName: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": "milvus-meta-migration",
    "app.kubernetes.io/instance": releaseName,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "milvus-cluster",
  };
}

/** The tool's config for one command, as upstream's migrate.sh writes it. */
function toolConfig(command: "backup" | "run" | "rollback", input: MigrationManifestInput): string {
  return yaml().stringify({
    cmd: { type: command },
    config: { sourceVersion: MIGRATION_PLACEHOLDERS.sourceVersion, targetVersion: input.targetVersion, backupFilePath: MIGRATION_BACKUP_FILE },
    metastore: { type: "etcd" },
    etcd: { endpoints: [MIGRATION_PLACEHOLDERS.etcdEndpoint], rootPath: input.migration.rootPath, metaSubPath: "meta", kvSubPath: "kv" },
  });
}

function job(input: MigrationManifestInput, name: string, component: string, configFile: string): ManifestObject {
  const names = migrationObjectNames(input.releaseName);
  const jobLabels = labels(input.releaseName, component);
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: input.namespace, labels: jobLabels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: input.jobDeadlineSeconds,
      template: {
        metadata: { labels: jobLabels },
        spec: {
          restartPolicy: "Never",
          // The tool talks to etcd only, never to the Kubernetes API.
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: MIGRATION_RUN_AS_USER,
            runAsGroup: MIGRATION_RUN_AS_USER,
            fsGroup: MIGRATION_RUN_AS_USER,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "meta-migration",
              image: input.migration.image,
              imagePullPolicy: "IfNotPresent",
              // No shell: the binary with its config file, exactly.
              command: ["/milvus/bin/meta-migration", `-config=${MIGRATION_CONFIG_PATH}/${configFile}`],
              resources: { requests: { cpu: "100m", memory: "256Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "backup", mountPath: MIGRATION_DATA_PATH },
                { name: "config", mountPath: MIGRATION_CONFIG_PATH, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "backup", persistentVolumeClaim: { claimName: names.backupClaim } },
            { name: "config", configMap: { name: names.toolConfigMap } },
            { name: "tmp", emptyDir: {} },
          ],
        },
      },
    },
  };
}

/**
 * The migration objects by bundle file name: the backup PVC, the tool-config ConfigMap (`backup.yaml`,
 * `migration.yaml`, `rollback.yaml` with `@ETCD_ENDPOINT@` and `@SOURCE_VERSION@` placeholders), the state ConfigMap
 * skeleton (`@REPLICAS@`, `@SOURCE_*@` placeholders) and the backup, migrate and rollback Jobs (no placeholders).
 * @param input release, namespace, target version, Job deadline and settings
 */
export function migrationManifests(input: MigrationManifestInput): Record<string, ManifestObject> {
  const names = migrationObjectNames(input.releaseName);
  const m = input.migration;
  return {
    [MIGRATION_FILES.backupClaim]: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: names.backupClaim, namespace: input.namespace, labels: labels(input.releaseName, "backup-volume") },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: m.backupSize } },
        ...(m.storageClass !== "" ? { storageClassName: m.storageClass } : {}),
      },
    },
    [MIGRATION_FILES.toolConfig]: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: names.toolConfigMap, namespace: input.namespace, labels: labels(input.releaseName, "tool-config") },
      data: { "backup.yaml": toolConfig("backup", input), "migration.yaml": toolConfig("run", input), "rollback.yaml": toolConfig("rollback", input) },
    },
    [MIGRATION_FILES.state]: {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: names.stateConfigMap,
        namespace: input.namespace,
        labels: labels(input.releaseName, "state"),
        annotations: {
          [MIGRATION_ANNOTATIONS.sourceVersion]: MIGRATION_PLACEHOLDERS.sourceVersion,
          [MIGRATION_ANNOTATIONS.sourceRevision]: MIGRATION_PLACEHOLDERS.sourceRevision,
          [MIGRATION_ANNOTATIONS.sourceTag]: MIGRATION_PLACEHOLDERS.sourceTag,
          [MIGRATION_ANNOTATIONS.targetVersion]: input.targetVersion,
        },
      },
      // "name=count" of every Milvus Deployment before the stop, space-separated.
      data: { replicas: MIGRATION_PLACEHOLDERS.replicas },
    },
    [MIGRATION_FILES.backupJob]: job(input, names.backupJob, "backup", "backup.yaml"),
    [MIGRATION_FILES.migrateJob]: job(input, names.migrateJob, "migrate", "migration.yaml"),
    [MIGRATION_FILES.rollbackJob]: job(input, names.rollbackJob, "rollback", "rollback.yaml"),
  };
}

const FILE_PURPOSE: Readonly<Record<string, string>> = {
  [MIGRATION_FILES.backupClaim]: "the volume that keeps the metadata backup (created only when absent, never deleted unless migration.cleanup)",
  [MIGRATION_FILES.toolConfig]: "the meta-migration tool's configs",
  [MIGRATION_FILES.state]: "the migration state: recorded replicas, source version, finished phases",
  [MIGRATION_FILES.backupJob]: "backs up the etcd metadata into the PVC",
  [MIGRATION_FILES.migrateJob]: "migrates the metadata to the 2.2 layout (cmd.type run)",
  [MIGRATION_FILES.rollbackJob]: "restores the metadata from the backup",
};

/**
 * The migration manifests as YAML files for the bundle, each with a comment saying what it is and that `@...@`
 * placeholders are filled in by the executor.
 * @param input release, namespace, target version, Job deadline and settings
 */
export function migrationFiles(input: MigrationManifestInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, object] of Object.entries(migrationManifests(input))) {
    // No anchors and aliases for repeated objects (the labels): every object is written out in full.
    const doc = new (yaml().Document)(object, { version: "1.1", aliasDuplicateObjects: false });
    doc.commentBefore = [
      ` Metadata migration ${input.releaseName}: ${FILE_PURPOSE[file] ?? file}. Generated by milvus-cluster.`,
      " @NAME@ placeholders are filled in by the executor at run time with values it validated first.",
    ].join("\n");
    out[file] = doc.toString();
  }
  return out;
}
