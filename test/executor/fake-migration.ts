/**
 * Test support: the metadata-migration side of the fake cluster. `FakeMigration.install(fake)` adds, to a
 * `FakeCluster` (fake-cluster.ts, left as it is), a fake `kubectl` that keeps namespaced objects (Deployments with
 * replicas, Pods derived from them, ConfigMaps, PVCs, Jobs, Services, HPAs, StorageClasses) and a fake etcd (session
 * keys, the metadata layout "2.1" | "2.2" | "partial", the backup file), and wraps the fake `helm` with `rollback` and
 * with the replica reset a real `helm upgrade` does.
 *
 * Layout added to the fake's directory:
 *   bin/kubectl       replaced: `node lib/k8s.js kubectl ...` (records argv in state/kubectl.calls like the original)
 *   bin/helm          replaced: sh wrapper; `rollback` is handled by lib/k8s.js, everything else by bin/helm-base
 *   bin/helm-base     the original fake helm
 *   lib/k8s.js        the simulation; state/k8s.json its state
 *
 * The fake meta-migration tool behaves like the real one where the executor depends on it: a Job fails while Milvus
 * pods run or session keys are alive ("there are still sessions alive"), `run` on metadata that is not 2.1 fails, a
 * `rollback` restores the backup file. Invariant violations are recorded instead of failing the call: Milvus of one
 * layout running on metadata of another, a Job created with unfilled placeholders or a missing config, objects in
 * another namespace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FakeCluster } from "./fake-cluster";

/** One fake Milvus Deployment. */
export interface FakeDeployment {
  readonly name: string;
  /** `component` label (rootcoord, querynode, ..., attu). */
  readonly component: string;
  readonly replicas: number;
}

/** Deployments of a 2.1.4 release `my-milvus` with separate coordinators, plus Attu (not a Milvus component). */
export const FAKE_21_DEPLOYMENTS: readonly FakeDeployment[] = [
  { name: "my-milvus-milvus-rootcoord", component: "rootcoord", replicas: 1 },
  { name: "my-milvus-milvus-datacoord", component: "datacoord", replicas: 1 },
  { name: "my-milvus-milvus-querycoord", component: "querycoord", replicas: 1 },
  { name: "my-milvus-milvus-indexcoord", component: "indexcoord", replicas: 1 },
  { name: "my-milvus-milvus-datanode", component: "datanode", replicas: 2 },
  { name: "my-milvus-milvus-querynode", component: "querynode", replicas: 3 },
  { name: "my-milvus-milvus-indexnode", component: "indexnode", replicas: 1 },
  { name: "my-milvus-milvus-proxy", component: "proxy", replicas: 2 },
  { name: "my-milvus-attu", component: "attu", replicas: 1 },
];

/** Setup of the fake cluster around the release. */
export interface FakeMigrationSetup {
  /** @default FAKE_21_DEPLOYMENTS */
  readonly deployments?: readonly FakeDeployment[];
  /** `Kind/name` targets of HorizontalPodAutoscalers. @default none */
  readonly hpaTargets?: readonly string[];
  /** StorageClasses, or "forbidden" (the executor may not list them). @default one default class "standard" */
  readonly storageClasses?: readonly { readonly name: string; readonly isDefault: boolean }[] | "forbidden";
  /** Whether the release has a bundled etcd (Service and pod). @default true */
  readonly bundledEtcd?: boolean;
  /** kubectl exec is forbidden. @default false */
  readonly execForbidden?: boolean;
  /** etcdctl polls (and tool starts) that still see a leftover session key after the pods are gone. @default 1 */
  readonly lingeringSessionPolls?: number;
  /** The backup PVC stays Pending (nothing provisions it). @default false */
  readonly claimPending?: boolean;
}

/** A Job the fake ran. */
export interface FakeJob {
  readonly kind: "backup" | "migrate" | "rollback";
  readonly conditions: readonly string[];
  readonly log: string;
  readonly manifest: Record<string, unknown>;
}

/** A ConfigMap of the fake. */
export interface FakeConfigMap {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly data: Record<string, string>;
}

