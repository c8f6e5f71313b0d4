import fc from "fast-check";
import { MESSAGE_QUEUES, UpgradeRefusedError, chartRecord, compareVersions, knownMilvusVersions, planUpgrade, type UpgradePlan } from "../../src";
import { minimumSteps } from "../support/min-steps";

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
