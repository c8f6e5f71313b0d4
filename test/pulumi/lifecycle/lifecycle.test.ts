/**
 * Successive `pulumi up`s of one stack, with the engine and the Kubernetes provider modelled from their source (see
 * engine.ts) and the executor Job's script run against the fake helm/kubectl. Each scenario is a user's story from
 * issue #11.
 */
import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster, type MilvusClusterArgs } from "../../../src/pulumi";
import { credentialsVersion, identityProblems } from "../../../src/pulumi/resolve";
import { PROVIDER_CONTEXT, type RunResult, Stack } from "./engine";

const JOB = "kubernetes:batch/v1:Job";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";

let warn: jest.SpyInstance;
beforeAll(() => {
  jest.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
  warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  jest.spyOn(pulumi.log, "error").mockImplementation(() => Promise.resolve());
});

let stack: Stack;
beforeEach(() => {
  stack = new Stack();
});
afterEach(() => {
  stack.cleanup();
});

/** The program: one MilvusCluster `my-milvus`, awaited through its Release and outputs. */
function program(args: MilvusClusterArgs) {
  return (opts: pulumi.ComponentResourceOptions): pulumi.Output<unknown>[] => {
    const c = new MilvusCluster("my-milvus", args, opts);
    return [c.namespace, c.release.urn, c.status, c.endpoint];
  };
}

const BASE: MilvusClusterArgs = { namespace: "milvus", messageQueue: "pulsarv3", version: "2.5.8" };
const op = (r: RunResult, key: string) => r.steps.filter((s) => s.key === key).map((s) => s.op);
const JOB_KEY = `${JOB}::my-milvus-executor`;
const RELEASE_KEY = `${RELEASE}::my-milvus`;

describe("version bump with a failing stop, then a retry (replaceUnready)", () => {
  it("install 2.5.8 -> bump to 2.6.4 -> the Job fails at 2.5.16 -> the user fixes it -> the next up completes", async () => {
    // First install of 2.5.8 with pulsarv3: no candidate stop can exist below it; the guard executor (a dry run)
    // finds no release and changes nothing, then the Release installs.
    const first = await stack.up(program(BASE));
    expect(first).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });

    // Bump: the stop 2.5.16 fails (its chart cannot be fetched); the Release, which depends on the Job, is untouched.
    stack.fake.failUpgrade("4.2.58", "fetch");
    const bump = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(bump.ok).toBe(false);
    expect(bump.error).toMatch(/executor exit/);
    expect(op(bump, JOB_KEY)).toEqual(["replace", "replace"]); // the guard Job of 2.5.8 gives way to the stops Job
    expect(op(bump, RELEASE_KEY)).toEqual(["update"]); // planned by the preview; the update never reaches the Release
    expect(stack.fake.current().tag).toBe("v2.5.8");

    // The user fixes the cause; the program is unchanged. The provider sees replaceUnready on a Job that is not
    // ready and replaces it, so the executor runs again and resumes.
    stack.fake.clearFailure();
    const retry = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(retry).toMatchObject({ ok: true, executorRuns: 1 });
    expect(op(retry, JOB_KEY)).toEqual(["replace", "replace"]); // preview, then update
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", chart: "5.0.6", status: "deployed" });

    // A further up changes nothing: the Job is Complete (no replaceUnready replacement), the Release is the same.
    const again = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(again).toMatchObject({ ok: true, executorRuns: 0 });
    expect(op(again, JOB_KEY)).toEqual(["same", "same"]);
    expect(op(again, RELEASE_KEY)).toEqual(["same", "same"]);
  }, 120_000);

  it("without the annotation the stack is stuck: the failed Job gets an empty update and fails at once (why replaceUnready)", async () => {
    const strip = (opts: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions => ({
      ...opts,
      transformations: [
        ...(opts.transformations ?? []),
        (a) => {
          if (a.type !== JOB) return undefined;
          const metadata = a.props["metadata"] as { annotations: Record<string, string> };
          const { "pulumi.com/replaceUnready": _dropped, ...annotations } = metadata.annotations;
          return { props: { ...a.props, metadata: { ...metadata, annotations } }, opts: a.opts };
        },
      ],
    });
    const prog = (args: MilvusClusterArgs) => (opts: pulumi.ComponentResourceOptions) => program(args)(strip(opts));
    await stack.up(prog(BASE));
    stack.fake.failUpgrade("4.2.58", "fetch");
    expect((await stack.up(prog({ ...BASE, version: "2.6.4" }))).ok).toBe(false);
    stack.fake.clearFailure();
    const retry = await stack.up(prog({ ...BASE, version: "2.6.4" }));
    expect(retry).toMatchObject({ ok: false, executorRuns: 0 });
    expect(op(retry, JOB_KEY)).toEqual(["empty-update", "empty-update"]);
    expect(retry.error).toMatch(/Failed condition is True/);
    expect(stack.fake.current().tag).toBe("v2.5.8");
  }, 120_000);
});

