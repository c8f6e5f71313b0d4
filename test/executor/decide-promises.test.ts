/**
 * What the executor's decisions promise a user (issue #16, src/executor/decide.ts): which step it runs or skips for
 * which live state (a re-run after a partial chain resumes where it stopped, never repeats a finished step, never
 * skips the final one), which live states it refuses before anything changes and with which exit code and rule, and
 * which live message queue a step left to run cannot carry. Rows assert decisions, exit codes and the rule id a
 * refusal cites, not message wording.
 */
import type { ExecutorInput, ExecutorStepInput } from "../../src/executor/context";
import {
  checkLive,
  checkQueueCarried,
  checkTopology,
  compareMilvus,
  decideRemainingSteps,
  formatDuration,
  isFinalStep,
  isRetryOfNextStep,
  isStepVersion,
  type LiveQueueState,
  type StepDecision,
  stepDecision,
} from "../../src/executor/decide";
import { ExecutorExit } from "../../src/executor/exit";
import { EXIT_CODES, type ExitCodeName } from "../../src/executor/script";
import { rule } from "../../src/rules/rules";
import type { LiveRelease } from "../../src/executor/context";

const REPO = "https://zilliztech.github.io/milvus-helm";

function step(index: number, version: string, chart: string, o: { mix?: boolean; action?: ExecutorStepInput["action"] } = {}): ExecutorStepInput {
  return {
    index,
    version,
    tag: `v${version}`,
    chart,
    repository: REPO,
    action: o.action ?? "helm-upgrade",
    mixCoordinator: o.mix ?? true,
    valuesFile: `step-${index}.yaml`,
    label: `${version} (chart ${chart})`,
    reason: "",
  };
}

function input(steps: readonly ExecutorStepInput[], o: Partial<ExecutorInput> = {}): ExecutorInput {
  return {
    format: 1,
    releaseName: "my-milvus",
    namespace: "milvus",
    targetVersion: steps[steps.length - 1]!.version,
    includesFinalStep: true,
    rollbackOnFailure: true,
    allowExistingData: false,
    stepTimeoutSeconds: 600,
    minHelm: "3.14.0",
    planMode: "cluster",
    planMessageQueue: "pulsarv3",
    operation: "upgrade",
    steps,
    ...o,
  };
}

function live(version: string, o: Partial<LiveRelease> = {}): LiveRelease {
  return {
    status: "deployed",
    revision: 3,
    values: {},
    tag: `v${version}`,
    version,
    mode: "cluster",
    messageQueue: "pulsarv3",
    mixCoordinator: true,
    ...o,
  } as LiveRelease;
}

/** The exit code name and the rule ids cited by what `fn` throws, or "ok". */
function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ExecutorExit)) throw e;
    const name = (Object.keys(EXIT_CODES) as ExitCodeName[]).find((k) => EXIT_CODES[k] === e.exitCode) ?? String(e.exitCode);
    const rules = [...e.message.matchAll(/\[(R-[A-Z0-9-]+)\]/g)].map((m) => m[1]);
    return [name, ...rules].join(" ");
  }
  return "ok";
}

// 2.5.8 -> 2.5.16 (mixCoordinator) -> 2.6.4: the chain most users run.
const CHAIN_26 = [step(1, "2.5.16", "4.2.58", { mix: true }), step(2, "2.6.4", "5.0.6", { mix: true })];

describe("compareMilvus: the planner's order, with or without a leading v", () => {
  it.each<[string, string, number]>([
    ["2.5.8", "v2.5.8", 0],
    ["v2.5.9", "2.5.8", 1],
    ["2.5.8", "2.5.16", -1],
    ["2.4.13-hotfix", "2.4.13", 1],
    ["2.4.13-hotfix", "v2.4.14", -1],
    ["2.6.0-rc1", "2.6.0", -1],
  ])("%s vs %s: %d", (a, b, sign) => {
    expect(Math.sign(compareMilvus(a, b))).toBe(sign);
  });
});

