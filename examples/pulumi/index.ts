// The README's Pulumi example. Run it from the repository root with a kubeconfig for your cluster:
//   pulumi stack init dev && pulumi up
// In your own project, import from "milvus-cluster/pulumi" instead of the relative path.
import { MilvusCluster } from "../../src/pulumi";

const milvus = new MilvusCluster("vectors", {
  namespace: "milvus",
  createNamespace: true, // drop this line when the namespace already exists
  version: "2.6.4", // was "2.5.8": this one edit makes `pulumi up` run 2.5.16, then 2.6.4
  messageQueue: "pulsar",
  queryNode: { replicas: 3 },
});

/** host:port of the Milvus proxy service, inside the cluster. */
export const endpoint = milvus.endpoint;
/** The intermediate stops the executor checks before the release moves to 2.6.4. */
export const stops = milvus.stops;
