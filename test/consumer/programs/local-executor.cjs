// A Pulumi program with executor: "local", run under mocks in a project without @pulumi/command: it must stop
// with the one clear error naming the package and its install command.
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}_id`, state: a.inputs }), call: () => ({}) }, "consumer", "dev", false);
const { MilvusCluster } = require("milvus-cluster/pulumi");
try {
  new MilvusCluster("vectors", { namespace: "milvus", version: "2.6.4", expectedFrom: "2.5.8", messageQueue: "pulsar", executor: "local" });
  process.stdout.write("created\n");
} catch (e) {
  process.stdout.write(`${e.name}: ${e.message}\n`);
}