describe("stepDecision: run or skip each step for the live version and coordinator topology", () => {
  it.each<[string, string, boolean, StepDecision[]]>([
    ["fresh from 2.5.8: every step runs", "2.5.8", false, ["run", "run"]],
    ["at 2.5.16 with mixCoordinator (a partial run): the stop is passed", "2.5.16", true, ["skip", "run"]],
    ["at 2.5.16 with separate coordinators: the stop still switches the topology", "2.5.16", false, ["run", "run"]],
    ["at 2.5.17 (above the stop): the stop is passed whatever the topology", "2.5.17", false, ["skip", "run"]],
    ["at the target already: the final step runs anyway (it reconciles the values)", "2.6.4", true, ["skip", "run"]],
  ])("%s", (_what, version, mix, expected) => {
    const inp = input(CHAIN_26);
    expect(decideRemainingSteps(inp, { version, mixCoordinator: mix })).toEqual(expected);
    expect(CHAIN_26.map((s) => stepDecision(inp, s, version, mix))).toEqual(expected);
  });

  it("without the final step (the Helm Release resource does it), a step at the live version and topology is skipped", () => {
    const inp = input(CHAIN_26, { includesFinalStep: false });
    expect(decideRemainingSteps(inp, { version: "2.6.4", mixCoordinator: true })).toEqual(["skip", "skip"]);
    expect(decideRemainingSteps(inp, { version: "2.6.4", mixCoordinator: false })).toEqual(["skip", "run"]);
    expect(isFinalStep(inp, CHAIN_26[1]!)).toBe(false);
    expect(isFinalStep(input(CHAIN_26), CHAIN_26[1]!)).toBe(true);
    expect(isFinalStep(input(CHAIN_26), CHAIN_26[0]!)).toBe(false);
  });

  it("standalone has no coordinator topology: a step at the live version is skipped whatever mixCoordinator says", () => {
    const inp = input(CHAIN_26, { planMode: "standalone" });
    expect(decideRemainingSteps(inp, { version: "2.5.16", mixCoordinator: false })).toEqual(["skip", "run"]);
    expect(decideRemainingSteps(inp, { version: "2.5.16", mixCoordinator: true })).toEqual(["skip", "run"]);
  });

  it("a step with separate coordinators at the live version runs only when the live release has mixCoordinator", () => {
    const inp = input([step(1, "2.4.9", "4.2.8", { mix: false }), step(2, "2.4.17", "4.2.24")]);
    expect(decideRemainingSteps(inp, { version: "2.4.9", mixCoordinator: false })).toEqual(["skip", "run"]);
    expect(decideRemainingSteps(inp, { version: "2.4.9", mixCoordinator: true })).toEqual(["run", "run"]);
  });

  describe("the metadata migration to 2.2.0", () => {
    const chain = [step(1, "2.2.0", "3.3.6", { action: "meta-migration", mix: false }), step(2, "2.2.14", "4.0.34", { mix: false })];
    const inp = input(chain);
    it("is passed once the release runs 2.2.0 and no migration is under way", () => {
      expect(decideRemainingSteps(inp, { version: "2.2.0", mixCoordinator: false })).toEqual(["skip", "run"]);
      expect(decideRemainingSteps(inp, { version: "2.2.0", mixCoordinator: false }, () => false)).toEqual(["skip", "run"]);
    });
    it("runs again while a migration to the live version is resumable (it stopped half-way)", () => {
      const asked: string[] = [];
      const resumable = (v: string) => {
        asked.push(v);
        return v === "2.2.0";
      };
      expect(decideRemainingSteps(inp, { version: "2.2.0", mixCoordinator: false }, resumable)).toEqual(["run", "run"]);
      expect(asked).toEqual(["2.2.0"]);
      expect(stepDecision(inp, chain[0]!, "2.2.0", false, true)).toBe("run");
    });
    it("a resumable migration does not make a plain helm step run again", () => {
      const helmOnly = input([step(1, "2.2.0", "3.3.6", { mix: false }), step(2, "2.2.14", "4.0.34", { mix: false })]);
      expect(decideRemainingSteps(helmOnly, { version: "2.2.0", mixCoordinator: false }, () => true)).toEqual(["skip", "run"]);
    });
    it("stepDecision assumes no migration under way unless told", () => {
      expect(stepDecision(inp, chain[0]!, "2.2.0", false)).toBe("skip");
    });
    it("from 2.1.4 the migration runs", () => {
      expect(decideRemainingSteps(inp, { version: "2.1.4", mixCoordinator: false })).toEqual(["run", "run"]);
    });
  });
});

describe("isStepVersion and isRetryOfNextStep", () => {
  it.each<[string, boolean]>([
    ["2.5.16", true],
    ["v2.6.4", true],
    ["2.5.15", false],
    ["2.6.5", false],
  ])("%s is a version the chain produces: %s", (v, expected) => {
    expect(isStepVersion(input(CHAIN_26), v)).toBe(expected);
  });

  it.each<[string, ExecutorStepInput | undefined, string, string, boolean]>([
    ["same chart and tag as the next step: a retry", CHAIN_26[0], "4.2.58", "v2.5.16", true],
    ["another chart", CHAIN_26[0], "4.2.57", "v2.5.16", false],
    ["another tag", CHAIN_26[0], "4.2.58", "v2.5.15", false],
    ["helm did not name the failed chart", { ...CHAIN_26[0]!, chart: "" }, "", "v2.5.16", false],
    ["no step left", undefined, "4.2.58", "v2.5.16", false],
  ])("%s", (_what, next, chart, tag, expected) => {
    expect(isRetryOfNextStep(next, chart, tag)).toBe(expected);
  });
});