describe("refresh after the Job is gone", () => {
  it("no TTL by default: Kubernetes keeps the finished Job, refresh keeps it, the next up runs nothing", async () => {
    await stack.up(program({ ...BASE, version: "2.6.4", expectedFrom: undefined }));
    expect(stack.live.expireJobs()).toEqual([]);
    expect(stack.refresh().steps).toEqual([]);
    const next = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(next).toMatchObject({ ok: true, executorRuns: 0 });
    expect(op(next, JOB_KEY)).toEqual(["same", "same"]);
  }, 120_000);

  it("with executorJobTtlSeconds the TTL deletes the Job, refresh drops it and every later up creates it again (the drift it documents)", async () => {
    const args = { ...BASE, version: "2.6.4", executorJobTtlSeconds: 3600 };
    await stack.up(program(args));
    expect(stack.live.expireJobs()).toHaveLength(1);
    expect(stack.refresh().steps).toEqual([{ key: JOB_KEY, op: "refresh-drop" }]);
    const next = await stack.up(program(args));
    expect(op(next, JOB_KEY)).toEqual(["create", "create"]);
    expect(next.executorRuns).toBe(1);
  }, 120_000);

  it("the Job deleted by hand, then refresh: the next up re-creates it and the executor finds nothing to do", async () => {
    await stack.up(program({ ...BASE, version: "2.6.4" }));
    stack.live.jobs.clear();
    stack.refresh();
    const next = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(next).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", revision: 1 });
  }, 120_000);
});

describe("expectedFrom kept after success, and a failed final upgrade", () => {
  it("expectedFrom 2.5.8 stays in the program after the upgrade: later ups are the same, the Job does not run again", async () => {
    stack.fake.addRevision({ tag: "v2.5.8", chart: "4.2.44" });
    const args = { ...BASE, version: "2.6.4", expectedFrom: "2.5.8", releaseOptions: {} };
    const up = await stack.up(program(args));
    expect(up).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
    for (let i = 0; i < 2; i++) {
      const again = await stack.up(program(args));
      expect(again).toMatchObject({ ok: true, executorRuns: 0 });
    }
  }, 120_000);

  it("the final Release fails, then the user repairs it: the Job is not re-run, the Release gets an empty update that upgrades again", async () => {
    await stack.up(program(BASE));
    stack.faults.releaseFails = true;
    const failed = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(failed.ok).toBe(false);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "failed" });
    stack.faults.releaseFails = false;
    const repaired = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(repaired).toMatchObject({ ok: true, executorRuns: 0 });
    expect(op(repaired, JOB_KEY)).toEqual(["same", "same"]);
    expect(op(repaired, RELEASE_KEY)).toEqual(["empty-update", "empty-update"]);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
  }, 120_000);
});

