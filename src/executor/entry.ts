/**
 * The executor as a process: `node executor.cjs [--dir DIR | --files-from-stdin]` (bundled from this file; also run
 * from the sources).
 *
 * - DIR: the directory of `plan.json`, the `step-N.yaml` values files and the migration manifests; default
 *   `MILVUS_EXECUTOR_DIR`, else the current directory.
 * - `--files-from-stdin`: those files as one JSON object on standard input, written into a private temporary
 *   directory for the run and removed afterwards (Pulumi's local executor; see files-from-stdin.ts). Two more files
 *   may come with them (connection.ts): `kubeconfig` (then KUBECONFIG points at its private copy) and
 *   `connection.json` (the kubeconfig context for every call, and the kube-system uid the cluster must have).
 * - `MILVUS_EXECUTOR_DRY_RUN=1`: read the live release, print what would run, change nothing.
 * - `HELM_BIN`, `KUBECTL_BIN`: the binaries (default `helm` and `kubectl` on PATH).
 * - `MILVUS_EXECUTOR_HEALTH`: how the health gate asks Milvus's `/healthz`: `proxy` (default: `kubectl get --raw`
 *   through the API server's service proxy) or `service` (the Service over HTTP, from inside the cluster; the Job
 *   sets it). Anything else is SETUP_FAILED.
 * - `MILVUS_EXECUTOR_HOLDER`: the identity written into the release's Lease (default the pod name from `POD_NAME`,
 *   else host and pid).
 *
 * The exit code is `runExecutor`'s (`EXIT_CODES`); progress goes to stdout, notes and errors to stderr.
 */
import { join } from "node:path";
import { ProcessClusterClient } from "./cluster-client";
import { CONNECTION_FILE, type ExecutorConnection, KUBECONFIG_FILE, parseConnection, withKubeContext } from "./connection";
import { FILES_FROM_STDIN_ARGUMENT, parseExecutorFiles, readStream, withExecutorFiles } from "./files-from-stdin";
import { HEALTH_CHECK_ENV, parseHealthCheckPath } from "./health";
import { streamReporter } from "./reporter";
import { runExecutor } from "./run";
import { EXIT_CODES } from "./script";

/**
 * Parses the command line (`--dir DIR` or `--dir=DIR`, or `--files-from-stdin`); undefined `dir` means the default.
 * `--files-from-stdin` (Pulumi's local executor): the bundle's files arrive on standard input as one JSON object and
 * live in a private temporary directory for the run (files-from-stdin.ts); it excludes `--dir`.
 */
export function parseEntryArgs(argv: readonly string[]): { dir?: string; filesFromStdin?: true; error?: string } {
  const usage = "usage: node executor.cjs [--dir DIR | --files-from-stdin]";
  let dir: string | undefined;
  let filesFromStdin = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir" && i + 1 < argv.length) dir = argv[++i];
    else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else if (a === FILES_FROM_STDIN_ARGUMENT) filesFromStdin = true;
    else return { error: `unknown argument ${JSON.stringify(a)}; ${usage}` };
  }
  if (filesFromStdin && dir !== undefined) return { error: `--dir and ${FILES_FROM_STDIN_ARGUMENT} exclude each other; ${usage}` };
  if (filesFromStdin) return { filesFromStdin: true };
  return dir === undefined ? {} : { dir };
}

/** Runs the executor for `argv` and `env` (files from `stdin` with `--files-from-stdin`); resolves to the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
  const reporter = streamReporter(
    (t) => process.stdout.write(t),
    (t) => process.stderr.write(t),
  );
  const args = parseEntryArgs(argv);
  if (args.error) {
    reporter.error(args.error);
    return EXIT_CODES.SETUP_FAILED;
  }
  const healthCheck = parseHealthCheckPath(env[HEALTH_CHECK_ENV]);
  if (healthCheck === undefined) {
    reporter.error(`${HEALTH_CHECK_ENV}=${JSON.stringify(env[HEALTH_CHECK_ENV])} is not a health check path; set it to "service" (ask the Milvus Service from inside the cluster) or "proxy" (through the API server), or leave it unset (proxy)`);
    return EXIT_CODES.SETUP_FAILED;
  }
  const run = (dir: string, connection: ExecutorConnection = {}, runEnv: NodeJS.ProcessEnv = env): Promise<number> => {
    const processes = new ProcessClusterClient({ env: runEnv });
    return runExecutor({
      dir,
      client: connection.context !== undefined ? withKubeContext(processes, connection.context) : processes,
      reporter,
      dryRun: env.MILVUS_EXECUTOR_DRY_RUN === "1",
      healthCheck,
      ...(env.MILVUS_EXECUTOR_HOLDER ? { holder: env.MILVUS_EXECUTOR_HOLDER } : {}),
      ...(connection.kubeSystemUid !== undefined ? { expectedClusterUid: connection.kubeSystemUid } : {}),
    });
  };
  if (args.filesFromStdin) {
    let files: Record<string, string>;
    let connection: ExecutorConnection;
    try {
      files = parseExecutorFiles(await readStream(stdin));
      connection = files[CONNECTION_FILE] !== undefined ? parseConnection(files[CONNECTION_FILE]) : {};
    } catch (e) {
      reporter.error(`${FILES_FROM_STDIN_ARGUMENT}: ${(e as Error).message}`);
      return EXIT_CODES.SETUP_FAILED;
    }
    // A kubeconfig among the files (contents the provider was given) lives in the run's private directory only.
    return withExecutorFiles(files, (dir) => run(dir, connection, files[KUBECONFIG_FILE] !== undefined ? { ...env, KUBECONFIG: join(dir, KUBECONFIG_FILE) } : env));
  }
  return run(args.dir ?? (env.MILVUS_EXECUTOR_DIR || process.cwd()));
}

if (require.main === module) {
  // Signals end the run with the shell's codes (130, 143); the Lease then expires by itself.
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`milvus-upgrade: error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = EXIT_CODES.UNEXPECTED;
    },
  );
}
