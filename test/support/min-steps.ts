import * as core from "../../src";

/** The oracle (min-steps-oracle.cjs, shared with the bench): `makeMinimumSteps(core)` binds it to a version list. */
const { makeMinimumSteps } = require("./min-steps-oracle.cjs") as {
  makeMinimumSteps: (c: Pick<typeof core, "knownMilvusVersions" | "compareVersions">) => (from: string, to: string) => number;
};

/**
 * Independent oracle for the planner: the fewest helm operations from `from` to `to`, by breadth-first search over GA
 * versions, where a single hop is allowed only if it satisfies the documented preconditions (see min-steps-oracle.cjs).
 */
export const minimumSteps: (from: string, to: string) => number = makeMinimumSteps(core);

/** The same oracle over the versions of another catalog (the built-in one plus an overlay). */
export function minimumStepsFor(catalog: core.Catalog): (from: string, to: string) => number {
  return makeMinimumSteps({ knownMilvusVersions: (o) => catalog.knownMilvusVersions(o), compareVersions: core.compareVersions });
}
