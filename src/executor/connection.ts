import type { ClusterClient, CommandOptions, CommandResult, HttpGetOptions, HttpResult } from "./cluster-client";
import { ExecutorExit } from "./exit";
import { EXIT_CODES } from "./script";

/*
 * Which cluster the executor talks to, when the caller says so (Pulumi's local executor, issue #11 item 10): the
 * kubeconfig and context the Kubernetes provider was given, and the identity of the provider's cluster.
 *
 * - The kubeconfig travels as the file `kubeconfig` among the executor's files on standard input (it may be the
 *   contents the provider was given, e.g. an EKS cluster's kubeconfig output, which exists on no disk): the entry
 *   writes it into the run's private directory (0700, file 0600, removed afterwards) and points KUBECONFIG at it.
 * - `connection.json`: `{ "context"?: string, "kubeSystemUid"?: string }`. The context is passed to every call as
 *   helm's `--kube-context=<context>` and kubectl's `--context=<context>` global flags (one argv element each, no
 *   shell). `kubeSystemUid` is the `metadata.uid` of the `kube-system` Namespace as the provider read it: a cluster's
 *   kube-system namespace is created once with the cluster, so its uid names the cluster. The executor reads it
 *   through its own kubectl first and refuses (WRONG_CLUSTER, R-LOCAL-CLUSTER) before anything else, the lock
 *   included, when they differ.
 */

/** Name of the kubeconfig among the executor's files on standard input. */
export const KUBECONFIG_FILE = "kubeconfig";

/** Name of the connection settings among the executor's files on standard input. */
export const CONNECTION_FILE = "connection.json";

/** Rule id of the cluster identity check. */
export const LOCAL_CLUSTER_RULE = "R-LOCAL-CLUSTER";

/** Contents of `connection.json`. */
export interface ExecutorConnection {
  /** kubeconfig context for every helm and kubectl call. @default the kubeconfig's current context */
  readonly context?: string;
  /** `metadata.uid` of the kube-system Namespace of the cluster the run must reach. @default no check */
  readonly kubeSystemUid?: string;
}

/** A context name as a kubeconfig holds it: any non-empty text without control characters, at most 253 characters. */
export function isKubeContextName(name: unknown): name is string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return typeof name === "string" && name.length > 0 && name.length <= 253 && !/[\u0000-\u001f\u007f]/.test(name);
}

/**
 * Parses `connection.json`; throws an Error naming the problem (not JSON, unknown key, a value of the wrong shape).
 * @param text the file's contents
 */
export function parseConnection(text: string): ExecutorConnection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${CONNECTION_FILE} is not JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${CONNECTION_FILE} must be a JSON object`);
  const o = parsed as Record<string, unknown>;
  for (const key of Object.keys(o)) if (key !== "context" && key !== "kubeSystemUid") throw new Error(`${CONNECTION_FILE} has an unknown key ${JSON.stringify(key)}`);
  if (o.context !== undefined && !isKubeContextName(o.context)) throw new Error(`${CONNECTION_FILE}: context ${JSON.stringify(o.context)} is not a kubeconfig context name`);
  if (o.kubeSystemUid !== undefined && (typeof o.kubeSystemUid !== "string" || o.kubeSystemUid === "")) throw new Error(`${CONNECTION_FILE}: kubeSystemUid must be a non-empty string`);
  return { ...(o.context !== undefined ? { context: o.context as string } : {}), ...(o.kubeSystemUid !== undefined ? { kubeSystemUid: o.kubeSystemUid as string } : {}) };
}

/**
 * `client` with every call bound to one kubeconfig context: helm gets `--kube-context=<context>`, kubectl
 * `--context=<context>`, as the first argument (both are global flags of either tool).
 */
export function withKubeContext(client: ClusterClient, context: string): ClusterClient {
  return {
    helm: (args: readonly string[], opts?: CommandOptions): Promise<CommandResult> => client.helm([`--kube-context=${context}`, ...args], opts),
    kubectl: (args: readonly string[], opts?: CommandOptions): Promise<CommandResult> => client.kubectl([`--context=${context}`, ...args], opts),
    httpGet: (url: string, opts: HttpGetOptions): Promise<HttpResult> => client.httpGet(url, opts),
    sleep: (ms: number) => client.sleep(ms),
    now: () => client.now(),
  };
}

/** The argv that reads the cluster's identity: the uid of its kube-system Namespace. */
export const CLUSTER_IDENTITY_ARGS: readonly string[] = ["get", "namespace", "kube-system", "-o", "jsonpath={.metadata.uid}", "--request-timeout=30s"];

/**
 * Refuses (WRONG_CLUSTER, R-LOCAL-CLUSTER) unless the cluster `client` reaches has the kube-system uid `expected`.
 * A failed read is WRONG_CLUSTER too: a run that cannot tell which cluster it is on does not start.
 */
export async function checkClusterIdentity(client: ClusterClient, expected: string): Promise<void> {
  const r = await client.kubectl(CLUSTER_IDENTITY_ARGS);
  const fix = "point localKubeconfig and localContext at the cluster the Kubernetes provider targets (the values you gave the provider), or use executor: \"in-cluster\"";
  if (r.code !== 0) {
    throw new ExecutorExit(EXIT_CODES.WRONG_CLUSTER, `cannot read which cluster kubectl reaches (kubectl get namespace kube-system failed: ${r.stderr.trim()}) [${LOCAL_CLUSTER_RULE}]. Fix: ${fix}`);
  }
  const reached = r.stdout.trim();
  if (reached !== expected) {
    throw new ExecutorExit(
      EXIT_CODES.WRONG_CLUSTER,
      `kubectl reaches the cluster whose kube-system namespace has uid "${reached}", but the Kubernetes provider's cluster has uid "${expected}": the executor would upgrade another cluster's release; nothing was changed [${LOCAL_CLUSTER_RULE}]. Fix: ${fix}`,
    );
  }
}
