import { Chart, Helm, JsonPatch } from "cdk8s";
import type { Construct } from "constructs";
import type { UpgradeStep } from "../plan/types";

/** Settings shared by every rendered step. */
export interface RenderOptions {
  /** Helm release name. */
  readonly releaseName: string;
  /** Release namespace: every namespaced object is put there. */
  readonly namespace: string;
  /** helm binary. */
  readonly helmExecutable: string;
  /** Local chart (directory or archive); `{chartVersion}` is replaced with the step's chart version. */
  readonly chartPath?: string;
  /** Replaces every step's repository (https URL or `oci://` registry path). */
  readonly chartRepository?: string;
}

/** Where `helm template` takes the chart from. */
export interface ChartSource {
  /** The chart argument of `helm template`. */
  readonly chart: string;
  /** `--repo`, for an https repository. */
  readonly repo?: string;
  /** `--version`, unless the chart is a local path. */
  readonly version?: string;
}

/** Kinds that are not namespaced (they must not carry metadata.namespace). */
const CLUSTER_SCOPED = new Set([
  "APIService",
  "CSIDriver",
  "CSINode",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeSnapshotClass",
]);

/** The chart reference for one step: a local path, an OCI reference, or the chart in an https repository. */
export function chartSource(step: UpgradeStep, opts: Pick<RenderOptions, "chartPath" | "chartRepository">): ChartSource {
  if (opts.chartPath !== undefined) {
    return { chart: opts.chartPath.split("{chartVersion}").join(step.chartVersion) };
  }
  const repository = opts.chartRepository ?? step.chartRepository;
  if (repository.startsWith("oci://")) {
    return { chart: `${repository.replace(/\/+$/, "")}/milvus`, version: step.chartVersion };
  }
  return { chart: "milvus", repo: repository, version: step.chartVersion };
}

/**
 * Renders one step's manifests with `helm template --skip-tests` (cdk8s `Helm`, which runs helm synchronously
 * while the construct is created) and puts every namespaced object into the release namespace, whatever the
 * enclosing Chart's namespace is.
 */
export function renderStep(scope: Construct, id: string, step: UpgradeStep, opts: RenderOptions): Helm {
  const source = chartSource(step, opts);
  const helm = new Helm(scope, id, {
    chart: source.chart,
    repo: source.repo,
    version: source.version,
    releaseName: opts.releaseName,
    namespace: opts.namespace,
    // Plain JSON data: no YAML anchors/aliases for objects valuesFor shares between keys.
    values: JSON.parse(JSON.stringify(step.values)) as Record<string, unknown>,
    helmExecutable: opts.helmExecutable,
    helmFlags: ["--skip-tests"],
  });
  for (const obj of helm.apiObjects) {
    const current = obj.metadata.namespace;
    if (CLUSTER_SCOPED.has(obj.kind)) {
      if (current !== undefined) obj.addJsonPatch(JsonPatch.remove("/metadata/namespace"));
    } else if (current !== opts.namespace) {
      obj.addJsonPatch(JsonPatch.add("/metadata/namespace", opts.namespace));
    }
  }
  return helm;
}

/** The id of a stage chart: `<release>-<NN>-v<version>`, e.g. `milvus-01-v2.5.16`. */
export function stageChartId(releaseName: string, index: number, step: UpgradeStep): string {
  return `${releaseName}-${String(index + 1).padStart(2, "0")}-v${step.milvusVersion}`;
}

/**
 * Emits one cdk8s Chart per step under `scope` (normally the App), each rendering that step's manifests, each
 * depending on the previous one so they synthesize (and are numbered) in order. For GitOps flows: apply the
 * stages one after another and wait for each rollout to finish before applying the next.
 */
export function addStageCharts(scope: Construct, steps: readonly UpgradeStep[], opts: RenderOptions): Chart[] {
  const charts: Chart[] = [];
  steps.forEach((step, i) => {
    const chart = new Chart(scope, stageChartId(opts.releaseName, i, step), { namespace: opts.namespace });
    renderStep(chart, "chart", step, opts);
    const previous = charts[charts.length - 1];
    if (previous) chart.addDependency(previous);
    charts.push(chart);
  });
  return charts;
}
