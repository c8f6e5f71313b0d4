"use strict";
// The planner's independent oracle, shared by the property tests (test/core/plan.property.test.ts) and the bench
// (bench/run.mjs). Plain CommonJS so both can load it.
//
// The fewest helm operations from `from` to `to`, by breadth-first search over GA versions, where a single hop
// a -> b is allowed only if it satisfies the documented preconditions (written from FACTS.md, not from the
// planner's tables):
// - crossing into 2.2+ from below 2.2 must start on 2.1.x and land exactly on 2.2.0 (migrate-meta: 2.1.x -> 2.2.0);
// - crossing into 2.6+ must start on 2.5.16 or later with mixCoordinator (a hop that only switches topology counts).
// Nodes are (version, mixed?) pairs; the default deployed topology is the chart default (mixed from 2.4.8/chart 4.2.4).
//
// Versions are compared through their rank in the sorted list (computed once with the core's compareVersions), so all
// ~3,700 pairs take well under a second. It uses only the core's version list and comparison, never its rules.

/** Returns `minimumSteps(from, to)` bound to the core's version list and comparison. */
function makeMinimumSteps(core) {
  const ga = core.knownMilvusVersions({ gaOnly: true });
  const constants = ["2.1.0", "2.2.0", "2.2.4", "2.4.7", "2.5.16", "2.6.0"];
  const all = [...new Set([...ga, ...constants])].sort(core.compareVersions);
  const rankOf = new Map();
  let r = 0;
  all.forEach((v, i) => {
    if (i > 0 && core.compareVersions(all[i - 1], v) !== 0) r++;
    rankOf.set(v, r);
  });
  const rank = (v) => {
    const k = rankOf.get(v);
    if (k === undefined) throw new Error(`min-steps: unknown version ${v}`);
    return k;
  };
  const cmp = (a, b) => rank(a) - rank(b);

  return function minimumSteps(from, to) {
    const versions = ga.filter((v) => cmp(v, from) >= 0 && cmp(v, to) <= 0);
    // The deployed default topology: mixCoordinator from chart 4.2.4, the newest chart shipping 2.4.7.
    const mixedDefault = (v) => cmp(v, "2.4.7") >= 0;
    const key = (n) => `${n.v}/${n.mixed}`;
    const hopAllowed = (a, b) => {
      if (cmp(a.v, "2.2.0") < 0 && cmp(b.v, "2.2.0") >= 0) {
        return cmp(a.v, "2.1.0") >= 0 && b.v === "2.2.0";
      }
      if (cmp(a.v, "2.6.0") < 0 && cmp(b.v, "2.6.0") >= 0) {
        return cmp(a.v, "2.5.16") >= 0 && a.mixed;
      }
      if (cmp(b.v, "2.6.0") >= 0 && !b.mixed) return false;
      return true;
    };
    const start = { v: from, mixed: mixedDefault(from) };
    const goalMixed = cmp(to, "2.6.0") >= 0 ? true : start.mixed;
    const seen = new Map([[key(start), 0]]);
    let frontier = [start];
    for (let depth = 1; frontier.length > 0 && depth < 10; depth++) {
      const next = [];
      for (const a of frontier) {
        for (const v of versions) {
          for (const mixed of [false, true]) {
            const b = { v, mixed };
            if (cmp(b.v, a.v) < 0 || (b.v === a.v && b.mixed === a.mixed)) continue;
            if (mixed && cmp(v, "2.2.4") < 0) continue; // no mixCoordinator before chart 4.0.9/4.0.10 (2.2.4)
            if (!hopAllowed(a, b) || seen.has(key(b))) continue;
            if (b.v === to && b.mixed === goalMixed) return depth;
            seen.set(key(b), depth);
            next.push(b);
          }
        }
      }
      frontier = next;
    }
    throw new Error(`no chain from ${from} to ${to}`);
  };
}

module.exports = { makeMinimumSteps };