/** The simulation's state (state/k8s.json). */
export interface FakeK8sState {
  readonly namespace: string;
  readonly release: string;
  readonly deployments: Record<string, { component: string; replicas: number }>;
  readonly configmaps: Record<string, FakeConfigMap>;
  readonly pvcs: Record<string, { phase: string; storageClassName?: string; manifest: Record<string, unknown> }>;
  readonly jobs: Record<string, FakeJob>;
  readonly jobFailures: Record<string, string[]>;
  readonly meta: string;
  readonly backupFile: string | null;
  readonly lingering: number;
  readonly lingeringSetting: number;
  readonly violations: readonly string[];
  /** Every create/apply: "Kind/name". */
  readonly created: readonly string[];
  /** Every state change in order: "scale name=N", "job backup Complete", "helm upgrade", "helm rollback N", ... */
  readonly events: readonly string[];
}

const K8S_JS = String.raw`// Fake kubectl and helm rollback for the migration tests; see test/executor/fake-migration.ts.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
// yaml is loaded only by the calls that parse manifests: every kubectl call is a new node process.
let yamlModule;
const YAML = { parse: (text) => (yamlModule ??= require(__YAML__)).parse(text) };
const S = process.env.FAKE_STATE;
const FILE = path.join(S, "k8s.json");
const st = JSON.parse(fs.readFileSync(FILE, "utf8"));
const save = () => fs.writeFileSync(FILE, JSON.stringify(st, null, 1));
const out = (s) => process.stdout.write(s);
function die(code, msg) { save(); process.stderr.write(msg + "\n"); process.exit(code); }
function notFound(kind, name) { die(1, "Error from server (NotFound): " + kind + " \"" + name + "\" not found"); }

function revisions() {
  return fs.readdirSync(S).map((f) => /^rev-(\d+)\.status$/.exec(f)).filter(Boolean).map((m) => Number(m[1])).sort((a, b) => a - b);
}
function currentTag() {
  if (fs.existsSync(path.join(S, "frozen-image"))) return fs.readFileSync(path.join(S, "frozen-image"), "utf8");
  const revs = revisions();
  return revs.length ? fs.readFileSync(path.join(S, "rev-" + revs[revs.length - 1] + ".tag"), "utf8") : "";
}
function minorOf(tag) { const m = /^v?(\d+)\.(\d+)\./.exec(tag); return m ? Number(m[1]) * 100 + Number(m[2]) : 0; }
function labelsOf(name) {
  const d = st.deployments[name];
  return { "app.kubernetes.io/instance": st.release, "app.kubernetes.io/name": "milvus", component: d.component };
}
function matches(labels, selector) {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const ne = term.split("!=");
    if (ne.length === 2) return labels[ne[0]] !== ne[1];
    const eq = term.split("=");
    return labels[eq[0]] === eq[1];
  });
}
function milvusRunning() { return Object.entries(st.deployments).some(([n, d]) => d.component !== "attu" && d.replicas > 0 && n); }
function check(where) {
  if (!milvusRunning()) return;
  const tag = currentTag();
  const want = minorOf(tag) >= 202 ? "2.2" : "2.1";
  if (st.meta !== want) st.violations.push(where + ": Milvus " + tag + " runs on metadata " + st.meta);
}
function sessions(prefix) {
  const keys = [prefix + "id"];
  for (const [, d] of Object.entries(st.deployments)) {
    if (d.component === "attu") continue;
    for (let i = 0; i < d.replicas; i++) keys.push(prefix + d.component + "-" + (i + 1));
  }
  if (!milvusRunning() && st.lingering > 0) { keys.push(prefix + "querynode-99"); st.lingering--; }
  return keys;
}
function liveSessions() { return milvusRunning() || st.lingering > 0; }

function parse(args) {
  const o = { pos: [], flags: {}, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") { o.rest = args.slice(i + 1); break; }
    if (a === "") die(2, "fake kubectl: empty argument");
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    if (eq) { o.flags[eq[1]] = eq[2]; continue; }
    if (["-n", "--namespace", "-l", "-o", "-f", "--field-selector", "--timeout", "--tail", "--replicas", "--cascade"].includes(a)) { o.flags[a === "--namespace" ? "-n" : a] = args[++i]; continue; }
    if (a.startsWith("-")) { o.flags[a] = true; continue; }
    o.pos.push(a);
  }
  return o;
}
function needNamespace(o) { if (o.flags["-n"] !== st.namespace) st.violations.push("kubectl " + o.pos.join(" ") + " without -n " + st.namespace); }

function pods(selector) {
  const out = [];
  for (const [name, d] of Object.entries(st.deployments)) {
    if (!matches(labelsOf(name), selector)) continue;
    for (let i = 0; i < d.replicas; i++) out.push(name + "-5d8f7-" + i);
  }
  return out;
}

function get(o) {
  const [kind, name] = o.pos.slice(1);
  const jp = o.flags["-o"] || "";
  if (kind === "deployments") {
    needNamespace(o);
    const names = Object.keys(st.deployments).filter((n) => matches(labelsOf(n), o.flags["-l"]));
    for (const n of names) {
      if (jp.includes(".spec.template.spec.containers[0].image")) out(n + " milvusdb/milvus:" + currentTag() + "\n");
      else if (jp.includes(".spec.replicas")) out(n + "=" + st.deployments[n].replicas + "\n");
      else if (jp.startsWith("jsonpath=")) out(n + "\n");
      else die(2, "fake kubectl: unexpected output " + jp);
    }
    return;
  }
  if (kind === "pods") {
    needNamespace(o);
    const sel = o.flags["-l"] || "";
    if (sel.includes("app.kubernetes.io/name=etcd")) {
      if (o.flags["--field-selector"] !== "status.phase=Running") die(2, "fake kubectl: etcd pods without the Running field selector");
      if (st.bundledEtcd) out(st.release + "-etcd-0\n" + st.release + "-etcd-1\n");
      return;
    }
    for (const p of pods(sel)) out(p + "\n");
    return;
  }
  if (kind === "services") {
    needNamespace(o);
    if (!(o.flags["-l"] || "").includes("app.kubernetes.io/name=etcd")) die(2, "fake kubectl: unexpected service selector");
    if (st.bundledEtcd) {
      out(st.release + "-etcd-headless None client=2379,peer=2380,\n");
      out(st.release + "-etcd 10.96.0.20 client=2379,peer=2380,\n");
    }
    return;
  }
  if (kind === "horizontalpodautoscalers") {
    needNamespace(o);
    for (const t of st.hpaTargets) out(t + "\n");
    return;
  }
  if (kind === "storageclasses" || kind === "storageclass") {
    if (st.storageClasses === "forbidden") die(1, "Error from server (Forbidden): storageclasses.storage.k8s.io is forbidden: User \"system:serviceaccount:" + st.namespace + ":upgrader\" cannot list resource \"storageclasses\" in API group \"storage.k8s.io\" at the cluster scope");
    if (name) {
      if (!st.storageClasses.some((c) => c.name === name)) notFound("storageclasses.storage.k8s.io", name);
      out("storageclass.storage.k8s.io/" + name + "\n");
      return;
    }
    for (const c of st.storageClasses) out(c.name + " " + (c.isDefault ? "true" : "") + " \n");
    return;
  }
  if (kind === "configmap") {
    needNamespace(o);
    const cm = st.configmaps[name];
    if (!cm) notFound("configmaps", name);
    if (jp !== "json") die(2, "fake kubectl: configmap needs -o json");
    out(JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: st.namespace, labels: cm.labels, annotations: cm.annotations, resourceVersion: "42" }, data: cm.data }, null, 2) + "\n");
    return;
  }
  if (kind === "persistentvolumeclaims" && !name) {
    needNamespace(o);
    for (const [n, pvc] of Object.entries(st.pvcs)) {
      const labels = (pvc.manifest.metadata && pvc.manifest.metadata.labels) || {};
      if (matches(labels, o.flags["-l"])) out("persistentvolumeclaim/" + n + "\n");
    }
    return;
  }
  if (kind === "persistentvolumeclaim") {
    needNamespace(o);
    const pvc = st.pvcs[name];
    if (!pvc) notFound("persistentvolumeclaims", name);
    if (jp === "name") out("persistentvolumeclaim/" + name + "\n");
    else if (jp === "jsonpath={.status.phase}") out(pvc.phase);
    else die(2, "fake kubectl: unexpected pvc output " + jp);
    return;
  }
  if (kind === "job") {
    needNamespace(o);
    const job = st.jobs[name];
    if (!job) notFound("jobs.batch", name);
    for (const c of job.conditions) out(c + "\n");
    return;
  }
  die(2, "fake kubectl: cannot get " + kind);
}

function jobKind(manifest) {
  const cmd = manifest.spec.template.spec.containers[0].command.join(" ");
  if (cmd.includes("backup.yaml")) return "backup";
  if (cmd.includes("migration.yaml")) return "migrate";
  if (cmd.includes("rollback.yaml")) return "rollback";
  die(2, "fake kubectl: unknown job command " + cmd);
}

function runJob(name, manifest) {
  const kind = jobKind(manifest);
  const spec = manifest.spec.template.spec;
  const claim = spec.volumes.find((v) => v.persistentVolumeClaim).persistentVolumeClaim.claimName;
  const tools = st.configmaps[spec.volumes.find((v) => v.configMap).configMap.name];
  let fail = null;
  if (!st.pvcs[claim]) fail = "volume claim " + claim + " not found";
  else if (st.pvcs[claim].phase !== "Bound") fail = "DeadlineExceeded: pod unschedulable, unbound PersistentVolumeClaim";
  else if (!tools) fail = "configmap not found";
  else if (Object.values(tools.data).some((t) => /@[A-Z_]+@/.test(t))) { st.violations.push("job " + name + " started with unfilled placeholders"); fail = "bad config"; }
  else if (liveSessions()) { if (st.lingering > 0) st.lingering--; fail = "there are still sessions alive, prefix: querynode"; }
  const queued = st.jobFailures[kind] || [];
  if (!fail && queued.length > 0) { fail = queued.shift(); if (kind === "migrate") st.meta = "partial"; }
  if (!fail) {
    if (kind === "backup") st.backupFile = st.meta;
    if (kind === "migrate") { if (st.meta !== "2.1") fail = "load meta: unexpected layout " + st.meta; else st.meta = "2.2"; }
    if (kind === "rollback") { if (st.backupFile === null) fail = "open /milvus/data/migration.bak: no such file"; else st.meta = st.backupFile; }
  }
  st.jobs[name] = { kind, conditions: fail ? ["Failed=True"] : ["SuccessCriteriaMet=True", "Complete=True"], log: fail ? "meta-migration: " + fail + "\nmigration session expired" : kind + " ok\nmigration session expired", manifest };
  st.events.push("job " + kind + " " + (fail ? "Failed" : "Complete"));
}

function createOrApply(o, apply) {
  needNamespace(o);
  const doc = YAML.parse(fs.readFileSync(o.flags["-f"], "utf8"));
  const name = doc.metadata.name;
  if (doc.metadata.namespace !== st.namespace) st.violations.push(doc.kind + "/" + name + " in namespace " + doc.metadata.namespace);
  const text = JSON.stringify(doc);
  if (/@[A-Z_]+@/.test(text) && doc.kind !== "ConfigMap") st.violations.push(doc.kind + "/" + name + " has placeholders");
  if (doc.kind === "ConfigMap" && doc.metadata.name.endsWith("-state") && /@[A-Z_]+@/.test(text)) st.violations.push("state ConfigMap has placeholders");
  st.created.push(doc.kind + "/" + name);
  if (doc.kind === "ConfigMap") {
    if (!apply && st.configmaps[name]) die(1, "Error from server (AlreadyExists): configmaps \"" + name + "\" already exists");
    st.configmaps[name] = { labels: doc.metadata.labels || {}, annotations: doc.metadata.annotations || {}, data: doc.data || {} };
  } else if (doc.kind === "PersistentVolumeClaim") {
    if (st.pvcs[name]) die(1, "Error from server (AlreadyExists): persistentvolumeclaims \"" + name + "\" already exists");
    st.pvcs[name] = { phase: st.claimPending ? "Pending" : "Bound", storageClassName: doc.spec.storageClassName, manifest: doc };
  } else if (doc.kind === "Job") {
    if (st.jobs[name]) die(1, "Error from server (AlreadyExists): jobs.batch \"" + name + "\" already exists");
    runJob(name, doc);
  } else die(2, "fake kubectl: cannot create " + doc.kind);
  out(doc.kind.toLowerCase() + "/" + name + " created\n");
}

function kubectl(args) {
  fs.appendFileSync(path.join(S, "kubectl.calls"), args.map((a) => a + "\x1f").join("") + "\n");
  const o = parse(args);
  switch (o.pos[0]) {
    case "get": return get(o);
    case "create": return createOrApply(o, false);
    case "apply": return createOrApply(o, true);
    case "annotate": {
      needNamespace(o);
      if (o.pos[1] !== "configmap" || !o.flags["--overwrite"]) die(2, "fake kubectl: annotate configmap --overwrite only");
      const cm = st.configmaps[o.pos[2]];
      if (!cm) notFound("configmaps", o.pos[2]);
      for (const kv of o.pos.slice(3)) {
        if (kv.endsWith("-")) delete cm.annotations[kv.slice(0, -1)];
        else { const i = kv.indexOf("="); cm.annotations[kv.slice(0, i)] = kv.slice(i + 1); }
      }
      st.events.push("annotate " + o.pos.slice(3).join(" "));
      break;
    }
    case "delete": {
      needNamespace(o);
      const [kind, ...names] = o.pos.slice(1);
      const table = kind === "job" ? st.jobs : kind === "configmap" ? st.configmaps : kind === "persistentvolumeclaim" ? st.pvcs : null;
      if (!table) die(2, "fake kubectl: cannot delete " + kind);
      for (const n of names) {
        if (!table[n] && !o.flags["--ignore-not-found"]) notFound(kind, n);
        if (table[n]) st.events.push("delete " + kind + " " + n);
        delete table[n];
      }
      break;
    }
    case "scale": {
      needNamespace(o);
      const name = o.pos[2];
      if (o.pos[1] !== "deployment" || !st.deployments[name]) notFound("deployments.apps", name);
      const n = Number(o.flags["--replicas"]);
      if (!Number.isInteger(n) || n < 0) die(2, "fake kubectl: bad --replicas");
      st.deployments[name].replicas = n;
      st.events.push("scale " + name + "=" + n);
      check("scale " + name + "=" + n);
      out("deployment.apps/" + name + " scaled\n");
      break;
    }
    case "logs": {
      needNamespace(o);
      const job = st.jobs[o.pos[1].replace(/^job\//, "")];
      if (!job) die(1, "error: no pods found");
      out(job.log + "\n");
      break;
    }
    case "exec": {
      needNamespace(o);
      if (st.execForbidden) die(1, "Error from server (Forbidden): pods \"" + o.pos[1] + "\" is forbidden: cannot create resource \"pods/exec\"");
      if (!st.bundledEtcd || !o.pos[1].startsWith(st.release + "-etcd-")) die(1, "Error from server (NotFound): pods \"" + o.pos[1] + "\" not found");
      const r = o.rest;
      if (r.slice(0, 4).join(" ") !== "etcdctl get --prefix --keys-only" || r.length !== 5) die(2, "fake kubectl: unexpected exec " + r.join(" "));
      for (const k of sessions(r[4])) out(k + "\n\n");
      break;
    }
    case "rollout": {
      if (o.pos[1] !== "status") die(2, "fake kubectl: only rollout status");
      if (fs.existsSync(path.join(S, "rollout-fail"))) die(1, "error: timed out waiting for the condition");
      out(o.pos[2] + " successfully rolled out\n");
      break;
    }
    default: die(2, "fake kubectl: unsupported command " + o.pos[0]);
  }
}

function helmUpgraded(failed) {
  // A real helm upgrade applies the chart's replicas (1 by default) to every Deployment it renders.
  for (const d of Object.values(st.deployments)) if (d.component !== "attu") d.replicas = 1;
  st.events.push(failed ? "helm upgrade failed, rolled back by helm" : "helm upgrade " + currentTag());
  check(failed ? "helm's own rollback" : "helm upgrade");
}

function helmRollback(args) {
  const pos = args.filter((a, i) => !a.startsWith("-") && !["-n", "--namespace", "--timeout"].includes(args[i - 1]));
  const [, , rev] = pos;
  if (!args.includes("--wait") || !args.includes("-n")) die(2, "fake helm: rollback needs --wait and -n");
  if (fs.existsSync(path.join(S, "fail-rollback"))) die(1, "Error: rollback failed: context deadline exceeded");
  const revs = revisions();
  if (!revs.includes(Number(rev))) die(1, "Error: release has no " + rev + " version");
  const next = revs[revs.length - 1] + 1;
  for (const r of revs) if (fs.readFileSync(path.join(S, "rev-" + r + ".status"), "utf8") === "deployed") fs.writeFileSync(path.join(S, "rev-" + r + ".status"), "superseded");
  for (const ext of ["json", "tag", "chart"]) fs.copyFileSync(path.join(S, "rev-" + rev + "." + ext), path.join(S, "rev-" + next + "." + ext));
  fs.writeFileSync(path.join(S, "rev-" + next + ".status"), "deployed");
  for (const d of Object.values(st.deployments)) if (d.component !== "attu") d.replicas = 1;
  st.events.push("helm rollback " + rev);
  check("helm rollback");
  out("Rollback was a success! Happy Helming!\n");
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "kubectl") kubectl(rest);
else if (mode === "helm-rollback") helmRollback(rest);
else if (mode === "helm-upgraded") helmUpgraded(false);
else if (mode === "helm-atomic-rollback") helmUpgraded(true);
else die(2, "fake k8s: unknown mode " + mode);
save();
`;

