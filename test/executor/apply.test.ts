/**
 * `milvus-cluster apply` runs the executor in process with the real-process client (helm and kubectl started with
 * execFile): its --dry-run reads the live release and prints the steps that would run, and a real run passes the
 * executor's exit codes through. helm and kubectl are the fake cluster's executables (test/executor/fake/bin), which
 * load the same model from its state directory.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { applyBundle, applySteps } from "../../src/cli/apply";
import { EXIT_CODES, type ExecutorInput } from "../../src/executor";
import { cli as runCli } from "../support/cli";
import { FakeCluster } from "./fake/cluster";
import type { FakeKube } from "./fake/kube";

jest.setTimeout(180_000);

/** The fake as a live 2.1.4 release (separate coordinators, Pulsar v2); the kube model is the migration's side. */
function release21(): FakeKube {
  fake.cleanup();
  fake = FakeCluster.create({ lingeringSessionPolls: 0, podLingerPolls: 0, jobPolls: 0 });
  fake.addRevision({ tag: "v2.1.4", chart: "3.2.18", values: { mixCoordinator: { enabled: false }, pulsar: { enabled: true }, pulsarv3: { enabled: false } } });
  return fake.kube;
}

const TO_22 = ["apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.2.0", "--mq", "pulsar", "--session-wait", "1"];

let fake: FakeCluster;
const saved = { ...process.env };
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  process.env = { ...saved };
  fake.cleanup();
});

