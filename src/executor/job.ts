import { createHash } from "node:crypto";
import { type InputProblem, MilvusClusterError } from "../errors";
import { namespaceProblem, releaseNameProblem } from "../spec/validate";
import { HEALTH_CHECK_ENV } from "./health";
import { IMAGE_REFERENCE_PATTERN } from "./migration";
import { type ExecutorRuntime, executorRuntime } from "./runtime";
import { DEFAULT_EXECUTOR_IMAGE, DEFAULT_EXECUTOR_NODE_IMAGE, type ExecutorBundle, type ExecutorJobModel, type RbacRule } from "./types";

/** Options of `executorJobModel`. */
export interface ExecutorJobOptions {
  /** Helm release name (DNS-1123 label, <= 53 characters); names and labels the executor objects. */
  readonly releaseName: string;
  /** Release namespace (DNS-1123 label): the executor's objects and rights live here. */
  readonly namespace: string;
  /**
   * Image the init container copies `helm` (>= 3.14) and `kubectl` from (it runs `cp`, so it needs one). Pin it by digest in production.
   * @default DEFAULT_EXECUTOR_IMAGE
   */
  readonly toolsImage?: string;
  /** Absolute path of helm in `toolsImage`. @default "/usr/bin/helm" (alpine/k8s, alpine/helm) */
  readonly helmPath?: string;
  /** Absolute path of kubectl in `toolsImage`. @default "/usr/bin/kubectl" (alpine/k8s) */
  readonly kubectlPath?: string;
  /** Node.js (>= 20) runtime image of the main container, which runs the bundled executor. Pin it by digest in production. @default DEFAULT_EXECUTOR_NODE_IMAGE */
  readonly nodeImage?: string;
  /**
   * Absolute path of the node binary in `nodeImage`: `/usr/local/bin/node` in the official node images,
   * `/nodejs/bin/node` in the distroless nodejs images.
   * @default "/usr/local/bin/node"
   */
  readonly nodeBinary?: string;
  /** The bundled executor program. @default executorRuntime() (dist/executor/executor.cjs of this package) */
  readonly runtime?: ExecutorRuntime;
  /** Seconds a finished Job is kept (its logs show what ran). @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Reserved, must stay false: the executor only ever gets a namespaced Role. Chart options that render
   * cluster-scoped objects (ClusterRoles of some subcharts, PodSecurityPolicies) fail with "forbidden" instead.
   * @default false
   */
  readonly clusterScopedRbac?: boolean;
}

/** Where the per-plan ConfigMap (`plan.json`, values files, migration manifests) is mounted: `MILVUS_EXECUTOR_DIR`. */
export const EXECUTOR_MOUNT_PATH = "/executor";

/** Where the runtime ConfigMap (`executor.cjs`) is mounted. */
export const EXECUTOR_RUNTIME_MOUNT_PATH = "/opt/milvus-cluster/runtime";

/** emptyDir into which the init container copies helm and kubectl; HELM_BIN and KUBECTL_BIN point here. */
export const EXECUTOR_TOOLS_PATH = "/opt/milvus-cluster/bin";

/** Default path of helm in the tools image (alpine/k8s: `/usr/bin/helm`). */
export const DEFAULT_TOOLS_HELM_PATH = "/usr/bin/helm";

/** Default path of kubectl in the tools image (alpine/k8s: `/usr/bin/kubectl`). */
export const DEFAULT_TOOLS_KUBECTL_PATH = "/usr/bin/kubectl";

/** Default path of node in the Node.js image (official node images: `/usr/local/bin/node`). */
export const DEFAULT_NODE_BINARY = "/usr/local/bin/node";

/** Writable emptyDir for helm's cache, config and data directories, HOME and TMPDIR. */
export const EXECUTOR_SCRATCH_PATH = "/tmp/helm";

/** Numeric non-root user the executor runs as (the conventional "nonroot" uid of distroless images). */
export const EXECUTOR_RUN_AS_USER = 65532;

/** Default seconds a finished executor Job is kept. */
export const DEFAULT_EXECUTOR_TTL_SECONDS = 86400;

/** Seconds added to the bundle's `maxDurationSeconds` for the Job deadline: image pull and pod start-up. */
export const EXECUTOR_DEADLINE_SLACK_SECONDS = 300;

/** Kubernetes verbs helm uses on objects it manages (create, three-way-merge patch or update, delete, get/list/watch for --wait). */
export const MANAGE_VERBS: readonly string[] = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** Verbs for objects the executor only reads. */
export const READ_VERBS: readonly string[] = ["get", "list", "watch"];

