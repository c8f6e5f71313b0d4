/**
 * `milvus-cluster catalog update`: the I/O around `buildCatalogOverlay`. It reads the index (https with Node's own
 * fetch, or a file) and each `--chart` (a chart directory, or a `.tgz` read in memory with the `tar` package: users of
 * `catalog update` need not have helm), then writes the overlay file.
 */
import { createHash } from "node:crypto";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import YAML from "yaml";
import { Catalog } from "../catalog/catalog";
import { overlayProblems } from "../catalog/overlay";
import type { CatalogOverlay } from "../catalog/types";
import { buildCatalogOverlay, type CatalogUpdateResult, serializeCatalogOverlay, type UpdateChartInput } from "../catalog/update";
import { REPOSITORY_URLS } from "../catalog/data.generated";
import { MilvusClusterError } from "../errors";
import { chartRepositoryProblem } from "../util/names";

/** Options of `catalog update`. */
export interface CatalogUpdateOptions {
  /** index.yaml: an https URL or a file. */
  readonly index: string;
  /** Chart directories or `.tgz` archives of new charts. @default none */
  readonly charts?: readonly string[];
  /** Repository that serves the charts. @default the index URL without `/index.yaml`; for a file, the zilliztech repository */
  readonly repository?: string;
  /** Output file. */
  readonly out: string;
}

/** Largest index.yaml, Chart.yaml or values.yaml read (the real index is about 1 MB). */
const MAX_BYTES = 32 * 1024 * 1024;

function problem(field: string, message: string, fix: string): MilvusClusterError {
  return new MilvusClusterError([{ field, ruleId: "R-CATALOG-OVERLAY", message, fix }]);
}

function parseYaml(text: string, what: string, field: string): unknown {
  try {
    return YAML.parse(text);
  } catch (e) {
    throw problem(field, `${what} is not YAML (${(e as Error).message.split("\n")[0]})`, "pass the file as published");
  }
}

