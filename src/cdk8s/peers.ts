import { assertPeersInstalled } from "../util/peers";

// Imported first by index.ts: a missing peer is reported by name, with its install command, before any module of
// this entry point requires it.
assertPeersInstalled("milvus-cluster/cdk8s", [
  { name: "cdk8s", why: "the App, Chart and Helm constructs" },
  { name: "constructs", why: "the construct tree" },
  { name: "cdk8s-plus-28", why: "the upgrade Job, its ServiceAccount and RBAC" },
]);
