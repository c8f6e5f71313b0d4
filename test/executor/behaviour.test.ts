/**
 * The executor behaviour issue #10 changed, each as a user meets it, in process against the fake cluster: nothing to
 * do is success, one run at a time (the release's Lease), the Milvus-level health gate (/healthz through the API
 * server's service proxy), what a reset drops, and live values read by their nested path only.
 */
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { LEASE_DURATION_SECONDS, leaseName, microTime } from "../../src/executor/lock";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import { FakeCluster } from "./fake/cluster";
import { runInProcess } from "./fake/run";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
/** What the Pulumi Job carries: only the stops, with expectedFrom; the Helm Release does the final upgrade. */
const PULUMI_STOPS: ExecutorOptions = { ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false, expectedFrom: "2.5.8" };

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

const run = (opts: ExecutorOptions = BASE, o: Parameters<typeof runInProcess>[2] = {}) => runInProcess(fake, renderExecutor(opts), o);

describe("nothing to do is success", () => {
  it("the Pulumi Job (stops only, expectedFrom set) exits 0 once the live version is the target (it exited 23 before)", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const r = await run(PULUMI_STOPS);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("nothing to do: live Milvus 2.6.4 (revision 1, deployed) has passed every step");
    expect(fake.upgrades()).toEqual([]);
  });

  it("a latest revision past every step exits 0 whatever its status, so the Helm Release can repair a failed target", async () => {
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6", status: "failed" });
    for (const status of ["failed", "pending-upgrade"]) {
      fake.release.state.revisions[1]!.status = status;
      const r = await run(PULUMI_STOPS);
      expect([status, r.code]).toEqual([status, EXIT_CODES.SUCCESS]);
      expect(r.stdout).toContain(`(revision 2, ${status}) has passed every step`);
    }
    expect(fake.upgrades()).toEqual([]);
  });

  it("a deployed release at the target is success with expectedFrom too (the final step re-applies it)", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const r = await run({ ...BASE, expectedFrom: "2.5.8" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["5.0.6"]);
  });

  it("a re-run after a successful upgrade succeeds (apply twice)", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    expect((await run()).code).toBe(EXIT_CODES.SUCCESS);
    expect((await run({ ...BASE, expectedFrom: "2.5.8" })).code).toBe(EXIT_CODES.SUCCESS);
    expect((await run(PULUMI_STOPS)).code).toBe(EXIT_CODES.SUCCESS);
  });

  it("past every step but above the target is still a downgrade", async () => {
    fake.addRevision({ tag: "v2.6.5", chart: "5.0.7" });
    expect((await run(PULUMI_STOPS)).code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
  });
});

describe("one run at a time: the release's Lease", () => {
  const NAME = leaseName("my-milvus");

  function otherHolder(renewedAgoSeconds: number): void {
    const t = microTime(fake.now() - renewedAgoSeconds * 1000);
    fake.kube.state.leases[NAME] = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: NAME, namespace: "milvus", resourceVersion: "7" },
      spec: { holderIdentity: "pod my-milvus-upgrade-abc", leaseDurationSeconds: LEASE_DURATION_SECONDS, acquireTime: t, renewTime: t, leaseTransitions: 2 },
    };
  }

  it("is taken before the release is read and released at the end (create, then replace with its resourceVersion)", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    const calls = fake.leaseCalls();
    expect(calls[0]).toEqual(["get", "lease", NAME, "-n", "milvus", "-o", "json"]);
    expect(calls[1]).toEqual(["create", "-f", "-", "-n", "milvus", "-o", "json"]);
    expect(calls.at(-1)).toEqual(["replace", "-f", "-", "-n", "milvus", "-o", "json"]);
    // Released like client-go's ReleaseOnCancel: no holder, duration 1 s.
    expect((fake.lease()!.spec as Record<string, unknown>).holderIdentity).toBeUndefined();
    expect((fake.lease()!.spec as Record<string, unknown>).leaseDurationSeconds).toBe(1);
    // The lock comes first: no helm call but the version check before it.
    const firstLease = fake.kubectlCalls().findIndex((c) => c[1] === "lease");
    expect(firstLease).toBe(0);
  });

  it("a second executor says who holds it and exits RELEASE_LOCKED before anything changes", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    otherHolder(5);
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.RELEASE_LOCKED);
    expect(r.stderr).toContain("release my-milvus is locked by pod my-milvus-upgrade-abc (Lease my-milvus-milvus-upgrade in namespace milvus");
    expect(r.stderr).toContain("Nothing was changed");
    expect(fake.helmCalls()).toEqual([["version", "--template", "{{.Version}}"]]);
    expect((fake.lease()!.spec as Record<string, unknown>).holderIdentity).toBe("pod my-milvus-upgrade-abc");
  });

  it("an expired lease (its holder died) is taken over, counting the transition", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    otherHolder(LEASE_DURATION_SECONDS + 5);
    let during: Record<string, unknown> | undefined;
    const r = await run(BASE, {
      hooks: {
        beforeHelm: (args) => {
          if (args[0] === "upgrade") during ??= structuredClone(fake.lease()!.spec as Record<string, unknown>);
        },
      },
    });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(during).toMatchObject({ holderIdentity: "test executor", leaseTransitions: 3, leaseDurationSeconds: LEASE_DURATION_SECONDS });
  });

  it("two executors at once: the second one is refused while the first upgrades, and runs once the first finished", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    let second: Awaited<ReturnType<typeof runInProcess>> | undefined;
    const bundle = renderExecutor(BASE);
    fake.writeBundle(bundle);
    const first = await runInProcess(fake, undefined, {
      holder: "first",
      hooks: {
        beforeHelm: async (args) => {
          if (args[0] === "upgrade" && !second) second = await runInProcess(fake, undefined, { holder: "second", hooks: {} });
        },
      },
    });
    expect(first.code).toBe(EXIT_CODES.SUCCESS);
    expect(second?.code).toBe(EXIT_CODES.RELEASE_LOCKED);
    expect(second?.stderr).toContain("is locked by first");
    expect(fake.upgrades()).toHaveLength(2);
    const third = await runInProcess(fake, undefined, { holder: "second" });
    expect(third.code).toBe(EXIT_CODES.SUCCESS);
  });

  it("a run whose lease was taken over (it stalled past the duration) stops before its next change", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    let stolen = false;
    const r = await run(BASE, {
      hooks: {
        beforeHelm: async (args) => {
          if (args[0] !== "upgrade" || stolen) return;
          stolen = true;
          // This executor stalls for two lease durations; meanwhile another one takes the expired lease.
          await fake.sleep(2 * LEASE_DURATION_SECONDS * 1000);
          const lease = fake.kube.state.leases[NAME] as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
          fake.kube.state.leases[NAME] = { ...lease, metadata: { ...lease.metadata, resourceVersion: "999" }, spec: { ...lease.spec, holderIdentity: "pod thief", renewTime: microTime(fake.now()) } };
        },
      },
    });
    expect(r.code).toBe(EXIT_CODES.RELEASE_LOCKED);
    expect(r.stderr).toContain("the lock was taken over by pod thief");
    // Step 1's upgrade had started; nothing after it (no gate, no step 2).
    expect(fake.upgrades()).toHaveLength(1);
    expect((fake.lease()!.spec as Record<string, unknown>).holderIdentity).toBe("pod thief");
  });

  it("a dry run only reads the lease and says who holds it", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    otherHolder(5);
    const r = await run(BASE, { dryRun: true });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toContain("is locked by pod my-milvus-upgrade-abc");
    expect(fake.leaseCalls()).toEqual([["get", "lease", NAME, "-n", "milvus", "-o", "json"]]);
  });
});

