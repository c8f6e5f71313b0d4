import { rule } from "../rules/rules";
import { MQ_SUPPORT, PULSAR_SUBCHART_REPLACED } from "../rules/tables";
import { isPlainObject } from "../values/merge";
import { compareVersions, parseMilvusVersion } from "../versions/versions";
import type { ExecutorInput, ExecutorStepInput, LiveRelease } from "./context";
import { ExecutorExit } from "./exit";
import { EXIT_CODES } from "./script";

/*
 * The pure decisions of the executor: which live states are refused before anything changes, and which steps remain.
 * No I/O: table-driven tests drive them directly (test/executor/decide.test.ts).
 */

/**
 * Orders two Milvus versions exactly as the planner does (`compareVersions` of the versions module), after dropping a
 * leading `v`: semver order, except that a GA release's `-hotfix` image sorts after the GA it patches and before the
 * next patch (2.4.13 < 2.4.13-hotfix < 2.4.14; chart 4.2.15 "bump milvus to 2.4.13-hotfix" follows chart 4.2.14's
 * 2.4.13). Every decision of the executor (skip or run, downgrade, expectedFrom, nothing to do, the migration's
 * version) compares through this one function, so it never disagrees with the plan it runs.
 */
export function compareMilvus(a: string, b: string): number {
  return compareVersions(parseMilvusVersion(a).version, parseMilvusVersion(b).version);
}

/** What the executor does with one step. */
export type StepDecision = "run" | "skip";

/** Whether step `step` is the final target step, which always runs. */
export function isFinalStep(input: ExecutorInput, step: ExecutorStepInput): boolean {
  return input.includesFinalStep && step.index === input.steps.length;
}

/** Whether `version` is the version of one of the steps (a state the chain itself produces). */
export function isStepVersion(input: ExecutorInput, version: string): boolean {
  return input.steps.some((s) => compareMilvus(version, s.version) === 0);
}

/**
 * Run or skip one step on a release at `version` with coordinator topology `mixCoordinator`. The final step always
 * runs; a migration step runs while a migration to it is resumable; another step is passed when the live version is
 * above it, or equal to it with the same coordinator topology (standalone has none).
 * @param migrationResumable whether a migration to the live version is under way (the migration's state decides)
 */
export function stepDecision(input: ExecutorInput, step: ExecutorStepInput, version: string, mixCoordinator: boolean, migrationResumable = false): StepDecision {
  if (isFinalStep(input, step)) return "run";
  if (step.action === "meta-migration" && migrationResumable) return "run";
  const c = compareMilvus(version, step.version);
  if (c > 0) return "skip";
  if (c === 0 && (input.planMode === "standalone" || mixCoordinator === step.mixCoordinator)) return "skip";
  return "run";
}

/** Decides every step against the live release; `resumableAt` says whether a migration to a version is under way. */
export function decideRemainingSteps(input: ExecutorInput, live: Pick<LiveRelease, "version" | "mixCoordinator">, resumableAt: (version: string) => boolean = () => false): StepDecision[] {
  const resumable = resumableAt(live.version);
  return input.steps.map((s) => stepDecision(input, s, live.version, live.mixCoordinator, resumable));
}

/**
 * Whether a failed latest revision is the step the chain runs next: same chart version and same image tag as the
 * first step left to run from the last deployed revision. Such a release is upgraded again from there (a retry).
 */
export function isRetryOfNextStep(next: ExecutorStepInput | undefined, failedChart: string, failedTag: string): boolean {
  return next !== undefined && failedChart !== "" && next.chart === failedChart && next.tag === failedTag;
}

/**
 * Refuses every live state the plan must not touch, before anything changes: a pre-release source, a downgrade, a
 * version `expectedFrom` does not allow, a mode or message-queue change. Throws `ExecutorExit`.
 */
export function checkLive(input: ExecutorInput, live: LiveRelease): void {
  const target = input.targetVersion;
  const v = live.version;
  if (parseMilvusVersion(v).prerelease && v !== target) {
    throw new ExecutorExit(EXIT_CODES.PRERELEASE_REFUSED, `live Milvus ${v} is a pre-release, which cannot be upgraded [R-PRERELEASE-SOURCE]. Install a GA release and move the data with milvus-backup.`);
  }
  if (compareMilvus(v, target) > 0) {
    throw new ExecutorExit(EXIT_CODES.DOWNGRADE_REFUSED, `live Milvus ${v} is newer than the target ${target}; Milvus cannot be downgraded with helm [R-DOWNGRADE]. Set the target to ${v} or later.`);
  }
  const from = input.expectedFrom;
  // At the target, or a version the chain produces, is a state this plan itself leads to: a re-run never fails on it.
  if (from !== undefined && compareMilvus(v, from) !== 0 && compareMilvus(v, target) !== 0 && !isStepVersion(input, v)) {
    throw new ExecutorExit(EXIT_CODES.UNEXPECTED_LIVE_VERSION, `live Milvus ${v} is neither the expected ${from} nor a version this chain produces; the plan was made for ${from}. Plan again from ${v}.`);
  }
  checkTopology(input, live);
}

