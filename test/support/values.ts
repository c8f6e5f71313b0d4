import { MilvusClusterError, type MilvusSpec, valuesFor } from "../../src";
import type { ValuesForOptions } from "../../src/values/values-for";

/** A `valuesFor` refusal as a user reads it: `field rule-id` of every problem, in order. */
export function refusalOf(spec: MilvusSpec, chart: string, options?: ValuesForOptions): string[] {
  try {
    valuesFor(spec, chart, options);
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    for (const p of e.problems) {
      // Every problem says what is wrong and how to fix it (InputProblem's contract), never an empty text.
      expect(p.message.trim()).not.toBe("");
      expect(p.fix.trim()).not.toBe("");
    }
    return e.problems.map((p) => `${p.field} ${p.ruleId}`);
  }
  throw new Error(`expected valuesFor(${JSON.stringify(spec)}, ${chart}) to refuse`);
}

/** The problems of a `valuesFor` refusal (for the few tests that read a problem's fix or message). */
export function problemsOf(spec: MilvusSpec, chart: string, options?: ValuesForOptions): MilvusClusterError["problems"] {
  try {
    valuesFor(spec, chart, options);
  } catch (e) {
    if (e instanceof MilvusClusterError) return e.problems;
    throw e;
  }
  throw new Error(`expected valuesFor(${JSON.stringify(spec)}, ${chart}) to refuse`);
}

/** Marks a key that must be absent from the values (the chart does not have it, or the setting does not apply). */
export const ABSENT = Symbol("absent");

/**
 * Reads a dotted path from values (ABSENT when a key is missing; a key present with `undefined` reads as undefined),
 * independently of src/values/merge.ts (which is itself under mutation test).
 * `extraConfigFiles.<file>` keeps the file name whole (`extraConfigFiles.user.yaml`).
 */
export function at(values: unknown, dotted: string): unknown {
  const parts = dotted.startsWith("extraConfigFiles.") ? ["extraConfigFiles", dotted.slice("extraConfigFiles.".length)] : dotted.split(".");
  let cur: unknown = values;
  for (const p of parts) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, p)) return ABSENT;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The keys of `expected` as read from `values`, with ABSENT for a missing key, for one `toEqual`. */
export function keysOf(values: unknown, expected: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(expected)) out[k] = at(values, k);
  return out;
}

/** The values object holding `value` at a dotted path (`extraConfigFiles.<file>` keeps the file name whole). */
export function valuesAt(dotted: string, value: unknown): Record<string, unknown> {
  const parts = dotted.startsWith("extraConfigFiles.") ? ["extraConfigFiles", dotted.slice("extraConfigFiles.".length)] : dotted.split(".");
  return parts.reduceRight<unknown>((inner, p) => ({ [p]: inner }), value) as Record<string, unknown>;
}
