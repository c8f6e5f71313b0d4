import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MilvusClusterArgs } from "./args";
import { localExecutorCommand } from "./local-executor";
import { loadPeer } from "../util/peers";
import { milvusEndpoint, type ResolvedCluster, type ResolvedExecutor, resolveClusterArgs, stepLabel } from "./resolve";

/** Pulumi type token of the component. */
export const MILVUS_CLUSTER_TYPE = "milvus-cluster:index:MilvusCluster";

/**
 * Each component's local executor command. Kept outside the class (behind the `executorCommand` getter) because
 * Pulumi's component analyzer turns every property into a schema output and would need `@pulumi/command`'s type.
 */
const localCommands = new WeakMap<MilvusCluster, pulumi.CustomResource>();

/** Name of the Milvus chart in every repository. */
const CHART_NAME = "milvus";

/** Slack added to the executor's own upper bound before Pulumi gives up waiting. */
const EXECUTOR_TIMEOUT_SLACK_SECONDS = 120;

/**
 * Milvus on Kubernetes through the official Helm chart. Changing `version` performs the whole upgrade chain in one
 * `pulumi up`: the intermediate stops the upgrade rules require (for example 2.5.16 with mixCoordinator on the way
 * from 2.5.x to 2.6.x) run first in an executor (an in-cluster Job by default), then a `kubernetes.helm.v3.Release`
 * moves the release to the target with complete values for the target chart (`resetValues: true`).
 *
 * The chain is planned when the program runs. Without `expectedFrom` the executor receives every candidate stop
 * below the target and, at apply time, reads the live release and skips the stops it has already passed; with
 * `expectedFrom` it receives exactly the chain from that version and refuses a live release on another version.
 *
 * Children: a Secret with the credentials (when any are given); when there are stops, either a ServiceAccount,
 * Role, RoleBinding, two ConfigMaps (the plan and values files, no credentials; the bundled executor program) and a
 * Job named with a hash of the plan,
 * or a `command.local.Command` (`executor: "local"`); and the Helm Release, which depends on the executor.
 */
export class MilvusCluster extends pulumi.ComponentResource {
  /** Helm release name. */
  public readonly releaseName: pulumi.Output<string>;
  /** Namespace of the release. */
  public readonly namespace: pulumi.Output<string>;
  /** Target Milvus version. */
  public readonly version: pulumi.Output<string>;
  /** Chart version of the target. */
  public readonly chartVersion: pulumi.Output<string>;
  /** In-cluster `host:port` of the Milvus proxy service; resolves once the Release exists. */
  public readonly endpoint: pulumi.Output<string>;
  /** The intermediate stops handed to the executor, e.g. `["2.5.16 (chart 4.2.58)"]`; empty when there are none. */
  public readonly stops: pulumi.Output<string[]>;
  /** The Helm release of the target version. */
  public readonly release: k8s.helm.v3.Release;
  /** The in-cluster executor Job, when there are stops and `executor` is `in-cluster`. */
  public readonly executorJob?: k8s.batch.v1.Job;
  /**
   * The local executor command (a `command.local.Command` of `@pulumi/command`), when there are stops and
   * `executor` is `local`. Typed as its base class so that programs without `@pulumi/command` installed compile.
   */
  get executorCommand(): pulumi.CustomResource | undefined {
    return localCommands.get(this);
  }
  /** The credentials Secret, when any credential is given. */
  public readonly credentialsSecret?: k8s.core.v1.Secret;

