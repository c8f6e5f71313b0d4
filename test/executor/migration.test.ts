/**
 * The metadata migration 2.1.x -> 2.2.x run by the TypeScript executor (runExecutor) in process against the fake
 * cluster model (test/executor/fake/): the phases in order, the objects created, failures at the backup, the migrate
 * Job and the helm step with the state each leaves, re-runs that resume, the automatic and the requested rollback, and
 * the refusals before anything changes. Every wait runs on the fake's virtual clock.
 */
import YAML from "yaml";
import {
  EXIT_CODES,
  type ExecutorOptions,
  MIGRATION_ANNOTATIONS,
  MIGRATION_FILES,
  MIGRATION_PLACEHOLDERS,
  type MigrationOptions,
  migrationManifests,
  migrationObjectNames,
  renderExecutor,
  resolveMigrationOptions,
} from "../../src/executor";
import { isValidRuntimeValue } from "../../src/executor/migration-state";
import { planUpgrade } from "../../src/plan/plan";
import { schemaProblems } from "../cdk8s/support";
import { FakeCluster } from "./fake/cluster";
import { FAKE_21_DEPLOYMENTS, type FakeKube, type FakeKubeSetup } from "./fake/kube";
import { type RunOutcome, runEntry, runInProcess } from "./fake/run";

const FROM_21 = { version: "2.1.4", messageQueue: "pulsar", coordinators: "separate" } as const;
const TO_22 = planUpgrade({ from: FROM_21, to: "2.2.0" });
const TO_26 = planUpgrade({ from: FROM_21, to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: TO_22.steps, targetVersion: "2.2.0" };
const NO_ROLLBACK: ExecutorOptions = { ...BASE, migration: { rollbackOnFailure: false } };
/** Live values of the 2.1.4 release (chart 3.2.18): separate coordinators, Pulsar v2, root path by-dev. */
const VALUES_21 = { mixCoordinator: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false }, metadata: { rootPath: "by-dev" } };
const NAMES = migrationObjectNames("my-milvus");
const ORIGINAL = Object.fromEntries(FAKE_21_DEPLOYMENTS.map((d) => [d.name, d.replicas]));
const STOPPED = Object.fromEntries(FAKE_21_DEPLOYMENTS.map((d) => [d.name, d.component === "attu" ? d.replicas : 0]));
const MILVUS_DEPLOYMENTS = FAKE_21_DEPLOYMENTS.filter((d) => d.component !== "attu");

let fake: FakeCluster;
let mig: FakeKube;
afterEach(() => {
  fake?.cleanup();
});

/** A live 2.1.4 release in a fake cluster set up as given. */
function setup(s: FakeKubeSetup = {}, values: Record<string, unknown> = VALUES_21): void {
  fake = FakeCluster.create(s);
  mig = fake.kube;
  fake.release.addRevision({ tag: "v2.1.4", chart: "3.2.18", values });
}

async function run(opts: ExecutorOptions = BASE, env: { MILVUS_EXECUTOR_DRY_RUN?: string } = {}): Promise<RunOutcome> {
  return runInProcess(fake, renderExecutor(opts), { dryRun: env.MILVUS_EXECUTOR_DRY_RUN === "1", holder: "migration test" });
}

function withMigration(opts: ExecutorOptions, migration: MigrationOptions): ExecutorOptions {
  return { ...opts, migration: { ...opts.migration, ...migration } };
}

/** Annotations of the state ConfigMap. */
function state(): Record<string, string> {
  return mig.configMap(NAMES.stateConfigMap)?.annotations ?? {};
}

/** The newest revision of the release. */
function current(): { revision: number; status: string; tag: string; chart: string } {
  const c = fake.release.current();
  if (!c) throw new Error("no release");
  return c;
}

/** Index of the first kubectl call matching. */
function callIndex(match: (argv: string[]) => boolean, from = 0): number {
  return fake.kubectlCalls().findIndex((c, i) => i >= from && match(c));
}

