import { ApiObject, Duration, JsonPatch, Size } from "cdk8s";
import * as kplus from "cdk8s-plus-28";
import { Construct } from "constructs";
import type { ExecutorJobModel } from "../executor/types";

/** Props of `MilvusUpgradeJob`. */
export interface MilvusUpgradeJobProps {
  /** The executor Job model (`executorJobModel`): names, image, command, mounts, env, RBAC, deadlines. */
  readonly model: ExecutorJobModel;
  /** Namespace of every object (the release namespace). */
  readonly namespace: string;
}

/** Volume names inside the Job's pod. */
const EXECUTOR_VOLUME = "executor";
const RUNTIME_VOLUME = "runtime";
const TOOLS_VOLUME = "tools";
const SCRATCH_VOLUME = "scratch";
/** The pod label cdk8s-plus adds for its selectors (`Pod.ADDRESS_LABEL`). */
const ADDRESS_LABEL = kplus.Pod.ADDRESS_LABEL;

/**
 * The in-cluster executor: a ServiceAccount, a namespaced Role with exactly the executor's RBAC rules, a
 * RoleBinding, a ConfigMap holding the plan (`plan.json`, one values file per step, no credentials), a ConfigMap
 * holding the bundled executor program (`executor.cjs`), and a Job that runs it once (`backoffLimit` 0,
 * `restartPolicy` Never): an init container copies helm and kubectl from the tools image into an emptyDir, then the
 * main container runs `node executor.cjs` from the Node.js image. The pod mounts the service-account token (helm
 * talks to the API server); both containers run as a numeric non-root user with a read-only root filesystem, no
 * privilege escalation and no capabilities, and write only to emptyDirs (the copied binaries; `HOME` and the `HELM_*`
 * directories).
 *
 * The Job's name carries a content hash of plan, values and image: a changed plan creates a new Job (a Job's pod
 * template is immutable), an unchanged one is left alone. The ConfigMap has the Job's name and is immutable, so a
 * Job still running from an earlier plan keeps reading its own script and values; the ServiceAccount, Role and
 * RoleBinding keep one stable name per release (`<release>-milvus-upgrader`). The program's ConfigMap is named
 * `<release>-milvus-executor-<hash of executor.cjs>`: the same object for every plan of one library version. Old
 * ConfigMaps disappear when the manifests are applied with pruning (GitOps tools, `kubectl apply --prune`).
 */
export class MilvusUpgradeJob extends Construct {
  /** The ServiceAccount the Job runs as. */
  readonly serviceAccount: kplus.ServiceAccount;
  /** The namespaced Role. */
  readonly role: ApiObject;
  /** Binds the Role to the ServiceAccount. */
  readonly roleBinding: ApiObject;
  /** The plan: `plan.json`, the values files and the migration manifests. */
  readonly configMap: kplus.ConfigMap;
  /** The bundled executor program (`executor.cjs`), named by its hash and immutable. */
  readonly runtimeConfigMap: kplus.ConfigMap;
  /** The executor Job. */
  readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: MilvusUpgradeJobProps) {
    super(scope, id);
    const { model, namespace } = props;
    const labels = { ...model.labels };
    const metadata = (name: string) => ({ name, namespace, labels });

    this.serviceAccount = new kplus.ServiceAccount(this, "service-account", {
      metadata: metadata(model.serviceAccountName),
      // Only the Job's pod mounts the token (automountServiceAccountToken on the pod).
      automountToken: false,
    });

    // Raw objects: the executor's rules are emitted exactly as modelled (cdk8s-plus would split them per resource).
    this.role = new ApiObject(this, "role", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: metadata(model.serviceAccountName),
      rules: model.rbacRules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
    });
    this.roleBinding = new ApiObject(this, "role-binding", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: metadata(model.serviceAccountName),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: model.serviceAccountName },
      subjects: [{ kind: "ServiceAccount", name: model.serviceAccountName, namespace }],
    });
    // Emitted in apply order: ServiceAccount, Role, RoleBinding, ConfigMap, then the Job.
    this.role.addDependency(this.serviceAccount);
    this.roleBinding.addDependency(this.serviceAccount, this.role);

    // Named like the Job (content hash) and immutable: a running Job never sees the files of another plan.
    this.configMap = new kplus.ConfigMap(this, "config-map", {
      metadata: metadata(model.jobName),
      data: { ...model.configMapData },
      immutable: true,
    });

    // The program: one object per release and library version, shared by every plan (its name is its hash).
    this.runtimeConfigMap = new kplus.ConfigMap(this, "runtime-config-map", {
      metadata: metadata(model.runtimeConfigMapName),
      data: { ...model.runtimeConfigMapData },
      immutable: true,
    });

    const executorVolume = kplus.Volume.fromConfigMap(this, "executor-volume", this.configMap, { name: EXECUTOR_VOLUME, defaultMode: 0o444 });
    const runtimeVolume = kplus.Volume.fromConfigMap(this, "runtime-volume", this.runtimeConfigMap, { name: RUNTIME_VOLUME, defaultMode: 0o444 });
    const toolsVolume = kplus.Volume.fromEmptyDir(this, "tools-volume", TOOLS_VOLUME);
    const scratchVolume = kplus.Volume.fromEmptyDir(this, "scratch-volume", SCRATCH_VOLUME);
    const envVariables: Record<string, kplus.EnvValue> = {};
    for (const [k, v] of Object.entries(model.env)) envVariables[k] = kplus.EnvValue.fromValue(v);
    const securityContext: kplus.ContainerSecurityContextProps = {
      user: model.runAsUser,
      group: model.runAsUser,
      ensureNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: [kplus.Capability.ALL] },
      seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
    };

    this.job = new kplus.Job(this, "job", {
      metadata: metadata(model.jobName),
      podMetadata: { labels },
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      backoffLimit: 0,
      activeDeadline: Duration.seconds(model.activeDeadlineSeconds),
      ttlAfterFinished: Duration.seconds(model.ttlSecondsAfterFinished),
      restartPolicy: kplus.RestartPolicy.NEVER,
      securityContext: { user: model.runAsUser, group: model.runAsUser, fsGroup: model.runAsUser, ensureNonRoot: true },
      // helm and kubectl from the tools image, copied into an emptyDir the executor runs them from.
      initContainers: [
        {
          name: "tools",
          image: model.toolsImage,
          command: [...model.toolsCommand],
          securityContext,
          resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: Size.mebibytes(16) } },
          volumeMounts: [{ path: model.toolsPath, volume: toolsVolume }],
        },
      ],
      containers: [
        {
          name: "executor",
          image: model.image,
          command: [...model.command],
          envVariables,
          securityContext,
          volumeMounts: [
            { path: model.mountPath, volume: executorVolume, readOnly: true },
            { path: model.runtimeMountPath, volume: runtimeVolume, readOnly: true },
            { path: model.toolsPath, volume: toolsVolume, readOnly: true },
            { path: model.scratchPath, volume: scratchVolume },
          ],
        },
      ],
    });
    // cdk8s-plus labels pods with their construct address; the Job needs no selector, and its pod template must depend
    // on the plan alone (a Job's template is immutable, its name only changes with the plan).
    ApiObject.of(this.job).addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${ADDRESS_LABEL.replace("/", "~1")}`));
    this.job.node.addDependency(this.serviceAccount, this.roleBinding, this.configMap, this.runtimeConfigMap);
  }
}
