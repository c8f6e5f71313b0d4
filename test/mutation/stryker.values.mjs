// Stryker configuration for a fast mutation run of src/values (issue #16): stryker.config.json with the jest subset
// of test/mutation/jest.values.config.js. The sandbox keeps examples/ (test/core/docs.test.ts reads it in the full
// suite) and dist/ is not needed: nothing here runs the bundled executor.
import { readFileSync } from "node:fs";

const base = JSON.parse(readFileSync(new URL("../../stryker.config.json", import.meta.url), "utf8"));
delete base.$schema;

export default {
  ...base,
  jest: { ...base.jest, configFile: "test/mutation/jest.values.config.js" },
  mutate: ["src/values/**/*.ts"],
  ignorePatterns: base.ignorePatterns.filter((p) => p !== "examples"),
  incrementalFile: ".stryker/incremental-values.json",
  jsonReporter: { fileName: ".stryker/reports/mutation-values.json" },
  htmlReporter: { fileName: ".stryker/reports/mutation-values.html" },
};
