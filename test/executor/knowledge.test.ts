/**
 * The upgrade knowledge issue #14 corrected in the planner, held by the executor at apply time, where only it sees the
 * live release: `-hotfix` images order after their GA (2.4.13 < 2.4.13-hotfix < 2.4.14), natsmq is gone from Milvus 2.6
 * (R-MQ-SUPPORT), and a release on the kafkaesque Pulsar chart (charts <= 3.0.10) is not helm-upgraded onto apache
 * Pulsar (R-PULSAR-SUBCHART). In process against the fake cluster, as run.test.ts.
 */
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { checkQueueCarried } from "../../src/executor/decide";
import { chartVersionOf, liveChartVersion, parseStatus } from "../../src/executor/live";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import type { UpgradeStep } from "../../src/plan/types";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

const rel = { releaseName: "my-milvus", namespace: "milvus" } as const;
const run = (opts: ExecutorOptions, o: Parameters<typeof runInProcess>[2] = {}) => runInProcess(fake, renderExecutor(opts), o);
const charts = (): string[] => fake.upgrades().map((c) => c[c.indexOf("--version") + 1]!);
/** The values of a Pulsar v2 release on a 4.x chart (the fake's defaults enable Pulsar v3). */
const PULSAR_V2 = { pulsar: { enabled: true }, pulsarv3: { enabled: false } };

