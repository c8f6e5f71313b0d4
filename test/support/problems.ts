import type { InputProblem } from "../../src/errors";

/** (field, rule id) pairs of input problems. */
export type Pairs = [string, string][];

/** The (field, rule id) pairs of problems; every problem must also say what is wrong and how to fix it. */
export const pairs = (ps: readonly InputProblem[]): Pairs =>
  ps.map((p) => {
    expect(p.message.trim().length).toBeGreaterThan(3);
    expect(p.fix.trim().length).toBeGreaterThan(3);
    return [p.field, p.ruleId];
  });
