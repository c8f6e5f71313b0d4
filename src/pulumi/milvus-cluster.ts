import type * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ExecutorJobModel } from "../executor";
import type { MilvusClusterArgs } from "./args";
import { compareMilvus } from "../executor/decide";
import { droppedKeys } from "../executor/reset-drops";
import type { UpgradeStep } from "../plan/types";
import { isMilvusVersion } from "../versions/versions";
import { isPlainObject } from "../values/merge";
import { localConnection, localExecutorCommand } from "./local-executor";
import { loadPeer } from "../util/peers";
import {
  CREDENTIALS_VERSION_ANNOTATION,
  chartHasPodAnnotations,
  credentialsVersion,
  identityConfigMapName,
  identityProblems,
  inputPropertiesError,
  milvusEndpoint,
  namePlaceholders,
  type ResolvedInputs,
  type ResolvedCluster,
  type ResolvedExecutor,
  resolveClusterInputs,
  stepLabel,
  withPodAnnotation,
} from "./resolve";

/** Pulumi type token of the component. */
export const MILVUS_CLUSTER_TYPE = "milvus-cluster:index:MilvusCluster";

/**
 * Each component's local executor command. Kept outside the class (behind the `executorCommand` getter) because
 * Pulumi's component analyzer turns every property into a schema output and would need `@pulumi/command`'s type.
 */
const localCommands = new WeakMap<MilvusCluster, pulumi.CustomResource>();

/** Name of the Milvus chart in every repository. */
const CHART_NAME = "milvus";

/**
 * Annotation that makes the next `pulumi up` replace a Job that failed (pulumi-kubernetes
 * `provider/pkg/provider/provider.go`, `Diff`: with `pulumi.com/replaceUnready: "true"` on a Job it reads the live Job
 * and, when the Job checker says it is not ready, adds a replacement). Without it the engine gives the failed Job an
 * empty update (pulumi/pulumi `pkg/resource/deploy/step_generator.go`, `continueStepsFromDiff`: "If resource was
 * unchanged, but there were initialization errors, generate an empty update step"), and the Job awaiter fails at once
 * on the old `Failed=True` condition: the executor would never run again.
 */
