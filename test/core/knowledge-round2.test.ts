/**
 * Issue #14 "Upgrade knowledge corrections", one describe per bullet, plus the message-queue warning of #12.
 * Facts cited in each test come from the real chart (tags in the zilliztech/milvus-helm history) or the Milvus docs;
 * chart-strategy.test.ts checks the coordinator strategy against every chart tag.
 */
import * as pulumi from "@pulumi/pulumi";
import { MilvusClusterError, UpgradeRefusedError, candidateStops, compareVersions, knownMilvusVersions, planUpgrade, valuesFor, type PlanRequest } from "../../src";
import { runCli } from "../../src/cli/main";
import { MilvusCluster as PulumiMilvusCluster } from "../../src/pulumi";
import { enabledMessageQueue } from "../../src/values/values-for";
import { installMocks } from "../pulumi/helpers";

function problemsOf(f: () => unknown): { refused: boolean; ids: string[]; fields: string[]; text: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof MilvusClusterError) return { refused: e instanceof UpgradeRefusedError, ids: [...e.ruleIds], fields: e.problems.map((p) => p.field), text: e.message };
    throw e;
  }
  throw new Error("no error was raised");
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, (s) => {
    out += s;
  }, (s) => {
    err += s;
  });
  return { code, out, err };
}

describe("downtime reads the step's chart: coordinators are Recreate before chart 4.1.22 (R-ROLLING, R-RECREATE)", () => {
  it.each<[string, PlanRequest, string, "rolling" | "recreate"]>([
    // templates/rootcoord-deployment.yaml at milvus-4.1.10: `strategy: type: Recreate` with no condition.
    ["2.2.3 -> 2.3.3 lands on chart 4.1.10", { from: "2.2.3", to: "2.3.3" }, "4.1.10", "recreate"],
    // milvus-4.0.34: the same unconditional Recreate.
    ["2.2.3 -> 2.2.14 lands on chart 4.0.34", { from: "2.2.3", to: "2.2.14" }, "4.0.34", "recreate"],
    // From 4.1.22 (commit 79653e2) Recreate only without activeStandby.
    ["2.2.3 -> 2.4.5 lands on chart 4.1.36", { from: "2.2.3", to: "2.4.5" }, "4.1.36", "rolling"],
    ["2.3.3 -> 2.4.5 lands on chart 4.1.36 but without active-standby", { from: "2.3.3", to: { version: "2.4.5", activeStandby: false } }, "4.1.36", "recreate"],
  ])("%s", (_name, request, chart, downtime) => {
    const last = planUpgrade(request).steps.at(-1)!;
    expect(last.chartVersion).toBe(chart);
    expect(last.downtime).toBe(downtime);
    expect(last.ruleIds).toContain(downtime === "rolling" ? "R-ROLLING" : "R-RECREATE");
  });
});

describe("natsmq is gone in Milvus 2.6 (milvus-io/milvus#41564, PR #41565) (R-MQ-SUPPORT)", () => {
  it("refuses a fresh 2.6 standalone with natsmq, naming the queues that exist", () => {
    const p = problemsOf(() => planUpgrade({ to: { version: "2.6.4", mode: "standalone", messageQueue: "natsmq" } }));
    expect(p.ids).toContain("R-MQ-SUPPORT");
    expect(p.text).toMatch(/removed in Milvus 2\.6\.0.*woodpecker/s);
  });

  it("refuses an upgrade of a natsmq release to 2.6 as a rule refusal (exit 1), before any stop is planned", async () => {
    const p = problemsOf(() => planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to: "2.6.4" }));
    expect(p).toMatchObject({ refused: true, ids: ["R-MQ-SUPPORT"], fields: ["from.messageQueue"] });
    const r = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "--mode", "standalone", "--mq", "natsmq");
    expect(r.code).toBe(1);
    expect(r.err).toContain("[R-MQ-SUPPORT]");
  });

  it("still plans natsmq within 2.5", () => {
    expect(planUpgrade({ from: { version: "2.5.8", mode: "standalone", messageQueue: "natsmq" }, to: "2.5.16" }).steps).toHaveLength(1);
  });

  it("refuses natsmq in valuesFor for a 2.6 chart", () => {
    expect(problemsOf(() => valuesFor({ version: "2.6.4", mode: "standalone", messageQueue: "natsmq" }, "5.0.6")).ids).toContain("R-MQ-SUPPORT");
  });
});