/** Runs the CLI with the fake's executables as helm and kubectl (HELM_BIN, KUBECTL_BIN), then reads the fake's state back. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  process.env = { ...saved, ...fake.env() };
  try {
    return await runCli(...argv);
  } finally {
    fake.sync();
    process.env = { ...saved };
  }
}


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
    expect(fake.lease()).toBeUndefined();
  });

  it("--dry-run calls the final step an upgrade when the release exists, and names values files that exist afterwards (#12)", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--dry-run");
    expect(r.code).toBe(0);
    const final = /^\[2\/2\] 2\.6\.4 \(chart 5\.0\.6\) \.\.\. would run: helm upgrade my-milvus to chart 5\.0\.6 with (\S+step-2\.yaml),/m.exec(r.out);
    expect(final).not.toBeNull();
    expect(r.out).not.toMatch(/would run: install/);
    const kept = /kept in (\S+) \(remove it when done\)/.exec(r.out)?.[1];
    expect(kept).toBeDefined();
    try {
      expect(path.dirname(final![1]!)).toBe(kept);
      expect(fs.readFileSync(final![1]!, "utf8")).toContain("tag: v2.6.4");
      expect((fs.statSync(kept!).mode & 0o777).toString(8)).toBe("700");
    } finally {
      fs.rmSync(kept!, { recursive: true, force: true });
    }
  });

  it("a real run removes its private directory; --timeout takes 5m and gives helm 300s", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--timeout", "5m");
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(fake.current().tag).toBe("v2.6.4");
    const upgrades = fake.upgrades();
    expect(upgrades.map((c) => c[c.indexOf("--timeout") + 1])).toEqual(["300s", "300s"]);
    const file = upgrades[0]![upgrades[0]!.indexOf("-f") + 1]!;
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    // The lock was taken and released through the real kubectl path (JSON on stdin).
    expect(fake.leaseCalls().some((c) => c[0] === "create")).toBe(true);
    expect((fake.lease()!.spec as Record<string, unknown>).holderIdentity).toBeUndefined();
  });

  it("resumes, retries and refuses through apply: a failed step 2, then a re-run upgrades again from there", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    fake.failUpgrade("5.0.6", "apply");
    const argv = ["apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--timeout", "5m"];
    const failed = await cli(...argv);
    expect(failed.code).toBe(EXIT_CODES.HELM_UPGRADE_FAILED);
    expect(fake.current()).toMatchObject({ status: "failed", tag: "v2.6.4" });
    fake.clearFailure();
    const again = await cli(...argv);
    expect(again.code).toBe(0);
    expect(again.out).toContain("[1/2] 2.5.16 (chart 4.2.58) ... skipped");
    expect(fake.current()).toMatchObject({ status: "deployed", tag: "v2.6.4" });
  });

  it("refuses a second apply while another executor holds the release's lock", async () => {
    fake.addRevision({ tag: "v2.5.8", values: { pulsarv3: { enabled: true } } });
    const now = new Date().toISOString();
    fake.kube.state.leases["my-milvus-milvus-upgrade"] = { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "my-milvus-milvus-upgrade", namespace: "milvus", resourceVersion: "3" }, spec: { holderIdentity: "pod job-1", leaseDurationSeconds: 60, renewTime: now, acquireTime: now } };
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--mq", "pulsarv3", "--timeout", "5m");
    expect(r.code).toBe(EXIT_CODES.RELEASE_LOCKED);
    expect(r.err).toContain("locked by pod job-1");
    expect(fake.upgrades()).toEqual([]);
  });

  it.each([["15 m"], ["1h"], ["0"], ["1.5m"], ["-5"]])("refuses --timeout %j with the field and an example", async (t) => {
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", "--timeout", t);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/timeout: .* is not a duration \[R-INPUT\].*15m, 900s or 900/s);
    expect(fake.helmCalls()).toEqual([]);
  });

  it("runs the chain and passes the executor's exit code through (downgrade refused)", async () => {
    fake.addRevision({ tag: "v2.6.4", values: { pulsarv3: { enabled: true }, streaming: { enabled: true }, indexNode: { enabled: false } } });
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.5.16", "--mq", "pulsarv3", "--timeout", "5m");
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
    expect(JSON.stringify(fake.kube.state.jobs)).toContain("registry.example.com/meta-migration:v2.2.0-bugfix-20230112");

    const back = await cli(...TO_22, "--rollback-migration");
    expect(back.code).toBe(0);
    expect(back.out).toContain("release my-milvus is back on Milvus 2.1.4");
    expect(fake.current().tag).toBe("v2.1.4");
    expect(fake.kube.replicas()).toEqual(before);
    expect(fake.kube.violations()).toEqual([]);
  });

  it("passes the migration's exit codes through (--no-migration-rollback leaves it for a re-run)", async () => {
    const mig = release21();
    mig.failJob("migrate");
    const r = await cli(...TO_22, "--no-migration-rollback");
    expect(r.code).toBe(EXIT_CODES.META_MIGRATION_FAILED);
    expect(r.err).toContain("--rollback-migration");
    const again = await cli(...TO_22, "--no-migration-rollback", "--migration-cleanup");
    expect(again.code).toBe(0);
    expect(Object.keys(fake.kube.state.pvcs)).toEqual([]);
  });

  it("hands the migration flags to the executor", () => {
    const b = applyBundle({
      release: "my-milvus",
      namespace: "milvus",
      spec: { version: "2.6.4", messageQueue: "pulsar" },
      migration: { etcdEndpoint: "etcd:2379", rootPath: "prod", storageClass: "fast", sessionWaitSeconds: 10, rollbackOnFailure: false, cleanup: true, backupSize: "5Gi" },
      rollbackMigration: true,
    });
    const input = JSON.parse(b.files["plan.json"]!) as ExecutorInput;
    expect(input.operation).toBe("rollback-migration");
    expect(input.migration).toMatchObject({ etcdEndpoint: "etcd:2379", rootPath: "prod", storageClass: "fast", sessionWaitSeconds: 10, rollbackOnFailure: false, cleanup: true });
    expect(b.files["migration-backup-pvc.yaml"]).toContain("storage: 5Gi");
  });

  it.each([
    [["--etcd-endpoint", "http://etcd:2379"], /--etcd-endpoint: "http:\/\/etcd:2379" is not an etcd endpoint host:port \[R-INPUT\]/],
    [["--root-path", "by-dev;id"], /--root-path: .* \[R-INPUT\]/],
    [["--session-wait", "soon"], /session-wait: --session-wait "soon" is not a whole number of seconds \[R-INPUT\]/],
    [["--backup-size", "big"], /--backup-size: "big" is not a storage size \[R-INPUT\]/],
  ])("refuses migration flags %j before running anything", async (flags, message) => {
    const r = await cli("apply", "--release", "my-milvus", "-n", "milvus", "--to", "2.6.4", ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(fake.helmCalls()).toEqual([]);
  });

  it("refuses a bad release name before running anything", async () => {
    const r = await cli("apply", "--release", "My_Milvus", "-n", "milvus", "--to", "2.6.4");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--release.*DNS-1123.*R-INPUT/s);
    expect(fake.helmCalls()).toEqual([]);
  });

  it.each([
    [["--release", "My_Milvus", "-n", "milvus"], "--release"],
    [["--release", "my-milvus", "-n", "Bad_NS"], "--namespace"],
    [["--release", "my-milvus", "-n", "milvus", "--chart-repository", "ftp://mirror"], "--chart-repository"],
  ])("a bad option %j is named by its flag %s, never by the executor's field name", async (flags, flag) => {
    const r = await cli("apply", ...flags, "--to", "2.6.4");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: ${flag}: `);
    expect(r.err).not.toMatch(/(^|\s)(releaseName|chartRepository|namespace):/m);
    expect(fake.helmCalls()).toEqual([]);
  });
});