const KUBECTL_WRAPPER = `#!/bin/sh
# Fake kubectl for the migration tests; see test/executor/fake-migration.ts.
exec node "$FAKE_LIB/k8s.js" kubectl "$@"
`;

const HELM_WRAPPER = `#!/bin/sh
# Fake helm for the migration tests: rollback and the Deployments' replicas; see test/executor/fake-migration.ts.
set -eu
BASE=$(dirname "$0")/helm-base
case $1 in
  rollback)
    for a in "$@"; do printf '%s\\037' "$a"; done >>"$FAKE_STATE/helm.calls"
    printf '\\n' >>"$FAKE_STATE/helm.calls"
    exec node "$FAKE_LIB/k8s.js" helm-rollback "$@"
    ;;
  upgrade)
    if "$BASE" "$@"; then
      node "$FAKE_LIB/k8s.js" helm-upgraded
    else
      rc=$?
      for a in "$@"; do
        case $a in --atomic | --rollback-on-failure) node "$FAKE_LIB/k8s.js" helm-atomic-rollback ;; esac
      done
      exit "$rc"
    fi
    ;;
  *) exec "$BASE" "$@" ;;
esac
`;

/** The migration side of a `FakeCluster`; see the file comment. */
export class FakeMigration {
  private constructor(private readonly fake: FakeCluster) {}

