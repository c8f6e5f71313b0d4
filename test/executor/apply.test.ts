/**
 * `milvus-cluster apply` runs the executor locally: its --dry-run reads the live release and prints the steps that
 * would run, and a real run passes the executor's exit codes through. Uses the fake helm/kubectl harness.
 */
import { EXIT_CODES } from "../../src/executor";
import { applyBundle, applySteps } from "../../src/cli/apply";
import { FakeCluster } from "./fake-cluster";
import { FakeMigration } from "./fake-migration";
import { cli } from "../support/cli";

jest.setTimeout(120_000);

/** The fake as a live 2.1.4 release (separate coordinators, Pulsar v2) with the migration fakes. */
function release21(): FakeMigration {
  const mig = FakeMigration.install(fake, { lingeringSessionPolls: 0 });
  fake.addRevision({ tag: "v2.1.4", chart: "3.2.18", values: { mixCoordinator: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } } });
  return mig;
}

const TO_22 = ["apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.2.0", "--mq", "pulsar", "--session-wait", "1"];

let fake: FakeCluster;
const saved = { ...process.env };
beforeEach(() => {
  fake = FakeCluster.create();
  // apply uses helm/kubectl from PATH: put the fakes first.
  delete process.env.HELM_BIN;
  delete process.env.KUBECTL_BIN;
  Object.assign(process.env, fake.env());
});
afterEach(() => {
  process.env = { ...saved };
  fake.cleanup();
});


describe("milvus-cluster apply", () => {
  it("hands the executor every candidate stop and then the target", () => {
    expect(applySteps({ spec: { version: "2.6.4", messageQueue: "pulsarv3" } }).map((s) => s.milvusVersion)).toEqual(["2.5.16", "2.6.4"]);
    expect(applySteps({ spec: { version: "2.6.4" }, expectedFrom: "2.5.16" }).map((s) => s.milvusVersion)).toEqual(["2.6.4"]);
  });

  it("--dry-run against live 2.5.8 lists the steps it would run and changes nothing", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    const before = fake.revisions().length;
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--dry-run");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. would run/);
    expect(r.out).toMatch(/\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. would run/);
    expect(r.out).toMatch(/dry run: nothing changed/);
    expect(fake.revisions().length).toBe(before);
    expect(fake.helmCalls().some((c) => c[0] === "upgrade")).toBe(false);
  });

  it("runs the chain and passes the executor's exit code through (downgrade refused)", async () => {
    fake.addRevision({ tag: "v2.6.4", values: { pulsarv3: { enabled: true }, streaming: { enabled: true }, indexNode: { enabled: false } } });
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.5.16", "--mq", "pulsarv3");
    expect(r.code).toBe(EXIT_CODES.DOWNGRADE_REFUSED);
    expect(r.err).toMatch(/R-DOWNGRADE/);
  });

  it("plan --from 2.1.4 --to 2.6.4 shows the offline metadata migration first", async () => {
    const r = await cli("plan", "--from", "2.1.4", "--to", "2.6.4");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[2]).toMatch(/^1 +2\.2\.0 +3\.3\.6 +\S+ +meta-migration +offline +offline metadata migration 2\.1\.4 -> 2\.2\.0/);
  });

  it("--dry-run against live 2.1.4 lists the migration's phases and changes nothing", async () => {
    const mig = release21();
    const r = await cli(...TO_22, "--dry-run");
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\[1\/3\] 2\.1\.4 \(chart 3\.2\.18\) \.\.\. would skip/);
    expect(r.out).toContain("[2/3] 2.2.0 (chart 3.3.6) ... would run: metadata migration 2.1.4 -> 2.2.0, offline");
    for (const phase of ["1. record the replicas", "2. stop: scale every Milvus deployment to 0", "3. back up the metadata", "4. migrate the metadata", "5. helm upgrade to chart 3.3.6", "on failure: roll back by itself"]) {
      expect(r.out).toContain(phase);
    }
    expect(r.out).toContain("dry run: nothing changed");
    expect(mig.events()).toEqual([]);
    expect(fake.helmCalls().some((c) => c[0] === "upgrade")).toBe(false);
  });

  it("runs the migration, then --rollback-migration returns to 2.1.4 with the recorded replicas", async () => {
    const mig = release21();
    const before = mig.replicas();
    const r = await cli(...TO_22, "--storage-class", "standard", "--migration-image", "registry.example.com/meta-migration:v2.2.0-bugfix-20230112");
    expect(r.code).toBe(0);
    expect(fake.current().tag).toBe("v2.2.0");
    expect(JSON.stringify(mig.state().jobs)).toContain("registry.example.com/meta-migration:v2.2.0-bugfix-20230112");

    const back = await cli(...TO_22, "--rollback-migration");
    expect(back.code).toBe(0);
    expect(back.out).toContain("release my-milvus is back on Milvus 2.1.4");
    expect(fake.current().tag).toBe("v2.1.4");
    expect(mig.replicas()).toEqual(before);
    expect(mig.violations()).toEqual([]);
  });

  it("passes the migration's exit codes through (--no-migration-rollback leaves it for a re-run)", async () => {
    const mig = release21();
    mig.failJob("migrate");
    const r = await cli(...TO_22, "--no-migration-rollback");
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    expect(r.err).toContain("--rollback-migration");
    const again = await cli(...TO_22, "--no-migration-rollback", "--migration-cleanup");
    expect(again.code).toBe(0);
    expect(Object.keys(mig.state().pvcs)).toEqual([]);
  });

  it("hands the migration flags to the executor", () => {
    const b = applyBundle({
      release: "my-milvus",
      namespace: "milvus",
      spec: { version: "2.6.4", messageQueue: "pulsar" },
      migration: { etcdEndpoint: "etcd:2379", rootPath: "prod", storageClass: "fast", sessionWaitSeconds: 10, rollbackOnFailure: false, cleanup: true, backupSize: "5Gi" },
      rollbackMigration: true,
    });
    for (const a of ["MIG_ETCD_GIVEN='etcd:2379'", "MIG_ROOT_PATH='prod'", "MIG_STORAGE_CLASS='fast'", "MIG_SESSION_WAIT='10'", "MIG_ROLLBACK='0'", "MIG_CLEANUP='1'", "OPERATION='rollback-migration'"]) {
      expect(b.script).toContain(a);
    }
    expect(b.files["migration-backup-pvc.yaml"]).toContain("storage: 5Gi");
  });

  it.each([
    [["--etcd-endpoint", "http://etcd:2379"], /migration\.etcdEndpoint: "http:\/\/etcd:2379" is not an etcd endpoint host:port \[R-INPUT\]/],
    [["--root-path", "by-dev;id"], /migration\.rootPath: .* \[R-INPUT\]/],
    [["--session-wait", "soon"], /session-wait: --session-wait "soon" is not a whole number of seconds \[R-INPUT\]/],
    [["--backup-size", "big"], /migration\.backupSize: "big" is not a storage size \[R-INPUT\]/],
  ])("refuses migration flags %j before running anything", async (flags, message) => {
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(fake.helmCalls()).toEqual([]);
  });

  it("refuses a bad release name before running anything", async () => {
    const r = await cli("apply", "--release", "My_Milvus", "-n", "milvus", "--to", "2.6.4");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/releaseName.*DNS-1123.*R-INPUT/s);
    expect(fake.helmCalls()).toEqual([]);
  });
});
