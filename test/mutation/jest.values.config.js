/**
 * Jest configuration for a fast mutation run of src/values (issue #16, engineer V): the valuesFor and helper tests
 * only (test/core/values*.test.ts). A subset of jest.mutation.config.js, so the score it gives is a lower bound of the
 * full core suite's: every mutant these tests kill, the full suite kills too.
 *   nice -n 5 npx stryker run test/mutation/stryker.values.mjs --mutate src/values/values-for.ts
 * @type {import('jest').Config}
 */
const base = require("./jest.mutation.config.js");

module.exports = { ...base, testMatch: ["<rootDir>/test/core/values*.test.ts"] };