/** Refuses a mode or message-queue change (R-MODE-KEEP, R-MQ-KEEP). */
export function checkTopology(input: ExecutorInput, live: Pick<LiveRelease, "mode" | "messageQueue">): void {
  const rel = input.releaseName;
  if (live.mode !== input.planMode) {
    throw new ExecutorExit(
      EXIT_CODES.MODE_CHANGE_REFUSED,
      `release ${rel} runs in ${live.mode} mode but the plan's values are for ${input.planMode} mode; helm upgrade cannot switch modes [R-MODE-KEEP]. Keep mode ${live.mode}, or install a new release and move the data with milvus-backup.`,
    );
  }
  if (live.messageQueue !== input.planMessageQueue) {
    throw new ExecutorExit(
      EXIT_CODES.MQ_CHANGE_REFUSED,
      `release ${rel} uses message queue ${live.messageQueue} but the plan's values select ${input.planMessageQueue}; switching the queue inside an upgrade loses in-flight data [R-MQ-KEEP]. Plan with messageQueue ${live.messageQueue}.`,
    );
  }
}

/** The live state `checkQueueCarried` needs: the version, the queue, the values and the chart version of the revision. */
export type LiveQueueState = Pick<LiveRelease, "version" | "messageQueue" | "values"> & {
  /** Chart version of the live revision ("3.0.10"), or "" when helm did not say. */
  readonly chart: string;
};

/**
 * Refuses, before anything changes, a live message queue that a step left to run cannot carry (exit
 * MQ_CHANGE_REFUSED, as for a queue change: the queue would not survive the upgrade):
 * - natsmq, removed from Milvus 2.6 (`MQ_SUPPORT.natsmq.removedInMilvus`, R-MQ-SUPPORT): a step to 2.6 or later would
 *   start Milvus on a queue it no longer has;
 * - the bundled kafkaesque Pulsar chart of charts before 3.0.12 (`pulsar.enabled` on a chart below
 *   `PULSAR_SUBCHART_REPLACED.firstNewChart`; 3.0.11 was never published, so that is charts <= 3.0.10) moved by a step
 *   onto a chart that bundles apache Pulsar (R-PULSAR-SUBCHART): helm upgrade fails half-way with the new Pulsar empty.
 * Only the executor sees the live chart: Pulumi and cdk8s plans without `expectedFrom`/`from` rely on this check.
 * @param decisions the decision of every step (`decideRemainingSteps`); only steps that run are checked
 */
export function checkQueueCarried(input: ExecutorInput, live: LiveQueueState, decisions: readonly StepDecision[]): void {
  const rel = input.releaseName;
  const running = input.steps.filter((s) => decisions[s.index - 1] === "run");
  const removed = MQ_SUPPORT.natsmq.removedInMilvus;
  if (live.messageQueue === "natsmq" && removed !== undefined) {
    // Stryker disable next-line EqualityOperator: removed is 2.6.0-0, the lowest 2.6 pre-release bound, which no step's version equals
    const step = running.find((s) => compareMilvus(s.version, removed) >= 0);
    if (step) {
      const gone = parseMilvusVersion(removed).semver;
      throw new ExecutorExit(
        EXIT_CODES.MQ_CHANGE_REFUSED,
        `release ${rel} uses message queue natsmq, which Milvus ${gone.major}.${gone.minor} removed; step ${step.index} (${step.label}) would start Milvus ${step.version} without it [R-MQ-SUPPORT]. Nothing was changed. Stay on Milvus ${gone.major}.${gone.minor - 1} (set the target to a ${gone.major}.${gone.minor - 1}.x version), or install a new release on another message queue (rocksmq or woodpecker) and move the data with milvus-backup.`,
      );
    }
  }
  const pulsar = isPlainObject(live.values.pulsar) && live.values.pulsar.enabled === true;
  const firstNew = PULSAR_SUBCHART_REPLACED.firstNewChart;
  if (pulsar && live.chart !== "" && compareVersions(live.chart, firstNew) < 0) {
    const step = running.find((s) => compareVersions(s.chart, firstNew) >= 0);
    if (step) {
      throw new ExecutorExit(
        EXIT_CODES.MQ_CHANGE_REFUSED,
        // Stryker disable next-line StringLiteral: the "" after ?? is unreachable, R-PULSAR-SUBCHART has a fix (test/core/rules-promises.test.ts)
        `release ${rel} runs chart ${live.chart} with the bundled Pulsar (pulsar.enabled), the kafkaesque Pulsar chart 1.x; step ${step.index} (${step.label}) moves it to chart ${step.chart}, which bundles apache Pulsar 2.7.8, whose StatefulSets cannot replace the old ones with helm upgrade: the upgrade would fail half-way with the new Pulsar empty [${PULSAR_SUBCHART_REPLACED.ruleId}]. Nothing was changed. Move it offline instead (docs/knowledge-round2.md): ${rule(PULSAR_SUBCHART_REPLACED.ruleId).fix ?? ""}.`,
      );
    }
  }
}

/** `3m12s`, or `42s` below a minute. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
