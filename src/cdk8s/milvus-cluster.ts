import { Chart } from "cdk8s";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { Construct } from "constructs";
import { assertSameCdk8s } from "./copies";
import { type InputProblem, MilvusClusterError, UpgradeRefusedError } from "../errors";
import { executorJobModel, renderExecutor } from "../executor";
import type { ExecutorBundle, ExecutorJobModel } from "../executor/types";
import { catalogFor } from "../catalog/load";
import { candidateStops, planUpgrade } from "../plan/plan";
import type { UpgradePlan, UpgradeStep } from "../plan/types";
import type { MilvusClusterProps, MilvusExecutorBundle, MilvusUpgradePlan, MilvusUpgradeStep } from "./props";
import { duplicateObjects, MilvusRenderedManifests } from "./render";
import { type ResolvedProps, resolveProps } from "./resolve";
import { MilvusUpgradeJob } from "./upgrade-job";

/** What the construct performs or renders, planned from the props. */
interface Planned {
  readonly plan: UpgradePlan;
  readonly stops: UpgradeStep[];
  readonly steps: UpgradeStep[];
}

/** Annotation keys of rendered objects in a staged (step-by-step) upgrade. */
export const STEP_ANNOTATION = "milvus-cluster/upgrade-step";
export const TARGET_ANNOTATION = "milvus-cluster/upgrade-target";
export const NEXT_FROM_ANNOTATION = "milvus-cluster/next-from";

