/**
 * What `planUpgrade` and `candidateStops` promise at their edges (issue #16, third part): every refusal names the
 * versions and charts it is about and offers each way out once; each step's reason cites exactly its rule ids; the
 * downtime of standalone and topology-changing steps whatever activeStandby says; the chart boundaries of the
 * coordinator strategy and the config-files move; the bundled-Pulsar replacement on both sides of chart 3.0.12; the
 * warnings a plan has and has not; the deployed chart's own checks. Behaviour a user acts on (fields, rule ids,
 * versions, charts), read as tokens of the text, never whole sentences.
 */
import { Catalog, MilvusClusterError, type PlanRequest, UpgradeRefusedError, type UpgradePlan, candidateStops, planUpgrade, validateSpecShape } from "../../src";
import type { MilvusSpec } from "../../src/spec/types";
import { GATES } from "../../src/rules/tables";
import { compareVersions } from "../../src/versions/versions";
import { fixtureOverlay } from "../support/overlay";

/** The built-in catalog plus an overlay whose chart 5.0.30 ships `milvus` (an overlay may ship any version). */
function overlayShipping(milvus: string): Catalog {
  const o = JSON.parse(JSON.stringify(fixtureOverlay()));
  Object.assign(o.charts[1], { milvus, imageTag: `v${milvus}`, appVersion: milvus });
  return Catalog.withOverlay(o);
}

interface Refusal {
  readonly refused: boolean;
  readonly field: string;
  readonly ruleId: string;
  readonly message: string;
  readonly fix: string;
}

function refusalOf(run: () => unknown): Refusal {
  try {
    run();
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    const [p] = e.problems;
    return { refused: e instanceof UpgradeRefusedError, field: p!.field, ruleId: p!.ruleId, message: p!.message, fix: p!.fix };
  }
  throw new Error("expected a refusal");
}

/** The words of a text: versions, charts and names as the user reads them (split at blanks and punctuation). */
const words = (text: string): string[] => text.split(/(?:[\s,;()[\]]|[:.](?=\s|$))+/).filter((w) => w !== "");

/** The rule id cited at the end of each warning (`[R-X]` or `(R-X)`), in order. */
const warningRules = (p: UpgradePlan) => p.warnings.map((w) => /[[(](R-[A-Z0-9-]+)[\])]\.?$/.exec(w)?.[1] ?? w);

