/**
 * Runs the bad-input catalogue (bad-inputs.ts) through every surface each input applies to. For each: the error names
 * the field and the rule id and says how to fix it; the Pulumi component registers no resource; the cdk8s construct
 * synthesizes nothing; the CLI exits 1 (refused) or 2 (invalid) with the same on stderr.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Chart, Testing } from "cdk8s";
import YAML from "yaml";
import { type InputProblem, MilvusClusterError, type MilvusSpec, chartFor, planUpgrade, valuesFor } from "../../src";
import { MilvusCluster as Cdk8sMilvusCluster } from "../../src/cdk8s";
import { runCli } from "../../src/cli/main";
import { MilvusCluster as PulumiMilvusCluster } from "../../src/pulumi";
import { installMocks, registered } from "../pulumi/helpers";
import { findRule } from "../../src/rules/rules";
import { CHART_EXCLUSIONS } from "../../src/rules/tables";
import { BAD_INPUTS, type BadInput, type Surface } from "./bad-inputs";

beforeAll(async () => {
  await installMocks();
});

const versionOf = (from: BadInput["from"]) => (typeof from === "string" ? from : from?.version);

function expectProblem(problems: readonly InputProblem[], entry: BadInput, fields: string[]): void {
  const hit = problems.find((p) => p.ruleId === entry.ruleId && fields.includes(p.field));
  if (!hit) expect(problems.map((p) => `${p.field} [${p.ruleId}]`)).toContain(`${fields[0]} [${entry.ruleId}]`);
  expect(hit!.fix.length).toBeGreaterThan(5);
}

function coreProblems(f: () => unknown): readonly InputProblem[] {
  try {
    f();
  } catch (e) {
    if (e instanceof MilvusClusterError) return e.problems;
    throw e;
  }
  throw new Error("no error was raised");
}

const runners: Record<Surface, (e: BadInput) => Promise<void> | void> = {
  plan(e) {
    expectProblem(coreProblems(() => planUpgrade({ from: e.from, to: e.spec as unknown as MilvusSpec })), e, [e.field]);
  },
  values(e) {
    const spec = e.spec as unknown as MilvusSpec;
    let chart = "5.0.6";
    try {
      chart = chartFor(spec.version, { chartVersion: spec.chartVersion }).chart;
    } catch {
      // A malformed version is refused by valuesFor itself; any known chart will do.
    }
    expectProblem(coreProblems(() => valuesFor(spec, chart)), e, [e.field]);
  },
  pulumi(e) {
    const before = registered.length;
    const from = versionOf(e.from);
    const args = { namespace: "milvus", ...e.spec, ...(e.pulumi ?? {}), ...(e.adapter ?? {}), ...(from ? { expectedFrom: from } : {}) };
    let error: unknown;
    try {
      new PulumiMilvusCluster(`bad-${e.id.toLowerCase()}`, args as never);
    } catch (x) {
      error = x;
    }
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const errors = (error as pulumi.InputPropertiesError).errors;
    const field = e.pulumiField ?? (e.field === "from" ? "expectedFrom" : e.field);
    const hit = errors.find((x) => x.propertyPath === field && x.reason.includes(`[${e.ruleId}]`));
    if (!hit) expect(errors.map((x) => `${x.propertyPath}: ${x.reason}`)).toContain(`${field}: ... [${e.ruleId}] ...`);
    expect(hit!.reason).toMatch(/Fix: .{5,}/);
    expect(registered.length).toBe(before);
  },
  cdk8s(e) {
    const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
    const props = { ...e.spec, ...(e.adapter ?? {}), ...(e.from ? { from: versionOf(e.from) } : {}) };
    let message = "";
    try {
      new Cdk8sMilvusCluster(chart, "milvus", props as never);
    } catch (x) {
      message = String((x as Error).message);
    }
    expect(message).toContain(`- ${e.field}: `);
    expect(message).toContain(`[${e.ruleId}]`);
    expect(message).toMatch(/Fix: .{5,}/);
    expect(Testing.synth(chart)).toEqual([]);
  },
  async cli(e) {
    const dir = mkdtempSync(join(tmpdir(), "mc-bad-"));
    const { version, ...rest } = e.spec;
    const file = join(dir, "spec.yaml");
    writeFileSync(file, YAML.stringify(rest));
    const from = versionOf(e.from);
    let err = "";
    const code = await runCli(
      ["plan", "--to", String(version), ...(from ? ["--from", from] : []), "-f", file, ...(e.cliArgs ?? [])],
      () => undefined,
      (s) => {
        err += s;
      },
    );
    // A refusal by a rule exits 1 (the rule's kind is "refusal", or a chart exclusion refuses the path); bad input 2.
    const refused = findRule(e.ruleId)?.kind === "refusal" || CHART_EXCLUSIONS.some((x) => x.ruleId === e.ruleId);
    expect(code).toBe(refused ? 1 : 2);
    const field = e.field === "version" ? "(version|to)" : e.field.replace(/\./g, "\\.");
    expect(err).toMatch(new RegExp(`${field}: .*\\[${e.ruleId}\\] Fix: .{5,}`));
  },
};

const cases = BAD_INPUTS.flatMap((e) => e.surfaces.map((s) => [e.id, s, e.what, e] as const));

describe("bad-input catalogue", () => {
  it("has at least 100 distinct inputs, each tried on at least one surface", () => {
    expect(new Set(BAD_INPUTS.map((e) => e.id)).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases)("%s on %s: %s", async (_id, surface, _what, entry) => {
    await runners[surface](entry);
  });
});
