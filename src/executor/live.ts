import { isPlainObject } from "../values/merge";
import { isMilvusVersion, parseMilvusVersion } from "../versions/versions";
import type { ExecutorContext, LiveRelease, ReleaseStatus } from "./context";
import { compareMilvus } from "./decide";
import { ExecutorExit } from "./exit";
import { EXIT_CODES, messageQueueOfValues, modeOfValues } from "./script";

/*
 * Reading the live release: every helm answer is JSON read with JSON.parse, and values are looked up by their nested
 * path only, so a literal dotted key such as "mixCoordinator.enabled" next to the nested key is never mistaken for it.
 */

/** One entry of `helm history -o json`. */
export interface HistoryEntry {
  readonly revision: number;
  readonly status: string;
  /** Chart version of the revision (`chart` is "milvus-4.2.58"), or "" when helm printed another chart name. */
  readonly chart: string;
}

/** The live values of one revision, read with `helm get values --all -o json`. */
export interface LiveValues {
  readonly values: Readonly<Record<string, unknown>>;
  /** `image.all.tag`, or "" when absent or not a string. */
  readonly tag: string;
}

/** Parses JSON printed by helm or kubectl; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A nested value of parsed JSON, by path (never a literal dotted key). */
export function at(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}

/** `helm status -o json` -> status and revision; undefined when the JSON lacks them. */
export function parseStatus(json: unknown): ReleaseStatus | undefined {
  const status = at(json, "info", "status");
  const revision = at(json, "version");
  if (typeof status !== "string" || status === "" || typeof revision !== "number" || !Number.isSafeInteger(revision)) return undefined;
  // helm status -o json prints the release with its chart (release.Release.Chart.Metadata); helm list prints "milvus-3.0.10".
  const name = at(json, "chart", "metadata", "name");
  const version = at(json, "chart", "metadata", "version");
  const chart = name === "milvus" && typeof version === "string" ? chartVersionOf(`milvus-${version}`) : "";
  return chart !== "" ? { status, revision, chart } : { status, revision };
}

/** The chart version of helm's chart name ("milvus-4.2.58" -> "4.2.58"), or "" for another chart or no version. */
export function chartVersionOf(chart: string): string {
  const m = /^milvus-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(chart);
  return m ? m[1]! : "";
}

/**
 * Chart version of the live revision: of `helm status` when the values are the latest revision's, else (resuming from
 * the last deployed revision past a failed one) that revision's entry of `helm history`; "" when helm did not say.
 */
export function liveChartVersion(live: Pick<LiveRelease, "revision" | "valuesRevision" | "chart">, history: readonly HistoryEntry[]): string {
  if (live.valuesRevision === undefined && live.chart !== undefined && live.chart !== "") return live.chart;
  const revision = live.valuesRevision ?? live.revision;
  return history.find((e) => e.revision === revision)?.chart ?? "";
}

/** `helm history -o json` -> its entries (malformed entries are left out). */
export function parseHistory(json: unknown): HistoryEntry[] {
  if (!Array.isArray(json)) return [];
  const out: HistoryEntry[] = [];
  for (const e of json) {
    const revision = at(e, "revision");
    const status = at(e, "status");
    const chart = at(e, "chart");
    if (typeof revision !== "number" || !Number.isSafeInteger(revision) || typeof status !== "string") continue;
    out.push({ revision, status, chart: typeof chart === "string" ? chartVersionOf(chart) : "" });
  }
  return out;
}

/** The newest revision other than `current` that was deployed or superseded (a state to roll back to). */
export function lastGoodRevision(history: readonly HistoryEntry[], current: number): number | undefined {
  let best: number | undefined;
  for (const e of history) {
    if ((e.status === "deployed" || e.status === "superseded") && e.revision !== current && (best === undefined || e.revision > best)) best = e.revision;
  }
  return best;
}

/** Values -> `LiveValues`. */
export function liveValues(values: unknown): LiveValues {
  const v = isPlainObject(values) ? values : {};
  const tag = at(v, "image", "all", "tag");
  return { values: v, tag: typeof tag === "string" ? tag : "" };
}

