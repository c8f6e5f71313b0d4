#!/usr/bin/env node
/**
 * `npm run test:mutation`: mutation testing of the pure core (issue #16), one file at a time with the test files that
 * exercise it (test/mutation/files.mjs), then the table of scores as the issue counts them.
 *
 *   npm run test:mutation                      every file of files.mjs, in order
 *   npm run test:mutation -- plan tables       only these (names from files.mjs)
 *   npm run test:mutation -- --figures         print the table from the saved reports, run nothing
 *   npm run test:mutation -- --concurrency 2   test runners per file (default: stryker.config.json's)
 *
 * Each file keeps its own incremental file (.stryker/incremental-<name>.json) and report
 * (.stryker/reports/<name>.json), so a re-run after a change only tests the mutants whose code or covering tests
 * changed, and runs of different files never overwrite each other's results. Stryker reads stryker.config.json and
 * takes per file `mutate`, the incremental file and the report names from here; the file's test list reaches the jest config
 * (test/mutation/jest.mutation.config.js) as MILVUS_MUTATION_TESTS, which Stryker's test runner processes inherit.
 */
import { existsSync, readFileSync } from "node:fs";
import { Stryker } from "@stryker-mutator/core";
import { MUTATION_FILES } from "./files.mjs";
import { score } from "./figures.mjs";

const args = process.argv.slice(2);
const figuresOnly = args.includes("--figures");
const concurrencyAt = args.indexOf("--concurrency");
const concurrency = concurrencyAt === -1 ? undefined : Number(args[concurrencyAt + 1]);
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
  throw new Error(`--concurrency needs a positive integer, got ${args[concurrencyAt + 1]}`);
}
const names = args.filter((a, i) => !a.startsWith("--") && (concurrencyAt === -1 || i !== concurrencyAt + 1));
const unknown = names.filter((n) => !MUTATION_FILES.some((f) => f.name === n));
if (unknown.length > 0) {
  throw new Error(`unknown file name(s) ${unknown.join(", ")}; use one of ${MUTATION_FILES.map((f) => f.name).join(", ")}`);
}
const selected = names.length === 0 ? MUTATION_FILES : MUTATION_FILES.filter((f) => names.includes(f.name));

const reportOf = (name) => `.stryker/reports/${name}.json`;

if (!figuresOnly) {
  for (const file of selected) {
    const started = Date.now();
    process.env.MILVUS_MUTATION_TESTS = file.tests.join(",");
    // Stryker reads stryker.config.json itself and lays these options over it.
    const options = {
      mutate: [...file.mutate],
      incrementalFile: `.stryker/incremental-${file.name}.json`,
      jsonReporter: { fileName: reportOf(file.name) },
      htmlReporter: { fileName: `.stryker/reports/${file.name}.html` },
      ...(concurrency !== undefined ? { concurrency } : {}),
    };
    await new Stryker(options).runMutationTest();
    console.log(`${file.name} (${file.mutate.join(", ")}): ${((Date.now() - started) / 60000).toFixed(1)} min`);
  }
}

const rows = [];
for (const file of selected) {
  const report = existsSync(reportOf(file.name)) ? JSON.parse(readFileSync(reportOf(file.name), "utf8")) : undefined;
  for (const [path, measured] of Object.entries(report?.files ?? {})) rows.push({ run: file.name, file: path, ...score(measured.mutants, new Set()) });
  if (!report) rows.push({ run: file.name, file: file.mutate.join(", "), percent: "not measured" });
}
console.table(rows);
