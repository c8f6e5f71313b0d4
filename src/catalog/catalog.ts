import { MilvusClusterError } from "../errors";
import { compareVersions, inRange, parseMilvusVersion } from "../versions/versions";
import { CHART_RECORDS, KEY_RANGES, REPOSITORY_URLS } from "./data.generated";
import { overlayProblems } from "./overlay";
import type { CatalogOverlay, ChartRecord, OverlayChart, RepositoryId } from "./types";

/** The command a user runs when the catalog does not know a version yet (named in every R-KNOWN-VERSION fix). */
export const CATALOG_UPDATE_HINT =
  "milvus-cluster catalog update --index https://zilliztech.github.io/milvus-helm/index.yaml --out milvus-catalog.json, then pass --catalog milvus-catalog.json (or catalogFile)";

/** Options for `chartFor`. */
export interface ChartForOptions {
  /** Use exactly this chart version (must be published). */
  readonly chartVersion?: string;
  /** Only consider charts for which this returns true (e.g. rule exclusions); explains itself via `excludedBecause`. */
  readonly allow?: (chart: ChartRecord) => boolean;
  /** Text appended to the refusal when every shipping chart was excluded by `allow`. */
  readonly excludedBecause?: { ruleId: string; message: string; fix: string };
  /** Input field to name in errors about the version. @default "version" */
  readonly field?: string;
  /**
   * Input field to name in errors about `chartVersion` (e.g. `from.chartVersion` for the deployed chart).
   * @default "chartVersion"
   */
  readonly chartVersionField?: string;
}

function repositoryIdOf(url: string): RepositoryId | undefined {
  // Stryker disable next-line Regex: overlay validation refuses a repository URL ending in "//", so one slash or several strip alike
  const norm = url.replace(/\/+$/, "");
  return (Object.keys(REPOSITORY_URLS) as RepositoryId[]).find((id) => REPOSITORY_URLS[id] === norm);
}

/** The `ChartRecord` view of an overlay chart. */
function recordOf(c: OverlayChart): ChartRecord {
  const id = repositoryIdOf(c.repository);
  return {
    chart: c.chart,
    milvus: c.milvus,
    imageTag: c.imageTag,
    appVersion: c.appVersion,
    published: true,
    repositories: id ? [id] : [],
    created: c.created,
    dependencies: c.dependencies,
  };
}

/**
 * The chart catalog: every chart the library knows, the Milvus version each ships, the managed values keys each has
 * and the repository that serves it. `Catalog.builtin` holds the generated data; `Catalog.withOverlay` adds the
 * charts of a catalog overlay file (charts published after this library was released). A catalog is immutable and is
 * passed explicitly (`planUpgrade({ catalog })`, `valuesFor(..., { catalog })`), so two Pulumi components or tests
 * with different overlays never see each other's charts.
 */
export class Catalog {
  /** The catalog generated into this library (`npm run catalog:generate`). */
  static readonly builtin: Catalog = new Catalog(CHART_RECORDS, undefined);

  /** The overlay this catalog includes, if any. */
  readonly overlay: CatalogOverlay | undefined;

  private readonly records: readonly ChartRecord[];
  private readonly byChart: Map<string, ChartRecord>;
  private readonly publishedByMilvus = new Map<string, ChartRecord[]>();
  private readonly overlayByChart = new Map<string, OverlayChart>();
  private readonly knownCache = new Map<string, readonly string[]>();
  private readonly keysByChart = new Map<string, ReadonlySet<string>>();

  private constructor(records: readonly ChartRecord[], overlay: CatalogOverlay | undefined) {
    this.overlay = overlay;
    this.records = records;
    this.byChart = new Map(records.map((c) => [c.chart, c]));
    for (const c of records) {
      if (!c.published) continue;
      const list = this.publishedByMilvus.get(c.milvus) ?? [];
      list.push(c);
      this.publishedByMilvus.set(c.milvus, list);
    }
  }

  /**
   * The built-in catalog plus an overlay's charts. Overlay charts that the built-in catalog already knows with the
   * same Milvus version are left out (the built-in facts win; the entry is merely stale). Throws
   * `MilvusClusterError` (R-CATALOG-OVERLAY, R-CATALOG-CONTRADICTS) for a malformed overlay or one that contradicts
   * the built-in facts: a known chart with another Milvus version or other dependencies, or an unknown chart older
   * than the newest built-in chart.
   * @param overlay the parsed overlay file (validated here)
   * @param field input field to name in errors
   * @default field "catalogFile"
   */
  static withOverlay(overlay: unknown, field = "catalogFile"): Catalog {
    const base = Catalog.builtin;
    const problems = overlayProblems(overlay, base, field);
    if (problems.length > 0) throw new MilvusClusterError(problems, "invalid catalog overlay");
    const o = overlay as CatalogOverlay;
    const added = o.charts.filter((c) => base.chartRecord(c.chart) === undefined);
    const records = [...base.records, ...added.map(recordOf)].sort((a, b) => compareVersions(a.chart, b.chart));
    const cat = new Catalog(records, { ...o, charts: added });
    for (const c of added) cat.overlayByChart.set(c.chart, c);
    return cat;
  }

