#!/usr/bin/env node
// Generates src/catalog/data.generated.ts: every Milvus Helm chart version, the Milvus version it ships,
// the repositories that serve it, its dependency facts, and in which chart versions each managed values
// key exists. Inputs are the published index.yaml of each chart repository (file path or https URL),
// the default image tag per chart (chart-versions.tsv, or a directory of per-chart values.yaml files),
// and the values-keys matrix/history. Run: npm run catalog:generate [-- --source ../shared/milvus-helm]
import { readFile, readdir, writeFile, stat } from "node:fs/promises";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import semver from "semver";
import YAML from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..");

/** Repository ids and URLs. zilliztech serves every published chart; milvus-io is archived (<= 4.0.31). */
const REPOSITORIES = {
  zilliztech: "https://zilliztech.github.io/milvus-helm",
  "milvus-io": "https://milvus-io.github.io/milvus-helm",
};

/**
 * Values keys the library writes (or checks) and therefore must know per chart version. Keys that the
 * values matrix does not cover are derived from the key history (ADDED/REMOVED events) and verified
 * against every values.yaml snapshot present.
 */
const COMPONENTS = [
  "standalone", "proxy", "mixCoordinator", "rootCoordinator", "queryCoordinator", "dataCoordinator",
  "indexCoordinator", "queryNode", "dataNode", "indexNode", "streamingNode",
];
const COORDINATORS = ["mixCoordinator", "rootCoordinator", "queryCoordinator", "dataCoordinator", "indexCoordinator"];
const MANAGED_KEYS = [
  "cluster.enabled",
  "image.all.repository",
  "image.all.tag",
  "standalone.messageQueue",
  ...COMPONENTS.flatMap((c) => [
    ...(c === "standalone" || c === "streamingNode" ? [] : [`${c}.enabled`]),
    `${c}.replicas`,
    `${c}.resources`,
    `${c}.extraEnv`,
  ]),
  ...COORDINATORS.map((c) => `${c}.activeStandby.enabled`),
  "streaming.enabled",
  "pulsar.enabled",
  "pulsarv3.enabled",
  "kafka.enabled",
  "woodpecker.enabled",
  "etcd.enabled",
  "etcd.replicaCount",
  "minio.enabled",
  "minio.mode",
  "minio.existingSecret",
  "externalS3.enabled",
  "externalS3.host",
  "externalS3.port",
  "externalS3.bucketName",
  "externalS3.rootPath",
  "externalS3.useSSL",
  "externalS3.useIAM",
  "externalS3.cloudProvider",
  "externalS3.region",
  "externalEtcd.enabled",
  "externalEtcd.endpoints",
  "externalPulsar.enabled",
  "externalPulsar.host",
  "externalPulsar.port",
  "externalPulsar.tenant",
  "externalPulsar.namespace",
  "externalKafka.enabled",
  "externalKafka.brokerList",
  "externalKafka.securityProtocol",
  "externalKafka.sasl",
  "extraConfigFiles",
  "extraConfigFiles.user.yaml",
  "log.level",
  "metrics.enabled",
];

const program = new Command()
  .name("generate-catalog")
  .option("--source <dir>", "directory holding the reference data", resolve(repoRoot, "../shared/milvus-helm"))
  .option("--index <repo=pathOrUrl...>", "index.yaml per repository (default: <source>/index-<repo>.yaml)")
  .option("--images <file>", "chart-versions.tsv with the default image tag per chart (default: <source>/chart-versions.tsv)")
  .option("--values-dir <dir>", "directory of <chart>/values.yaml snapshots (default: <source>/charts)")
  .option("--keys-matrix <file>", "values-keys-matrix.tsv (default: <source>/values-keys-matrix.tsv)")
  .option("--keys-history <file>", "values-keys-history.txt (default: <source>/values-keys-history.txt)")
  .option("--out <file>", "output TypeScript file", resolve(repoRoot, "src/catalog/data.generated.ts"))
  .option("--check", "do not write; exit 1 if the output would change");
program.parse();
const opts = program.opts();

async function readText(pathOrUrl) {
  if (/^https:\/\//.test(pathOrUrl)) {
    const res = await fetch(pathOrUrl);
    if (!res.ok) throw new Error(`GET ${pathOrUrl}: HTTP ${res.status}`);
    return res.text();
  }
  return readFile(pathOrUrl, "utf8");
}

