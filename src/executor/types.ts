import type { UpgradeStep } from "../plan/types";

/**
 * Default image the in-cluster executor takes `helm` and `kubectl` from: its init container copies `/usr/bin/helm`
 * and `/usr/bin/kubectl` into an emptyDir. alpine/k8s installs both there (github.com/alpine-docker/k8s, Dockerfile:
 * `mv linux-${ARCH}/helm /usr/bin/helm`, `mv kubectl /usr/bin/kubectl`); its build.sh builds each tag with kubectl of
 * the tag's version and the newest helm release of its build day (kubectl 1.31.9 is of May 2025, well after helm
 * 3.14.0, the executor's minimum, of January 2024). Pin it by digest in production.
 */
export const DEFAULT_EXECUTOR_IMAGE = "alpine/k8s:1.31.9";

/**
 * Default Node.js runtime image of the in-cluster executor's main container, which runs the bundled `executor.cjs`.
 * The official image (github.com/nodejs/docker-node, `24/alpine3.23/Dockerfile`: Node 24 LTS unpacked into
 * `/usr/local`, so node is `/usr/local/bin/node`); an exact version tag, unlike the distroless images, which publish
 * only moving tags (`nonroot`, `latest`). It declares no USER (it would run as root); the pod runs it as uid 65532
 * with `runAsNonRoot`. Pin it by digest in production.
 */
export const DEFAULT_EXECUTOR_NODE_IMAGE = "node:24.19.0-alpine3.23";

/**
 * Settings of the offline metadata migration (Milvus 2.1.x -> 2.2.x, R-META-MIGRATION), used when the steps contain a
 * `meta-migration` step. Every value is validated before it reaches the script or a manifest.
 */
export interface MigrationOptions {
  /**
   * etcd endpoint (`host:port`) that holds the release's metadata; the meta-migration tool connects to it from inside
   * the cluster.
   * @default discovered at run time: `externalEtcd.endpoints[0]` of the live values when `externalEtcd.enabled`, else the
   * release's etcd Service (label `app.kubernetes.io/name=etcd`, not headless, port named `client`)
   */
  readonly etcdEndpoint?: string;
  /**
   * etcd root path of the release (`etcd.rootPath` in milvus.yaml, `metadata.rootPath` in charts before 4.0); Milvus
   * keeps its metadata under `<rootPath>/meta`. A live release whose values name another root path is refused.
   * @default "by-dev"
   */
  readonly rootPath?: string;
  /**
   * StorageClass of the backup PersistentVolumeClaim.
   * @default unset: the cluster's default StorageClass (checked when StorageClasses can be read)
   */
  readonly storageClass?: string;
  /** Image of the meta-migration tool (runs `/milvus/bin/meta-migration`). Pin it by digest in production. @default DEFAULT_META_MIGRATION_IMAGE */
  readonly image?: string;
  /**
   * Longest wait, in whole seconds, for the etcd session keys of the stopped components to expire (Milvus 2.1 leases
   * last 60 s). With the release's bundled etcd the executor polls the keys (`etcdctl` in the etcd pod) and continues
   * as soon as none is left, failing after this long; otherwise it waits exactly this long.
   * @default 75
   */
  readonly sessionWaitSeconds?: number;
  /**
   * After a failure once the migration has begun (backup, migrate, helm upgrade, health gate), return to the old
   * version by itself: restore the metadata from the backup, helm rollback to the 2.1 revision, restore the recorded
   * replicas, health gate on the old image. When false the executor stops and records its progress for a re-run.
   * @default true
   */
  readonly rollbackOnFailure?: boolean;
  /**
   * Delete the migration objects (Jobs, tool ConfigMap, state ConfigMap and the backup PVC) after a successful
   * migration. Off by default: the backup is the safety net.
   * @default false
   */
  readonly cleanup?: boolean;
  /** Size of the backup PersistentVolumeClaim, a Kubernetes quantity. @default "10Gi" */
  readonly backupSize?: string;
}

/** What the executor does: run the upgrade chain, or roll a metadata migration back to its 2.1 source. */
export type ExecutorOperation = "upgrade" | "rollback-migration";

