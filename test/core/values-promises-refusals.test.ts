/**
 * Which field and rule id every refusal of `valuesFor` names for the typed spec fields (issue #16,
 * src/values/values-for.ts), at the boundary charts and versions of each rule: the chart itself (R-KNOWN-VERSION),
 * the coordinator topology (R-26-TOPOLOGY, R-DEFAULT-FLIPS), active-standby (R-COORD-HA), the message queue
 * (R-MQ-SUPPORT, R-MQ-KEEP), settings a chart lacks (R-INPUT, R-CONFIG-FILES) and components that do not run.
 * Rows name `field rule-id` pairs; every problem must also carry a message and a fix (test/support/values.ts).
 */
import { CATALOG_UPDATE_HINT, Catalog, type MilvusSpec, OLDEST_SUPPORTED_CHART, valuesFor } from "../../src";
import { MQ_SUPPORT } from "../../src/rules/tables";
import type { ClusterMode, MessageQueue } from "../../src/spec/types";
import { enabledMessageQueue, freshDefaultQueue, messageQueueProblem, resolveSpec, componentsRunning, type ValuesForOptions } from "../../src/values/values-for";
import { problemsOf, refusalOf } from "../support/values";

type RefusalRow = [name: string, spec: MilvusSpec, chart: string, refusal: string[]];
type AcceptRow = [name: string, spec: MilvusSpec, chart: string];

const s3 = (extra: Record<string, unknown>): MilvusSpec["externalObjectStorage"] => ({ host: "s3.amazonaws.com", bucket: "vectors", useIAM: true, ...extra });
const pulsar = (extra: Record<string, unknown>): Pick<MilvusSpec, "messageQueue" | "externalPulsar"> => ({ messageQueue: "external-pulsar", externalPulsar: { host: "pulsar.example.com", ...extra } });

describe("valuesFor refuses the chart itself (R-KNOWN-VERSION)", () => {
  it("an unknown chart: field chartVersion, and the fix says how to add a newer chart", () => {
    const [p, ...rest] = problemsOf({ version: "2.6.4" }, "9.9.9");
    expect(rest).toEqual([]);
    expect([p!.field, p!.ruleId]).toEqual(["chartVersion", "R-KNOWN-VERSION"]);
    expect(p!.fix).toContain(CATALOG_UPDATE_HINT);
    expect(p!.message).toContain("9.9.9");
    expect(p!.message).not.toContain(OLDEST_SUPPORTED_CHART);
    expect(p!.message).toMatch(/unknown/);
  });

  it.each<[string, string]>([
    ["2.1.4 (Milvus 2.0 release candidates)", "2.1.4"],
    ["2.4.27 (the last chart before 3.0.0)", "2.4.27"],
  ])("a known chart older than 3.0.0: %s; the fix names the oldest supported chart", (_name, chart) => {
    const [p, ...rest] = problemsOf({ version: "2.0.0" }, chart);
    expect(rest).toEqual([]);
    expect([p!.field, p!.ruleId]).toEqual(["chartVersion", "R-KNOWN-VERSION"]);
    expect(p!.fix).toContain(OLDEST_SUPPORTED_CHART);
    expect(p!.fix).not.toContain(CATALOG_UPDATE_HINT);
    // The message says why: the chart is known, but older than the oldest supported one.
    expect([p!.message.includes(chart), p!.message.includes(OLDEST_SUPPORTED_CHART)]).toEqual([true, true]);
  });

  it("accepts the oldest supported chart, 3.0.0", () => {
    expect(valuesFor({ version: "2.0.0" }, "3.0.0")).toMatchObject({ image: { all: { tag: "v2.0.0" } } });
  });

  it("a malformed spec is refused by its shape alone, before the chart is looked at", () => {
    expect(refusalOf({ version: "two" } as MilvusSpec, "9.9.9")).toEqual(["version R-VERSION-FORMAT"]);
  });
});