describe("checkLive: what the executor refuses before anything changes", () => {
  it.each<[string, Partial<ExecutorInput>, LiveRelease, string]>([
    ["a GA source below the target", {}, live("2.5.8"), "ok"],
    ["the target itself (a re-run)", {}, live("2.6.4"), "ok"],
    ["a pre-release source", {}, live("2.6.0-rc1"), "PRERELEASE_REFUSED R-PRERELEASE-SOURCE"],
    ["a pre-release that is the target (re-run of a pre-release install)", { targetVersion: "2.6.0-rc1" }, live("2.6.0-rc1"), "ok"],
    ["a -hotfix source is GA, not a pre-release", {}, live("2.4.13-hotfix"), "ok"],
    ["a newer live version: a downgrade", {}, live("2.6.5"), "DOWNGRADE_REFUSED R-DOWNGRADE"],
    ["expectedFrom matches", { expectedFrom: "2.5.8" }, live("2.5.8"), "ok"],
    ["expectedFrom differs, live at a step's version (a partial run)", { expectedFrom: "2.5.8" }, live("2.5.16"), "ok"],
    ["expectedFrom differs, live at the target", { expectedFrom: "2.5.8" }, live("2.6.4"), "ok"],
    ["expectedFrom differs, live elsewhere", { expectedFrom: "2.5.8" }, live("2.5.10"), "UNEXPECTED_LIVE_VERSION"],
    ["expectedFrom differs only by a leading v", { expectedFrom: "v2.5.8" }, live("2.5.8"), "ok"],
    ["another mode", {}, live("2.5.8", { mode: "standalone" }), "MODE_CHANGE_REFUSED R-MODE-KEEP"],
    ["another message queue", {}, live("2.5.8", { messageQueue: "pulsar" }), "MQ_CHANGE_REFUSED R-MQ-KEEP"],
    ["a downgrade is refused before the mode is looked at", {}, live("2.6.5", { mode: "standalone" }), "DOWNGRADE_REFUSED R-DOWNGRADE"],
  ])("%s: %s", (_what, o, l, expected) => {
    expect(refusal(() => checkLive(input(CHAIN_26, o), l))).toBe(expected);
  });

  it("without the final step the target need not be a step: a release already at the target is not unexpected", () => {
    const stopOnly = input([CHAIN_26[0]!], { targetVersion: "2.6.4", includesFinalStep: false, expectedFrom: "2.5.8" });
    expect(refusal(() => checkLive(stopOnly, live("2.6.4")))).toBe("ok");
    expect(refusal(() => checkLive(stopOnly, live("2.5.16")))).toBe("ok");
    expect(refusal(() => checkLive(stopOnly, live("2.6.1")))).toBe("UNEXPECTED_LIVE_VERSION");
  });

  it("checkTopology checks the mode first, then the queue, and names the release", () => {
    const inp = input(CHAIN_26, { releaseName: "vectors" });
    expect(refusal(() => checkTopology(inp, { mode: "standalone", messageQueue: "kafka" }))).toBe("MODE_CHANGE_REFUSED R-MODE-KEEP");
    expect(refusal(() => checkTopology(inp, { mode: "cluster", messageQueue: "pulsarv3" }))).toBe("ok");
    expect(() => checkTopology(inp, { mode: "cluster", messageQueue: "kafka" })).toThrow(/vectors/);
  });
});

