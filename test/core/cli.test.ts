import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { allCharts, chartRecord, compareVersions, planUpgrade, RULES } from "../../src";
import { CLI_EXIT } from "../../src/cli/main";
import { cli } from "../support/cli";


describe("milvus-cluster CLI", () => {
  it("plan prints the two-step table of the README demo", async () => {
    const r = await cli("plan", "--from", "2.5.8", "--to", "2.6.4");
    expect(r.code).toBe(CLI_EXIT.ok);
    expect(r.out).toMatch(/1\s+2\.5\.16\s+4\.2\.58\s+https:\/\/zilliztech\.github\.io\/milvus-helm\s+helm-upgrade\s+rolling/);
    expect(r.out).toMatch(/2\s+2\.6\.4\s+5\.0\.6 .*R-26-TOPOLOGY/);
    expect(r.out).toMatch(/warning: Assumed the deployed 2\.5\.8 release/);
  });

  it("--output json prints exactly the UpgradePlan", async () => {
    const r = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "--coordinators", "separate", "-o", "json");
    expect(JSON.parse(r.out)).toEqual(planUpgrade({ from: { version: "2.5.8", coordinators: "separate" }, to: { version: "2.6.4" } }));
    expect(JSON.parse(r.out).steps).toHaveLength(2);
  });

  it("--output commands prints runnable helm upgrades with values files, and --write-values writes them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-cli-"));
    const r = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands", "--release", "vectors", "-n", "milvus", "--write-values", dir);
    expect(r.out).toContain(`helm upgrade vectors milvus --repo https://zilliztech.github.io/milvus-helm --version 4.2.58 --namespace milvus --reset-values -f ${join(dir, "step-1.yaml")} --wait --wait-for-jobs --timeout 900s`);
    expect(r.out).toContain("--version 5.0.6");
    // One duration syntax (15m, 900s, 900); helm receives seconds.
    const five = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands", "--release", "vectors", "-n", "milvus", "--timeout", "5m");
    expect(five.out).toContain("--timeout 300s");
    const bad = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands", "--timeout", "5 min");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/timeout: "5 min" is not a duration \[R-INPUT\]/);
    expect(YAML.parse(readFileSync(join(dir, "step-2.yaml"), "utf8"))).toMatchObject({ streaming: { enabled: true } });
  });

  it("--output mermaid draws the chain", async () => {
    const r = await cli("plan", "--from", "2.1.4", "--to", "2.6.4", "-o", "mermaid");
    expect(r.out.split("\n")[0]).toBe("flowchart LR");
    expect(r.out).toContain("meta-migration, offline");
  });

  it.each([
    [["plan", "--from", "2.6.4", "--to", "2.5.8"], CLI_EXIT.refused, /R-DOWNGRADE.*Fix:/s],
    [["plan", "--from", "2.6.0-rc1", "--to", "2.6.4"], CLI_EXIT.refused, /R-PRERELEASE-SOURCE/],
    [["plan", "--from", "2.5.8", "--to", "2.6.4", "--mode", "standalone", "--mq", "pulsarv3", "-f", "SPEC"], CLI_EXIT.refused, /R-MODE-KEEP/],
    [["plan", "--to", "2.6"], CLI_EXIT.usage, /R-VERSION-FORMAT/],
    [["plan", "--to", "2.6.4", "--mq", "rabbitmq"], CLI_EXIT.usage, /Allowed choices/],
    [["plan", "--from", "2.5.8"], CLI_EXIT.usage, /required option '--to/],
    [["frobnicate"], CLI_EXIT.usage, /unknown command/],
  ])("%j exits %i", async (argv, code, stderr) => {
    const dir = mkdtempSync(join(tmpdir(), "mc-cli-"));
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, "mode: cluster\n");
    const r = await cli(...(argv as string[]).map((a) => (a === "SPEC" ? spec : a)));
    expect(r.code).toBe(code);
    expect(r.err).toMatch(stderr);
  });

  it("values prints YAML for a version and spec file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-cli-"));
    const spec = join(dir, "spec.yaml");
    writeFileSync(spec, "mode: standalone\nmessageQueue: rocksmq\nstandalone:\n  replicas: 1\n");
    const r = await cli("values", "--version", "2.6.4", "-f", spec);
    expect(r.code).toBe(0);
    const doc = YAML.parse(r.out);
    expect(doc).toMatchObject({ cluster: { enabled: false }, standalone: { messageQueue: "rocksmq", replicas: 1 } });
  });

  it("versions lists Milvus versions with their charts; explain shows a rule", async () => {
    const v = await cli("versions");
    expect(v.out).toMatch(/2\.5\.16\s+4\.2\.58/);
    const e = await cli("explain", "R-26-VIA-2516");
    expect(e.out).toMatch(/2\.5\.16.*mixCoordinator/s);
    expect(e.out).toMatch(/Source:/);
    expect((await cli("explain", "R-NOPE")).code).toBe(CLI_EXIT.usage);
  });

  it("the compiled bin runs (npm run demo)", () => {
    const bin = join(__dirname, "../../dist/cli/main.js");
    if (!existsSync(bin)) throw new Error("dist/cli/main.js missing: npm test builds first (pretest)");
    const out = execFileSync(process.execPath, [bin, "plan", "--from", "2.5.8", "--to", "2.6.4"], { encoding: "utf8" });
    expect(out).toMatch(/2 steps/);
  });
});

