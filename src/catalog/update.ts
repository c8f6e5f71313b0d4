/**
 * `milvus-cluster catalog update`, the pure part: from a chart repository's index.yaml (parsed) and, optionally,
 * the new charts' Chart.yaml and values.yaml (parsed), the catalog overlay of every chart newer than the built-in
 * catalog. The CLI reads files, URLs and archives; nothing here does I/O.
 */
import minVersion from "semver/ranges/min-version";
import validRange from "semver/ranges/valid";
import { type InputProblem, MilvusClusterError } from "../errors";
import { compareVersions, isMilvusVersion, parseMilvusVersion } from "../versions/versions";
import { Catalog } from "./catalog";
import { milvusVersionOfTag, overlayProblems, ruleRequirements } from "./overlay";
import { CATALOG_OVERLAY_FORMAT, type CatalogOverlay, type OverlayChart } from "./types";

/** One chart given with `--chart`: its parsed Chart.yaml and values.yaml, and where it was read (for errors). */
export interface UpdateChartInput {
  /** The path the user gave, named in errors. */
  readonly origin: string;
  /** Parsed Chart.yaml. */
  readonly chartYaml: unknown;
  /** Parsed values.yaml. */
  readonly values: unknown;
  /** sha256 (hex) of the chart archive, when the chart was given as a .tgz: it must match the index entry's digest. */
  readonly archiveDigest?: string;
}

/** Input of `buildCatalogOverlay`. */
export interface CatalogUpdateInput {
  /** The parsed index.yaml of the chart repository. */
  readonly index: unknown;
  /** The index's https URL, recorded in the overlay; null for a local file (paths differ between machines). */
  readonly indexSource: string | null;
  /** https URL of the repository that serves the charts (the index URL without `/index.yaml`, or given). */
  readonly repository: string;
  /** Charts read from their own files; their image tag and keys replace the index's appVersion and the extrapolation. */
  readonly charts?: readonly UpdateChartInput[];
  /**
   * The overlay being replaced (the existing `--out` file). What it read from a chart (`image.all.tag`, values.yaml
   * keys) is kept for a chart not given again, when the index still publishes the same digest for it; so a later
   * update does not fall back to assumptions for charts read before.
   * @default none
   */
  readonly previous?: CatalogOverlay;
}

/** Result of `buildCatalogOverlay`. */
export interface CatalogUpdateResult {
  /** The overlay, validated against the built-in catalog. */
  readonly overlay: CatalogOverlay;
  /** What the user should know: skipped entries, extrapolations. */
  readonly notes: readonly string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const EXTRA_CONFIG_USER = "extraConfigFiles.user.yaml";

/** Whether a managed key exists in a parsed values.yaml (`extraConfigFiles.user.yaml` has a dot in its last segment). */
export function valuesHaveKey(values: unknown, key: string): boolean {
  const parts = key === EXTRA_CONFIG_USER ? ["extraConfigFiles", "user.yaml"] : key.split(".");
  let cur: unknown = values;
  for (const p of parts) {
    if (!isObject(cur) || !(p in cur)) return false;
    cur = cur[p];
  }
  return true;
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]!]));
}

/**
 * Builds the overlay: every `entries.milvus` chart of the index newer than the newest built-in chart, with its Milvus
 * version (the given chart's default `image.all.tag`, else the index's `appVersion`, marked `milvusFrom`), its
 * dependencies (index entry), its Helm/Kubernetes minimums (the rules' minimums raised by the entry's `kubeVersion`)
 * and its managed keys (the given chart's values.yaml, else those of the newest built-in chart of the same major line,
 * marked `extrapolated`). Throws `MilvusClusterError` (R-CATALOG-OVERLAY) naming the entry or chart at fault.
 * @param input the parsed index, its source and the given charts
 * @param base the built-in catalog
 * @default base Catalog.builtin
 */