describe("checkQueueCarried: a live queue a step left to run cannot carry", () => {
  const queue = (messageQueue: string, chart = "4.2.20", values: Record<string, unknown> = {}): LiveQueueState => ({ version: "2.5.8", messageQueue, values, chart });
  const all = (n: number): StepDecision[] => Array.from({ length: n }, () => "run");

  it.each<[string, ExecutorInput, LiveQueueState, StepDecision[], string]>([
    ["natsmq into 2.6: refused (R-MQ-SUPPORT)", input(CHAIN_26, { planMessageQueue: "natsmq", planMode: "standalone" }), queue("natsmq"), ["run", "run"], "MQ_CHANGE_REFUSED R-MQ-SUPPORT"],
    ["natsmq with the 2.6 step skipped: nothing runs into 2.6", input(CHAIN_26, { planMessageQueue: "natsmq" }), queue("natsmq"), ["run", "skip"], "ok"],
    ["natsmq within 2.5: fine", input([step(1, "2.5.16", "4.2.58")]), queue("natsmq"), ["run"], "ok"],
    ["natsmq into 2.6.0 exactly: refused", input([step(1, "2.6.0", "5.0.0")]), queue("natsmq"), ["run"], "MQ_CHANGE_REFUSED R-MQ-SUPPORT"],
    ["natsmq into a 2.6 pre-release: refused (2.6.0-0 is the bound)", input([step(1, "2.6.0-rc1", "4.2.50")]), queue("natsmq"), ["run"], "MQ_CHANGE_REFUSED R-MQ-SUPPORT"],
    ["another queue into 2.6: fine", input(CHAIN_26), queue("pulsarv3"), ["run", "run"], "ok"],
  ])("%s", (_what, inp, l, decisions, expected) => {
    expect(refusal(() => checkQueueCarried(inp, l, decisions))).toBe(expected);
  });

  it("the natsmq refusal names the first step into 2.6 and the minor to stay on", () => {
    const inp = input([step(1, "2.5.16", "4.2.58"), step(2, "2.6.4", "5.0.6"), step(3, "2.6.5", "5.0.7")]);
    let message = "";
    try {
      checkQueueCarried(inp, queue("natsmq"), all(3));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("step 2 (2.6.4 (chart 5.0.6))");
    expect(message).toContain("2.5.x");
    expect(message).toContain("my-milvus");
  });

  const pulsarOld = { pulsar: { enabled: true } };
  const toChart = (chart: string) => input([step(1, "2.0.2", chart, { mix: false })], { planMessageQueue: "pulsar" });
  it.each<[string, ExecutorInput, LiveQueueState, string]>([
    ["bundled Pulsar on 3.0.10 onto 3.0.12: refused (R-PULSAR-SUBCHART)", toChart("3.0.12"), queue("pulsar", "3.0.10", pulsarOld), "MQ_CHANGE_REFUSED R-PULSAR-SUBCHART"],
    ["bundled Pulsar on 3.0.10 onto 3.0.13: refused", toChart("3.0.13"), queue("pulsar", "3.0.10", pulsarOld), "MQ_CHANGE_REFUSED R-PULSAR-SUBCHART"],
    ["bundled Pulsar on 3.0.7 staying below 3.0.12 (3.0.10): fine", toChart("3.0.10"), queue("pulsar", "3.0.7", pulsarOld), "ok"],
    ["bundled Pulsar already on 3.0.12: fine", toChart("3.0.13"), queue("pulsar", "3.0.12", pulsarOld), "ok"],
    ["helm did not name the live chart: not judged", toChart("3.0.13"), queue("pulsar", "", pulsarOld), "ok"],
    ["pulsar.enabled false (external queue): fine", toChart("3.0.13"), queue("pulsar", "3.0.10", { pulsar: { enabled: false } }), "ok"],
    ["pulsar.enabled the string true is not the bundled chart's boolean", toChart("3.0.13"), queue("pulsar", "3.0.10", { pulsar: { enabled: "true" } }), "ok"],
    ["pulsar not a map", toChart("3.0.13"), queue("pulsar", "3.0.10", { pulsar: true }), "ok"],
  ])("%s", (_what, inp, l, expected) => {
    expect(refusal(() => checkQueueCarried(inp, l, ["run"]))).toBe(expected);
  });

  it("only steps that run are checked against the old Pulsar chart, and the refusal names the first of them", () => {
    const inp = input([step(1, "2.0.2", "3.0.10", { mix: false }), step(2, "2.0.2", "3.0.13", { mix: false }), step(3, "2.1.4", "3.1.11", { mix: false })]);
    expect(refusal(() => checkQueueCarried(inp, queue("pulsar", "3.0.10", pulsarOld), ["run", "skip", "skip"]))).toBe("ok");
    let message = "";
    try {
      checkQueueCarried(inp, queue("pulsar", "3.0.10", pulsarOld), ["skip", "skip", "run"]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("step 3 (2.1.4 (chart 3.1.11))");
    expect(message).toContain("chart 3.0.10");
    // It says how to move offline: the rule's fix.
    expect(message).toContain(rule("R-PULSAR-SUBCHART").fix!);
  });
});

describe("formatDuration", () => {
  it.each<[number, string]>([
    [0, "0s"],
    [42.9, "42s"],
    [59, "59s"],
    [60, "1m0s"],
    [192, "3m12s"],
    [3600, "60m0s"],
    [-5, "0s"],
  ])("%d s is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