/**
 * Milvus on Kubernetes through the official Helm chart, upgraded along the chain of versions the rules require.
 *
 * **`renderMode: "upgrade-job"`** (default) emits a ServiceAccount, a namespaced Role and RoleBinding, a
 * ConfigMap (the executor's plan and one values file per step, never credentials) and a Job that runs every step
 * in the cluster, the final `helm upgrade --install` included. The Job reads the live release first, skips the
 * stops it has already passed, refuses a downgrade and runs each remaining step with `--wait` and a timeout; it
 * is named with a hash of plan, values and image, so changing the version (or any value) creates a new Job and
 * re-synthesizing an unchanged app changes nothing. No chart is needed at synth time. With `from` unset the Job
 * carries every stop an older release might need (`candidateStops`); with `from` set it carries the exact plan. A
 * release on 2.1.x is migrated offline to 2.2.0 by the Job itself (metadata backup, migration, rollback on failure;
 * `migration` props), before the later steps. `gitOps` adapts the Job to Argo CD or Flux (runs once per plan, never
 * pruned while running, no TTL).
 *
 * **`renderMode: "render"`** renders one step's manifests with `helm template --skip-tests` while the construct is
 * created, parsed in this process into cdk8s `ApiObject`s inside this construct (so they are part of the enclosing
 * Chart), every managed key pinned, for GitOps tools. There is no Helm release. When `from` is set and the plan has
 * several steps, `stages: true` is required: the construct renders the NEXT step only, annotates every object with
 * the step and the `from` to set once it is healthy (`nextFrom`), and prints it. Commit, let the tool apply it,
 * wait for health, set `from` to `nextFrom`, synthesize again, until `nextFrom` is unset (docs/gitops.md). The output
 * never holds two versions of one object; synthesis fails if the app holds any object twice.
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
  /** Upgrade-job mode: the GitOps tool the Job is annotated for (`"argocd"`, `"flux"` or `"none"`). */
  readonly gitOps: string;
  /** Target Milvus version. */
  readonly version: string;
  /**
   * The plan: from `from` to the target when `from` is set (exact), else the fresh install of the target.
   * Its warnings name the assumptions made and the Helm/Kubernetes versions required.
   */
  readonly plan: MilvusUpgradePlan;
  /**
   * Intermediate stops: the plan's steps before the target when `from` is set, else every stop an older release
   * might need (`candidateStops`; the Job skips those already passed).
   */
  readonly stops: MilvusUpgradeStep[];
  /**
   * What this construct performs or renders, in order. Upgrade-job mode: the stops followed by the target step
   * (run as `helm upgrade --install`). Render mode: the one rendered step (the next step of the plan with `stages`).
   */
  readonly steps: MilvusUpgradeStep[];
  /** Upgrade-job mode: the name of the executor Job (`<release>-upgrade-<hash>`). */
  readonly jobName?: string;
  /** Upgrade-job mode: the executor objects (ServiceAccount, Role, RoleBinding, ConfigMap, Job). */
  readonly upgradeJob?: MilvusUpgradeJob;
  /** Upgrade-job mode: the executor's files and hash. */
  readonly executor?: MilvusExecutorBundle;
  /** Render mode: the rendered manifests (cdk8s `ApiObject`s in this construct's scope). */
  readonly rendered?: MilvusRenderedManifests;
  /**
   * Render mode with `stages`, before the target: the Milvus version to set as `from` once the rendered step is
   * applied and healthy (the rendered step's version). Unset when the rendered step is the target.
   */
  readonly nextFrom?: string;

  constructor(scope: Construct, id: string, props: MilvusClusterProps) {
    super(scope, id);
    const chart = Chart.of(this);
    assertSameCdk8s(chart);
    const { resolved, problems } = resolveProps(props, { id, chartNamespace: chart.namespace });
    if (problems.length > 0) throw this.error(problems);

    const planned = this.guard(() => planSteps(resolved));
    const refused = planProblems(resolved, planned);
    if (refused.length > 0) throw this.error(refused, true);

    this.releaseName = resolved.releaseName;
    this.namespace = resolved.namespace;
    this.renderMode = resolved.renderMode;
    this.gitOps = resolved.gitOps;
    this.version = planned.plan.to;
    this.plan = planned.plan;
    this.stops = [...planned.stops];
    // The app must never hold one object twice (another MilvusCluster of the same release, a user object): checked
    // when the app synthesizes, in both modes.
    this.node.addValidation({ validate: () => duplicateObjects(this.node.root) });

    if (resolved.renderMode === "upgrade-job") {
      const { bundle, model } = this.guard(() => executorFor(resolved, planned));
      this.steps = [...planned.steps];
      this.executor = {
        files: { ...bundle.files },
        hash: bundle.hash,
        stepSummary: [...bundle.stepSummary],
        maxDurationSeconds: bundle.maxDurationSeconds,
        includesMigration: bundle.includesMigration,
      };
      this.jobName = model.jobName;
      this.upgradeJob = MilvusUpgradeJob._create(this, "upgrade", { model, namespace: resolved.namespace, gitOps: resolved.gitOps });
      return;
    }

    // Render mode: one step. With stages, the next step of the chain; otherwise (no stops) the target.
    const step = resolved.stages && resolved.from !== undefined ? firstStep(planned.plan) : lastStep(planned.plan);
    const index = planned.plan.steps.indexOf(step);
    const total = planned.plan.steps.length;
    const final = index === total - 1;
    this.steps = [step];
    this.nextFrom = final ? undefined : step.milvusVersion;
    const annotations: Record<string, string> = resolved.stages ? { [STEP_ANNOTATION]: `${index + 1}/${total}`, [TARGET_ANNOTATION]: planned.plan.to } : {};
    if (this.nextFrom !== undefined) annotations[NEXT_FROM_ANNOTATION] = this.nextFrom;
    if (resolved.chartPath !== undefined) {
      // Every step of the chain, not only the one rendered now: a missing chart is found before the first change.
      const missing = chartPathProblems(resolved.chartPath, resolved.stages ? planned.plan.steps : [step]);
      if (missing.length > 0) throw this.error(missing);
    }
    this.rendered = this.helmGuard(resolved, () => new MilvusRenderedManifests(this, "chart", {
      step: plainValues(step),
      releaseName: resolved.releaseName,
      namespace: resolved.namespace,
      helmExecutable: resolved.helmExecutable,
      chartPath: resolved.chartPath,
      chartRepository: resolved.chartRepository,
      annotations,
    }));
    if (this.nextFrom !== undefined) {
      // The synth output names the next action (cdk8s has no synth-time messages of its own).
      process.stderr.write(
        `milvus-cluster: ${this.node.path}: rendered step ${index + 1} of ${total} (Milvus ${step.milvusVersion}, chart ${step.chartVersion}) towards ${planned.plan.to}. ` +
          `Apply it; once it is healthy set from: "${this.nextFrom}" and synthesize again.\n`,
      );
    }
  }

  /**
   * Runs helm (`helm template`, in `MilvusRenderedManifests`): a failure becomes one short construct error naming the prop to fix
   * (chartPath, helmExecutable or chartRepository) and helm's first error line, not helm's whole output.
   */
  private helmGuard<T>(r: ResolvedProps, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof MilvusClusterError) throw e;
      const text = String((e as Error).message ?? e);
      const firstError = text.split("\n").find((l) => /error/i.test(l)) ?? text.split("\n")[0] ?? "";
      const cannotRun = /cannot run|unable to execute|ENOENT|EACCES/.test(text);
      const field = cannotRun ? "helmExecutable" : r.chartPath !== undefined ? "chartPath" : "chartRepository";
      throw this.error([
        {
          field,
          ruleId: "R-INPUT",
          message: cannotRun ? `helm could not be run as ${JSON.stringify(r.helmExecutable)}: ${(text.split("\n")[0] ?? "").trim().slice(0, 300)}` : `helm template failed: ${firstError.trim().slice(0, 300)}`,
          fix: cannotRun ? "install helm >= 3.14 or set helmExecutable to its path" : field === "chartPath" ? "point chartPath at the Milvus chart directory or .tgz of that chart version ({chartVersion} is replaced)" : "check that the chart repository serves the Milvus chart of that version",
        },
      ]);
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

