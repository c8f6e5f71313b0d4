/**
 * What `planUpgrade` promises a user, pinned case by case (issue #16: each table row kills mutants that the golden
 * plans and the property tests let survive). Rows assert behaviour (the step chain, each step's downtime and the rule
 * behind it, the field and rule id of each refusal, which warnings appear), never message wording.
 */
import {
  MilvusClusterError,
  type PlanRequest,
  UpgradeRefusedError,
  type UpgradePlan,
  candidateStops,
  chartRequirements,
  planUpgrade,
  requiredHelm,
  stepChart,
} from "../../src";
import type { MilvusSpec } from "../../src/spec/types";

/** `version@chart:action:downtime:reversible:rule ids` of every step. */
const chain = (p: UpgradePlan) => p.steps.map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.action}:${s.downtime}:${s.reversible}:${s.ruleIds.join("|")}`);

/** The rule id cited at the end of each warning (`[R-X]` or `(R-X)`), in order. */
const warningRules = (p: UpgradePlan) => p.warnings.map((w) => /[[(](R-[A-Z0-9-]+)[\])]\.?$/.exec(w)?.[1] ?? w);

function problemsOf(request: PlanRequest): { type: string; problems: [string, string][] } {
  try {
    planUpgrade(request);
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    for (const p of e.problems) expect(p.fix.length).toBeGreaterThan(0);
    return { type: e instanceof UpgradeRefusedError ? "refused" : "invalid", problems: e.problems.map((p) => [p.field, p.ruleId]) };
  }
  throw new Error("expected planUpgrade to throw");
}

describe("downtime and rule of each kind of step", () => {
  it.each<[string, PlanRequest, string[]]>([
    ["fresh install: no downtime, R-INSTALL only", { to: "2.6.4" }, ["2.6.4@5.0.6:install:none:true:R-INSTALL"]],
    ["metadata migration: offline, R-META-MIGRATION, reversible (backup)", { from: "2.1.0", to: "2.2.0" }, ["2.2.0@3.3.6:meta-migration:offline:true:R-META-MIGRATION"]],
    [
      "standalone: recreate (R-RECREATE) even from 2.2.3+ with the same coordinators",
      { from: { version: "2.5.8", mode: "standalone", messageQueue: "rocksmq" }, to: "2.5.16" },
      ["2.5.16@4.2.58:helm-upgrade:recreate:true:R-TARGET|R-RECREATE"],
    ],
    [
      "coordinator topology change: recreate (R-RECREATE) although 2.4.5 could roll",
      { from: { version: "2.4.5", coordinators: "separate" }, to: { version: "2.4.9", coordinators: "mixed" } },
      ["2.4.9@4.2.8:helm-upgrade:recreate:true:R-TARGET|R-RECREATE"],
    ],
    ["cluster from 2.3.3 with active-standby on chart >= 4.1.22: rolling (R-ROLLING)", { from: "2.3.3", to: "2.3.10" }, ["2.3.10@4.1.23:helm-upgrade:rolling:true:R-TARGET|R-ROLLING"]],
    // Charts below 4.1.22 render the coordinators with an unconditional Recreate, active-standby or not (issue #14).
    ["cluster from 2.2.3 with active-standby on chart 4.0.34 (< 4.1.22): recreate (R-RECREATE)", { from: "2.2.3", to: "2.2.14" }, ["2.2.14@4.0.34:helm-upgrade:recreate:true:R-TARGET|R-RECREATE"]],
    ["cluster from 2.2.2 (below R-ROLLING's 2.2.3): recreate", { from: "2.2.2", to: "2.2.14" }, ["2.2.14@4.0.34:helm-upgrade:recreate:true:R-TARGET|R-RECREATE"]],
    [
      "active-standby switched off: recreate",
      { from: { version: "2.4.5" }, to: { version: "2.4.9", activeStandby: false } },
      ["2.4.9@4.2.8:helm-upgrade:recreate:true:R-TARGET|R-RECREATE"],
    ],
    [
      "same minor is reversible, a new minor is not; the 2.6 step cites R-26-TOPOLOGY",
      { from: { version: "2.5.15", coordinators: "mixed" }, to: "2.6.0" },
      ["2.5.16@4.2.58:helm-upgrade:rolling:true:R-26-VIA-2516|R-ROLLING", "2.6.0@5.0.1:helm-upgrade:rolling:false:R-TARGET|R-26-TOPOLOGY|R-ROLLING"],
    ],
    [
      "crossing chart 4.0.0 cites R-CONFIG-FILES",
      { from: "2.2.0", to: "2.2.1" },
      ["2.2.1@4.0.1:helm-upgrade:recreate:true:R-TARGET|R-CONFIG-FILES|R-RECREATE"],
    ],
    [
      "a Pulsar v2 release on chart >= 4.2.21 cites R-PULSAR2-PIN",
      { from: { version: "2.5.8", messageQueue: "pulsar", coordinators: "mixed" }, to: "2.5.16" },
      ["2.5.16@4.2.58:helm-upgrade:rolling:true:R-TARGET|R-PULSAR2-PIN|R-ROLLING"],
    ],
    [
      "a Pulsar v2 release on chart 4.2.20 (below the pin) cites no R-PULSAR2-PIN",
      { from: { version: "2.4.15", messageQueue: "pulsar" }, to: "2.4.16" },
      ["2.4.16@4.2.20:helm-upgrade:rolling:true:R-TARGET|R-ROLLING"],
    ],
    [
      "a standalone release moving to 2.6 recreates",
      { from: { version: "2.5.16", mode: "standalone", messageQueue: "rocksmq", coordinators: "separate" }, to: "2.6.0" },
      ["2.6.0@5.0.1:helm-upgrade:recreate:false:R-TARGET|R-26-TOPOLOGY|R-RECREATE"],
    ],
  ])("%s", (_name, request, expected) => {
    expect(chain(planUpgrade(request))).toEqual(expected);
  });

  it("an intermediate stop on a chart without extraConfigFiles leaves milvusConfig out and says so (R-CONFIG-FILES)", () => {
    const plan = planUpgrade({ from: "2.0.2", to: { version: "2.2.14", milvusConfig: { dataCoord: { segment: { maxSize: 1024 } } } } });
    expect(chain(plan)).toEqual([
      "2.1.4@3.2.18:helm-upgrade:recreate:false:R-META-SOURCE|R-CONFIG-FILES|R-RECREATE",
      "2.2.0@3.3.6:meta-migration:offline:true:R-META-MIGRATION",
      "2.2.14@4.0.34:helm-upgrade:recreate:true:R-TARGET|R-CONFIG-FILES|R-RECREATE",
    ]);
    expect(plan.steps[0]!.values["extraConfigFiles"]).toBeUndefined();
    expect(plan.steps[0]!.reason).toContain("milvusConfig not applied");
    expect(plan.steps[2]!.values["extraConfigFiles"]).toBeDefined();
    // Without milvusConfig the same stop cites nothing about config files.
    expect(planUpgrade({ from: "2.0.2", to: "2.1.4" }).steps[0]!.ruleIds).toEqual(["R-TARGET", "R-RECREATE"]);
  });

  it("each step's reason names its role: target, stop (with the gate's rule title) or migration", () => {
    const plan = planUpgrade({ from: "2.0.2", to: "2.2.14" });
    expect(plan.steps.map((s) => s.reason.split(/[:;[]/)[0]!.trim())).toEqual(["stop at 2.1.4", "offline metadata migration 2.1.4 -> 2.2.0, then chart 3.3.6", "target 2.2.14"]);
    expect(plan.steps.every((s) => s.reason.endsWith(`[${s.ruleIds.join(", ")}]`))).toBe(true);
  });
});

describe("the chain loop: stops, target and termination", () => {
  it.each<[string, PlanRequest, string[]]>([
    ["a gate whose stop is the target is the last step (no extra R-TARGET)", { from: "2.0.2", to: "2.2.0" }, ["2.1.4:R-META-SOURCE", "2.2.0:R-META-MIGRATION"]],
    ["below the 2.2 gate no stop is inserted", { from: "2.0.2", to: "2.1.4" }, ["2.1.4:R-TARGET"]],
    ["2.1.4 is already past R-META-SOURCE", { from: "2.1.4", to: "2.6.4" }, ["2.2.0:R-META-MIGRATION", "2.5.16:R-26-VIA-2516", "2.6.4:R-TARGET"]],
    ["2.1.0 is at R-META-MIGRATION's lower bound", { from: "2.1.0", to: "2.2.14" }, ["2.2.0:R-META-MIGRATION", "2.2.14:R-TARGET"]],
    ["2.2.0 is past the migration", { from: "2.2.0", to: "2.2.14" }, ["2.2.14:R-TARGET"]],
    ["2.5.16 with mixed coordinators satisfies R-26-VIA-2516", { from: { version: "2.5.16", coordinators: "mixed" }, to: "2.6.0" }, ["2.6.0:R-TARGET"]],
    ["2.5.16 with separate coordinators does not", { from: { version: "2.5.16", coordinators: "separate" }, to: "2.6.0" }, ["2.5.16:R-26-VIA-2516", "2.6.0:R-TARGET"]],
    ["the 2.6 gate needs a 2.6 target", { from: { version: "2.5.8", coordinators: "separate" }, to: "2.5.16" }, ["2.5.16:R-TARGET"]],
    ["a 2.6 source passes every gate", { from: "2.6.0", to: "2.6.4" }, ["2.6.4:R-TARGET"]],
    ["re-applying the deployed version is one R-TARGET step", { from: { version: "2.5.16", coordinators: "mixed" }, to: "2.5.16" }, ["2.5.16:R-TARGET"]],
    [
      "a topology change at the deployed version is one R-TARGET step",
      { from: { version: "2.5.16", coordinators: "separate" }, to: { version: "2.5.16", coordinators: "mixed" } },
      ["2.5.16:R-TARGET"],
    ],
  ])("%s", (_name, request, expected) => {
    const plan = planUpgrade(request);
    expect(plan.steps.map((s) => `${s.milvusVersion}:${s.ruleIds[0]}`)).toEqual(expected);
    expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(plan.to);
  });

  it("the stop takes the gate's topology, the target the requested one (or the deployed one)", () => {
    const toSeparate = planUpgrade({ from: { version: "2.5.8", coordinators: "separate" }, to: { version: "2.6.4" } });
    expect(toSeparate.steps.map((s) => [s.milvusVersion, s.values["mixCoordinator"]])).toEqual([
      ["2.5.16", expect.objectContaining({ enabled: true })],
      ["2.6.4", expect.objectContaining({ enabled: true })],
    ]);
    const keep = planUpgrade({ from: { version: "2.4.5", coordinators: "separate" }, to: "2.4.9" });
    expect(keep.steps[0]!.values["mixCoordinator"]).toEqual(expect.objectContaining({ enabled: false }));
    const change = planUpgrade({ from: { version: "2.4.5", coordinators: "separate" }, to: { version: "2.4.9", coordinators: "mixed" } });
    expect(change.steps[0]!.values["mixCoordinator"]).toEqual(expect.objectContaining({ enabled: true }));
  });

  it("an explicit target chart is checked, not replaced: same minor accepted, another minor refused", () => {
    expect(planUpgrade({ from: "2.5.8", to: { version: "2.5.16", chartVersion: "4.2.57" } }).steps.map((s) => s.chartVersion)).toEqual(["4.2.57"]);
    expect(problemsOf({ from: "2.5.8", to: { version: "2.5.16", chartVersion: "4.1.36" } }).problems).toEqual([["chartVersion", "R-CHART-MINOR"]]);
  });
});

describe("the field and rule id of every refusal", () => {
  it.each<[string, PlanRequest, string, [string, string][]]>([
    ["1.x target (string)", { to: "1.1.0" }, "invalid", [["to", "R-MILVUS-1X"]]],
    ["1.x target (spec)", { to: { version: "1.1.0" } }, "invalid", [["version", "R-MILVUS-1X"]]],
    ["1.x source", { from: "1.1.1", to: "2.2.0" }, "refused", [["from", "R-MILVUS-1X"]]],
    ["pre-release source", { from: "2.5.0-beta", to: "2.5.16" }, "refused", [["from", "R-PRERELEASE-SOURCE"]]],
    ["downgrade (string)", { from: "2.5.8", to: "2.5.4" }, "refused", [["to", "R-DOWNGRADE"]]],
    ["downgrade (spec)", { from: "2.5.8", to: { version: "2.5.4" } }, "refused", [["version", "R-DOWNGRADE"]]],
    ["pre-release target", { from: "2.4.5", to: "2.5.0-beta" }, "refused", [["to", "R-PRERELEASE-TARGET"]]],
    ["mode change", { from: { version: "2.5.8", mode: "cluster" }, to: { version: "2.5.16", mode: "standalone" } }, "refused", [["mode", "R-MODE-KEEP"]]],
    ["message queue change", { from: { version: "2.5.8", messageQueue: "pulsar" }, to: { version: "2.5.16", messageQueue: "kafka" } }, "refused", [["messageQueue", "R-MQ-KEEP"]]],
    ["separate coordinators on 2.6", { from: "2.5.16", to: { version: "2.6.4", coordinators: "separate" } }, "invalid", [["coordinators", "R-26-TOPOLOGY"]]],
    ["deployed queue impossible in its mode", { from: { version: "2.5.8", messageQueue: "rocksmq" }, to: "2.5.16" }, "invalid", [["from.messageQueue", "R-MQ-SUPPORT"]]],
    ["explicit chart in the Pulsar v2 window", { to: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" } }, "refused", [["chartVersion", "R-PULSAR2-CHARTS"]]],
    ["explicit 4.2.x chart for Milvus 2.3", { to: { version: "2.3.13", chartVersion: "4.2.0" } }, "refused", [["chartVersion", "R-23-CHART"]]],
    ["explicit chart of another minor", { to: { version: "2.5.16", chartVersion: "4.2.20" } }, "invalid", [["chartVersion", "R-CHART-MINOR"]]],
  ])("%s", (_name, request, type, expected) => {
    expect(problemsOf(request)).toEqual({ type, problems: expected });
  });

  it.each<[string, PlanRequest]>([
    ["the deployed mode, repeated", { from: { version: "2.5.8", mode: "cluster" }, to: { version: "2.5.16", mode: "cluster" } }],
    ["the deployed queue, repeated", { from: { version: "2.5.8", messageQueue: "pulsar" }, to: { version: "2.5.16", messageQueue: "pulsar" } }],
    ["mixed coordinators on 2.6, explicit", { from: "2.5.16", to: { version: "2.6.4", coordinators: "mixed" } }],
    ["the same version again", { from: { version: "2.5.16", coordinators: "mixed" }, to: "2.5.16" }],
    ["a 2.x source to 2.x", { from: "2.0.2", to: "2.1.4" }],
  ])("is not refused: %s", (_name, request) => {
    expect(() => planUpgrade(request)).not.toThrow();
  });
});

describe("boundary charts of the chart range rules", () => {
  const install = (spec: MilvusSpec) => {
    try {
      return planUpgrade({ to: spec }).steps[0]!.chartVersion;
    } catch (e) {
      if (e instanceof MilvusClusterError) return e.ruleIds.join("|");
      throw e;
    }
  };

  it.each<[MilvusSpec, string]>([
    // R-PULSAR2-CHARTS excludes 4.2.21 to 4.2.29 inclusive for Pulsar v2.
    [{ version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.20" }, "4.2.20"],
    [{ version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" }, "R-PULSAR2-CHARTS"],
    [{ version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.23" }, "R-PULSAR2-CHARTS"],
    [{ version: "2.5.0-beta", messageQueue: "pulsar", chartVersion: "4.2.29" }, "R-PULSAR2-CHARTS"],
    [{ version: "2.5.0-beta", messageQueue: "pulsar", chartVersion: "4.2.30" }, "4.2.30"],
    // Only Pulsar v2: Pulsar v3 may use the window's charts.
    [{ version: "2.4.16", messageQueue: "pulsarv3", chartVersion: "4.2.21" }, "4.2.21"],
    // Without an explicit chart the newest chart outside the window is chosen.
    [{ version: "2.4.16", messageQueue: "pulsar" }, "4.2.20"],
    [{ version: "2.4.16", messageQueue: "pulsarv3" }, "4.2.23"],
    // R-23-CHART: Milvus 2.3 never on chart 4.2.0 or later (no upper bound); other minors are not concerned.
    [{ version: "2.3.13", chartVersion: "4.2.0" }, "R-23-CHART"],
    [{ version: "2.3.13", chartVersion: "4.2.58" }, "R-23-CHART"],
    [{ version: "2.3.13" }, "4.1.28"],
    [{ version: "2.4.6", chartVersion: "4.2.0" }, "4.2.0"],
  ])("%j -> %s", (spec, expected) => {
    expect(install(spec)).toBe(expected);
  });

  it("a Pulsar v2 release upgrading within 2.4.16 lands below the window", () => {
    expect(planUpgrade({ from: { version: "2.4.15", messageQueue: "pulsar" }, to: "2.4.16" }).steps[0]!.chartVersion).toBe("4.2.20");
    expect(planUpgrade({ from: { version: "2.4.16", chartVersion: "4.2.21", messageQueue: "pulsarv3" }, to: "2.4.17" }).steps[0]!.chartVersion).toBe("4.2.25");
  });
});

describe("every warning", () => {
  it.each<[string, PlanRequest, string[]]>([
    ["GA fresh install: only the Helm/Kubernetes minimum", { to: "2.6.4" }, ["R-HELM-MIN"]],
    ["pre-release fresh install", { to: { version: "2.5.0-beta", chartVersion: "4.2.30" } }, ["R-PRERELEASE-SOURCE", "R-HELM-MIN"]],
    ["deployed state fully given: no assumption", { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed" }, to: "2.5.16" }, ["R-HELM-MIN"]],
    ["mode missing: assumed", { from: { version: "2.5.8", messageQueue: "pulsarv3", coordinators: "mixed" }, to: "2.5.16" }, ["Assumed", "R-HELM-MIN"]],
    ["queue missing: assumed", { from: { version: "2.5.8", mode: "cluster", coordinators: "mixed" }, to: "2.5.16" }, ["Assumed", "R-HELM-MIN"]],
    ["coordinators missing: assumed", { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3" }, to: "2.5.16" }, ["Assumed", "R-HELM-MIN"]],
    ["queue taken from the spec: not assumed", { from: { version: "2.5.8", mode: "cluster", coordinators: "mixed" }, to: { version: "2.5.16", messageQueue: "pulsarv3" } }, ["R-HELM-MIN"]],
    [
      "installed from the archived milvus-io repository",
      { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed", repository: "https://milvus-io.github.io/milvus-helm/" }, to: "2.5.16" },
      ["R-REPO-MOVE", "R-HELM-MIN"],
    ],
    [
      "installed from the zilliztech repository",
      { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed", repository: "https://zilliztech.github.io/milvus-helm/" }, to: "2.5.16" },
      ["R-HELM-MIN"],
    ],
    ["cluster crossing chart 5.0.5 (etcd 8)", { from: { version: "2.6.3", chartVersion: "5.0.4", mode: "cluster", messageQueue: "woodpecker", coordinators: "mixed" }, to: "2.6.4" }, ["R-ETCD-CHART-8", "R-HELM-MIN"]],
    ["cluster landing on 5.0.5 exactly", { from: { version: "2.6.2", mode: "cluster", messageQueue: "woodpecker", coordinators: "mixed" }, to: { version: "2.6.3", chartVersion: "5.0.5" } }, ["R-ETCD-CHART-8", "R-HELM-MIN"]],
    ["cluster staying below 5.0.5", { from: { version: "2.6.2", mode: "cluster", messageQueue: "woodpecker", coordinators: "mixed" }, to: { version: "2.6.3", chartVersion: "5.0.4" } }, ["R-HELM-MIN"]],
    ["cluster already on 5.0.5", { from: { version: "2.6.3", chartVersion: "5.0.5", mode: "cluster", messageQueue: "woodpecker", coordinators: "mixed" }, to: "2.6.4" }, ["R-HELM-MIN"]],
  ])("%s", (_name, request, expected) => {
    expect(warningRules(planUpgrade(request)).map((w) => (w.startsWith("Assumed") ? "Assumed" : w))).toEqual(expected);
  });

  it("the assumption names what was assumed and the chart it came from", () => {
    const [w] = planUpgrade({ from: "2.4.5", to: "2.4.9" }).warnings;
    expect(w).toContain("chart 4.1.36");
    expect(w).toContain("mode cluster");
    expect(w).toContain("message queue pulsar");
    expect(w).toContain("separate coordinators");
    const onlyCoords = planUpgrade({ from: { version: "2.4.5", mode: "cluster", messageQueue: "pulsar" }, to: "2.4.9" }).warnings[0]!;
    expect(onlyCoords).not.toContain("mode cluster");
    expect(onlyCoords).not.toContain("message queue");
  });

  it("the Helm/Kubernetes minimum is the highest chart's (R-HELM-MIN), boundary at 4.2.21", () => {
    expect(chartRequirements("4.2.20")).toMatchObject({ helm: "3.2.0", kubernetes: "1.14.0" });
    expect(chartRequirements("4.2.21")).toMatchObject({ helm: "3.14.0", kubernetes: "1.20.0" });
    expect(planUpgrade({ to: { version: "2.4.16", messageQueue: "pulsar" } }).warnings).toEqual(["Requires Helm >= 3.2.0 and Kubernetes >= 1.14.0 (chart 4.2.20) [R-HELM-MIN]."]);
    const plan = planUpgrade({ from: "2.4.5", to: "2.6.4" });
    expect(plan.warnings[plan.warnings.length - 1]).toContain("(chart 5.0.6)");
    expect(requiredHelm(plan)).toBe("3.14.0");
    expect(requiredHelm(planUpgrade({ from: "2.4.5", to: "2.4.9" }))).toBe("3.2.0");
    expect(requiredHelm({ to: "2.4.9", steps: [], warnings: [] })).toBe("3.2.0");
  });
});

describe("stepChart", () => {
  it("returns the step's chart record and refuses an unknown chart", () => {
    const step = planUpgrade({ to: "2.6.4" }).steps[0]!;
    expect(stepChart(step)).toEqual(expect.objectContaining({ chart: "5.0.6", milvus: "2.6.4" }));
    expect(() => stepChart({ ...step, chartVersion: "9.9.9" })).toThrow(/9\.9\.9/);
  });
});

describe("candidateStops (the executor's stops when the deployed version is known only at apply time)", () => {
  it.each<[MilvusSpec, string[]]>([
    [{ version: "2.6.4" }, ["2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516|R-RECREATE"]],
    [{ version: "2.2.0" }, ["2.1.4@3.2.18:helm-upgrade:recreate:R-META-SOURCE|R-RECREATE", "2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION"]],
    [{ version: "2.2.14" }, ["2.1.4@3.2.18:helm-upgrade:recreate:R-META-SOURCE|R-RECREATE", "2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION"]],
    [{ version: "2.1.4" }, []],
    [{ version: "2.5.16" }, []],
    // Woodpecker (the 2.6 standalone default) cannot exist on 2.5.16: no release with it is below the target.
    [{ version: "2.6.4", mode: "standalone" }, []],
    [
      { version: "2.6.4", mode: "standalone", messageQueue: "rocksmq" },
      ["2.1.4@3.2.18:helm-upgrade:recreate:R-META-SOURCE|R-RECREATE", "2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION", "2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516|R-RECREATE"],
    ],
  ])("%j", (spec, expected) => {
    expect(candidateStops(spec).map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.action}:${s.downtime}:${s.ruleIds.join("|")}`)).toEqual(expected);
  });

  it("the 2.5.16 stop runs mixed coordinators and is reached from separate ones", () => {
    const [stop] = candidateStops({ version: "2.6.4" });
    expect(stop!.values["mixCoordinator"]).toEqual(expect.objectContaining({ enabled: true }));
    expect(stop!.reason).toContain("coordinators separate -> mixed");
  });
});
