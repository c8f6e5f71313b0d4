import type { UpgradeStep } from "../plan/types";

/** Default in-cluster executor image: contains sh, helm and kubectl. Pin it by digest in production. */
export const DEFAULT_EXECUTOR_IMAGE = "alpine/k8s:1.31.9";

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
  /** Roll back a failed step (helm 3 `--atomic`, helm 4 `--rollback-on-failure`). @default false */
  readonly rollbackOnFailure?: boolean;
  /** Replaces every step's chart repository (an https mirror or an `oci://` registry path). @default unset */
  readonly chartRepository?: string;
}

/** A rendered executor: one POSIX sh script plus one values file per step. */
export interface ExecutorBundle {
  /** The script (file name `upgrade.sh`). */
  readonly script: string;
  /** Values files by file name (`step-1.yaml`, ...). Never contain credentials. */
  readonly files: Readonly<Record<string, string>>;
  /** Content hash (hex, 10 characters) over script and files. */
  readonly hash: string;
  /** One line per step, e.g. "2.5.16 (chart 4.2.58)". */
  readonly stepSummary: readonly string[];
  /** Upper bound of the run time in seconds (all steps and gates), for deadlines and timeouts. */
  readonly maxDurationSeconds: number;
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
  /** ConfigMap name holding script and values. */
  readonly configMapName: string;
  /** Container image. */
  readonly image: string;
  /** Container command. */
  readonly command: readonly string[];
  /** Where the ConfigMap is mounted. */
  readonly mountPath: string;
  /** Writable emptyDir mount for HELM_* and HOME. */
  readonly scratchPath: string;
  /** Container environment (no secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** Namespaced RBAC rules the executor needs. */
  readonly rbacRules: readonly RbacRule[];
  /** Job activeDeadlineSeconds. */
  readonly activeDeadlineSeconds: number;
  /** Job ttlSecondsAfterFinished. */
  readonly ttlSecondsAfterFinished: number;
  /** Numeric non-root user id. */
  readonly runAsUser: number;
  /** Labels for every executor object. */
  readonly labels: Readonly<Record<string, string>>;
  /** ConfigMap data: `upgrade.sh` and the values files. */
  readonly configMapData: Readonly<Record<string, string>>;
}