/** The Milvus version of a tag ("v2.5.8" -> "2.5.8"), or undefined when the tag is no version. */
export function versionOfTag(tag: string): string | undefined {
  return tag !== "" && isMilvusVersion(tag) ? parseMilvusVersion(tag).version : undefined;
}

/**
 * The live release from a status and the values of the revision they were read from. Refuses (LIVE_STATE_UNREADABLE)
 * values that name no Milvus version.
 */
export function liveRelease(ctx: Pick<ExecutorContext, "input">, status: ReleaseStatus, v: LiveValues, valuesRevision?: number): LiveRelease {
  const rel = ctx.input.releaseName;
  if (v.tag === "") throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `the values of release ${rel} have no image.all.tag, so the running Milvus version is unknown`);
  const version = versionOfTag(v.tag);
  if (version === undefined) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `image.all.tag of release ${rel} is '${v.tag}', not a Milvus version`);
  const mode = modeOfValues(v.values);
  return {
    ...status,
    ...(valuesRevision !== undefined ? { valuesRevision } : {}),
    values: v.values,
    tag: v.tag,
    version,
    mode,
    messageQueue: messageQueueOfValues(v.values, mode),
    mixCoordinator: at(v.values, "mixCoordinator", "enabled") === true,
  };
}

/** helm status; undefined when the release does not exist. */
export async function readStatus(ctx: Pick<ExecutorContext, "client" | "input">): Promise<ReleaseStatus | undefined> {
  const { releaseName: rel, namespace: ns } = ctx.input;
  const r = await ctx.client.helm(["status", rel, "-n", ns, "-o", "json"]);
  if (r.code !== 0) {
    if (r.stderr.includes("release: not found")) return undefined;
    throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm status ${rel} -n ${ns} failed: ${r.stderr.trim()}`);
  }
  const status = parseStatus(parseJson(r.stdout));
  if (!status) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm status ${rel} -n ${ns} printed no info.status and revision`);
  return status;
}

/** helm get values --all (computed values) of the latest revision or of `revision`. */
export async function readValues(ctx: Pick<ExecutorContext, "client" | "input">, revision?: number): Promise<LiveValues> {
  const { releaseName: rel, namespace: ns } = ctx.input;
  const args = ["get", "values", rel, "-n", ns, "--all", "-o", "json", ...(revision !== undefined ? ["--revision", String(revision)] : [])];
  const r = await ctx.client.helm(args);
  if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm get values ${rel} -n ${ns} --all failed: ${r.stderr.trim()}`);
  const json = parseJson(r.stdout);
  if (json !== null && !isPlainObject(json)) throw new ExecutorExit(EXIT_CODES.LIVE_STATE_UNREADABLE, `helm get values ${rel} -n ${ns} --all printed no JSON object`);
  return liveValues(json ?? {});
}

/** helm get values without --all: what the user supplied (null when nothing). Undefined when it cannot be read. */
export async function readUserValues(ctx: Pick<ExecutorContext, "client" | "input">): Promise<Record<string, unknown> | undefined> {
  const { releaseName: rel, namespace: ns } = ctx.input;
  const r = await ctx.client.helm(["get", "values", rel, "-n", ns, "-o", "json"]);
  if (r.code !== 0) return undefined;
  const json = parseJson(r.stdout);
  if (json === null) return {};
  return isPlainObject(json) ? json : undefined;
}

/** helm history; empty when it fails. */
export async function readHistory(ctx: Pick<ExecutorContext, "client" | "input">): Promise<HistoryEntry[]> {
  const { releaseName: rel, namespace: ns } = ctx.input;
  const r = await ctx.client.helm(["history", rel, "-n", ns, "-o", "json"]);
  return r.code === 0 ? parseHistory(parseJson(r.stdout)) : [];
}

/** Whether `version` is above every step's version. */
export function pastEveryStep(ctx: Pick<ExecutorContext, "input">, version: string): boolean {
  return ctx.input.steps.every((s) => compareMilvus(version, s.version) > 0);
}