describe("the Milvus-level health gate", () => {
  it("waits for /healthz to answer healthy within the step timeout", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    let polls = 0;
    fake.setHealthz("component querynode is not healthy");
    const r = await run(BASE, {
      hooks: {
        beforeKubectl: (args) => {
          if (args[1] === "--raw" && ++polls === 3) fake.setHealthz("ok");
        },
      },
    });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(polls).toBeGreaterThan(3);
  });

  it("exits 11 with what Milvus answered when it stays unhealthy", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    fake.setHealthz("component querynode is not healthy");
    const r = await run({ ...BASE, stepTimeoutSeconds: 10 });
    expect(r.code).toBe(EXIT_CODES.HEALTH_GATE_FAILED);
    expect(r.stderr).toContain("before step 1: the live release (Milvus 2.5.8): Milvus did not answer healthy on my-milvus:9091/healthz within 10s");
    expect(r.stderr).toContain("component querynode is not healthy");
    expect(fake.upgrades()).toEqual([]);
  });

  it("asks the Service the chart names: fullnameOverride, and <release>-milvus for a release without 'milvus' in its name", async () => {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6" });
    const withOverride = PLAN.steps.map((s) => ({ ...s, values: { ...s.values, fullnameOverride: "vectors" } }));
    expect((await run({ ...BASE, steps: withOverride })).code).toBe(EXIT_CODES.SUCCESS);
    const raws = fake.kubectlCalls().filter((c) => c[1] === "--raw");
    // Before the step the live release (no override) is asked, after it the step's Service.
    expect(raws.map((c) => c[2])).toEqual(["/api/v1/namespaces/milvus/services/my-milvus:9091/proxy/healthz", "/api/v1/namespaces/milvus/services/vectors:9091/proxy/healthz"]);
  });
});

describe("say what a reset drops", () => {
  it("names the user-supplied values --reset-values drops before the first step", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { tolerations: [{ key: "gpu", operator: "Exists" }], queryNode: { nodeSelector: { pool: "big" } }, "dotted.key": 1 } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toContain('--reset-values drops these user-supplied values of release my-milvus, which step 1 (2.5.16 (chart 4.2.58)) does not set: "dotted.key", queryNode.nodeSelector.pool, tolerations.');
    expect(fake.helmCalls()).toContainEqual(["get", "values", "my-milvus", "-n", "milvus", "-o", "json"]);
  });

  it("says nothing when the step's values cover the user's", async () => {
    fake.addRevision({ tag: "v2.5.8" });
    const r = await run();
    expect(r.stderr).not.toContain("--reset-values drops");
  });
});

describe("live values are read by their nested path only", () => {
  it("a literal dotted key 'mixCoordinator.enabled' next to the nested key does not skip the mandatory 2.5.16 stop", async () => {
    // The awk JSON reader flattened both to "mixCoordinator.enabled" and read the literal true: the stop was skipped.
    fake.addRevision({ tag: "v2.5.16", chart: "4.2.58", values: { mixCoordinator: { enabled: false }, "mixCoordinator.enabled": true } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toContain("mixCoordinator false");
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["4.2.58", "5.0.6"]);
  });

  it("a literal dotted key 'cluster.enabled' does not make a cluster release look standalone", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { "cluster.enabled": false } });
    expect((await run()).code).toBe(EXIT_CODES.SUCCESS);
  });
});
