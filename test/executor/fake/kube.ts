/**
 * Test support: the Kubernetes side of the fake cluster, in TypeScript. A `FakeKube` keeps the namespaced objects of
 * one release as plain JSON data (`FakeKubeState`) and answers `kubectl` argv with what the real kubectl prints:
 * `-o json` objects shaped like the API's (the executor reads them with JSON.parse; a test validates them against the
 * Kubernetes schemas), `-o name` lines, `NotFound`/`Forbidden` errors on stderr with exit code 1.
 *
 * What it models, each driven by knobs so a test can put the cluster in any state:
 * - Deployments with replicas and `kubectl scale`; their pods, which linger `podLingerPolls` pod listings after a
 *   scale-down (Terminating), and run the image of the release's current revision (asked from the release model);
 * - ConfigMaps (`create`/`apply`/`annotate`/`delete`), PVCs (Bound, or Pending with `claimPending`), StorageClasses
 *   (or "forbidden": a namespaced ServiceAccount may not list them), HPAs, the release's etcd Service and pods;
 * - the etcd behind it: session keys of running (and terminating) Milvus pods plus `lingeringSessionPolls` leftover
 *   keys, read by `kubectl exec <etcd pod> -- etcdctl get --prefix --keys-only <prefix>`; the metadata layout
 *   ("2.1" | "2.2" | "partial") and the backup file;
 * - Jobs of the meta-migration tool, which finish after `jobPolls` polls with `Complete` or `Failed` as the real tool
 *   would (it fails while sessions are alive, `run` fails on metadata that is not 2.1, `rollback` needs the backup)
 *   or as injected with `failJob`;
 * - `rollout status` and the health proxy (`get --raw .../proxy/healthz`) of the core flow's gate, and the same
 *   `/healthz` asked from inside the cluster (`httpGet http://<service>.<namespace>.svc:9091/healthz`): 200 "OK",
 *   500 with the reason, or no answer at all (`healthzUnreachable`, e.g. a NetworkPolicy or a missing Service).
 *
 * Invariant violations are recorded, never thrown: Milvus of one layout running on metadata of another, a Job started
 * with unfilled placeholders, objects outside the release namespace, a namespaced call without `-n`.
 *
 * The helm side (revisions, upgrade, rollback) belongs to the release model; it tells this model what helm did with
 * `helmUpgraded` / `helmRolledBack` (a real helm upgrade or rollback applies the chart's replicas, 1, to every
 * Deployment) and answers `currentTag()` through `FakeKubeLink`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandResult } from "../../../src/executor/cluster-client";
// Loaded on first use: every call of the fake executables is a new process.
import { yaml } from "../../../src/util/lazy-yaml";

/** What the kube model asks of the release model. */
export interface FakeKubeLink {
  /** Image tag the release's Deployments run now (its latest revision's, or a frozen image). */
  currentTag(): string;
}

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

/** Setup of the cluster around the release. */
export interface FakeKubeSetup {
  /** @default "milvus" */
  readonly namespace?: string;
  /** @default "my-milvus" */
  readonly release?: string;
  /** @default FAKE_21_DEPLOYMENTS */
  readonly deployments?: readonly FakeDeployment[];
  /** `Kind/name` targets of HorizontalPodAutoscalers. @default none */
  readonly hpaTargets?: readonly string[];
  /** StorageClasses, or "forbidden" (the executor may not list them). @default one default class "standard" */
  readonly storageClasses?: readonly FakeStorageClass[] | "forbidden";
  /** Whether the release has a bundled etcd (Service and pods). @default true */
  readonly bundledEtcd?: boolean;
  /** kubectl exec is forbidden. @default false */
  readonly execForbidden?: boolean;
  /** etcdctl polls (and tool starts) that still see a leftover session key after the pods are gone. @default 1 */
  readonly lingeringSessionPolls?: number;
  /** Pod listings that still show a pod after its Deployment was scaled down (Terminating). @default 1 */
  readonly podLingerPolls?: number;
  /** Polls of a Job before it reports its condition. @default 2 */
  readonly jobPolls?: number;
  /** The backup PVC stays Pending (nothing provisions it). @default false */
  readonly claimPending?: boolean;
  /**
   * The kubeconfig's contexts: name -> the kube-system uid of the cluster it reaches. Only the identity read
   * (`get namespace kube-system`) differs between them; the model holds one cluster, the release's.
   * @default { fake: "fake-kube-system-uid" }
   */
  readonly contexts?: Readonly<Record<string, string>>;
  /** The kubeconfig's current context (calls without `--context`). @default the first of `contexts` */
  readonly currentContext?: string;
}

/** A StorageClass of the fake. */
export interface FakeStorageClass {
  readonly name: string;
  readonly isDefault: boolean;
}

/** Kind of a meta-migration Job (by its config file). */
export type FakeJobKind = "backup" | "migrate" | "rollback";

/** A Job the fake ran. */
export interface FakeJob {
  readonly kind: FakeJobKind;
  /** Condition types that are True, e.g. ["SuccessCriteriaMet", "Complete"]; empty while active. */
  conditions: string[];
  /** Polls left before it finishes; null when it never finishes by itself (an interrupted run's Job). */
  pollsLeft: number | null;
  log: string;
  readonly manifest: Record<string, unknown>;
}