describe("-hotfix images are later builds of their GA (chart 4.2.15 'bump milvus to 2.4.13-hotfix' follows 4.2.14's 2.4.13)", () => {
  it.each([
    ["2.4.13", "2.4.13-hotfix", -1],
    ["2.4.13-hotfix", "2.4.14", -1],
    ["2.4.12", "2.4.13-hotfix", -1],
    ["2.4.13-hotfix", "2.4.13-hotfix", 0],
    ["2.0.0-rc5", "2.0.0-rc5-hotfix1", -1],
    ["2.4.13-rc1", "2.4.13-hotfix", -1],
  ])("%s < %s", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b)) + 0).toBe(sign + 0);
    expect(Math.sign(compareVersions(b, a)) + 0).toBe(-sign + 0);
  });

  it("plans 2.4.13 -> 2.4.13-hotfix and refuses the reverse as a downgrade", () => {
    expect(planUpgrade({ from: "2.4.13", to: "2.4.13-hotfix" }).steps.map((s) => s.chartVersion)).toEqual(["4.2.16"]);
    expect(problemsOf(() => planUpgrade({ from: "2.4.13-hotfix", to: "2.4.13" })).ids).toEqual(["R-DOWNGRADE"]);
  });

  it("lists the hotfix among GA versions, between its GA and the next patch", () => {
    const ga = knownMilvusVersions({ gaOnly: true });
    expect(ga.slice(ga.indexOf("2.4.13"), ga.indexOf("2.4.13") + 3)).toEqual(["2.4.13", "2.4.13-hotfix", "2.4.14"]);
  });
});

describe("the etcd chart 6.3.3 -> 8.12.0 warning of chart 5.0.5 (R-ETCD-CHART-8)", () => {
  const warned = (r: PlanRequest) => planUpgrade(r).warnings.some((w) => w.includes("R-ETCD-CHART-8"));
  it("fires for cluster and standalone releases with the bundled etcd", () => {
    expect(warned({ from: "2.6.0", to: "2.6.4" })).toBe(true);
    expect(warned({ from: { version: "2.6.0", mode: "standalone", messageQueue: "woodpecker" }, to: { version: "2.6.4", mode: "standalone" } })).toBe(true);
  });
  it("does not fire with an external etcd", () => {
    expect(warned({ from: "2.6.0", to: { version: "2.6.4", externalEtcdEndpoints: ["etcd.example.com:2379"] } })).toBe(false);
  });
  it("does not fire when the chart is not crossed", () => {
    expect(warned({ from: "2.6.4", to: "2.6.4" })).toBe(false);
  });
});

describe("2.0.x on the kafkaesque Pulsar chart 1.0.31 -> apache Pulsar 2.7.8 from chart 3.0.12 (R-PULSAR-SUBCHART)", () => {
  it("refuses 2.0.0 (charts 3.0.0-3.0.7 bundle Pulsar 1.0.31) -> 2.1.4 with the offline procedure, exit 1", async () => {
    const p = problemsOf(() => planUpgrade({ from: "2.0.0", to: "2.1.4" }));
    expect(p).toMatchObject({ refused: true, ids: ["R-PULSAR-SUBCHART"] });
    expect(p.text).toMatch(/bookkeeper|StatefulSets/);
    expect(p.text).toContain("flush");
    const r = await cli("plan", "--from", "2.0.0", "--to", "2.2.0");
    expect(r.code).toBe(1);
    expect(r.err).toContain("[R-PULSAR-SUBCHART]");
  });

  it("refuses a 2.0.1 release known to run chart 3.0.10", () => {
    expect(problemsOf(() => planUpgrade({ from: { version: "2.0.1", chartVersion: "3.0.10" }, to: "2.0.2" })).ids).toEqual(["R-PULSAR-SUBCHART"]);
  });

  it("plans 2.0.1 on chart 3.0.13 (apache Pulsar) and warns that the older charts are refused", () => {
    const plan = planUpgrade({ from: "2.0.1", to: "2.1.4" });
    expect(plan.steps.map((s) => s.milvusVersion)).toEqual(["2.1.4"]);
    expect(plan.warnings.join("\n")).toMatch(/3\.0\.8, 3\.0\.9, 3\.0\.10.*R-PULSAR-SUBCHART/);
  });

  it("does not apply to a release without the bundled Pulsar", () => {
    const externalPulsar = { host: "pulsar.example.com" };
    expect(planUpgrade({ from: { version: "2.0.0", messageQueue: "external-pulsar" }, to: { version: "2.1.4", messageQueue: "external-pulsar", externalPulsar } }).steps).toHaveLength(1);
  });
});