describe("-hotfix images order after their GA, as in the planner (2.4.13 < 2.4.13-hotfix < 2.4.14)", () => {
  const toHotfix = planUpgrade({ from: "2.4.13", to: "2.4.13-hotfix" });
  const toGa = planUpgrade({ to: "2.4.13" });
  const toNext = planUpgrade({ from: "2.4.13-hotfix", to: "2.4.14" });

  it("live 2.4.13 with target 2.4.13-hotfix upgrades to the hotfix", async () => {
    fake.addRevision({ tag: "v2.4.13", chart: "4.2.14", values: PULSAR_V2 });
    const r = await run({ ...rel, steps: toHotfix.steps, targetVersion: toHotfix.to });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(charts()).toEqual([toHotfix.steps[0]!.chartVersion]);
    expect(fake.release.state.revisions.at(-1)!.tag).toBe("v2.4.13-hotfix");
  });

  it("the Pulumi guard (target step only, includesFinalStep false) runs at 2.4.13 and has nothing to do at 2.4.13-hotfix", async () => {
    const guard: ExecutorOptions = { ...rel, steps: [toHotfix.steps.at(-1)!], targetVersion: toHotfix.to, includesFinalStep: false };
    fake.addRevision({ tag: "v2.4.13", chart: "4.2.14", values: PULSAR_V2 });
    const dry = await run(guard, { dryRun: true });
    expect(dry.code).toBe(EXIT_CODES.SUCCESS);
    expect(dry.stdout).toContain("would run: helm upgrade my-milvus");
    expect(dry.stdout).toContain("1 step(s) to run");

    fake.addRevision({ tag: "v2.4.13-hotfix", chart: toHotfix.steps[0]!.chartVersion, values: PULSAR_V2 });
    const done = await run(guard);
    expect(done.code).toBe(EXIT_CODES.SUCCESS);
    expect(done.stdout).toContain("nothing to do: live Milvus 2.4.13-hotfix");
    expect(fake.upgrades()).toEqual([]);
  });

  it("live 2.4.13-hotfix with target 2.4.13 is refused as a downgrade before anything changes", async () => {
    fake.addRevision({ tag: "v2.4.13-hotfix", chart: "4.2.16", values: PULSAR_V2 });
    const r = await run({ ...rel, steps: toGa.steps, targetVersion: toGa.to });
    expect(r.code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
    expect(r.stderr).toContain("live Milvus 2.4.13-hotfix is newer than the target 2.4.13");
    expect(r.stderr).toContain("[R-DOWNGRADE]");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a live v2.4.13-hotfix tag is read as 2.4.13-hotfix, a GA build: no R-PRERELEASE-SOURCE, and 2.4.14 runs", async () => {
    fake.addRevision({ tag: "v2.4.13-hotfix", chart: "4.2.16", values: PULSAR_V2 });
    const r = await run({ ...rel, steps: toNext.steps, targetVersion: toNext.to });
    expect(r.stderr).not.toContain("R-PRERELEASE-SOURCE");
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(charts()).toEqual(["4.2.18"]);
  });

  it("expectedFrom 2.4.13 refuses a live 2.4.13-hotfix: a plan made for 2.4.13 is not one for its hotfix", async () => {
    const from13 = planUpgrade({ from: "2.4.13", to: "2.4.14" });
    fake.addRevision({ tag: "v2.4.13-hotfix", chart: "4.2.16", values: PULSAR_V2 });
    const r = await run({ ...rel, steps: from13.steps, targetVersion: from13.to, expectedFrom: "2.4.13" });
    expect(r.code).toBe(EXIT_CODES.UNEXPECTED_LIVE_VERSION);
    expect(r.stderr).toContain("live Milvus 2.4.13-hotfix is neither the expected 2.4.13");
    expect(fake.upgrades()).toEqual([]);
  });
});

describe("natsmq is gone from Milvus 2.6 (R-MQ-SUPPORT)", () => {
  const STANDALONE_NATS = { cluster: { enabled: false }, standalone: { messageQueue: "natsmq" }, pulsarv3: { enabled: false } };
  /** Steps with natsmq in their values: the planner refuses such a plan, so a stale or hand-made bundle carries it. */
  const withNats = (steps: readonly UpgradeStep[]): UpgradeStep[] => steps.map((s) => ({ ...s, values: { ...s.values, standalone: { ...(s.values["standalone"] as object), messageQueue: "natsmq" } } }));
  const to26 = planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "rocksmq" }, to: { version: "2.6.4", mode: "standalone", messageQueue: "rocksmq" } });

  it("a live natsmq release with a step left to 2.6 is refused before anything changes, naming the rule and the fix", async () => {
    fake.addRevision({ tag: "v2.5.8", chart: "4.2.44", values: STANDALONE_NATS });
    const r = await run({ ...rel, steps: withNats(to26.steps), targetVersion: to26.to });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("release my-milvus uses message queue natsmq, which Milvus 2.6 removed; step 2 (2.6.4 (chart 5.0.6)) would start Milvus 2.6.4 without it [R-MQ-SUPPORT]");
    expect(r.stderr).toContain("Stay on Milvus 2.5");
    expect(r.stderr).toContain("milvus-backup");
    expect(fake.upgrades()).toEqual([]);
  });

  it("is refused in a dry run too (the Pulumi guard), and at the 2.5 stop already passed", async () => {
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58", values: STANDALONE_NATS });
    const r = await run({ ...rel, steps: withNats(to26.steps), targetVersion: to26.to }, { dryRun: true });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("step 2 (2.6.4 (chart 5.0.6))");
  });

  it("a natsmq release upgraded within 2.5 runs", async () => {
    const within25 = planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to: { version: "2.5.16", mode: "standalone", messageQueue: "natsmq" } });
    fake.addRevision({ tag: "v2.5.8", chart: "4.2.44", values: STANDALONE_NATS });
    const r = await run({ ...rel, steps: within25.steps, targetVersion: within25.to });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(charts()).toEqual(["4.2.58"]);
  });
});

