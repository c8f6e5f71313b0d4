/**
 * Stands in for `fast-check` in the mutation run only (moduleNameMapper of test/mutation/jest.mutation.config.js):
 * the same library with `fc.assert` capped at MILVUS_MUTATION_PROPERTY_RUNS runs per property (default 300), so
 * that each mutant's covering tests finish in seconds. Under `npm test` the property and fuzz tests keep their own
 * counts. 300 still satisfies the fuzz suite's own check that at least 1/50 of its 3000 cases produce values.
 */
const path = require("node:path");

// An absolute path, which the "^fast-check$" mapper does not match.
const real = require(path.join(__dirname, "../../node_modules/fast-check/lib/cjs/fast-check.js"));
const cap = Number(process.env.MILVUS_MUTATION_PROPERTY_RUNS ?? "300");

const capped = { ...real, assert: (property, params) => real.assert(property, { ...params, numRuns: Math.min(params?.numRuns ?? 100, cap) }) };
capped.default = capped;
Object.defineProperty(capped, "__esModule", { value: true });
module.exports = capped;