async function exists(path) {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function parseTsv(text) {
  const [head, ...rows] = text.split("\n").filter((l) => l.trim() !== "");
  const cols = head.split("\t");
  return rows.map((r) => Object.fromEntries(r.split("\t").map((v, i) => [cols[i], v])));
}

/** "v2.0.0-rc8-20211104-d1f4106" -> "2.0.0-rc8"; "0.10.0-cpu-d061620-5f3c00" -> "0.10.0"; "v2.5.16" -> "2.5.16". */
function milvusVersionOfTag(tag) {
  let v = tag.replace(/^v/, "");
  v = v.replace(/-cpu-d\d+-[0-9a-f]+$/, "");
  v = v.replace(/-\d{8}-[0-9a-f]{7}$/, "");
  if (!semver.valid(v)) throw new Error(`image tag ${tag} does not give a semver Milvus version (${v})`);
  return v;
}

function depsFromIndex(entry) {
  const deps = {};
  for (const d of entry.dependencies ?? []) {
    const key = d.alias ?? d.name;
    deps[key] = d.version;
  }
  return deps;
}

function depsFromTsv(text) {
  const deps = {};
  for (const part of text.split(";").map((s) => s.trim()).filter(Boolean)) {
    const m = /^([\w-]+)(?:\(alias=([\w-]+)\))?@([\w.-]+)/.exec(part);
    if (!m) throw new Error(`cannot parse dependency "${part}"`);
    deps[m[2] ?? m[1]] = m[3];
  }
  return deps;
}

function keyPathExists(obj, path) {
  // "extraConfigFiles.user.yaml" is a key with a dot inside extraConfigFiles.
  const parts = path === "extraConfigFiles.user.yaml" ? ["extraConfigFiles", "user.yaml"] : path.split(".");
  let cur = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object" || !(p in cur)) return false;
    cur = cur[p];
  }
  return true;
}

