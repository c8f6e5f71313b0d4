/**
 * Spec files given to the CLI with -f: every broken or hostile file ends in one clean error (exit 2) naming the file,
 * the line and the column and citing R-SPEC-FILE, never a stack trace or exit 70. Parsing time is measured by
 * bench, not here; the size limit is what keeps it bounded.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { MAX_SPEC_FILE_BYTES, MAX_SPEC_NESTING, readSpecFile } from "../../src/spec/file";

const dir = mkdtempSync(join(tmpdir(), "mc-spec-"));

function bomb(): string {
  let text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = "a";
  for (const n of "bcdefgh") {
    text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
    prev = n;
  }
  return `version: 2.6.4\nhelmValues:\n${text.replace(/^/gm, "  ")}`;
}

const CASES: readonly [string, string | Buffer | null, RegExp][] = [
  ["a YAML syntax error", "version: [2.6.4\n", /:2:1: .*Flow sequence/],
  ["a tab used as indentation", "version: 2.6.4\nqueryNode:\n\treplicas: 2\n", /:3:1: Tabs are not allowed as indentation/],
  ["a duplicate key", "version: 2.6.4\nmode: cluster\nmode: standalone\n", /:3:1: the key "mode" appears twice/],
  ["a duplicate key deep inside", "version: 2.6.4\nhelmValues:\n  proxy:\n    replicas: 1\n    replicas: 2\n", /:5:5: the key "replicas" appears twice/],
  ["several documents", "version: 2.6.4\n---\nversion: 2.5.8\n", /:2:1: holds 2 YAML documents/],
  ["an alias bomb", bomb(), /cannot be expanded: Excessive alias count/],
  ["very deep flow nesting", `version: 2.6.4\nhelmValues: {a: ${"[".repeat(20000)}${"]".repeat(20000)}}\n`, new RegExp(`:2:\\d+: nests more than ${MAX_SPEC_NESTING} levels deep`)],
  ["very deep block nesting", `version: 2.6.4\nhelmValues:\n${Array.from({ length: 400 }, (_, i) => `${" ".repeat(2 * (i + 1))}k:`).join("\n")} 1\n`, /:\d+:1: is indented more than 256 columns/],
  ["binary content", Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x41]), /is not UTF-8 text \(binary content\)/],
  ["control characters in UTF-8 text", "version: 2.6.4\x00\n", /:1:15: holds binary content/],
  ["a list instead of a mapping", "- version: 2.6.4\n", /is not a YAML mapping/],
  ["an empty file", "", /is not a YAML mapping|is empty/],
  ["a file over the size limit", `version: 2.6.4\nhelmValues:\n  x: "${"y".repeat(MAX_SPEC_FILE_BYTES)}"\n`, /spec files are limited to 524288 bytes/],
  ["a missing path", null, /does not exist/],
];

describe("spec files (R-SPEC-FILE)", () => {
  it.each(CASES)("%s: exit 2 with the file, line and column", async (name, content, message) => {
    const file = join(dir, `${name.replace(/\W+/g, "-")}.yaml`);
    if (content !== null) writeFileSync(file, content);
    let err = "";
    const code = await runCli(["plan", "--to", "2.6.4", "-f", file], () => undefined, (s) => {
      err += s;
    });
    expect(code).toBe(2);
    expect(err).toContain(`error: file: ${file}`);
    expect(err).toMatch(message);
    expect(err).toMatch(/\[R-SPEC-FILE\] Fix: .{5,}/);
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a directory: exit 2", async () => {
    const d = join(dir, "a-directory");
    mkdirSync(d);
    let err = "";
    expect(await runCli(["values", "--version", "2.6.4", "-f", d], () => undefined, (s) => {
      err += s;
    })).toBe(2);
    expect(err).toContain("is a directory");
  });

  it("a valid file still works, with a BOM and comments", () => {
    const file = join(dir, "ok.yaml");
    writeFileSync(file, "\ufeff# my spec\nversion: 2.6.4\nqueryNode: { replicas: 2 }\n");
    expect(readSpecFile(file)).toEqual({ version: "2.6.4", queryNode: { replicas: 2 } });
  });

  it("a map of 20,000 keys (about 0.5 MB) parses with one duplicate check per map, and a duplicate among them is found", () => {
    const file = join(dir, "big.yaml");
    const keys = Array.from({ length: 20000 }, (_, i) => `    k${i}: "v${i}"`);
    writeFileSync(file, `version: 2.6.4\nhelmValues:\n  x:\n${keys.join("\n")}\n`);
    expect(Object.keys((readSpecFile(file)["helmValues"] as { x: object }).x)).toHaveLength(20000);
    writeFileSync(file, `version: 2.6.4\nhelmValues:\n  x:\n${keys.join("\n")}\n    k7: "again"\n`);
    expect(() => readSpecFile(file)).toThrow(/:20004:5: the key "k7" appears twice/);
  });
});
