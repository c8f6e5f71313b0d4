/**
 * What the rule parameter tables promise a user (issue #16, src/rules/tables.ts), pinned at the boundary chart of
 * each range through the functions a user calls (valuesFor, the chart defaults): where each message queue exists
 * (R-MQ-SUPPORT), which removed shortcut keys chart 4.0.0 refuses in helmValues (R-CONFIG-FILES), which default each
 * chart has (R-DEFAULT-FLIPS) and which topology each Milvus version runs (R-26-TOPOLOGY). Rows assert the field and
 * rule of each refusal and the values a chart gets, not wording.
 */
import { chartRecord } from "../../src/catalog/catalog";
import { MilvusClusterError } from "../../src/errors";
import { MIN_EXECUTOR_HELM, PULSAR_SUBCHART_REPLACED, REMOVED_SHORTCUT_KEYS } from "../../src/rules/tables";
import { chartDefaultCoordinators, chartDefaultMessageQueue, lastAtOrBelow, requireChart, topologyFor } from "../../src/spec/resolve";
import type { MilvusSpec } from "../../src/spec/types";
import { valuesFor } from "../../src/values/values-for";

/** "ok", or the field:rule pairs valuesFor refuses the spec with, on `chart` with the version that chart ships. */
function onChart(spec: Partial<MilvusSpec>, chart: string): string {
  try {
    valuesFor({ version: chartRecord(chart)!.milvus, ...spec } as MilvusSpec, chart);
    return "ok";
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    return e.problems.map((p) => `${p.field}:${p.ruleId}`).join(" ");
  }
}

describe("R-MQ-SUPPORT: where each message queue exists", () => {
  it.each<[string, Partial<MilvusSpec>, string, string]>([
    ["pulsarv3 below 4.2.21", { messageQueue: "pulsarv3" }, "4.2.20", "messageQueue:R-MQ-SUPPORT"],
    ["pulsarv3 from 4.2.21", { messageQueue: "pulsarv3" }, "4.2.21", "ok"],
    ["kafka below 3.0.14", { messageQueue: "kafka" }, "3.0.13", "messageQueue:R-MQ-SUPPORT"],
    ["kafka from 3.0.14", { messageQueue: "kafka" }, "3.0.14", "ok"],
    ["external kafka below 3.0.14", { messageQueue: "external-kafka", externalKafka: { brokerList: "k:9092" } }, "3.0.13", "messageQueue:R-MQ-SUPPORT"],
    ["external kafka from 3.0.14", { messageQueue: "external-kafka", externalKafka: { brokerList: "k:9092" } }, "3.0.14", "ok"],
    ["rocksmq standalone below 3.0.23", { mode: "standalone", messageQueue: "rocksmq" }, "3.0.21", "messageQueue:R-MQ-SUPPORT"],
    ["rocksmq standalone from 3.0.23", { mode: "standalone", messageQueue: "rocksmq" }, "3.0.23", "ok"],
    ["rocksmq in cluster mode", { messageQueue: "rocksmq" }, "4.2.58", "messageQueue:R-MQ-SUPPORT"],
    ["natsmq below chart 4.0.33", { mode: "standalone", messageQueue: "natsmq" }, "4.0.32", "messageQueue:R-MQ-SUPPORT"],
    ["natsmq on 4.0.33 with Milvus 2.2 (below 2.3.0)", { mode: "standalone", messageQueue: "natsmq" }, "4.0.33", "messageQueue:R-MQ-SUPPORT"],
    ["natsmq standalone on 2.3 (chart 4.1.10)", { mode: "standalone", messageQueue: "natsmq" }, "4.1.10", "ok"],
    ["natsmq in cluster mode", { messageQueue: "natsmq" }, "4.1.10", "messageQueue:R-MQ-SUPPORT"],
    ["natsmq on Milvus 2.6 (removed)", { mode: "standalone", messageQueue: "natsmq" }, "5.0.6", "messageQueue:R-MQ-SUPPORT"],
    ["woodpecker on Milvus 2.5 (chart 4.2.42)", { messageQueue: "woodpecker" }, "4.2.42", "messageQueue:R-MQ-SUPPORT"],
    ["woodpecker on Milvus 2.6, cluster", { messageQueue: "woodpecker" }, "5.0.0", "ok"],
    // The chart minimums hold on their own: a Milvus version pinned onto an older chart than the queue needs.
    ["natsmq with Milvus 2.3.0 on chart 4.0.32 (below the chart minimum)", { mode: "standalone", messageQueue: "natsmq", version: "2.3.0" }, "4.0.32", "messageQueue:R-MQ-SUPPORT"],
    ["natsmq with Milvus 2.3.0 on chart 4.0.33", { mode: "standalone", messageQueue: "natsmq", version: "2.3.0" }, "4.0.33", "ok"],
    ["woodpecker with Milvus 2.6.4 on chart 4.2.41 (below the chart minimum)", { messageQueue: "woodpecker", version: "2.6.4" }, "4.2.41", "messageQueue:R-MQ-SUPPORT"],
    ["woodpecker with Milvus 2.6.4 on chart 4.2.42", { messageQueue: "woodpecker", version: "2.6.4" }, "4.2.42", "ok"],
    ["woodpecker on Milvus 2.6, standalone", { mode: "standalone", messageQueue: "woodpecker" }, "5.0.0", "ok"],
    ["pulsar and external pulsar on the oldest chart", { messageQueue: "pulsar", mode: "standalone" }, "3.0.0", "ok"],
    ["external pulsar on the oldest chart", { messageQueue: "external-pulsar", externalPulsar: { host: "pulsar" } }, "3.0.0", "ok"],
  ])("%s", (_what, spec, chart, expected) => {
    expect(onChart(spec, chart)).toBe(expected);
  });
});

