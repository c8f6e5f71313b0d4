/**
 * What reading a spec file promises a user (issue #16, src/spec/file.ts; `milvus-cluster -f`): a well-formed file is
 * one mapping; every problem is one R-SPEC-FILE problem on field "file" that names the file with the line and column
 * where the problem is (`milvus.yaml:3:1`), never a stack trace. Rows assert the position and the kind of problem,
 * not the wording.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { MilvusClusterError } from "../../src/errors";
import { rule } from "../../src/rules";
import { MAX_SPEC_ALIASES, MAX_SPEC_FILE_BYTES, MAX_SPEC_INDENT, MAX_SPEC_NESTING, parseSpecText, parseYamlMapping, readSpecFile, YamlTextError } from "../../src/spec/file";

/** `file:line:col` (or just `file`) that the one problem names, and its rule. */
function where(fn: () => unknown): { at: string; ruleId: string; field: string; message: string; fix: string } {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    expect(e.problems).toHaveLength(1);
    const p = e.problems[0]!;
    const at = /^(.+?)(?:: | )/.exec(p.message)?.[1] ?? "";
    return { at, ruleId: p.ruleId, field: p.field, message: p.message, fix: p.fix };
  }
  throw new Error("expected a MilvusClusterError");
}

describe("parseSpecText: where the problem is", () => {
  it.each<[string, string, string, RegExp]>([
    ["a tab as indentation", "version: 2.6.4\nhelmValues:\n\tlog: {}\n", "m.yaml:3:1", /tab/i],
    ["a duplicate key", "version: 2.6.4\nmode: cluster\nversion: 2.5.16\n", "m.yaml:3:1", /twice/],
    ["a nested duplicate key", "version: 2.6.4\nhelmValues:\n  log:\n    level: info\n    level: debug\n", "m.yaml:5:5", /twice/],
    ["a second document", "version: 2.6.4\n---\nversion: 2.5.16\n", "m.yaml:2:1", /2 YAML documents/],
    ["binary content", "version: 2.6.4\nmode: clu\u0000ster\n", "m.yaml:2:10", /binary/],
    ["DEL", "version: 2.6.4\u007f\n", "m.yaml:1:15", /binary/],
    ["binary as the first character", "\u0000version: 2.6.4\n", "m.yaml:1:1", /binary/],
    ["binary after a newline at index 1", "#\n\u0007x: 1\n", "m.yaml:2:1", /binary/],
    ["binary on a last line without a newline", "version: 2.6.4\nmode: \u0001", "m.yaml:2:7", /binary/],
    ["an over-indented last line without a newline", `version: 2.6.4\nhelmValues:\n${" ".repeat(MAX_SPEC_INDENT + 1)}a: 1`, "m.yaml:3:1", new RegExp(`${MAX_SPEC_INDENT} columns`)],
    ["a backspace (below tab)", "version: 2.6\u0008.4\n", "m.yaml:1:13", /binary/],
    ["a shift-out (above CR)", "mode: cluster\nversion: \u000e\n", "m.yaml:2:10", /binary/],
    ["flow-map nesting over the limit", `version: 2.6.4\nhelmValues: ${"{a: ".repeat(MAX_SPEC_NESTING + 1)}1${"}".repeat(MAX_SPEC_NESTING + 1)}\n`, `m.yaml:2:${13 + 4 * MAX_SPEC_NESTING}`, new RegExp(`${MAX_SPEC_NESTING} levels`)],
    ["an invalid byte decoded as U+FFFD", "version: \ufffd\n", "m.yaml:1:10", /binary/],
    ["a syntax error", "version: [2.6.4\n", "m.yaml:2:1", /./],
    ["indentation over the limit", `version: 2.6.4\nhelmValues:\n${" ".repeat(MAX_SPEC_INDENT + 1)}a: 1\n`, "m.yaml:3:1", new RegExp(`${MAX_SPEC_INDENT} columns`)],
    ["flow nesting over the limit", `version: 2.6.4\nhelmValues: ${"[".repeat(MAX_SPEC_NESTING + 1)}${"]".repeat(MAX_SPEC_NESTING + 1)}\n`, `m.yaml:2:${13 + MAX_SPEC_NESTING}`, new RegExp(`${MAX_SPEC_NESTING} levels`)],
  ])("%s", (_what, text, at, message) => {
    const w = where(() => parseSpecText(text, "m.yaml"));
    expect([w.field, w.ruleId, w.at]).toEqual(["file", "R-SPEC-FILE", at]);
    expect(w.message).toMatch(message);
    expect(w.fix.length).toBeGreaterThan(0);
    // The position is given once, in front; the yaml library's own " at line N, column M" is not repeated.
    expect(w.message).not.toMatch(/at line \d+, column \d+/);
  });

  it("a syntax error past line 9 and column 9 is named once, in front, with the library's problem and nothing after it", () => {
    const text = `${Array.from({ length: 11 }, (_, i) => `k${i}: ${i}`).join("\n")}\nabcdefghij: x: y\n`;
    const w = where(() => parseSpecText(text, "m.yaml"));
    expect([w.field, w.ruleId, w.at]).toEqual(["file", "R-SPEC-FILE", "m.yaml:12:13"]);
    expect(w.message).not.toMatch(/at line \d+, column \d+/);
    expect(w.message).toMatch(/nested mappings are not allowed in compact mappings$/i);
  });

  it("the error's own message names the spec file in its first line", () => {
    try {
      parseSpecText("version: [2.6.4\n", "cluster-a.yaml");
      throw new Error("not refused");
    } catch (e) {
      expect((e as Error).message.split("\n")[0]).toContain("cluster-a.yaml");
    }
  });

  it("a tab as indentation says YAML indents with spaces; another syntax error does not", () => {
    expect(where(() => parseSpecText("version: 2.6.4\nhelmValues:\n\tlog: {}\n", "m.yaml")).message).toContain("spaces");
    expect(where(() => parseSpecText("version: [2.6.4\n", "m.yaml")).message).not.toContain("spaces");
  });

  it.each<[string, string, RegExp]>([
    ["an empty file", "", /mapping|empty/],
    ["a comment only", "# nothing\n", /mapping|empty/],
    ["a list", "- version: 2.6.4\n", /not a YAML mapping/],
    ["a scalar", "2.6.4\n", /not a YAML mapping/],
    ["null", "~\n", /not a YAML mapping/],
    ["an alias bomb", `a: &a [x, x]\n${Array.from({ length: MAX_SPEC_ALIASES + 1 }, (_, i) => `k${i}: *a`).join("\n")}\n`, /cannot be expanded/],
  ])("%s: refused, naming the file", (_what, text, message) => {
    const w = where(() => parseSpecText(text, "spec.yaml"));
    expect([w.field, w.ruleId, w.at]).toEqual(["file", "R-SPEC-FILE", "spec.yaml"]);
    expect(w.message).toMatch(message);
    expect(w.fix.trim().length).toBeGreaterThan(3);
  });

  it("exactly MAX_SPEC_INDENT columns and MAX_SPEC_NESTING levels are accepted", () => {
    const deep = `${"[".repeat(MAX_SPEC_NESTING)}1${"]".repeat(MAX_SPEC_NESTING)}`;
    expect(parseSpecText(`version: 2.6.4\nhelmValues: { a: ${deep} }\n`.replace("{ a: ", "").replace(" }\n", "\n"), "m.yaml")).toHaveProperty("version", "2.6.4");
    const indented = `version: 2.6.4\nhelmValues:\n${" ".repeat(MAX_SPEC_INDENT)}a: 1\n`;
    expect(parseSpecText(indented, "m.yaml")).toEqual({ version: "2.6.4", helmValues: { a: 1 } });
  });

  it("nesting is depth, not count: many sibling flow collections, each closed, pass", () => {
    const siblings = Array.from({ length: MAX_SPEC_NESTING + 10 }, (_, i) => `k${i}: {a: [1], b: {c: 2}}`).join(", ");
    expect(Object.keys(parseSpecText(`version: 2.6.4\nhelmValues: {${siblings}}\n`, "m.yaml")["helmValues"] as object)).toHaveLength(MAX_SPEC_NESTING + 10);
  });

  it("tab, VT, FF and CR are text, not binary", () => {
    expect(parseSpecText("a: 'x\ty'\r\nb: 2\n", "m.yaml")).toEqual({ a: "x\ty", b: 2 });
    for (const c of ["\u000b", "\u000c"]) {
      const w = (() => {
        try {
          return parseSpecText(`a: 1\n# ${c}\n`, "m.yaml");
        } catch (e) {
          return (e as MilvusClusterError).problems[0]!.message;
        }
      })();
      expect(JSON.stringify(w)).not.toContain("binary");
    }
  });

  // R-SPEC-FILE allows MAX_SPEC_ALIASES (100) aliases of one anchor. The yaml library counts the anchor itself too
  // (node_modules/yaml/dist/nodes/Alias.js), so file.ts passes maxAliasCount MAX_SPEC_ALIASES + 1; these rows pin the
  // exact boundary, per anchor, for a scalar and a mapping anchor.
  const aliases = (n: number, anchor: string, prefix: string): string => Array.from({ length: n }, (_, i) => `${prefix}${i}: *${anchor}`).join("\n");
  it.each<[string, string, boolean]>([
    ["a scalar anchor with MAX_SPEC_ALIASES aliases", `a: &a x\n${aliases(MAX_SPEC_ALIASES, "a", "k")}\n`, true],
    ["a scalar anchor with MAX_SPEC_ALIASES + 1 aliases", `a: &a x\n${aliases(MAX_SPEC_ALIASES + 1, "a", "k")}\n`, false],
    ["a mapping anchor with MAX_SPEC_ALIASES aliases", `a: &a {p: 1, q: 2}\n${aliases(MAX_SPEC_ALIASES, "a", "k")}\n`, true],
    ["a mapping anchor with MAX_SPEC_ALIASES + 1 aliases", `a: &a {p: 1, q: 2}\n${aliases(MAX_SPEC_ALIASES + 1, "a", "k")}\n`, false],
    ["two anchors with MAX_SPEC_ALIASES aliases each", `a: &a x\nb: &b y\n${aliases(MAX_SPEC_ALIASES, "a", "k")}\n${aliases(MAX_SPEC_ALIASES, "b", "j")}\n`, true],
  ])("%s: accepted %s", (_what, text, accepted) => {
    if (accepted) {
      const parsed = parseSpecText(text, "m.yaml");
      expect(parsed["k0"]).toEqual(parsed["a"]);
      expect(parsed[`k${MAX_SPEC_ALIASES - 1}`]).toEqual(parsed["a"]);
      return;
    }
    const w = where(() => parseSpecText(text, "m.yaml"));
    expect([w.field, w.ruleId, w.at]).toEqual(["file", "R-SPEC-FILE", "m.yaml"]);
    expect(w.message).toMatch(/cannot be expanded/);
    expect(w.fix).toContain(String(MAX_SPEC_ALIASES));
  });

  it("R-SPEC-FILE states the alias limit the parser applies", () => {
    expect(MAX_SPEC_ALIASES).toBe(100);
    expect(rule("R-SPEC-FILE").detail).toContain(`at most ${MAX_SPEC_ALIASES} aliases of one anchor`);
  });

  it("a text over the size limit is refused before it is parsed", () => {
    const w = where(() => parseSpecText(`version: 2.6.4\n#${"x".repeat(MAX_SPEC_FILE_BYTES)}\n`, "big.yaml"));
    expect([w.ruleId, w.at]).toEqual(["R-SPEC-FILE", "big.yaml"]);
    expect(w.message).toContain(String(MAX_SPEC_FILE_BYTES));
    expect(w.fix.trim().length).toBeGreaterThan(3);
    const exactly = `version: 2.6.4\n#${"x".repeat(MAX_SPEC_FILE_BYTES - 17)}\n`;
    expect(exactly).toHaveLength(MAX_SPEC_FILE_BYTES);
    expect(parseSpecText(exactly, "ok.yaml")).toEqual({ version: "2.6.4" });
    expect(where(() => parseSpecText(`${exactly} `, "big.yaml")).at).toBe("big.yaml");
  });

  it("a valid spec parses into its mapping; comments, anchors and nested maps as YAML says", () => {
    const text = "# a spec\nversion: v2.6.4\nmode: cluster\nqueryNode: &qn\n  replicas: 2\ndataNode: *qn\nhelmValues:\n  log: { level: debug }\n";
    expect(parseSpecText(text, "m.yaml")).toEqual({ version: "v2.6.4", mode: "cluster", queryNode: { replicas: 2 }, dataNode: { replicas: 2 }, helmValues: { log: { level: "debug" } } });
  });

  it("keys that differ only in type are still duplicates in one mapping; equal keys in two mappings are not", () => {
    expect(where(() => parseSpecText("1: a\n'1': b\n", "m.yaml")).at).toBe("m.yaml:2:1");
    expect(parseSpecText("a:\n  x: 1\nb:\n  x: 2\n", "m.yaml")).toEqual({ a: { x: 1 }, b: { x: 2 } });
    expect(where(() => parseSpecText("? [a]\n: 1\n? [a]\n: 2\n", "m.yaml")).message).toMatch(/twice/);
    expect(() => parseSpecText("? [a]\n: 1\n? [b]\n: 2\n", "m.yaml")).not.toThrow();
  });
});

