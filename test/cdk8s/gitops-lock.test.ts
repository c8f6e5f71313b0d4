/**
 * Two commits in a row under GitOps: the first commit's Job is still running its helm upgrades when the second commit
 * lands, and the tool starts the second Job beside it (Flux without `wait: true` does not wait for Jobs; gitops.test.ts
 * shows the first is not pruned). The executors of both Jobs, built from the construct's synthesized bundles, run against one fake
 * cluster (test/executor/fake/) at the same time: the release's Lease lets one upgrade, the other exits cleanly with
 * RELEASE_LOCKED before changing anything, and its retry (Argo CD deletes the failed hook and syncs again; under Flux
 * the user deletes the failed Job and Flux re-creates it) resumes from the release the first one left.
 */
import * as path from "node:path";
import { Chart, Testing } from "cdk8s";
import { MilvusCluster, type MilvusClusterProps } from "../../src/cdk8s";
import { EXIT_CODES } from "../../src/executor";
import { planUpgrade } from "../../src/plan/plan";
import { FakeCluster } from "../executor/fake/cluster";
import { type RunOutcome, runInProcess } from "../executor/fake/run";

const COMMIT_1: MilvusClusterProps = { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", gitOps: "flux" };
/** The next commit: the same upgrade with another value (a new plan, hence a new Job). */
const COMMIT_2: MilvusClusterProps = { ...COMMIT_1, queryNode: { replicas: 2 } };

function jobOf(props: MilvusClusterProps): MilvusCluster {
  const chart = new Chart(Testing.app(), "gitops", { namespace: "milvus" });
  return new MilvusCluster(chart, "my-milvus", props);
}

let fake: FakeCluster;
beforeEach(() => {
  fake = FakeCluster.create();
});
afterEach(() => fake.cleanup());

test("two commits in a row: the second Job exits cleanly (RELEASE_LOCKED) while the first upgrades, then resumes", async () => {
  // The live release: what this construct installed for 2.5.8 (chart and complete values).
  const installed = planUpgrade({ to: { version: "2.5.8", messageQueue: "pulsar" } }).steps[0]!;
  fake.addRevision({ tag: "v2.5.8", chart: installed.chartVersion, values: installed.values });
  const first = jobOf(COMMIT_1);
  const second = jobOf(COMMIT_2);
  expect(second.jobName).not.toBe(first.jobName);
  const dirFirst = fake.writeBundle(first.executor!, path.join(fake.root, first.jobName!));
  const dirSecond = fake.writeBundle(second.executor!, path.join(fake.root, second.jobName!));

  // The second Job's pod starts while the first holds the release's lock, just before its first helm upgrade.
  let b: RunOutcome | undefined;
  const a = await runInProcess(fake, undefined, {
    dir: dirFirst,
    holder: `pod ${first.jobName}`,
    hooks: {
      beforeHelm: async (args) => {
        if (b === undefined && args[0] === "upgrade") b = await runInProcess(fake, undefined, { dir: dirSecond, holder: `pod ${second.jobName}`, client: fake });
      },
    },
  });
  if (b === undefined) throw new Error("the second Job never started");
  expect([a.code, b.code]).toEqual([EXIT_CODES.SUCCESS, EXIT_CODES.RELEASE_LOCKED]);
  expect(b.stderr).toContain(`release my-milvus is locked by pod ${first.jobName}`);
  expect(b.stderr).toContain("Nothing was changed");
  // Only the first Job's values files reached helm: no interleaved upgrades.
  const upgrades = fake.upgrades();
  expect(upgrades).toHaveLength(2);
  for (const u of upgrades) expect(u[u.indexOf("-f") + 1]!.startsWith(dirFirst)).toBe(true);
  expect(fake.current().tag).toBe("v2.6.4");

  // The retry of the second Job: the stop is passed, only the final upgrade with the new values runs.
  fake.resetCalls();
  const retry = await runInProcess(fake, undefined, { dir: dirSecond, holder: `pod ${second.jobName} (retry)` });
  expect(retry.code).toBe(EXIT_CODES.SUCCESS);
  const final = fake.upgrades();
  expect(final).toHaveLength(1);
  expect(final[0]![final[0]!.indexOf("-f") + 1]!.startsWith(dirSecond)).toBe(true);
  expect(fake.current().tag).toBe("v2.6.4");
});
