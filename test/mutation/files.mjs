/**
 * The core files `npm run test:mutation` mutates one at a time (test/mutation/run.mjs), each with the test files that
 * exercise it. A file's score measured with its list is a lower bound of the whole suite's (a mutant a subset kills,
 * the suite kills); the lists keep a module-level mutant (a rules table, a regex constant) from running the whole
 * suite, ~25 s each on a 2-core machine. Paths are from the repository root.
 * `mutate` takes Stryker's globs; a run's report has a row per file it mutated.
 * @type {readonly { name: string; mutate: readonly string[]; tests: readonly string[] }[]}
 */
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
];