describe("metadata migration: happy path", () => {
  it("records, stops, waits for the sessions, backs up, migrates, upgrades, restores the replicas, in this order", async () => {
    setup();
    const r = await run();
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(mig.violations()).toEqual([]);

    // Every Milvus component stopped (Attu is not one), then the Jobs, each phase recorded before the next.
    expect(mig.events()).toEqual([
      ...MILVUS_DEPLOYMENTS.map((d) => `scale ${d.name}=0`),
      "job backup Complete",
      `annotate ${MIGRATION_ANNOTATIONS.backup}=done`,
      `annotate ${MIGRATION_ANNOTATIONS.migrate}=started`,
      "job migrate Complete",
      `annotate ${MIGRATION_ANNOTATIONS.migrate}=done`,
      "helm upgrade v2.2.0",
      `annotate ${MIGRATION_ANNOTATIONS.upgraded}=done`,
      ...MILVUS_DEPLOYMENTS.map((d) => `scale ${d.name}=${d.replicas}`),
      `annotate ${MIGRATION_ANNOTATIONS.complete}=done`,
    ]);
    expect(mig.state.created).toEqual([
      `ConfigMap/${NAMES.stateConfigMap}`,
      `ConfigMap/${NAMES.toolConfigMap}`,
      `PersistentVolumeClaim/${NAMES.backupClaim}`,
      `Job/${NAMES.backupJob}`,
      `Job/${NAMES.migrateJob}`,
    ]);
    expect(mig.state.meta).toBe("2.2");
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(current()).toMatchObject({ tag: "v2.2.0", chart: "3.3.6", status: "deployed", revision: 2 });

    // The state ConfigMap: the same name the rollback reads, the recorded replicas and source.
    expect(state()).toEqual({
      [MIGRATION_ANNOTATIONS.sourceVersion]: "2.1.4",
      [MIGRATION_ANNOTATIONS.sourceRevision]: "1",
      [MIGRATION_ANNOTATIONS.sourceTag]: "v2.1.4",
      [MIGRATION_ANNOTATIONS.targetVersion]: "2.2.0",
      [MIGRATION_ANNOTATIONS.backup]: "done",
      [MIGRATION_ANNOTATIONS.migrate]: "done",
      [MIGRATION_ANNOTATIONS.upgraded]: "done",
      [MIGRATION_ANNOTATIONS.complete]: "done",
    });
    expect(mig.configMap(NAMES.stateConfigMap)!.data["replicas"]).toBe(MILVUS_DEPLOYMENTS.map((d) => `${d.name}=${d.replicas}`).join(" "));
    // The tool configs carry the discovered endpoint and the live source version; nothing is left unfilled.
    const tools = mig.configMap(NAMES.toolConfigMap)!.data;
    expect(Object.keys(tools).sort()).toEqual(["backup.yaml", "migration.yaml", "rollback.yaml"]);
    expect(YAML.parse(tools["migration.yaml"]!)).toEqual({
      cmd: { type: "run" },
      config: { sourceVersion: "2.1.4", targetVersion: "2.2.0", backupFilePath: "/milvus/data/migration.bak" },
      metastore: { type: "etcd" },
      etcd: { endpoints: ["my-milvus-etcd:2379"], rootPath: "by-dev", metaSubPath: "meta", kvSubPath: "kv" },
    });
    expect(YAML.parse(tools["backup.yaml"]!).cmd.type).toBe("backup");
    expect(YAML.parse(tools["rollback.yaml"]!).cmd.type).toBe("rollback");

    // Order of the reads: HPAs before any scale; the etcd session keys polled after the pods are gone and before the backup.
    const hpa = callIndex((c) => c[0] === "get" && c[1] === "horizontalpodautoscalers");
    const firstScale = callIndex((c) => c[0] === "scale");
    const podsGone = callIndex((c) => c[0] === "get" && c[1] === "pods" && !c.join(" ").includes("name=etcd"), firstScale);
    const execs = fake.kubectlCalls().flatMap((c, i) => (c[0] === "exec" ? [i] : []));
    const backup = callIndex((c) => c[0] === "create" && c.some((a) => a.endsWith(MIGRATION_FILES.backupJob)));
    expect(hpa).toBeGreaterThanOrEqual(0);
    expect(hpa).toBeLessThan(firstScale);
    expect(execs.length).toBeGreaterThanOrEqual(2);
    expect(execs[0]).toBeGreaterThan(podsGone);
    expect(execs.at(-1)).toBeLessThan(backup);
    expect(fake.kubectlCalls()[execs[0]!]).toEqual(["exec", "-n", "milvus", "my-milvus-etcd-0", "--", "etcdctl", "get", "--prefix", "--keys-only", "by-dev/meta/session/"]);
    // The helm step never uses helm's own rollback (it would start 2.1.4 on migrated metadata).
    expect(fake.upgrades()).toHaveLength(1);
    expect(fake.upgrades()[0]).not.toContain("--atomic");

    expect(r.stdout).toMatch(/^\[1\/1\] 2\.2\.0 \(chart 3\.3\.6\): metadata migration 2\.1\.4 -> 2\.2\.0, offline/m);
    for (const phase of ["1/5 recorded the replicas", "2/5 stopped", "no etcd session key left", "3/5 backed up", "4/5 migrated", "5/5 Milvus 2.2.0 (chart 3.3.6) runs"]) {
      expect(r.stdout).toContain(phase);
    }
    expect(r.stdout).toMatch(/^\[1\/1\] 2\.2\.0 \(chart 3\.3\.6\) \.\.\. done in \d+s \(metadata migration\)$/m);
    expect(r.stdout).toContain(`kept: the backup in PVC ${NAMES.backupClaim}`);

    // A re-run has nothing to migrate: the final step is a plain helm upgrade, no Job, no stop.
    fake.resetCalls();
    const again = await run();
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(mig.jobOutcomes("backup")).toEqual(["Complete"]);
    expect(fake.kubectlCalls().some((c) => c[0] === "scale")).toBe(false);
    expect(mig.state.created).toHaveLength(5);
  });

  it("through the process entry and the fake executables (state directory): the dry run sees the same cluster", async () => {
    // A dry run: the pre-checks' calls, each one process of the fake executables (a full migration costs ~20 s so).
    setup();
    fake.writeBundle(renderExecutor(BASE));
    const r = await runEntry(fake, ["--dir", fake.dir], { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect([r.code, r.stderr]).toEqual([EXIT_CODES.SUCCESS, expect.not.stringMatching(/error/)]);
    expect(r.stdout).toContain("pre-checks passed: 8 Milvus deployment(s), none scaled by an HPA; etcd my-milvus-etcd:2379 (the release etcd Service); backup volume: the default StorageClass (standard)");
    expect(r.stdout).toContain("etcdctl in pod my-milvus-etcd-0");
    expect(fake.kubectlCalls().some((c) => c[0] === "get" && c[1] === "horizontalpodautoscalers")).toBe(true);
    expect(fake.kube.events()).toEqual([]);
  });

  it("the whole chain 2.1.4 -> 2.6.4: the migration first, then 2.5.16 and 2.6.4", async () => {
    setup();
    const r = await run({ ...BASE, steps: TO_26.steps, targetVersion: "2.6.4" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.upgrades().map((c) => c[c.indexOf("--version") + 1])).toEqual(["3.3.6", "4.2.58", "5.0.6"]);
    expect(r.stdout).toMatch(/\[1\/3\] 2\.2\.0 \(chart 3\.3\.6\) \.\.\. done in \d+s \(metadata migration\)\n[\s\S]*\[2\/3\] 2\.5\.16[\s\S]*\[3\/3\] 2\.6\.4/);
    expect(current().tag).toBe("v2.6.4");
    expect(mig.violations()).toEqual([]);
  });

  it("2.0.2 -> 2.2.0: 2.1.4 first, then the migration records the revision that step made (the rollback's target)", async () => {
    fake = FakeCluster.create({ lingeringSessionPolls: 0 });
    mig = fake.kube;
    fake.release.addRevision({ tag: "v2.0.2", chart: "3.0.12", values: VALUES_21 });
    const steps = planUpgrade({ from: { version: "2.0.2", messageQueue: "pulsar", coordinators: "separate" }, to: "2.2.0" }).steps;
    const opts: ExecutorOptions = { ...BASE, steps };
    const r = await run(opts);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("metadata migration 2.1.4 -> 2.2.0");
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.sourceVersion]: "2.1.4", [MIGRATION_ANNOTATIONS.sourceRevision]: "2", [MIGRATION_ANNOTATIONS.sourceTag]: "v2.1.4" });
    const back = await run({ ...opts, operation: "rollback-migration" });
    expect(back.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.helmCalls().filter((c) => c[0] === "rollback").map((c) => c[2])).toEqual(["2"]);
    expect(fake.current()).toMatchObject({ tag: "v2.1.4", chart: "3.2.18", status: "deployed" });
    expect(mig.violations()).toEqual([]);
  });

  it("a failed 2.1.4 revision resumed from the last deployed one: that revision is recorded as the rollback target", async () => {
    setup({ lingeringSessionPolls: 0 });
    fake.release.addRevision({ tag: "v2.1.4", chart: "3.2.18", values: VALUES_21, status: "failed" });
    const r = await run({ ...BASE, rollbackOnFailure: true });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(state()[MIGRATION_ANNOTATIONS.sourceRevision]).toBe("1");
    expect(mig.violations()).toEqual([]);
  });

  it("cleanup deletes the Jobs, both ConfigMaps and the backup volume after success", async () => {
    setup({ lingeringSessionPolls: 0 });
    const r = await run(withMigration(BASE, { cleanup: true }));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    const s = mig.state;
    expect([Object.keys(s.jobs), Object.keys(s.configmaps), Object.keys(s.pvcs)]).toEqual([[], [], []]);
    expect(r.stdout).toContain("cleaned up");
  });

  it("external etcd: the endpoint comes from the live values and the sessions are waited out", async () => {
    setup({ bundledEtcd: false, lingeringSessionPolls: 0 }, { ...VALUES_21, externalEtcd: { enabled: true, endpoints: ["etcd-0.example.com:2379"] } });
    const r = await run(withMigration(BASE, { sessionWaitSeconds: 1 }));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(mig.configMap(NAMES.toolConfigMap)!.data["backup.yaml"]).toContain('- "etcd-0.example.com:2379"');
    expect(fake.kubectlCalls().some((c) => c[0] === "exec" || (c[0] === "get" && c[1] === "services"))).toBe(false);
    expect(r.stderr).toContain("cannot list the etcd session keys (no pod of a bundled etcd to query); waiting 1s");
  });

  it("a given endpoint and StorageClass are used as they are", async () => {
    setup({ lingeringSessionPolls: 0, storageClasses: [{ name: "standard", isDefault: true }, { name: "fast-ssd", isDefault: false }] });
    const r = await run(withMigration(BASE, { etcdEndpoint: "etcd.tools.svc:2379", storageClass: "fast-ssd", backupSize: "25Gi", sessionWaitSeconds: 1 }));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    // A given endpoint may be any etcd: the release's etcd pod is not queried for it, the sessions are waited out.
    expect(fake.kubectlCalls().some((c) => c[0] === "exec")).toBe(false);
    expect(mig.configMap(NAMES.toolConfigMap)!.data["migration.yaml"]).toContain('- "etcd.tools.svc:2379"');
    expect(mig.state.pvcs[NAMES.backupClaim]!.manifest).toMatchObject({ spec: { storageClassName: "fast-ssd", resources: { requests: { storage: "25Gi" } } } });
  });

  it("kubectl exec forbidden: a fixed wait for the sessions, said so", async () => {
    setup({ execForbidden: true, lingeringSessionPolls: 0 });
    const r = await run(withMigration(BASE, { sessionWaitSeconds: 1 }));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toMatch(/cannot list the etcd session keys \(etcdctl in pod my-milvus-etcd-0 failed: Error from server \(Forbidden\).*\); waiting 1s/);
    expect(r.stdout).toContain("waited 1s for the etcd sessions to expire");
  });
});