describe("every refusal names what it is about and offers each way out once", () => {
  it.each<[string, () => unknown, { refused: boolean; field: string; ruleId: string }, string[], number]>([
    // [label, call, what the refusal names, words its message must contain, number of ways out its fix offers]
    ["an explicit Pulsar v2 chart in the window", () => planUpgrade({ to: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" } }), { refused: true, field: "chartVersion", ruleId: "R-PULSAR2-CHARTS" }, ["4.2.21", "2.4.16", "pulsar"], 3],
    ["Milvus 2.3 on chart 4.2.0 with Pulsar: no queue advice", () => planUpgrade({ to: { version: "2.3.13", messageQueue: "pulsar", chartVersion: "4.2.0" } }), { refused: true, field: "chartVersion", ruleId: "R-23-CHART" }, ["4.2.0", "2.3.13", "pulsar"], 2],
    ["Milvus 2.3 on chart 4.2.0, queue unset", () => planUpgrade({ to: { version: "2.3.13", chartVersion: "4.2.0" } }), { refused: true, field: "chartVersion", ruleId: "R-23-CHART" }, ["4.2.0", "2.3.13"], 2],
    ["every chart shipping 2.4.17 is in the window", () => planUpgrade({ to: { version: "2.4.17", messageQueue: "pulsar" } }), { refused: true, field: "version", ruleId: "R-PULSAR2-CHARTS" }, ["2.4.17", "4.2.24", "4.2.25", "pulsar"], 3],
    ["a chart of another minor", () => planUpgrade({ to: { version: "2.5.8", chartVersion: "4.2.20" } }), { refused: false, field: "chartVersion", ruleId: "R-CHART-MINOR" }, ["4.2.20", "2.4.16", "2.5.x"], 1],
    ["a Milvus 1.x target", () => planUpgrade({ to: "1.1.0" }), { refused: false, field: "to", ruleId: "R-MILVUS-1X" }, ["1.1.0"], 1],
    ["a Milvus 1.x release", () => planUpgrade({ from: "1.1.0", to: "2.5.8" }), { refused: true, field: "from", ruleId: "R-MILVUS-1X" }, ["1.1.0", "2.5.8"], 1],
    ["a pre-release release", () => planUpgrade({ from: "2.5.0-beta", to: "2.5.8" }), { refused: true, field: "from", ruleId: "R-PRERELEASE-SOURCE" }, ["2.5.0-beta", "2.5.8"], 1],
    ["a downgrade", () => planUpgrade({ from: "2.5.8", to: "2.5.4" }), { refused: true, field: "to", ruleId: "R-DOWNGRADE" }, ["2.5.4", "2.5.8"], 1],
    ["a pre-release target", () => planUpgrade({ from: "2.4.16", to: "2.5.0-beta" }), { refused: true, field: "to", ruleId: "R-PRERELEASE-TARGET" }, ["2.5.0-beta", "2.4.16"], 1],
    ["a mode switch", () => planUpgrade({ from: { version: "2.5.8", mode: "standalone" }, to: { version: "2.5.10", mode: "cluster" } }), { refused: true, field: "mode", ruleId: "R-MODE-KEEP" }, ["standalone", "cluster"], 1],
    ["a queue switch", () => planUpgrade({ from: { version: "2.5.8", messageQueue: "pulsarv3" }, to: { version: "2.5.10", messageQueue: "kafka" } }), { refused: true, field: "messageQueue", ruleId: "R-MQ-KEEP" }, ["pulsarv3", "kafka"], 1],
    ["separate coordinators on 2.6", () => planUpgrade({ from: "2.5.16", to: { version: "2.6.4", coordinators: "separate" } }), { refused: false, field: "coordinators", ruleId: "R-26-TOPOLOGY" }, ["2.6.4", "mixed"], 1],
    ["the bundled Pulsar chart replaced under the release", () => planUpgrade({ from: { version: "2.0.0", messageQueue: "pulsar" }, to: "2.0.2" }), { refused: true, field: "from", ruleId: "R-PULSAR-SUBCHART" }, ["2.0.0", "3.0.7", "1.0.31", "3.0.29", "2.0.2", "2.7.8"], 1],
    ["natsmq into exactly 2.6.0, where it was removed", () => planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to: "2.6.0" }), { refused: true, field: "from.messageQueue", ruleId: "R-MQ-SUPPORT" }, ["natsmq", "2.6.0"], 1],
    ["candidate stops of a Pulsar v2 2.4.17", () => candidateStops({ version: "2.4.17", messageQueue: "pulsar" }), { refused: true, field: "version", ruleId: "R-PULSAR2-CHARTS" }, ["2.4.17", "4.2.24", "4.2.25"], 3],
  ])("%s", (_label, run, names, mentioned, waysOut) => {
    const r = refusalOf(run);
    expect({ refused: r.refused, field: r.field, ruleId: r.ruleId }).toEqual(names);
    expect(words(r.message)).toEqual(expect.arrayContaining(mentioned));
    for (const text of [r.message, r.fix]) expect(text).not.toMatch(/undefined|null|NaN|\(\)|, ,|;\s*;|\s:|^\s|\s$/);
    // Each way out appears once, none empty (an exclusion offers working charts, the queue advice and the rule's fix).
    const parts = r.fix.split("; or ");
    expect(parts).toHaveLength(waysOut);
    for (const part of parts) expect(part.trim().length).toBeGreaterThan(10);
  });

  it("an exclusion refusal offers Pulsar v3 only for a Pulsar v2 release", () => {
    const pulsar = refusalOf(() => planUpgrade({ to: { version: "2.3.13", messageQueue: "pulsar", chartVersion: "4.2.0" } }));
    const window = refusalOf(() => planUpgrade({ to: { version: "2.4.16", messageQueue: "pulsar", chartVersion: "4.2.21" } }));
    expect(words(pulsar.fix)).not.toContain("pulsarv3");
    expect(words(window.fix)).toContain("pulsarv3");
  });
});

describe("the field each malformed input is named by", () => {
  it.each<[string, () => unknown, string, string]>([
    ["a target that is no version", () => planUpgrade({ to: "banana" }), "to", "R-VERSION-FORMAT"],
    ["a deployed version that is no version", () => planUpgrade({ from: "banana", to: "2.5.8" }), "from", "R-VERSION-FORMAT"],
    ["a deployed version no chart ships", () => planUpgrade({ from: "2.5.99", to: "2.6.4" }), "from", "R-KNOWN-VERSION"],
    ["a deployed chart that does not exist", () => planUpgrade({ from: { version: "2.5.8", chartVersion: "9.9.9" }, to: "2.6.4" }), "from.chartVersion", "R-CHART-PUBLISHED"],
    ["a deployed chart that was never published", () => planUpgrade({ from: { version: "2.5.9", chartVersion: "4.2.46" }, to: "2.5.10" }), "from.chartVersion", "R-CHART-PUBLISHED"],
    ["a deployed chart of another minor", () => planUpgrade({ from: { version: "2.5.8", chartVersion: "4.2.20" }, to: "2.5.10" }), "from.chartVersion", "R-CHART-MINOR"],
    ["an unknown deployed version on a chart of another minor", () => planUpgrade({ from: { version: "2.5.99", chartVersion: "4.2.20" }, to: "2.6.4" }), "from.chartVersion", "R-CHART-MINOR"],
  ])("%s", (_label, run, field, ruleId) => {
    expect(refusalOf(run)).toMatchObject({ field, ruleId });
  });

  it("a deployed chart of another minor: the message names both versions, the fix a chart of the deployed one", () => {
    const r = refusalOf(() => planUpgrade({ from: { version: "2.5.8", chartVersion: "4.2.20" }, to: "2.5.10" }));
    expect(words(r.message)).toEqual(expect.arrayContaining(["4.2.20", "2.4.16", "2.5.8"]));
    expect(words(r.fix)).toContain("4.2.44");
    // No chart ships 2.5.99: the fix offers no example rather than failing on it.
    const unknown = refusalOf(() => planUpgrade({ from: { version: "2.5.99", chartVersion: "4.2.20" }, to: "2.6.4" }));
    expect(unknown.fix).not.toMatch(/e\.g\.|undefined/);
  });

  it("every problem of a malformed spec is reported at once, as validateSpecShape finds them", () => {
    const spec = { version: "2.5.8", mode: "bogus", replicas: { queryNode: -1 } } as unknown as MilvusSpec;
    const expected = validateSpecShape(spec).map((p) => [p.field, p.ruleId]);
    expect(expected.length).toBeGreaterThanOrEqual(2);
    for (const run of [() => planUpgrade({ to: spec }), () => planUpgrade({ from: "2.5.4", to: spec }), () => candidateStops(spec)]) {
      try {
        run();
        throw new Error("expected a refusal");
      } catch (e) {
        expect(e).toBeInstanceOf(MilvusClusterError);
        expect((e as MilvusClusterError).problems.map((p) => [p.field, p.ruleId])).toEqual(expected);
      }
    }
  });
});

describe("each step's reason cites exactly its rule ids, with one note per change", () => {
  /** The notes of a reason: the parts between its lead and the bracketed rule ids. */
  const notesOf = (reason: string): string[] => reason.replace(/ \[[^\]]*\]$/, "").split("; ").slice(1);

  it.each<[string, PlanRequest, string[][]]>([
    ["a fresh install", { to: "2.6.4" }, [[]]],
    ["a patch upgrade with nothing to note", { from: "2.5.8", to: "2.5.10" }, [[]]],
    ["standalone through the 2.5.16 stop: no coordinator note (one pod)", { from: { version: "2.5.8", mode: "standalone", coordinators: "separate" }, to: "2.6.4" }, [[], ["streaming node on, indexNode off"]]],
    ["separate coordinators through the 2.5.16 stop", { from: { version: "2.5.8", coordinators: "separate" }, to: "2.6.4" }, [["coordinators separate -> mixed"], ["streaming node on, indexNode off"]]],
    ["Pulsar v2 into 2.6: topology and pin, two notes", { from: { version: "2.5.16", messageQueue: "pulsar", coordinators: "mixed" }, to: "2.6.4" }, [["streaming node on, indexNode off", "Pulsar v2 pinned"]]],
    ["onto chart 4.0.0, where the config moves", { from: "2.2.0", to: { version: "2.2.1", chartVersion: "4.0.0" } }, [["Milvus config moves to extraConfigFiles"]]],
  ])("%s", (_label, request, notes) => {
    const plan = planUpgrade(request);
    for (const step of plan.steps) {
      expect(step.reason.endsWith(` [${step.ruleIds.join(", ")}]`)).toBe(true);
      expect(words(step.reason)).toEqual(expect.arrayContaining([step.milvusVersion]));
    }
    expect(plan.steps.map((s) => notesOf(s.reason))).toEqual(notes);
  });

  it("a fresh install's reason names the version and the chart, citing R-INSTALL", () => {
    const [step] = planUpgrade({ to: "2.5.16" }).steps;
    expect(words(step!.reason)).toEqual(expect.arrayContaining(["2.5.16", "4.2.58"]));
    expect(step!.reason.endsWith("[R-INSTALL]")).toBe(true);
  });
});

