import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/*
 * The executor program as it ships: one self-contained CommonJS file, `dist/executor/executor.cjs`, bundled from
 * `src/executor/entry.ts` by `scripts/build-executor.mjs` during `npm run build` (yaml and semver inside, nothing to
 * install). The in-cluster Job mounts it from its own immutable ConfigMap named by its hash; Pulumi's local executor
 * runs it with `node`. One file for every plan of one library version: the plans differ only in their own files
 * (`plan.json`, `step-N.yaml`, `migration-*.yaml`).
 */

/** File name of the bundled executor, in `dist/executor/` and in its ConfigMap. */
export const EXECUTOR_RUNTIME_FILE = "executor.cjs";

/** The bundled executor program. */
export interface ExecutorRuntime {
  /** The JavaScript source of `executor.cjs`. */
  readonly source: string;
  /** Content hash of `source` (sha256, hex, first 10 characters): names its ConfigMap and enters the Job's name. */
  readonly hash: string;
  /** `EXECUTOR_RUNTIME_FILE`: the key of the source in its ConfigMap, the file name `node` runs. */
  readonly fileName: string;
  /** Absolute path of the file it was read from (Pulumi's local executor runs this file). */
  readonly path: string;
}

let cached: ExecutorRuntime | undefined;

/**
 * Where `executor.cjs` lives: next to this module in `dist/executor/` (the installed package); otherwise (the
 * sources under ts-jest, or a copy compiled elsewhere such as the example's `.cache/cdk8s-example/src/executor/`)
 * `dist/executor/executor.cjs` of the nearest directory above that has one (the checkout's build output).
 */
export function executorRuntimePath(): string {
  const beside = path.join(__dirname, EXECUTOR_RUNTIME_FILE);
  if (fs.existsSync(beside)) return beside;
  for (let dir = path.dirname(__dirname); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "dist", "executor", EXECUTOR_RUNTIME_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return beside;
  }
}

/**
 * The bundled executor program, read once per process. Throws when the file is missing (a checkout that was never
 * built: run `npm run build`).
 * @returns source, content hash, file name and path of `executor.cjs`
 */
export function executorRuntime(): ExecutorRuntime {
  if (cached) return cached;
  const file = executorRuntimePath();
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`the bundled executor ${file} is missing (${(e as Error).message}); run \`npm run build\`, which bundles it from src/executor/entry.ts`);
  }
  cached = { source, hash: createHash("sha256").update(source).digest("hex").slice(0, 10), fileName: EXECUTOR_RUNTIME_FILE, path: file };
  return cached;
}