describe("metadata migration: failures, known states and re-runs", () => {
  it("backup fails (rollback on): 2.1.4 runs again with its replicas, metadata untouched; the re-run backs up and finishes", async () => {
    setup();
    mig.failJob("backup");
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    expect(r.stderr).toContain(`the metadata backup failed: the backup Job ${NAMES.backupJob} failed`);
    expect(r.stderr).toContain("injected backup failure");
    expect(r.stderr).toContain("Milvus 2.1.4 runs again with its recorded replicas; its metadata was not changed");
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect([current().tag, mig.state.meta]).toEqual(["v2.1.4", "2.1"]);
    expect(state()[MIGRATION_ANNOTATIONS.backup]).toBeUndefined();
    expect(mig.jobOutcomes("migrate")).toEqual([]);
    expect(fake.upgrades()).toEqual([]);

    const again = await run();
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(again.stdout).toContain("1/5 reusing the replicas recorded by an earlier run");
    expect(mig.jobOutcomes("backup")).toEqual(["Failed", "Complete"]);
    expect([current().tag, mig.state.meta]).toEqual(["v2.2.0", "2.2"]);
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(mig.violations()).toEqual([]);
  });

  it("backup fails (rollback off): Milvus stays stopped; the re-run restores the originally recorded replicas", async () => {
    setup();
    mig.failJob("backup");
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    expect(r.stderr).toContain("Milvus stays stopped (migration.rollbackOnFailure is off); its metadata was not changed");
    expect(mig.replicas()).toEqual(STOPPED);

    // The live Deployments are at 0 now: the counts restored are the recorded ones.
    const again = await run(NO_ROLLBACK);
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(mig.violations()).toEqual([]);
  });

  it("migrate fails (rollback off): stopped with the backup kept; the re-run restores the backup first and does not back up again", async () => {
    setup();
    mig.failJob("migrate");
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    expect(r.stderr).toContain("the metadata migration failed: the migrate Job");
    expect(r.stderr).toContain("milvus-cluster apply --rollback-migration");
    expect(mig.replicas()).toEqual(STOPPED);
    expect(mig.state.meta).toBe("partial");
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.backup]: "done", [MIGRATION_ANNOTATIONS.migrate]: "failed" });
    expect(fake.upgrades()).toEqual([]);

    fake.resetCalls();
    const again = await run(NO_ROLLBACK);
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(again.stdout).toContain("3/5 backup: done by an earlier run");
    expect(again.stderr).toContain("restoring the metadata from the backup before migrating again");
    expect(mig.jobOutcomes("backup")).toEqual(["Complete"]);
    expect(mig.jobOutcomes("rollback")).toEqual(["Complete"]);
    expect(mig.jobOutcomes("migrate")).toEqual(["Failed", "Complete"]);
    expect([mig.state.meta, current().tag]).toEqual(["2.2", "v2.2.0"]);
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(mig.violations()).toEqual([]);
  });

  it("migrate fails (rollback on): metadata restored, 2.1.4 back with its replicas; the re-run takes a fresh backup", async () => {
    setup();
    mig.failJob("migrate");
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_ROLLED_BACK);
    expect(r.stderr).toContain("Rolled back: the metadata was restored from the backup");
    expect(r.stdout).toContain("rollback 2/4: restored the metadata from the backup");
    expect(r.stdout).toContain("rollback 3/4: release my-milvus still runs revision 1 (Milvus 2.1.4); no helm rollback needed");
    expect(mig.jobOutcomes("rollback")).toEqual(["Complete"]);
    expect(fake.helmCalls().some((c) => c[0] === "rollback")).toBe(false);
    expect([mig.state.meta, current().tag, current().revision]).toEqual(["2.1", "v2.1.4", 1]);
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.backup]: "stale", [MIGRATION_ANNOTATIONS.migrate]: "rolled-back" });

    // 2.1.4 ran again, so the old backup no longer matches its metadata: the retry backs up anew.
    const again = await run();
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(mig.jobOutcomes("backup")).toEqual(["Complete", "Complete"]);
    expect(mig.state.meta).toBe("2.2");
    expect(mig.violations()).toEqual([]);
  });

  it("the helm step fails (rollback off): migrated, release failed; the re-run repeats only the helm step", async () => {
    setup();
    fake.release.state.failUpgrade = { chart: "3.3.6", kind: "apply" };
    // helm's own rollback (--atomic) is never used for this step, even with rollbackOnFailure for the plain steps.
    const opts: ExecutorOptions = { ...NO_ROLLBACK, rollbackOnFailure: true };
    const r = await run(opts);
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    expect(r.stderr).toContain("helm upgrade to 2.2.0 (chart 3.3.6) failed");
    expect(fake.upgrades()[0]).not.toContain("--atomic");
    expect(current()).toMatchObject({ status: "failed", tag: "v2.2.0" });
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.migrate]: "done" });
    expect(state()[MIGRATION_ANNOTATIONS.upgraded]).toBeUndefined();
    expect(mig.violations()).toEqual([]);

    fake.release.state.failUpgrade = null;
    fake.resetCalls();
    const again = await run(opts);
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(again.stderr).toContain("failed (revision 2) by the helm step of the metadata migration");
    expect(again.stdout).toContain("2-4/5 stop, backup and migrate: done by an earlier run");
    expect(mig.jobOutcomes("backup")).toEqual(["Complete"]);
    expect(mig.jobOutcomes("migrate")).toEqual(["Complete"]);
    expect(fake.upgrades()).toHaveLength(1);
    expect(current()).toMatchObject({ status: "deployed", tag: "v2.2.0", chart: "3.3.6" });
    expect(mig.replicas()).toEqual(ORIGINAL);
    expect(mig.violations()).toEqual([]);
  });

  it("the helm step fails (rollback on): metadata restored, helm rollback to the 2.1 revision, recorded replicas, old image", async () => {
    setup();
    fake.release.state.failUpgrade = { chart: "3.3.6", kind: "apply" };
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_ROLLED_BACK);
    expect(fake.helmCalls().filter((c) => c[0] === "rollback")).toEqual([["rollback", "my-milvus", "1", "-n", "milvus", "--wait", "--timeout", "900s"]]);
    // The metadata is restored before the old image starts again.
    const events = mig.events();
    expect(events.indexOf("job rollback Complete")).toBeLessThan(events.indexOf("helm rollback 1"));
    expect(current()).toMatchObject({ status: "deployed", tag: "v2.1.4", chart: "3.2.18", revision: 3 });
    expect([mig.state.meta, mig.replicas()]).toEqual(["2.1", ORIGINAL]);
    expect(mig.violations()).toEqual([]);
  });

  it("an interrupted run: a migrate Job still active is deleted before the stop, the backup restored, then migrated again", async () => {
    setup();
    mig.failJob("migrate");
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    // As if the executor had been killed while the migrate Job ran: the Job has no condition yet, the record says started.
    const job = mig.state.jobs[NAMES.migrateJob]!;
    job.conditions = [];
    job.pollsLeft = null;
    mig.state.configmaps[NAMES.stateConfigMap]!.annotations[MIGRATION_ANNOTATIONS.migrate] = "started";
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toContain(`Job ${NAMES.migrateJob} of an interrupted run is still active: deleting it before the stop`);
    const events = mig.events();
    expect(events.indexOf(`delete job ${NAMES.migrateJob}`)).toBeLessThan(events.indexOf("job rollback Complete"));
    expect(mig.jobOutcomes("migrate")).toEqual(["Failed", "Complete"]);
    expect(mig.violations()).toEqual([]);
  });

  it("a release left pending by the migration's helm step is not rolled back by helm alone; the rollback operation resolves it", async () => {
    setup();
    fake.release.state.failUpgrade = { chart: "3.3.6", kind: "apply" };
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    fake.release.state.failUpgrade = null;
    fake.release.state.revisions.at(-1)!.status = "pending-upgrade";
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.RELEASE_PENDING);
    expect(r.stderr).toContain("a plain helm rollback would start Milvus 2.1.4 on migrated metadata");
    expect(r.stderr).toContain("milvus-cluster apply --rollback-migration");
    expect(r.stderr).not.toContain("helm rollback my-milvus 1 -n milvus");
    const back = await run({ ...NO_ROLLBACK, operation: "rollback-migration" });
    expect(back.code).toBe(EXIT_CODES.SUCCESS);
    expect(current()).toMatchObject({ tag: "v2.1.4", status: "deployed" });
    expect([mig.state.meta, mig.replicas()]).toEqual(["2.1", ORIGINAL]);
    expect(mig.violations()).toEqual([]);
  });

  it("a failing rollback says where it stopped (and keeps Milvus stopped before the metadata is restored)", async () => {
    setup();
    mig.failJob("migrate");
    mig.failJob("rollback");
    // failJob replaces the queue per kind: both fail once.
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_ROLLBACK_FAILED);
    expect(r.stderr).toContain("rollback: restoring the metadata from the backup failed");
    expect(r.stderr).toContain("Do not start Milvus 2.1.4 before its metadata is restored");
    expect(mig.replicas()).toEqual(STOPPED);
    expect(mig.violations()).toEqual([]);
  });

  it("a failing helm rollback (43) leaves Milvus stopped on restored metadata; the rollback operation resumes it without restoring again", async () => {
    setup();
    fake.failUpgrade("3.3.6", "apply");
    fake.release.state.failRollback = true;
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_ROLLBACK_FAILED);
    expect(r.stderr).toContain("rollback: helm rollback my-milvus 1 failed (helm's output above). The metadata is restored and Milvus is stopped");
    expect([mig.state.meta, mig.replicas(), fake.current().status]).toEqual(["2.1", STOPPED, "failed"]);
    // Restored, but the rollback did not finish: not "already rolled back".
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.migrate]: "rolled-back", [MIGRATION_ANNOTATIONS.backup]: "done" });

    fake.release.state.failRollback = false;
    fake.clearFailure();
    const dry = await run({ ...BASE, operation: "rollback-migration" }, { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(dry.stdout).toContain("2. the metadata was restored from the backup by an earlier run: not again");
    const back = await run({ ...BASE, operation: "rollback-migration" });
    expect(back.code).toBe(EXIT_CODES.SUCCESS);
    expect(back.stdout).toContain("rollback 2/4: the metadata was restored from the backup by an earlier run");
    expect(mig.jobOutcomes("rollback")).toEqual(["Complete"]);
    expect(fake.current()).toMatchObject({ tag: "v2.1.4", status: "deployed" });
    expect([mig.state.meta, mig.replicas()]).toEqual(["2.1", ORIGINAL]);
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.migrate]: "rolled-back", [MIGRATION_ANNOTATIONS.backup]: "stale" });
    expect((await run({ ...BASE, operation: "rollback-migration" })).stdout).toContain("was already rolled back");
    expect(mig.violations()).toEqual([]);
  });

  it("after a failing helm rollback (43), re-running the upgrade instead migrates again from 2.1.4 safely", async () => {
    setup();
    fake.failUpgrade("3.3.6", "apply");
    fake.release.state.failRollback = true;
    expect((await run()).code).toBe(EXIT_CODES.META_ROLLBACK_FAILED);
    fake.release.state.failRollback = false;
    fake.clearFailure();
    const again = await run();
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect([mig.state.meta, mig.replicas(), fake.current().tag]).toEqual(["2.2", ORIGINAL, "v2.2.0"]);
    expect(mig.jobOutcomes("migrate")).toEqual(["Complete", "Complete"]);
    expect(mig.violations()).toEqual([]);
  });

  it("session keys that stay alive stop the migration before the backup; 2.1.4 is restarted", async () => {
    setup({ lingeringSessionPolls: 1000 });
    const r = await run(withMigration(BASE, { sessionWaitSeconds: 2 }));
    expect(r.code).toBe(EXIT_CODES.META_STOP_FAILED);
    expect(r.stderr).toContain("after 2s these etcd session keys are still present: by-dev/meta/session/querynode-99");
    expect(mig.jobOutcomes("backup")).toEqual([]);
    expect(mig.replicas()).toEqual(ORIGINAL);
  });

  it("a backup volume claim left Pending fails the backup with a clear message (StorageClasses unreadable)", async () => {
    setup({ storageClasses: "forbidden", claimPending: true });
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    expect(r.stderr).toContain(`its backup volume claim ${NAMES.backupClaim} is still Pending, no StorageClass provisioned it (set migration.storageClass`);
    expect(mig.state.pvcs[NAMES.backupClaim]!.storageClassName).toBeUndefined();
  });
});

