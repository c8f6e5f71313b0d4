/**
 * Which cluster the executor talks to (src/executor/connection.ts; issue #11 item 10): `connection.json` parsed
 * strictly, the context bound to every helm and kubectl call, and the kube-system uid checked before anything else.
 * In process against the fake cluster, whose kubeconfig knows two contexts (the release's cluster and another).
 */
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { CLUSTER_IDENTITY_ARGS, isKubeContextName, parseConnection, withKubeContext } from "../../src/executor/connection";
import { planUpgrade } from "../../src/plan/plan";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const CHAIN: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
const PROD_UID = "uid-of-prod";

let fake: FakeCluster;
beforeEach(() => {
  // The machine's current context is staging; the release lives in prod.
  fake = FakeCluster.create25({ contexts: { staging: "uid-of-staging", prod: PROD_UID }, currentContext: "staging" });
  fake.addRevision({ tag: "v2.5.8" });
});
afterEach(() => {
  fake.cleanup();
});

describe("parseConnection", () => {
  it.each<[string, string, Record<string, string> | RegExp]>([
    ["empty object", "{}", {}],
    ["both fields", '{"context":"arn:aws:eks:eu-west-1:1:cluster/prod","kubeSystemUid":"u"}', { context: "arn:aws:eks:eu-west-1:1:cluster/prod", kubeSystemUid: "u" }],
    ["not JSON", "context=prod", /is not JSON/],
    ["an array", "[]", /must be a JSON object/],
    ["an unknown key (a typo must not be ignored)", '{"contxt":"prod"}', /unknown key "contxt"/],
    ["an empty context", '{"context":""}', /not a kubeconfig context name/],
    ["a context with a line break", '{"context":"prod\\n--kubeconfig=/etc/x"}', /not a kubeconfig context name/],
    ["a numeric uid", '{"kubeSystemUid":42}', /kubeSystemUid must be a non-empty string/],
  ])("%s", (_label, text, expected) => {
    if (expected instanceof RegExp) expect(() => parseConnection(text)).toThrow(expected);
    else expect(parseConnection(text)).toEqual(expected);
  });

  it.each<[unknown, boolean]>([
    ["prod", true],
    ["gke_project_europe-west1_cluster", true],
    ["x".repeat(253), true],
    ["x".repeat(254), false],
    ["", false],
    ["a\tb", false],
    [7, false],
  ])("isKubeContextName(%j) = %s", (name, ok) => {
    expect(isKubeContextName(name)).toBe(ok);
  });
});

describe("the context on every call, the identity first", () => {
  it("with the provider's context and uid: every helm and kubectl call names the context, and the chain runs", async () => {
    const r = await runInProcess(fake, renderExecutor(CHAIN), { client: withKubeContext(fake.client(), "prod"), expectedClusterUid: PROD_UID });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
    expect(new Set(fake.kube.state.contextCalls)).toEqual(new Set(["prod"]));
    // The identity read is the run's first call.
    expect(fake.kube.state.calls[0]).toEqual([...CLUSTER_IDENTITY_ARGS]);
  });

  it("the current context reaches another cluster: WRONG_CLUSTER naming both uids and the rule, before helm, the lock or any change", async () => {
    const r = await runInProcess(fake, renderExecutor(CHAIN), { expectedClusterUid: PROD_UID });
    expect(r.code).toBe(EXIT_CODES.WRONG_CLUSTER);
    expect(r.stderr).toMatch(/uid "uid-of-staging", but the Kubernetes provider's cluster has uid "uid-of-prod".*\[R-LOCAL-CLUSTER\]/);
    expect(fake.helmCalls()).toEqual([]);
    expect(fake.kube.state.calls).toEqual([[...CLUSTER_IDENTITY_ARGS]]);
    expect(fake.kube.state.leases).toEqual({});
    expect(fake.current()).toMatchObject({ tag: "v2.5.8" });
  });

  it("a dry run (the guard) is checked too: on another cluster its verdict would be about the wrong release", async () => {
    const r = await runInProcess(fake, renderExecutor(CHAIN), { dryRun: true, expectedClusterUid: PROD_UID });
    expect(r.code).toBe(EXIT_CODES.WRONG_CLUSTER);
  });

  it("a context the kubeconfig does not know: kubectl's error in the message, WRONG_CLUSTER", async () => {
    const r = await runInProcess(fake, renderExecutor(CHAIN), { client: withKubeContext(fake.client(), "prod-typo"), expectedClusterUid: PROD_UID });
    expect(r.code).toBe(EXIT_CODES.WRONG_CLUSTER);
    expect(r.stderr).toMatch(/cannot read which cluster kubectl reaches.*context "prod-typo" does not exist.*\[R-LOCAL-CLUSTER\]/);
    expect(fake.helmCalls()).toEqual([]);
  });

  it("without an expected uid (the Job, apply) nothing is read first: the run is unchanged", async () => {
    const r = await runInProcess(fake, renderExecutor(CHAIN));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.kube.state.calls.some((c) => c[1] === "namespace")).toBe(false);
  });
});