describe("downtime: recreate whatever activeStandby says, where the rule demands it", () => {
  const steps = (request: PlanRequest) => planUpgrade(request).steps.map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.downtime}:${s.ruleIds.join("|")}`);

  it.each<[string, PlanRequest, string[]]>([
    ["standalone always recreates (one pod)", { from: { version: "2.5.8", mode: "standalone" }, to: { version: "2.5.10", mode: "standalone", activeStandby: true } }, ["2.5.10@4.2.47:recreate:R-TARGET|R-RECREATE"]],
    [
      "separate -> mixed coordinators recreate at the stop, the target then rolls",
      { from: { version: "2.5.8", coordinators: "separate" }, to: { version: "2.6.4", activeStandby: true } },
      ["2.5.16@4.2.58:recreate:R-26-VIA-2516|R-RECREATE", "2.6.4@5.0.6:rolling:R-TARGET|R-26-TOPOLOGY|R-ROLLING"],
    ],
    ["chart 4.1.22, the first whose coordinators follow activeStandby, rolls", { from: "2.3.9", to: { version: "2.3.10", chartVersion: "4.1.22", activeStandby: true } }, ["2.3.10@4.1.22:rolling:R-TARGET|R-ROLLING"]],
    ["chart 4.1.21 recreates its coordinators whatever activeStandby says", { from: "2.3.9", to: { version: "2.3.10", chartVersion: "4.1.21", activeStandby: true } }, ["2.3.10@4.1.21:recreate:R-TARGET|R-RECREATE"]],
  ])("%s", (_label, request, expected) => {
    expect(steps(request)).toEqual(expected);
  });

  it("chart 4.0.0 is the first without the shortcut config keys: landing on it moves the config, leaving it does not", () => {
    expect(planUpgrade({ from: "2.2.0", to: { version: "2.2.1", chartVersion: "4.0.0" } }).steps[0]!.ruleIds).toContain("R-CONFIG-FILES");
    expect(planUpgrade({ from: { version: "2.2.1", chartVersion: "4.0.0" }, to: "2.2.2" }).steps[0]!.ruleIds).not.toContain("R-CONFIG-FILES");
    expect(planUpgrade({ from: "2.2.0", to: { version: "2.2.0", chartVersion: "3.3.6" } }).steps[0]!.ruleIds).not.toContain("R-CONFIG-FILES");
  });
});

describe("the metadata migration when 2.2.0 is the target", () => {
  it("runs on the chart the target names, reached from the deployed 2.1.x", () => {
    const [step] = planUpgrade({ from: "2.1.4", to: { version: "2.2.0", chartVersion: "3.3.0" } }).steps;
    expect(step).toMatchObject({ milvusVersion: "2.2.0", chartVersion: "3.3.0", action: "meta-migration", downtime: "offline", ruleIds: ["R-META-MIGRATION"] });
    expect(words(step!.reason)).toEqual(expect.arrayContaining(["2.1.4", "2.2.0", "3.3.0"]));
  });

  it("as a candidate stop: on the target's chart, migrating from the newest 2.1.x GA", () => {
    const stops = candidateStops({ version: "2.2.0", chartVersion: "3.3.0" });
    expect(stops.map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.action}`)).toEqual(["2.1.4@3.2.18:helm-upgrade", "2.2.0@3.3.0:meta-migration"]);
    expect(words(stops[1]!.reason)).toEqual(expect.arrayContaining(["2.1.4", "2.2.0"]));
  });
});