/** A ConfigMap of the fake. */
export interface FakeConfigMap {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  data: Record<string, string>;
}

/** A PVC of the fake. */
export interface FakePvc {
  phase: string;
  readonly storageClassName?: string;
  readonly manifest: Record<string, unknown>;
}

/** The whole state as JSON data (what the fake binaries keep in their state directory). */
export interface FakeKubeState {
  namespace: string;
  release: string;
  deployments: Record<string, { component: string; replicas: number }>;
  /** Pods going away: name -> pod listings left. */
  terminating: Record<string, { deployment: string; pollsLeft: number }>;
  configmaps: Record<string, FakeConfigMap>;
  pvcs: Record<string, FakePvc>;
  jobs: Record<string, FakeJob>;
  /** coordination.k8s.io Leases (the executor's lock) as stored, with their resourceVersion. */
  leases: Record<string, Record<string, unknown>>;
  /** Last resourceVersion handed out. */
  resourceVersion: number;
  /** Injected failures per Job kind, consumed one per Job. */
  jobFailures: Partial<Record<FakeJobKind, string[]>>;
  /** Metadata layout in etcd. */
  meta: "2.1" | "2.2" | "partial";
  /** Layout saved in the backup file, null when there is none. */
  backupFile: string | null;
  lingering: number;
  hpaTargets: string[];
  storageClasses: FakeStorageClass[] | "forbidden";
  bundledEtcd: boolean;
  execForbidden: boolean;
  claimPending: boolean;
  podLingerPolls: number;
  jobPolls: number;
  /** `rollout status` fails (a Deployment that never becomes ready). */
  rolloutFail: boolean;
  /** What the health proxy answers ("ok" is healthy). */
  healthz: string;
  /** The Service's `/healthz` gives no answer from inside the cluster: the connection error, e.g. "connect ECONNREFUSED 10.96.0.12:9091". */
  healthzUnreachable: string | null;
  /** Every in-cluster HTTP GET: the URL. */
  httpCalls: string[];
  violations: string[];
  /** Every create/apply: "Kind/name". */
  created: string[];
  /** Every state change in order: "scale name=N", "job backup Complete", "annotate k=v", "helm upgrade v2.2.0", ... */
  events: string[];
  /** argv of every kubectl call. */
  calls: string[][];
  /** The kubeconfig's contexts: name -> kube-system uid of the cluster it reaches. */
  contexts: Record<string, string>;
  currentContext: string;
  /** The context flag of every helm and kubectl call, in order ("" for none: the current context). */
  contextCalls: string[];
  /** What the executables saw as KUBECONFIG, per call: the path and its contents then (null: unset or unreadable). */
  kubeconfigs: { path: string | null; content: string | null }[];
}

/** A fresh state for `setup`. */
export function newKubeState(setup: FakeKubeSetup = {}): FakeKubeState {
  const deployments = setup.deployments ?? FAKE_21_DEPLOYMENTS;
  return {
    namespace: setup.namespace ?? "milvus",
    release: setup.release ?? "my-milvus",
    deployments: Object.fromEntries(deployments.map((d) => [d.name, { component: d.component, replicas: d.replicas }])),
    terminating: {},
    configmaps: {},
    pvcs: {},
    jobs: {},
    leases: {},
    resourceVersion: 100,
    jobFailures: {},
    meta: "2.1",
    backupFile: null,
    lingering: setup.lingeringSessionPolls ?? 1,
    hpaTargets: [...(setup.hpaTargets ?? [])],
    storageClasses: setup.storageClasses === "forbidden" ? "forbidden" : [...(setup.storageClasses ?? [{ name: "standard", isDefault: true }])],
    bundledEtcd: setup.bundledEtcd ?? true,
    execForbidden: setup.execForbidden ?? false,
    claimPending: setup.claimPending ?? false,
    podLingerPolls: setup.podLingerPolls ?? 1,
    jobPolls: setup.jobPolls ?? 2,
    rolloutFail: false,
    healthz: "ok",
    healthzUnreachable: null,
    httpCalls: [],
    violations: [],
    created: [],
    events: [],
    calls: [],
    contexts: { ...(setup.contexts ?? { fake: "fake-kube-system-uid" }) },
    currentContext: setup.currentContext ?? Object.keys(setup.contexts ?? { fake: "" })[0]!,
    contextCalls: [],
    kubeconfigs: [],
  };
}

/** A kubectl call that ends with an error (stderr, exit code). */
class KubectlError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function notFound(kind: string, name: string): never {
  throw new KubectlError(1, `Error from server (NotFound): ${kind} "${name}" not found`);
}

function usage(message: string): never {
  throw new KubectlError(2, `fake kubectl: ${message}`);
}

/** Parsed kubectl argv. */
interface Argv {
  readonly pos: string[];
  readonly flags: Record<string, string | true>;
  /** What follows `--` (the command of `exec`). */
  readonly rest: string[];
}

