// Render mode against `helm template`, both repeated inside one node process that has already loaded cdk8s and
// milvus-cluster (the figure is what render mode adds on top of helm, not node's or cdk8s's start-up).
// Usage: node bench/cases/render-warm.cjs <runs>   with $BENCH_HELM, $BENCH_CHART and $BENCH_VALUES (a file to write)
//   figure:   new App + Chart + MilvusCluster(renderMode "render", chartPath fixture) + app.synth()
//   baseline: spawnSync(helm, ["template", "milvus", chart, "--namespace", "milvus", "-f", values, "--skip-tests"])
//             with the values the construct passes to helm (written once, before timing)
// Prints JSON: { figure: ms[], baseline: ms[], helm: ms[], otherChildren: ms[], synth: ms[], objects, baselineBytes },
// where helm is the time each render spent running helm (the construct's `helmProcess.spawnSync`, dist/cdk8s/render.js),
// otherChildren the time it spent in child_process.execFileSync (cdk8s `Include` used to read helm's output back
// through a node child process; the construct now parses it in process, so this should stay 0) and synth the time of
// `app.synth()`.
"use strict";
const childProcess = require("node:child_process");
const { spawnSync } = childProcess;
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { App, Chart } = require("cdk8s");
const { MilvusCluster } = require("milvus-cluster/cdk8s");
// The same module instance milvus-cluster/cdk8s loads (package exports do not list internal files).
const { helmProcess } = require("../../dist/cdk8s/render.js");

const runs = Number(process.argv[2] ?? 15);
const helm = process.env.BENCH_HELM;
const chartDir = process.env.BENCH_CHART;
const valuesFile = process.env.BENCH_VALUES;
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), "bench-render-"));

// Time spent in child processes during one render (the wrappers add well under a microsecond).
let inHelm = 0;
let inOther = 0;
let inSynth = 0;
function timed(obj, name, add) {
  const original = obj[name];
  obj[name] = function (...args) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      add(performance.now() - t0);
    }
  };
}
timed(helmProcess, "spawnSync", (ms) => {
  inHelm += ms;
});
timed(childProcess, "execFileSync", (ms) => {
  inOther += ms;
});

let objects = 0;
function renderMode(i) {
  const app = new App({ outdir: path.join(outRoot, String(i)) });
  const chart = new Chart(app, "render", { namespace: "milvus" });
  const cluster = new MilvusCluster(chart, "milvus", {
    version: "2.6.4",
    messageQueue: "pulsar",
    renderMode: "render",
    chartPath: chartDir,
    helmExecutable: helm,
  });
  const s0 = performance.now();
  app.synth();
  inSynth += performance.now() - s0;
  objects = cluster.rendered.apiObjects.length;
  return cluster;
}

let baselineBytes = 0;
function helmTemplate() {
  const r = spawnSync(helm, ["template", "milvus", chartDir, "--namespace", "milvus", "-f", valuesFile, "--skip-tests"], { maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  baselineBytes = r.stdout.length;
}

// The same values render mode hands to helm (the target step's values, as plain JSON, which is YAML too).
fs.writeFileSync(valuesFile, JSON.stringify(renderMode("values").steps[0].values));

const figure = [];
const baseline = [];
const helmMs = [];
const otherMs = [];
const synthMs = [];
for (let i = 0; i < 3; i++) {
  renderMode(`warm-${i}`);
  helmTemplate();
}
for (let i = 0; i < runs; i++) {
  const order = i % 2 === 0 ? [0, 1] : [1, 0];
  for (const which of order) {
    inHelm = 0;
    inOther = 0;
    inSynth = 0;
    const t0 = performance.now();
    if (which === 0) renderMode(i);
    else helmTemplate();
    (which === 0 ? figure : baseline).push(performance.now() - t0);
    if (which === 0) {
      helmMs.push(inHelm);
      otherMs.push(inOther);
      synthMs.push(inSynth);
    }
  }
}
fs.rmSync(outRoot, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ figure, baseline, helm: helmMs, otherChildren: otherMs, synth: synthMs, objects, baselineBytes }));