async function readIndex(location: string): Promise<string> {
  if (/^https:\/\//.test(location)) {
    let res: Response;
    try {
      res = await fetch(location, { redirect: "follow" });
    } catch (e) {
      throw problem("index", `GET ${location} failed (${(e as Error).message})`, "check the URL and the network, or download index.yaml and pass the file");
    }
    if (!res.ok) throw problem("index", `GET ${location}: HTTP ${res.status}`, "pass the URL of the repository's index.yaml, e.g. https://zilliztech.github.io/milvus-helm/index.yaml");
    // fetch follows redirects; one that leaves https would let anyone on the path change the index.
    if (res.url !== "" && !res.url.startsWith("https://")) throw problem("index", `GET ${location} was redirected to ${res.url}, which is not https`, "use the repository's https URL");
    const text = await res.text();
    if (text.length > MAX_BYTES) throw problem("index", `${location} is larger than ${MAX_BYTES} bytes`, "pass a chart repository index.yaml");
    return text;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw problem("index", `${location} is neither an https:// URL nor a file`, "use https:// (plain http could be tampered with) or a local file");
  try {
    return await readFile(location, "utf8");
  } catch (e) {
    throw problem("index", `cannot read ${location} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "pass an existing index.yaml file or an https URL");
  }
}

/** Chart.yaml and values.yaml of a chart archive, read in memory (nothing is extracted to disk). */
async function readChartArchive(path: string): Promise<{ chartYaml?: string; values?: string }> {
  const tar = await import("tar");
  const found: { chartYaml?: string; values?: string } = {};
  const chunks = new Map<"chartYaml" | "values", Buffer[]>();
  try {
    await tar.t({
      file: path,
      onReadEntry: (entry) => {
        // The chart's own files sit at <name>/Chart.yaml and <name>/values.yaml; subcharts are deeper.
        const m = /^[^/]+\/(Chart|values)\.yaml$/.exec(entry.path);
        if (!m || entry.type !== "File" || (entry.size ?? 0) > MAX_BYTES) return;
        const key = m[1] === "Chart" ? "chartYaml" : "values";
        const list: Buffer[] = [];
        chunks.set(key, list);
        entry.on("data", (d: Buffer) => list.push(d));
      },
    });
  } catch (e) {
    throw problem("chart", `${path} is not a readable chart archive (${(e as Error).message})`, "pass the .tgz as published (helm package / the repository's download URL) or an unpacked chart directory");
  }
  for (const [k, list] of chunks) found[k] = Buffer.concat(list).toString("utf8");
  return found;
}

async function readChart(path: string): Promise<UpdateChartInput> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (e) {
    throw problem("chart", `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "pass an unpacked chart directory or the chart's .tgz");
  }
  let chartText: string | undefined;
  let valuesText: string | undefined;
  let archiveDigest: string | undefined;
  if (isDir) {
    chartText = await readFile(join(path, "Chart.yaml"), "utf8").catch(() => undefined);
    valuesText = await readFile(join(path, "values.yaml"), "utf8").catch(() => undefined);
  } else {
    const a = await readChartArchive(path);
    // The index publishes the archive's sha256 (Helm's `digest`): a given archive must be that one.
    archiveDigest = createHash("sha256").update(await readFile(path)).digest("hex");
    chartText = a.chartYaml;
    valuesText = a.values;
  }
  if (chartText === undefined || valuesText === undefined) {
    throw problem("chart", `${path} has no ${chartText === undefined ? "Chart.yaml" : "values.yaml"}${isDir ? "" : " at the top of the archive"}`, "pass the milvus chart directory (charts/milvus) or its .tgz");
  }
  return {
    origin: path,
    chartYaml: parseYaml(chartText, `${path} Chart.yaml`, "chart"),
    values: parseYaml(valuesText, `${path} values.yaml`, "chart"),
    ...(archiveDigest !== undefined ? { archiveDigest } : {}),
  };
}

/** The overlay file being replaced, when `--out` exists: what it read from charts is kept (see `previous`). */
async function readPrevious(out: string, base: Catalog): Promise<CatalogOverlay | undefined> {
  let text: string;
  try {
    text = await readFile(out, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw problem("out", `cannot read the existing ${out} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "pass a readable, writable path");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw problem("out", `the existing ${out} is not a catalog overlay (not JSON)`, "delete it, or pass another --out");
  }
  const problems = overlayProblems(parsed, base, "out");
  if (problems.length > 0) throw new MilvusClusterError(problems, `the existing ${out} is not a valid catalog overlay (delete it, or pass another --out)`);
  return parsed as CatalogOverlay;
}

/** The repository the charts are installed from. */
function repositoryOf(o: CatalogUpdateOptions): string {
  const repo = o.repository ?? (/^https:\/\//.test(o.index) ? o.index.replace(/\/index\.yaml$/, "").replace(/\/+$/, "") : REPOSITORY_URLS.zilliztech);
  const p = chartRepositoryProblem(repo, "repository");
  if (p || !repo.startsWith("https://")) throw new MilvusClusterError([p ?? { field: "repository", ruleId: "R-INPUT", message: `"${repo}" is not an https:// chart repository`, fix: "pass --repository https://<host>/<path>" }]);
  return repo;
}

/**
 * Reads the index and the charts and writes the overlay. Returns what was written and the notes to show.
 * @param o the options
 * @param base the catalog to extend
 * @default base Catalog.builtin
 */
export async function catalogUpdate(o: CatalogUpdateOptions, base: Catalog = Catalog.builtin): Promise<CatalogUpdateResult> {
  const repository = repositoryOf(o);
  const previous = await readPrevious(o.out, base);
  const indexText = await readIndex(o.index);
  const index = parseYaml(indexText, o.index, "index");
  const charts: UpdateChartInput[] = [];
  for (const c of o.charts ?? []) charts.push(await readChart(c));
  const result = buildCatalogOverlay({ index, indexSource: /^https:\/\//.test(o.index) ? o.index : null, repository, charts, previous }, base);
  try {
    await writeFile(o.out, serializeCatalogOverlay(result.overlay));
  } catch (e) {
    throw problem("out", `cannot write ${o.out} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "pass a writable path, e.g. milvus-catalog.json in your infra repository");
  }
  return result;
}