describe("valuesFor refuses topology, HA and message queue settings the version or chart cannot run", () => {
  it.each<RefusalRow>([
    ["separate coordinators on 2.6 (R-26-TOPOLOGY)", { version: "2.6.4", coordinators: "separate" }, "5.0.6", ["coordinators R-26-TOPOLOGY"]],
    ["mixed coordinators on 4.0.8, the last chart without mixCoordinator", { version: "2.2.3", coordinators: "mixed" }, "4.0.8", ["coordinators R-DEFAULT-FLIPS"]],
    ["2.6 on a chart without mixCoordinator (4.0.8)", { version: "2.6.0", activeStandby: false }, "4.0.8", ["coordinators R-DEFAULT-FLIPS"]],
    ["active-standby on 2.2.2 (R-ROLLING starts at 2.2.3)", { version: "2.2.2", activeStandby: true }, "4.0.8", ["activeStandby R-COORD-HA"]],
    ["rocksmq in cluster mode", { version: "2.5.8", messageQueue: "rocksmq" }, "4.2.44", ["messageQueue R-MQ-SUPPORT"]],
    ["natsmq in cluster mode", { version: "2.5.8", messageQueue: "natsmq" }, "4.2.44", ["messageQueue R-MQ-SUPPORT"]],
    ["kafka on 3.0.13, before its first chart", { version: "2.0.1", messageQueue: "kafka" }, "3.0.13", ["messageQueue R-MQ-SUPPORT"]],
    ["pulsarv3 on 4.2.20, before its first chart", { version: "2.4.16", messageQueue: "pulsarv3" }, "4.2.20", ["messageQueue R-MQ-SUPPORT"]],
    ["woodpecker on 4.2.41, before its first chart", { version: "2.6.0", messageQueue: "woodpecker" }, "4.2.41", ["messageQueue R-MQ-SUPPORT"]],
    ["woodpecker with Milvus 2.5 (needs 2.6.0)", { version: "2.5.16", messageQueue: "woodpecker" }, "4.2.58", ["messageQueue R-MQ-SUPPORT"]],
    ["natsmq with Milvus 2.2 (needs 2.3.0)", { version: "2.2.16", mode: "standalone", messageQueue: "natsmq", activeStandby: false }, "4.0.33", ["messageQueue R-MQ-SUPPORT"]],
    ["natsmq with Milvus 2.6.0 (removed)", { version: "2.6.0", mode: "standalone", messageQueue: "natsmq" }, "5.0.1", ["messageQueue R-MQ-SUPPORT"]],
    ["natsmq on 4.0.32, before its first chart", { version: "2.3.0", mode: "standalone", messageQueue: "natsmq" }, "4.0.32", ["messageQueue R-MQ-SUPPORT"]],
    ["external Pulsar tenant on 4.0.30 (added in 4.0.31)", { version: "2.2.14", ...pulsar({ tenant: "t1" }) }, "4.0.30", ["externalPulsar.tenant R-INPUT"]],
    ["external Pulsar namespace on 4.0.30 (added in 4.0.31)", { version: "2.2.14", ...pulsar({ namespace: "ns1" }) }, "4.0.30", ["externalPulsar.namespace R-INPUT"]],
    ["external S3 cloudProvider on 4.0.30 (added in 4.0.31)", { version: "2.2.14", externalObjectStorage: s3({ cloudProvider: "aws" }) }, "4.0.30", ["externalObjectStorage.cloudProvider R-INPUT"]],
    ["external S3 region on 4.1.28 (added in 4.1.29)", { version: "2.3.13", externalObjectStorage: s3({ region: "us-east-1" }) }, "4.1.28", ["externalObjectStorage.region R-INPUT"]],
    ["milvusConfig on 3.3.1 (extraConfigFiles from 3.3.2)", { version: "2.2.0", milvusConfig: { log: { level: "debug" } } }, "3.3.1", ["milvusConfig R-CONFIG-FILES"]],
    ["a credential in milvusConfig", { version: "2.6.4", milvusConfig: { minio: { secretAccessKey: "hunter2" } } }, "5.0.6", ["milvusConfig.minio.secretAccessKey R-INPUT"]],
    ["another queue through milvusConfig's mq.type", { version: "2.6.4", milvusConfig: { mq: { type: "kafka" } } }, "5.0.6", ["milvusConfig.mq.type R-MQ-KEEP"]],
    [
      "every problem at once, in one error",
      { version: "2.6.4", coordinators: "separate", messageQueue: "rocksmq", milvusConfig: { mq: { type: "kafka" } } },
      "5.0.6",
      ["coordinators R-26-TOPOLOGY", "messageQueue R-MQ-SUPPORT", "milvusConfig.mq.type R-MQ-KEEP"],
    ],
  ])("%s", (_name, spec, chart, refusal) => {
    expect(refusalOf(spec, chart)).toEqual(refusal);
  });

  it.each<AcceptRow>([
    ["mixed coordinators on 4.0.9", { version: "2.2.3", coordinators: "mixed" }, "4.0.9"],
    ["active-standby on 2.2.3", { version: "2.2.3", activeStandby: true }, "4.0.8"],
    ["kafka on 3.0.14", { version: "2.0.1", messageQueue: "kafka" }, "3.0.14"],
    ["pulsarv3 on 4.2.21", { version: "2.4.16", messageQueue: "pulsarv3" }, "4.2.21"],
    ["woodpecker with Milvus 2.6.0 on 4.2.42", { version: "2.6.0", messageQueue: "woodpecker" }, "4.2.42"],
    ["natsmq with Milvus 2.3.0 on 4.0.33", { version: "2.3.0", mode: "standalone", messageQueue: "natsmq" }, "4.0.33"],
    ["natsmq with Milvus 2.5.16 (the last minor with it)", { version: "2.5.16", mode: "standalone", messageQueue: "natsmq" }, "4.2.58"],
    ["mq.type default in milvusConfig", { version: "2.6.4", milvusConfig: { mq: { type: "default" } } }, "5.0.6"],
    ["mq.type pulsar for Pulsar v3 (the config calls both pulsar)", { version: "2.6.4", messageQueue: "pulsarv3", milvusConfig: { mq: { type: "pulsar" } } }, "5.0.6"],
    ["milvusConfig on 3.3.2", { version: "2.2.0", milvusConfig: { log: { level: "debug" } } }, "3.3.2"],
    ["an empty milvusConfig on 3.3.1", { version: "2.2.0", milvusConfig: {} }, "3.3.1"],
  ])("accepts %s", (_name, spec, chart) => {
    expect(() => valuesFor(spec, chart)).not.toThrow();
  });
});

