import type { ExecutorBundle } from "../executor";
import { executorFilesJson, FILES_FROM_STDIN_ARGUMENT } from "../executor/files-from-stdin";
import { type ExecutorRuntime, executorRuntime } from "../executor/runtime";

/*
 * The local executor runs the bundled executor program (`dist/executor/executor.cjs`, the same file the in-cluster
 * Job runs) with `node` on the machine that runs Pulumi, through `@pulumi/command`'s `local.Command`. No shell is
 * involved and no shell text exists:
 *
 * - pulumi-command v1.2.1 (provider/pkg/provider/local/commandOutputs.go, `run`) builds the argv as
 *   `interpreter..., create` and starts it with Go's `exec.CommandContext(args[0], args[1:]...)`; `stdin` becomes the
 *   process's standard input (`strings.NewReader`), `environment` is appended to the provider's own environment
 *   (`os.Environ()`, later entries win). So `interpreter: ["node", ".../executor.cjs"]` with `create:
 *   "--files-from-stdin"` runs `node .../executor.cjs --files-from-stdin` directly; `node` is looked up on PATH.
 * - The plan's files (`plan.json`, `step-N.yaml`, `migration-*.yaml`) arrive on standard input as one JSON object;
 *   the executor writes them into a fresh private temporary directory for the run and removes it afterwards
 *   (src/executor/files-from-stdin.ts). Nothing is written at program time, so a preview has no side effects, and
 *   nothing secret is passed: the values reference the credentials Secret by name.
 * - `triggers: [bundle.hash]`: the command runs again exactly when the plan changes (`triggers` docs in
 *   @pulumi/command's local/command.d.ts: "The resource will be updated (or replaced) if any of these values
 *   change"). Any other input change (the path of executor.cjs on another machine, a new library version) also
 *   runs `create` again, since no `update` command is set ("If empty, the create command will be executed instead");
 *   the executor then re-reads the live release and, past every stop, exits 0 without changing anything.
 * - `MILVUS_EXECUTOR_DRY_RUN=0` in `environment`: an ambient dry-run setting must not turn `pulumi up` into a run
 *   that changes nothing while the Release then jumps straight to the target.
 * - `MILVUS_EXECUTOR_HEALTH=proxy` in `environment`: this machine is outside the cluster, so the health gate asks
 *   `/healthz` through the API server's service proxy even when the user's shell carries the Job's `service` setting.
 *
 * It needs `node` (>= 20), `helm` and `kubectl` on PATH (or HELM_BIN / KUBECTL_BIN) and talks to the cluster of the
 * current kubeconfig context (`KUBECONFIG`, `HELM_KUBECONTEXT`), which must be the cluster the Kubernetes provider
 * targets.
 */

/** The constant `create` text of the local executor: the executor's argument that reads the files from stdin. */
export const LOCAL_EXECUTOR_COMMAND = FILES_FROM_STDIN_ARGUMENT;

/** The node binary the local executor runs: looked up on PATH (by Go's exec.LookPath), the same name on every machine. */
export const LOCAL_EXECUTOR_NODE = "node";

/** The inputs of the local executor's `local.Command` (besides the resource options). */
export interface LocalExecutorCommand {
  /** `[node, <path of executor.cjs>]`. */
  readonly interpreter: string[];
  /** `LOCAL_EXECUTOR_COMMAND`, the last argv element. */
  readonly create: string;
  /** The bundle's files as JSON (`executorFilesJson`). */
  readonly stdin: string;
  /** Environment added to the provider's: `MILVUS_EXECUTOR_DRY_RUN=0`, `MILVUS_EXECUTOR_HEALTH=proxy`. */
  readonly environment: Record<string, string>;
  /** `[bundle.hash]`. */
  readonly triggers: string[];
}

/**
 * The `local.Command` inputs that run `bundle` with the bundled executor on this machine.
 * @param bundle the rendered executor (`renderExecutor`)
 * @param runtime the bundled executor program @default executorRuntime()
 */
export function localExecutorCommand(bundle: Pick<ExecutorBundle, "files" | "hash">, runtime: ExecutorRuntime = executorRuntime()): LocalExecutorCommand {
  return {
    interpreter: [LOCAL_EXECUTOR_NODE, runtime.path],
    create: LOCAL_EXECUTOR_COMMAND,
    stdin: executorFilesJson(bundle.files),
    environment: { MILVUS_EXECUTOR_DRY_RUN: "0", MILVUS_EXECUTOR_HEALTH: "proxy" },
    triggers: [bundle.hash],
  };
}