/** One namespaced kind the executor handles, and why. */
export interface ExecutorResourceKind {
  /** API group ("" for the core group). */
  readonly apiGroup: string;
  /** Plural resource name. */
  readonly resource: string;
  /** `manage`: helm creates, updates and deletes it; `read`: only read (waiting, health gates). */
  readonly access: "manage" | "read";
  /** Exactly these verbs instead of those of `access`, for a kind the executor itself uses narrowly. @default the verbs of `access` */
  readonly verbs?: readonly string[];
  /** Where the need comes from. */
  readonly why: string;
}

/**
 * Every namespaced kind the executor touches. Derived from `helm template` of the Milvus chart (zilliztech/milvus-helm
 * `charts/milvus`, 4.x and 5.x) with its bundled subcharts etcd 8.12.0, minio 8.0.17, pulsar 2.7.8 (`pulsar`),
 * pulsar 3.3.0 (`pulsarv3`), kafka 15.5.1 and tei 1.6.0, for each message queue and mode and with the optional
 * features (ingress, HPA, PDB, ServiceMonitor/PodMonitor, network policies) enabled; plus what helm itself needs
 * (release storage, `--wait`) and the health gates (`kubectl rollout status`). No `services/proxy`: the Job's health
 * gate asks the Milvus Service directly (`MILVUS_EXECUTOR_HEALTH=service`); only `apply` and Pulumi's local executor
 * use the API server's service proxy, with the user's own kubeconfig. Cluster-scoped kinds that some
 * subchart options render (ClusterRole, PodSecurityPolicy, StorageClass, CRDs) are deliberately absent.
 */