describe("valuesFor refuses settings of components that do not run, and replica counts that fight", () => {
  it.each<RefusalRow>([
    ["indexNode on 2.6 (R-26-TOPOLOGY)", { version: "2.6.4", indexNode: { replicas: 1 } }, "5.0.6", ["indexNode R-26-TOPOLOGY"]],
    ["streamingNode before 2.6 (R-26-TOPOLOGY)", { version: "2.5.8", streamingNode: { replicas: 1 } }, "4.2.44", ["streamingNode R-26-TOPOLOGY"]],
    ["rootCoordinator with mixed coordinators", { version: "2.6.4", rootCoordinator: { replicas: 1 } }, "5.0.6", ["rootCoordinator R-INPUT"]],
    ["mixCoordinator with separate coordinators", { version: "2.5.8", coordinators: "separate", mixCoordinator: { replicas: 1 } }, "4.2.44", ["mixCoordinator R-INPUT"]],
    ["proxy in standalone mode", { version: "2.6.4", mode: "standalone", proxy: { replicas: 1 } }, "5.0.6", ["proxy R-INPUT"]],
    ["standalone in cluster mode", { version: "2.6.4", standalone: { replicas: 1 } }, "5.0.6", ["standalone R-INPUT"]],
    ["mixCoordinator replicas 2 without active-standby", { version: "2.6.4", activeStandby: false, mixCoordinator: { replicas: 2 } }, "5.0.6", ["mixCoordinator.replicas R-COORD-HA"]],
    ["rootCoordinator replicas 2 without active-standby", { version: "2.5.8", coordinators: "separate", activeStandby: false, rootCoordinator: { replicas: 2 } }, "4.2.44", ["rootCoordinator.replicas R-COORD-HA"]],
    ["indexCoordinator replicas 3 on 2.2.2 (no active-standby before 2.2.3)", { version: "2.2.2", indexCoordinator: { replicas: 3 } }, "4.0.6", ["indexCoordinator.replicas R-COORD-HA"]],
    ["fixed replicas and an HPA", { version: "2.6.4", queryNode: { replicas: 2 }, helmValues: { queryNode: { hpa: { enabled: true } } } }, "5.0.6", ["helmValues.queryNode.hpa R-INPUT"]],
  ])("%s", (_name, spec, chart, refusal) => {
    expect(refusalOf(spec, chart)).toEqual(refusal);
  });

  it.each<AcceptRow>([
    ["mixCoordinator replicas 1 without active-standby", { version: "2.6.4", activeStandby: false, mixCoordinator: { replicas: 1 } }, "5.0.6"],
    ["mixCoordinator replicas 2 with active-standby", { version: "2.6.4", mixCoordinator: { replicas: 2 } }, "5.0.6"],
    ["queryNode replicas 3 without active-standby (not a coordinator)", { version: "2.6.4", activeStandby: false, queryNode: { replicas: 3 } }, "5.0.6"],
    ["replicas with the HPA off", { version: "2.6.4", queryNode: { replicas: 2 }, helmValues: { queryNode: { hpa: { enabled: false } } } }, "5.0.6"],
    ["an HPA without fixed replicas", { version: "2.6.4", queryNode: { resources: { requests: { cpu: "1" } } }, helmValues: { queryNode: { hpa: { enabled: true } } } }, "5.0.6"],
  ])("accepts %s", (_name, spec, chart) => {
    expect(() => valuesFor(spec, chart)).not.toThrow();
  });

  it.each<[string, MilvusSpec, string, ValuesForOptions]>([
    ["an intermediate stop (2.5.16) of a 2.6 target with streamingNode settings", { version: "2.5.16", streamingNode: { replicas: 2 } }, "4.2.58", { intermediateStop: true }],
    ["an intermediate stop (2.1.4) with milvusConfig on a chart without extraConfigFiles", { version: "2.1.4", milvusConfig: { log: { level: "debug" } } }, "3.2.18", { intermediateStop: true }],
  ])("accepts %s", (_name, spec, chart, options) => {
    expect(() => valuesFor(spec, chart, options)).not.toThrow();
  });
});

