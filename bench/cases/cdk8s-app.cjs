// cdk8s apps for the bench, each run as a fresh node process that synthesizes into $CDK8S_OUTDIR.
// Usage: node bench/cases/cdk8s-app.cjs <app>
//   plain-job      the baseline of the example's synth: one plain cdk8s-plus Job in a Chart
//   render-milvus  MilvusCluster in render mode on $BENCH_CHART with $BENCH_HELM (Milvus 2.6.4, pulsar)
//   render-helm    the baseline of render-milvus: one plain cdk8s `Helm` of the same chart, values ($BENCH_VALUES,
//                  JSON), release name and namespace
"use strict";
const fs = require("node:fs");
const { App, Chart, Helm } = require("cdk8s");

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? "cdk8s.out" });
const chart = new Chart(app, "bench", { namespace: "milvus" });
const which = process.argv[2];

if (which === "plain-job") {
  const kplus = require("cdk8s-plus-28");
  new kplus.Job(chart, "job", {
    containers: [{ image: "alpine/k8s:1.31.9", command: ["sh", "-c", "echo upgrade"], securityContext: { ensureNonRoot: false } }],
  });
} else if (which === "render-milvus") {
  const { MilvusCluster } = require("milvus-cluster/cdk8s");
  new MilvusCluster(chart, "milvus", {
    version: "2.6.4",
    messageQueue: "pulsar",
    renderMode: "render",
    chartPath: process.env.BENCH_CHART,
    helmExecutable: process.env.BENCH_HELM,
  });
} else if (which === "render-helm") {
  new Helm(chart, "chart", {
    chart: process.env.BENCH_CHART,
    releaseName: "milvus",
    namespace: "milvus",
    values: JSON.parse(fs.readFileSync(process.env.BENCH_VALUES, "utf8")),
    helmExecutable: process.env.BENCH_HELM,
    helmFlags: ["--skip-tests"],
  });
} else {
  throw new Error(`unknown app ${which}`);
}

app.synth();
process.stdout.write(`${chart.node.findAll().length}\n`);