describe("the kafkaesque Pulsar chart of charts <= 3.0.10 (R-PULSAR-SUBCHART), from the live chart", () => {
  const to21 = planUpgrade({ from: "2.0.1", to: "2.1.4" });
  beforeEach(() => {
    // A 2.0/2.1-era release: 3.x chart defaults (the bundled Pulsar, no pulsarv3).
    fake.cleanup();
    fake = FakeCluster.create();
  });

  it("helm status names the live chart: chart.metadata.version of the release JSON, as helm list's milvus-3.0.10", () => {
    expect(parseStatus({ info: { status: "deployed" }, version: 3, chart: { metadata: { name: "milvus", version: "3.0.10" } } })).toEqual({ status: "deployed", revision: 3, chart: "3.0.10" });
    expect(parseStatus({ info: { status: "deployed" }, version: 3, chart: { metadata: { name: "attu", version: "3.0.10" } } })).toEqual({ status: "deployed", revision: 3 });
    expect(parseStatus({ info: { status: "deployed" }, version: 3 })).toEqual({ status: "deployed", revision: 3 });
    expect([chartVersionOf("milvus-3.0.10"), chartVersionOf("milvus-4.2.58-rc.1"), chartVersionOf("pulsar-3.0.10"), chartVersionOf("milvus-latest")]).toEqual(["3.0.10", "4.2.58-rc.1", "", ""]);
    const history = [
      { revision: 1, status: "deployed", chart: "3.0.10" },
      { revision: 2, status: "failed", chart: "3.2.18" },
    ];
    expect(liveChartVersion({ revision: 2, chart: "3.2.18" }, history)).toBe("3.2.18");
    expect(liveChartVersion({ revision: 2, valuesRevision: 1, chart: "3.2.18" }, history)).toBe("3.0.10");
    expect(liveChartVersion({ revision: 2 }, history)).toBe("3.2.18");
  });

  it("a 2.0.1 release on chart 3.0.10 with the bundled Pulsar is refused before anything changes (cdk8s/CLI: no expectedFrom)", async () => {
    fake.addRevision({ tag: "v2.0.1", chart: "3.0.10" });
    const r = await run({ ...rel, steps: to21.steps, targetVersion: to21.to });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("release my-milvus runs chart 3.0.10 with the bundled Pulsar (pulsar.enabled)");
    expect(r.stderr).toContain("moves it to chart 3.2.18");
    expect(r.stderr).toContain("[R-PULSAR-SUBCHART]");
    expect(r.stderr).toContain("docs/knowledge-round2.md");
    expect(r.stderr).toContain("from.chartVersion 3.0.13");
    expect(fake.upgrades()).toEqual([]);
  });

  it("the Pulumi guard (dry run of the target step, no expectedFrom) refuses it too", async () => {
    fake.addRevision({ tag: "v2.0.1", chart: "3.0.8" });
    const guard: ExecutorOptions = { ...rel, steps: [to21.steps.at(-1)!], targetVersion: to21.to, includesFinalStep: false };
    const r = await run(guard, { dryRun: true });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("[R-PULSAR-SUBCHART]");
  });

  it("the Pulumi stops of a later target refuse it at their first stop", async () => {
    fake.addRevision({ tag: "v2.0.1", chart: "3.0.10" });
    const stops = candidateStops({ version: "2.2.14" });
    const r = await run({ ...rel, steps: stops, targetVersion: "2.2.14", includesFinalStep: false });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("step 1 (");
    expect(r.stderr).toContain("[R-PULSAR-SUBCHART]");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a failed upgrade onto apache Pulsar is judged by the last deployed revision's chart (helm history), not the failed one's", async () => {
    fake.addRevision({ tag: "v2.0.1", chart: "3.0.10" });
    fake.addRevision({ tag: "v2.1.4", chart: "3.2.18", status: "failed" });
    const r = await run({ ...rel, steps: to21.steps, targetVersion: to21.to, rollbackOnFailure: true });
    expect(r.code).toBe(EXIT_CODES.MQ_CHANGE_REFUSED);
    expect(r.stderr).toContain("runs chart 3.0.10");
    expect(fake.upgrades()).toEqual([]);
  });

  it("the same release on chart 3.0.13 (apache Pulsar already) runs", async () => {
    fake.addRevision({ tag: "v2.0.1", chart: "3.0.13" });
    const r = await run({ ...rel, steps: to21.steps, targetVersion: to21.to });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(charts()).toEqual(["3.2.18"]);
  });

  it("checkQueueCarried: only a step that runs counts, and an unknown live chart is not refused", () => {
    const input = JSON.parse(renderExecutor({ ...rel, steps: to21.steps, targetVersion: to21.to }).files["plan.json"]!);
    const live = { version: "2.0.1", messageQueue: "pulsar", values: { pulsar: { enabled: true } }, chart: "3.0.10" };
    expect(() => checkQueueCarried(input, live, ["run"])).toThrow("R-PULSAR-SUBCHART");
    expect(() => checkQueueCarried(input, live, ["skip"])).not.toThrow();
    expect(() => checkQueueCarried(input, { ...live, chart: "" }, ["run"])).not.toThrow();
    expect(() => checkQueueCarried(input, { ...live, values: { pulsar: { enabled: false } } }, ["run"])).not.toThrow();
  });
});
