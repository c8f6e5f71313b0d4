/**
 * Jest configuration used by Stryker (stryker.config.json) for mutation testing of the pure core: the tests that
 * exercise src/plan, src/values, src/versions, src/rules, src/spec, src/catalog/catalog.ts and src/executor/decide.ts
 * in process. The adapters' suites (Pulumi, cdk8s) are left out: they add minutes per run and kill almost nothing in
 * the core that these do not. Of the executor's suites only the in-process ones that drive decide.ts are in (its pure
 * functions: script.test.ts, decide-promises.test.ts; runExecutor against the fake ClusterClient: behaviour.test.ts,
 * knowledge.test.ts); run.test.ts, migration.test.ts and the e2e suites spawn processes and stay out.
 * test/reliability/fuzz-core.test.ts is left out too: it needs its 3000 cases per property (it checks that 1/50 of
 * them are valid) and would cost ~15 s per mutant; plan.property.test.ts runs with its cases capped
 * (fast-check-capped.js). test/core/docs.test.ts is left out: it checks the links of docs/ against examples/, which
 * the sandbox does not copy (ignorePatterns), and mutates nothing. Tests that render the Pulumi component read the
 * bundled executor (dist/executor/executor.cjs), which is why stryker.config.json builds with `npm run build`.
 * @type {import('jest').Config}
 */
const base = require("../../jest.config.js");

/**
 * MILVUS_MUTATION_TESTS narrows the suite to a comma-separated list of test files (paths from the repository root;
 * each entry is a jest testMatch glob, so `test/core/values*.test.ts` works), for working on one source file. It is the
 * only narrowing mechanism: `npm run test:mutation` (test/mutation/run.mjs) sets it per core file from
 * test/mutation/files.mjs. Without it a
 * static mutant (module-level code such as the RULES table or a regex constant) runs every test of the suite, ~25 s
 * each on a shared 2-core machine, and a narrow list makes that a second or two.
 * A score measured with a narrowed list is a lower bound of the full suite's (a mutant a subset kills, the suite kills).
 */
const only = (process.env.MILVUS_MUTATION_TESTS ?? "")
  .split(",")
  .map((t) => t.trim())
  .filter((t) => t !== "");

module.exports = {
  ...base,
  rootDir: "../..",
  roots: ["<rootDir>/test"],
  testMatch: only.length > 0 ? only.map((t) => `<rootDir>/${t}`) : [
    "<rootDir>/test/core/**/*.test.ts",
    "<rootDir>/test/reliability/bad-inputs.test.ts",
    "<rootDir>/test/executor/script.test.ts",
    "<rootDir>/test/executor/knowledge.test.ts",
    "<rootDir>/test/executor/behaviour.test.ts",
    "<rootDir>/test/executor/decide-promises.test.ts",
  ],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/core/docs.test.ts"],
  moduleNameMapper: { "^fast-check$": "<rootDir>/test/mutation/fast-check-capped.js" },
  maxWorkers: 1,
};