export const EXECUTOR_RESOURCE_KINDS: readonly ExecutorResourceKind[] = [
  { apiGroup: "", resource: "secrets", access: "manage", why: "helm release storage (sh.helm.release.v1.<release>.v<revision>); proxy TLS; etcd, minio, kafka, pulsar credentials" },
  { apiGroup: "", resource: "configmaps", access: "manage", why: "milvus.yaml config; every subchart" },
  { apiGroup: "", resource: "services", access: "manage", why: "every component and subchart" },
  { apiGroup: "", resource: "serviceaccounts", access: "manage", why: "milvus serviceaccount.yaml; etcd, minio, kafka, pulsar, tei" },
  { apiGroup: "", resource: "persistentvolumeclaims", access: "manage", why: "standalone and tei persistence, minio standalone; helm --wait checks claims" },
  { apiGroup: "", resource: "pods", access: "read", why: "helm --wait and kubectl rollout status" },
  { apiGroup: "apps", resource: "deployments", access: "manage", why: "Milvus components, attu, cdc, minio standalone, pulsar proxies; health gates" },
  { apiGroup: "apps", resource: "statefulsets", access: "manage", why: "etcd, minio, pulsar, kafka, woodpecker, querynode/indexnode statefulset mode, tei" },
  { apiGroup: "apps", resource: "replicasets", access: "read", why: "helm --wait and kubectl rollout status" },
  { apiGroup: "batch", resource: "jobs", access: "manage", why: "pulsar initialization jobs, minio and kafka provisioning; --wait-for-jobs" },
  { apiGroup: "policy", resource: "poddisruptionbudgets", access: "manage", why: "milvus *-pdb.yaml; etcd, minio, kafka, pulsar" },
  { apiGroup: "autoscaling", resource: "horizontalpodautoscalers", access: "manage", why: "milvus proxy, querynode, datanode, indexnode hpa" },
  { apiGroup: "networking.k8s.io", resource: "ingresses", access: "manage", why: "milvus and attu ingress; minio, pulsar" },
  { apiGroup: "networking.k8s.io", resource: "networkpolicies", access: "manage", why: "etcd, minio, kafka, pulsar network policies" },
  { apiGroup: "rbac.authorization.k8s.io", resource: "roles", access: "manage", why: "pulsar and pulsarv3 broker Role; kafka, minio" },
  { apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings", access: "manage", why: "bindings of those Roles" },
  { apiGroup: "monitoring.coreos.com", resource: "servicemonitors", access: "manage", why: "milvus metrics.serviceMonitor; kafka, minio" },
  { apiGroup: "monitoring.coreos.com", resource: "podmonitors", access: "manage", why: "milvus pulsar-podmonitor.yaml; etcd, minio, pulsar" },
  { apiGroup: "monitoring.coreos.com", resource: "prometheusrules", access: "manage", why: "etcd and kafka alert rules" },
  {
    apiGroup: "coordination.k8s.io",
    resource: "leases",
    access: "manage",
    verbs: ["get", "create", "update"],
    why: "the executor's own lock, one Lease per release (<release>-milvus-upgrade): read, created, renewed and released with optimistic concurrency (replace with resourceVersion); never listed or deleted",
  },
];

/**
 * Rules of the Roles the subcharts render, which the executor must hold itself: Kubernetes RBAC lets a subject
 * create or update a Role only with rights it already has (escalation prevention), and the executor is given neither
 * `escalate` nor `bind`. Source: the broker Role of pulsar 2.7.8 and pulsar 3.3.0
 * (`templates/broker-cluster-role-binding.yaml`, rendered by default for `pulsar` and `pulsarv3`).
 */
export const SUBCHART_ROLE_RULES: readonly RbacRule[] = [
  {
    apiGroups: ["", "extensions", "apps"],
    resources: ["pods", "services", "deployments", "secrets", "statefulsets"],
    verbs: ["list", "watch", "get", "update", "create", "delete", "patch"],
  },
];

/**
 * The extra namespaced rules the executor needs for the metadata migration (`migration.ts`), on top of
 * `executorRbacRules()`, which already covers the rest of what the migration does: configmaps (manage: the state and
 * tool-config ConfigMaps, their annotations), persistentvolumeclaims (manage: the backup volume), jobs (manage: the
 * backup, migrate and rollback Jobs), deployments (read: the replica counts), pods (read: waiting until none is left,
 * finding the etcd pod), services (read: the etcd Service), horizontalpodautoscalers (read: the HPA refusal). No
 * StorageClass right: it is cluster-scoped, so the default class is checked only where the cluster lets anyone read it.
 */
export const MIGRATION_RBAC_RULES: readonly (RbacRule & { readonly why: string })[] = [
  {
    apiGroups: ["apps"],
    resources: ["deployments/scale"],
    verbs: ["get", "update", "patch"],
    why: "kubectl scale: every Milvus Deployment to 0 before the backup, back to the recorded replicas afterwards",
  },
  {
    apiGroups: [""],
    resources: ["pods/log"],
    verbs: ["get"],
    why: "kubectl logs of a failed backup, migrate or rollback Job, printed with the error",
  },
  {
    apiGroups: [""],
    resources: ["pods/exec"],
    // create: the exec call; get: kubectl >= 1.30 opens exec as a websocket GET, which API servers before 1.31 authorize as get.
    verbs: ["create", "get"],
    why:
      "kubectl exec <release etcd pod> -- etcdctl get --prefix --keys-only <rootPath>/meta/session/: wait until the stopped components' " +
      "session keys have expired instead of sleeping a fixed time. It adds no power the Role lacks: the executor already creates " +
      "Deployments, StatefulSets and Jobs in this namespace, so it can already run any pod here",
  },
];

/** Options of `executorRbacRules`. */
export interface ExecutorRbacOptions {
  /** Add `MIGRATION_RBAC_RULES` (the bundle can run the metadata migration). @default false */
  readonly migration?: boolean;
}

/**
 * The executor's namespaced RBAC rules: one rule per API group and access from `EXECUTOR_RESOURCE_KINDS`, then
 * `SUBCHART_ROLE_RULES`, then with `migration` the `MIGRATION_RBAC_RULES` (deployments/scale, pods/log, pods/exec).
 * No cluster-scoped rights: the migration reads StorageClasses only where that is allowed anyway.
 * @param opts which optional rules to add
 */
export function executorRbacRules(opts: ExecutorRbacOptions = {}): RbacRule[] {
  const grouped = new Map<string, { apiGroup: string; verbs: readonly string[]; resources: string[] }>();
  for (const k of EXECUTOR_RESOURCE_KINDS) {
    const verbs = k.verbs ?? (k.access === "manage" ? MANAGE_VERBS : READ_VERBS);
    const id = `${k.apiGroup}\0${verbs.join(",")}`;
    const entry = grouped.get(id) ?? { apiGroup: k.apiGroup, verbs, resources: [] };
    entry.resources.push(k.resource);
    grouped.set(id, entry);
  }
  const rules: RbacRule[] = [...grouped.values()].map((g) => ({
    apiGroups: [g.apiGroup],
    resources: [...g.resources].sort(),
    verbs: [...g.verbs],
  }));
  const extra = opts.migration ? MIGRATION_RBAC_RULES : [];
  return [...rules, ...[...SUBCHART_ROLE_RULES, ...extra].map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }))];
}

const MAX_NAME = 63;
/** An absolute path of plain segments (no shell or YAML syntax). */
const ABSOLUTE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const JOB_INFIX = "-upgrade-";

