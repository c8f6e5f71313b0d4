#!/usr/bin/env node
// Spec-file parsing (issue #14: "parsing is linear"): readSpecFile on specs holding one map of N keys, against the
// yaml library's default parse (YAML.parse, uniqueKeys on, which compares every key of a map with every other) of
// the same text, measured in this process as medians of BENCH_RUNS runs (default 5). Run after `npm run build`:
// `node bench/spec-file.mjs`. Prints one markdown table; never used as a test assertion.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fmt, machineLine, markdownTable, median, ROOT } from "./lib.mjs";

const require = createRequire(join(ROOT, "package.json"));
const { readSpecFile, MAX_SPEC_FILE_BYTES } = require("./dist/spec/file.js");
const YAML = require("yaml");
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const dir = mkdtempSync(join(tmpdir(), "bench-spec-"));

const time = (f) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
// Warm-up: load the yaml modules and let the JIT compile the parser before anything is timed.
writeFileSync(join(dir, "warm.yaml"), "version: 2.6.4\nqueryNode: { replicas: 2 }\n");
for (let i = 0; i < 20; i++) {
  readSpecFile(join(dir, "warm.yaml"));
  YAML.parse("a: 1\n");
}
const rows = [];
for (const keys of [1000, 5000, 10000, 20000]) {
  const text = `version: 2.6.4\nhelmValues:\n  x:\n${Array.from({ length: keys }, (_, i) => `    k${i}: "v${i}"`).join("\n")}\n`;
  const file = join(dir, `spec-${keys}.yaml`);
  writeFileSync(file, text);
  const ours = median(Array.from({ length: runs }, () => time(() => readSpecFile(file))));
  const lib = median(Array.from({ length: runs }, () => time(() => YAML.parse(text))));
  rows.push([`${keys} keys (${fmt(text.length / 1024, 0)} KiB)`, `${fmt(ours, 0)} ms`, `${fmt(lib, 0)} ms`, fmt(ours / lib, 2), `${fmt((ours / text.length) * 1024 * 1024, 0)} ms/MiB`]);
}
process.stdout.write(`${machineLine()}\n\n`);
process.stdout.write(`${markdownTable(["spec", "readSpecFile", "YAML.parse (uniqueKeys)", "ratio", "readSpecFile per MiB"], rows)}\n\n`);
process.stdout.write(`Files over ${MAX_SPEC_FILE_BYTES} bytes are refused (R-SPEC-FILE) before parsing.\n`);
