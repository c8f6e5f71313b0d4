/**
 * More of what `planUpgrade` and `candidateStops` promise (issue #16, second part): which charts a refusal offers
 * instead, which field a refusal names for each way of writing the request, the bundled-Pulsar replacement
 * (R-PULSAR-SUBCHART) and its warning, each step's notes and rule ids, reversibility and repository, the coordinator
 * topology alone forcing a step, and which candidate stops exist for which queue. Behaviour, not wording: rule ids,
 * fields, chart versions, and the values a user would act on.
 */
import { MilvusClusterError, type PlanRequest, candidateStops, planUpgrade } from "../../src";
import type { MilvusSpec } from "../../src/spec/types";

function refusal(request: PlanRequest): { field: string; ruleId: string; fix: string } {
  try {
    planUpgrade(request);
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    const [p] = e.problems;
    return { field: p!.field, ruleId: p!.ruleId, fix: p!.fix };
  }
  throw new Error("expected a refusal");
}

/** The charts a refusal's fix offers as `chartVersion a or b or c`. */
const offered = (fix: string): string[] => /chartVersion ((?:[\d.]+(?: or )?)+)/.exec(fix)?.[1]?.split(" or ") ?? [];

describe("an excluded chart: the refusal offers the newest working charts of the same minor", () => {
  it.each<[string, PlanRequest, string, string[], boolean]>([
    // Pulsar v2 in the 4.2.21-4.2.29 window: the three newest 2.4 charts below it, and Pulsar v3 for a new release.
    ["explicit 4.2.21 for a Pulsar v2 2.4.16", { to: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" } }, "R-PULSAR2-CHARTS", ["4.2.20", "4.2.19", "4.2.18"], true],
    // Milvus 2.3 above 4.2.0: the three newest 4.1 charts; no queue advice (the rule is not about the queue).
    ["explicit 4.2.0 for 2.3.13", { to: { version: "2.3.13", chartVersion: "4.2.0" } }, "R-23-CHART", ["4.1.28", "4.1.27", "4.1.26"], false],
    // Every chart shipping 2.4.17 (4.2.24, 4.2.25) is in the window: still the working 2.4 charts.
    ["2.4.17 with Pulsar v2, no chart", { to: { version: "2.4.17", messageQueue: "pulsar" } }, "R-PULSAR2-CHARTS", ["4.2.20", "4.2.19", "4.2.18"], true],
  ])("%s", (_label, request, ruleId, charts, pulsarV3Advice) => {
    const r = refusal(request);
    expect(r.ruleId).toBe(ruleId);
    expect(offered(r.fix)).toEqual(charts);
    expect(r.fix).toContain(`--chart ${charts[0]}`);
    expect(r.fix.includes("pulsarv3")).toBe(pulsarV3Advice);
  });

  it.each<[string, PlanRequest, string]>([
    ["a version string target", { from: { version: "2.4.16", messageQueue: "pulsar" }, to: "2.4.17" }, "to"],
    ["a spec target", { to: { version: "2.4.17", messageQueue: "pulsar" } }, "version"],
    ["an explicit chart", { to: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" } }, "chartVersion"],
  ])("every shipping chart excluded, named on the field the user wrote: %s", (_label, request, field) => {
    expect(refusal(request)).toMatchObject({ field, ruleId: "R-PULSAR2-CHARTS" });
  });
});

describe("the message queue the target no longer has (natsmq into 2.6, R-MQ-SUPPORT)", () => {
  it.each<[string, MilvusSpec | string, string]>([
    ["the queue repeated in the spec", { version: "2.6.4", messageQueue: "natsmq" }, "messageQueue"],
    ["the queue only in the deployed state", { version: "2.6.4" }, "from.messageQueue"],
    ["a version string target", "2.6.4", "from.messageQueue"],
  ])("%s -> the refusal names %s", (_label, to, field) => {
    expect(refusal({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to })).toMatchObject({ field, ruleId: "R-MQ-SUPPORT" });
  });

  it("natsmq stays possible below 2.6", () => {
    expect(planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to: "2.5.16" }).steps.map((s) => s.milvusVersion)).toEqual(["2.5.16"]);
  });
});

describe("the bundled Pulsar chart replaced under a 2.0 release (R-PULSAR-SUBCHART)", () => {
  it.each<[string, PlanRequest, string | undefined]>([
    ["deployed chart given, old Pulsar 1.0.31", { from: { version: "2.0.2", messageQueue: "pulsar", chartVersion: "3.0.10" }, to: "2.1.4" }, "from.chartVersion"],
    ["no chart given, every chart of 2.0.0 bundles the old Pulsar", { from: { version: "2.0.0", messageQueue: "pulsar" }, to: "2.1.4" }, "from"],
    ["deployed chart given, already apache Pulsar 2.7.8", { from: { version: "2.0.2", messageQueue: "pulsar", chartVersion: "3.0.29" }, to: "2.1.4" }, undefined],
  ])("%s", (_label, request, field) => {
    if (field === undefined) expect(() => planUpgrade(request)).not.toThrow();
    else expect(refusal(request)).toMatchObject({ field, ruleId: "R-PULSAR-SUBCHART" });
  });

  it("no chart given and the default chart is new, but older charts of that version bundle the old Pulsar: a warning naming them", () => {
    const p = planUpgrade({ from: { version: "2.0.1", messageQueue: "pulsar" }, to: "2.1.4" });
    const w = p.warnings.find((x) => x.includes("R-PULSAR-SUBCHART"));
    expect(w).toBeDefined();
    expect(w).toContain("3.0.8, 3.0.9, 3.0.10");
    expect(w).toContain("from.chartVersion");
    // Named, the chart decides: a new one plans without the warning.
    expect(planUpgrade({ from: { version: "2.0.1", messageQueue: "pulsar", chartVersion: "3.0.15" }, to: "2.1.4" }).warnings.some((x) => x.includes("R-PULSAR-SUBCHART"))).toBe(false);
    // Not Pulsar: nothing to warn about.
    expect(planUpgrade({ from: { version: "2.0.1", messageQueue: "kafka" }, to: "2.1.4" }).warnings.some((x) => x.includes("R-PULSAR-SUBCHART"))).toBe(false);
  });
});

describe("each step's notes and rule ids", () => {
  const p = planUpgrade({ from: "2.0.2", to: "2.6.4" });
  const byVersion = Object.fromEntries(p.steps.map((s) => [s.milvusVersion, s]));

  it("the long chain 2.0.2 -> 2.6.4: stops, migration, target, with their rules", () => {
    expect(p.steps.map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.ruleIds.join("|")}`)).toEqual([
      "2.1.4@3.2.18:R-META-SOURCE|R-RECREATE",
      "2.2.0@3.3.6:R-META-MIGRATION",
      "2.5.16@4.2.58:R-26-VIA-2516|R-PULSAR2-PIN|R-CONFIG-FILES|R-RECREATE",
      "2.6.4@5.0.6:R-TARGET|R-26-TOPOLOGY|R-PULSAR2-PIN|R-ROLLING",
    ]);
  });

  it("the stop 2.5.16 of a Pulsar v2 release from chart 3.3.6: coordinators mixed, Pulsar v2 pinned, config files", () => {
    const r = byVersion["2.5.16"]!.reason;
    expect(r).toContain("coordinators separate -> mixed");
    expect(r).toContain("Pulsar v2 pinned");
    expect(r).toContain("extraConfigFiles");
  });

  it.each<[string, PlanRequest, boolean[]]>([
    ["a patch within a minor", { from: "2.5.8", to: "2.5.16" }, [true]],
    ["across minors", { from: "2.4.5", to: "2.5.16" }, [false]],
    ["the metadata migration (it can be rolled back from its backup)", { from: "2.1.4", to: "2.2.0" }, [true]],
    ["2.5.8 -> 2.6.4: the stop within 2.5, the target across", { from: "2.5.8", to: "2.6.4" }, [true, false]],
  ])("reversible: %s", (_label, request, reversible) => {
    expect(planUpgrade(request).steps.map((s) => s.reversible)).toEqual(reversible);
  });

  it("every step is served by the zilliztech repository, also for a release installed from milvus-io", () => {
    const moved = planUpgrade({ from: { version: "2.5.8", repository: "https://milvus-io.github.io/milvus-helm/" }, to: "2.6.4" });
    expect(new Set(moved.steps.map((s) => s.chartRepository))).toEqual(new Set(["https://zilliztech.github.io/milvus-helm"]));
  });
});

describe("the coordinator topology alone forces a step", () => {
  it.each<[string, PlanRequest, string[]]>([
    ["same version, separate -> mixed", { from: { version: "2.5.16", coordinators: "separate" }, to: { version: "2.5.16", coordinators: "mixed" } }, ["2.5.16:R-TARGET|R-RECREATE"]],
    ["2.5.16 mixed -> 2.6.4: no stop, only the target", { from: { version: "2.5.16", coordinators: "mixed" }, to: "2.6.4" }, ["2.6.4:R-TARGET|R-26-TOPOLOGY|R-ROLLING"]],
    ["2.5.16 separate -> 2.6.4: the stop again, mixed", { from: { version: "2.5.16", coordinators: "separate" }, to: "2.6.4" }, ["2.5.16:R-26-VIA-2516|R-RECREATE", "2.6.4:R-TARGET|R-26-TOPOLOGY|R-ROLLING"]],
    ["2.1.4 -> 2.2.0: the migration is the target, no further step", { from: "2.1.4", to: { version: "2.2.0", coordinators: "separate" } }, ["2.2.0:R-META-MIGRATION"]],
  ])("%s", (_label, request, steps) => {
    expect(planUpgrade(request).steps.map((s) => `${s.milvusVersion}:${s.ruleIds.join("|")}`)).toEqual(steps);
  });

  it("the coordinators of the target step follow the request; an unchanged topology is carried", () => {
    const kept = planUpgrade({ from: { version: "2.5.8", coordinators: "separate" }, to: { version: "2.5.16", coordinators: "separate" } });
    expect(kept.steps[0]!.reason).not.toContain("coordinators");
    expect(kept.steps[0]!.values["mixCoordinator"]).toEqual(expect.objectContaining({ enabled: false }));
    const mixed = planUpgrade({ from: { version: "2.5.8", coordinators: "separate" }, to: { version: "2.5.16", coordinators: "mixed" } });
    expect(mixed.steps[0]!.values["mixCoordinator"]).toEqual(expect.objectContaining({ enabled: true }));
  });
});

describe("candidateStops per message queue and explicit charts", () => {
  it.each<[MilvusSpec, string[]]>([
    // natsmq exists from 2.3 on only: no 2.0/2.1 release had it, so the 2.1/2.2 stops are left out.
    [{ version: "2.6.4", mode: "standalone", messageQueue: "natsmq" }, ["2.5.16@4.2.58"]],
    // Kafka existed below 2.1: all three stops.
    [{ version: "2.6.4", messageQueue: "kafka" }, ["2.1.4@3.2.18", "2.2.0@3.3.6", "2.5.16@4.2.58"]],
    // The target's explicit chart is used by the migration step when the migration is the target.
    [{ version: "2.2.0", chartVersion: "3.3.6" }, ["2.1.4@3.2.18", "2.2.0@3.3.6"]],
    // Below every gate's target: nothing.
    [{ version: "2.0.2" }, []],
  ])("%j", (spec, expected) => {
    expect(candidateStops(spec).map((s) => `${s.milvusVersion}@${s.chartVersion}`)).toEqual(expected);
  });

  it("the stops are intermediate (milvusConfig left out on charts without extraConfigFiles), the migration target is not", () => {
    const stops = candidateStops({ version: "2.2.0", milvusConfig: { common: { retentionDuration: 3600 } } });
    expect(stops[0]!.reason).toContain("milvusConfig not applied");
    expect(stops.map((s) => s.action)).toEqual(["helm-upgrade", "meta-migration"]);
  });
});
