#!/usr/bin/env node
// Benchmark of the catalog overlay (issue #15): what an explicit overlay catalog costs the planner and a program.
// Prints the machine, then one markdown table (figure, value, baseline, baseline value, ratio). Never a test assertion.
// Run: `npm run build && node bench/catalog-overlay.mjs` (BENCH_RUNS sets the runs per figure, default 11).
//
// - plans/s over every GA pair of the built-in catalog, planned with the overlay catalog, against the same pairs
//   planned with the built-in catalog (the default) in the same process, runs alternating;
// - plans/s of the pairs that target an overlay version (2.6.16, 2.6.30), against the pairs that target the newest
//   built-in versions (2.6.14, 2.6.15);
// - loading the overlay file (`loadCatalogFile`: read, JSON.parse, validation, indexes) against JSON.parse of the
//   same text alone, and the cold `catalog update` CLI against the cold `versions` CLI.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { coldMedians, fmt, machineLine, markdownTable, median, ROOT } from "./lib.mjs";

const require = createRequire(join(ROOT, "package.json"));
const core = require("./dist/index.js");
const { buildCatalogOverlay, serializeCatalogOverlay } = require("./dist/catalog/update.js");
const YAML = require("yaml");
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 11));
const work = mkdtempSync(join(tmpdir(), "mc-bench-catalog-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

const indexFile = join(ROOT, "test/fixtures/catalog/index.yaml");
const overlay = buildCatalogOverlay({ index: YAML.parse(readFileSync(indexFile, "utf8")), indexSource: null, repository: "https://zilliztech.github.io/milvus-helm" }).overlay;
const overlayFile = join(work, "milvus-catalog.json");
writeFileSync(overlayFile, serializeCatalogOverlay(overlay));
const withOverlay = core.loadCatalogFile(overlayFile);

function rate(pairs, catalog) {
  const t0 = performance.now();
  for (const [from, to] of pairs) {
    try {
      core.planUpgrade(catalog ? { from, to, catalog } : { from, to });
    } catch {
      // refusals (R-PULSAR2-CHARTS) cost the same in both
    }
  }
  return pairs.length / ((performance.now() - t0) / 1000);
}

function alternating(a, b) {
  a();
  b(); // warm-up (JIT)
  const ra = [];
  const rb = [];
  for (let i = 0; i < runs; i++) {
    ra.push(a());
    rb.push(b());
  }
  return [median(ra), median(rb)];
}

const rows = [];
const ga = core.knownMilvusVersions({ gaOnly: true });
const pairs = [];
for (const a of ga) for (const b of ga) if (core.compareVersions(a, b) < 0) pairs.push([a, b]);
{
  const [base, ov] = alternating(() => rate(pairs, undefined), () => rate(pairs, withOverlay));
  rows.push([`plan every built-in GA pair (${pairs.length}) with the overlay catalog`, `${fmt(ov, 0)} plans/s`, "the same with the built-in catalog", `${fmt(base, 0)} plans/s`, fmt(ov / base, 2)]);
}
{
  const gaO = withOverlay.knownMilvusVersions({ gaOnly: true });
  const to = (targets) => gaO.flatMap((f) => targets.filter((t) => core.compareVersions(f, t) < 0).map((t) => [f, t]));
  const overlayPairs = to(["2.6.16", "2.6.30"]);
  const builtinPairs = to(["2.6.14", "2.6.15"]);
  const [base, ov] = alternating(() => rate(builtinPairs, withOverlay), () => rate(overlayPairs, withOverlay));
  rows.push([`plan to an overlay version (${overlayPairs.length} pairs)`, `${fmt(ov, 0)} plans/s`, `plan to the newest built-in versions (${builtinPairs.length} pairs)`, `${fmt(base, 0)} plans/s`, fmt(ov / base, 2)]);
}
{
  const text = readFileSync(overlayFile, "utf8");
  const time = (f) => {
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) f();
    return (performance.now() - t0) / 200;
  };
  const [parse, load] = alternating(() => time(() => JSON.parse(text)), () => time(() => core.loadCatalogFile(overlayFile)));
  rows.push(["loadCatalogFile (read, validate, index)", `${fmt(load, 3)} ms`, "JSON.parse of the same text", `${fmt(parse, 3)} ms`, fmt(load / parse, 1)]);
}
{
  const cli = join(ROOT, "dist/cli/main.js");
  const r = coldMedians(
    {
      base: { args: [cli, "versions", "--json"] },
      update: { args: [cli, "catalog", "update", "--index", indexFile, "--out", join(work, "o.json")] },
    },
    runs,
  );
  rows.push(["cold `milvus-cluster catalog update` (fixture index)", `${fmt(r.update.median)} ms`, "cold `milvus-cluster versions --json`", `${fmt(r.base.median)} ms`, fmt(r.update.median / r.base.median, 2)]);
}
process.stdout.write(`${machineLine()}\n\n${markdownTable(["figure", "value", "baseline", "baseline value", "ratio"], rows)}\n`);
