import { compareVersions, knownMilvusVersions } from "../../src";

/**
 * Independent oracle for the planner: the fewest helm operations from `from` to `to`, by breadth-first search over
 * GA versions, where a single hop a -> b is allowed only if it satisfies the documented preconditions (written here
 * from FACTS.md, not from the planner's tables):
 * - crossing into 2.2+ from below 2.2 must start on 2.1.x and land exactly on 2.2.0 (migrate-meta: 2.1.x -> 2.2.0);
 * - crossing into 2.6+ must start on 2.5.16 or later with mixCoordinator (a hop that only switches topology counts).
 * Nodes are (version, mixed?) pairs; the default deployed topology is the chart default (mixed from 2.4.8/chart 4.2.4).
 */
export function minimumSteps(from: string, to: string): number {
  const versions = knownMilvusVersions({ gaOnly: true }).filter((v) => compareVersions(v, from) >= 0 && compareVersions(v, to) <= 0);
  // The deployed default topology: mixCoordinator from chart 4.2.4, the newest chart shipping 2.4.7.
  const mixedDefault = (v: string) => compareVersions(v, "2.4.7") >= 0;
  type Node = { v: string; mixed: boolean };
  const key = (n: Node) => `${n.v}/${n.mixed}`;
  const hopAllowed = (a: Node, b: Node): boolean => {
    if (compareVersions(a.v, "2.2.0") < 0 && compareVersions(b.v, "2.2.0") >= 0) {
      return compareVersions(a.v, "2.1.0") >= 0 && b.v === "2.2.0";
    }
    if (compareVersions(a.v, "2.6.0") < 0 && compareVersions(b.v, "2.6.0") >= 0) {
      return compareVersions(a.v, "2.5.16") >= 0 && a.mixed;
    }
    if (compareVersions(b.v, "2.6.0") >= 0 && !b.mixed) return false;
    return true;
  };
  const start: Node = { v: from, mixed: mixedDefault(from) };
  const goalMixed = compareVersions(to, "2.6.0") >= 0 ? true : start.mixed;
  const seen = new Map<string, number>([[key(start), 0]]);
  let frontier: Node[] = [start];
  for (let depth = 1; frontier.length > 0 && depth < 10; depth++) {
    const next: Node[] = [];
    for (const a of frontier) {
      for (const v of versions) {
        for (const mixed of [false, true]) {
          const b = { v, mixed };
          if (compareVersions(b.v, a.v) < 0 || (b.v === a.v && b.mixed === a.mixed)) continue;
          if (mixed && compareVersions(v, "2.2.4") < 0) continue; // no mixCoordinator before chart 4.0.9/4.0.10 (2.2.4)
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
}
