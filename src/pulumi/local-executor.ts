import type { ExecutorBundle } from "../executor";

/*
 * The local executor runs the rendered executor on the machine that runs Pulumi, through `@pulumi/command`'s
 * `local.Command`. Design: no shell text is ever built from user input or from the plan.
 *
 * - The command (`create`) is the constant `LOCAL_EXECUTOR_COMMAND` below, run by `/bin/sh -c`.
 * - The script arrives on standard input (`stdin`), the values files in environment variables
 *   (`MILVUS_EXECUTOR_FILES` lists the file names, `MILVUS_EXECUTOR_FILE_<n>` holds the n-th file). The constant
 *   command writes them into a fresh private temporary directory (`mktemp -d`, umask 077), runs `sh upgrade.sh`
 *   there with `MILVUS_EXECUTOR_DIR` pointing at it (an ambient value cannot redirect it) and removes the directory
 *   on exit. File contents are written with awk's `ENVIRON` and `printf "%s"`, so
 *   they are never parsed by a shell; file names are checked against `[A-Za-z0-9._-]` before use.
 * - `triggers: [bundle.hash]`: the command runs again exactly when the plan (script or values) changes. It does not
 *   run on a later `pulumi up` with the same plan, like the in-cluster Job.
 * - Nothing is written at program time (a preview has no side effects), and nothing secret is passed: the values
 *   files reference the credentials Secret by name.
 *
 * It needs `sh`, `awk`, `mktemp`, `helm` and `kubectl` on PATH and talks to the cluster of the current kubeconfig
 * context (`KUBECONFIG`, `HELM_KUBECONTEXT`), which must be the cluster the Kubernetes provider targets.
 */

/** Environment variable listing the values file names, space-separated, in order. */
export const LOCAL_FILES_VARIABLE = "MILVUS_EXECUTOR_FILES";

/** Prefix of the environment variables holding the values files (`MILVUS_EXECUTOR_FILE_1`, ...). */
export const LOCAL_FILE_VARIABLE_PREFIX = "MILVUS_EXECUTOR_FILE_";

/** File name accepted for a values file. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/** The constant command of the local executor (run by `/bin/sh -c`, script on stdin). */
export const LOCAL_EXECUTOR_COMMAND = [
  "set -euf",
  "umask 077",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a JS placeholder
  'dir=$(mktemp -d "${TMPDIR:-/tmp}/milvus-cluster.XXXXXX")',
  "trap 'rm -rf \"$dir\"' EXIT",
  "trap 'exit 130' HUP INT TERM",
  'cat > "$dir/upgrade.sh"',
  "i=0",
  `for name in \${${LOCAL_FILES_VARIABLE}:-}; do`,
  "  i=$((i + 1))",
  '  case "$name" in',
  `    ''|.*|*[!A-Za-z0-9._-]*) echo "milvus-cluster: invalid file name in ${LOCAL_FILES_VARIABLE}" >&2; exit 2 ;;`,
  "  esac",
  `  awk -v "v=${LOCAL_FILE_VARIABLE_PREFIX}$i" 'BEGIN { printf "%s", ENVIRON[v] }' > "$dir/$name"`,
  "done",
  'MILVUS_EXECUTOR_DIR=$dir',
  "export MILVUS_EXECUTOR_DIR",
  'cd "$dir"',
  "sh ./upgrade.sh",
].join("\n");

/** The environment of the local executor: the values files of a bundle. */
export function localExecutorEnvironment(bundle: Pick<ExecutorBundle, "files">): Record<string, string> {
  const names = Object.keys(bundle.files).sort();
  const env: Record<string, string> = { [LOCAL_FILES_VARIABLE]: names.join(" ") };
  names.forEach((name, i) => {
    if (!FILE_NAME.test(name)) throw new Error(`executor file name ${JSON.stringify(name)} is not a plain file name`);
    env[`${LOCAL_FILE_VARIABLE_PREFIX}${i + 1}`] = bundle.files[name]!;
  });
  return env;
}
