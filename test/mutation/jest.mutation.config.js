/**
 * Jest configuration used by Stryker (stryker.config.json) for mutation testing of the pure core: the tests that
 * exercise src/plan, src/values, src/versions, src/rules, src/spec and src/catalog/catalog.ts in process. The
 * adapters' suites (Pulumi, cdk8s, executor) are left out: they add minutes per run and kill almost nothing in the
 * core that these do not. test/reliability/fuzz-core.test.ts is left out too: it needs its 3000 cases per property
 * (it checks that 1/50 of them are valid) and would cost ~15 s per mutant; plan.property.test.ts runs with its
 * cases capped (fast-check-capped.js).
 * @type {import('jest').Config}
 */
const base = require("../../jest.config.js");

module.exports = {
  ...base,
  rootDir: "../..",
  roots: ["<rootDir>/test"],
  testMatch: [
    "<rootDir>/test/core/**/*.test.ts",
    "<rootDir>/test/reliability/bad-inputs.test.ts",
  ],
  moduleNameMapper: { "^fast-check$": "<rootDir>/test/mutation/fast-check-capped.js" },
  maxWorkers: 1,
};
