// The program a new user writes into the project `pulumi new typescript` generated (index.ts): the README's
// Pulumi example, with `expectedFrom` so that the chain is exact.
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster } from "milvus-cluster/pulumi";

const milvus = new MilvusCluster("vectors", {
  namespace: "milvus",
  version: "2.6.4",
  expectedFrom: "2.5.8",
  messageQueue: "pulsar",
  queryNode: { replicas: 3 },
});

export const endpoint = milvus.endpoint;
export const stops = milvus.stops;
export const stack = pulumi.getStack();