describe("metadata migration: waits, on the fake's virtual clock", () => {
  it("each phase line says the time since the migration started; the waits polled instead of sleeping", async () => {
    setup({ podLingerPolls: 3, jobPolls: 4 });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    for (const phase of ["1/5", "2/5", "3/5", "4/5", "5/5"]) expect(r.stdout).toMatch(new RegExp(`^ {6}${phase} .* \\[(\\d+m)?\\d+s\\]$`, "m"));
    // Pods listed until gone (3 listings with a Terminating pod), Jobs polled until their condition (4 polls each).
    expect(fake.kubectlCalls().filter((c) => c[0] === "get" && c[1] === "pods" && !c.join(" ").includes("name=etcd")).length).toBeGreaterThanOrEqual(4);
    expect(fake.kubectlCalls().filter((c) => c[0] === "get" && c[1] === "job" && c[2] === NAMES.backupJob).length).toBeGreaterThanOrEqual(4);
    expect(fake.sleptMs).toBeGreaterThanOrEqual((2 + 3 + 3) * 2000);
    expect(mig.violations()).toEqual([]);
  });

  it("pods that never go away stop the migration after the step timeout (exit 44); 2.1.4 is restarted", async () => {
    setup({ podLingerPolls: 1_000_000 });
    const r = await run({ ...BASE, stepTimeoutSeconds: 60 });
    expect(r.code).toBe(EXIT_CODES.META_STOP_FAILED);
    expect(r.stderr).toMatch(/after 60s these Milvus pods still exist: my-milvus-milvus-\S+-5d8f7-0/);
    expect(r.stderr).toContain("Milvus 2.1.4 runs again with its recorded replicas");
    expect(mig.jobOutcomes("backup")).toEqual([]);
    expect(fake.sleptMs).toBeGreaterThanOrEqual(60_000);
    expect(fake.sleptMs).toBeLessThan(70_000);
  });

  it("a Job that never finishes fails the phase at its deadline (step timeout + 60 s), log or not", async () => {
    setup({ jobPolls: 1_000_000 });
    const r = await run({ ...NO_ROLLBACK, stepTimeoutSeconds: 30 });
    expect(r.code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    expect(r.stderr).toContain(`the backup Job ${NAMES.backupJob} did not finish within 30s`);
    expect(r.stderr).toContain(`log of Job ${NAMES.backupJob}: none (the pod never started)`);
    expect(mig.replicas()).toEqual(STOPPED);
  });

  it("the fixed session wait (no etcd to query) takes sessionWaitSeconds of the clock, no more", async () => {
    setup({ execForbidden: true, lingeringSessionPolls: 0, podLingerPolls: 0, jobPolls: 1 });
    const r = await run(withMigration(BASE, { sessionWaitSeconds: 300 }));
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.sleptMs).toBe(300_000);
  });
});