describe("parseYamlMapping (config files in extraConfigFiles too)", () => {
  it("throws YamlTextError with the position and a fix", () => {
    let err: unknown;
    try {
      parseYamlMapping("a: 1\na: 2\n");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(YamlTextError);
    const e = err as YamlTextError;
    expect(e.at).toEqual({ line: 2, col: 1 });
    expect(e.name).toBe("YamlTextError");
    expect(e.fix.length).toBeGreaterThan(0);
  });

  it("positions count lines after the first newline correctly", () => {
    try {
      parseYamlMapping("a: 1\n\n\nb: 2\nb: 3\n");
      throw new Error("not refused");
    } catch (e) {
      expect((e as YamlTextError).at).toEqual({ line: 5, col: 1 });
    }
    try {
      parseYamlMapping("a:\n  b: 1\n  b: 2\n");
      throw new Error("not refused");
    } catch (e) {
      expect((e as YamlTextError).at).toEqual({ line: 3, col: 3 });
    }
  });

  it("tabs inside a value and CR/LF line ends are fine", () => {
    expect(parseYamlMapping("a: 'x\ty'\r\nb: 2\r\n")).toEqual({ a: "x\ty", b: 2 });
  });
});

describe("readSpecFile", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mc-spec-"));
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it("reads a file of exactly the size limit", () => {
    const p = file("exact.yaml", `version: 2.6.4\n#${"x".repeat(MAX_SPEC_FILE_BYTES - 17)}\n`);
    expect(readSpecFile(p)).toEqual({ version: "2.6.4" });
  });

  it("reads a UTF-8 file, with or without a byte-order mark", () => {
    expect(readSpecFile(file("a.yaml", "version: 2.6.4\n"))).toEqual({ version: "2.6.4" });
    expect(readSpecFile(file("bom.yaml", "\ufeffversion: 2.6.4\n"))).toEqual({ version: "2.6.4" });
  });

  it.each<[string, () => string, RegExp]>([
    ["a missing path", () => path.join(dir, "missing.yaml"), /does not exist/],
    [
      "a directory",
      () => {
        const d = path.join(dir, "sub");
        mkdirSync(d, { recursive: true });
        return d;
      },
      /directory/,
    ],
    ["a file over the size limit", () => file("big.yaml", `version: 2.6.4\n#${"x".repeat(MAX_SPEC_FILE_BYTES)}\n`), new RegExp(`${MAX_SPEC_FILE_BYTES}`)],
    ["a file one byte over the size limit (é is two bytes)", () => file("big2.yaml", `version: 2.6.4\n#${"x".repeat(MAX_SPEC_FILE_BYTES - 18)}é\n`), new RegExp(`${MAX_SPEC_FILE_BYTES}`)],
    ["invalid UTF-8", () => file("latin1.yaml", Buffer.from([0x76, 0x3a, 0x20, 0xe9, 0x0a])), /UTF-8/],
    ["a problem inside the file", () => file("dup.yaml", "a: 1\na: 2\n"), /twice/],
    ["a path through a file (ENOTDIR)", () => path.join(file("plain.yaml", "a: 1\n"), "x.yaml"), /cannot be read \(ENOTDIR\)/],
  ])("%s: one R-SPEC-FILE problem naming the file", (_what, make, message) => {
    const p = make();
    const w = where(() => readSpecFile(p));
    expect([w.field, w.ruleId]).toEqual(["file", "R-SPEC-FILE"]);
    expect(w.at.startsWith(p)).toBe(true);
    // One refusal, said once: a directory is not reported again as "cannot be read".
    if (!/ENOTDIR/.test(message.source)) expect(w.message).not.toContain("cannot be read");
    expect(w.message).toMatch(message);
    expect(w.fix.length).toBeGreaterThan(0);
  });

  const root = typeof process.getuid === "function" && process.getuid() === 0;
  (root ? it.skip : it)("an unreadable file: R-SPEC-FILE naming the error code", () => {
    const p = file("locked.yaml", "version: 2.6.4\n");
    chmodSync(p, 0o000);
    const w = where(() => readSpecFile(p));
    expect(w.ruleId).toBe("R-SPEC-FILE");
    expect(w.message).toContain("EACCES");
    chmodSync(p, 0o644);
  });
});