describe("messageQueueProblem (R-MQ-SUPPORT), the check valuesFor and the planner share", () => {
  type MqRow = [mq: MessageQueue, mode: ClusterMode, chart: string, milvus: string, refused: boolean];
  it.each<MqRow>([
    ["rocksmq", "standalone", "3.0.23", "2.0.2", false],
    ["rocksmq", "standalone", "3.0.22", "2.0.2", true],
    ["rocksmq", "cluster", "5.0.6", "2.6.4", true],
    ["kafka", "cluster", "3.0.14", "2.0.1", false],
    ["kafka", "standalone", "3.0.13", "2.0.1", true],
    ["external-kafka", "cluster", "3.0.13", "2.0.1", true],
    ["pulsar", "cluster", "3.0.0", "2.0.0", false],
    ["pulsarv3", "standalone", "4.2.21", "2.4.16", false],
    ["woodpecker", "standalone", "4.2.42", "2.6.0", false],
    ["woodpecker", "cluster", "4.2.42", "2.6.0-rc1", true],
    ["natsmq", "standalone", "4.0.33", "2.3.0", false],
    ["natsmq", "standalone", "5.0.1", "2.6.0-rc1", true],
    ["natsmq", "standalone", "4.2.58", "2.5.99", false],
  ])("%s in %s mode on chart %s with Milvus %s: refused %s", (mq, mode, chart, milvus, refused) => {
    const p = messageQueueProblem(mq, mode, chart, milvus);
    expect(p === undefined ? "accepted" : `${p.field} ${p.ruleId}`).toBe(refused ? "messageQueue R-MQ-SUPPORT" : "accepted");
    if (p) expect([p.message.length > 0, p.fix.length > 0]).toEqual([true, true]);
  });

  it("names the field it is given (the planner checks `from.messageQueue` with it)", () => {
    expect(messageQueueProblem("rocksmq", "cluster", "5.0.6", "2.6.4", "from.messageQueue")?.field).toBe("from.messageQueue");
  });

  it("a queue cluster mode lacks: the fix offers exactly the queues cluster mode has (every queue runs standalone)", () => {
    const fix = messageQueueProblem("rocksmq", "cluster", "5.0.6", "2.6.4")!.fix;
    const offered = Object.keys(MQ_SUPPORT).filter((q) => new RegExp(`(^| )${q}(,|$)`).test(fix));
    expect(offered.sort()).toEqual(Object.keys(MQ_SUPPORT).filter((q) => MQ_SUPPORT[q as MessageQueue].modes.includes("cluster")).sort());
    expect(offered).not.toContain("rocksmq");
  });

  it("the removal fix names the version without its pre-release marker", () => {
    const p = messageQueueProblem("natsmq", "standalone", "5.0.6", "2.6.4")!;
    expect(p.fix).not.toContain("2.6.0-0");
    expect(p.fix.split(/[\s,;]+/)).toContain("2.6.0");
  });

  it("natsmq is refused from the first pre-release of 2.6.0 on (2.6.0-0)", () => {
    expect(messageQueueProblem("natsmq", "standalone", "5.0.1", "2.6.0-0")?.ruleId).toBe("R-MQ-SUPPORT");
  });

  it("a component that does not run: the fix lists the components that do", () => {
    const [p] = problemsOf({ version: "2.6.4", rootCoordinator: { replicas: 1 } }, "5.0.6");
    expect(p!.fix.split(/[\s,():]+/)).toEqual(expect.arrayContaining(["proxy", "queryNode", "dataNode", "mixCoordinator", "streamingNode"]));
  });
});