const VALUE_FLAGS: Readonly<Record<string, string>> = {
  "-n": "-n",
  "--namespace": "-n",
  "-l": "-l",
  "--selector": "-l",
  "-o": "-o",
  "--output": "-o",
  "-f": "-f",
  "--filename": "-f",
  "--field-selector": "--field-selector",
  "--timeout": "--timeout",
  "--tail": "--tail",
  "--replicas": "--replicas",
  "--cascade": "--cascade",
  "--raw": "--raw",
  "--request-timeout": "--request-timeout",
};
const BOOLEAN_FLAGS: readonly string[] = ["--ignore-not-found", "--overwrite"];

function parseArgv(args: readonly string[]): Argv {
  const o: Argv = { pos: [], flags: {}, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      o.rest.push(...args.slice(i + 1));
      break;
    }
    if (a === "") usage("empty argument");
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    if (eq) {
      const name = VALUE_FLAGS[eq[1]!] ?? (BOOLEAN_FLAGS.includes(eq[1]!) ? eq[1]! : usage(`unknown flag ${eq[1]}`));
      o.flags[name] = eq[2]!;
      continue;
    }
    if (VALUE_FLAGS[a]) {
      const v = args[++i];
      if (v === undefined) usage(`flag needs an argument: ${a}`);
      o.flags[VALUE_FLAGS[a]!] = v;
      continue;
    }
    if (a.startsWith("-")) {
      if (!BOOLEAN_FLAGS.includes(a)) usage(`unknown flag ${a}`);
      o.flags[a] = true;
      continue;
    }
    o.pos.push(a);
  }
  return o;
}

function matches(labels: Readonly<Record<string, string>>, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(",").every((term) => {
    const ne = term.split("!=");
    if (ne.length === 2) return labels[ne[0]!] !== ne[1];
    const eq = term.split("=");
    return labels[eq[0]!] === eq[1];
  });
}

function minorOf(tag: string): number {
  const m = /^v?(\d+)\.(\d+)\./.exec(tag);
  return m ? Number(m[1]) * 100 + Number(m[2]) : 0;
}

const PLACEHOLDER = /@[A-Z_]+@/;

/** The kube model over a state; see the file comment. */
export class FakeKube {
  constructor(
    /** The state this model changes (persisted by the caller in the binaries' mode). */
    readonly state: FakeKubeState,
    private readonly link: FakeKubeLink,
    /** Directory relative `-f` paths are read from. @default process.cwd() */
    private readonly cwd = process.cwd(),
  ) {}

  // ------------------------------------------------------------------ derived objects

  private labelsOf(name: string): Record<string, string> {
    const d = this.state.deployments[name]!;
    return { "app.kubernetes.io/instance": this.state.release, "app.kubernetes.io/name": d.component === "attu" ? "attu" : "milvus", component: d.component };
  }

  private isMilvus(component: string): boolean {
    return component !== "attu" && component !== "cdc";
  }

  /** Whether a Milvus pod runs (not counting Terminating ones). */
  milvusRunning(): boolean {
    return Object.values(this.state.deployments).some((d) => this.isMilvus(d.component) && d.replicas > 0);
  }

  private liveSessions(): boolean {
    return this.milvusRunning() || Object.keys(this.state.terminating).length > 0 || this.state.lingering > 0;
  }

  /** Records a violation when Milvus runs on metadata of another layout. */
  private check(where: string): void {
    if (!this.milvusRunning()) return;
    const tag = this.link.currentTag();
    const want = minorOf(tag) >= 202 ? "2.2" : "2.1";
    if (this.state.meta !== want) this.state.violations.push(`${where}: Milvus ${tag} runs on metadata ${this.state.meta}`);
  }

  private image(component: string): string {
    return component === "attu" ? "zilliz/attu:v2.2.8" : `milvusdb/milvus:${this.link.currentTag()}`;
  }