  /**
   * Creates the cluster. Every argument problem is reported at once as a `pulumi.InputPropertiesError` thrown
   * synchronously, before any resource is registered.
   * @param name resource name (and the default release name)
   * @param args cluster arguments
   * @param opts component options
   */
  constructor(name: string, args: MilvusClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const r = resolveClusterArgs(name, args);
    super(MILVUS_CLUSTER_TYPE, name, {}, opts);

    // Requirements (R-HELM-MIN) are information; assumptions and risks are warnings.
    for (const w of r.warnings) (w.includes("[R-HELM-MIN]") ? pulumi.log.info : pulumi.log.warn)(w, this);
    if (r.stops.length > 0) {
      const how =
        r.expectedFrom !== undefined
          ? `exact chain from ${r.expectedFrom}`
          : "candidate stops; the executor skips those the live release has already passed";
      pulumi.log.info(`MilvusCluster ${name}: stops before ${stepLabel(r.target)}: ${r.stops.map(stepLabel).join(", ")} (${how}; executor ${r.executor})`, this);
    } else {
      pulumi.log.info(`MilvusCluster ${name}: no stop before ${stepLabel(r.target)}`, this);
    }

    const namespaceResource = r.createNamespace
      ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: r.namespace } }, { parent: this })
      : undefined;
    const inNamespace: pulumi.Resource[] = namespaceResource ? [namespaceResource] : [];

    this.credentialsSecret = r.credentials.length > 0 ? credentialsSecret(name, r, inNamespace, this) : undefined;
    const needsCredentials: pulumi.Resource[] = [...inNamespace, ...(this.credentialsSecret ? [this.credentialsSecret] : [])];

    if (r.rendered && r.executor === "in-cluster") {
      this.executorJob = inClusterExecutor(name, r, r.rendered, needsCredentials, this);
    } else if (r.rendered && r.executor === "local") {
      localCommands.set(this, localExecutor(name, r.rendered, needsCredentials, this));
    }
    const executor: pulumi.Resource[] = this.executorJob ? [this.executorJob] : this.executorCommand ? [this.executorCommand] : [];

    const repository = r.chartRepository ?? r.target.chartRepository;
    const oci = repository.startsWith("oci://");
    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: r.releaseName,
        namespace: r.namespace,
        chart: oci ? `${repository.replace(/\/+$/, "")}/${CHART_NAME}` : CHART_NAME,
        repositoryOpts: oci ? undefined : { repo: repository },
        version: r.target.chartVersion,
        values: r.target.values as Record<string, pulumi.Input<unknown>>,
        resetValues: true,
        reuseValues: false,
        atomic: r.atomic,
        timeout: r.stepTimeoutSeconds,
        skipAwait: false,
        waitForJobs: true,
      },
      {
        parent: this,
        dependsOn: [...needsCredentials, ...executor],
        import: r.adoptExisting ? `${r.namespace}/${r.releaseName}` : undefined,
      },
    );

    const helmValues = r.spec.helmValues;
    this.releaseName = pulumi.output(r.releaseName);
    this.namespace = pulumi.output(r.namespace);
    this.version = pulumi.output(r.target.milvusVersion);
    this.chartVersion = pulumi.output(r.target.chartVersion);
    this.endpoint = this.release.name.apply((n) => milvusEndpoint(n ?? r.releaseName, r.namespace, helmValues));
    this.stops = pulumi.output(r.stops.map(stepLabel));
    this.registerOutputs({
      releaseName: this.releaseName,
      namespace: this.namespace,
      version: this.version,
      chartVersion: this.chartVersion,
      endpoint: this.endpoint,
      stops: this.stops,
      release: this.release,
      executorJob: this.executorJob,
      executorCommand: this.executorCommand,
      credentialsSecret: this.credentialsSecret,
    });
  }
}

/** The credentials Secret: every value wrapped with `pulumi.secret`, so state and previews never show it. */
function credentialsSecret(name: string, r: ResolvedCluster, dependsOn: pulumi.Resource[], parent: pulumi.Resource): k8s.core.v1.Secret {
  const stringData: Record<string, pulumi.Output<string>> = {};
  for (const c of r.credentials) stringData[c.key] = pulumi.secret(c.value);
  return new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata: {
        name: r.credentialsSecretName,
        namespace: r.namespace,
        labels: { "app.kubernetes.io/instance": r.releaseName, "app.kubernetes.io/managed-by": "milvus-cluster", "app.kubernetes.io/part-of": "milvus" },
      },
      type: "Opaque",
      stringData,
    },
    { parent, dependsOn, additionalSecretOutputs: ["data", "stringData"] },
  );
}

function customTimeouts(bundle: ResolvedExecutor["bundle"]): pulumi.CustomTimeouts {
  const t = `${bundle.maxDurationSeconds + EXECUTOR_TIMEOUT_SLACK_SECONDS}s`;
  return { create: t, update: t };
}

