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

/** What one HTTP GET returned. No answer (connection refused, DNS failure, timeout) is data too: `status` 0 and `error`. */
export interface HttpResult {
  /** HTTP status code, or 0 when no HTTP answer came. */
  readonly status: number;
  /** The response body as text (at most `MAX_HTTP_BODY_CHARS` characters; "" without an answer). */
  readonly body: string;
  /** Why no answer came, e.g. "connect ECONNREFUSED 10.0.0.7:9091" or "no answer within 5000 ms". @default unset (an answer came) */
  readonly error?: string;
}

/** Options of one HTTP GET. */
export interface HttpGetOptions {
  /** Give up after this many milliseconds (connection and body), answering `status` 0. */
  readonly timeoutMs: number;
}

/** Longest body `httpGet` keeps (Milvus's `/healthz` answers a word or one line). */
export const MAX_HTTP_BODY_CHARS = 4096;

/**
 * The executor's only way to the cluster: run `helm` or `kubectl` with an argument array (never a shell string) and
 * read what it printed; and, inside the cluster, one plain HTTP GET (the health gate asks the Milvus Service). Production uses `ProcessClusterClient`; unit tests use an in-process fake that models a
 * release, so every phase can be driven fast and without a cluster. `sleep` and `now` belong here too, so a fake can
 * let polling loops run without waiting for real time.
 */
export interface ClusterClient {
  /** Runs helm with `args`. */
  helm(args: readonly string[], opts?: CommandOptions): Promise<CommandResult>;
  /** Runs kubectl with `args`. */
  kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult>;
  /** HTTP GET of `url` (plain http inside the cluster: the health gate's `http://<service>.<namespace>.svc:9091/healthz`). */
  httpGet(url: string, opts: HttpGetOptions): Promise<HttpResult>;
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

  /** Node's built-in fetch (no proxy, no redirects followed), bounded by `AbortSignal.timeout(timeoutMs)`. */
  async httpGet(url: string, opts: HttpGetOptions): Promise<HttpResult> {
    try {
      const res = await fetch(url, { method: "GET", redirect: "manual", signal: AbortSignal.timeout(opts.timeoutMs) });
      const body = await res.text();
      return { status: res.status, body: body.slice(0, MAX_HTTP_BODY_CHARS) };
    } catch (e) {
      return { status: 0, body: "", error: fetchError(e, opts.timeoutMs) };
    }
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  now(): number {
    return Date.now();
  }
}

/**
 * Why fetch gave no answer: undici rejects with `TypeError("fetch failed")` whose `cause` is the socket or DNS error
 * (`connect ECONNREFUSED 10.0.0.7:9091`, `getaddrinfo ENOTFOUND ...`); `AbortSignal.timeout` rejects with a
 * `TimeoutError` DOMException.
 */
export function fetchError(e: unknown, timeoutMs: number): string {
  // Duck-typed, not instanceof: errors of Node's internals may come from another realm (a test VM context).
  const err = asError(e);
  if (err && (err.name === "TimeoutError" || err.name === "AbortError")) return `no answer within ${timeoutMs} ms`;
  const cause = asError(err?.cause);
  if (cause) {
    // Several addresses tried (AggregateError, empty message): the first one's error names the code and address.
    const first = (Array.isArray(cause.errors) && asError(cause.errors[0])) || cause;
    if (first.message) return first.message;
    if (first.code) return String(first.code);
  }
  return err?.message || String(e);
}

/** The fields of an error-like value, whatever realm made it. */
function asError(e: unknown): { name?: unknown; message?: string; code?: unknown; cause?: unknown; errors?: unknown[] } | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  const o = e as Record<string, unknown>;
  return { name: o.name, message: typeof o.message === "string" ? o.message : undefined, code: o.code, cause: o.cause, errors: Array.isArray(o.errors) ? o.errors : undefined };
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