describe("R-CONFIG-FILES: the shortcut keys chart 4.0.0 removed", () => {
  /** `{ a: { b: { setting: 1 } } }` for "a.b". */
  const nested = (key: string) => key.split(".").reduceRight<Record<string, unknown>>((inner, k) => ({ [k]: inner }), { setting: 1 });

  // The chart 4.0.0 README's list, written out here: iterating the table under test would let a mutated entry pass.
  const README_4_0_0_REMOVED: string[] = [
    "metadata", "msgChannel", "authorization", "common", "quotaAndLimits",
    "dataCoordinator.segment", "dataCoordinator.compaction", "dataCoordinator.gc", "dataCoordinator.enableCompaction", "dataCoordinator.enableGarbageCollection",
    "dataNode.segment",
    "queryCoordinator.autoHandoff", "queryCoordinator.autoBalance", "queryCoordinator.checkInterval",
    "queryNode.grouping", "queryNode.scheduler", "queryNode.segcore",
    "rootCoordinator.dmlChannelNum", "rootCoordinator.maxPartitionNum", "rootCoordinator.minSegmentSizeToEnableIndex",
    "proxy.maxFieldNum", "proxy.maxShardNum", "proxy.maxTaskNum", "proxy.timeTickInterval",
    "indexCoordinator.gc", "indexNode.scheduler", "standalone.rocksmq",
  ];

  it.each(README_4_0_0_REMOVED.map((k) => [k]))("%s is refused in helmValues from chart 4.0.0 and passes on 3.3.6", (key) => {
    const mode = key.startsWith("standalone.") ? "standalone" : "cluster";
    expect(onChart({ mode, helmValues: nested(key) }, "4.0.0").split(" ")).toContain(`helmValues.${key}.setting:R-CONFIG-FILES`);
    expect(onChart({ mode, helmValues: nested(key) }, "3.3.6")).not.toContain("R-CONFIG-FILES");
  });

  it("the list is the chart 4.0.0 README's: 27 keys, none twice", () => {
    expect([...REMOVED_SHORTCUT_KEYS].sort()).toEqual([...README_4_0_0_REMOVED].sort());
    expect(new Set(REMOVED_SHORTCUT_KEYS).size).toBe(27);
  });

  it("a key beside a removed one is not refused", () => {
    expect(onChart({ helmValues: { dataCoordinator: { replicas: 1 }, log: { level: "debug" } } }, "4.0.0")).toBe("ok");
  });
});

describe("R-DEFAULT-FLIPS and R-26-TOPOLOGY: defaults by chart, topology by Milvus version", () => {
  it.each<[string, "cluster" | "standalone", string]>([
    ["3.0.0", "cluster", "pulsar"],
    ["4.2.26", "cluster", "pulsar"],
    ["4.2.27", "cluster", "pulsarv3"],
    ["5.0.6", "cluster", "pulsarv3"],
    ["4.2.58", "standalone", "rocksmq"],
    ["5.0.0", "standalone", "woodpecker"],
  ])("chart %s, %s: the default queue is %s", (chart, mode, mq) => {
    expect(chartDefaultMessageQueue(chart, mode)).toBe(mq);
    expect(chartDefaultMessageQueue(requireChart(chart), mode)).toBe(mq);
  });

  it.each<[string, string]>([
    ["4.2.3", "separate"],
    ["4.2.4", "mixed"],
    ["3.0.0", "separate"],
  ])("chart %s: coordinators default to %s", (chart, coordinators) => {
    expect(chartDefaultCoordinators(chart)).toBe(coordinators);
    expect(chartDefaultCoordinators(requireChart(chart))).toBe(coordinators);
  });

  it.each<[string, boolean, boolean, string | undefined, string]>([
    ["2.5.16", false, true, undefined, "R-DEFAULT-FLIPS"],
    ["2.6.0-rc1", true, false, "mixed", "R-26-TOPOLOGY"],
    ["2.6.0", true, false, "mixed", "R-26-TOPOLOGY"],
    ["2.6.15", true, false, "mixed", "R-26-TOPOLOGY"],
  ])("Milvus %s: streaming %s, indexNode %s, coordinators only %s (%s)", (version, streaming, indexNode, only, ruleId) => {
    const t = topologyFor(version);
    expect([t.streaming, t.indexNode, t.coordinatorsOnly, t.ruleId]).toEqual([streaming, indexNode, only, ruleId]);
  });

  it("lastAtOrBelow picks the last row at or below, and refuses a version below every row", () => {
    const rows = [{ from: "1.0.0" }, { from: "2.0.0" }, { from: "3.0.0" }];
    expect(lastAtOrBelow(rows, "2.0.0", (r) => r.from).from).toBe("2.0.0");
    expect(lastAtOrBelow(rows, "2.9.9", (r) => r.from).from).toBe("2.0.0");
    expect(lastAtOrBelow(rows, "9.0.0", (r) => r.from).from).toBe("3.0.0");
    expect(() => lastAtOrBelow(rows, "0.9.0", (r) => r.from)).toThrow(/no row at or below 0\.9\.0/);
  });

  it("requireChart refuses an unknown chart", () => {
    expect(() => requireChart("9.9.9")).toThrow(/unknown chart 9\.9\.9/);
  });

  it("the executor refuses helm below 3.14.0; the Pulsar subchart moved at 3.0.12", () => {
    expect(MIN_EXECUTOR_HELM).toBe("3.14.0");
    expect(PULSAR_SUBCHART_REPLACED).toEqual({ ruleId: "R-PULSAR-SUBCHART", oldMajor: 1, firstNewChart: "3.0.12" });
  });
});