export const REPLACE_UNREADY_ANNOTATION = "pulumi.com/replaceUnready";

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
  /** Namespace of the release (fails when the release identity guard refuses the run). */
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
  /** The Namespace, when `createNamespace` is true (retained on delete unless `retainNamespaceOnDelete: false`). */
  public readonly namespaceResource?: k8s.core.v1.Namespace;
  /**
   * The ConfigMap `<release>-milvus-identity` recording the release name and namespace the Release was created with
   * (its name, namespace and data are `ignoreChanges`, so it keeps the first values); the guard against a
   * replacement of the Release compares with it.
   */
  public readonly identity: k8s.core.v1.ConfigMap;
  /** Status of the target Helm release (name, namespace, revision, chart, version, appVersion, status); unknown in previews of a change. */
  public readonly status: pulumi.Output<MilvusReleaseStatus>;

  /**
   * Creates the cluster. Every problem of a plain argument is reported at once as a `pulumi.InputPropertiesError`
   * thrown synchronously, before any resource is registered; an argument given as an Output is validated when it
   * resolves, and a bad one fails the run with the same error (naming the property) before any child that depends
   * on it is registered.
   * @param name resource name (and the default release name)
   * @param args cluster arguments
   * @param opts component options
   */
  constructor(name: string, args: MilvusClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const inputs = resolveClusterInputs(name, args);
    // `r`: the plan and the set of resources (always known now). `at`: anything else, computed from the full
    // resolution, plain when no argument is an Output, else an Output that fails with the InputPropertiesError of a
    // value that resolves invalid.
    const r = inputs.now;
    const at = lateValue(inputs);
    super(MILVUS_CLUSTER_TYPE, name, {}, opts);

    // Requirements (R-HELM-MIN) are information; assumptions and risks are warnings (placeholders named as fields).
    for (const w of r.warnings) (w.includes("[R-HELM-MIN]") ? pulumi.log.info : pulumi.log.warn)(namePlaceholders(w, inputs.deferred), this);
    if (r.stops.length > 0) {
      const how =
        r.expectedFrom !== undefined
          ? `exact chain from ${r.expectedFrom}`
          : "candidate stops; the executor skips those the live release has already passed";
      pulumi.log.info(`MilvusCluster ${name}: stops before ${stepLabel(r.target)}: ${r.stops.map(stepLabel).join(", ")} (${how}; executor ${r.executor})`, this);
    } else {
      pulumi.log.info(`MilvusCluster ${name}: no stop before ${stepLabel(r.target)}${r.guard ? `; the executor (${r.executor}) guards the Release as a dry run` : ""}`, this);
    }

    // Deleting a Namespace deletes every volume claim in it, so a created Namespace is retained on delete by default
    // (the engine then only drops it from the state).
    this.namespaceResource = r.createNamespace
      ? new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: at((l) => l.namespace) } }, { parent: this, retainOnDelete: r.retainNamespaceOnDelete })
      : undefined;
    const inNamespace: pulumi.Resource[] = this.namespaceResource ? [this.namespaceResource] : [];

    // Release identity guard (R-RELEASE-IDENTITY). The engine hands an `ignoreChanges` property its old value, so the
    // identity ConfigMap keeps what the Release was created with; every other child takes its namespace through the
    // comparison, so a refused change fails the program before any of them is registered (in preview, too, where an
    // unchanged resource's outputs are its state).
    this.identity = new k8s.core.v1.ConfigMap(
      `${name}-identity`,
      {
        metadata: at((l) => ({
          name: identityConfigMapName(l.releaseName),
          namespace: l.namespace,
          labels: { "app.kubernetes.io/instance": l.releaseName, "app.kubernetes.io/managed-by": "milvus-cluster", "app.kubernetes.io/part-of": "milvus" },
        })),
        data: at((l) => ({ releaseName: l.releaseName, namespace: l.namespace })),
      },
      { parent: this, dependsOn: inNamespace, ignoreChanges: r.allowReleaseReplacement ? [] : ["metadata.name", "metadata.namespace", "data"] },
    );
    const desired = at((l) => ({ releaseName: l.releaseName, namespace: l.namespace }));
    const namespace = pulumi.all([this.identity.data, desired]).apply(([recorded, identity]) => {
      const problems = identityProblems(recorded, identity, r.allowReleaseReplacement);
      if (problems.length > 0) throw inputPropertiesError(name, problems);
      return identity.namespace;
    });

    this.credentialsSecret = r.credentials.length > 0 ? credentialsSecret(name, r, at, namespace, inNamespace, this) : undefined;
    const needsCredentials: pulumi.Resource[] = [...inNamespace, ...(this.credentialsSecret ? [this.credentialsSecret] : [])];

    if (r.rendered && r.executor === "in-cluster") {
      this.executorJob = inClusterExecutor(name, r.rendered, at, namespace, needsCredentials, this);
    } else if (r.rendered && r.executor === "local") {
      localCommands.set(this, localExecutor(name, r.rendered, at, namespace, needsCredentials, this, args.localKubeconfig));
    }
    const executor: pulumi.Resource[] = this.executorJob ? [this.executorJob] : this.executorCommand ? [this.executorCommand] : [];

    // Credential rotation: the pods read the credentials from the Secret as env vars, which Kubernetes never reloads.
    // A pod annotation derived from the Secret's uid and resourceVersion (never from a credential value) changes the
    // pod template whenever the Secret is written, so the chart's Deployments roll.
    const secret = this.credentialsSecret;
    const targetValues = at((l) => l.target.values as Record<string, unknown>);
    let values: pulumi.Input<Record<string, unknown>> = targetValues;
    if (secret && chartHasPodAnnotations(r.target.chartVersion)) {
      values = pulumi
        .all([secret.metadata.uid, secret.metadata.resourceVersion, targetValues])
        .apply(([uid, resourceVersion, v]) => withPodAnnotation(v as Record<string, unknown>, CREDENTIALS_VERSION_ANNOTATION, credentialsVersion(uid, resourceVersion)));
    } else if (secret) {
      pulumi.log.warn(`MilvusCluster ${name}: chart ${r.target.chartVersion} has no pod annotations value, so a credential rotation does not roll the Milvus pods; restart them yourself after a rotation.`, this);
    }

    if (r.adoptExisting) warnResetDrops(name, r, at, this);

    const repository = (l: ResolvedCluster) => l.chartRepository ?? l.target.chartRepository;
    const oci = (l: ResolvedCluster) => repository(l).startsWith("oci://");
    this.release = new k8s.helm.v3.Release(
      name,
      {
        name: at((l) => l.releaseName),
        namespace,
        chart: at((l) => (oci(l) ? `${repository(l).replace(/\/+$/, "")}/${CHART_NAME}` : CHART_NAME)),
        repositoryOpts: at((l) => (oci(l) ? undefined : { repo: repository(l) })),
        version: r.target.chartVersion,
        values: values as Record<string, pulumi.Input<unknown>>,
        resetValues: true,
        reuseValues: false,
        atomic: at((l) => l.atomic),
        timeout: at((l) => l.stepTimeoutSeconds),
        skipAwait: at((l) => l.releaseOptions.skipAwait ?? false),
        waitForJobs: true,
        maxHistory: at((l) => l.releaseOptions.maxHistory),
        postrender: at((l) => l.releaseOptions.postrender),
        dependencyUpdate: at((l) => l.releaseOptions.dependencyUpdate),
        cleanupOnFail: at((l) => l.releaseOptions.cleanupOnFail),
        description: at((l) => l.releaseOptions.description),
      },
      {
        parent: this,
        dependsOn: [...needsCredentials, ...executor],
        import: r.adoptExisting ? `${r.namespace}/${r.releaseName}` : undefined,
        // Adopting: the provider's Read hydrates the Release from the live release (`values` from its config), which
        // may hold plain credentials; the values output is then kept encrypted in the state.
        additionalSecretOutputs: r.adoptExisting ? ["values"] : undefined,
      },
    );
    this.status = this.release.status.apply((s) => ({
      name: s?.name,
      namespace: s?.namespace,
      revision: s?.revision,
      chart: s?.chart,
      version: s?.version,
      appVersion: s?.appVersion,
      status: s?.status,
    }));

    this.releaseName = pulumi.output(at((l) => l.releaseName));
    // Through the identity guard: it fails when the guard refuses the run.
    this.namespace = namespace;
    this.version = pulumi.output(r.target.milvusVersion);
    this.chartVersion = pulumi.output(r.target.chartVersion);
    this.endpoint = pulumi
      .all([this.release.name, at((l) => ({ releaseName: l.releaseName, namespace: l.namespace, helmValues: l.spec.helmValues }))])
      .apply(([n, l]) => milvusEndpoint(n ?? l.releaseName, l.namespace, l.helmValues as Record<string, unknown> | undefined));
    this.stops = pulumi.output(r.stops.map(stepLabel));
    this.registerOutputs({
      releaseName: this.releaseName,
      // The plain value: a refused identity fails the children and `this.namespace`, not the component's state.
      namespace: inputs.late ? pulumi.output(at((l) => l.namespace)) : r.namespace,
      version: this.version,
      chartVersion: this.chartVersion,
      endpoint: this.endpoint,
      stops: this.stops,
      release: this.release,
      executorJob: this.executorJob,
      executorCommand: this.executorCommand,
      credentialsSecret: this.credentialsSecret,
      namespaceResource: this.namespaceResource,
      identity: this.identity,
      status: this.status,
    });
  }
}