  /**
   * Adds the migration fakes to `fake` (release `my-milvus` in namespace `milvus`).
   * @param fake a fake from `FakeCluster.create()`
   * @param setup the cluster around the release
   */
  static install(fake: FakeCluster, setup: FakeMigrationSetup = {}): FakeMigration {
    const helm = path.join(fake.bin, "helm");
    const base = path.join(fake.bin, "helm-base");
    if (!fs.existsSync(base)) fs.renameSync(helm, base);
    fs.writeFileSync(helm, HELM_WRAPPER, { mode: 0o755 });
    fs.writeFileSync(path.join(fake.bin, "kubectl"), KUBECTL_WRAPPER, { mode: 0o755 });
    fs.writeFileSync(path.join(fake.lib, "k8s.js"), K8S_JS.replace("__YAML__", JSON.stringify(require.resolve("yaml"))));
    // The chart defaults of a 3.x chart (what 2.1 and 2.2 run on) have no pulsarv3, which the fake's defaults enable.
    const defaultsFile = path.join(fake.state, "defaults.json");
    const defaults = JSON.parse(fs.readFileSync(defaultsFile, "utf8")) as Record<string, unknown>;
    delete defaults["pulsarv3"];
    fs.writeFileSync(defaultsFile, JSON.stringify(defaults));
    const deployments = setup.deployments ?? FAKE_21_DEPLOYMENTS;
    const lingering = setup.lingeringSessionPolls ?? 1;
    const state = {
      namespace: "milvus",
      release: "my-milvus",
      deployments: Object.fromEntries(deployments.map((d) => [d.name, { component: d.component, replicas: d.replicas }])),
      configmaps: {},
      pvcs: {},
      jobs: {},
      jobFailures: {},
      meta: "2.1",
      backupFile: null,
      lingering,
      lingeringSetting: lingering,
      violations: [],
      created: [],
      events: [],
      hpaTargets: setup.hpaTargets ?? [],
      storageClasses: setup.storageClasses ?? [{ name: "standard", isDefault: true }],
      bundledEtcd: setup.bundledEtcd ?? true,
      execForbidden: setup.execForbidden ?? false,
      claimPending: setup.claimPending ?? false,
    };
    const m = new FakeMigration(fake);
    m.write(state);
    return m;
  }