describe("release identity (R-RELEASE-IDENTITY)", () => {
  // The preview step the guard reads: the identity record as the engine returns it, and the guard's verdict on it.
  // The refusal through a whole failing `up` is in refusals.test.ts.
  const identityKey = "kubernetes:core/v1:ConfigMap::my-milvus-identity";

  it.each([
    ["namespace", { namespace: "milvus-2" }, /namespace: changes from "milvus" to "milvus-2"/],
    ["releaseName", { releaseName: "milvus-b" }, /releaseName: changes from "my-milvus" to "milvus-b"/],
  ] as const)("a %s change: the identity record keeps the first identity (ignoreChanges) and the guard refuses with R-RELEASE-IDENTITY", async (_field, change, message) => {
    await stack.up(program(BASE));
    const recorded = stack.state.get(identityKey)!.outputs["data"] as Record<string, string>;
    expect(recorded).toEqual({ releaseName: "my-milvus", namespace: "milvus" });
    expect(stack.optionsOf("kubernetes:core/v1:ConfigMap", "my-milvus-identity")?.ignoreChanges).toEqual(["metadata.name", "metadata.namespace", "data"]);
    const desired = { releaseName: "my-milvus", namespace: "milvus", ...change };
    const problems = identityProblems(recorded, desired, false);
    expect(problems.map((p) => `${p.field}: ${p.message} [${p.ruleId}] Fix: ${p.fix}`).join("\n")).toMatch(message);
    expect(problems[0]).toMatchObject({ ruleId: "R-RELEASE-IDENTITY", fix: expect.stringContaining("allowReleaseReplacement: true") });
    expect(identityProblems(recorded, desired, true)).toEqual([]);
  }, 120_000);

  it("allowReleaseReplacement: the provider replaces the Release (a new install), as the user asked", async () => {
    // executor "none": the fake cluster models one namespace only, and this is about the provider's replacement.
    await stack.up(program({ ...BASE, executor: "none" }));
    const moved = await stack.up(program({ ...BASE, executor: "none", namespace: "milvus-2", allowReleaseReplacement: true }));
    expect(moved.ok).toBe(true);
    expect(op(moved, RELEASE_KEY)).toEqual(["replace", "replace"]);
  }, 120_000);
});

describe("destroy", () => {
  it("deletes the Release, the executor objects and the Secret; keeps the volume claims and the created Namespace", async () => {
    const args: MilvusClusterArgs = { ...BASE, version: "2.6.4", createNamespace: true, minioCredentials: { accessKey: pulumi.secret("ak"), secretKey: pulumi.secret("sk") } };
    await stack.up(program(args));
    const d = stack.destroy();
    const byOp = (o: string) => d.steps.filter((s) => s.op === o).map((s) => s.key.split("::")[0]);
    expect(byOp("retain")).toEqual([NAMESPACE]);
    expect(byOp("delete")).toEqual(expect.arrayContaining([RELEASE, JOB, "kubernetes:core/v1:Secret", "kubernetes:core/v1:ConfigMap"]));
    expect(stack.live.namespaces.has("milvus")).toBe(true);
    expect(stack.live.claimsIn("milvus")).toEqual(["data-my-milvus-etcd-0", "export-my-milvus-minio-0"]);
    expect(stack.state.size).toBe(0);
  }, 120_000);

  it("retainNamespaceOnDelete: false deletes the Namespace, and with it every claim", async () => {
    await stack.up(program({ ...BASE, createNamespace: true, retainNamespaceOnDelete: false }));
    stack.destroy();
    expect(stack.live.namespaces.has("milvus")).toBe(false);
    expect(stack.live.claimsIn("milvus")).toEqual([]);
  }, 120_000);
});

describe("credential rotation", () => {
  const creds = (sk: string): MilvusClusterArgs => ({ ...BASE, version: "2.5.16", minioCredentials: { accessKey: pulumi.secret("ak"), secretKey: pulumi.secret(sk) } });
  const annotation = () => (stack.fake.current().values["annotations"] as Record<string, string> | undefined)?.["milvus-cluster/credentials-version"];

  it("a new secret key writes the Secret, which changes the pod annotation, so the Release rolls the pods; an unchanged key changes nothing", async () => {
    await stack.up(program(creds("sk-1")));
    const before = annotation();
    const secret = [...stack.live.secrets.values()][0]!;
    expect(before).toBe(credentialsVersion(secret.uid, String(secret.resourceVersion)));
    const same = await stack.up(program(creds("sk-1")));
    expect(op(same, RELEASE_KEY)).toEqual(["same", "same"]);
    const rotated = await stack.up(program(creds("sk-2")));
    expect(op(rotated, "kubernetes:core/v1:Secret::my-milvus-credentials")).toContain("update");
    expect(op(rotated, RELEASE_KEY).at(-1)).toBe("update");
    expect(annotation()).not.toBe(before);
    // The annotation is derived from uid and resourceVersion only: no credential value went into it.
    expect(annotation()).toBe(credentialsVersion(secret.uid, "2"));
  }, 120_000);
});