/** Status of the target Helm release (`kubernetes.helm.v3.Release` `status`). */
export interface MilvusReleaseStatus {
  /** Release name. */
  readonly name?: string;
  /** Release namespace. */
  readonly namespace?: string;
  /** Helm revision. */
  readonly revision?: number;
  /** Chart name. */
  readonly chart?: string;
  /** Chart version. */
  readonly version?: string;
  /** The chart's appVersion. */
  readonly appVersion?: string;
  /** Helm status, e.g. `deployed` or `failed`. */
  readonly status?: string;
}

/**
 * A value computed from the full resolution: plain when every argument is plain, else an Output of the late
 * resolution (which fails with the InputPropertiesError of an argument that resolves invalid).
 */
type LateValue = <T>(f: (l: ResolvedCluster) => T) => pulumi.Input<T>;

function lateValue(inputs: ResolvedInputs): LateValue {
  const late = inputs.late;
  if (late === undefined) return (f) => f(inputs.now);
  return <T>(f: (l: ResolvedCluster) => T) => late.apply(f) as unknown as pulumi.Input<T>;
}

/** Rule id of the adoption warning: the first step's `--reset-values` drops user-supplied values of the live release. */
export const RESET_VALUES_RULE = "R-RESET-VALUES";

/**
 * Adoption: names, in the preview, the user-supplied values of the live release that the first step's
 * `--reset-values` drops (the executor's "say what a reset drops" report, made at `up`, computed here too).
 *
 * The live values come from a read of the release, `k8s.helm.v3.Release.get`: pulumi-kubernetes
 * `provider/pkg/provider/helm_release.go`, `helmReleaseProvider.Read`: with no old state (a read or an import) it takes
 * namespace/name from the id (`parseFqName`), looks the release up (`resourceReleaseLookup` -> `getRelease`, helm's
 * `action.NewGet`), and `setReleaseAttributes` sets `values` to `mergeMaps(release.Values, r.Config)`, helm's
 * user-supplied config (what `helm get values` prints without `--all`), returned in the read's state by
 * `checkpointRelease`. The engine runs reads in previews too (pulumi/pulumi `pkg/resource/deploy/step.go`,
 * `ReadStep.Apply`: "Unlike most steps, Read steps run during previews"), and marks a read's
 * `additionalSecretOutputs` secret in the state like any step's (`step_executor.go`, `executeStep`: "Ensure that any
 * secrets properties in the output are marked as such"; the SDK sends them in `ReadResourceRequest`).
 *
 * Only key paths are logged, never a value. The first step is the one the executor would run first (`firstStepToRun`,
 * the rule of `stepDecision` in src/executor/decide.ts) on the live version read from the user values' `image.all.tag`,
 * else the release's `status.appVersion`; the executor decides on `helm get values --all` at `up` and names the exact
 * list then.
 */