function jobOptionProblems(bundle: ExecutorBundle, opts: ExecutorJobOptions): InputProblem[] {
  const problems: InputProblem[] = [];
  const push = (p: InputProblem | undefined): void => {
    if (p) problems.push(p);
  };
  push(releaseNameProblem(opts.releaseName, "releaseName"));
  push(namespaceProblem(opts.namespace, "namespace"));
  for (const field of ["toolsImage", "nodeImage"] as const) {
    const image = opts[field];
    if (image !== undefined && (typeof image !== "string" || image.length > 512 || !IMAGE_REFERENCE_PATTERN.test(image))) {
      const example = field === "toolsImage" ? DEFAULT_EXECUTOR_IMAGE : DEFAULT_EXECUTOR_NODE_IMAGE;
      problems.push({ field, ruleId: "R-INPUT", message: `${JSON.stringify(image)} is not a container image reference`, fix: `use registry/repository:tag or @sha256:digest, e.g. ${example}` });
    }
  }
  for (const field of ["helmPath", "kubectlPath", "nodeBinary"] as const) {
    const p = opts[field];
    if (p !== undefined && (typeof p !== "string" || p.length > 256 || !ABSOLUTE_PATH.test(p) || p.split("/").some((seg) => seg === "." || seg === ".."))) {
      problems.push({ field, ruleId: "R-INPUT", message: `${JSON.stringify(p)} is not an absolute file path`, fix: `use a path of letters, digits and ._- segments, e.g. ${field === "nodeBinary" ? DEFAULT_NODE_BINARY : field === "helmPath" ? DEFAULT_TOOLS_HELM_PATH : DEFAULT_TOOLS_KUBECTL_PATH}` });
    }
  }
  if (baseName(opts.helmPath ?? DEFAULT_TOOLS_HELM_PATH) === baseName(opts.kubectlPath ?? DEFAULT_TOOLS_KUBECTL_PATH)) {
    problems.push({ field: "kubectlPath", ruleId: "R-INPUT", message: "helm and kubectl would be copied to the same file name", fix: "name two different files, e.g. /usr/bin/helm and /usr/bin/kubectl" });
  }
  const rt = opts.runtime;
  if (rt !== undefined && (typeof rt?.source !== "string" || typeof rt.hash !== "string" || !/^[0-9a-f]{10}$/.test(rt.hash) || !/^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(String(rt.fileName)))) {
    problems.push({ field: "runtime", ruleId: "R-INPUT", message: "not an executor runtime", fix: "leave runtime unset (the bundled executor.cjs), or pass the result of executorRuntime()" });
  }
  const ttl = opts.ttlSecondsAfterFinished;
  if (ttl !== undefined && !(Number.isSafeInteger(ttl) && ttl >= 0)) {
    problems.push({ field: "ttlSecondsAfterFinished", ruleId: "R-INPUT", message: `${JSON.stringify(ttl)} is not a whole number of seconds >= 0`, fix: `use e.g. ${DEFAULT_EXECUTOR_TTL_SECONDS}` });
  }
  if (opts.clusterScopedRbac !== undefined && opts.clusterScopedRbac !== false) {
    problems.push({ field: "clusterScopedRbac", ruleId: "R-INPUT", message: "the executor never gets cluster-scoped rights", fix: "leave clusterScopedRbac unset; disable chart options that render cluster-scoped objects, or create those objects separately" });
  }
  if (typeof bundle?.hash !== "string" || !/^[0-9a-f]{10}$/.test(bundle.hash) || typeof bundle.files !== "object" || !Number.isSafeInteger(bundle.maxDurationSeconds)) {
    problems.push({ field: "bundle", ruleId: "R-INPUT", message: "not an executor bundle", fix: "pass the result of renderExecutor" });
  }
  return problems;
}

/** `<release>-upgrade-<hash>`, the release part shortened so the name fits 63 characters and still ends alphanumeric. */
export function executorJobName(releaseName: string, hash: string): string {
  const room = MAX_NAME - JOB_INFIX.length - hash.length;
  return `${releaseName.slice(0, room).replace(/-+$/, "")}${JOB_INFIX}${hash}`;
}