describe("resolveSpec, freshDefaultQueue, componentsRunning and enabledMessageQueue", () => {
  const chart = (c: string) => Catalog.builtin.chartRecord(c)!;

  it.each<[string, MilvusSpec, string, Record<string, unknown>]>([
    ["defaults on 5.0.6", { version: "2.6.4" }, "5.0.6", { mode: "cluster", coordinators: "mixed", activeStandby: true, messageQueue: "pulsarv3" }],
    ["standalone on 5.0.6", { version: "2.6.4", mode: "standalone" }, "5.0.6", { mode: "standalone", coordinators: "mixed", activeStandby: false, messageQueue: "woodpecker" }],
    ["2.2.2 on 4.0.6", { version: "2.2.2" }, "4.0.6", { coordinators: "separate", activeStandby: false, messageQueue: "pulsar" }],
    ["2.2.3 on 4.0.8", { version: "2.2.3" }, "4.0.8", { coordinators: "separate", activeStandby: true }],
    ["2.6.0 on 4.2.3: mixed whatever the chart's default", { version: "2.6.0" }, "4.2.3", { coordinators: "mixed" }],
    ["given settings win", { version: "2.5.8", coordinators: "separate", activeStandby: false, messageQueue: "kafka" }, "4.2.44", { coordinators: "separate", activeStandby: false, messageQueue: "kafka" }],
  ])("resolveSpec: %s", (_name, spec, c, expected) => {
    expect(resolveSpec(spec, chart(c))).toMatchObject(expected);
  });

  it.each<[string, ClusterMode, MessageQueue]>([
    ["4.2.20", "cluster", "pulsar"],
    ["4.2.21", "cluster", "pulsarv3"],
    ["4.2.26", "cluster", "pulsarv3"],
    ["4.2.27", "cluster", "pulsarv3"],
    ["4.1.36", "cluster", "pulsar"],
    ["4.2.21", "standalone", "rocksmq"],
    ["5.0.0", "standalone", "woodpecker"],
  ])("freshDefaultQueue on %s in %s mode: %s", (c, mode, mq) => {
    expect(freshDefaultQueue(chart(c), mode)).toBe(mq);
  });

  it.each<[string, MilvusSpec, string[]]>([
    ["2.6 cluster", { version: "2.6.4" }, ["proxy", "queryNode", "dataNode", "mixCoordinator", "streamingNode"]],
    ["2.5 cluster, mixed", { version: "2.5.8", coordinators: "mixed" }, ["proxy", "queryNode", "dataNode", "mixCoordinator", "indexNode"]],
    ["2.5 cluster, separate", { version: "2.5.8", coordinators: "separate" }, ["proxy", "queryNode", "dataNode", "rootCoordinator", "queryCoordinator", "dataCoordinator", "indexCoordinator", "indexNode"]],
    ["standalone", { version: "2.6.4", mode: "standalone" }, ["standalone"]],
  ])("componentsRunning: %s", (_name, spec, running) => {
    const c = chart("5.0.6");
    expect(componentsRunning(resolveSpec(spec, c)).sort()).toEqual([...running].sort());
  });

  it.each<[string, Record<string, unknown>, MessageQueue | undefined]>([
    ["pulsarv3 over pulsar (standalone.messageQueue says pulsar for both)", { pulsar: { enabled: false }, pulsarv3: { enabled: true }, standalone: { messageQueue: "pulsar" } }, "pulsarv3"],
    ["pulsar", { pulsar: { enabled: true }, pulsarv3: { enabled: false } }, "pulsar"],
    ["kafka", { kafka: { enabled: true } }, "kafka"],
    ["woodpecker", { woodpecker: { enabled: true } }, "woodpecker"],
    ["external Pulsar", { externalPulsar: { enabled: true } }, "external-pulsar"],
    ["external Kafka", { externalKafka: { enabled: true } }, "external-kafka"],
    ["rocksmq", { standalone: { messageQueue: "rocksmq" } }, "rocksmq"],
    ["natsmq", { standalone: { messageQueue: "natsmq" } }, "natsmq"],
    ["a truthy non-boolean is not enabled", { kafka: { enabled: "true" } }, undefined],
    ["nothing enabled", { pulsar: { enabled: false }, standalone: { messageQueue: "pulsar" } }, undefined],
  ])("enabledMessageQueue: %s", (_name, values, mq) => {
    expect(enabledMessageQueue(values)).toBe(mq);
  });

  it.each<[string, MilvusSpec, string]>([
    ["cluster default", { version: "2.6.4" }, "5.0.6"],
    ["kafka", { version: "2.6.4", messageQueue: "kafka" }, "5.0.6"],
    ["pulsar v2", { version: "2.5.8", messageQueue: "pulsar" }, "4.2.44"],
    ["standalone rocksmq", { version: "2.5.8", mode: "standalone" }, "4.2.44"],
    ["standalone woodpecker", { version: "2.6.4", mode: "standalone" }, "5.0.6"],
  ])("enabledMessageQueue reads back the queue valuesFor chose: %s", (_name, spec, c) => {
    expect(enabledMessageQueue(valuesFor(spec, c))).toBe(resolveSpec(spec, chart(c)).messageQueue);
  });
});