describe("metadata migration: the rollback operation", () => {
  const ROLLBACK: ExecutorOptions = { ...BASE, operation: "rollback-migration" };

  it("after a completed migration: metadata restored, helm rollback, the old image with the recorded replicas", async () => {
    setup();
    expect((await run()).code).toBe(EXIT_CODES.SUCCESS);
    fake.resetCalls();
    const r = await run(ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stderr).toContain("metadata written by Milvus 2.2.0 since then is lost");
    expect(r.stdout).toContain("release my-milvus is back on Milvus 2.1.4 with its metadata restored from the backup");
    expect(fake.helmCalls().filter((c) => c[0] === "rollback")).toEqual([["rollback", "my-milvus", "1", "-n", "milvus", "--wait", "--timeout", "900s"]]);
    expect(fake.upgrades()).toEqual([]);
    expect(current()).toMatchObject({ tag: "v2.1.4", chart: "3.2.18", status: "deployed" });
    expect([mig.state.meta, mig.replicas()]).toEqual(["2.1", ORIGINAL]);
    // It read and wrote the ConfigMap the migration wrote (upstream's rollback looks up another name).
    expect(state()).toMatchObject({ [MIGRATION_ANNOTATIONS.migrate]: "rolled-back", [MIGRATION_ANNOTATIONS.backup]: "stale" });
    expect(fake.kubectlCalls()).toContainEqual(["get", "configmap", NAMES.stateConfigMap, "-n", "milvus", "-o", "json"]);
    expect(mig.violations()).toEqual([]);

    const again = await run(ROLLBACK);
    expect(again.code).toBe(EXIT_CODES.SUCCESS);
    expect(again.stdout).toContain("was already rolled back");
  });

  it("after a failed migration left Milvus stopped: back to 2.1.4 without a helm rollback", async () => {
    setup();
    mig.failJob("migrate");
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    const r = await run({ ...NO_ROLLBACK, operation: "rollback-migration" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.helmCalls().some((c) => c[0] === "rollback")).toBe(false);
    expect([mig.state.meta, mig.replicas(), current().tag]).toEqual(["2.1", ORIGINAL, "v2.1.4"]);
  });

  it("without a recorded migration, or past 2.2.0, nothing is changed", async () => {
    setup();
    const none = await run(ROLLBACK);
    expect(none.code).toBe(EXIT_CODES.META_NO_BACKUP);
    expect(none.stderr).toContain(`there is no migration state ConfigMap ${NAMES.stateConfigMap}`);

    expect((await run({ ...BASE, steps: TO_26.steps, targetVersion: "2.6.4" })).code).toBe(EXIT_CODES.SUCCESS);
    const past = await run({ ...ROLLBACK, steps: TO_26.steps, targetVersion: "2.6.4" });
    expect(past.code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
    expect(past.stderr).toContain("R-DOWNGRADE");
    expect(fake.helmCalls().some((c) => c[0] === "rollback")).toBe(false);
  });

  it("the dry run lists the rollback phases and changes nothing", async () => {
    setup();
    expect((await run()).code).toBe(EXIT_CODES.SUCCESS);
    const before = mig.events().length;
    const r = await run(ROLLBACK, { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("to Milvus 2.1.4 would run:");
    expect(r.stdout).toContain(`2. restore the metadata from the backup in PVC ${NAMES.backupClaim}`);
    expect(r.stdout).toContain("3. helm rollback my-milvus 1");
    expect(mig.events()).toHaveLength(before);
  });
});

describe("metadata migration: refused before anything changes", () => {
  function unchanged(): void {
    expect(mig.events()).toEqual([]);
    expect(mig.state.created).toEqual([]);
    expect(fake.upgrades()).toEqual([]);
  }

  it("an HPA-managed component", async () => {
    setup({ hpaTargets: ["Deployment/my-milvus-milvus-querynode", "Deployment/other-app"] });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_REQUIRED);
    expect(r.stderr).toContain("a HorizontalPodAutoscaler scales: my-milvus-milvus-querynode [R-META-MIGRATION]");
    expect(r.stderr).not.toContain("other-app");
    expect(fake.kubectlCalls().some((c) => c[0] === "scale")).toBe(false);
    unchanged();
  });

  it("no default StorageClass and none given", async () => {
    setup({ storageClasses: [{ name: "slow", isDefault: false }, { name: "fast", isDefault: false }] });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_REQUIRED);
    expect(r.stderr).toContain("no default StorageClass");
    expect(r.stderr).toContain("Set it to one of: slow, fast");
    unchanged();
  });

  it("a StorageClass that does not exist", async () => {
    setup();
    const r = await run(withMigration(BASE, { storageClass: "gold" }));
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_REQUIRED);
    expect(r.stderr).toContain("StorageClass gold (migration.storageClass) does not exist");
    unchanged();
  });

  it("no etcd to find", async () => {
    setup({ bundledEtcd: false });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_REQUIRED);
    expect(r.stderr).toContain("no etcd Service of release my-milvus with a port named client");
    unchanged();
  });

  it("a root path other than the release's", async () => {
    setup({}, { ...VALUES_21, metadata: { rootPath: "prod-milvus" } });
    const r = await run();
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_REQUIRED);
    expect(r.stderr).toContain("root path 'prod-milvus' (metadata.rootPath), but the migration is set to 'by-dev'");
    unchanged();
  });

  it("a state ConfigMap that was edited by hand", async () => {
    setup();
    mig.failJob("backup");
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_BACKUP_FAILED);
    mig.state.configmaps[NAMES.stateConfigMap]!.data["replicas"] = "querynode=3; reboot";
    const r = await run(NO_ROLLBACK);
    expect(r.code).toBe(EXIT_CODES.LIVE_STATE_UNREADABLE);
    expect(r.stderr).toContain("holds invalid values in: data.replicas");
  });

  it("the dry run lists the phases it would run and changes nothing", async () => {
    setup();
    const r = await run({ ...BASE, steps: TO_26.steps, targetVersion: "2.6.4" }, { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("[1/3] 2.2.0 (chart 3.3.6) ... would run: metadata migration 2.1.4 -> 2.2.0, offline (every Milvus component at 0 replicas from the stop until the health gate passes) [R-META-MIGRATION]");
    expect(lines[1]).toBe("      pre-checks passed: 8 Milvus deployment(s), none scaled by an HPA; etcd my-milvus-etcd:2379 (the release etcd Service); backup volume: the default StorageClass (standard)");
    expect(lines[2]).toMatch(/^ {6}1\. record the replicas in ConfigMap my-milvus-meta-migration-state: my-milvus-milvus-rootcoord=1 /);
    expect(lines[3]).toBe("      2. stop: scale every Milvus deployment to 0, wait until no pod is left, then poll the etcd session keys until none is left (etcdctl in pod my-milvus-etcd-0, at most 75s)");
    expect(lines[4]).toBe(`      3. back up the metadata into PVC ${NAMES.backupClaim} (Job ${NAMES.backupJob} from ${MIGRATION_FILES.backupJob})`);
    expect(lines[5]).toBe(`      4. migrate the metadata (Job ${NAMES.migrateJob} from ${MIGRATION_FILES.migrateJob}: cmd.type run, root path by-dev)`);
    expect(lines[6]).toMatch(/^ {6}5\. helm upgrade to chart 3\.3\.6 with .*step-1\.yaml, restore the recorded replicas, health gate \(image tag v2\.2\.0\)$/);
    expect(lines[7]).toContain("on failure: roll back by itself");
    expect(r.stdout).toContain("[2/3] 2.5.16 (chart 4.2.58) ... would run: helm upgrade my-milvus to chart 4.2.58");
    expect(r.stdout).toContain("dry run: nothing changed");
    unchanged();
  });
});