function warnResetDrops(name: string, r: ResolvedCluster, at: LateValue, parent: pulumi.Resource): void {
  // With adoptExisting the release name and namespace are plain (resolve.ts refuses Outputs: the import id is a resource option).
  const live = k8s.helm.v3.Release.get(`${name}-adopted-release`, `${r.namespace}/${r.releaseName}`, { parent, additionalSecretOutputs: ["values"] });
  const steps = at((l) => [...l.stops, l.target]);
  // `values` is secret: the apply's result stays secret, and nothing of a value leaves it but key paths.
  pulumi.all([live.values, live.status, steps]).apply(([liveValues, status, all]) => {
    if (!isPlainObject(liveValues)) return;
    const first = firstStepToRun(all, liveValues, status?.appVersion);
    const dropped = droppedKeys(liveValues, first.values as Record<string, unknown>);
    if (dropped.length === 0) return;
    pulumi.log.warn(
      `MilvusCluster ${name}: adopting release ${r.namespace}/${r.releaseName}: the first step's --reset-values (${stepLabel(first)}) drops these user-supplied values of the live release: ${dropped.join(", ")} [${RESET_VALUES_RULE}]. Fix: carry over each one you need in helmValues, or in the typed arg that sets it (e.g. queryNode.resources); the current values: helm get values ${r.releaseName} -n ${r.namespace}`,
      parent,
    );
  });
}

/**
 * The step the executor runs first on a live release: the first stop above the live version, or at it with another
 * coordinator topology (decide.ts `stepDecision`), else the target (which always runs). An unreadable live version
 * passes no stop.
 */
export function firstStepToRun(steps: readonly UpgradeStep[], liveValues: Readonly<Record<string, unknown>>, appVersion: string | undefined): UpgradeStep {
  const tag = nested(liveValues, "image", "all", "tag");
  const version = typeof tag === "string" && isMilvusVersion(tag) ? tag : appVersion !== undefined && isMilvusVersion(appVersion) ? appVersion : undefined;
  const mix = (v: unknown): boolean => nested(v, "mixCoordinator", "enabled") === true;
  for (const step of steps.slice(0, -1)) {
    if (version === undefined) return step;
    const c = compareMilvus(version, step.milvusVersion);
    if (c < 0 || (c === 0 && mix(liveValues) !== mix(step.values))) return step;
  }
  return steps[steps.length - 1]!;
}