describe("the bundled Pulsar chart on both sides of chart 3.0.12 (R-PULSAR-SUBCHART)", () => {
  it("an upgrade that stays on charts with the old Pulsar chart is planned, without the warning", () => {
    const plan = planUpgrade({ from: { version: "2.0.0", messageQueue: "pulsar" }, to: { version: "2.0.1", chartVersion: "3.0.10" } });
    expect(plan.steps.map((s) => `${s.milvusVersion}@${s.chartVersion}`)).toEqual(["2.0.1@3.0.10"]);
    expect(warningRules(plan)).not.toContain("R-PULSAR-SUBCHART");
  });

  it("a release assumed on the new Pulsar chart is warned with exactly the old charts that also shipped its version", () => {
    const plan = planUpgrade({ from: { version: "2.0.1", messageQueue: "pulsar" }, to: "2.0.2" });
    const warning = plan.warnings.find((w) => w.includes("R-PULSAR-SUBCHART"));
    const charts = words(warning ?? "").filter((w) => /^3\.0\.\d+$/.test(w));
    expect(charts).toEqual(["3.0.8", "3.0.9", "3.0.10"]);
    expect(words(warning ?? "")).toContain("1.0.31");
  });

  it("no warning when the deployed chart is given, or the queue is not Pulsar v2", () => {
    expect(warningRules(planUpgrade({ from: { version: "2.0.1", messageQueue: "pulsar", chartVersion: "3.0.15" }, to: "2.0.2" }))).not.toContain("R-PULSAR-SUBCHART");
    expect(warningRules(planUpgrade({ from: { version: "2.0.1", messageQueue: "kafka" }, to: "2.0.2" }))).not.toContain("R-PULSAR-SUBCHART");
  });
});

