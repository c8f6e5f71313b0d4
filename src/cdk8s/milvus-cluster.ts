import { Chart, type Helm } from "cdk8s";
import { Construct } from "constructs";
import { type InputProblem, MilvusClusterError, UpgradeRefusedError } from "../errors";
import { executorJobModel, renderExecutor } from "../executor";
import type { ExecutorBundle, ExecutorJobModel } from "../executor/types";
import { candidateStops, planUpgrade } from "../plan/plan";
import type { UpgradePlan, UpgradeStep } from "../plan/types";
import type { MilvusClusterProps } from "./props";
import { addStageCharts, type RenderOptions, renderStep } from "./render";
import { type ResolvedProps, resolveProps } from "./resolve";
import { MilvusUpgradeJob } from "./upgrade-job";

/** What the construct performs or renders, planned from the props. */
interface Planned {
  readonly plan: UpgradePlan;
  readonly stops: UpgradeStep[];
  readonly steps: UpgradeStep[];
}

/**
 * Milvus on Kubernetes through the official Helm chart, upgraded along the chain of versions the rules require.
 *
 * **`renderMode: "upgrade-job"`** (default) emits a ServiceAccount, a namespaced Role and RoleBinding, a
 * ConfigMap (the executor script and one values file per step, never credentials) and a Job that runs every step
 * in the cluster, the final `helm upgrade --install` included. The Job reads the live release first, skips the
 * stops it has already passed, refuses a downgrade and runs each remaining step with `--wait` and a timeout; it
 * is named with a hash of plan, values and image, so changing the version (or any value) creates a new Job and
 * re-synthesizing an unchanged app changes nothing. No chart is needed at synth time. With `from` unset the Job
 * carries every stop an older release might need (`candidateStops`); with `from` set it carries the exact plan. A
 * release on 2.1.x is migrated offline to 2.2.0 by the Job itself (metadata backup, migration, rollback on failure;
 * `migration` props), before the later steps.
 *
 * **`renderMode: "render"`** renders the target version's manifests with `helm template --skip-tests` (cdk8s
 * `Helm`, run while the construct is created) with every managed key pinned, for GitOps tools. There is no Helm
 * release. When `from` is set and the plan has several steps, `stages: true` is required: it emits one cdk8s Chart
 * per step, in order (`milvus-01-v2.5.16`, `milvus-02-v2.6.4`), as siblings of the enclosing Chart. Apply the
 * stages one after another and wait for each rollout to finish before the next (that is what a stop means).
 *
 * Invalid props, and upgrades the rules refuse, throw an error naming the construct path and, for each problem,
 * the field, the rule id and the fix.
 *
 * @example
 * new MilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar" });
 */
export class MilvusCluster extends Construct {
  /** Helm release name. */
  readonly releaseName: string;
  /** Release namespace (where every object of this construct lives). */
  readonly namespace: string;
  /** `"upgrade-job"` or `"render"`. */
  readonly renderMode: string;
  /** Target Milvus version. */
  readonly version: string;
  /**
   * The plan: from `from` to the target when `from` is set (exact), else the fresh install of the target.
   * Its warnings name the assumptions made and the Helm/Kubernetes versions required.
   */
  readonly plan: UpgradePlan;
  /**
   * Intermediate stops: the plan's steps before the target when `from` is set, else every stop an older release
   * might need (`candidateStops`; the Job skips those already passed).
   */
  readonly stops: readonly UpgradeStep[];
  /**
   * What this construct performs or renders, in order. Upgrade-job mode: the stops followed by the target step
   * (run as `helm upgrade --install`). Render mode: the target step, or every plan step with `stages`.
   */
  readonly steps: readonly UpgradeStep[];
  /** Upgrade-job mode: the name of the executor Job (`<release>-upgrade-<hash>`). */
  readonly jobName?: string;
  /** Upgrade-job mode: the executor objects (ServiceAccount, Role, RoleBinding, ConfigMap, Job). */
  readonly upgradeJob?: MilvusUpgradeJob;
  /** Upgrade-job mode: the executor script, values files and hash. */
  readonly executor?: ExecutorBundle;
  /** Render mode without stages: the rendered target manifests. */
  readonly rendered?: Helm;
  /** Render mode with stages: one Chart per step, in order. */
  readonly stageCharts: readonly Chart[];

  constructor(scope: Construct, id: string, props: MilvusClusterProps) {
    super(scope, id);
    const chart = Chart.of(this);
    const { resolved, problems } = resolveProps(props, { id, chartNamespace: chart.namespace });
    if (problems.length > 0) throw this.error(problems);

    const planned = this.guard(() => planSteps(resolved));
    const refused = planProblems(resolved, planned);
    if (refused.length > 0) throw this.error(refused, true);

    this.releaseName = resolved.releaseName;
    this.namespace = resolved.namespace;
    this.renderMode = resolved.renderMode;
    this.version = planned.plan.to;
    this.plan = planned.plan;
    this.stops = planned.stops;

    if (resolved.renderMode === "upgrade-job") {
      const { bundle, model } = this.guard(() => executorFor(resolved, planned));
      this.steps = planned.steps;
      this.executor = bundle;
      this.jobName = model.jobName;
      this.upgradeJob = new MilvusUpgradeJob(this, "upgrade", { model, namespace: resolved.namespace });
      this.stageCharts = [];
      return;
    }

    const renderOptions: RenderOptions = {
      releaseName: resolved.releaseName,
      namespace: resolved.namespace,
      helmExecutable: resolved.helmExecutable,
      chartPath: resolved.chartPath,
      chartRepository: resolved.chartRepository,
    };
    if (resolved.stages) {
      this.steps = planned.plan.steps;
      // Siblings of the enclosing Chart, so each stage synthesizes into its own manifest file.
      const parent = chart.node.scope ?? chart;
      this.stageCharts = addStageCharts(parent, this.steps, renderOptions);
    } else {
      const target = lastStep(planned.plan);
      this.steps = [target];
      this.rendered = renderStep(this, "chart", target, renderOptions);
      this.stageCharts = [];
    }
  }

