/**
 * Argo CD example: Milvus 2.5.8 -> 2.6.4 in one commit, upgrade-job mode. The construct plans the chain (the 2.5.16
 * stop with mixCoordinator, then 2.6.4) and emits the executor's ServiceAccount, Role, RoleBinding, ConfigMap and a
 * Job annotated as a named Argo CD Sync hook (`gitOps: "argocd"`): Argo CD runs it once for this plan, keeps it after
 * success (self-heal never runs it again), and retries it on the next sync after a failure. No TTL.
 *
 * Synthesize into MANIFEST_DIR and commit the output; `application.yaml` points an Argo CD Application at it.
 * Step by step: docs/gitops.md ("Argo CD"). Outside this repository, import from "milvus-cluster/cdk8s".
 */
import { App, Chart } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";

/** The directory Argo CD syncs (`spec.source.path` of application.yaml), relative to the repository root. */
export const MANIFEST_DIR = "deploy/milvus";

const app = new App({ outdir: process.env["CDK8S_OUTDIR"] ?? MANIFEST_DIR });
const chart = new Chart(app, "milvus", { namespace: "milvus" });

export const milvus = new MilvusCluster(chart, "milvus", {
  // Step 1 (already live): version "2.5.8" with no `from`. Step 2 (this commit): the target and the running version.
  version: "2.6.4",
  from: "2.5.8",
  // The queue the release runs; it never changes in an upgrade.
  messageQueue: "pulsar",
  gitOps: "argocd",
});

app.synth();
console.log(`synthesized ${milvus.jobName} (${milvus.steps.map((s) => s.milvusVersion).join(" -> ")}) to ${app.outdir}`);
