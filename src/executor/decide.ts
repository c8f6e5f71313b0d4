import { compareVersions, parseMilvusVersion } from "../versions/versions";
import type { ExecutorInput, ExecutorStepInput, LiveRelease } from "./context";
import { ExecutorExit } from "./exit";
import { EXIT_CODES } from "./script";

/*
 * The pure decisions of the executor: which live states are refused before anything changes, and which steps remain.
 * No I/O: table-driven tests drive them directly (test/executor/decide.test.ts).
 */

/**
 * Orders two Milvus versions by MAJOR.MINOR.PATCH (semver, through the versions module), ignoring a -suffix and a
 * +build: a `v2.5.8-hotfix` image is a patched 2.5.8 and stands where 2.5.8 stands in the chain. Pre-releases are
 * refused before any comparison matters (R-PRERELEASE-SOURCE).
 */
export function compareCore(a: string, b: string): number {
  const core = (v: string): string => {
    const sv = parseMilvusVersion(v).semver;
    return `${sv.major}.${sv.minor}.${sv.patch}`;
  };
  return compareVersions(core(a), core(b));
}

/** What the executor does with one step. */
export type StepDecision = "run" | "skip";

/** Whether step `step` is the final target step, which always runs. */
export function isFinalStep(input: ExecutorInput, step: ExecutorStepInput): boolean {
  return input.includesFinalStep && step.index === input.steps.length;
}

/** Whether `version` is the version of one of the steps (a state the chain itself produces). */
export function isStepVersion(input: ExecutorInput, version: string): boolean {
  return input.steps.some((s) => compareCore(version, s.version) === 0);
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
  const c = compareCore(version, step.version);
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
  if (compareCore(v, target) > 0) {
    throw new ExecutorExit(EXIT_CODES.DOWNGRADE_REFUSED, `live Milvus ${v} is newer than the target ${target}; Milvus cannot be downgraded with helm [R-DOWNGRADE]. Set the target to ${v} or later.`);
  }
  const from = input.expectedFrom;
  // At the target, or a version the chain produces, is a state this plan itself leads to: a re-run never fails on it.
  if (from !== undefined && compareCore(v, from) !== 0 && compareCore(v, target) !== 0 && !isStepVersion(input, v)) {
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

/** `3m12s`, or `42s` below a minute. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