  /** Runs core code, turning its `MilvusClusterError`s into construct errors. */
  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof MilvusClusterError) throw this.error(e.problems, e instanceof UpgradeRefusedError);
      throw e;
    }
  }

  /** An error naming this construct and every problem (`field: message [rule] Fix: fix`). */
  private error(problems: readonly InputProblem[], refused = false): MilvusClusterError {
    if (refused) {
      const err = new UpgradeRefusedError(problems);
      err.message = `${this.node.path}: ${err.message}`;
      return err;
    }
    return new MilvusClusterError(problems, `${this.node.path}: invalid MilvusCluster props`);
  }
}

function lastStep(plan: UpgradePlan): UpgradeStep {
  const last = plan.steps[plan.steps.length - 1];
  if (!last) throw new Error(`plan to ${plan.to} has no steps`);
  return last;
}

/**
 * The step with its values as plain JSON data: valuesFor may share one object between several keys (the same
 * Secret-backed env list for every component), which YAML would write as anchors and aliases.
 */
export function plainValues(step: UpgradeStep): UpgradeStep {
  return { ...step, values: JSON.parse(JSON.stringify(step.values)) as UpgradeStep["values"] };
}

/** The plan, the stops and the steps the Job runs. */
function planSteps(r: ResolvedProps): Planned {
  if (r.from !== undefined) {
    const plan = planUpgrade({ from: r.from, to: r.spec });
    return { plan, stops: plan.steps.slice(0, -1), steps: [...plan.steps] };
  }
  const plan = planUpgrade({ to: r.spec });
  const stops = candidateStops(r.spec);
  return { plan, stops, steps: [...stops, lastStep(plan)] };
}

/**
 * Steps render mode cannot perform: the offline 2.1 -> 2.2 metadata migration (rendered manifests cannot run it; the
 * upgrade Job does), and stops that rendering only the target would skip.
 */
function planProblems(r: ResolvedProps, planned: Planned): InputProblem[] {
  const problems: InputProblem[] = [];
  if (r.renderMode !== "render") return problems;
  const checked = !r.stages ? [lastStep(planned.plan)] : r.from !== undefined ? planned.plan.steps : [];
  for (const s of checked) {
    if (s.action === "meta-migration") {
      problems.push({
        field: "from",
        ruleId: "R-META-MIGRATION",
        message: `the step to Milvus ${s.milvusVersion} is the offline metadata migration, which rendered manifests cannot perform`,
        fix: `use renderMode "upgrade-job" (its Job runs the migration), or migrate by hand first (stop Milvus, back up etcd, run the migration to ${s.milvusVersion}), then set from: "${s.milvusVersion}"`,
      });
    }
  }
  if (r.renderMode === "render" && r.from !== undefined && !r.stages && planned.plan.steps.length > 1) {
    const skipped = planned.stops.map((s) => `${s.milvusVersion} (chart ${s.chartVersion})`).join(", ");
    problems.push({
      field: "stages",
      ruleId: planned.stops[0]?.ruleIds[0] ?? "R-TARGET",
      message: `rendering only Milvus ${planned.plan.to} would skip the required stop(s) ${skipped} from ${r.from}`,
      fix: 'set stages: true and apply the stage charts one after another, or use renderMode "upgrade-job"',
    });
  }
  return problems;
}

/** The executor bundle and Job model for the steps. */
function executorFor(r: ResolvedProps, planned: Planned): { bundle: ExecutorBundle; model: ExecutorJobModel } {
  const bundle = renderExecutor({
    releaseName: r.releaseName,
    namespace: r.namespace,
    steps: planned.steps.map(plainValues),
    targetVersion: planned.plan.to,
    includesFinalStep: true,
    // With from set the Job refuses a live release that is neither from nor a version the chain produces.
    expectedFrom: r.from,
    stepTimeoutSeconds: r.stepTimeoutSeconds,
    rollbackOnFailure: r.rollbackOnFailure,
    allowExistingData: r.allowExistingData,
    chartRepository: r.chartRepository,
    migration: r.migration,
  });
  const model = executorJobModel(bundle, {
    releaseName: r.releaseName,
    namespace: r.namespace,
    toolsImage: r.executorImage,
    nodeImage: r.executorNodeImage,
    nodeBinary: r.executorNodeBinary,
    ttlSecondsAfterFinished: r.ttlSecondsAfterFinished,
  });
  // The model's Job name covers plan, values, both images and the executor program: any of them changed is another Job.
  return { bundle, model };
}
