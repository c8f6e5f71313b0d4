/**
 * Flux example: Milvus 2.5.8 -> 2.6.4 in render mode, one step per commit. With `stages: true` the construct renders
 * the NEXT step of the chain only (first the 2.5.16 stop), annotates every object with `milvus-cluster/next-from`, and
 * prints which `from` to set once that step is healthy. `kustomization.yaml` has Flux apply the output with
 * `wait: true` (Ready only when every object is healthy) and `prune: true` (objects a later step drops, such as the
 * 2.5 indexnode, are deleted).
 *
 * Step by step: docs/gitops.md ("Flux"). Rendering needs helm and the chart at synth time. Outside this repository,
 * import from "milvus-cluster/cdk8s".
 */
import { App, Chart } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";

/** The directory the Flux Kustomization applies (`spec.path` of kustomization.yaml), relative to the repository root. */
export const MANIFEST_DIR = "deploy/milvus";

const app = new App({ outdir: process.env["CDK8S_OUTDIR"] ?? MANIFEST_DIR });
const chart = new Chart(app, "milvus", { namespace: "milvus" });

export const milvus = new MilvusCluster(chart, "milvus", {
  version: "2.6.4",
  // Commit 1: "2.5.8" (renders the 2.5.16 stop). Once it is healthy, commit 2: "2.5.16" (renders 2.6.4).
  // (MILVUS_FROM lets the repository's test walk the chain without editing the file.)
  from: process.env["MILVUS_FROM"] ?? "2.5.8",
  messageQueue: "pulsar",
  renderMode: "render",
  stages: true,
  // A vendored chart and a pinned helm keep synthesis offline; unset, helm fetches the chart from its repository.
  chartPath: process.env["MILVUS_CHART_PATH"],
  helmExecutable: process.env["MILVUS_HELM"] ?? "helm",
});

app.synth();
console.log(
  milvus.nextFrom === undefined
    ? `synthesized Milvus ${milvus.version} (the target) to ${app.outdir}`
    : `synthesized the ${milvus.steps[0]?.milvusVersion} stop to ${app.outdir}; once it is healthy set from: "${milvus.nextFrom}"`,
);
