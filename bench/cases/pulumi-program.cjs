// A Pulumi program run under `pulumi.runtime.setMocks` (no Pulumi CLI, no engine): a fresh node process per run.
// Usage: node bench/cases/pulumi-program.cjs milvus|bare <values.json>
//   milvus: new MilvusCluster("m", {namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8", messageQueue: "pulsar"})
//   bare:   one k8s.helm.v3.Release with the same (target) values, chart and version
// Exits once the mock monitor has seen every registration (`pulumi.runtime.disconnect()` drains the RPC queue),
// printing the number of resources registered.
"use strict";
const fs = require("node:fs");
const pulumi = require("@pulumi/pulumi");

const [kind, valuesFile] = process.argv.slice(2);
let registered = 0;

async function main() {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registered++;
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call() {
        return {};
      },
    },
    "milvus-cluster-bench",
    "bench",
    false,
  );
  if (kind === "milvus") {
    const { MilvusCluster } = require("milvus-cluster/pulumi");
    new MilvusCluster("m", { namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8", messageQueue: "pulsar" });
  } else if (kind === "bare") {
    const k8s = require("@pulumi/kubernetes");
    const target = JSON.parse(fs.readFileSync(valuesFile, "utf8"));
    new k8s.helm.v3.Release("m", {
      name: "m",
      namespace: "milvus",
      chart: "milvus",
      repositoryOpts: { repo: target.chartRepository },
      version: target.chartVersion,
      values: target.values,
      resetValues: true,
      reuseValues: false,
      skipAwait: false,
      waitForJobs: true,
    });
  } else {
    throw new Error(`unknown program ${kind}`);
  }
  await pulumi.runtime.disconnect();
  process.stdout.write(`${registered}\n`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
