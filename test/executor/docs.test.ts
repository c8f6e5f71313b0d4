/** docs/executor-runtime.md documents every exit code of EXIT_CODES, with its number, in the code's order. */
import * as fs from "node:fs";
import * as path from "node:path";
import { EXIT_CODES } from "../../src/executor";

describe("docs/executor-runtime.md", () => {
  it("the exit code table equals EXIT_CODES", () => {
    const doc = fs.readFileSync(path.join(__dirname, "../../docs/executor-runtime.md"), "utf8");
    const table = /<!-- exit-codes:begin -->([\s\S]*?)<!-- exit-codes:end -->/.exec(doc)?.[1] ?? "";
    const rows = [...table.matchAll(/^\| (\d+) \| ([A-Z_]+) \| (.+) \|$/gm)].map((m) => [m[2], Number(m[1])]);
    expect(rows).toEqual(Object.entries(EXIT_CODES));
    for (const m of table.matchAll(/^\| \d+ \| [A-Z_]+ \| (.+) \|$/gm)) expect(m[1]!.length).toBeGreaterThan(10);
  });
});
