#!/usr/bin/env node
/**
 * Prints the mutation score per file from Stryker's JSON report (.stryker/reports/mutation.json), as issue #16
 * counts it: killed / (killed + survived + no coverage); timeouts and compile errors (the TypeScript checker's) are
 * listed apart. With `--without <test file>...` it also prints the score the suite had without those test files,
 * computed from the same run (run Stryker with --disableBail so that every killing test is recorded).
 *
 *   node test/mutation/figures.mjs [report.json] [--without test/core/plan-promises.test.ts ...]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Counts a file's mutants as issue #16 does; with `drop` (test ids), as if those tests did not exist.
 * @param {readonly object[]} mutants the `mutants` of one file of a Stryker JSON report
 * @param {ReadonlySet<string>} drop test ids to leave out
 */
export function score(mutants, drop) {
  const c = { killed: 0, survived: 0, noCoverage: 0, timeout: 0, compileError: 0, ignored: 0 };
  for (const m of mutants) {
    const keep = (ids) => (ids ?? []).filter((id) => !drop.has(id));
    if (m.status === "Killed") {
      if (drop.size === 0 || keep(m.killedBy).length > 0) c.killed++;
      else if (keep(m.coveredBy).length > 0) c.survived++;
      else c.noCoverage++;
    } else if (m.status === "Survived") {
      if (drop.size === 0 || keep(m.coveredBy).length > 0) c.survived++;
      else c.noCoverage++;
    } else if (m.status === "NoCoverage") c.noCoverage++;
    else if (m.status === "Timeout") c.timeout++;
    else if (m.status === "CompileError") c.compileError++;
    else c.ignored++;
  }
  const valid = c.killed + c.survived + c.noCoverage;
  return { ...c, valid, percent: valid ? ((100 * c.killed) / valid).toFixed(1) : "n/a" };
}

function main() {
  const args = process.argv.slice(2);
  const split = args.indexOf("--without");
  const reportPath = (split === -1 ? args : args.slice(0, split))[0] ?? ".stryker/reports/mutation.json";
  const without = new Set(split === -1 ? [] : args.slice(split + 1));
  const report = JSON.parse(readFileSync(reportPath, "utf8"));
  const excludedIds = new Set();
  for (const [file, tf] of Object.entries(report.testFiles ?? {})) {
    if ([...without].some((w) => file.endsWith(w))) for (const t of tf.tests) excludedIds.add(t.id);
  }
  const rows = [];
  for (const [file, f] of Object.entries(report.files)) {
    rows.push({ file, scope: "all tests", ...score(f.mutants, new Set()) });
    if (without.size > 0) rows.push({ file, scope: `without ${[...without].join(", ")}`, ...score(f.mutants, excludedIds) });
  }
  console.table(rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