  /** All chart records, ascending by chart version. */
  allCharts(): readonly ChartRecord[] {
    return this.records;
  }

  /** The newest chart of the built-in catalog (the overlay starts above it). */
  builtinNewest(): ChartRecord {
    return CHART_RECORDS[CHART_RECORDS.length - 1]!;
  }

  /** The record of one chart version, or undefined when the catalog does not know it. */
  chartRecord(chartVersion: string): ChartRecord | undefined {
    // Stryker disable next-line Regex: chart versions hold no v but a leading one, so /^v/ and /v/ remove the same character
    return this.byChart.get(chartVersion.replace(/^v/, ""));
  }

  /** The overlay facts of a chart when it comes from the overlay (not built in), else undefined. */
  overlayChart(chartVersion: string): OverlayChart | undefined {
    // Stryker disable next-line Regex: chart versions hold no v but a leading one, so /^v/ and /v/ remove the same character
    return this.overlayByChart.get(chartVersion.replace(/^v/, ""));
  }

  /** Published charts whose default image is `milvusVersion`, ascending. */
  chartsShipping(milvusVersion: string): ChartRecord[] {
    return [...(this.publishedByMilvus.get(milvusVersion) ?? [])];
  }

  /**
   * Milvus versions that some published chart ships, ascending.
   * @param opts.gaOnly only GA versions: no pre-release suffix (a -hotfix build is GA)
   * @param opts.minMajor lowest major version to list
   * @default opts.gaOnly false, opts.minMajor 2
   */
  knownMilvusVersions(opts: { gaOnly?: boolean; minMajor?: number } = {}): string[] {
    const minMajor = opts.minMajor ?? 2;
    // Stryker disable next-line EqualityOperator: === and !== only swap the two cache keys, each option set still gets its own
    const cacheKey = `${opts.gaOnly === true}/${minMajor}`;
    const cached = this.knownCache.get(cacheKey);
    if (cached) return [...cached];
    const set = new Set<string>();
    for (const c of this.records) {
      // Stryker disable next-line ConditionalExpression: every unpublished built-in chart ships a version a published chart also ships (overlay charts are published)
      if (!c.published) continue;
      const v = parseMilvusVersion(c.milvus);
      if (v.semver.major < minMajor) continue;
      if (opts.gaOnly && v.prerelease) continue; // a -hotfix build is GA
      set.add(c.milvus);
    }
    const list = [...set].sort(compareVersions);
    this.knownCache.set(cacheKey, list);
    return [...list];
  }

  /** The known Milvus versions closest to `version` (up to `count`), for "did you mean" messages. */
  nearestKnownVersions(version: string, count = 4): string[] {
    const known = this.knownMilvusVersions();
    const target = parseMilvusVersion(version).semver;
    const score = (v: string) => {
      const s = parseMilvusVersion(v).semver;
      return Math.abs(s.major - target.major) * 1e6 + Math.abs(s.minor - target.minor) * 1e3 + Math.abs(s.patch - target.patch);
    };
    return [...known].sort((a, b) => score(a) - score(b) || compareVersions(a, b)).slice(0, count).sort(compareVersions);
  }