async function main() {
  const src = opts.source;
  const indexSpecs = opts.index ?? Object.keys(REPOSITORIES).map((r) => `${r}=${join(src, `index-${r}.yaml`)}`);
  const published = new Map(); // chart -> { repos:Set, entry }
  for (const spec of indexSpecs) {
    const [repo, location] = spec.split(/=(.*)/s);
    if (!(repo in REPOSITORIES)) throw new Error(`unknown repository id ${repo}; known: ${Object.keys(REPOSITORIES)}`);
    const index = YAML.parse(await readText(location));
    for (const entry of index.entries?.milvus ?? []) {
      const rec = published.get(entry.version) ?? { repos: new Set(), entry };
      rec.repos.add(repo);
      published.set(entry.version, rec);
    }
  }

  const imageRows = parseTsv(await readText(opts.images ?? join(src, "chart-versions.tsv")));
  const matrix = parseTsv(await readText(opts.keysMatrix ?? join(src, "values-keys-matrix.tsv")));
  const matrixByChart = new Map(matrix.map((r) => [r.chart_version, r]));
  const history = (await readText(opts.keysHistory ?? join(src, "values-keys-history.txt")))
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const m = /^(\S+) \(commit \w+\): ADDED \[(.*)\] REMOVED \[(.*)\]$/.exec(line);
      if (!m) throw new Error(`cannot parse history line: ${line}`);
      const list = (s) => (s.trim() === "" ? [] : s.split(",").map((x) => x.trim().replace(/^'|'$/g, "")));
      return { chart: m[1], added: list(m[2]), removed: list(m[3]) };
    })
    .sort((a, b) => semver.compare(a.chart, b.chart));

  // Snapshots of values.yaml, to verify derived key existence.
  const valuesDir = opts.valuesDir ?? join(src, "charts");
  const snapshots = new Map();
  if (await exists(valuesDir)) {
    for (const d of await readdir(valuesDir)) {
      const f = join(valuesDir, d, "values.yaml");
      if (await exists(f)) snapshots.set(d, YAML.parse(await readFile(f, "utf8")));
    }
  }

  const charts = [];
  for (const row of imageRows) {
    const chart = row.chart_version;
    if (!semver.valid(chart)) throw new Error(`bad chart version ${chart}`);
    let imageTag = row.image_all_tag.replace(/^milvusdb\/milvus:/, "");
    const snap = snapshots.get(chart);
    if (snap?.image?.all?.tag && String(snap.image.all.tag) !== imageTag) {
      throw new Error(`chart ${chart}: values.yaml image.all.tag ${snap.image.all.tag} != chart-versions.tsv ${imageTag}`);
    }
    imageTag = String(imageTag);
    const pub = published.get(chart);
    const deps = pub ? depsFromIndex(pub.entry) : depsFromTsv(row.dependencies);
    charts.push({
      chart,
      milvus: milvusVersionOfTag(imageTag),
      imageTag,
      appVersion: pub?.entry.appVersion != null ? String(pub.entry.appVersion) : row.app_version,
      published: Boolean(pub),
      repositories: pub ? Object.keys(REPOSITORIES).filter((r) => pub.repos.has(r)) : [],
      created: String(pub?.entry.created || row.index_created || row.date || "").slice(0, 10),
      dependencies: deps,
    });
  }
  for (const chart of published.keys()) {
    if (!charts.some((c) => c.chart === chart)) throw new Error(`chart ${chart} is published but has no image tag row`);
  }
  charts.sort((a, b) => semver.compare(a.chart, b.chart));

  // Key existence per chart (charts >= 3.0.0; older charts predate the Milvus 2.x values layout).
  const modern = charts.filter((c) => semver.gte(c.chart, "3.0.0")).map((c) => c.chart);
  const ancestorsOf = (key) => {
    const parts = key === "extraConfigFiles.user.yaml" ? ["extraConfigFiles", "user.yaml"] : key.split(".");
    return parts.map((_, i) => parts.slice(0, i + 1).join("."));
  };
  const existsFromHistory = (key, chart) => {
    const paths = new Set(ancestorsOf(key));
    let state;
    for (const ev of history) {
      if (semver.gt(ev.chart, chart)) break;
      if (ev.added.some((k) => paths.has(k))) state = true;
      if (ev.removed.some((k) => paths.has(k))) state = false;
    }
    if (state !== undefined) return state;
    // No event at or before this chart: the key exists from the start unless it is added later.
    const addedLater = history.some((ev) => semver.gt(ev.chart, chart) && ev.added.some((k) => paths.has(k)));
    return !addedLater;
  };
  const keyExists = (key, chart) => {
    const row = matrixByChart.get(chart);
    if (row && key in row) return row[key] !== "-";
    return existsFromHistory(key, chart);
  };
  // Snapshot-conservative existence: present only where the snapshots on both sides have it. Used for keys
  // whose history is incomplete (the history tracks two path levels; deeper additions are not listed).
  const snapshotCharts = [...snapshots.keys()].filter((c) => semver.valid(c)).sort(semver.compare);
  const existsBySnapshots = (key, chart) => {
    const before = snapshotCharts.filter((c) => semver.lte(c, chart)).pop();
    const after = snapshotCharts.find((c) => semver.gte(c, chart));
    if (!before) return false;
    if (!keyPathExists(snapshots.get(before), key)) return false;
    if (after) return keyPathExists(snapshots.get(after), key);
    // Past the newest snapshot: trust it unless the history removes the key (or an ancestor) later.
    const paths = new Set(ancestorsOf(key));
    return !history.some((ev) => semver.gt(ev.chart, before) && ev.removed.some((k) => paths.has(k)));
  };
  const keyRanges = {};
  const conservative = [];
  for (const key of MANAGED_KEYS) {
    const historyAgrees = snapshotCharts.every((c) => keyExists(key, c) === keyPathExists(snapshots.get(c), key));
    if (!historyAgrees) conservative.push(key);
    const has = (chart) => (historyAgrees ? keyExists(key, chart) : existsBySnapshots(key, chart));
    const ranges = [];
    let open = null;
    let prev = null;
    for (const chart of modern) {
      if (has(chart) && open === null) open = chart;
      if (!has(chart) && open !== null) {
        ranges.push([open, prev]);
        open = null;
      }
      prev = chart;
    }
    if (open !== null) ranges.push([open, null]);
    keyRanges[key] = ranges;
  }
  if (conservative.length > 0) {
    process.stdout.write(`note: key history is incomplete for ${conservative.join(", ")}; derived from values.yaml snapshots only\n`);
  }

  const lines = [];
  lines.push("// GENERATED by scripts/generate-catalog.mjs from the published index.yaml of the Milvus chart");
  lines.push("// repositories and the charts' default values. Do not edit by hand: run `npm run catalog:generate`.");
  lines.push('import type { ChartRecord, KeyRange, RepositoryId } from "./types";');
  lines.push("");
  lines.push("/** Chart repository URLs by id. */");
  lines.push(`export const REPOSITORY_URLS: Readonly<Record<RepositoryId, string>> = ${JSON.stringify(REPOSITORIES)};`);
  lines.push("");
  lines.push(`/** Every chart version known (${charts.length}), ascending. */`);
  lines.push("export const CHART_RECORDS: readonly ChartRecord[] = [");
  for (const c of charts) lines.push(`  ${JSON.stringify(c)},`);
  lines.push("];");
  lines.push("");
  lines.push("/** For each managed values key, the inclusive chart-version ranges in which it exists (null = still present). */");
  lines.push("export const KEY_RANGES: Readonly<Record<string, readonly KeyRange[]>> = {");
  for (const [k, r] of Object.entries(keyRanges)) lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(r)},`);
  lines.push("};");
  lines.push("");
  const out = lines.join("\n");
  if (opts.check) {
    const current = (await exists(opts.out)) ? await readFile(opts.out, "utf8") : "";
    if (current !== out) {
      process.stderr.write(`${opts.out} is out of date: run npm run catalog:generate\n`);
      process.exit(1);
    }
    process.stdout.write(`${opts.out} is up to date (${charts.length} charts)\n`);
    return;
  }
  await writeFile(opts.out, out);
  process.stdout.write(
    `wrote ${opts.out}: ${charts.length} charts (${charts.filter((c) => c.published).length} published), ${MANAGED_KEYS.length} keys\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`generate-catalog: ${e.message}\n`);
  process.exit(1);
});
