import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { planUpgrade } from "../../src";
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
    expect(r.out).toContain("helm upgrade vectors milvus --repo https://zilliztech.github.io/milvus-helm --version 4.2.58 --namespace milvus --reset-values -f step-1.yaml --wait --wait-for-jobs --timeout 900s");
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

describe("README", () => {
  it("the rules table is generated from src/rules and current", () => {
    const out = execFileSync(process.execPath, ["scripts/readme-rules.mjs", "--check"], { cwd: join(__dirname, "../.."), encoding: "utf8" });
    expect(out).toMatch(/up to date/);
  });
});