/**
 * Everything an adapter needs to create the in-cluster executor: a Job named after a hash of the bundle, both images
 * and the executor program (a new plan, image or library version is a new Job), a ServiceAccount with a namespaced
 * Role (`executorRbacRules`, with the migration rules when the bundle can run the metadata migration) and
 * RoleBinding, and two ConfigMaps: the per-plan one (`plan.json`, values files, migration manifests), mounted
 * read-only at `/executor`, and the runtime one (`executor.cjs`, named by its hash, immutable, shared by every plan
 * of one library version), mounted read-only at `/opt/milvus-cluster/runtime`.
 *
 * The pod: an init container from `toolsImage` copies helm and kubectl into an emptyDir (`/opt/milvus-cluster/bin`);
 * the main container, from `nodeImage`, runs `node /opt/milvus-cluster/runtime/executor.cjs` with HELM_BIN and
 * KUBECTL_BIN pointing at the copies, that emptyDir mounted read-only. Both run as uid 65532 with helm's directories,
 * HOME and TMPDIR on a second emptyDir at `/tmp/helm`; the deadline is the bundle's `maxDurationSeconds` plus 300
 * seconds. Invalid options throw `MilvusClusterError` (rule R-INPUT).
 * @param bundle the rendered executor (`renderExecutor`)
 * @param opts release, namespace and Job settings
 */
export function executorJobModel(bundle: ExecutorBundle, opts: ExecutorJobOptions): ExecutorJobModel {
  const problems = jobOptionProblems(bundle, opts);
  if (problems.length > 0) throw new MilvusClusterError(problems, "invalid executor job options");
  const objectName = `${opts.releaseName}-milvus-upgrader`;
  const toolsImage = opts.toolsImage ?? DEFAULT_EXECUTOR_IMAGE;
  const nodeImage = opts.nodeImage ?? DEFAULT_EXECUTOR_NODE_IMAGE;
  const runtime = opts.runtime ?? executorRuntime();
  const helmPath = opts.helmPath ?? DEFAULT_TOOLS_HELM_PATH;
  const kubectlPath = opts.kubectlPath ?? DEFAULT_TOOLS_KUBECTL_PATH;
  const nodeBinary = opts.nodeBinary ?? DEFAULT_NODE_BINARY;
  // A Job's pod template is immutable: the name covers plan, values, options (bundle.hash), the images, the paths and
  // the executor program, so any change is a new Job rather than a failed update.
  const nameHash = createHash("sha256")
    .update([bundle.hash, toolsImage, nodeImage, runtime.hash, helmPath, kubectlPath, nodeBinary].join("\0"))
    .digest("hex")
    .slice(0, 10);
  return {
    jobName: executorJobName(opts.releaseName, nameHash),
    namespace: opts.namespace,
    serviceAccountName: objectName,
    configMapName: objectName,
    image: nodeImage,
    command: [nodeBinary, `${EXECUTOR_RUNTIME_MOUNT_PATH}/${runtime.fileName}`],
    toolsImage,
    toolsCommand: ["cp", helmPath, kubectlPath, `${EXECUTOR_TOOLS_PATH}/`],
    toolsPath: EXECUTOR_TOOLS_PATH,
    mountPath: EXECUTOR_MOUNT_PATH,
    runtimeConfigMapName: `${opts.releaseName}-milvus-executor-${runtime.hash}`,
    runtimeMountPath: EXECUTOR_RUNTIME_MOUNT_PATH,
    runtimeConfigMapData: { [runtime.fileName]: runtime.source },
    scratchPath: EXECUTOR_SCRATCH_PATH,
    env: {
      HELM_BIN: `${EXECUTOR_TOOLS_PATH}/${baseName(helmPath)}`,
      KUBECTL_BIN: `${EXECUTOR_TOOLS_PATH}/${baseName(kubectlPath)}`,
      HELM_CACHE_HOME: `${EXECUTOR_SCRATCH_PATH}/cache`,
      HELM_CONFIG_HOME: `${EXECUTOR_SCRATCH_PATH}/config`,
      HELM_DATA_HOME: `${EXECUTOR_SCRATCH_PATH}/data`,
      HOME: EXECUTOR_SCRATCH_PATH,
      TMPDIR: EXECUTOR_SCRATCH_PATH,
      MILVUS_EXECUTOR_DIR: EXECUTOR_MOUNT_PATH,
      // The health gate asks http://<service>.<namespace>.svc:9091/healthz from this pod, so the Role needs no services/proxy.
      [HEALTH_CHECK_ENV]: "service",
    },
    rbacRules: executorRbacRules({ migration: bundle.includesMigration === true }),
    activeDeadlineSeconds: bundle.maxDurationSeconds + EXECUTOR_DEADLINE_SLACK_SECONDS,
    ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished ?? DEFAULT_EXECUTOR_TTL_SECONDS,
    runAsUser: EXECUTOR_RUN_AS_USER,
    labels: {
      "app.kubernetes.io/name": "milvus-upgrader",
      "app.kubernetes.io/instance": opts.releaseName,
      "app.kubernetes.io/managed-by": "milvus-cluster",
    },
    configMapData: { ...bundle.files },
  };
}

/** Last segment of an absolute path (validated: plain segments). */
function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}
