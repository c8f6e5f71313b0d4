import type * as pulumi from "@pulumi/pulumi";
import type { UpgradeStep } from "../../src/plan/types";
import { MilvusCluster, type MilvusClusterArgs } from "../../src/pulumi";
import { firstStepToRun } from "../../src/pulumi/milvus-cluster";
import { installMocks, logged, logs, mockLiveRelease, README_ARGS, registered, settle, T, transformationRecorder } from "./helpers";

/*
 * Adoption (issue #11 item 9): the preview names the user-supplied values of the live release that the first step's
 * --reset-values drops. The live values come from a read (`Release.get`), which the engine performs in previews too
 * (pulumi/pulumi step.go, ReadStep.Apply); pulumi-kubernetes' helm Release Read returns the release's user-supplied
 * config as `values` (helm_release.go, Read -> setReleaseAttributes). The mock answers that read from
 * `mockLiveRelease` (helpers.ts); a read reaches the mock's newResource with `custom: true` and the `id`.
 */

const PASSWORD = "hunter2-plain-in-live-values";

/** A hand-installed release: hand-set tolerations and node selector, and a plain credential. */
const LIVE_VALUES = {
  image: { all: { tag: "v2.5.16" } },
  cluster: { enabled: true },
  tolerations: [{ key: "dedicated", operator: "Equal", value: "milvus", effect: "NoSchedule" }],
  queryNode: { nodeSelector: { pool: "vector" } },
  minio: { secretKey: PASSWORD },
};

beforeAll(async () => {
  await installMocks(true);
});

beforeEach(() => {
  logs.warn.mockClear();
});

/** Builds a cluster and waits for every registration and for the read's apply. */
async function build(name: string, args: MilvusClusterArgs, opts?: pulumi.ComponentResourceOptions): Promise<MilvusCluster> {
  const c = new MilvusCluster(name, args, opts);
  await settle(c.release.urn, c.endpoint, c.stops);
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  return c;
}

const resetWarnings = (): string[] => logged("warn").filter((m) => m.includes("[R-RESET-VALUES]"));

describe("adoptExisting: the preview names what the first reset drops", () => {
  it("reads the live release by namespace/releaseName under the component and warns the dropped key paths, never a value", async () => {
    mockLiveRelease.values = LIVE_VALUES;
    await build("adopted", { ...README_ARGS, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16" });
    const read = registered.find((r) => r.type === T.release && r.name === "adopted-adopted-release");
    expect(read).toMatchObject({ custom: true, id: "milvus/adopted" });
    const warnings = resetWarnings();
    expect(warnings).toHaveLength(1);
    const w = warnings[0]!;
    expect(w).toMatch(/adopting release milvus\/adopted: the first step's --reset-values \(2\.5\.16 \(chart [\d.]+\)\) drops these user-supplied values of the live release: /);
    expect(w).toMatch(/\btolerations\b/);
    expect(w).toMatch(/queryNode\.nodeSelector\.pool/);
    expect(w).toMatch(/minio\.secretKey/);
    expect(w).toMatch(/Fix: carry over each one you need in helmValues/);
    // Key paths only: no value of the live release is in the message.
    for (const v of [PASSWORD, "dedicated", "NoSchedule", "vector"]) expect(w).not.toContain(v);
    for (const m of [...logged("warn"), ...logged("info")]) expect(m).not.toContain(PASSWORD);
  });

  it("keys the first step sets are not named (helmValues carrying the tolerations over)", async () => {
    mockLiveRelease.values = LIVE_VALUES;
    await build("carried", {
      ...README_ARGS,
      version: "2.5.16",
      adoptExisting: true,
      expectedFrom: "2.5.16",
      helmValues: { tolerations: [{ key: "dedicated", operator: "Equal", value: "milvus", effect: "NoSchedule" }], queryNode: { nodeSelector: { pool: "vector" } } },
    });
    const w = resetWarnings().join("\n");
    expect(w).not.toMatch(/\btolerations\b/);
    expect(w).not.toMatch(/nodeSelector/);
    expect(w).toMatch(/minio\.secretKey/);
  });

  it("with candidate stops, compares with the step the executor runs first on the live version (image.all.tag)", async () => {
    // Live 2.5.16 without mixCoordinator: 2.1.x/2.2.x stops are passed, the 2.5.16 mixCoordinator stop runs first.
    mockLiveRelease.values = LIVE_VALUES;
    await build("stops", { ...README_ARGS, version: "2.6.4", adoptExisting: true });
    const w = resetWarnings().join("\n");
    expect(w).toMatch(/the first step's --reset-values \(2\.5\.16 \(chart [\d.]+\)\)/);
    expect(w).toMatch(/\btolerations\b/);
  });

  it("no warning when the live values hold nothing the first step drops", async () => {
    mockLiveRelease.values = { queryNode: { replicas: 3 } };
    await build("nothing", { ...README_ARGS, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16" });
    expect(registered.find((r) => r.name === "nothing-adopted-release")).toBeDefined();
    expect(resetWarnings()).toEqual([]);
  });

  it("without adoptExisting there is no read and no warning", async () => {
    mockLiveRelease.values = LIVE_VALUES;
    await build("plain", { ...README_ARGS, version: "2.5.16" });
    expect(registered.find((r) => r.name === "plain-adopted-release")).toBeUndefined();
    expect(resetWarnings()).toEqual([]);
  });

  it("the read's values are a secret output (additionalSecretOutputs, marked secret by the engine's step executor)", async () => {
    mockLiveRelease.values = LIVE_VALUES;
    const rec = transformationRecorder();
    await build("secretread", { ...README_ARGS, version: "2.5.16", adoptExisting: true, expectedFrom: "2.5.16" }, { transformations: [rec.transformation] });
    const read = rec.seen.find((s) => s.type === T.release && s.name === "secretread-adopted-release");
    expect(read?.opts.id).toBe("milvus/secretread");
    expect(read?.opts.additionalSecretOutputs).toEqual(["values"]);
    // The imported Release keeps its values secret as before.
    expect(rec.seen.find((s) => s.type === T.release && s.name === "secretread")?.opts.additionalSecretOutputs).toEqual(["values"]);
  });
});

describe("firstStepToRun (decide.ts stepDecision on the read's live version)", () => {
  const step = (milvusVersion: string, mix = false): UpgradeStep => ({ milvusVersion, chartVersion: "0.0.0", values: mix ? { mixCoordinator: { enabled: true } } : {} }) as unknown as UpgradeStep;
  const steps = [step("2.2.0"), step("2.5.16", true), step("2.6.4", true)];
  it.each([
    ["live tag below every stop", { image: { all: { tag: "v2.1.4" } } }, undefined, "2.2.0"],
    ["live tag at a stop with another topology", { image: { all: { tag: "v2.5.16" } } }, undefined, "2.5.16"],
    ["live tag at a stop with its topology: passed", { image: { all: { tag: "v2.5.16" } }, mixCoordinator: { enabled: true } }, undefined, "2.6.4"],
    ["no tag: the release's appVersion", {}, "2.5.8", "2.5.16"],
    ["no readable version: no stop passed", { image: { all: { tag: "latest" } } }, undefined, "2.2.0"],
  ])("%s", (_label, live, appVersion, expected) => {
    expect(firstStepToRun(steps, live, appVersion).milvusVersion).toBe(expected);
  });
});
