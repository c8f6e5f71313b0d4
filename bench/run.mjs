#!/usr/bin/env node
// Benchmarks of the core, each figure next to a baseline measured in the same run. Prints one table of medians.
// Run: npm run bench (builds first). Never used as a test assertion.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 15);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of a fresh node process running `code`, in ms. */
function coldProcess(code) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    execFileSync(process.execPath, ["-e", code], { cwd: root, stdio: "ignore" });
    times.push(performance.now() - t0);
  }
  return median(times);
}

const rows = [];
const add = (figure, value, unit, baselineName, baseline, goal) =>
  rows.push({ figure, value: value.toFixed(1), unit, baseline: baselineName, baselineValue: baseline === undefined ? "-" : baseline.toFixed(1), ratio: baseline ? (value / baseline).toFixed(2) : "-", goal });

// 1. Cold import of the core against an empty node process.
const empty = coldProcess("");
const core = coldProcess(`require(${JSON.stringify(resolve(root, "dist/index.js"))})`);
add("cold import of milvus-cluster (core)", core, "ms", "node -e ''", empty, `< baseline + 50 ms (${(core - empty).toFixed(1)} ms above)`);
const loaded = execFileSync(
  process.execPath,
  ["-e", `require(${JSON.stringify(resolve(root, "dist/index.js"))}); const m = Object.keys(require.cache).filter(k => /node_modules[\\\\/](@pulumi|cdk8s)/.test(k)); console.log(m.length)`],
  { cwd: root, encoding: "utf8" },
).trim();
rows.push({ figure: "modules of @pulumi/* or cdk8s loaded by the core", value: loaded, unit: "count", baseline: "-", baselineValue: "-", ratio: "-", goal: "0" });

// 2. Plan every pair of known GA versions.
const m = require(resolve(root, "dist/index.js"));
const ga = m.knownMilvusVersions({ gaOnly: true });
const pairs = [];
for (const a of ga) for (const b of ga) if (m.compareVersions(a, b) < 0) pairs.push([a, b]);
const planRates = [];
let refused = 0;
for (let r = 0; r < Math.max(3, Math.floor(runs / 3)); r++) {
  refused = 0;
  const t0 = performance.now();
  for (const [from, to] of pairs) {
    try {
      m.planUpgrade({ from, to });
    } catch {
      refused++;
    }
  }
  planRates.push(pairs.length / ((performance.now() - t0) / 1000));
}
add(`plan every GA pair (${pairs.length} pairs, ${refused} refused by R-PULSAR2-CHARTS)`, median(planRates), "plans/s", "-", undefined, "> 10,000 plans/s");

const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(`milvus-cluster bench: node ${process.version}, ${cpus().length} x ${cpu}, median of ${runs} runs`);
const header = ["figure", "value", "unit", "baseline", "baseline value", "ratio", "goal"];
const table = rows.map((r) => [r.figure, r.value, r.unit, r.baseline, r.baselineValue, r.ratio, r.goal]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const t of table) console.log(line(t));
