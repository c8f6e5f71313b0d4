import { assertPeersInstalled } from "../util/peers";

// Imported first by index.ts: a missing peer is reported by name, with its install command, before any module of
// this entry point requires it. `@pulumi/command` is checked only when `executor: "local"` loads it.
assertPeersInstalled("milvus-cluster/pulumi", [
  { name: "@pulumi/pulumi", why: "the Pulumi SDK the component is built on" },
  { name: "@pulumi/kubernetes", why: "the Helm Release, Job and RBAC resources" },
]);
