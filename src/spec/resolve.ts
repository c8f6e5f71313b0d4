import { chartRecord } from "../catalog/catalog";
import type { ChartRecord } from "../catalog/types";
import { DEFAULT_COORDINATORS, DEFAULT_MQ, TOPOLOGY_BY_MILVUS } from "../rules/tables";
import { compareVersions } from "../versions/versions";
import type { ClusterMode, CoordinatorTopology, MessageQueue } from "./types";

/** Picks the last row whose `from` bound is at or below `version`. */
export function lastAtOrBelow<T>(rows: readonly T[], version: string, bound: (row: T) => string): T {
  let found: T | undefined;
  for (const row of rows) if (compareVersions(bound(row), version) <= 0) found = row;
  if (found === undefined) throw new Error(`no row at or below ${version}`);
  return found;
}

/** The chart's default message queue for a mode (R-DEFAULT-FLIPS). */
export function chartDefaultMessageQueue(chart: ChartRecord | string, mode: ClusterMode): MessageQueue {
  const c = typeof chart === "string" ? chart : chart.chart;
  return lastAtOrBelow(DEFAULT_MQ[mode], c, (r) => r.fromChart).mq;
}

/** The chart's default coordinator topology (R-DEFAULT-FLIPS). */
export function chartDefaultCoordinators(chart: ChartRecord | string): CoordinatorTopology {
  const c = typeof chart === "string" ? chart : chart.chart;
  return lastAtOrBelow(DEFAULT_COORDINATORS, c, (r) => r.fromChart).coordinators;
}

/** Topology facts for a Milvus version (R-26-TOPOLOGY). */
export function topologyFor(milvusVersion: string): (typeof TOPOLOGY_BY_MILVUS)[number] {
  return lastAtOrBelow(TOPOLOGY_BY_MILVUS, milvusVersion, (r) => r.fromMilvus);
}

/** Looks a chart up, throwing a programming error when unknown (callers validate first). */
export function requireChart(chartVersion: string): ChartRecord {
  const rec = chartRecord(chartVersion);
  if (!rec) throw new Error(`unknown chart ${chartVersion}`);
  return rec;
}
