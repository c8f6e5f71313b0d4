/**
 * What the rule catalog promises a user (issue #16): `milvus-cluster explain` lists every rule with its id, kind and
 * title and explains one with its detail, source and fix (src/cli/main.ts), and every refusal, warning and step of a
 * plan cites a rule id that `explain` can look up. Rows pin the kind of every rule and whether it tells the user how
 * to comply; the contents of the texts are free, their presence is not.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { findRule, RULES, type RuleKind, rule } from "../../src/rules/rules";

const SRC = path.resolve(__dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Every `R-...` id cited in a source file of the given folders of src/. */
function citedIds(folders: readonly string[]): Map<string, string> {
  const cited = new Map<string, string>();
  for (const folder of folders) {
    for (const file of sourceFiles(path.join(SRC, folder))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bR-[A-Z0-9]+(?:-[A-Z0-9]+)*\b/g)) {
        if (!cited.has(m[0])) cited.set(m[0], path.relative(SRC, file));
      }
    }
  }
  return cited;
}

describe("every rule: kind, and whether explain gives a fix", () => {
  // [id, kind, has a fix]
  const rows: [string, RuleKind, boolean][] = [
    ["R-TARGET", "stop", false],
    ["R-INSTALL", "stop", false],
    ["R-26-VIA-2516", "stop", false],
    ["R-26-TOPOLOGY", "values", true],
    ["R-META-MIGRATION", "stop", false],
    ["R-META-SOURCE", "stop", false],
    ["R-DOWNGRADE", "refusal", true],
    ["R-PRERELEASE-SOURCE", "refusal", true],
    ["R-PRERELEASE-TARGET", "refusal", true],
    ["R-MILVUS-1X", "refusal", true],
    ["R-MQ-KEEP", "refusal", true],
    ["R-MODE-KEEP", "refusal", true],
    ["R-PULSAR2-CHARTS", "chart-selection", true],
    ["R-PULSAR2-FRESH", "values", false],
    ["R-PULSAR-SUBCHART", "refusal", true],
    ["R-PULSAR2-PIN", "values", false],
    ["R-23-CHART", "chart-selection", true],
    ["R-CONFIG-FILES", "values", true],
    ["R-CHART-KEYS", "values", true],
    ["R-RESET-VALUES", "values", true],
    ["R-DEFAULT-FLIPS", "values", false],
    ["R-STANDALONE-MQ", "values", false],
    ["R-REPO-MOVE", "values", false],
    ["R-ROLLING", "downtime", false],
    ["R-RECREATE", "downtime", false],
    ["R-COORD-HA", "input", true],
    ["R-MQ-SUPPORT", "input", true],
    ["R-HELM-MIN", "requirement", true],
    ["R-CHART-MINOR", "chart-selection", true],
    ["R-CHART-PUBLISHED", "chart-selection", true],
    ["R-KNOWN-VERSION", "input", true],
    ["R-VERSION-FORMAT", "input", true],
    ["R-ETCD-CHART-8", "values", false],
    ["R-SPEC-FILE", "input", true],
    ["R-INPUT", "input", true],
    ["R-CATALOG-OVERLAY", "input", true],
    ["R-CATALOG-CONTRADICTS", "input", true],
    ["R-RELEASE-IDENTITY", "refusal", true],
    ["R-GUARD-NONE", "input", true],
    ["R-LOCAL-CLUSTER", "refusal", true],
    ["R-GITOPS-TTL", "input", true],
  ];

  it("lists exactly these rules, each id once", () => {
    expect(RULES.map((r) => r.id)).toEqual(rows.map(([id]) => id));
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  it.each(rows)("%s is a %s rule (fix given: %s)", (id, kind, hasFix) => {
    const r = rule(id);
    expect(r.id).toBe(id);
    expect(r.kind).toBe(kind);
    expect(r.fix !== undefined).toBe(hasFix);
    if (hasFix) expect(r.fix!.trim().length).toBeGreaterThan(10);
    expect(findRule(id)).toBe(r);
  });

  it.each(rows)("%s explains itself: a title, a detail and a source that cites a document", (id) => {
    const r = rule(id);
    expect(r.title.trim().length).toBeGreaterThan(10);
    expect(r.detail.trim().length).toBeGreaterThan(20);
    // A source is a URL, a document of this package, or the planner contract.
    expect(r.source).toMatch(/https:\/\/|docs\/|this library/);
  });

  it("every refusal, chart-selection and input rule says how to comply", () => {
    for (const r of RULES.filter((x) => x.kind === "refusal" || x.kind === "chart-selection" || x.kind === "input")) {
      expect([r.id, r.fix === undefined]).toEqual([r.id, false]);
    }
  });

  it("the 2.6 rules cite the 2.6 upgrade guide and the chart 5.0.0 README", () => {
    for (const id of ["R-26-VIA-2516", "R-26-TOPOLOGY"]) {
      expect(rule(id).source).toContain("https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md");
      expect(rule(id).source).toContain("milvus-5.0.0/charts/milvus/README.md");
    }
  });
});

describe("lookups", () => {
  it.each(["R-NOPE", "", "r-target", " R-TARGET"])("an unknown id %j: rule() throws, findRule() is undefined", (id) => {
    expect(() => rule(id)).toThrow(/unknown rule id/);
    expect(findRule(id)).toBeUndefined();
  });

  it("every rule id the core cites (versions, catalog, rules, spec, values, plan, executor, cli) can be explained", () => {
    const cited = citedIds(["versions", "catalog", "rules", "spec", "values", "plan", "executor", "cli"]);
    expect(cited.size).toBeGreaterThan(30);
    const unknown = [...cited].filter(([id]) => findRule(id) === undefined).map(([id, file]) => `${id} (${file})`);
    expect(unknown).toEqual([]);
  });
});