describe("fresh installs on charts 4.2.21-4.2.26 get Pulsar v3 when the queue is unset (R-PULSAR2-FRESH)", () => {
  it("installs 2.4.17 (only charts 4.2.24/4.2.25) with Pulsar v3 and a warning", () => {
    const plan = planUpgrade({ to: "2.4.17" });
    const step = plan.steps[0]!;
    expect(step.chartVersion).toBe("4.2.25");
    expect(enabledMessageQueue(step.values)).toBe("pulsarv3");
    expect(step.values).toMatchObject({ pulsar: { enabled: false }, pulsarv3: { enabled: true } });
    expect(plan.warnings.join("\n")).toContain("R-PULSAR2-FRESH");
  });

  it("a fresh 2.4.16 (newest chart 4.2.23) also gets Pulsar v3; valuesFor and `values` agree with the planner", async () => {
    const plan = planUpgrade({ to: "2.4.16" });
    expect(plan.steps[0]!.chartVersion).toBe("4.2.23");
    expect(enabledMessageQueue(plan.steps[0]!.values)).toBe("pulsarv3");
    expect(enabledMessageQueue(valuesFor({ version: "2.4.17" }, "4.2.25"))).toBe("pulsarv3");
    // Outside 4.2.21-4.2.29 the chart's own default stays.
    expect(enabledMessageQueue(valuesFor({ version: "2.4.16" }, "4.2.20"))).toBe("pulsar");
    const r = await cli("values", "--version", "2.4.17");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pulsarv3:\n {2}enabled: true/);
  });

  it("keeps refusing an explicit Pulsar v2, exit 1, with --chart choices that work", async () => {
    const p = problemsOf(() => planUpgrade({ to: { version: "2.4.17", messageQueue: "pulsar" } }));
    expect(p).toMatchObject({ refused: true, ids: ["R-PULSAR2-CHARTS"] });
    expect(p.text).toContain("--chart 4.2.20");
    // The named chart does work.
    expect(planUpgrade({ to: { version: "2.4.17", messageQueue: "pulsar", chartVersion: "4.2.20" } }).steps[0]!.values).toMatchObject({ image: { all: { tag: "v2.4.17" } }, pulsar: { enabled: true } });
    const r = await cli("plan", "--to", "2.4.17", "--mq", "pulsar");
    expect(r.code).toBe(1);
  });

  it("refuses an upgrade of a Pulsar v2 release onto 2.4.17 with exit 1 (a refusal by a rule), and --chart 4.2.20 plans it", async () => {
    const r = await cli("plan", "--from", "2.4.16", "--to", "2.4.17");
    expect(r.code).toBe(1);
    expect(r.err).toContain("[R-PULSAR2-CHARTS]");
    const ok = await cli("plan", "--from", "2.4.16", "--to", "2.4.17", "--chart", "4.2.20");
    expect(ok.code).toBe(0);
  });

  it("candidate stops below a fresh 2.4.17 target use the same queue (no Pulsar v2 stop is produced)", () => {
    expect(candidateStops({ version: "2.4.17" }).every((s) => enabledMessageQueue(s.values) === "pulsarv3")).toBe(true);
  });
});

describe("the message queue cannot be switched through configuration (R-MQ-KEEP)", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["milvusConfig.mq.type", { milvusConfig: { mq: { type: "kafka" } } }, "milvusConfig.mq.type"],
    ["mq in an extraConfigFiles file", { helmValues: { extraConfigFiles: { "mq.yaml": "mq:\n  type: rocksmq\n" } } }, "helmValues.extraConfigFiles.mq.yaml.mq.type"],
  ])("refuses %s that contradicts the release's queue", (_name, extra, field) => {
    const p = problemsOf(() => valuesFor({ version: "2.5.8", messageQueue: "pulsarv3", ...extra }, "4.2.44"));
    expect(p.ids).toContain("R-MQ-KEEP");
    expect(p.fields).toContain(field);
  });

  it.each(["default", "pulsar"])("accepts mq.type %s for a Pulsar v3 release", (type) => {
    expect(() => valuesFor({ version: "2.5.8", messageQueue: "pulsarv3", milvusConfig: { mq: { type } } }, "4.2.44")).not.toThrow();
  });
});

describe("#12: the message-queue warning names the queue the values enable", () => {
  beforeAll(async () => {
    await installMocks();
  });

  it("says pulsarv3 for a fresh 2.6.4 cluster on chart 5.0.6 with messageQueue unset", () => {
    const warnings: string[] = [];
    const spy = jest.spyOn(pulumi.log, "warn").mockImplementation(async (m: string) => {
      warnings.push(m);
    });
    try {
      new PulumiMilvusCluster("mq-warning", { version: "2.6.4", namespace: "milvus" });
    } finally {
      spy.mockRestore();
    }
    const w = warnings.find((x) => x.includes("messageQueue is unset"));
    expect(w).toContain("chart 5.0.6 (pulsarv3)");
  });

  it.each<[Record<string, unknown>, string, string | undefined]>([
    [{ version: "2.6.4" }, "5.0.6", "pulsarv3"],
    [{ version: "2.4.16" }, "4.2.20", "pulsar"],
    [{ version: "2.6.4", mode: "standalone" }, "5.0.6", "woodpecker"],
    [{ version: "2.5.8", mode: "standalone" }, "4.2.44", "rocksmq"],
    [{ version: "2.5.8", messageQueue: "kafka" }, "4.2.44", "kafka"],
  ])("enabledMessageQueue(%j on %s) is %s", (spec, chart, mq) => {
    expect(enabledMessageQueue(valuesFor(spec as never, chart))).toBe(mq);
  });
});