/** Options for `renderExecutor`. */
export interface ExecutorOptions {
  /** Helm release name (DNS-1123 label, <= 53 characters). */
  readonly releaseName: string;
  /** Release namespace (DNS-1123 label). */
  readonly namespace: string;
  /** Steps to run, in order (candidate stops or an exact plan). */
  readonly steps: readonly UpgradeStep[];
  /** Target Milvus version: a live release above it is refused (downgrade). */
  readonly targetVersion: string;
  /**
   * Whether `steps` ends with the final target step, run as `helm upgrade --install` (cdk8s, CLI apply).
   * When false (Pulumi) the final step belongs to the Helm Release resource and an absent release is not an error.
   * @default true
   */
  readonly includesFinalStep?: boolean;
  /**
   * Refuse unless the live release runs this version (makes the preview show the exact chain), or a version one of
   * the steps produces, so that a re-run after a partly successful run still resumes. @default unset
   */
  readonly expectedFrom?: string;
  /** Timeout of each helm upgrade and each health gate, in seconds. @default 900 */
  readonly stepTimeoutSeconds?: number;
  /**
   * Roll back a failed step (helm 3 `--atomic`, helm 4 `--rollback-on-failure`). Never used for the helm step of a
   * metadata migration: helm's rollback would start the 2.1 image on migrated metadata; that step rolls back by itself
   * (`migration.rollbackOnFailure`).
   * @default false
   */
  readonly rollbackOnFailure?: boolean;
  /** Replaces every step's chart repository (an https mirror or an `oci://` registry path). @default unset */
  readonly chartRepository?: string;
  /**
   * Install even when the release does not exist but volume claims labelled with its name remain (an uninstalled
   * release's etcd, MinIO or Pulsar data). Off, such leftovers are refused: the data was written by a Milvus version
   * the executor cannot see, and installing the target on it can lose it.
   * @default false
   */
  readonly allowExistingData?: boolean;
  /** Settings of the metadata migration step (Milvus 2.1.x -> 2.2.x). @default every MigrationOptions default */
  readonly migration?: MigrationOptions;
  /**
   * `upgrade` runs the steps. `rollback-migration` runs none of them: it rolls back a metadata migration recorded by an
   * earlier run (restore the metadata from the backup, helm rollback to the 2.1 revision, restore the recorded
   * replicas, health gate); the steps must contain the `meta-migration` step.
   * @default "upgrade"
   */
  readonly operation?: ExecutorOperation;
}

/**
 * A rendered executor: the files the executor reads from its directory. No script: the executor is the TypeScript
 * program `runExecutor` (bundled as `executor.cjs`).
 */
export interface ExecutorBundle {
  /**
   * Files by name: `plan.json` (the `ExecutorInput`), the values files (`step-1.yaml`, ...) and, with a metadata
   * migration, its manifests (`migration-*.yaml`). Never contain credentials.
   */
  readonly files: Readonly<Record<string, string>>;
  /** Content hash (hex, 10 characters) over the files. */
  readonly hash: string;
  /** One line per step, e.g. "2.5.16 (chart 4.2.58)". */
  readonly stepSummary: readonly string[];
  /** Upper bound of the run time in seconds (all steps and gates), for deadlines and timeouts. */
  readonly maxDurationSeconds: number;
  /**
   * Whether the bundle can run the metadata migration (it holds its manifests), which needs the extra RBAC rules
   * `MIGRATION_RBAC_RULES`.
   * @default false
   */
  readonly includesMigration?: boolean;
}

/** A namespaced RBAC rule. */
export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** Everything an adapter needs to create the in-cluster executor Job; shared by the Pulumi and cdk8s adapters. */
export interface ExecutorJobModel {
  /** Job name: `<release>-upgrade-<hash>`, at most 63 characters. */
  readonly jobName: string;
  /** Namespace of every executor object: the release namespace (the Role grants rights only there). @default unset (older models) */
  readonly namespace?: string;
  /** ServiceAccount, Role, RoleBinding name. */
  readonly serviceAccountName: string;
  /** Name of the per-plan ConfigMap: `plan.json`, the values files and the migration manifests. */
  readonly configMapName: string;
  /** Image of the main container: a Node.js runtime that runs the bundled executor. */
  readonly image: string;
  /** Main container command: the node binary and the bundled executor, e.g. `["/usr/local/bin/node", "/opt/milvus-cluster/runtime/executor.cjs"]`. */
  readonly command: readonly string[];
  /** Image of the init container that provides `helm` and `kubectl`. */
  readonly toolsImage: string;
  /** Init container command: copies helm and kubectl into `toolsPath`, e.g. `["cp", "/usr/bin/helm", "/usr/bin/kubectl", "/opt/milvus-cluster/bin/"]`. */
  readonly toolsCommand: readonly string[];
  /** emptyDir mount holding the copied helm and kubectl (written by the init container, read-only in the main container). */
  readonly toolsPath: string;
  /** Where the per-plan ConfigMap is mounted (read-only): `MILVUS_EXECUTOR_DIR`. */
  readonly mountPath: string;
  /** Name of the runtime ConfigMap holding `executor.cjs`: `<release>-milvus-executor-<hash of executor.cjs>`, immutable, shared by every plan of one library version. */
  readonly runtimeConfigMapName: string;
  /** Where the runtime ConfigMap is mounted (read-only). */
  readonly runtimeMountPath: string;
  /** Runtime ConfigMap data: `{ "executor.cjs": <source> }`. */
  readonly runtimeConfigMapData: Readonly<Record<string, string>>;
  /** Writable emptyDir mount for HELM_* and HOME. */
  readonly scratchPath: string;
  /** Main container environment (no secrets): HELM_BIN, KUBECTL_BIN, MILVUS_EXECUTOR_DIR, MILVUS_EXECUTOR_HEALTH=service, helm's directories. */
  readonly env: Readonly<Record<string, string>>;
  /** Namespaced RBAC rules the executor needs. */
  readonly rbacRules: readonly RbacRule[];
  /** Job activeDeadlineSeconds. */
  readonly activeDeadlineSeconds: number;
  /** Job ttlSecondsAfterFinished. */
  readonly ttlSecondsAfterFinished: number;
  /** Numeric non-root user id (both containers). */
  readonly runAsUser: number;
  /** Labels for every executor object. */
  readonly labels: Readonly<Record<string, string>>;
  /** Per-plan ConfigMap data: `plan.json`, the values files and the migration manifests. */
  readonly configMapData: Readonly<Record<string, string>>;
}
