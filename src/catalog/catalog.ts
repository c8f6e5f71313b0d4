import { MilvusClusterError } from "../errors";
import { compareVersions, inRange, parseMilvusVersion } from "../versions/versions";
import { CHART_RECORDS, KEY_RANGES, REPOSITORY_URLS } from "./data.generated";
import type { ChartRecord, RepositoryId } from "./types";

const byChart = new Map<string, ChartRecord>(CHART_RECORDS.map((c) => [c.chart, c]));
const publishedByMilvus = new Map<string, ChartRecord[]>();
for (const c of CHART_RECORDS) {
  if (!c.published) continue;
  const list = publishedByMilvus.get(c.milvus) ?? [];
  list.push(c);
  publishedByMilvus.set(c.milvus, list);
}
const knownCache = new Map<string, readonly string[]>();
const keysByChart = new Map<string, ReadonlySet<string>>();

/** All chart records, ascending by chart version. */
export function allCharts(): readonly ChartRecord[] {
  return CHART_RECORDS;
}

/** The record of one chart version, or undefined when the catalog does not know it. */
export function chartRecord(chartVersion: string): ChartRecord | undefined {
  return byChart.get(chartVersion.replace(/^v/, ""));
}

/** Published charts whose default image is `milvusVersion`, ascending. */
export function chartsShipping(milvusVersion: string): ChartRecord[] {
  return [...(publishedByMilvus.get(milvusVersion) ?? [])];
}

/**
 * Milvus versions that some published chart ships, ascending.
 * @param opts.gaOnly only versions without a pre-release or hotfix suffix
 * @param opts.minMajor lowest major version to list
 * @default opts.gaOnly false, opts.minMajor 2
 */
export function knownMilvusVersions(opts: { gaOnly?: boolean; minMajor?: number } = {}): string[] {
  const minMajor = opts.minMajor ?? 2;
  const cacheKey = `${opts.gaOnly === true}/${minMajor}`;
  const cached = knownCache.get(cacheKey);
  if (cached) return [...cached];
  const set = new Set<string>();
  for (const c of CHART_RECORDS) {
    if (!c.published) continue;
    const v = parseMilvusVersion(c.milvus);
    if (v.semver.major < minMajor) continue;
    if (opts.gaOnly && v.prerelease) continue; // a -hotfix build is GA
    set.add(c.milvus);
  }
  const list = [...set].sort(compareVersions);
  knownCache.set(cacheKey, list);
  return [...list];
}

/** The known Milvus versions closest to `version` (up to `count`), for "did you mean" messages. */
export function nearestKnownVersions(version: string, count = 4): string[] {
  const known = knownMilvusVersions();
  const target = parseMilvusVersion(version).semver;
  const score = (v: string) => {
    const s = parseMilvusVersion(v).semver;
    return Math.abs(s.major - target.major) * 1e6 + Math.abs(s.minor - target.minor) * 1e3 + Math.abs(s.patch - target.patch);
  };
  return [...known].sort((a, b) => score(a) - score(b) || compareVersions(a, b)).slice(0, count).sort(compareVersions);
}

/** Options for `chartFor`. */
export interface ChartForOptions {
  /** Use exactly this chart version (must be published). */
  readonly chartVersion?: string;
  /** Only consider charts for which this returns true (e.g. rule exclusions); explains itself via `excludedBecause`. */
  readonly allow?: (chart: ChartRecord) => boolean;
  /** Text appended to the refusal when every shipping chart was excluded by `allow`. */
  readonly excludedBecause?: { ruleId: string; message: string; fix: string };
  /** Input field to name in errors. @default "version" */
  readonly field?: string;
}

/**
 * Picks the chart for a Milvus version: the newest published chart whose default image is that version and that
 * `allow` accepts. An explicit `chartVersion` wins (it must be published). An unknown version is refused with the
 * nearest known versions listed.
 */
export function chartFor(milvusVersion: string, opts: ChartForOptions = {}): ChartRecord {
  const field = opts.field ?? "version";
  const version = parseMilvusVersion(milvusVersion, field).version;
  if (opts.chartVersion !== undefined) {
    const rec = chartRecord(opts.chartVersion);
    if (!rec || !rec.published) {
      throw new MilvusClusterError([
        {
          field: "chartVersion",
          ruleId: "R-CHART-PUBLISHED",
          message: rec
            ? `chart ${opts.chartVersion} was tagged but never published in a chart repository index`
            : `chart ${opts.chartVersion} is not a known Milvus chart version`,
          fix: `use a published chart, e.g. ${chartsShipping(version).map((c) => c.chart).slice(-3).join(", ") || "leave chartVersion unset"}`,
        },
      ]);
    }
    return rec;
  }
  const shipping = chartsShipping(version);
  if (shipping.length === 0) {
    throw new MilvusClusterError([
      {
        field,
        ruleId: "R-KNOWN-VERSION",
        message: `Milvus ${version} is not shipped by any published Milvus chart`,
        fix: `use a known version; nearest: ${nearestKnownVersions(version).join(", ")} (milvus-cluster versions lists all)`,
      },
    ]);
  }
  const allowed = opts.allow ? shipping.filter(opts.allow) : shipping;
  if (allowed.length === 0) {
    const why = opts.excludedBecause;
    throw new MilvusClusterError([
      {
        field,
        ruleId: why?.ruleId ?? "R-KNOWN-VERSION",
        message: `every chart that ships Milvus ${version} (${shipping.map((c) => c.chart).join(", ")}) is excluded: ${why?.message ?? "no chart allowed"}`,
        fix: why?.fix ?? "choose another version",
      },
    ]);
  }
  return allowed[allowed.length - 1]!;
}

/** True when the managed values key exists in that chart version's values.yaml. Unknown keys return false. */
export function keyExists(key: string, chartVersion: string): boolean {
  let keys = keysByChart.get(chartVersion);
  if (!keys) {
    const set = new Set<string>();
    for (const [k, ranges] of Object.entries(KEY_RANGES)) {
      if (ranges.some(([lo, hi]) => inRange(chartVersion, lo, hi ?? undefined))) set.add(k);
    }
    keys = set;
    keysByChart.set(chartVersion, keys);
  }
  return keys.has(key);
}

/** The managed keys the catalog tracks. */
export function managedKeys(): string[] {
  return Object.keys(KEY_RANGES);
}

/** URL of a repository id. */
export function repositoryUrl(id: RepositoryId): string {
  return REPOSITORY_URLS[id];
}

/** The repository to install a chart from: zilliztech serves every published chart (milvus-io is archived). */
export function repositoryFor(chart: ChartRecord): string {
  const id: RepositoryId = chart.repositories.includes("zilliztech") ? "zilliztech" : chart.repositories[0] ?? "zilliztech";
  return repositoryUrl(id);
}
