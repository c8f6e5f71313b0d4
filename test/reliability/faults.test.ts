/**
 * Fault injection into the executor (in process against the fake cluster model, see test/executor/fake/). Every fault ends
 * with a documented exit code, a message that says what to do, and the release at a known stop; after the recovery
 * the next run resumes and finishes. Nothing is applied half-way: the release is always exactly at a version of the
 * chain (2.5.8, 2.5.16 or 2.6.4).
 */
import { EXIT_CODES, type ExecutorOptions, renderExecutor } from "../../src/executor";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import { FakeCluster } from "../executor/fake/cluster";
import { runInProcess } from "../executor/fake/run";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
const KNOWN_STOPS = ["v2.5.8", "v2.5.16", "v2.6.4"];

interface Fault {
  /** What goes wrong. */
  readonly name: string;
  /** Prepares the live release and injects the fault. */
  readonly inject: (fake: FakeCluster) => void;
  /** Executor options for the failing run. @default BASE */
  readonly opts?: ExecutorOptions;
  /** Exit code of the failing run. */
  readonly code: number;
  /** What stderr must tell the user. */
  readonly says: RegExp;
  /** The known stop the release is left at (image tag of the newest revision). */
  readonly leftAt: string;
  /** What the operator (or nothing) does before the next run. */
  readonly recover: (fake: FakeCluster) => void;
  /** Options of the next run. @default opts */
  readonly nextOpts?: ExecutorOptions;
}

// Fault switches of the fake model.
const unfreezeImage = (f: FakeCluster) => f.unfreezeImage();
const failRollout = (f: FakeCluster) => f.failRollout();
const fixRollout = (f: FakeCluster) => f.failRollout(false);
const sickMilvus = (f: FakeCluster) => f.setHealthz("component querynode is not healthy: no shard leader");
const healMilvus = (f: FakeCluster) => f.setHealthz("ok");

/** The revision before the newest, deployed again (what `helm rollback <rel> <rev>` leaves behind). */
function rollbackToPrevious(fake: FakeCluster): void {
  const revs = fake.revisions();
  const previous = revs[revs.length - 2]!;
  const tag = previous === revs[0] ? "v2.5.8" : "v2.5.16";
  fake.addRevision({ tag, chart: tag === "v2.5.8" ? "4.2.44" : "4.2.58" });
}

