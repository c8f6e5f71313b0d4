/**
 * The executor as a process: `node executor.cjs [--dir DIR]` (bundled from this file; also run from the sources).
 *
 * - DIR: the directory of `plan.json`, the `step-N.yaml` values files and the migration manifests; default
 *   `MILVUS_EXECUTOR_DIR`, else the current directory.
 * - `MILVUS_EXECUTOR_DRY_RUN=1`: read the live release, print what would run, change nothing.
 * - `HELM_BIN`, `KUBECTL_BIN`: the binaries (default `helm` and `kubectl` on PATH).
 * - `MILVUS_EXECUTOR_HOLDER`: the identity written into the release's Lease (default the pod name from `POD_NAME`,
 *   else host and pid).
 *
 * The exit code is `runExecutor`'s (`EXIT_CODES`); progress goes to stdout, notes and errors to stderr.
 */
import { ProcessClusterClient } from "./cluster-client";
import { streamReporter } from "./reporter";
import { runExecutor } from "./run";
import { EXIT_CODES } from "./script";

/** Parses the command line (`--dir DIR` or `--dir=DIR`); undefined `dir` means the default. */
export function parseEntryArgs(argv: readonly string[]): { dir?: string; error?: string } {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--dir" && i + 1 < argv.length) dir = argv[++i];
    else if (a.startsWith("--dir=")) dir = a.slice("--dir=".length);
    else return { error: `unknown argument ${JSON.stringify(a)}; usage: node executor.cjs [--dir DIR]` };
  }
  return dir === undefined ? {} : { dir };
}

/** Runs the executor for `argv` and `env`; resolves to the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const reporter = streamReporter(
    (t) => process.stdout.write(t),
    (t) => process.stderr.write(t),
  );
  const args = parseEntryArgs(argv);
  if (args.error) {
    reporter.error(args.error);
    return EXIT_CODES.SETUP_FAILED;
  }
  const dir = args.dir ?? (env.MILVUS_EXECUTOR_DIR || process.cwd());
  return runExecutor({
    dir,
    client: new ProcessClusterClient({ env }),
    reporter,
    dryRun: env.MILVUS_EXECUTOR_DRY_RUN === "1",
    ...(env.MILVUS_EXECUTOR_HOLDER ? { holder: env.MILVUS_EXECUTOR_HOLDER } : {}),
  });
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
