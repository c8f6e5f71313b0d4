/** Runs the executor against the fake cluster in process (fast) or through its process entry and the fake binaries. */
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { ExecutorBundle } from "../../../src/executor";
import type { ClusterClient } from "../../../src/executor/cluster-client";
import type { HealthCheckPath } from "../../../src/executor/health";
import { streamReporter } from "../../../src/executor/reporter";
import { runExecutor } from "../../../src/executor/run";
import type { FakeClientHooks, FakeCluster } from "./cluster";

/** Result of one executor run. */
export interface RunOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of `runInProcess`. */
export interface InProcessOptions {
  /** @default false */
  readonly dryRun?: boolean;
  /** Directory of the bundle. @default fake.bundleDir */
  readonly dir?: string;
  /** Lease holder identity. @default "test executor" */
  readonly holder?: string;
  /** Hooks of the fake client. */
  readonly hooks?: FakeClientHooks;
  /** Another client (e.g. a ProcessClusterClient with a missing binary). @default fake.client(hooks) */
  readonly client?: ClusterClient;
  /** How the health gate asks /healthz. @default "proxy" (runExecutor's default) */
  readonly healthCheck?: HealthCheckPath;
  /** kube-system uid the run must reach. @default no check */
  readonly expectedClusterUid?: string;
}

/** Writes `bundle` (when given) into the fake's bundle directory and runs `runExecutor` on it in process. */
export async function runInProcess(fake: FakeCluster, bundle: ExecutorBundle | undefined, o: InProcessOptions = {}): Promise<RunOutcome> {
  if (bundle) fake.writeBundle(bundle, o.dir);
  let stdout = "";
  let stderr = "";
  const reporter = streamReporter(
    (t) => {
      stdout += t;
    },
    (t) => {
      stderr += t;
    },
  );
  const code = await runExecutor({ dir: o.dir ?? fake.bundleDir, client: o.client ?? fake.client(o.hooks), reporter, dryRun: o.dryRun === true, holder: o.holder ?? "test executor", ...(o.healthCheck ? { healthCheck: o.healthCheck } : {}), ...(o.expectedClusterUid !== undefined ? { expectedClusterUid: o.expectedClusterUid } : {}) });
  return { code, stdout, stderr };
}

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * Runs the executor's process entry (`src/executor/entry.ts`, transpiled by the fake's loader) with the fake binaries:
 * saves the in-memory state first and reads it back afterwards.
 */
export function runEntry(fake: FakeCluster, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<RunOutcome> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["HELM_BIN", "KUBECTL_BIN", "MILVUS_EXECUTOR_DIR", "MILVUS_EXECUTOR_DRY_RUN"]) delete base[k];
  const fullEnv = { ...base, ...fake.env(), ...env };
  const loader = path.join(__dirname, "bin", "load-ts.cjs");
  return new Promise((resolve) => {
    execFile(process.execPath, ["-r", loader, path.join(REPO_ROOT, "src/executor/entry.ts"), ...args], { env: fullEnv, timeout: timeoutMs, encoding: "utf8", cwd: fake.root }, (error, stdout, stderr) => {
      fake.sync();
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