const FAULTS: readonly Fault[] = [
  {
    name: "step 1 fails before any change (chart download)",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.failUpgrade("4.2.58", "fetch");
    },
    code: EXIT_CODES.HELM_UPGRADE_FAILED,
    says: /helm upgrade to 2\.5\.16 \(chart 4\.2\.58\) failed.*resumes at step 1/s,
    leftAt: "v2.5.8",
    recover: (f) => f.clearFailure(),
  },
  {
    name: "step 2 fails before any change",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.failUpgrade("5.0.6", "fetch");
    },
    code: EXIT_CODES.HELM_UPGRADE_FAILED,
    says: /resumes at step 2/,
    leftAt: "v2.5.16",
    recover: (f) => f.clearFailure(),
  },
  {
    name: "step 2 times out in helm (context deadline exceeded): the release is left failed",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.failUpgrade("5.0.6", "apply");
    },
    code: EXIT_CODES.HELM_UPGRADE_FAILED,
    says: /helm rollback my-milvus <last deployed revision> -n milvus/,
    leftAt: "v2.6.4", // the failed revision; the last deployed one is 2.5.16
    recover: (f) => {
      f.clearFailure();
      rollbackToPrevious(f);
    },
  },
  {
    name: "step 2 times out with rollback on failure: helm rolls back itself",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.failUpgrade("5.0.6", "apply");
    },
    opts: { ...BASE, rollbackOnFailure: true },
    code: EXIT_CODES.HELM_UPGRADE_FAILED,
    says: /rolls the release back.*resumes at step 2/s,
    leftAt: "v2.5.16",
    recover: (f) => f.clearFailure(),
  },
  {
    name: "helm killed mid-upgrade: the release is left pending-upgrade",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
      f.addRevision({ tag: "v2.6.4", chart: "5.0.6", status: "pending-upgrade" });
    },
    code: EXIT_CODES.RELEASE_PENDING,
    says: /helm rollback my-milvus 2 -n milvus/,
    leftAt: "v2.6.4",
    recover: (f) => rollbackToPrevious(f),
  },
  {
    name: "image pull failure at step 2: the health gate never sees the new image",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
      f.freezeImage("v2.5.16"); // pods keep the old image whatever helm applies
    },
    opts: { ...BASE, stepTimeoutSeconds: 3 },
    code: EXIT_CODES.HEALTH_GATE_FAILED,
    says: /do not run an image tagged v2\.6\.4.*re-run/s,
    leftAt: "v2.6.4",
    recover: unfreezeImage,
  },
  {
    name: "Milvus answers unhealthy on /healthz: nothing is upgraded on top of it, the re-run after it healed finishes",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      sickMilvus(f);
    },
    opts: { ...BASE, stepTimeoutSeconds: 3 },
    code: EXIT_CODES.HEALTH_GATE_FAILED,
    says: /before step 1: the live release \(Milvus 2\.5\.8\): Milvus did not answer healthy on my-milvus:9091\/healthz within 3s.*no shard leader.*re-run/s,
    leftAt: "v2.5.8",
    recover: healMilvus,
  },
  {
    name: "a Deployment never finishes rolling out: nothing is upgraded on top of an unhealthy release",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      failRollout(f);
    },
    opts: { ...BASE, stepTimeoutSeconds: 3 },
    code: EXIT_CODES.HEALTH_GATE_FAILED,
    says: /before step 1: .*did not finish rolling out.*re-run/s,
    leftAt: "v2.5.8",
    recover: fixRollout,
  },
  {
    name: "someone moved the live release to another version between runs (expectedFrom)",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
      f.addRevision({ tag: "v2.6.2", chart: "5.0.3", values: { streaming: { enabled: true }, indexNode: { enabled: false } } });
    },
    opts: { ...BASE, expectedFrom: "2.5.8" },
    code: EXIT_CODES.UNEXPECTED_LIVE_VERSION,
    says: /live Milvus 2\.6\.2 is neither the expected 2\.5\.8 nor a version this chain produces.*Plan again from 2\.6\.2/s,
    leftAt: "v2.6.2",
    recover: () => undefined,
    nextOpts: BASE, // planned again without expectedFrom: the stop is skipped, the target reached
  },
  {
    name: "the release was deleted between steps, its volumes kept: installing over data of an unknown version is refused",
    inject: (f) => {
      f.addRevision({ tag: "v2.5.8" });
      f.addRevision({ tag: "v2.5.16", chart: "4.2.58" });
      f.leaveVolumes("data-my-milvus-etcd-0", "my-milvus-minio");
    },
    code: EXIT_CODES.ORPHANED_DATA,
    says: /release my-milvus does not exist.*volume claims remain: persistentvolumeclaim\/data-my-milvus-etcd-0 persistentvolumeclaim\/my-milvus-minio.*Reinstall the version that wrote the data/s,
    leftAt: "",
    recover: () => undefined,
  },
  {
    name: "the release was deleted between steps (Pulumi: the Helm Release installs it)",
    inject: () => undefined,
    opts: { ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false },
    code: EXIT_CODES.SUCCESS,
    says: /release my-milvus in namespace milvus/,
    leftAt: "",
    recover: () => undefined,
  },
];

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create25();
});
afterEach(() => {
  fake.cleanup();
});

async function run(opts: ExecutorOptions) {
  return runInProcess(fake, renderExecutor(opts));
}

describe("executor fault injection", () => {
  it.each(FAULTS.map((f) => [f.name, f] as const))("%s", async (_name, f) => {
    f.inject(fake);
    const opts = f.opts ?? BASE;
    const failed = await run(opts);
    expect({ code: failed.code, stderr: failed.stderr }).toEqual({ code: f.code, stderr: expect.stringMatching(f.says) });
    if (f.leftAt) {
      expect(fake.current().tag).toBe(f.leftAt);
      expect([...KNOWN_STOPS, "v2.6.2"]).toContain(fake.current().tag);
    } else {
      // No release: nothing was installed (refused), or the Helm Release resource installs it (Pulumi).
      expect(fake.revisions()).toEqual([]);
      expect(fake.upgrades()).toEqual([]);
      if (f.code === EXIT_CODES.SUCCESS) expect(failed.stdout).toContain("no release yet; the Helm Release resource installs it");
      return;
    }
    f.recover(fake);
    fake.resetCalls();
    const next = await run(f.nextOpts ?? opts);
    expect({ code: next.code, stderr: next.stderr }).toEqual({ code: EXIT_CODES.SUCCESS, stderr: expect.any(String) });
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
    // Resumed, not restarted: a stop the release had passed is skipped.
    if (f.leftAt !== "v2.5.8") expect(next.stdout).toMatch(/\[1\/2\] 2\.5\.16 \(chart 4\.2\.58\) \.\.\. skipped/);
  });

  it("installs over leftover volumes only when told to (allowExistingData)", async () => {
    fake.leaveVolumes("data-my-milvus-etcd-0");
    const r = await run({ ...BASE, allowExistingData: true });
    expect(r.code).toBe(EXIT_CODES.SUCCESS);
    expect(fake.current()).toMatchObject({ tag: "v2.6.4", status: "deployed" });
  });

  it("injects every fault kind named by the reliability promise", () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(10);
  });
});
