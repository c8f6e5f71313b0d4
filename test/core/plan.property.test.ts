import fc from "fast-check";
import { MESSAGE_QUEUES, UpgradeRefusedError, chartRecord, compareVersions, knownMilvusVersions, planUpgrade, type UpgradePlan } from "../../src";
import { minimumSteps, minimumStepsFor } from "../support/min-steps";
import { fixtureCatalog } from "../support/overlay";

const GA = knownMilvusVersions({ gaOnly: true });
const pairs = fc
  .tuple(fc.integer({ min: 0, max: GA.length - 1 }), fc.integer({ min: 0, max: GA.length - 1 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => [GA[Math.min(a, b)]!, GA[Math.max(a, b)]!] as const);

function mqOf(values: Record<string, unknown>): string {
  const on = (k: string) => (values[k] as { enabled?: boolean } | undefined)?.enabled === true;
  return ["pulsar", "pulsarv3", "kafka", "woodpecker", "externalPulsar", "externalKafka"].filter(on).join("+") || String((values.standalone as { messageQueue?: string }).messageQueue);
}

describe("plan properties over every GA 2.x pair", () => {
  it("from < to: ends at the target, versions never decrease, every step changes something, is published, keeps the MQ and cites a rule", () => {
    fc.assert(
      fc.property(pairs, ([from, to]) => {
        let plan: UpgradePlan;
        try {
          plan = planUpgrade({ from, to });
        } catch (e) {
          // A deployed Pulsar v2 release (the default before chart 4.2.27) cannot reach a version shipped only on
          // charts 4.2.21-4.2.29: that refusal is the rule, not a planner gap. Nor can 2.0.0 (charts 3.0.0-3.0.7,
          // kafkaesque Pulsar 1.0.31) reach a chart with apache Pulsar (R-PULSAR-SUBCHART).
          if (/R-PULSAR-SUBCHART/.test(String(e))) {
            expect(from).toBe("2.0.0");
            return;
          }
          expect(String(e)).toMatch(/R-PULSAR2-CHARTS/);
          expect(["2.4.17", "2.5.0"].some((v) => to.startsWith(v)) || /4\.2\.2\d/.test(String(e))).toBe(true);
          return;
        }
        expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(to);
        let prev = from;
        let prevTopology = "";
        const mq = new Set<string>();
        for (const step of plan.steps) {
          expect(compareVersions(step.milvusVersion, prev)).toBeGreaterThanOrEqual(0);
          const topology = JSON.stringify([step.values.mixCoordinator, step.values.streaming]);
          expect(step.milvusVersion !== prev || topology !== prevTopology).toBe(true);
          const chart = chartRecord(step.chartVersion)!;
          expect(chart.published).toBe(true);
          expect(chart.milvus).toBe(step.milvusVersion);
          expect(step.ruleIds.length).toBeGreaterThan(0);
          expect(step.reason).toContain(step.ruleIds[0]!);
          mq.add(mqOf(step.values));
          prev = step.milvusVersion;
          prevTopology = topology;
        }
        expect(mq.size).toBe(1);
      }),
      { numRuns: 2000 },
    );
  });

  it("the plan is the shortest chain the rules allow (breadth-first search over single hops)", () => {
    fc.assert(
      fc.property(pairs, ([from, to]) => {
        let steps: number;
        try {
          steps = planUpgrade({ from, to }).steps.length;
        } catch {
          return; // refused (R-PULSAR2-CHARTS), covered above
        }
        expect(steps).toBe(minimumSteps(from, to));
      }),
      { numRuns: 500 },
    );
  });

  it("from > to is refused as a downgrade", () => {
    fc.assert(
      fc.property(pairs, ([low, high]) => {
        expect(() => planUpgrade({ from: high, to: low })).toThrow(UpgradeRefusedError);
      }),
      { numRuns: 500 },
    );
  });

  it("the message queue never changes, whatever the deployed one", () => {
    const supported = MESSAGE_QUEUES.filter((q) => q === "pulsar" || q === "kafka");
    fc.assert(
      fc.property(pairs, fc.constantFrom(...supported), ([from, to], mq) => {
        let plan: UpgradePlan;
        try {
          plan = planUpgrade({ from: { version: from, messageQueue: mq }, to });
        } catch (e) {
          // Only chart exclusions or an MQ the from-chart lacks may refuse a Pulsar v2 / Kafka chain.
          expect(String(e)).toMatch(/R-PULSAR2-CHARTS|R-MQ-SUPPORT|R-PULSAR-SUBCHART/);
          return;
        }
        for (const s of plan.steps) expect(mqOf(s.values)).toBe(mq);
      }),
      { numRuns: 500 },
    );
  });
});

// Issue #15: the same properties over the built-in catalog plus the fixture overlay (charts 5.0.20 -> Milvus 2.6.16
// and 5.0.30 -> 2.6.30, newer than the built-in catalog), so every rule written as version ranges is seen to cover
// overlay charts, and the BFS oracle runs over the combined version list.
describe("plan properties over the built-in catalog plus a fixture overlay", () => {
  const catalog = fixtureCatalog();
  const ga = catalog.knownMilvusVersions({ gaOnly: true });
  const oracle = minimumStepsFor(catalog);
  const overlayTargets = ga.filter((v) => catalog.chartsShipping(v).some((c) => catalog.overlayChart(c.chart)));

  it("the fixture overlay adds GA versions beyond the built-in catalog", () => {
    expect(overlayTargets).toEqual(["2.6.16", "2.6.30"]);
    expect(ga.length).toBe(GA.length + 2);
  });

  it("every GA source to every overlay version: ends on the overlay chart, shortest chain, one overlay warning", () => {
    let checked = 0;
    for (const to of overlayTargets) {
      for (const from of ga.filter((v) => compareVersions(v, to) < 0)) {
        let plan: UpgradePlan;
        try {
          plan = planUpgrade({ from, to, catalog });
        } catch (e) {
          // As over the built-in catalog: 2.0.0 cannot reach apache Pulsar charts (R-PULSAR-SUBCHART).
          if (/R-PULSAR-SUBCHART/.test(String(e))) {
            expect(from).toBe("2.0.0");
            continue;
          }
          expect(String(e)).toMatch(/R-PULSAR2-CHARTS/);
          continue;
        }
        const last = plan.steps[plan.steps.length - 1]!;
        expect([from, last.milvusVersion, catalog.overlayChart(last.chartVersion)?.milvus]).toEqual([from, to, to]);
        expect([from, plan.steps.length]).toEqual([from, oracle(from, to)]);
        expect([from, last.values.streaming, last.values.indexNode]).toEqual([from, { enabled: true }, { enabled: false }]);
        expect(plan.warnings.filter((w) => w.includes("[R-CATALOG-OVERLAY]"))).toHaveLength(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("random GA pairs of the combined list: ends at the target, published charts of that catalog, shortest chain", () => {
    const combined = fc
      .tuple(fc.integer({ min: 0, max: ga.length - 1 }), fc.integer({ min: 0, max: ga.length - 1 }))
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => [ga[Math.min(a, b)]!, ga[Math.max(a, b)]!] as const);
    fc.assert(
      fc.property(combined, ([from, to]) => {
        let plan: UpgradePlan;
        try {
          plan = planUpgrade({ from, to, catalog });
        } catch (e) {
          // As over the built-in catalog: 2.0.0 cannot reach apache Pulsar charts (R-PULSAR-SUBCHART).
          if (/R-PULSAR-SUBCHART/.test(String(e))) {
            expect(from).toBe("2.0.0");
            return;
          }
          expect(String(e)).toMatch(/R-PULSAR2-CHARTS/);
          return;
        }
        expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(to);
        for (const step of plan.steps) {
          const chart = catalog.chartRecord(step.chartVersion)!;
          expect(chart.published).toBe(true);
          expect(chart.milvus).toBe(step.milvusVersion);
          expect(step.reason).toContain(step.ruleIds[0]!);
        }
        expect(plan.steps.length).toBe(oracle(from, to));
        expect(plan.warnings.some((w) => w.includes("[R-CATALOG-OVERLAY]"))).toBe(plan.steps.some((s) => catalog.overlayChart(s.chartVersion) !== undefined));
      }),
      { numRuns: 500 },
    );
  });
});