/** A nested own value (never a literal dotted key). */
function nested(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** The credentials Secret: every value wrapped with `pulumi.secret`, so state and previews never show it. */
function credentialsSecret(name: string, r: ResolvedCluster, at: LateValue, namespace: pulumi.Input<string>, dependsOn: pulumi.Resource[], parent: pulumi.Resource): k8s.core.v1.Secret {
  const stringData: Record<string, pulumi.Output<string>> = {};
  for (const c of r.credentials) stringData[c.key] = pulumi.secret(c.value);
  return new k8s.core.v1.Secret(
    `${name}-credentials`,
    {
      metadata: {
        name: at((l) => l.credentialsSecretName),
        namespace,
        labels: at((l) => ({ "app.kubernetes.io/instance": l.releaseName, "app.kubernetes.io/managed-by": "milvus-cluster", "app.kubernetes.io/part-of": "milvus" })),
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
function inClusterExecutor(
  name: string,
  rendered: ResolvedExecutor,
  at: LateValue,
  namespace: pulumi.Input<string>,
  dependsOn: pulumi.Resource[],
  parent: pulumi.Resource,
): k8s.batch.v1.Job {
  // The rendered executor of the full resolution (the program-time one may hold placeholders).
  const ex = <T>(f: (e: ResolvedExecutor, l: ResolvedCluster) => T) => at((l) => f(l.rendered!, l));
  const meta = (objectName: (m: ExecutorJobModel) => string) => ({ name: ex((e) => objectName(e.model)), namespace, labels: ex((e) => ({ ...e.model.labels })) });
  const opts = { parent, dependsOn };
  const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-executor`, { metadata: meta((m) => m.serviceAccountName), automountServiceAccountToken: false }, opts);
  const role = new k8s.rbac.v1.Role(
    `${name}-executor`,
    { metadata: meta((m) => m.serviceAccountName), rules: ex((e) => e.model.rbacRules.map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] }))) },
    opts,
  );
  const binding = new k8s.rbac.v1.RoleBinding(
    `${name}-executor`,
    {
      metadata: meta((m) => m.serviceAccountName),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: ex((e) => e.model.serviceAccountName) },
      subjects: [{ kind: "ServiceAccount", name: ex((e) => e.model.serviceAccountName), namespace }],
    },
    { parent, dependsOn: [...dependsOn, role, serviceAccount] },
  );
  // The plan: plan.json, values files, migration manifests.
  const configMap = new k8s.core.v1.ConfigMap(`${name}-executor`, { metadata: meta((m) => m.configMapName), data: ex((e) => ({ ...e.model.configMapData })) }, opts);
  // The program: executor.cjs, named by its hash and immutable; the same object for every plan of one library version.
  const runtimeConfigMap = new k8s.core.v1.ConfigMap(
    `${name}-executor-runtime`,
    { metadata: meta((m) => m.runtimeConfigMapName), data: ex((e) => ({ ...e.model.runtimeConfigMapData })), immutable: true },
    opts,
  );
  return new k8s.batch.v1.Job(
    `${name}-executor`,
    {
      metadata: {
        ...meta((m) => m.jobName),
        annotations: ex((e) => ({ "milvus-cluster/plan-hash": e.bundle.hash, "milvus-cluster/stops": e.bundle.stepSummary.join("; "), [REPLACE_UNREADY_ANNOTATION]: "true" })),
      },
      spec: ex((e, l) => jobSpec(e.model, l)),
    },
    // customTimeouts is a resource option, so it comes from the program-time executor: with the step timeout from an
    // Output, the program-time bound uses the largest step timeout; the Job's activeDeadlineSeconds is the real one.
    { parent, dependsOn: [...dependsOn, serviceAccount, role, binding, configMap, runtimeConfigMap], customTimeouts: customTimeouts(rendered.bundle) },
  );
}

/** The executor Job's spec. */
function jobSpec(model: ExecutorJobModel, l: ResolvedCluster): k8s.types.input.batch.v1.JobSpec {
  const securityContext = {
    runAsNonRoot: true,
    runAsUser: model.runAsUser,
    runAsGroup: model.runAsUser,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
  return {
    backoffLimit: 0,
    activeDeadlineSeconds: model.activeDeadlineSeconds,
    // No TTL by default: a Job deleted by its TTL is dropped from the state by `pulumi refresh`, and the next
    // preview shows it as a create, so the executor would run again. Pulumi deletes replaced Jobs itself.
    ttlSecondsAfterFinished: l.executorJobTtlSeconds,
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
            // A guard (no stop) is a dry run: every refusal, no change (entry.ts, MILVUS_EXECUTOR_DRY_RUN).
            env: Object.entries<string>({ ...model.env, ...(l.guard ? { MILVUS_EXECUTOR_DRY_RUN: "1" } : {}) }).map(([envName, value]) => ({ name: envName, value })),
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
  };
}

/**
 * What the default Kubernetes provider was given (stack config `kubernetes:kubeconfig` and `kubernetes:context`, read
 * by pulumi-kubernetes' Configure as `kubernetes:config:kubeconfig` / `kubernetes:config:context`), or nothing when the
 * component has an explicit provider: the SDK keeps no readable copy of a provider resource's inputs.
 */
function providerConnectionDefaults(parent: pulumi.Resource): { explicitProvider: boolean; kubeconfig?: pulumi.Output<string>; context?: string } {
  if (parent.getProvider("kubernetes:core/v1:Namespace") !== undefined) return { explicitProvider: true };
  const config = new pulumi.Config("kubernetes");
  const kubeconfig = config.getSecret("kubeconfig");
  const context = config.get("context");
  return { explicitProvider: false, ...(kubeconfig !== undefined && kubeconfig !== null ? { kubeconfig } : {}), ...(context ? { context } : {}) };
}

/** A `command.local.Command` that runs the stops on the machine running Pulumi (see `local-executor.ts`). */
function localExecutor(
  name: string,
  rendered: ResolvedExecutor,
  at: LateValue,
  namespace: pulumi.Output<string>,
  dependsOn: pulumi.Resource[],
  parent: pulumi.Resource,
  kubeconfigArg: pulumi.Input<string> | undefined,
): command.local.Command {
  // The interpreter, argv and base environment never depend on the arguments; the files and their hash come from the
  // full resolution (the program-time bundle may hold placeholders).
  const run = localExecutorCommand(rendered.bundle);
  // @pulumi/command is an optional peer, loaded only here: the default in-cluster executor does not need it.
  const { local } = loadPeer("milvus-cluster/pulumi", "@pulumi/command", 'executor: "local" runs the stops with its local.Command', () => require("@pulumi/command") as typeof command);
  // R-LOCAL-CLUSTER: kube-system's uid through the provider (a read, in preview too); the executor compares it with
  // what its own kubectl reaches before anything else (src/executor/connection.ts), so on another cluster it changes
  // nothing.
  const kubeSystem = k8s.core.v1.Namespace.get(`${name}-kube-system`, "kube-system", { parent });
  const defaults = providerConnectionDefaults(parent);
  // The kubeconfig argument as given (not through `at`, whose resolution it would make secret as a whole).
  const given = pulumi.all([at((l) => l.localContext), kubeconfigArg]).apply(([context, kubeconfig]) => ({ context, kubeconfig }));
  given.apply((g) => {
    if (defaults.explicitProvider && g.kubeconfig === undefined) {
      pulumi.log.warn(
        `MilvusCluster ${name}: executor "local" runs helm and kubectl with the ambient kubeconfig (KUBECONFIG, else ~/.kube/config${g.context === undefined ? ", its current context" : ""}): the component cannot read an explicit Kubernetes provider's kubeconfig. Pass localKubeconfig${g.context === undefined ? " and localContext" : ""} (what you gave the provider); until then the executor refuses another cluster (R-LOCAL-CLUSTER) but cannot reach this one.`,
        parent,
      );
    }
  });
  const connection = pulumi
    .all([given, defaults.kubeconfig ?? pulumi.output(undefined), kubeSystem.metadata.uid])
    .apply(([g, providerKubeconfig, uid]) => {
      const fromArgs = g.kubeconfig !== undefined;
      const r = localConnection({
        kubeconfig: fromArgs ? g.kubeconfig : providerKubeconfig,
        context: g.context ?? defaults.context,
        kubeSystemUid: uid,
        field: fromArgs ? "localKubeconfig" : "kubernetes:kubeconfig (stack config of the default provider)",
      });
      if (!r.connection) throw inputPropertiesError(name, r.problems);
      return r.connection;
    });
  const late = <T>(f: (c: ReturnType<typeof localExecutorCommand>, l: ResolvedCluster) => T) =>
    pulumi.all([at((l) => l), connection]).apply(([l, conn]) => f(localExecutorCommand(l.rendered!.bundle, undefined, conn), l));
  // Kubeconfig contents on standard input make it a secret (in the state and in every diff).
  const stdin = pulumi.all([namespace, late((c) => c.stdin), connection]).apply(([, files, conn]) => (conn.secretStdin ? pulumi.secret(files) : pulumi.output(files)));
  return new local.Command(
    `${name}-executor`,
    {
      interpreter: run.interpreter,
      create: run.create,
      // Through the identity guard (namespace) and the connection's checks: a refusal fails this input, so the
      // command never runs.
      stdin,
      environment: late((c, l) => ({ ...c.environment, ...(l.guard ? { MILVUS_EXECUTOR_DRY_RUN: "1" } : {}) })),
      triggers: late((c) => c.triggers),
      addPreviousOutputInEnv: false,
    },
    { parent, dependsOn, customTimeouts: customTimeouts(rendered.bundle) },
  );
}