describe("metadata migration: the dry run of a migration under way", () => {
  it("after a failed migrate: reuses the record, skips the backup, restores before migrating; changes nothing", async () => {
    setup();
    mig.failJob("migrate");
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    const before = mig.events().length;
    const r = await run(NO_ROLLBACK, { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain(`1. reuse the replicas recorded by an earlier run in ConfigMap ${NAMES.stateConfigMap}: ${MILVUS_DEPLOYMENTS.map((d) => `${d.name}=${d.replicas}`).join(" ")}`);
    expect(r.stdout).toContain(`3. back up: done by an earlier run (PVC ${NAMES.backupClaim}), skipped`);
    expect(r.stdout).toContain("4. restore the metadata from the backup (an earlier migrate did not finish), then migrate it");
    expect(r.stdout).toContain("on failure: stop and keep the progress for a re-run (migration.rollbackOnFailure is off)");
    expect(mig.events()).toHaveLength(before);
  });

  it("after a failed helm step: stop, backup and migrate are done; only the helm step and the gate remain", async () => {
    setup();
    fake.failUpgrade("3.3.6", "apply");
    expect((await run(NO_ROLLBACK)).code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    fake.clearFailure();
    const r = await run(NO_ROLLBACK, { MILVUS_EXECUTOR_DRY_RUN: "1" });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(r.stdout).toContain("2-4. stop, back up, migrate: done by an earlier run");
    expect(r.stdout).toMatch(/5\. helm upgrade to chart 3\.3\.6 with \S+step-1\.yaml, restore the recorded replicas/);
  });
});

describe("isValidRuntimeValue: the check of every runtime-discovered value", () => {
  it.each<[string, string, boolean]>([
    ["endpoint", "my-milvus-etcd:2379", true],
    ["endpoint", "etcd-0.example.com:2379", true],
    ["endpoint", "http://etcd:2379", false],
    ["endpoint", "$(id):2379", false],
    ["endpoint", "etcd:2379\nx:1", false],
    ["endpoint", "etcd", false],
    ["version", "2.1.4", true],
    ["version", "2.1", false],
    ["version", "v2.1.4", false],
    ["number", "12", true],
    ["number", "1a", false],
    ["tag", "v2.1.4", true],
    ["tag", "v2.1.4;id", false],
    ["name", "my-milvus-etcd-0", true],
    ["name", "Etcd", false],
    ["replicas", "a=1 b-c.d=20", true],
    ["replicas", "a=1;b=2", false],
    ["replicas", "a=1\nb=2", false],
    ["replicas", "a=1 ", false],
    ["replicas", "", false],
    ["unknown", "x", false],
  ])("%s %j -> %s", (kind, value, ok) => {
    expect(isValidRuntimeValue(kind, value)).toBe(ok);
  });
});

describe("metadata migration manifests", () => {
  const input = { releaseName: "my-milvus", namespace: "milvus", targetVersion: "2.2.0", jobDeadlineSeconds: 900, migration: resolveMigrationOptions(undefined) };
  const filled = (o: unknown): unknown =>
    JSON.parse(
      JSON.stringify(o)
        .replaceAll(MIGRATION_PLACEHOLDERS.etcdEndpoint, "my-milvus-etcd:2379")
        .replaceAll(MIGRATION_PLACEHOLDERS.sourceVersion, "2.1.4")
        .replaceAll(MIGRATION_PLACEHOLDERS.sourceRevision, "7")
        .replaceAll(MIGRATION_PLACEHOLDERS.sourceTag, "v2.1.4")
        .replaceAll(MIGRATION_PLACEHOLDERS.replicas, "my-milvus-milvus-proxy=2"),
    );

  it("validate against the Kubernetes schemas, as generated and as the fake cluster received them", async () => {
    const objects = Object.values(migrationManifests(input)).map(filled);
    expect(await schemaProblems(objects)).toEqual([]);
    expect(await schemaProblems(Object.values(migrationManifests({ ...input, migration: resolveMigrationOptions({ storageClass: "fast", backupSize: "1.5Ti" }) })).map(filled))).toEqual([]);
    setup({ lingeringSessionPolls: 0 });
    expect((await run()).code).toBe(EXIT_CODES.SUCCESS);
    const received = [...Object.values(mig.state.jobs).map((j) => j.manifest), ...Object.values(mig.state.pvcs).map((p) => p.manifest)];
    expect(received).toHaveLength(3);
    expect(await schemaProblems(received)).toEqual([]);
  });

  it("Jobs: no retries, a deadline, non-root without privilege escalation or capabilities, no API token, labelled with the release", () => {
    const m = migrationManifests(input);
    for (const [file, kind] of [
      [MIGRATION_FILES.backupJob, "backup"],
      [MIGRATION_FILES.migrateJob, "migration"],
      [MIGRATION_FILES.rollbackJob, "rollback"],
    ] as const) {
      const job = m[file] as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { template: { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } };
      expect(job.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900 });
      expect(job.metadata.labels).toMatchObject({ "app.kubernetes.io/instance": "my-milvus", "app.kubernetes.io/managed-by": "milvus-cluster" });
      expect(job.spec.template.metadata.labels).toEqual(job.metadata.labels);
      const pod = job.spec.template.spec;
      expect(pod).toMatchObject({ restartPolicy: "Never", automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } } });
      expect(pod.containers).toHaveLength(1);
      expect(pod.containers[0]).toMatchObject({
        image: "milvusdb/meta-migration:v2.2.0-bugfix-20230112",
        command: ["/milvus/bin/meta-migration", `-config=/milvus/configs/meta/${kind}.yaml`],
        securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      });
    }
  });

  it("bundle files are these manifests, without YAML aliases; names fit their limits for every release name", () => {
    const bundle = renderExecutor(BASE);
    expect(bundle.includesMigration).toBe(true);
    for (const [file, object] of Object.entries(migrationManifests(input))) {
      expect(bundle.files[file]).not.toMatch(/[&*]a\d/);
      expect(YAML.parse(bundle.files[file]!)).toEqual(object);
    }
    for (const release of ["m", "a".repeat(49), "a".repeat(50), `${"a".repeat(48)}-bcde`, "a".repeat(53)]) {
      const n = migrationObjectNames(release);
      for (const job of [n.backupJob, n.migrateJob, n.rollbackJob]) {
        expect(job.length).toBeLessThanOrEqual(63);
        expect(job).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      }
      for (const other of [n.stateConfigMap, n.toolConfigMap, n.backupClaim]) expect(other.length).toBeLessThanOrEqual(253);
    }
    expect(migrationObjectNames("a".repeat(53)).backupJob).not.toBe(migrationObjectNames(`${"a".repeat(52)}b`).backupJob);
  });
});
