// Stryker configuration for a mutation run of src/values (issue #16): stryker.config.json with its own incremental
// file and reports, and the jest suite narrowed the one way the mutation suite is narrowed, MILVUS_MUTATION_TESTS
// (test/mutation/jest.mutation.config.js): unless that is set, it is set here to the valuesFor and helper tests,
// test/core/values*.test.ts. Stryker forks its test runners with this process's environment, so they see it.
//   nice -n 5 npx stryker run test/mutation/stryker.values.mjs --mutate src/values/values-for.ts
// The sandbox keeps examples/, as the values runs measured in docs/testing.md#figures did.
import { readFileSync } from "node:fs";

const VALUES_TESTS = "test/core/values*.test.ts";
process.env.MILVUS_MUTATION_TESTS ||= VALUES_TESTS;

const base = JSON.parse(readFileSync(new URL("../../stryker.config.json", import.meta.url), "utf8"));
delete base.$schema;

export default {
  ...base,
  mutate: ["src/values/**/*.ts"],
  ignorePatterns: base.ignorePatterns.filter((p) => p !== "examples"),
  incrementalFile: ".stryker/incremental-values.json",
  jsonReporter: { fileName: ".stryker/reports/mutation-values.json" },
  htmlReporter: { fileName: ".stryker/reports/mutation-values.html" },
};