  private deploymentObject(name: string): Record<string, unknown> {
    const d = this.state.deployments[name]!;
    const labels = this.labelsOf(name);
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace: this.state.namespace, labels, generation: 1 },
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: d.component, image: this.image(d.component) }] } },
      },
      status: { observedGeneration: 1, replicas: d.replicas, readyReplicas: d.replicas, updatedReplicas: d.replicas, availableReplicas: d.replicas },
    };
  }

  private podObject(name: string, labels: Record<string, string>, image: string, terminating: boolean): Record<string, unknown> {
    return {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: this.state.namespace, labels, ...(terminating ? { deletionTimestamp: "2025-01-01T00:00:00Z" } : {}) },
      spec: { containers: [{ name: "main", image }] },
      status: { phase: "Running" },
    };
  }

  /** Pods of the release's Deployments matching `selector` (a pod listing counts down the Terminating ones). */
  private pods(selector: string | undefined): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const [name, d] of Object.entries(this.state.deployments)) {
      if (!matches(this.labelsOf(name), selector)) continue;
      for (let i = 0; i < d.replicas; i++) out.push(this.podObject(`${name}-5d8f7-${i}`, this.labelsOf(name), this.image(d.component), false));
    }
    for (const [pod, t] of Object.entries(this.state.terminating)) {
      if (!this.state.deployments[t.deployment] || !matches(this.labelsOf(t.deployment), selector)) continue;
      out.push(this.podObject(pod, this.labelsOf(t.deployment), this.image(this.state.deployments[t.deployment]!.component), true));
      t.pollsLeft--;
      if (t.pollsLeft <= 0) delete this.state.terminating[pod];
    }
    return out;
  }

  private sessionKeys(prefix: string): string[] {
    const keys = [`${prefix}id`];
    for (const d of Object.values(this.state.deployments)) {
      if (!this.isMilvus(d.component)) continue;
      for (let i = 0; i < d.replicas; i++) keys.push(`${prefix}${d.component}-${i + 1}`);
    }
    for (const [pod, t] of Object.entries(this.state.terminating)) keys.push(`${prefix}${this.state.deployments[t.deployment]?.component ?? "proxy"}-${pod}`);
    if (!this.milvusRunning() && Object.keys(this.state.terminating).length === 0 && this.state.lingering > 0) {
      keys.push(`${prefix}querynode-99`);
      this.state.lingering--;
    }
    return keys;
  }

  private list(items: unknown[]): string {
    return `${JSON.stringify({ apiVersion: "v1", kind: "List", items, metadata: { resourceVersion: "" } }, null, 2)}\n`;
  }

  private needNamespace(o: Argv): void {
    if (o.flags["-n"] !== this.state.namespace) this.state.violations.push(`kubectl ${o.pos.join(" ")} without -n ${this.state.namespace}`);
  }

  // ------------------------------------------------------------------ commands

  private get(o: Argv): string {
    if (o.flags["--raw"] !== undefined) return this.raw(String(o.flags["--raw"]));
    const kind = o.pos[1] ?? usage("get needs a kind");
    const name = o.pos[2];
    const out = o.flags["-o"];
    const json = out === "json";
    switch (kind) {
      case "namespace": {
        // The identity read of the local executor (connection.ts): kube-system's uid in the context used.
        if (name !== "kube-system" || out !== "jsonpath={.metadata.uid}") usage("unexpected namespace read");
        return this.state.contexts[this.usedContext] ?? usage(`no context ${this.usedContext}`);
      }
      case "deployments":
      case "deployment": {
        this.needNamespace(o);
        if (name) {
          if (!this.state.deployments[name]) notFound("deployments.apps", name);
          return json ? `${JSON.stringify(this.deploymentObject(name))}\n` : `deployment.apps/${name}\n`;
        }
        const names = Object.keys(this.state.deployments).filter((n) => matches(this.labelsOf(n), o.flags["-l"] as string | undefined));
        if (json) return this.list(names.map((n) => this.deploymentObject(n)));
        if (out === "name") return names.map((n) => `deployment.apps/${n}\n`).join("");
        return usage(`unexpected output ${String(out)} for deployments`);
      }
      case "pods": {
        this.needNamespace(o);
        const sel = (o.flags["-l"] as string | undefined) ?? "";
        if (!json) usage("pods need -o json");
        if (sel.includes("app.kubernetes.io/name=etcd")) {
          if (o.flags["--field-selector"] !== "status.phase=Running") usage("etcd pods without the Running field selector");
          const labels = { "app.kubernetes.io/instance": this.state.release, "app.kubernetes.io/name": "etcd" };
          return this.list(this.state.bundledEtcd ? [0, 1].map((i) => this.podObject(`${this.state.release}-etcd-${i}`, labels, "docker.io/milvusdb/etcd:3.5.0-r7", false)) : []);
        }
        return this.list(this.pods(sel));
      }
      case "services": {
        this.needNamespace(o);
        if (!json) usage("services need -o json");
        if (!String(o.flags["-l"] ?? "").includes("app.kubernetes.io/name=etcd")) usage("unexpected service selector");
        if (!this.state.bundledEtcd) return this.list([]);
        const svc = (svcName: string, clusterIP: string): Record<string, unknown> => ({
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: svcName, namespace: this.state.namespace, labels: { "app.kubernetes.io/instance": this.state.release, "app.kubernetes.io/name": "etcd" } },
          spec: {
            clusterIP,
            ports: [
              { name: "client", port: 2379, protocol: "TCP", targetPort: "client" },
              { name: "peer", port: 2380, protocol: "TCP", targetPort: "peer" },
            ],
          },
        });
        return this.list([svc(`${this.state.release}-etcd-headless`, "None"), svc(`${this.state.release}-etcd`, "10.96.0.20")]);
      }
      case "horizontalpodautoscalers": {
        this.needNamespace(o);
        if (!json) usage("HPAs need -o json");
        return this.list(
          this.state.hpaTargets.map((t, i) => {
            const [targetKind, targetName] = t.split("/");
            return {
              apiVersion: "autoscaling/v2",
              kind: "HorizontalPodAutoscaler",
              metadata: { name: `hpa-${i}`, namespace: this.state.namespace },
              spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: targetKind, name: targetName }, minReplicas: 1, maxReplicas: 5 },
            };
          }),
        );
      }
      case "storageclasses":
      case "storageclass": {
        const classes = this.state.storageClasses;
        if (classes === "forbidden") {
          throw new KubectlError(
            1,
            `Error from server (Forbidden): storageclasses.storage.k8s.io is forbidden: User "system:serviceaccount:${this.state.namespace}:upgrader" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope`,
          );
        }
        const object = (c: FakeStorageClass): Record<string, unknown> => ({
          apiVersion: "storage.k8s.io/v1",
          kind: "StorageClass",
          metadata: { name: c.name, ...(c.isDefault ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}) },
          provisioner: "rancher.io/local-path",
        });
        if (name) {
          const c = classes.find((x) => x.name === name);
          if (!c) notFound("storageclasses.storage.k8s.io", name);
          return json ? `${JSON.stringify(object(c))}\n` : `storageclass.storage.k8s.io/${name}\n`;
        }
        if (!json) usage("storageclasses need -o json");
        return this.list(classes.map(object));
      }
      case "configmap":
      case "configmaps": {
        this.needNamespace(o);
        if (!name) usage("configmap needs a name");
        const cm = this.state.configmaps[name] ?? notFound("configmaps", name);
        if (!json) usage("configmap needs -o json");
        return `${JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: this.state.namespace, labels: cm.labels, annotations: cm.annotations, resourceVersion: "42" }, data: cm.data }, null, 2)}\n`;
      }
      case "persistentvolumeclaims":
      case "persistentvolumeclaim": {
        this.needNamespace(o);
        const object = (pvc: FakePvc): Record<string, unknown> => ({ ...pvc.manifest, status: { phase: pvc.phase } });
        if (!name) {
          const hits = Object.entries(this.state.pvcs).filter(([, pvc]) => matches(((pvc.manifest["metadata"] as Record<string, unknown>)?.["labels"] as Record<string, string>) ?? {}, o.flags["-l"] as string | undefined));
          if (json) return this.list(hits.map(([, p]) => object(p)));
          return hits.map(([n]) => `persistentvolumeclaim/${n}\n`).join("");
        }
        const pvc = this.state.pvcs[name] ?? notFound("persistentvolumeclaims", name);
        if (out === "name") return `persistentvolumeclaim/${name}\n`;
        if (json) return `${JSON.stringify(object(pvc))}\n`;
        return usage(`unexpected pvc output ${String(out)}`);
      }
      case "lease":
      case "leases": {
        this.needNamespace(o);
        if (!name) usage("lease needs a name");
        const lease = this.state.leases[name] ?? notFound("leases.coordination.k8s.io", name);
        if (!json) usage("lease needs -o json");
        return `${JSON.stringify(lease)}\n`;
      }
      case "job":
      case "jobs": {
        this.needNamespace(o);
        if (!name) usage("job needs a name");
        const job = this.state.jobs[name] ?? notFound("jobs.batch", name);
        if (!json) usage("job needs -o json");
        this.advanceJob(name, job);
        const conditions = job.conditions.map((type) => ({ type, status: "True", lastTransitionTime: "2025-01-01T00:00:00Z", lastProbeTime: "2025-01-01T00:00:00Z" }));
        return `${JSON.stringify({ ...job.manifest, status: { ...(conditions.length > 0 ? { conditions } : { active: 1 }) } })}\n`;
      }
      default:
        return usage(`cannot get ${kind}`);
    }
  }

  /**
   * An HTTP GET from inside the cluster. Milvus answers 200 "OK" when healthy, else 500 with its reason as text
   * (milvus-io/milvus `internal/http/healthz/healthz_handler.go`); an unknown Service's name does not resolve.
   */
  httpGet(url: string): { status: number; body: string; error?: string } {
    this.state.httpCalls.push(url);
    const m = /^http:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc:9091\/healthz$/.exec(url);
    if (!m) {
      this.state.violations.push(`unexpected http GET ${url}`);
      return { status: 0, body: "", error: `unexpected URL ${url}` };
    }
    if (m[2] !== this.state.namespace) {
      this.state.violations.push(`health check in namespace ${m[2]}`);
      return { status: 0, body: "", error: `getaddrinfo ENOTFOUND ${m[1]}.${m[2]}.svc` };
    }
    if (this.state.healthzUnreachable !== null) return { status: 0, body: "", error: this.state.healthzUnreachable };
    if (this.state.healthz !== "ok") return { status: 500, body: this.state.healthz };
    return { status: 200, body: "OK" };
  }

  private raw(url: string): string {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+):9091\/proxy\/healthz$/.exec(url);
    if (!m) usage(`unexpected --raw ${url}`);
    if (m[1] !== this.state.namespace) this.state.violations.push(`health proxy in namespace ${m[1]}`);
    if (this.state.healthz !== "ok") throw new KubectlError(1, `Error from server (ServiceUnavailable): ${this.state.healthz}`);
    return "OK";
  }

  private jobKind(manifest: Record<string, unknown>): FakeJobKind {
    const spec = ((manifest["spec"] as Record<string, unknown>)["template"] as Record<string, unknown>)["spec"] as { containers: { command: string[] }[] };
    const cmd = spec.containers[0]!.command.join(" ");
    if (cmd.includes("backup.yaml")) return "backup";
    if (cmd.includes("migration.yaml")) return "migrate";
    if (cmd.includes("rollback.yaml")) return "rollback";
    return usage(`unknown job command ${cmd}`);
  }

  /** One poll of an active Job; when its polls are used up it runs, as the real tool would, and gets its condition. */
  private advanceJob(name: string, job: FakeJob): void {
    if (job.conditions.length > 0 || job.pollsLeft === null) return;
    job.pollsLeft--;
    if (job.pollsLeft > 0) return;
    job.pollsLeft = null;
    const st = this.state;
    const spec = ((job.manifest["spec"] as Record<string, unknown>)["template"] as Record<string, unknown>)["spec"] as { volumes: Record<string, Record<string, string>>[] };
    const claim = spec.volumes.find((v) => v["persistentVolumeClaim"])!["persistentVolumeClaim"]!["claimName"]!;
    const tools = st.configmaps[spec.volumes.find((v) => v["configMap"])!["configMap"]!["name"]!];
    let fail: string | null = null;
    if (!st.pvcs[claim]) fail = `volume claim ${claim} not found`;
    else if (st.pvcs[claim].phase !== "Bound") fail = "DeadlineExceeded: pod unschedulable, unbound PersistentVolumeClaim";
    else if (!tools) fail = "configmap not found";
    else if (Object.values(tools.data).some((t) => PLACEHOLDER.test(t))) {
      st.violations.push(`job ${name} started with unfilled placeholders`);
      fail = "bad config";
    } else if (this.liveSessions()) {
      if (st.lingering > 0) st.lingering--;
      fail = "there are still sessions alive, prefix: querynode";
    }
    const queued = st.jobFailures[job.kind] ?? [];
    if (!fail && queued.length > 0) {
      fail = queued.shift()!;
      if (job.kind === "migrate") st.meta = "partial";
    }
    if (!fail) {
      if (job.kind === "backup") st.backupFile = st.meta;
      if (job.kind === "migrate") {
        if (st.meta !== "2.1") fail = `load meta: unexpected layout ${st.meta}`;
        else st.meta = "2.2";
      }
      if (job.kind === "rollback") {
        if (st.backupFile === null) fail = "open /milvus/data/migration.bak: no such file";
        else st.meta = st.backupFile as FakeKubeState["meta"];
      }
    }
    job.conditions = fail ? ["FailureTarget", "Failed"] : ["SuccessCriteriaMet", "Complete"];
    job.log = fail ? `meta-migration: ${fail}\nmigration session expired` : `${job.kind} ok\nmigration session expired`;
    st.events.push(`job ${job.kind} ${fail ? "Failed" : "Complete"}`);
  }

  private readManifest(o: Argv, stdin: string | undefined): Record<string, unknown> {
    const file = o.flags["-f"];
    if (typeof file !== "string") usage("create/apply need -f");
    const text = file === "-" ? (stdin ?? usage("-f - without stdin")) : fs.readFileSync(path.resolve(this.cwd, file), "utf8");
    // JSON (what the executor sends on stdin) needs no YAML parser: the executables load yaml only for files.
    const doc = (text.trimStart().startsWith("{") ? JSON.parse(text) : yaml().parse(text)) as Record<string, unknown>;
    if (typeof doc !== "object" || doc === null) usage("manifest is not an object");
    return doc;
  }

  /** create or replace of a Lease: optimistic concurrency on metadata.resourceVersion, as the API server does. */
  private writeLease(o: Argv, doc: Record<string, unknown>, verb: "create" | "replace"): string {
    const metadata = (doc["metadata"] ?? {}) as Record<string, unknown>;
    const name = String(metadata["name"]);
    const existing = this.state.leases[name];
    if (verb === "create" && existing) throw new KubectlError(1, `Error from server (AlreadyExists): leases.coordination.k8s.io "${name}" already exists`);
    if (verb === "replace") {
      if (!existing) notFound("leases.coordination.k8s.io", name);
      const have = String((existing["metadata"] as Record<string, unknown>)["resourceVersion"]);
      if (metadata["resourceVersion"] !== have) {
        throw new KubectlError(1, `Error from server (Conflict): Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
    }
    const stored = { ...doc, metadata: { ...metadata, namespace: this.state.namespace, resourceVersion: String(++this.state.resourceVersion) } };
    this.state.leases[name] = stored;
    return o.flags["-o"] === "json" ? `${JSON.stringify(stored)}\n` : `lease.coordination.k8s.io/${name} ${verb === "create" ? "created" : "replaced"}\n`;
  }

  private createOrApply(o: Argv, stdin: string | undefined, apply: boolean, verb: "create" | "apply" | "replace" = apply ? "apply" : "create"): string {
    this.needNamespace(o);
    const st = this.state;
    const doc = this.readManifest(o, stdin);
    const kind = String(doc["kind"]);
    const metadata = (doc["metadata"] ?? {}) as Record<string, unknown>;
    const name = String(metadata["name"]);
    if (kind === "Lease") return this.writeLease(o, doc, verb === "replace" ? "replace" : "create");
    if (verb === "replace") usage(`cannot replace ${kind}`);
    if (metadata["namespace"] !== st.namespace) st.violations.push(`${kind}/${name} in namespace ${String(metadata["namespace"])}`);
    const text = JSON.stringify(doc);
    if (PLACEHOLDER.test(text) && kind !== "ConfigMap") st.violations.push(`${kind}/${name} has placeholders`);
    if (kind === "ConfigMap" && name.endsWith("-state") && PLACEHOLDER.test(text)) st.violations.push("state ConfigMap has placeholders");
    if (kind === "Job" && st.jobs[name]) throw new KubectlError(1, `Error from server (AlreadyExists): jobs.batch "${name}" already exists`);
    if (kind === "PersistentVolumeClaim" && st.pvcs[name]) throw new KubectlError(1, `Error from server (AlreadyExists): persistentvolumeclaims "${name}" already exists`);
    if (kind === "ConfigMap" && !apply && st.configmaps[name]) throw new KubectlError(1, `Error from server (AlreadyExists): configmaps "${name}" already exists`);
    st.created.push(`${kind}/${name}`);
    if (kind === "ConfigMap") {
      st.configmaps[name] = { labels: (metadata["labels"] as Record<string, string>) ?? {}, annotations: (metadata["annotations"] as Record<string, string>) ?? {}, data: (doc["data"] as Record<string, string>) ?? {} };
    } else if (kind === "PersistentVolumeClaim") {
      const spec = doc["spec"] as Record<string, unknown>;
      st.pvcs[name] = { phase: st.claimPending ? "Pending" : "Bound", ...(typeof spec["storageClassName"] === "string" ? { storageClassName: spec["storageClassName"] } : {}), manifest: doc };
    } else if (kind === "Job") {
      st.jobs[name] = { kind: this.jobKind(doc), conditions: [], pollsLeft: Math.max(1, st.jobPolls), log: "", manifest: doc };
    } else {
      usage(`cannot create ${kind}`);
    }
    return `${kind.toLowerCase()}/${name} ${apply ? "configured" : "created"}\n`;
  }

  private annotate(o: Argv): string {
    this.needNamespace(o);
    if (o.pos[1] !== "configmap" || o.flags["--overwrite"] !== true) usage("annotate configmap --overwrite only");
    const name = o.pos[2] ?? usage("annotate needs a name");
    const cm = this.state.configmaps[name] ?? notFound("configmaps", name);
    for (const kv of o.pos.slice(3)) {
      if (kv.endsWith("-")) delete cm.annotations[kv.slice(0, -1)];
      else {
        const i = kv.indexOf("=");
        cm.annotations[kv.slice(0, i)] = kv.slice(i + 1);
      }
    }
    this.state.events.push(`annotate ${o.pos.slice(3).join(" ")}`);
    return `configmap/${name} annotated\n`;
  }

  private delete(o: Argv): string {
    this.needNamespace(o);
    const [kind, ...names] = o.pos.slice(1);
    const st = this.state;
    const table: Record<string, unknown> | undefined = kind === "job" ? st.jobs : kind === "configmap" ? st.configmaps : kind === "persistentvolumeclaim" ? st.pvcs : undefined;
    if (!table) usage(`cannot delete ${String(kind)}`);
    let out = "";
    for (const n of names) {
      if (!table[n] && o.flags["--ignore-not-found"] !== true) notFound(String(kind), n);
      if (table[n]) {
        st.events.push(`delete ${kind} ${n}`);
        out += `${kind} "${n}" deleted\n`;
      }
      delete table[n];
    }
    return out;
  }

  private scale(o: Argv): string {
    this.needNamespace(o);
    const name = o.pos[2] ?? usage("scale needs a name");
    const d = o.pos[1] === "deployment" ? this.state.deployments[name] : undefined;
    if (!d) notFound("deployments.apps", name);
    const n = Number(o.flags["--replicas"]);
    if (!Number.isInteger(n) || n < 0) usage("bad --replicas");
    if (this.state.podLingerPolls > 0) for (let i = n; i < d.replicas; i++) this.state.terminating[`${name}-5d8f7-${i}`] = { deployment: name, pollsLeft: this.state.podLingerPolls };
    d.replicas = n;
    this.state.events.push(`scale ${name}=${n}`);
    this.check(`scale ${name}=${n}`);
    return `deployment.apps/${name} scaled\n`;
  }

  private exec(o: Argv): string {
    this.needNamespace(o);
    const pod = o.pos[1] ?? usage("exec needs a pod");
    if (this.state.execForbidden) throw new KubectlError(1, `Error from server (Forbidden): pods "${pod}" is forbidden: cannot create resource "pods/exec"`);
    if (!this.state.bundledEtcd || !pod.startsWith(`${this.state.release}-etcd-`)) notFound("pods", pod);
    const r = o.rest;
    if (r.slice(0, 4).join(" ") !== "etcdctl get --prefix --keys-only" || r.length !== 5) usage(`unexpected exec ${r.join(" ")}`);
    // etcdctl --keys-only prints each key followed by an empty line.
    return this.sessionKeys(r[4]!)
      .map((k) => `${k}\n\n`)
      .join("");
  }

  private logs(o: Argv): string {
    this.needNamespace(o);
    const job = this.state.jobs[(o.pos[1] ?? "").replace(/^job\//, "")];
    if (!job || job.conditions.length === 0) throw new KubectlError(1, "error: no pods found");
    return `${job.log}\n`;
  }

  private rollout(o: Argv): string {
    this.needNamespace(o);
    if (o.pos[1] !== "status") usage("only rollout status");
    const target = o.pos[2] ?? usage("rollout status needs a deployment");
    if (!this.state.deployments[target.replace(/^deployment\//, "")]) throw new KubectlError(1, `Error from server (NotFound): deployments.apps "${target}" not found`);
    if (this.state.rolloutFail) throw new KubectlError(1, "error: timed out waiting for the condition");
    return `deployment "${target.replace(/^deployment\//, "")}" successfully rolled out\n`;
  }

  /**
   * Runs one kubectl call against the model (records its argv first).
   * @param args argv without the binary
   * @param stdin what the caller wrote to standard input (`-f -`)
   */
  /** The context of the current call (set by `takeContext`). */
  private usedContext = "";

  /**
   * Strips a leading context flag (kubectl `--context=<name>`, helm `--kube-context=<name>`), records it and checks it
   * names a context of the kubeconfig: the rest of the argv, or the error the real tool gives for an unknown context.
   */
  takeContext(args: readonly string[], flag: "--context" | "--kube-context"): { args: readonly string[]; error?: CommandResult } {
    const first = args[0] ?? "";
    const given = first.startsWith(`${flag}=`) ? first.slice(flag.length + 1) : undefined;
    this.state.contextCalls.push(given ?? "");
    this.usedContext = given ?? this.state.currentContext;
    const rest = given === undefined ? args : args.slice(1);
    if (this.state.contexts[this.usedContext] === undefined) {
      const message = flag === "--context" ? `error: context "${this.usedContext}" does not exist` : `Error: Kubernetes cluster unreachable: context "${this.usedContext}" does not exist`;
      return { args: rest, error: { code: 1, stdout: "", stderr: `${message}\n` } };
    }
    return { args: rest };
  }

  kubectl(argv: readonly string[], stdin?: string): CommandResult {
    const { args, error } = this.takeContext(argv, "--context");
    if (error) return error;
    this.state.calls.push([...args]);
    try {
      const o = parseArgv(args);
      let stdout: string;
      switch (o.pos[0]) {
        case "get":
          stdout = this.get(o);
          break;
        case "create":
          stdout = this.createOrApply(o, stdin, false);
          break;
        case "apply":
          stdout = this.createOrApply(o, stdin, true);
          break;
        case "replace":
          stdout = this.createOrApply(o, stdin, false, "replace");
          break;
        case "annotate":
          stdout = this.annotate(o);
          break;
        case "delete":
          stdout = this.delete(o);
          break;
        case "scale":
          stdout = this.scale(o);
          break;
        case "exec":
          stdout = this.exec(o);
          break;
        case "logs":
          stdout = this.logs(o);
          break;
        case "rollout":
          stdout = this.rollout(o);
          break;
        default:
          usage(`unsupported command ${String(o.pos[0])}`);
      }
      return { code: 0, stdout, stderr: "" };
    } catch (e) {
      if (e instanceof KubectlError) return { code: e.code, stdout: "", stderr: `${e.message}\n` };
      throw e;
    }
  }

  // ------------------------------------------------------------------ what helm tells the model

  /**
   * helm upgraded the release (`failed`: helm failed; `rolledBack`: helm's own rollback then restored the previous
   * revision). A successful upgrade or helm's rollback applies the chart's replicas (1) to every Milvus Deployment.
   */
  helmUpgraded(outcome: "deployed" | "failed" | "rolled-back"): void {
    if (outcome === "failed") return;
    for (const d of Object.values(this.state.deployments)) if (this.isMilvus(d.component)) d.replicas = 1;
    this.state.events.push(outcome === "rolled-back" ? "helm upgrade failed, rolled back by helm" : `helm upgrade ${this.link.currentTag()}`);
    this.check(outcome === "rolled-back" ? "helm's own rollback" : "helm upgrade");
  }

  /** helm rolled the release back to `revision` (replicas as the chart renders them, 1). */
  helmRolledBack(revision: number): void {
    for (const d of Object.values(this.state.deployments)) if (this.isMilvus(d.component)) d.replicas = 1;
    this.state.events.push(`helm rollback ${revision}`);
    this.check("helm rollback");
  }

  // ------------------------------------------------------------------ knobs and views for tests

  /** The next `times` Jobs of this kind fail (a failed migrate leaves the metadata "partial", like a crash after Clean). */
  failJob(kind: FakeJobKind, times = 1): void {
    this.state.jobFailures[kind] = Array.from({ length: times }, () => `injected ${kind} failure`);
  }

  /** Removes the Job failure injections. */
  clearJobFailures(): void {
    this.state.jobFailures = {};
  }

  /** Leftover session keys for the next `polls` etcdctl polls or tool starts after the pods are gone. */
  lingerSessions(polls: number): void {
    this.state.lingering = polls;
  }

  /** Replica count of every Deployment. */
  replicas(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.state.deployments).map(([n, d]) => [n, d.replicas]));
  }

  /** A ConfigMap, or undefined. */
  configMap(name: string): FakeConfigMap | undefined {
    return this.state.configmaps[name];
  }

  /** Invariant violations seen so far (expected to stay empty). */
  violations(): readonly string[] {
    return this.state.violations;
  }

  /** The state-changing events in order (scale, job, annotate, helm upgrade/rollback, delete). */
  events(): readonly string[] {
    return this.state.events;
  }

  /** The Jobs of a kind that finished, in order, by outcome ("Complete" / "Failed"). */
  jobOutcomes(kind: FakeJobKind): string[] {
    return this.state.events.filter((e) => e.startsWith(`job ${kind} `)).map((e) => e.slice(`job ${kind} `.length));
  }
}
