import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { InputProblem } from "../errors";
import type { ExecutorBundle } from "../executor";
import { CONNECTION_FILE, type ExecutorConnection, KUBECONFIG_FILE, LOCAL_CLUSTER_RULE } from "../executor/connection";
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
export function localExecutorCommand(bundle: Pick<ExecutorBundle, "files" | "hash">, runtime: ExecutorRuntime = executorRuntime(), connection?: LocalConnection): LocalExecutorCommand {
  return {
    interpreter: [LOCAL_EXECUTOR_NODE, runtime.path],
    create: LOCAL_EXECUTOR_COMMAND,
    stdin: executorFilesJson({ ...bundle.files, ...(connection?.files ?? {}) }),
    environment: { MILVUS_EXECUTOR_DRY_RUN: "0", MILVUS_EXECUTOR_HEALTH: "proxy", ...(connection?.environment ?? {}) },
    triggers: [bundle.hash],
  };
}

/** How the local executor reaches the provider's cluster: extra files on its standard input and its environment. */
export interface LocalConnection {
  /** `connection.json` (context, kube-system uid) and, for kubeconfig contents, `kubeconfig`. */
  readonly files: Record<string, string>;
  /**
   * `KUBECONFIG` for a kubeconfig path; `HELM_KUBECONTEXT` cleared (pulumi-command appends `environment` to its own
   * environment, later entries win), so an ambient setting cannot send helm elsewhere than kubectl.
   */
  readonly environment: Record<string, string>;
  /** The kubeconfig's contents travel on standard input: the command's `stdin` must be a secret. */
  readonly secretStdin: boolean;
}

/**
 * Whether a `kubeconfig` setting is a file path or the kubeconfig's contents. The Kubernetes provider treats any
 * value it cannot stat as contents (pulumi-kubernetes provider.go, Configure: `os.Stat(pathOrContents)`, `~/`
 * expanded); here a value without a line break that does not start with `{` is a path, so a mistyped path is an
 * error naming the field instead of unparseable contents.
 */
export function kubeconfigKind(value: string): "path" | "contents" {
  return value.includes("\n") || value.trimStart().startsWith("{") ? "contents" : "path";
}

/** `~` and `~/...` expanded to the home directory, as the Kubernetes provider does. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === "~") return home;
  return p.startsWith("~/") ? path.join(home, p.slice(2)) : p;
}

/**
 * The local executor's connection to the provider's cluster (issue #11 item 10): the kubeconfig and context the
 * provider was given (or what the caller passes instead) and the kube-system uid the provider read, which the executor
 * checks before anything else (src/executor/connection.ts). Problems name the field: a kubeconfig path that does not
 * exist, a missing provider uid.
 * @param opts.kubeconfig a path or the contents; undefined: the ambient kubeconfig
 * @param opts.context a kubeconfig context; undefined: the current context
 * @param opts.kubeSystemUid metadata.uid of kube-system read through the provider
 * @param opts.field the argument the kubeconfig came from, for problems @default "localKubeconfig"
 * @param opts.exists whether a file exists @default fs.existsSync
 */
export function localConnection(opts: {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly kubeSystemUid: string | undefined;
  readonly field?: string;
  readonly exists?: (p: string) => boolean;
}): { connection?: LocalConnection; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const field = opts.field ?? "localKubeconfig";
  if (opts.kubeSystemUid === undefined || opts.kubeSystemUid === "") {
    problems.push({ field: "executor", ruleId: LOCAL_CLUSTER_RULE, message: "the Kubernetes provider read no uid for the kube-system namespace, so the local executor cannot check which cluster it reaches", fix: 'check the provider\'s cluster is reachable, or use executor: "in-cluster"' });
  }
  const files: Record<string, string> = {};
  const environment: Record<string, string> = { HELM_KUBECONTEXT: "" };
  let secretStdin = false;
  if (opts.kubeconfig !== undefined && (typeof opts.kubeconfig !== "string" || opts.kubeconfig.trim() === "" || opts.kubeconfig.includes("\0"))) {
    problems.push({ field, ruleId: "R-INPUT", message: "resolved to neither a kubeconfig file path nor kubeconfig contents", fix: "pass what you gave the Kubernetes provider's kubeconfig: a path, or the kubeconfig text" });
  } else if (opts.kubeconfig !== undefined) {
    if (kubeconfigKind(opts.kubeconfig) === "contents") {
      files[KUBECONFIG_FILE] = opts.kubeconfig;
      secretStdin = true;
    } else {
      const file = expandHome(opts.kubeconfig.trim());
      if (!(opts.exists ?? fs.existsSync)(file)) {
        problems.push({ field, ruleId: "R-INPUT", message: `kubeconfig file ${JSON.stringify(file)} does not exist on the machine running Pulumi`, fix: "pass the path (or the contents) of the kubeconfig the Kubernetes provider uses" });
      }
      environment["KUBECONFIG"] = file;
    }
  }
  const connection: ExecutorConnection = { ...(opts.context !== undefined ? { context: opts.context } : {}), ...(opts.kubeSystemUid ? { kubeSystemUid: opts.kubeSystemUid } : {}) };
  files[CONNECTION_FILE] = JSON.stringify(connection);
  return problems.length > 0 ? { problems } : { connection: { files, environment, secretStdin }, problems };
}