  private file(): string {
    return path.join(this.fake.state, "k8s.json");
  }

  private write(state: unknown): void {
    fs.writeFileSync(this.file(), JSON.stringify(state, null, 1));
  }

  /** The current state of the simulation. */
  state(): FakeK8sState {
    return JSON.parse(fs.readFileSync(this.file(), "utf8")) as FakeK8sState;
  }

  private update(f: (s: Record<string, unknown> & FakeK8sState) => void): void {
    const s = this.state() as Record<string, unknown> & FakeK8sState;
    f(s);
    this.write(s);
  }

  /** The next `times` Jobs of this kind fail (a failed migrate leaves the metadata "partial", like a crash after Clean). */
  failJob(kind: FakeJob["kind"], times = 1): void {
    this.update((s) => {
      (s.jobFailures as Record<string, string[]>)[kind] = Array.from({ length: times }, () => `injected ${kind} failure`);
    });
  }

  /** Removes the Job failure injections. */
  clearJobFailures(): void {
    this.update((s) => {
      for (const k of Object.keys(s.jobFailures)) delete (s.jobFailures as Record<string, string[]>)[k];
    });
  }

  /** Changes a setting of the cluster between runs. */
  set(patch: Partial<Pick<FakeMigrationSetup, "execForbidden" | "claimPending" | "hpaTargets" | "storageClasses">>): void {
    this.update((s) => Object.assign(s, patch));
  }

  /** Leftover session keys for the next `polls` etcdctl polls or tool starts after the pods are gone. */
  lingerSessions(polls: number): void {
    this.update((s) => Object.assign(s, { lingering: polls }));
  }

  /** `helm rollback` fails. */
  failHelmRollback(): void {
    fs.writeFileSync(path.join(this.fake.state, "fail-rollback"), "");
  }

  /** Replica count of every Deployment. */
  replicas(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.state().deployments).map(([n, d]) => [n, d.replicas]));
  }

  /** A ConfigMap, or undefined. */
  configMap(name: string): FakeConfigMap | undefined {
    return this.state().configmaps[name];
  }

  /** Invariant violations seen so far (expected to stay empty). */
  violations(): readonly string[] {
    return this.state().violations;
  }

  /** The Jobs of a kind that were created, in order, by their final outcome ("Complete" / "Failed"). */
  jobOutcomes(kind: FakeJob["kind"]): string[] {
    return this.state()
      .events.filter((e) => e.startsWith(`job ${kind} `))
      .map((e) => e.slice(`job ${kind} `.length));
  }

  /** The state-changing events in order (scale, job, annotate, helm upgrade/rollback, delete). */
  events(): readonly string[] {
    return this.state().events;
  }
}
