/**
 * The health gate's in-cluster path (issue #10 item 4): the Job (`MILVUS_EXECUTOR_HEALTH=service`) asks Milvus's
 * `/healthz` on the Service, `http://<service>.<namespace>.svc:9091/healthz`, instead of the API server's service
 * proxy. In process against the fake cluster (healthy, unhealthy 500 with its reason, no answer, healthy after some
 * polls), and `ProcessClusterClient.httpGet` (Node's fetch) against a real local HTTP server.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { ProcessClusterClient } from "../../src/executor/cluster-client";
import { HEALTH_REQUEST_TIMEOUT_MS, healthzUrl, parseHealthCheckPath } from "../../src/executor/health";
import { planUpgrade } from "../../src/plan/plan";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
const URL_OF_RELEASE = "http://my-milvus.milvus.svc:9091/healthz";

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
  fake.addRevision({ tag: "v2.5.8" });
});
afterEach(() => {
  fake.cleanup();
});

const run = (opts: ExecutorOptions = BASE, o: Parameters<typeof runInProcess>[2] = {}) => runInProcess(fake, renderExecutor(opts), { healthCheck: "service", ...o });
const rawCalls = () => fake.kubectlCalls().filter((c) => c[1] === "--raw");

describe("the Service path of the health gate (the Job)", () => {
  it("a healthy Milvus: every gate asks the Service over HTTP, never the API server's proxy", async () => {
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    // The live release before step 1, then after each of the steps.
    expect(fake.httpCalls()).toEqual(Array(PLAN.steps.length + 1).fill(URL_OF_RELEASE));
    expect(rawCalls()).toEqual([]);
    // (The fake's metadata model records its own 2.1-layout notes here; none concerns the health check.)
    expect(fake.kube.violations().filter((v) => /health|http/.test(v))).toEqual([]);
  });

  it("the Service the chart names: fullnameOverride after the step, the live release's name before it", async () => {
    const withOverride = PLAN.steps.map((s) => ({ ...s, values: { ...s.values, fullnameOverride: "vectors" } }));
    expect((await run({ ...BASE, steps: withOverride })).code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.httpCalls()[0]).toBe(URL_OF_RELEASE);
    expect(new Set(fake.httpCalls().slice(1))).toEqual(new Set(["http://vectors.milvus.svc:9091/healthz"]));
  });

  it("an unhealthy Milvus (HTTP 500 with its reason) exits 11 with the status and body, before anything is upgraded", async () => {
    fake.setHealthz("Not all components are healthy, 3/4");
    const r = await run({ ...BASE, stepTimeoutSeconds: 10 });
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain(`before step 1: the live release (Milvus 2.5.8): Milvus did not answer healthy on my-milvus:9091/healthz within 10s (GET ${URL_OF_RELEASE}): HTTP 500: Not all components are healthy, 3/4.`);
    expect(r.stderr).toContain("re-run");
    expect(r.stderr).not.toContain("NetworkPolicy");
    expect(fake.upgrades()).toEqual([]);
    // Polled every 2 s until the step timeout: several requests, each bounded.
    expect(fake.httpCalls().length).toBeGreaterThan(3);
    expect(fake.httpTimeouts.every((t) => t >= 1 && t <= HEALTH_REQUEST_TIMEOUT_MS)).toBe(true);
  });

  it("no answer (connection refused) exits 11 with the connection error and names a default-deny NetworkPolicy", async () => {
    fake.setHealthzUnreachable("connect ECONNREFUSED 10.96.0.12:9091");
    const r = await run({ ...BASE, stepTimeoutSeconds: 13 });
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain("Milvus did not answer healthy on my-milvus:9091/healthz within 13s");
    expect(r.stderr).toContain("no answer: connect ECONNREFUSED 10.96.0.12:9091");
    expect(r.stderr).toContain("default-deny NetworkPolicy");
    expect(r.stderr).toContain("app.kubernetes.io/name=milvus-upgrader");
    expect(fake.upgrades()).toEqual([]);
    // A request that gets no answer costs its timeout; the last one is cut to what is left of the step timeout.
    expect(fake.httpTimeouts[0]).toBe(HEALTH_REQUEST_TIMEOUT_MS);
    // 0-5 s, sleep 2 s, 7-12 s, sleep 2 s, then the last try at 14 s gets the 1 s minimum.
    expect(fake.httpTimeouts).toEqual([5000, 5000, 1000]);
  });

  it("answers healthy after some polls: the run goes on and finishes", async () => {
    fake.setHealthz("Not all components are registered, 2/4");
    let polls = 0;
    const r = await run(BASE, {
      hooks: {
        beforeHttp: () => {
          if (++polls === 4) fake.setHealthz("ok");
        },
      },
    });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(polls).toBe(4 + PLAN.steps.length);
    expect(fake.upgrades()).toHaveLength(PLAN.steps.length);
  });

  it("unreachable, then reachable and healthy within the step timeout, passes", async () => {
    fake.setHealthzUnreachable("getaddrinfo ENOTFOUND my-milvus.milvus.svc");
    let polls = 0;
    const r = await run(BASE, {
      hooks: {
        beforeHttp: () => {
          if (++polls === 3) fake.setHealthzUnreachable(null);
        },
      },
    });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
  });

  it("the proxy path stays the default of runExecutor (apply, Pulumi's local executor)", async () => {
    const r = await runInProcess(fake, renderExecutor(BASE));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.httpCalls()).toEqual([]);
    expect(rawCalls().map((c) => c[2])).toEqual(Array(PLAN.steps.length + 1).fill("/api/v1/namespaces/milvus/services/my-milvus:9091/proxy/healthz"));
  });
});

describe("MILVUS_EXECUTOR_HEALTH", () => {
  it.each([
    [undefined, "proxy"],
    ["", "proxy"],
    ["proxy", "proxy"],
    ["service", "service"],
    ["Service", undefined],
    ["svc", undefined],
    [" service", undefined],
  ])("%j -> %j", (value, path) => {
    expect(parseHealthCheckPath(value)).toBe(path);
  });

  it("the URL is the Service's DNS name in the namespace, port 9091", () => {
    expect(healthzUrl("milvus", "my-milvus")).toBe(URL_OF_RELEASE);
  });
});

describe("ProcessClusterClient.httpGet (Node's fetch) against a real HTTP server", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/healthz") {
        res.writeHead(200, { "content-type": "text/plain" }).end("OK");
      } else if (req.url === "/sick") {
        res.writeHead(500, { "content-type": "text/plain" }).end("Not all components are healthy, 3/4");
      } else if (req.url === "/big") {
        res.writeHead(500).end("x".repeat(100_000));
      } else if (req.url === "/redirect") {
        res.writeHead(302, { location: "/healthz" }).end();
      } else if (req.url === "/hang") {
        // Never answers: the per-request timeout ends it.
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const client = new ProcessClusterClient({ helmBin: "/bin/false", kubectlBin: "/bin/false" });

  it("200 OK", async () => {
    expect(await client.httpGet(`${base}/healthz`, { timeoutMs: 5000 })).toEqual({ status: 200, body: "OK" });
  });

  it("500 with its body", async () => {
    expect(await client.httpGet(`${base}/sick`, { timeoutMs: 5000 })).toEqual({ status: 500, body: "Not all components are healthy, 3/4" });
  });

  it("keeps at most 4096 characters of a body", async () => {
    const r = await client.httpGet(`${base}/big`, { timeoutMs: 5000 });
    expect([r.status, r.body.length]).toEqual([500, 4096]);
  });

  it("does not follow a redirect (a 302 is not healthy)", async () => {
    expect((await client.httpGet(`${base}/redirect`, { timeoutMs: 5000 })).status).toBe(302);
  });

  it("no answer within the timeout is status 0 with the reason", async () => {
    expect(await client.httpGet(`${base}/hang`, { timeoutMs: 200 })).toEqual({ status: 0, body: "", error: "no answer within 200 ms" });
  });

  it("connection refused is status 0 with the socket error", async () => {
    // A port that was just free: listen on it, close it, then connect.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await client.httpGet(`http://127.0.0.1:${port}/healthz`, { timeoutMs: 5000 });
    expect(r.status).toBe(0);
    expect(r.error).toContain("ECONNREFUSED");
  });
});
