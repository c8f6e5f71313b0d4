/**
 * The core files `npm run test:mutation` mutates one at a time (test/mutation/run.mjs), each with the test files that
 * exercise it. A file's score measured with its list is a lower bound of the whole suite's (a mutant a subset kills,
 * the suite kills); the lists keep a module-level mutant (a rules table, a regex constant) from running the whole
 * suite, ~25 s each on a 2-core machine. Paths are from the repository root.
 * `mutate` takes Stryker's globs; a run's report has a row per file it mutated.
 * @type {readonly { name: string; mutate: readonly string[]; tests: readonly string[] }[]}
 */
const VALIDATE_TESTS = [
  "test/core/spec-promises.test.ts",
  "test/core/spec-validate-promises.test.ts",
  "test/core/spec-file-promises.test.ts",
  "test/reliability/bad-inputs.test.ts",
  "test/core/values-promises-refusals.test.ts",
];

export const MUTATION_FILES = [
  {
    name: "plan",
    mutate: ["src/plan/plan.ts"],
    tests: [
      "test/core/plan.test.ts",
      "test/core/plan-promises.test.ts",
      "test/core/plan-promises-chain.test.ts",
      "test/core/plan-promises-edges.test.ts",
      "test/core/knowledge-round2.test.ts",
      "test/core/catalog-overlay.test.ts",
    ],
  },
  { name: "values", mutate: ["src/values/**/*.ts"], tests: ["test/core/values*.test.ts"] },
  { name: "validate", mutate: ["src/spec/validate.ts"], tests: VALIDATE_TESTS },
  { name: "file", mutate: ["src/spec/file.ts"], tests: ["test/core/spec-file-promises.test.ts", "test/reliability/bad-inputs.test.ts", "test/core/cli.test.ts"] },
  { name: "resolve", mutate: ["src/spec/resolve.ts"], tests: ["test/core/tables-promises.test.ts", "test/core/values.test.ts", "test/core/plan-promises.test.ts"] },
  { name: "tables", mutate: ["src/rules/tables.ts"], tests: ["test/core/tables-promises.test.ts", "test/core/values.test.ts", "test/core/plan-promises.test.ts"] },
  { name: "rules", mutate: ["src/rules/rules.ts"], tests: ["test/core/rules-promises.test.ts"] },
  { name: "versions", mutate: ["src/versions/versions.ts"], tests: ["test/core/versions-promises.test.ts", "test/core/versions.test.ts", "test/core/plan-promises.test.ts"] },
  { name: "catalog", mutate: ["src/catalog/catalog.ts"], tests: ["test/core/catalog-promises.test.ts", "test/core/catalog.test.ts", "test/core/plan-promises.test.ts"] },
  {
    name: "decide",
    mutate: ["src/executor/decide.ts"],
    tests: ["test/executor/decide-promises.test.ts", "test/executor/script.test.ts", "test/executor/knowledge.test.ts", "test/executor/behaviour.test.ts"],
  },
];