describe("docs", () => {
  it("the rules tables in docs/upgrade-paths.md and docs/reliability.md are generated from src/rules and current", () => {
    const out = execFileSync(process.execPath, ["scripts/readme-rules.mjs", "--check"], { cwd: join(__dirname, "../.."), encoding: "utf8" });
    expect(out).toMatch(/up to date/);
  });
});

describe("milvus-cluster CLI as a Helm user expects it", () => {
  const fresh = () => mkdtempSync(join(tmpdir(), "mc-cli-"));

  it("--version prints the library version and the catalog's newest chart", async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string };
    const newest = allCharts()
      .filter((c) => c.published)
      .map((c) => c.chart)
      .sort(compareVersions)
      .pop();
    const r = await cli("--version");
    expect(r.code).toBe(CLI_EXIT.ok);
    expect(r.out).toBe(`milvus-cluster ${pkg.version} (catalog: newest chart ${newest}, Milvus ${chartRecord(newest!)?.milvus})\n`);
    expect((await cli("-V")).out).toBe(r.out);
  });

  it("plan -o commands through the 2.1 -> 2.2 metadata migration prints milvus-cluster apply there, never a helm upgrade past it", async () => {
    const spec = join(fresh(), "spec.yaml");
    writeFileSync(spec, "queryNode: { replicas: 2 }\n");
    const r = await cli("plan", "--from", "2.1.4", "--to", "2.6.4", "--mq", "pulsar", "-f", spec, "-o", "commands", "--release", "vectors", "-n", "milvus");
    expect(r.code).toBe(CLI_EXIT.ok);
    const commands = r.out.split("\n").filter((l) => !l.startsWith("#") && l.trim() !== "");
    expect(commands).toEqual([`milvus-cluster apply --release vectors --namespace milvus --to 2.6.4 --expected-from 2.1.4 --mq pulsar -f ${spec}`]);
    expect(r.out).toMatch(/# step 1: offline metadata migration to 2\.2\.0 \(R-META-MIGRATION\): not a helm upgrade/);
    expect(r.out).toMatch(/# The listing stops here: steps 1-3 run inside milvus-cluster apply/);
    expect(r.out).not.toMatch(/^helm /m);
  });

  it("plan -o commands from 2.0.x prints the helm step before the migration, then the apply command", async () => {
    const r = await cli("plan", "--from", "2.0.2", "--to", "2.2.14", "--mq", "pulsar", "-o", "commands");
    const commands = r.out.split("\n").filter((l) => !l.startsWith("#") && l !== "");
    expect(commands).toHaveLength(2);
    expect(commands[0]).toMatch(/^helm upgrade milvus milvus .*-f step-1\.yaml /);
    expect(commands[1]).toBe("milvus-cluster apply --release milvus --namespace default --to 2.2.14 --expected-from 2.0.2 --mq pulsar");
  });

  it("the -f paths of -o commands are the files --write-values wrote (absolute), relative ones are stated", async () => {
    const cwd = process.cwd();
    const base = fresh();
    process.chdir(base);
    try {
      const r = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands", "--write-values", "out/values");
      expect(r.code).toBe(CLI_EXIT.ok);
      const paths = [...r.out.matchAll(/ -f (\S+)/g)].map((m) => m[1]!);
      expect(paths).toEqual([join(base, "out/values/step-1.yaml"), join(base, "out/values/step-2.yaml")].map((p) => realpathOr(p)));
      for (const p of paths) expect(existsSync(p)).toBe(true);
      expect(r.out).toMatch(/^# Values files: written to \//);
    } finally {
      process.chdir(cwd);
    }
    const plain = await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands");
    expect(plain.out.split("\n")[0]).toMatch(/relative to the directory you run these in/);
    expect(plain.out).toContain(" -f step-2.yaml ");
  });

  it("an install step carries --create-namespace when asked for, and only then", async () => {
    const asked = await cli("plan", "--to", "2.6.4", "-o", "commands", "-n", "milvus", "--create-namespace");
    expect(asked.out).toMatch(/^helm upgrade milvus --install --create-namespace milvus .*--namespace milvus /m);
    expect((await cli("plan", "--to", "2.6.4", "-o", "commands")).out).not.toContain("--create-namespace");
    // Not on upgrades: the namespace of an existing release exists.
    expect((await cli("plan", "--from", "2.5.8", "--to", "2.6.4", "-o", "commands", "--create-namespace")).out).not.toContain("--create-namespace");
  });

  it.each([
    ["an existing file", (d: string) => writeFileSync(join(d, "x"), "keep me\n"), "x", /exists and is not a directory/],
    ["a non-empty directory", (d: string) => writeFileSync(join(d, "other.yaml"), "keep: me\n"), ".", /is not empty/],
  ])("--write-values onto %s is refused cleanly, nothing written", async (_what, prepare, target, message) => {
    const d = fresh();
    prepare(d);
    const before = readdirSync(d).map((f) => [f, readFileSync(join(d, f), "utf8")]);
    const r = await cli("plan", "--to", "2.6.4", "-o", "commands", "--write-values", join(d, target));
    expect(r.code).toBe(CLI_EXIT.usage);
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/write-values: .*\[R-INPUT\] Fix: name a new or empty directory/);
    expect(r.out).toBe("");
    expect(readdirSync(d).map((f) => [f, readFileSync(join(d, f), "utf8")])).toEqual(before);
  });

  it("values -f spec.yaml takes the version from the file; a contradicting --version is refused, an agreeing one accepted", async () => {
    const spec = join(fresh(), "spec.yaml");
    writeFileSync(spec, "version: 2.5.16\nmode: standalone\nmessageQueue: rocksmq\n");
    const r = await cli("values", "-f", spec);
    expect(r.code).toBe(CLI_EXIT.ok);
    expect(r.out.split("\n")[0]).toBe("# Milvus 2.5.16 on chart 4.2.58");
    expect(YAML.parse(r.out)).toMatchObject({ image: { all: { tag: "v2.5.16" } } });
    expect((await cli("values", "-f", spec, "--version", "2.5.16")).out).toBe(r.out);
    const bad = await cli("values", "-f", spec, "--version", "2.6.4");
    expect(bad.code).toBe(CLI_EXIT.usage);
    expect(bad.err).toMatch(/version: --version 2\.6\.4 contradicts version: 2\.5\.16 in .*spec\.yaml \[R-INPUT\] Fix: drop --version/);
    const none = await cli("values", "--mode", "standalone");
    expect(none.code).toBe(CLI_EXIT.usage);
    expect(none.err).toMatch(/version: no Milvus version given \[R-INPUT\] Fix: pass --version/);
  });

  it("explain cites sources a user can open: URLs, or docs shipped in the package; never internal files", async () => {
    const shipped = (p: string) => existsSync(join(__dirname, "../..", p));
    for (const rule of RULES) {
      const r = await cli("explain", rule.id);
      const source = /^Source: (.*)$/m.exec(r.out)?.[1] ?? "";
      expect([rule.id, source]).toEqual([rule.id, rule.source]);
      const urls = source.match(/https:\/\/[^\s,;)]+/g) ?? [];
      const docs = source.match(/docs\/[\w-]+\.md/g) ?? [];
      expect([rule.id, urls.length + docs.length > 0]).toEqual([rule.id, true]);
      for (const d of docs) expect([rule.id, d, shipped(d)]).toEqual([rule.id, d, true]);
      expect([rule.id, /FACTS|DESIGN\.md|\.tsv|values-keys|research/.test(source)]).toEqual([rule.id, false]);
    }
  });
});

/** The path with symlinks resolved when it exists (tmpdir may be a symlink, process.cwd() is resolved). */
function realpathOr(p: string): string {
  return existsSync(p) ? realpathSync(p) : p;
}
