/**
 * cdk8s example: Milvus 2.5.8 -> 2.6.4 in one apply. The construct plans the chain (a stop at 2.5.16 with
 * mixCoordinator, then 2.6.4) and emits an in-cluster Job that runs both `helm upgrade`s, the last one as
 * `helm upgrade --install`. Synthesizing needs no network and no chart: the Job fetches charts at apply time.
 *
 * Synthesize (from the repository root):
 *
 *   npx tsc -p examples/cdk8s/tsconfig.json && node .cache/cdk8s-example/examples/cdk8s/main.js
 *
 * or `npm run demo`, or `cdk8s synth` with the cdk8s CLI (cdk8s.yaml runs the same command). Then apply:
 *
 *   kubectl apply -f dist/manifests/
 *
 * Outside this repository, import from "milvus-cluster/cdk8s" instead of "../../src/cdk8s".
 */
import { App, Chart } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";

// cdk8s defaults to dist/, which here also holds the package build: write to dist/manifests/ unless the CLI says
// otherwise (CDK8S_OUTDIR).
const app = new App({ outdir: process.env["CDK8S_OUTDIR"] ?? "dist/manifests" });
const chart = new Chart(app, "milvus-example", { namespace: "milvus" });

const milvus = new MilvusCluster(chart, "milvus", {
  version: "2.6.4",
  // The version running now; the message queue must be the one the release uses (it never changes in an upgrade).
  from: "2.5.8",
  messageQueue: "pulsar",
});

app.synth();
console.log(`synthesized ${milvus.jobName} to ${app.outdir}: ${milvus.steps.map((s) => `${s.milvusVersion} (chart ${s.chartVersion})`).join(" -> ")}`);
