import type { ExecutorContext } from "./context";
import { ExecutorExit } from "./exit";
import { at, parseJson } from "./live";
import { EXIT_CODES } from "./script";

/** The metrics port of the Milvus Service (`templates/service.yaml`: port 9091 named `metrics` when `metrics.enabled`). */
export const MILVUS_METRICS_PORT = 9091;

/** Seconds between two polls of a health gate. */
export const HEALTH_POLL_SECONDS = 2;


/** helm's `trunc 63 | trimSuffix "-"`. */
function trunc63(name: string): string {
  const t = name.slice(0, 63);
  return t.endsWith("-") ? t.slice(0, -1) : t;
}

/**
 * The Service that answers Milvus's `/healthz` on port 9091, as the chart names it (`milvus.fullname` in
 * `templates/_helpers.tpl`, identical in charts 3.0.12 to 5.0.19): `fullnameOverride`, else the release name when it
 * contains the chart name (`nameOverride`, default "milvus"), else `<release>-<name>`. The Service exists in
 * standalone mode, and in cluster mode while `proxy.enabled`; its metrics port while `metrics.enabled` (default true).
 * Undefined when the values render no such port.
 */
export function milvusHealthService(releaseName: string, values: unknown): string | undefined {
  if (at(values, "metrics", "enabled") === false) return undefined;
  const cluster = at(values, "cluster", "enabled") !== false;
  if (cluster && at(values, "proxy", "enabled") === false) return undefined;
  const fullnameOverride = at(values, "fullnameOverride");
  if (typeof fullnameOverride === "string" && fullnameOverride !== "") return trunc63(fullnameOverride);
  const nameOverride = at(values, "nameOverride");
  const name = typeof nameOverride === "string" && nameOverride !== "" ? nameOverride : "milvus";
  return trunc63(releaseName.includes(name) ? releaseName : `${releaseName}-${name}`);
}

/** The API server path of the Milvus health check through the service proxy. */
export function healthzPath(namespace: string, service: string): string {
  return `/api/v1/namespaces/${namespace}/services/${service}:${MILVUS_METRICS_PORT}/proxy/healthz`;
}

/**
 * The in-cluster URL of the same check: the Service's DNS name `<service>.<namespace>.svc` (Kubernetes "DNS for
 * Services and Pods": a pod's resolv.conf search list completes it with the cluster domain, whatever that is).
 */
export function healthzUrl(namespace: string, service: string): string {
  return `http://${service}.${namespace}.svc:${MILVUS_METRICS_PORT}/healthz`;
}

/**
 * How the gate asks Milvus's `/healthz`: `proxy` through the API server's service proxy (`kubectl get --raw`, needs
 * `services/proxy: get`; `apply` and Pulumi's local executor, which run outside the cluster), `service` the Service
 * directly over HTTP (the in-cluster Job, which sets `MILVUS_EXECUTOR_HEALTH=service`).
 */
export type HealthCheckPath = "proxy" | "service";

/** Environment variable that selects the `HealthCheckPath` of the process entry (unset: `proxy`). */
export const HEALTH_CHECK_ENV = "MILVUS_EXECUTOR_HEALTH";

/** The `HealthCheckPath` named by `value` of `MILVUS_EXECUTOR_HEALTH` (unset or "" is `proxy`), or undefined for anything else. */
export function parseHealthCheckPath(value: string | undefined): HealthCheckPath | undefined {
  if (value === undefined || value === "" || value === "proxy") return "proxy";
  return value === "service" ? "service" : undefined;
}

/** Milliseconds one HTTP request of the `service` path may take (less when the step timeout ends sooner, never under 1000). */
export const HEALTH_REQUEST_TIMEOUT_MS = 5000;

/** One Deployment as the gate sees it. */
export interface DeploymentImage {
  readonly name: string;
  /** Image of the first container. */
  readonly image: string;
}

/** `kubectl get deployments -o json` -> name and first container image of each item. */
export function deploymentImages(json: unknown): DeploymentImage[] | undefined {
  const items = at(json, "items");
  if (!Array.isArray(items)) return undefined;
  return items.map((d) => {
    const containers = at(d, "spec", "template", "spec", "containers");
    const image = Array.isArray(containers) ? at(containers[0], "image") : undefined;
    const name = at(d, "metadata", "name");
    return { name: typeof name === "string" ? name : "", image: typeof image === "string" ? image : "" };
  });
}

/** Whether `image` (digest ignored) carries the tag `tag`. */
export function imageHasTag(image: string, tag: string): boolean {
  return image.replace(/@.*$/, "").endsWith(`:${tag}`);
}