describe("the warnings a plan has, and those it has not", () => {
  it.each<[string, PlanRequest, string[]]>([
    ["a fresh install with nothing to warn about", { to: "2.5.16" }, ["R-HELM-MIN"]],
    ["a fresh install with every default stated", { to: { version: "2.6.4", messageQueue: "woodpecker" } }, ["R-HELM-MIN"]],
    ["a fully described release", { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed" }, to: "2.5.10" }, ["R-HELM-MIN"]],
    // The 2.5.16 stop is below chart 5.0.5, the target above: one step crossing is enough.
    ["the etcd chart crossed by the last step only", { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed" }, to: "2.6.4" }, ["R-ETCD-CHART-8", "R-HELM-MIN"]],
    ["an external etcd is not the chart's to move", { from: { version: "2.5.8", mode: "cluster", messageQueue: "pulsarv3", coordinators: "mixed" }, to: { version: "2.6.4", externalEtcdEndpoints: ["etcd-0.etcd:2379"] } }, ["R-HELM-MIN"]],
  ])("%s", (_label, request, rules) => {
    expect(warningRules(planUpgrade(request))).toEqual(rules);
  });

  it("a fresh install on an overlay chart says where the chart came from", () => {
    const cat = Catalog.withOverlay(fixtureOverlay());
    const plan = planUpgrade({ to: "2.6.30", catalog: cat });
    expect(warningRules(plan)).toEqual(["R-HELM-MIN", "R-CATALOG-OVERLAY"]);
    const overlay = words(plan.warnings[1]!);
    // The chart, the newest built-in chart, the index's date, the requirements and the chart's kubeVersion.
    expect(overlay).toEqual(expect.arrayContaining(["5.0.30", "5.0.19", "3.14.0", "1.20.0", "^1.10.0-0", "2.6.30"]));
    expect(plan.warnings[1]).toContain("2026-09-01T10:00:01.000000000Z");
    const facts = plan.warnings[1]!.split("; ");
    expect(facts.length).toBeGreaterThanOrEqual(4);
    for (const fact of facts) expect(fact.trim().length).toBeGreaterThan(10);
  });
});

describe("an overlay chart that ships an old minor or a pre-release obeys the same rules", () => {
  it("a pre-release chart is never offered instead of an excluded one", () => {
    const r = refusalOf(() => planUpgrade({ to: { version: "2.5.16", messageQueue: "pulsar", chartVersion: "4.2.29" }, catalog: overlayShipping("2.5.17-rc1") }));
    expect(r.ruleId).toBe("R-PULSAR2-CHARTS");
    expect(/chartVersion ((?:[\d.]+(?: or )?)+)/.exec(r.fix)?.[1]?.split(" or ")).toEqual(["4.2.58", "4.2.57", "4.2.56"]);
  });

  it("the stop before the metadata migration is the newest GA 2.1.x, not a later 2.1 pre-release", () => {
    const plan = planUpgrade({ from: "2.0.2", to: "2.2.0", catalog: overlayShipping("2.1.5-rc1") });
    expect(plan.steps.map((s) => `${s.milvusVersion}:${s.action}`)).toEqual(["2.1.4:helm-upgrade", "2.2.0:meta-migration"]);
  });

  it("the candidate migration starts from the GA release below 2.2.0, not a 2.2.0 pre-release", () => {
    const stops = candidateStops({ version: "2.2.0" }, { catalog: overlayShipping("2.2.0-rc1") });
    expect(words(stops.find((s) => s.action === "meta-migration")!.reason)).toEqual(expect.arrayContaining(["2.1.4", "2.2.0"]));
    expect(words(stops.find((s) => s.action === "meta-migration")!.reason)).not.toContain("2.2.0-rc1");
  });

  it("a Milvus 2.3 version that only an overlay chart >= 4.2.0 ships is refused on the field the user wrote", () => {
    const r = refusalOf(() => planUpgrade({ to: "2.3.14", catalog: overlayShipping("2.3.14") }));
    expect(r).toMatchObject({ refused: true, field: "to", ruleId: "R-23-CHART" });
    expect(words(r.message)).toEqual(expect.arrayContaining(["2.3.14", "5.0.30", "excluded"]));
    expect(r.message).not.toMatch(/undefined|for pulsar/);
  });
});

describe("the overlay warning says what it knows of where the chart came from", () => {
  /** The overlay warning of a fresh 2.6.30 install with the fixture overlay changed by `edit`. */
  function overlayWarning(edit: (overlay: { index: Record<string, unknown>; charts: Record<string, unknown>[] }) => void): string {
    const o = JSON.parse(JSON.stringify(fixtureOverlay()));
    edit(o);
    return planUpgrade({ to: "2.6.30", catalog: Catalog.withOverlay(o) }).warnings.find((w) => w.includes("R-CATALOG-OVERLAY"))!;
  }

  it.each<[string, (o: { index: Record<string, unknown>; charts: Record<string, unknown>[] }) => void, string[], string[]]>([
    ["an index with its address and date", (o) => Object.assign(o.index, { source: "https://charts.example.com/index.yaml" }), ["https://charts.example.com/index.yaml", "generated"], ["local"]],
    ["an index with its address only", (o) => Object.assign(o.index, { source: "https://charts.example.com/index.yaml", generated: null }), ["https://charts.example.com/index.yaml"], ["generated", "local"]],
    ["a local index without a date", (o) => Object.assign(o.index, { generated: null }), ["local", "index.yaml"], ["generated"]],
    ["a chart without kubeVersion (the index entry has none)", (o) => Object.assign(o.charts[1]!, { kubeVersion: "" }), ["1.20.0"], ["kubeVersion", "^1.10.0-0"]],
  ])("%s", (_label, edit, present, absent) => {
    const w = words(overlayWarning(edit));
    expect(w).toEqual(expect.arrayContaining(present));
    for (const word of absent) expect(w).not.toContain(word);
    expect(overlayWarning(edit)).not.toMatch(/undefined|null/);
  });

  it("the requirements fact ends with the chart, or with its kubeVersion when the index entry has one", () => {
    const helmFact = (w: string) => words(w.split("; ").find((f) => f.startsWith("Helm >="))!.split(". ")[0]!);
    expect(helmFact(overlayWarning(() => {})).slice(-5)).toEqual(["5.0.30", "and", "its", "kubeVersion", "^1.10.0-0"]);
    expect(helmFact(overlayWarning((o) => Object.assign(o.charts[1]!, { kubeVersion: "" }))).at(-1)).toBe("5.0.30");
  });

  it("changed dependencies are listed by name, in order", () => {
    const w = overlayWarning((o) => {
      o.charts[1]!.dependencies = { ...(o.charts[1]!.dependencies as object), zeta: "1.0.0", alpha: "2.0.0" };
    });
    const listed = words(w).filter((x) => ["alpha", "zeta"].includes(x));
    expect(listed).toEqual(["alpha", "zeta"]);
  });
});

describe("the gates table keeps candidateStops' shortcut valid", () => {
  it.each(GATES.map((g) => [g.ruleId, g] as const))("%s: its stop is below its targetAtLeast, or equal for the migration", (_id, g) => {
    const stop = g.stop.version ?? `${g.stop.latestOfMinor}.999`;
    const order = compareVersions(stop, g.targetAtLeast);
    expect(order < 0 || (order === 0 && g.stop.action === "meta-migration")).toBe(true);
  });
});