function firstStep(plan: UpgradePlan): UpgradeStep {
  const first = plan.steps[0];
  if (!first) throw new Error(`plan to ${plan.to} has no steps`);
  return first;
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
  // The catalog is this construct's own input: an overlay never leaks into another construct.
  const catalog = catalogFor(r.catalogFile, "catalogFile");
  if (r.from !== undefined) {
    const plan = planUpgrade({ from: r.from, to: r.spec, catalog });
    return { plan, stops: plan.steps.slice(0, -1), steps: [...plan.steps] };
  }
  const plan = planUpgrade({ to: r.spec, catalog });
  const stops = candidateStops(r.spec, { catalog });
  return { plan, stops, steps: [...stops, lastStep(plan)] };
}

/**
 * Steps render mode cannot perform: the offline 2.1 -> 2.2 metadata migration (rendered manifests cannot run it; the
 * upgrade Job does), and stops that rendering only the target would skip.
 */
function planProblems(r: ResolvedProps, planned: Planned): InputProblem[] {
  const problems: InputProblem[] = [];
  if (r.renderMode !== "render") return problems;
  // Every step of the chain with stages (refused before the first commit, not half-way), else the target.
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
      fix: 'set stages: true (it renders the next step, and names the from to set once it is healthy), or use renderMode "upgrade-job"',
    });
  }
  return problems;
}

/**
 * Checks the chart path of each rendered step before helm runs: a chart directory (with Chart.yaml) or a chart
 * archive (.tgz) must exist there.
 */
function chartPathProblems(chartPath: string, steps: readonly UpgradeStep[]): InputProblem[] {
  const out: InputProblem[] = [];
  for (const step of steps) {
    const path = chartPath.split("{chartVersion}").join(step.chartVersion);
    let ok = false;
    try {
      const st = statSync(path);
      ok = st.isDirectory() ? existsSync(join(path, "Chart.yaml")) : st.isFile() && /\.tgz$/.test(path);
    } catch {
      ok = false;
    }
    if (!ok) {
      out.push({
        field: "chartPath",
        ruleId: "R-INPUT",
        message: `${JSON.stringify(path)} (chart ${step.chartVersion}, Milvus ${step.milvusVersion}) is neither a chart directory with Chart.yaml nor a .tgz chart archive`,
        fix: "point chartPath at the unpacked Milvus chart or its .tgz, using {chartVersion} for the chart version of each step, or leave it unset to use the chart repository",
      });
    }
  }
  return out;
}

/** The executor Job model's own names for the construct props it is built from. */
const JOB_MODEL_FIELDS: Readonly<Record<string, string>> = { image: "executorImage", toolsImage: "executorImage", nodeImage: "executorNodeImage", nodeBinary: "executorNodeBinary" };

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
  let model: ExecutorJobModel;
  try {
    model = executorJobModel(bundle, {
      releaseName: r.releaseName,
      namespace: r.namespace,
      toolsImage: r.executorImage,
      nodeImage: r.executorNodeImage,
      nodeBinary: r.executorNodeBinary,
      ttlSecondsAfterFinished: r.ttlSecondsAfterFinished,
    });
  } catch (e) {
    // Errors name the prop the user wrote (executorImage), not the model's option (toolsImage).
    if (e instanceof MilvusClusterError) throw new MilvusClusterError(e.problems.map((p) => ({ ...p, field: JOB_MODEL_FIELDS[p.field] ?? p.field })));
    throw e;
  }
  // The model's Job name covers plan, values, both images and the executor program: any of them changed is another Job.
  return { bundle, model };
}