/** ServiceAccount, Role, RoleBinding, ConfigMap and the Job that runs the stops inside the cluster. */
function inClusterExecutor(name: string, r: ResolvedCluster, rendered: ResolvedExecutor, dependsOn: pulumi.Resource[], parent: pulumi.Resource): k8s.batch.v1.Job {
  const { bundle, model } = rendered;
  const meta = (objectName: string) => ({ name: objectName, namespace: r.namespace, labels: { ...model.labels } });
  const opts = { parent, dependsOn };
  const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-executor`, { metadata: meta(model.serviceAccountName), automountServiceAccountToken: false }, opts);
  const role = new k8s.rbac.v1.Role(
    `${name}-executor`,
    { metadata: meta(model.serviceAccountName), rules: model.rbacRules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })) },
    opts,
  );
  const binding = new k8s.rbac.v1.RoleBinding(
    `${name}-executor`,
    {
      metadata: meta(model.serviceAccountName),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: model.serviceAccountName },
      subjects: [{ kind: "ServiceAccount", name: model.serviceAccountName, namespace: r.namespace }],
    },
    { parent, dependsOn: [...dependsOn, role, serviceAccount] },
  );
  // The plan: plan.json, values files, migration manifests.
  const configMap = new k8s.core.v1.ConfigMap(`${name}-executor`, { metadata: meta(model.configMapName), data: { ...model.configMapData } }, opts);
  // The program: executor.cjs, named by its hash and immutable; the same object for every plan of one library version.
  const runtimeConfigMap = new k8s.core.v1.ConfigMap(
    `${name}-executor-runtime`,
    { metadata: meta(model.runtimeConfigMapName), data: { ...model.runtimeConfigMapData }, immutable: true },
    opts,
  );
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: model.runAsUser,
    runAsGroup: model.runAsUser,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
  return new k8s.batch.v1.Job(
    `${name}-executor`,
    {
      metadata: {
        ...meta(model.jobName),
        annotations: { "milvus-cluster/plan-hash": bundle.hash, "milvus-cluster/stops": bundle.stepSummary.join("; ") },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: model.activeDeadlineSeconds,
        ttlSecondsAfterFinished: model.ttlSecondsAfterFinished,
        template: {
          metadata: { labels: { ...model.labels } },
          spec: {
            serviceAccountName: model.serviceAccountName,
            automountServiceAccountToken: true,
            restartPolicy: "Never",
            securityContext: { runAsNonRoot: true, runAsUser: model.runAsUser, runAsGroup: model.runAsUser, fsGroup: model.runAsUser, seccompProfile: { type: "RuntimeDefault" } },
            // helm and kubectl from the tools image, copied into an emptyDir the executor runs them from.
            initContainers: [
              {
                name: "tools",
                image: model.toolsImage,
                imagePullPolicy: "IfNotPresent",
                command: [...model.toolsCommand],
                resources: { requests: { cpu: "10m", memory: "16Mi" } },
                securityContext,
                volumeMounts: [{ name: "tools", mountPath: model.toolsPath }],
              },
            ],
            containers: [
              {
                name: "executor",
                image: model.image,
                imagePullPolicy: "IfNotPresent",
                command: [...model.command],
                env: Object.entries(model.env).map(([envName, value]) => ({ name: envName, value })),
                resources: { requests: { cpu: "100m", memory: "128Mi" } },
                securityContext,
                volumeMounts: [
                  { name: "executor", mountPath: model.mountPath, readOnly: true },
                  { name: "runtime", mountPath: model.runtimeMountPath, readOnly: true },
                  { name: "tools", mountPath: model.toolsPath, readOnly: true },
                  { name: "scratch", mountPath: model.scratchPath },
                ],
              },
            ],
            volumes: [
              { name: "executor", configMap: { name: model.configMapName, defaultMode: 0o444 } },
              { name: "runtime", configMap: { name: model.runtimeConfigMapName, defaultMode: 0o444 } },
              { name: "tools", emptyDir: {} },
              { name: "scratch", emptyDir: {} },
            ],
          },
        },
      },
    },
    { parent, dependsOn: [...dependsOn, serviceAccount, role, binding, configMap, runtimeConfigMap], customTimeouts: customTimeouts(bundle) },
  );
}

/** A `command.local.Command` that runs the stops on the machine running Pulumi (see `local-executor.ts`). */
function localExecutor(name: string, rendered: ResolvedExecutor, dependsOn: pulumi.Resource[], parent: pulumi.Resource): command.local.Command {
  const { bundle } = rendered;
  const run = localExecutorCommand(bundle);
  // @pulumi/command is an optional peer, loaded only here: the default in-cluster executor does not need it.
  const { local } = loadPeer("milvus-cluster/pulumi", "@pulumi/command", 'executor: "local" runs the stops with its local.Command', () => require("@pulumi/command") as typeof command);
  return new local.Command(
    `${name}-executor`,
    {
      interpreter: run.interpreter,
      create: run.create,
      stdin: run.stdin,
      environment: run.environment,
      triggers: run.triggers,
      addPreviousOutputInEnv: false,
    },
    { parent, dependsOn, customTimeouts: customTimeouts(bundle) },
  );
}