describe("adoption", () => {
  it("the imported Release's values output is kept secret in the state", async () => {
    stack.fake.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
    await stack.up(program({ ...BASE, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16" }));
    expect(stack.optionsOf(RELEASE, "my-milvus")).toMatchObject({ import: "milvus/my-milvus", additionalSecretOutputs: ["values"] });
    await stack.up(program({ ...BASE, version: "2.5.16" }));
    expect(stack.optionsOf(RELEASE, "my-milvus")?.additionalSecretOutputs).toBeUndefined();
  }, 120_000);
});

describe("adoption: the preview names what the first reset drops", () => {
  it("a hand-installed release's tolerations and password: key paths in a preview warning, no value; tolerations no longer named once helmValues carries them", async () => {
    stack.fake.addRevision({ tag: "v2.5.16", chart: "4.2.58", values: { tolerations: [{ key: "dedicated", effect: "NoSchedule" }], minio: { secretKey: "plain-live-secret" } } });
    warn.mockClear();
    await stack.preview(program({ ...BASE, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16" }));
    const warned = warn.mock.calls.map((c) => String(c[0])).join("\n");
    expect(warned).toMatch(/--reset-values \(2\.5\.16 \(chart 4\.2\.58\)\) drops these user-supplied values of the live release: .*minio\.secretKey.*tolerations.*\[R-RESET-VALUES\]/);
    expect(warned).not.toMatch(/plain-live-secret|dedicated|NoSchedule/);
    warn.mockClear();
    await stack.preview(program({ ...BASE, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16", helmValues: { tolerations: [{ key: "dedicated", effect: "NoSchedule" }] } }));
    const carried = warn.mock.calls.map((c) => String(c[0])).join("\n");
    expect(carried).toMatch(/live release: minio\.secretKey \[R-RESET-VALUES\]/);
    expect(carried).not.toMatch(/tolerations \[R-RESET/);
  }, 60_000);
});

describe("preview warnings", () => {
  it("candidate stops with the offline 2.1 -> 2.2 migration and no expectedFrom: a warning, not an info line", async () => {
    warn.mockClear();
    // Bundled Pulsar v2 existed on 2.1, so the 2.2 migration is a candidate stop (pulsarv3 did not, and has none).
    await stack.preview(program({ ...BASE, messageQueue: "pulsar", version: "2.6.4" }));
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/expectedFrom is unset.*offline metadata migration to 2\.2\.0.*\[?R-META-MIGRATION/s);
    warn.mockClear();
    await stack.preview(program({ ...BASE, messageQueue: "pulsar", version: "2.6.4", expectedFrom: "2.5.8" }));
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).not.toMatch(/offline metadata migration/);
  }, 60_000);
});

describe("guard executor before every Release change (no stop)", () => {
  it("a downgrade typo 2.6.4 -> 2.6.3 is refused by the guard before the Release moves", async () => {
    await stack.up(program({ ...BASE, version: "2.6.4" }));
    const typo = await stack.up(program({ ...BASE, version: "2.6.3" }));
    expect(typo.ok).toBe(false);
    expect(typo.error).toMatch(/downgrade|2\.6\.3/i);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
  }, 120_000);

  it("a patch bump 2.6.4 -> 2.6.5 passes the guard (a dry run: no helm upgrade of its own), then the Release upgrades", async () => {
    await stack.up(program({ ...BASE, version: "2.6.4" }));
    const before = stack.fake.upgrades().length;
    const bump = await stack.up(program({ ...BASE, version: "2.6.5" }));
    expect(bump).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.upgrades().length).toBe(before);
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.5", status: "deployed" });
  }, 120_000);

  it('executor: "none" warns that nothing guards the Release, and the typo goes through', async () => {
    warn.mockClear();
    await stack.up(program({ ...BASE, version: "2.6.4", executor: "none" }));
    expect(warn.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/executor is "none": nothing guards the Release/);
    const typo = await stack.up(program({ ...BASE, version: "2.6.3", executor: "none" }));
    expect(typo).toMatchObject({ ok: true, executorRuns: 0 });
    expect(stack.fake.current().tag).toBe("v2.6.3");
  }, 120_000);

  it("after destroy, a re-install over the leftover claims is refused by the guard", async () => {
    await stack.up(program({ ...BASE, version: "2.6.4" }));
    stack.destroy();
    const again = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(again.ok).toBe(false);
    expect(again.error).toMatch(/volume claim|allowExistingData|exit 28/i);
    const allowed = await stack.up(program({ ...BASE, version: "2.6.4", allowExistingData: true }));
    expect(allowed.ok).toBe(true);
  }, 120_000);
});

describe("the executor re-run after success never fails the Job (nothing to do is success)", () => {
  it("expectedFrom 2.5.8 kept after the upgrade, Job deleted and refreshed away: the re-created Job finds 2.6.4 and succeeds", async () => {
    stack.fake.addRevision({ tag: "v2.5.8", chart: "4.2.44" });
    const args = { ...BASE, version: "2.6.4", expectedFrom: "2.5.8" };
    expect((await stack.up(program(args))).ok).toBe(true);
    stack.live.jobs.clear();
    stack.refresh();
    const rerun = await stack.up(program(args));
    expect(rerun).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
  }, 120_000);

  it("a failed final upgrade, then the Job re-run (deleted and refreshed away): the executor does not fail on the failed target revision", async () => {
    await stack.up(program(BASE));
    stack.faults.releaseFails = true;
    expect((await stack.up(program({ ...BASE, version: "2.6.4" }))).ok).toBe(false);
    stack.faults.releaseFails = false;
    stack.live.jobs.clear();
    stack.refresh();
    const rerun = await stack.up(program({ ...BASE, version: "2.6.4" }));
    expect(rerun.error).toBeUndefined();
    expect(rerun).toMatchObject({ ok: true, executorRuns: 1 });
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
  }, 120_000);
});

describe('executor: "local" with the provider\'s kubeconfig and context (item 10)', () => {
  const LOCAL_KEY = "command:local:Command::my-milvus-executor";
  it("install 2.5.8 -> bump to 2.6.4 through the stop 2.5.16 on the machine running Pulumi, every call in the provider's context; a further up runs nothing", async () => {
    // The machine's current context is another cluster; the program names the provider's context and passes the
    // kubeconfig's contents (a cluster resource's output), as it gave them to the provider.
    stack.fake.kube.state.contexts["staging"] = "kube-system-uid-of-another-cluster";
    stack.fake.kube.state.currentContext = "staging";
    const kubeconfig = `apiVersion: v1\nkind: Config\ncurrent-context: staging\ncontexts:\n- name: ${PROVIDER_CONTEXT}\n- name: staging\n`;
    const local: MilvusClusterArgs = { ...BASE, executor: "local", localContext: PROVIDER_CONTEXT, localKubeconfig: pulumi.secret(kubeconfig) };
    const first = await stack.up(program(local));
    expect(first.error).toBeUndefined();
    expect(first).toMatchObject({ ok: true, executorRuns: 1 }); // the guard (a dry run) before the install
    expect(stack.fake.current()).toMatchObject({ tag: "v2.5.8", status: "deployed" });

    const bump = await stack.up(program({ ...local, version: "2.6.4" }));
    expect(bump).toMatchObject({ ok: true, executorRuns: 1 });
    expect(op(bump, LOCAL_KEY)).toEqual(["replace", "replace"]); // new plan hash in triggers: pulumi-command replaces
    expect(stack.fake.current()).toMatchObject({ tag: "v2.6.4", chart: "5.0.6", status: "deployed" });
    // The stop ran through the executor: helm upgraded to 2.5.16 before the Release took 2.6.4.
    expect(stack.fake.release.state.revisions.map((r) => r.tag)).toEqual(["v2.5.8", "v2.5.16", "v2.6.4"]);
    // Every helm and kubectl call of both runs named the provider's context; the kubeconfig came on stdin, not env.
    expect(new Set(stack.fake.kube.state.contextCalls)).toEqual(new Set([PROVIDER_CONTEXT]));
    expect(stack.localRuns.map((r) => [r.code, r.context, r.kubeconfig === kubeconfig, "KUBECONFIG" in r.environment])).toEqual([
      [0, PROVIDER_CONTEXT, true, false],
      [0, PROVIDER_CONTEXT, true, false],
    ]);

    const again = await stack.up(program({ ...local, version: "2.6.4" }));
    expect(again).toMatchObject({ ok: true, executorRuns: 0 });
    expect(op(again, LOCAL_KEY)).toEqual(["same", "same"]);
  }, 120_000);
});
