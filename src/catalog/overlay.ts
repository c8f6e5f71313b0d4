/**
 * Validation of a catalog overlay (`milvus-catalog.json`) against the built-in catalog. Pure: the caller reads the
 * file. Everything wrong is reported at once, each problem naming the field, the rule and the fix.
 */
import type { InputProblem } from "../errors";
import { CHART_REQUIREMENTS } from "../rules/tables";
import { chartRepositoryProblem } from "../util/names";
import { compareVersions, isMilvusVersion, parseMilvusVersion } from "../versions/versions";
import type { Catalog } from "./catalog";
import { CATALOG_OVERLAY_FORMAT } from "./types";

const REGENERATE = "regenerate the file with milvus-cluster catalog update (never edit it by hand)";
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z][0-9A-Za-z.-]*)?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** "v2.0.0-rc8-20211104-d1f4106" -> "2.0.0-rc8"; "v2.6.30" -> "2.6.30" (the generator's reading of `image.all.tag`). */
export function milvusVersionOfTag(tag: string): string | undefined {
  const v = tag
    .replace(/^v/, "")
    .replace(/-cpu-d\d+-[0-9a-f]+$/, "")
    .replace(/-\d{8}-[0-9a-f]{7}$/, "");
  return isMilvusVersion(v) ? parseMilvusVersion(v).version : undefined;
}

/** Minimum Helm and Kubernetes versions the rules give a chart (R-HELM-MIN): the last row at or below it. */
export function ruleRequirements(chart: string): { readonly helm: string; readonly kubernetes: string } {
  let found = CHART_REQUIREMENTS[0]!;
  for (const row of CHART_REQUIREMENTS) if (compareVersions(row.fromChart, chart) <= 0) found = row;
  return { helm: found.helm, kubernetes: found.kubernetes };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function sameDeps(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/**
 * Every problem of an overlay: its shape (R-CATALOG-OVERLAY) and its contradictions with the built-in catalog
 * (R-CATALOG-CONTRADICTS): a chart the built-in catalog knows with another Milvus version or other dependencies, or
 * a chart the built-in catalog does not know that is older than its newest chart (the built-in catalog lists every
 * chart published up to its newest, so such a chart cannot exist).
 * @param value the parsed JSON
 * @param base the built-in catalog
 * @param field input field that named the file, e.g. `catalogFile`
 */
export function overlayProblems(value: unknown, base: Catalog, field: string): InputProblem[] {
  const out: InputProblem[] = [];
  const bad = (at: string, message: string, fix = REGENERATE) => out.push({ field: at, ruleId: "R-CATALOG-OVERLAY", message, fix });
  if (!isObject(value)) {
    bad(field, "the catalog overlay must be a JSON object");
    return out;
  }
  if (value.format !== CATALOG_OVERLAY_FORMAT) {
    bad(`${field}.format`, `${JSON.stringify(value.format)} is not a catalog overlay format this library reads (${CATALOG_OVERLAY_FORMAT})`);
    return out;
  }
  if (typeof value.builtinNewest !== "string" || !SEMVER.test(value.builtinNewest)) bad(`${field}.builtinNewest`, `${JSON.stringify(value.builtinNewest)} is not a chart version`);
  const index = value.index;
  if (!isObject(index) || !(index.source === null || typeof index.source === "string") || !(index.generated === null || typeof index.generated === "string")) {
    bad(`${field}.index`, "must be { source: string | null, generated: string | null }");
  }
  if (!Array.isArray(value.charts)) {
    bad(`${field}.charts`, "must be an array of charts");
    return out;
  }
  const newest = base.builtinNewest();
  const tracked = new Set(base.managedKeys());
  const seen = new Set<string>();
  value.charts.forEach((c: unknown, i: number) => {
    const at = `${field}.charts[${i}]`;
    if (!isObject(c)) {
      bad(at, "must be an object");
      return;
    }
    const before = out.length;
    const str = (k: string, test: (s: string) => boolean, what: string) => {
      if (typeof c[k] !== "string" || !test(c[k] as string)) bad(`${at}.${k}`, `${JSON.stringify(c[k])} is not ${what}`);
    };
    str("chart", (s) => SEMVER.test(s), "a chart version");
    str("milvus", isMilvusVersion, "a Milvus version");
    str("imageTag", (s) => IMAGE_TAG.test(s), "an image tag");
    str("appVersion", () => true, "a string");
    str("created", (s) => s === "" || /^\d{4}-\d{2}-\d{2}$/.test(s), "a YYYY-MM-DD date");
    str("digest", (s) => s === "" || /^[0-9a-f]{64}$/.test(s), "a sha256 digest");
    str("kubeVersion", () => true, "a string");
    if (c.milvusFrom !== "image.all.tag" && c.milvusFrom !== "appVersion") bad(`${at}.milvusFrom`, `${JSON.stringify(c.milvusFrom)} is neither "image.all.tag" nor "appVersion"`);
    if (c.keysFrom !== "values.yaml" && c.keysFrom !== "extrapolated") bad(`${at}.keysFrom`, `${JSON.stringify(c.keysFrom)} is neither "values.yaml" nor "extrapolated"`);
    const repoProblem = typeof c.repository === "string" && c.repository.startsWith("https://") ? chartRepositoryProblem(c.repository, `${at}.repository`) : { field: `${at}.repository`, message: `${JSON.stringify(c.repository)} is not an https:// chart repository`, ruleId: "R-CATALOG-OVERLAY", fix: REGENERATE };
    if (repoProblem) out.push({ ...repoProblem, ruleId: "R-CATALOG-OVERLAY" });
    const deps = c.dependencies;
    if (!isObject(deps) || !Object.values(deps).every((v) => typeof v === "string")) bad(`${at}.dependencies`, "must map dependency aliases to chart versions");
    const req = c.requires;
    if (!isObject(req) || typeof req.helm !== "string" || !SEMVER.test(req.helm) || typeof req.kubernetes !== "string" || !SEMVER.test(req.kubernetes)) {
      bad(`${at}.requires`, "must be { helm: <version>, kubernetes: <version> }");
    }
    if (!Array.isArray(c.keys) || !c.keys.every((k) => typeof k === "string")) bad(`${at}.keys`, "must be a list of managed values keys");
    else {
      const unknown = c.keys.filter((k) => !tracked.has(k as string));
      if (unknown.length > 0) bad(`${at}.keys`, `${unknown.join(", ")} ${unknown.length === 1 ? "is not a key" : "are not keys"} this library manages`);
    }
    if (c.keysFrom === "extrapolated" && (typeof c.extrapolatedFrom !== "string" || !base.chartRecord(c.extrapolatedFrom))) {
      bad(`${at}.extrapolatedFrom`, `${JSON.stringify(c.extrapolatedFrom)} is not a built-in chart; extrapolated keys name the chart they were inherited from`);
    }
    if (out.length > before) return;

    // Shape is right: the facts.
    const chart = c.chart as string;
    const milvus = parseMilvusVersion(c.milvus as string).version;
    if (seen.has(chart)) bad(`${at}.chart`, `chart ${chart} is listed twice`);
    seen.add(chart);
    if (c.milvusFrom === "image.all.tag" && milvusVersionOfTag(c.imageTag as string) !== milvus) {
      bad(`${at}.imageTag`, `image tag ${c.imageTag as string} does not ship Milvus ${milvus}`);
    }
    const rules = ruleRequirements(chart);
    const r = req as { helm: string; kubernetes: string };
    if (compareVersions(r.helm, rules.helm) < 0 || compareVersions(r.kubernetes, rules.kubernetes) < 0) {
      bad(`${at}.requires`, `Helm ${r.helm} / Kubernetes ${r.kubernetes} is below the minimum the rules give chart ${chart} (Helm ${rules.helm}, Kubernetes ${rules.kubernetes}) [R-HELM-MIN]`);
    }
    const known = base.chartRecord(chart);
    const contradicts = (message: string, fix: string) => out.push({ field: `${at}`, ruleId: "R-CATALOG-CONTRADICTS", message, fix });
    if (known) {
      if (known.milvus !== milvus) {
        contradicts(
          `chart ${chart} ships Milvus ${known.milvus} (image.all.tag ${known.imageTag}) in the built-in catalog; the overlay says ${milvus}${c.milvusFrom === "appVersion" ? " (read from appVersion)" : ""}`,
          `remove chart ${chart} from the overlay (the built-in catalog already knows it) and ${REGENERATE}`,
        );
      } else if (!sameDeps(known.dependencies, deps as Record<string, string>)) {
        contradicts(`chart ${chart} has other dependencies in the built-in catalog (${JSON.stringify(known.dependencies)})`, `remove chart ${chart} from the overlay and ${REGENERATE}`);
      }
    } else if (compareVersions(chart, newest.chart) < 0) {
      contradicts(
        `chart ${chart} is older than the newest built-in chart ${newest.chart}, and the built-in catalog (which lists every chart published up to ${newest.chart}) does not know it`,
        `an overlay only adds charts newer than ${newest.chart}: remove chart ${chart}, or regenerate the overlay with milvus-cluster catalog update from the chart repository's index.yaml`,
      );
    }
  });
  return out;
}
