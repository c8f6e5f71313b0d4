/**
 * Upgrade-job mode under Argo CD and Flux (`gitOps`): the emitted annotations, and the tools' documented
 * reconciliation modelled step by step, to show that the executor Job runs once per plan and is never deleted while
 * it runs. The models follow the tools' documentation and source, cited at each rule; they are not the tools.
 */
import { Chart, Testing } from "cdk8s";
import { MilvusCluster, type MilvusClusterProps, MilvusGitOpsTool } from "../../src/cdk8s";
import { GITOPS_CONVENTIONS } from "../../src/cdk8s/gitops";
import { type K8sObject, ofKind, schemaProblems, single } from "./support";

const BASE: MilvusClusterProps = { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar" };

function synth(props: MilvusClusterProps): { cluster: MilvusCluster; objects: K8sObject[] } {
  const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
  const cluster = new MilvusCluster(chart, "milvus", props);
  return { cluster, objects: Testing.synth(chart) as K8sObject[] };
}

const jobSpec = (objects: K8sObject[]) => single(objects, "Job")["spec"] as Record<string, unknown>;

describe("gitOps: emitted conventions", () => {
  test('"argocd": the Job is a named Sync hook with delete policy HookFailed in wave 1, no TTL; the rest are plain', () => {
    const { cluster, objects } = synth({ ...BASE, gitOps: "argocd" });
    expect(cluster.gitOps).toBe("argocd");
    const job = single(objects, "Job");
    expect(job.metadata.name).toBe(cluster.jobName);
    expect(job.metadata.annotations).toEqual({
      "argocd.argoproj.io/hook": "Sync",
      "argocd.argoproj.io/hook-delete-policy": "HookFailed",
      "argocd.argoproj.io/sync-wave": "1",
    });
    expect(jobSpec(objects)).not.toHaveProperty("ttlSecondsAfterFinished");
    for (const kind of ["ServiceAccount", "Role", "RoleBinding"]) expect(single(objects, kind).metadata.annotations).toBeUndefined();
    // Both ConfigMaps (the plan's and the executor program's) are plain resources in wave 0.
    expect(ofKind(objects, "ConfigMap")).toHaveLength(2);
    for (const cm of ofKind(objects, "ConfigMap")) expect(cm.metadata.annotations).toBeUndefined();
  });

  test('"flux": the Job and its ConfigMaps are never pruned and applied only when absent, no TTL', () => {
    const { objects } = synth({ ...BASE, gitOps: MilvusGitOpsTool.FLUX });
    const flux = { "kustomize.toolkit.fluxcd.io/prune": "disabled", "kustomize.toolkit.fluxcd.io/ssa": "IfNotPresent" };
    expect(single(objects, "Job").metadata.annotations).toEqual(flux);
    // The plan's ConfigMap and the executor program's: a running Job reads both.
    expect(ofKind(objects, "ConfigMap")).toHaveLength(2);
    for (const cm of ofKind(objects, "ConfigMap")) expect(cm.metadata.annotations).toEqual(flux);
    expect(jobSpec(objects)).not.toHaveProperty("ttlSecondsAfterFinished");
    for (const kind of ["ServiceAccount", "Role", "RoleBinding"]) expect(single(objects, kind).metadata.annotations).toBeUndefined();
  });

  test('"none" (the default): no annotations, the TTL deletes the finished Job', () => {
    for (const props of [BASE, { ...BASE, gitOps: "none" }]) {
      const { cluster, objects } = synth(props);
      expect(cluster.gitOps).toBe("none");
      for (const o of objects) expect(o.metadata.annotations).toBeUndefined();
      expect(jobSpec(objects)["ttlSecondsAfterFinished"]).toBe(86400);
    }
  });

  test("the tool changes annotations only: the Job name (plan, values, image) and the pod template are the same", () => {
    const none = synth(BASE);
    for (const tool of ["argocd", "flux"]) {
      const other = synth({ ...BASE, gitOps: tool });
      expect(other.cluster.jobName).toBe(none.cluster.jobName);
      expect(jobSpec(other.objects)["template"]).toEqual(jobSpec(none.objects)["template"]);
    }
  });

  test("every object of both tools validates against the Kubernetes schemas", async () => {
    const objects = ["argocd", "flux"].flatMap((tool) => synth({ ...BASE, gitOps: tool }).objects);
    expect(await schemaProblems(objects)).toEqual([]);
  });

  test.each([
    [{ gitOps: "argo" }, /- gitOps: "argo" is not a GitOps tool \[R-INPUT\] Fix: use one of: argocd, flux, none/],
    [{ gitOps: "ArgoCD" }, /- gitOps: "ArgoCD" is not a GitOps tool \[R-INPUT\]/],
    [{ gitOps: 1 as unknown as string }, /- gitOps: 1 is not a GitOps tool \[R-INPUT\]/],
    [
      { gitOps: "argocd", ttlSecondsAfterFinished: 600 },
      /- ttlSecondsAfterFinished: a TTL makes Argo CD re-create the deleted Job from git, and the executor runs the plan again \[R-GITOPS-TTL\] Fix: remove ttlSecondsAfterFinished/,
    ],
    [{ gitOps: "flux", ttlSecondsAfterFinished: 0 }, /- ttlSecondsAfterFinished: a TTL makes Flux re-create the deleted Job from git.*\[R-GITOPS-TTL\]/],
    [{ gitOps: "flux", renderMode: "render" }, /- gitOps: gitOps has no effect in renderMode render \[R-INPUT\] Fix: remove gitOps \(it configures the upgrade Job\)/],
  ])("bad input %j is refused at synth time", (extra, message) => {
    expect(() => synth({ ...BASE, ...extra } as MilvusClusterProps)).toThrow(message);
  });
});

// ------------------------------------------------------------------------------------------------ tool models

/** A Job in the modelled cluster. */
interface LiveJob {
  readonly name: string;
  readonly annotations: Record<string, string>;
  readonly ttl?: number;
  state: "running" | "succeeded" | "failed";
  finishedAt?: number;
}

/** What happened to the Jobs during a scenario. */
interface ClusterLog {
  /** Job names, one entry per executor run started. */
  readonly runs: string[];
  /** Job names deleted while running (a helm upgrade killed half-way). */
  readonly killedWhileRunning: string[];
}

/** What both controller models share: the live Jobs, the log, a clock and Kubernetes' TTL controller. */
abstract class ClusterModel {
  readonly jobs = new Map<string, LiveJob>();
  readonly log: ClusterLog = { runs: [], killedWhileRunning: [] };
  now = 0;

  /** Time passes (self-heal and TTLs act). */
  wait(seconds: number): void {
    this.now += seconds;
    this.expireTtl();
  }

  protected expireTtl(): void {
    for (const j of [...this.jobs.values()]) {
      if (j.ttl !== undefined && j.finishedAt !== undefined && this.now - j.finishedAt >= j.ttl) this.delete(j.name);
    }
  }

  protected create(desired: K8sObject): void {
    const ttl = (desired["spec"] as { ttlSecondsAfterFinished?: number }).ttlSecondsAfterFinished;
    this.jobs.set(desired.metadata.name, { name: desired.metadata.name, annotations: desired.metadata.annotations ?? {}, ttl, state: "running" });
    this.log.runs.push(desired.metadata.name);
  }

  protected delete(name: string): void {
    if (this.jobs.get(name)?.state === "running") this.log.killedWhileRunning.push(name);
    this.jobs.delete(name);
  }
}

/**
 * Argo CD, as documented: hooks are created during a sync operation and are not Application resources (never pruned,
 * never compared). Delete policies (gitops-engine pkg/sync/hook/delete_policy.go): none given means
 * BeforeHookCreation; BeforeHookCreation deletes an existing hook before creating it again; HookSucceeded/HookFailed
 * delete it after that outcome. "Named hooks will only be created once and will persist across syncs unless
 * explicitly deleted using a hook deletion policy" (gitops-engine pkg/sync/doc.go). One operation runs at a time, and
 * a sync waits for its Sync hooks to complete. Plain (non-hook) objects are re-created by self-heal when missing.
 */
class ArgoModel extends ClusterModel {
  /** One sync operation of the desired Job (the Application's only interesting object here). */
  sync(desired: K8sObject, outcome: "succeeded" | "failed" = "succeeded"): void {
    this.expireTtl();
    const annotations = desired.metadata.annotations ?? {};
    const name = desired.metadata.name;
    const isHook = annotations["argocd.argoproj.io/hook"] !== undefined;
    const policies = (annotations["argocd.argoproj.io/hook-delete-policy"] ?? "BeforeHookCreation").split(",");
    const existing = this.jobs.get(name);
    if (isHook && existing && policies.includes("BeforeHookCreation")) this.delete(name);
    if (!this.jobs.has(name)) this.create(desired);
    const job = this.jobs.get(name);
    if (job?.state === "running") {
      // The operation waits for the hook (or, for a plain Job, the Job finishes on its own).
      job.state = outcome;
      job.finishedAt = this.now;
    }
    if (isHook && job && ((job.state === "succeeded" && policies.includes("HookSucceeded")) || (job.state === "failed" && policies.includes("HookFailed")))) {
      this.delete(name);
    }
  }

}

/**
 * Flux kustomize-controller, as documented (docs/spec/v1/kustomizations.md): every interval it applies the objects
 * of the current revision, re-creating missing ones (drift correction), except `ssa: IfNotPresent` objects that
 * exist; with `spec.prune` it deletes objects of the previous revision missing from the current one, except those
 * annotated `kustomize.toolkit.fluxcd.io/prune: disabled`. A reconciliation does not wait for a Job unless
 * `wait`/health checks ask for it, so a new revision can arrive while a Job runs.
 */
class FluxModel extends ClusterModel {
  private inventory: string[] = [];

  reconcile(desiredJobs: readonly K8sObject[]): void {
    this.expireTtl();
    const names = desiredJobs.map((j) => j.metadata.name);
    for (const old of this.inventory) {
      if (names.includes(old)) continue;
      const live = this.jobs.get(old);
      if (live && live.annotations["kustomize.toolkit.fluxcd.io/prune"] !== "disabled") this.delete(old);
    }
    for (const desired of desiredJobs) {
      if (!this.jobs.has(desired.metadata.name)) this.create(desired);
    }
    this.inventory = names;
  }

  /** The running Jobs finish. */
  finishAll(): void {
    for (const j of this.jobs.values()) {
      if (j.state === "running") {
        j.state = "succeeded";
        j.finishedAt = this.now;
      }
    }
  }

}

const jobFor = (props: MilvusClusterProps): K8sObject => single(synth(props).objects, "Job");
const DAY = 86400;

describe("Argo CD (modelled): the executor runs once per plan", () => {
  test('gitOps "argocd": a week of self-heal syncs after the upgrade never runs the Job again', () => {
    const argo = new ArgoModel();
    const job = jobFor({ ...BASE, gitOps: "argocd" });
    argo.sync(job);
    for (let day = 0; day < 7; day++) {
      argo.wait(DAY);
      argo.sync(job);
    }
    expect(argo.log.runs).toEqual([job.metadata.name]);
  });

  test('gitOps "none" under Argo CD (the bug this setting fixes): the TTL deletes the Job and self-heal runs it daily', () => {
    const argo = new ArgoModel();
    const job = jobFor(BASE);
    argo.sync(job);
    for (let day = 0; day < 3; day++) {
      argo.wait(DAY);
      argo.sync(job);
    }
    expect(argo.log.runs.length).toBe(4);
  });

  test("a hook without a delete policy would run on every sync (Argo CD assumes BeforeHookCreation)", () => {
    const argo = new ArgoModel();
    const job = jobFor({ ...BASE, gitOps: "argocd" });
    const noPolicy = { ...job, metadata: { ...job.metadata, annotations: { "argocd.argoproj.io/hook": "Sync" } } };
    argo.sync(noPolicy);
    argo.sync(noPolicy);
    expect(argo.log.runs.length).toBe(2);
  });

  test("a failed Job is deleted (HookFailed), so the next sync retries the same plan; a new plan is a new Job", () => {
    const argo = new ArgoModel();
    const first = jobFor({ ...BASE, gitOps: "argocd" });
    argo.sync(first, "failed");
    argo.sync(first);
    argo.sync(first);
    const next = jobFor({ ...BASE, version: "2.6.5", gitOps: "argocd" });
    argo.sync(next);
    expect(argo.log.runs).toEqual([first.metadata.name, first.metadata.name, next.metadata.name]);
    expect(argo.log.killedWhileRunning).toEqual([]);
  });
});

describe("Flux (modelled): the executor runs once per plan and is never pruned mid-run", () => {
  test('gitOps "flux": reconciling every 10 minutes for a week never runs the Job again', () => {
    const flux = new FluxModel();
    const job = jobFor({ ...BASE, gitOps: "flux" });
    flux.reconcile([job]);
    flux.finishAll();
    for (let i = 0; i < 7 * 144; i++) {
      flux.wait(600);
      flux.reconcile([job]);
    }
    expect(flux.log.runs).toEqual([job.metadata.name]);
  });

  test('two commits in a row: the running Job of the first plan is not pruned when the second replaces it in git', () => {
    const flux = new FluxModel();
    const first = jobFor({ ...BASE, gitOps: "flux" });
    flux.reconcile([first]);
    // A second commit (another plan) lands while the first Job still runs helm.
    const second = jobFor({ ...BASE, version: "2.6.5", gitOps: "flux" });
    expect(second.metadata.name).not.toBe(first.metadata.name);
    flux.reconcile([second]);
    expect(flux.log.killedWhileRunning).toEqual([]);
    // Both run; the executor's per-release lock makes the second wait for, or exit cleanly against, the first
    // (test/executor, against the fake cluster).
    expect(flux.log.runs).toEqual([first.metadata.name, second.metadata.name]);
  });

  test('gitOps "none" under Flux (the bugs this setting fixes): the TTL re-run, and pruning a running Job', () => {
    const flux = new FluxModel();
    const first = jobFor(BASE);
    flux.reconcile([first]);
    flux.reconcile([jobFor({ ...BASE, version: "2.6.5" })]);
    expect(flux.log.killedWhileRunning).toEqual([first.metadata.name]);

    const again = new FluxModel();
    again.reconcile([first]);
    again.finishAll();
    again.wait(DAY);
    again.reconcile([first]);
    expect(again.log.runs).toEqual([first.metadata.name, first.metadata.name]);
  });
});

test("each tool's conventions cite their sources", () => {
  for (const c of Object.values(GITOPS_CONVENTIONS)) {
    expect(c.sources.length).toBeGreaterThan(0);
    for (const s of c.sources) expect(s).toMatch(/^https:\/\//);
  }
});