/**
 * Health gate: every Milvus Deployment of the release rolls out (`kubectl rollout status`) and runs an image tagged
 * `tag`, then Milvus answers healthy on `:9091/healthz` (through the API server's service proxy, or the Service
 * directly: `ctx.healthCheck`), all within the step timeout; otherwise ExecutorExit(HEALTH_GATE_FAILED) starting
 * with `what`.
 * @param values the values that name the Milvus Service (the step's, or the live release's)
 */
export async function healthGate(ctx: ExecutorContext, tag: string, what: string, values: unknown): Promise<void> {
  const { client, input } = ctx;
  const ns = input.namespace;
  const timeout = ctx.stepTimeoutSeconds;
  const deadline = client.now() + timeout * 1000;
  const fail = (message: string): never => {
    throw new ExecutorExit(EXIT_CODES.HEALTH_GATE_FAILED, `${what}: ${message}`);
  };
  const list = async (): Promise<DeploymentImage[]> => {
    const r = await client.kubectl(["get", "deployments", "-n", ns, "-l", ctx.selector, "-o", "json"]);
    if (r.code !== 0) fail(`listing the Milvus deployments failed: ${r.stderr.trim()}`);
    const found = deploymentImages(parseJson(r.stdout));
    if (!found) fail("kubectl get deployments printed no JSON list");
    return found as DeploymentImage[];
  };
  const first = await list();
  if (first.length === 0) fail(`no Milvus deployment of release ${input.releaseName} found (label selector ${ctx.selector})`);
  for (const d of first) {
    const left = Math.max(1, Math.floor((deadline - client.now()) / 1000));
    const r = await client.kubectl(["rollout", "status", `deployment/${d.name}`, "-n", ns, `--timeout=${left}s`]);
    if (r.code !== 0) fail(`deployment ${d.name} did not finish rolling out within ${timeout}s. Fix it, then re-run: the executor checks the live release before it continues.`);
  }
  let current = first;
  for (;;) {
    const wrong = current.filter((d) => !imageHasTag(d.image, tag));
    if (wrong.length === 0) break;
    if (client.now() >= deadline) {
      fail(`after ${timeout}s these deployments still do not run an image tagged ${tag}: ${wrong.map((d) => `${d.name}=${d.image}`).join(", ")}. Fix them, then re-run: the executor checks the live release before it continues.`);
    }
    await client.sleep(HEALTH_POLL_SECONDS * 1000);
    current = await list();
  }
  const service = milvusHealthService(input.releaseName, values);
  if (service === undefined) {
    ctx.reporter.note(`${what}: no Milvus metrics port to ask (metrics.enabled or proxy.enabled is false): /healthz not checked`);
    return;
  }
  const fix = "Fix it, then re-run: the executor checks the live release before it continues.";
  if (ctx.healthCheck === "service") {
    const url = healthzUrl(ns, service);
    for (;;) {
      // Each request is bounded by what is left of the step timeout (at least a second for the last try).
      const left = deadline - client.now();
      const r = await client.httpGet(url, { timeoutMs: Math.max(1000, Math.min(HEALTH_REQUEST_TIMEOUT_MS, left)) });
      // Milvus answers 200 "OK" when healthy, 500 with the reason otherwise (internal/http/healthz/healthz_handler.go).
      if (r.status === 200) return;
      if (client.now() >= deadline) {
        const answer = r.status === 0 ? `no answer: ${r.error ?? "unknown error"}. A default-deny NetworkPolicy may keep this pod from reaching port ${MILVUS_METRICS_PORT} of the Milvus pods (allow egress from the executor's pod, label app.kubernetes.io/name=milvus-upgrader, and ingress into Milvus on ${MILVUS_METRICS_PORT}, plus DNS)` : `HTTP ${r.status}: ${r.body.trim().slice(0, 500) || "(empty body)"}`;
        fail(`Milvus did not answer healthy on ${service}:${MILVUS_METRICS_PORT}/healthz within ${timeout}s (GET ${url}): ${answer}. ${fix}`);
      }
      await client.sleep(HEALTH_POLL_SECONDS * 1000);
    }
  }
  const path = healthzPath(ns, service);
  for (;;) {
    const r = await client.kubectl(["get", "--raw", path]);
    if (r.code === 0) return;
    if (client.now() >= deadline) {
      const answer = (r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`).slice(0, 500);
      fail(`Milvus did not answer healthy on ${service}:${MILVUS_METRICS_PORT}/healthz within ${timeout}s (kubectl get --raw ${path}): ${answer}. ${fix}`);
    }
    await client.sleep(HEALTH_POLL_SECONDS * 1000);
  }
}
