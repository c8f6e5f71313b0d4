/**
 * The executor is TypeScript in real files: no source file carries a shell program or a hand-written JSON reader in a
 * string (the shell executor did, with an awk JSON flattener), and nothing starts a shell.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

const SRC = path.join(__dirname, "../../src");

describe("no shell program in TypeScript strings", () => {
  it.each([
    ["a shebang", /#!\/bin\/(ba)?sh/],
    ["a shell prologue", /\bset -e[uf]?\b/],
    ["an awk or sed program", /\b(awk|sed) ['"-]/],
    ["a shell invocation", /["'`]\/bin\/(ba)?sh["'`]|\bsh -c\b|shell: true/],
    ["a JSON flattener", /json_flatten|flat_get|JSON_FLATTEN/],
  ])("no source file contains %s", (_what, pattern) => {
    const hits = sources(SRC).filter((f) => pattern.test(fs.readFileSync(f, "utf8")));
    expect(hits.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});