  /**
   * Picks the chart for a Milvus version: the newest published chart whose default image is that version and that
   * `allow` accepts. An explicit `chartVersion` wins (it must be published). An unknown version is refused with the
   * nearest known versions and the `milvus-cluster catalog update` command that bridges a newer release.
   */
  chartFor(milvusVersion: string, opts: ChartForOptions = {}): ChartRecord {
    const field = opts.field ?? "version";
    const version = parseMilvusVersion(milvusVersion, field).version;
    if (opts.chartVersion !== undefined) {
      const rec = this.chartRecord(opts.chartVersion);
      if (!rec || !rec.published) {
        throw new MilvusClusterError([
          {
            field: opts.chartVersionField ?? "chartVersion",
            ruleId: "R-CHART-PUBLISHED",
            message: rec
              ? `chart ${opts.chartVersion} was tagged but never published in a chart repository index`
              : `chart ${opts.chartVersion} is not a known Milvus chart version${this.newerThanCatalog(opts.chartVersion, "chart") ? ` (the catalog ends at chart ${this.newest().chart})` : ""}`,
            fix: `use a published chart, e.g. ${this.chartsShipping(version).map((c) => c.chart).slice(-3).join(", ") || "leave chartVersion unset"}${rec ? "" : `; for a chart published after this catalog: ${CATALOG_UPDATE_HINT}`}`,
          },
        ]);
      }
      return rec;
    }
    const shipping = this.chartsShipping(version);
    if (shipping.length === 0) {
      const newer = this.newerThanCatalog(version, "milvus");
      throw new MilvusClusterError([
        {
          field,
          ruleId: "R-KNOWN-VERSION",
          message: `Milvus ${version} is not shipped by any published Milvus chart the catalog knows${newer ? ` (its newest chart, ${this.newest().chart}, ships ${this.newest().milvus}${this.overlay ? ", overlay included" : ""})` : ""}`,
          fix: `use a known version (nearest: ${this.nearestKnownVersions(version).join(", ")}; milvus-cluster versions lists all), or, for a release newer than this catalog, run ${CATALOG_UPDATE_HINT}`,
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

  /**
   * True when the managed values key exists in that chart version's values.yaml (for an overlay chart: in its
   * recorded keys, read from its values.yaml or extrapolated). Unknown keys return false.
   */
  keyExists(key: string, chartVersion: string): boolean {
    let keys = this.keysByChart.get(chartVersion);
    // Stryker disable next-line ConditionalExpression: rebuilding the key set instead of reading the cache gives the same set (the cache only saves time)
    if (!keys) {
      const fromOverlay = this.overlayByChart.get(chartVersion);
      if (fromOverlay) keys = new Set(fromOverlay.keys);
      else {
        const set = new Set<string>();
        for (const [k, ranges] of Object.entries(KEY_RANGES)) {
          // Stryker disable next-line MethodExpression: every managed key has one chart range in the generated catalog, so some and every agree
          if (ranges.some(([lo, hi]) => inRange(chartVersion, lo, hi ?? undefined))) set.add(k);
        }
        keys = set;
      }
      this.keysByChart.set(chartVersion, keys);
    }
    return keys.has(key);
  }

  /** The managed keys the catalog tracks. */
  managedKeys(): string[] {
    return Object.keys(KEY_RANGES);
  }

  /** The repository to install a chart from: the overlay's for an overlay chart; zilliztech serves every built-in chart (milvus-io is archived). */
  repositoryFor(chart: ChartRecord): string {
    const fromOverlay = this.overlayByChart.get(chart.chart);
    // Stryker disable next-line Regex: overlay validation refuses a repository URL ending in "//", so one slash or several strip alike
    if (fromOverlay) return fromOverlay.repository.replace(/\/+$/, "");
    const id: RepositoryId = chart.repositories.includes("zilliztech") ? "zilliztech" : chart.repositories[0] ?? "zilliztech";
    return REPOSITORY_URLS[id];
  }

  private newest(): ChartRecord {
    return this.records[this.records.length - 1]!;
  }

  /** Whether a version lies above the newest chart's (`of: "chart"`) or its Milvus version: a release after the catalog. */
  private newerThanCatalog(version: string, of: "chart" | "milvus"): boolean {
    const newest = this.newest();
    try {
      // Stryker disable next-line Regex,EqualityOperator: only a leading v is in a version; a version equal to the newest is known, so this is never asked for it
      return compareVersions(version.replace(/^v/, ""), of === "chart" ? newest.chart : newest.milvus) > 0;
    } catch {
      return false; // not a version: the caller's message already says so
    }
  }
}

/** The built-in catalog (shorthand for `Catalog.builtin`). */
export function builtinCatalog(): Catalog {
  return Catalog.builtin;
}

// The functions below read the built-in catalog; code that accepts an overlay takes a `Catalog` instead.

/** All chart records of the built-in catalog, ascending by chart version. */
export function allCharts(): readonly ChartRecord[] {
  return Catalog.builtin.allCharts();
}

/** The record of one chart version in the built-in catalog, or undefined when it does not know it. */
export function chartRecord(chartVersion: string): ChartRecord | undefined {
  return Catalog.builtin.chartRecord(chartVersion);
}

/** Published built-in charts whose default image is `milvusVersion`, ascending. */
export function chartsShipping(milvusVersion: string): ChartRecord[] {
  return Catalog.builtin.chartsShipping(milvusVersion);
}

/**
 * Milvus versions that some published built-in chart ships, ascending.
 * @param opts.gaOnly only versions without a pre-release or hotfix suffix
 * @param opts.minMajor lowest major version to list
 * @default opts.gaOnly false, opts.minMajor 2
 */
export function knownMilvusVersions(opts: { gaOnly?: boolean; minMajor?: number } = {}): string[] {
  return Catalog.builtin.knownMilvusVersions(opts);
}

/** The built-in catalog's known Milvus versions closest to `version` (up to `count`). */
export function nearestKnownVersions(version: string, count = 4): string[] {
  return Catalog.builtin.nearestKnownVersions(version, count);
}

/** `Catalog.chartFor` on the built-in catalog. */
export function chartFor(milvusVersion: string, opts: ChartForOptions = {}): ChartRecord {
  return Catalog.builtin.chartFor(milvusVersion, opts);
}

/** True when the managed values key exists in that built-in chart version's values.yaml. Unknown keys return false. */
export function keyExists(key: string, chartVersion: string): boolean {
  return Catalog.builtin.keyExists(key, chartVersion);
}

/** The managed keys the catalog tracks. */
export function managedKeys(): string[] {
  return Catalog.builtin.managedKeys();
}

/** URL of a repository id. */
export function repositoryUrl(id: RepositoryId): string {
  return REPOSITORY_URLS[id];
}

/** The repository to install a built-in chart from: zilliztech serves every published chart (milvus-io is archived). */
export function repositoryFor(chart: ChartRecord): string {
  return Catalog.builtin.repositoryFor(chart);
}
