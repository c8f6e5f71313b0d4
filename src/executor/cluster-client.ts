import { execFile } from "node:child_process";

/** What one helm or kubectl call returned. A non-zero `code` is data, not an exception: the executor decides. */
export interface CommandResult {
  /** Exit status of the process (127 when the binary could not be started). */
  readonly code: number;
  /** Everything the process wrote to standard output. */
  readonly stdout: string;
  /** Everything the process wrote to standard error. */
  readonly stderr: string;
}

/** Options of one call. */
export interface CommandOptions {
  /** Text written to the process's standard input. @default nothing (stdin closed) */
  readonly stdin?: string;
  /** Kill the process after this many milliseconds and report code 124. @default no limit */
  readonly timeoutMs?: number;
}

/**
 * The executor's only way to the cluster: run `helm` or `kubectl` with an argument array (never a shell string) and
 * read what it printed. Production uses `ProcessClusterClient`; unit tests use an in-process fake that models a
 * release, so every phase can be driven fast and without a cluster. `sleep` and `now` belong here too, so a fake can
 * let polling loops run without waiting for real time.
 */
export interface ClusterClient {
  /** Runs helm with `args`. */
  helm(args: readonly string[], opts?: CommandOptions): Promise<CommandResult>;
  /** Runs kubectl with `args`. */
  kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult>;
  /** Waits `ms` milliseconds (a fake may advance a virtual clock instead). */
  sleep(ms: number): Promise<void>;
  /** Milliseconds since the epoch (a fake may return a virtual clock). */
  now(): number;
}

/** Where `ProcessClusterClient` finds its binaries. */
export interface ProcessClusterClientOptions {
  /** helm binary. @default `HELM_BIN` of the environment, else `helm` on PATH */
  readonly helmBin?: string;
  /** kubectl binary. @default `KUBECTL_BIN` of the environment, else `kubectl` on PATH */
  readonly kubectlBin?: string;
  /** Environment of the child processes. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Largest output read from one call (a release manifest can be several MiB). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** Runs the real binaries with `execFile` (no shell). */
export class ProcessClusterClient implements ClusterClient {
  /** The helm binary this client runs. */
  readonly helmBin: string;
  /** The kubectl binary this client runs. */
  readonly kubectlBin: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(opts: ProcessClusterClientOptions = {}) {
    this.env = opts.env ?? process.env;
    this.helmBin = opts.helmBin ?? (this.env.HELM_BIN || "helm");
    this.kubectlBin = opts.kubectlBin ?? (this.env.KUBECTL_BIN || "kubectl");
  }

  helm(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    return run(this.helmBin, args, this.env, opts);
  }

  kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    return run(this.kubectlBin, args, this.env, opts);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  now(): number {
    return Date.now();
  }
}

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv, opts: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(bin, [...args], { env, maxBuffer: MAX_OUTPUT_BYTES, timeout: opts.timeoutMs ?? 0, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const e = error as NodeJS.ErrnoException & { code?: string | number; killed?: boolean };
      if (e.code === "ENOENT" || e.code === "EACCES") return resolve({ code: 127, stdout, stderr: `${stderr}${bin}: ${e.message}\n` });
      if (e.killed) return resolve({ code: 124, stdout, stderr: `${stderr}${bin}: killed after ${opts.timeoutMs} ms\n` });
      resolve({ code: typeof e.code === "number" ? e.code : 1, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    else child.stdin?.end();
  });
}
