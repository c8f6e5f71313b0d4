import { isPlainObject } from "../values/merge";

/**
 * The user-supplied values (`helm get values` without `--all`) that `--reset-values -f step-N.yaml` drops: every
 * leaf path of the live user values that the step's values do not set (neither the path itself nor a parent that
 * holds a scalar or a list). Paths are printed with '.' between keys; a key that itself contains '.' is quoted, so
 * `{"a.b": 1}` and `{"a": {"b": 1}}` stay apart. Sorted.
 */
export function droppedKeys(userValues: Readonly<Record<string, unknown>>, stepValues: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  const walk = (obj: Readonly<Record<string, unknown>>, path: string[]): void => {
    for (const [k, v] of Object.entries(obj)) {
      const p = [...path, k];
      if (covered(stepValues, p)) continue;
      if (isPlainObject(v) && Object.keys(v).length > 0) walk(v, p);
      else out.push(formatPath(p));
    }
  };
  walk(userValues, []);
  return out.sort();
}

/** Whether the step's values set `path` (or a non-object at one of its parents, which replaces it whole). */
function covered(values: Readonly<Record<string, unknown>>, path: readonly string[]): boolean {
  for (let i = 1; i <= path.length; i++) {
    const v = ownPath(values, path.slice(0, i));
    if (v === undefined) return false;
    if (!isPlainObject(v)) return true;
  }
  // The whole object exists in the step's values; its own leaves are compared one by one.
  return false;
}

function formatPath(path: readonly string[]): string {
  return path.map((k) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k))).join(".");
}

/** A nested own property (never inherited ones such as "constructor"). */
function ownPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (!isPlainObject(cur) || !Object.hasOwn(cur, p)) return undefined;
    cur = cur[p];
  }
  return cur;
}