export function buildCatalogOverlay(input: CatalogUpdateInput, base: Catalog = Catalog.builtin): CatalogUpdateResult {
  const problems: InputProblem[] = [];
  const notes: string[] = [];
  const fail = (field: string, message: string, fix: string) => problems.push({ field, ruleId: "R-CATALOG-OVERLAY", message, fix });
  const index = input.index;
  const entries = isObject(index) && isObject(index.entries) ? index.entries.milvus : undefined;
  if (!Array.isArray(entries)) {
    throw new MilvusClusterError([{ field: "index", ruleId: "R-CATALOG-OVERLAY", message: "the index has no entries.milvus list (is it a Helm chart repository index.yaml with the milvus chart?)", fix: "pass the index.yaml of the Milvus chart repository, e.g. https://zilliztech.github.io/milvus-helm/index.yaml" }]);
  }
  const newest = base.builtinNewest().chart;

  // The given charts, by version.
  const given = new Map<string, UpdateChartInput & { version: string }>();
  for (const c of input.charts ?? []) {
    const meta = c.chartYaml;
    const version = isObject(meta) ? String(meta.version ?? "") : "";
    if (!isObject(meta) || meta.name !== "milvus" || !/^\d+\.\d+\.\d+/.test(version)) {
      fail("chart", `${c.origin}: Chart.yaml is not the milvus chart (name ${JSON.stringify(isObject(meta) ? meta.name : undefined)}, version ${JSON.stringify(version)})`, "pass a directory or .tgz of the milvus chart (Chart.yaml with name: milvus)");
      continue;
    }
    if (given.has(version)) fail("chart", `${c.origin}: chart ${version} is given twice`, "pass each chart once");
    if (compareVersions(version, newest) <= 0) fail("chart", `${c.origin}: chart ${version} is not newer than the built-in catalog (newest ${newest}); the library already knows it`, `pass only charts newer than ${newest}`);
    given.set(version, { ...c, version });
  }

  const charts: OverlayChart[] = [];
  const inIndex = new Set<string>();
  entries.forEach((e: unknown, i: number) => {
    const at = `index.entries.milvus[${i}]`;
    if (!isObject(e) || typeof e.version !== "string" || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(e.version)) {
      notes.push(`${at}: skipped, no chart version`);
      return;
    }
    const chart = e.version;
    inIndex.add(chart);
    if (compareVersions(chart, newest) <= 0) return;
    const appVersion = e.appVersion === undefined || e.appVersion === null ? "" : String(e.appVersion);
    const g = given.get(chart);
    const indexDigest = typeof e.digest === "string" ? e.digest : "";
    if (g?.archiveDigest !== undefined && indexDigest !== "" && g.archiveDigest !== indexDigest) {
      fail("chart", `${g.origin}: sha256 ${g.archiveDigest} does not match the digest ${indexDigest} the index publishes for chart ${chart}`, "download the archive again from the URL the index lists (it was altered or is another build)");
      return;
    }
    // What the overlay being replaced read from this chart's own files, if the archive is still the same.
    const before = g ? undefined : input.previous?.charts.find((p) => p.chart === chart && (p.milvusFrom === "image.all.tag" || p.keysFrom === "values.yaml"));
    const kept = before && before.digest !== "" && before.digest === indexDigest ? before : undefined;
    if (before && !kept) notes.push(`chart ${chart}: the existing overlay read it from the chart, but the index now publishes another digest (${indexDigest || "none"}); pass --chart again to read it`);
    else if (kept) notes.push(`chart ${chart}: ${kept.milvusFrom === "image.all.tag" ? "image.all.tag" : ""}${kept.milvusFrom === "image.all.tag" && kept.keysFrom === "values.yaml" ? " and " : ""}${kept.keysFrom === "values.yaml" ? "values keys" : ""} kept from the existing overlay (same digest ${indexDigest})`);
    let milvus: string | undefined;
    let imageTag: string;
    let milvusFrom: OverlayChart["milvusFrom"];
    if (kept?.milvusFrom === "image.all.tag") {
      milvus = kept.milvus;
      imageTag = kept.imageTag;
      milvusFrom = "image.all.tag";
    } else if (g) {
      const tag = isObject(g.values) && isObject(g.values.image) && isObject(g.values.image.all) ? g.values.image.all.tag : undefined;
      if (typeof tag !== "string" && typeof tag !== "number") {
        fail("chart", `${g.origin}: values.yaml has no image.all.tag`, "pass the chart as published (its values.yaml sets image.all.tag)");
        return;
      }
      imageTag = String(tag);
      milvus = milvusVersionOfTag(imageTag);
      milvusFrom = "image.all.tag";
      if (!milvus) {
        fail("chart", `${g.origin}: image.all.tag ${imageTag} is not a Milvus version`, "pass the milvus chart as published");
        return;
      }
    } else {
      milvus = isMilvusVersion(appVersion) ? parseMilvusVersion(appVersion).version : undefined;
      if (!milvus) {
        notes.push(`chart ${chart}: skipped, its appVersion ${JSON.stringify(appVersion)} is not a Milvus version; pass the chart with --chart to read its image.all.tag`);
        return;
      }
      imageTag = `v${milvus}`;
      milvusFrom = "appVersion";
    }
    const dependencies: Record<string, string> = {};
    for (const d of Array.isArray(e.dependencies) ? e.dependencies : []) {
      if (!isObject(d)) continue;
      const name = typeof d.alias === "string" ? d.alias : typeof d.name === "string" ? d.name : undefined;
      if (name !== undefined && (typeof d.version === "string" || typeof d.version === "number")) dependencies[name] = String(d.version);
    }
    const kubeVersion = typeof e.kubeVersion === "string" ? e.kubeVersion : "";
    const rules = ruleRequirements(chart);
    let kubernetes = rules.kubernetes;
    if (kubeVersion !== "" && validRange(kubeVersion)) {
      const min = minVersion(kubeVersion);
      if (min) {
        const floor = `${min.major}.${min.minor}.${min.patch}`;
        if (compareVersions(floor, kubernetes) > 0) kubernetes = floor;
      }
    }
    let keys: string[];
    let keysFrom: OverlayChart["keysFrom"];
    let extrapolatedFrom: string | undefined;
    if (g) {
      keys = base.managedKeys().filter((k) => valuesHaveKey(g.values, k));
      keysFrom = "values.yaml";
    } else if (kept?.keysFrom === "values.yaml") {
      keys = [...kept.keys];
      keysFrom = "values.yaml";
    } else {
      const major = parseMilvusVersion(chart).semver.major;
      const line = base.allCharts().filter((c) => c.published && parseMilvusVersion(c.chart).semver.major === major);
      const from = line[line.length - 1];
      if (!from) {
        fail("chart", `chart ${chart} starts a new major line (${major}.x) the built-in catalog has no chart of, so its values keys cannot be inherited`, `pass the chart itself: --chart <directory or milvus-${chart}.tgz>`);
        return;
      }
      keys = base.managedKeys().filter((k) => base.keyExists(k, from.chart));
      keysFrom = "extrapolated";
      extrapolatedFrom = from.chart;
      notes.push(`chart ${chart}: values keys extrapolated from built-in chart ${from.chart}; pass --chart to read its values.yaml`);
    }
    const created = typeof e.created === "string" ? e.created.slice(0, 10) : e.created instanceof Date ? e.created.toISOString().slice(0, 10) : "";
    const digest = indexDigest;
    charts.push({
      chart,
      milvus,
      milvusFrom,
      imageTag,
      appVersion,
      created,
      repository: input.repository,
      digest,
      dependencies: sortedRecord(dependencies),
      kubeVersion,
      requires: { helm: rules.helm, kubernetes },
      keys: [...keys].sort(),
      keysFrom,
      ...(extrapolatedFrom ? { extrapolatedFrom } : {}),
    });
  });
  for (const g of given.values()) {
    if (!inIndex.has(g.version)) fail("chart", `${g.origin}: chart ${g.version} is not listed in the index`, "pass the index.yaml that publishes it (only published charts can be installed)");
  }
  if (problems.length > 0) throw new MilvusClusterError(problems, "catalog update failed");
  charts.sort((a, b) => compareVersions(a.chart, b.chart));
  const generated = isObject(index) && index.generated !== undefined ? (index.generated instanceof Date ? index.generated.toISOString() : String(index.generated)) : null;
  const overlay: CatalogOverlay = { format: CATALOG_OVERLAY_FORMAT, builtinNewest: newest, index: { source: input.indexSource, generated }, charts };
  // What is written must be readable: the same validation as --catalog.
  const check = overlayProblems(overlay, base, "overlay");
  if (check.length > 0) throw new MilvusClusterError(check, "catalog update produced an overlay the catalog refuses");
  if (charts.length === 0) notes.push(`the index has no chart newer than the built-in catalog (newest ${newest}); the overlay is empty`);
  return { overlay, notes };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

/** The overlay as the committed file: JSON with sorted keys, two-space indent and a final newline (byte-stable). */
export function serializeCatalogOverlay(overlay: CatalogOverlay): string {
  return `${JSON.stringify(sortKeys(overlay), null, 2)}\n`;
}
