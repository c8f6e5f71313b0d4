/**
 * The executor's input and its pure decisions: renderExecutor's validation, the files it writes (plan.json, values
 * files, migration manifests; snapshots only for these rendered files), the hash, and the table-driven decision
 * functions of the state machine (decide.ts, live.ts, helm.ts, health.ts, reset-drops.ts, lock.ts).
 */
import fc from "fast-check";
import YAML from "yaml";
import { compareVersions, type InputProblem, MilvusClusterError } from "../../src";
import {
  bundleHash,
  EXIT_CODES,
  EXECUTOR_INPUT_FILE,
  type ExecutorInput,
  type ExecutorOptions,
  executorOptionsProblems,
  MIGRATION_FILES,
  type MigrationOptions,
  renderExecutor,
} from "../../src/executor";
import { checkLive, compareMilvus, decideRemainingSteps, formatDuration, isRetryOfNextStep } from "../../src/executor/decide";
import { ExecutorExit } from "../../src/executor/exit";
import { milvusHealthService, imageHasTag, deploymentImages } from "../../src/executor/health";
import { helmFlavour, helmUpgradeArgs } from "../../src/executor/helm";
import { lastGoodRevision, liveRelease, liveValues, parseHistory, parseStatus, versionOfTag } from "../../src/executor/live";
import { leaseFree, microTime, parseLease } from "../../src/executor/lock";
import { droppedKeys } from "../../src/executor/reset-drops";
import { parseDuration } from "../../src/util/duration";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import type { UpgradeStep } from "../../src/plan/types";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BASE: ExecutorOptions = { releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps, targetVersion: PLAN.to };
const STEP1 = PLAN.steps[0]!;
const STEP2 = PLAN.steps[1]!;
const MIGRATION_STEP = planUpgrade({ from: "2.1.4", to: "2.2.0" }).steps[0]!;

function withValues(step: UpgradeStep, patch: Record<string, unknown>): UpgradeStep {
  return { ...step, values: { ...step.values, ...patch } };
}

/** The problems of a MilvusClusterError; fails the test for anything else. */
function problemsOf(error: unknown): readonly InputProblem[] {
  expect(error).toBeInstanceOf(MilvusClusterError);
  return (error as MilvusClusterError).problems;
}

/** The plan.json of a bundle. */
function inputOf(opts: ExecutorOptions): ExecutorInput {
  return JSON.parse(renderExecutor(opts).files[EXECUTOR_INPUT_FILE]!) as ExecutorInput;
}

/** The ExecutorExit `f` throws (fails the test when it throws nothing or something else). */
function exitOf(f: () => void): ExecutorExit {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExecutorExit);
    return e as ExecutorExit;
  }
  throw new Error("expected an ExecutorExit");
}

describe("renderExecutor: input validation", () => {
  const cases: [string, string, Partial<ExecutorOptions>][] = [
    ["releaseName", "upper case and '_'", { releaseName: "My_Milvus" }],
    ["releaseName", "54 characters", { releaseName: "a".repeat(54) }],
    ["releaseName", "shell syntax", { releaseName: "x;rm -rf /" }],
    ["releaseName", "empty", { releaseName: "" }],
    ["namespace", "a space", { namespace: "Bad NS" }],
    ["namespace", "64 characters", { namespace: "a".repeat(64) }],
    ["namespace", "command substitution", { namespace: "$(id)" }],
    ["targetVersion", "latest", { targetVersion: "latest" }],
    ["targetVersion", "a quote", { targetVersion: "2.6.4'; id; '" }],
    ["expectedFrom", "2.5", { expectedFrom: "2.5" }],
    ["stepTimeoutSeconds", "0", { stepTimeoutSeconds: 0 }],
    ["stepTimeoutSeconds", "1.5", { stepTimeoutSeconds: 1.5 }],
    ["stepTimeoutSeconds", "-5", { stepTimeoutSeconds: -5 }],
    ["stepTimeoutSeconds", "NaN", { stepTimeoutSeconds: Number.NaN }],
    ["chartRepository", "http://", { chartRepository: "http://insecure.example.com/charts" }],
    ["chartRepository", "$(...)", { chartRepository: "https://example.com/$(id)" }],
    ["chartRepository", "';'", { chartRepository: "https://example.com/x;reboot" }],
    ["chartRepository", "backquotes", { chartRepository: "https://example.com/`id`" }],
    ["chartRepository", "a space", { chartRepository: "oci://registry.example.com/a b" }],
    ["chartRepository", "credentials", { chartRepository: "https://user:secret@example.com/charts" }],
    ["chartRepository", "single quotes", { chartRepository: "https://example.com/'quoted'" }],
    ["chartRepository", "a query", { chartRepository: "https://example.com/charts?token=x" }],
    ["chartRepository", "ftp://", { chartRepository: "ftp://example.com" }],
    ["includesFinalStep", "a string", { includesFinalStep: "yes" as unknown as boolean }],
    ["rollbackOnFailure", "a number", { rollbackOnFailure: 1 as unknown as boolean }],
    ["steps", "no steps", { steps: [] }],
    ["steps[0].chartVersion", "shell syntax in a chart version", { steps: [{ ...STEP1, chartVersion: "4.2.58; reboot" }, STEP2] }],
    ["steps[0].milvusVersion", "a step version that is not one", { steps: [{ ...STEP1, milvusVersion: "2.5" }, STEP2] }],
    ["steps[1].chartRepository", "shell syntax in a step repository", { steps: [STEP1, { ...STEP2, chartRepository: "https://evil.example.com/$(id)" }] }],
    ["steps[0].action", "an unknown action", { steps: [{ ...STEP1, action: "rm" as UpgradeStep["action"] }, STEP2] }],
    ["steps[0].values", "values that are not an object", { steps: [{ ...STEP1, values: "cluster.enabled=true" as unknown as UpgradeStep["values"] }, STEP2] }],
    ["steps[0].values.image.all.tag", "shell syntax in the image tag", { steps: [withValues(STEP1, { image: { all: { tag: "v2.5.16$(id)" } } }), STEP2] }],
    ["steps[1].milvusVersion", "steps out of order", { steps: [STEP2, STEP1] }],
    ["steps[1].milvusVersion", "a final step below the target", { targetVersion: "2.6.5" }],
    ["steps[0].milvusVersion", "a step above the target", { targetVersion: "2.5.10", includesFinalStep: false }],
    ["steps", "steps with two message queues", { steps: [STEP1, withValues(STEP2, { kafka: { enabled: true }, pulsarv3: { enabled: false } })] }],
    ["steps", "steps with two modes", { steps: [STEP1, withValues(STEP2, { cluster: { enabled: false } })] }],
    ["migration", "migration settings that are not an object", { migration: "yes" as unknown as MigrationOptions }],
    ["migration.etcdEndpoint", "an endpoint with a scheme", { migration: { etcdEndpoint: "http://etcd:2379" } }],
    ["migration.etcdEndpoint", "port 0", { migration: { etcdEndpoint: "etcd:0" } }],
    ["migration.etcdEndpoint", "port 70000", { migration: { etcdEndpoint: "etcd:70000" } }],
    ["migration.etcdEndpoint", "command substitution", { migration: { etcdEndpoint: "$(id):2379" } }],
    ["migration.rootPath", "shell syntax", { migration: { rootPath: "by-dev;reboot" } }],
    ["migration.rootPath", "a leading slash", { migration: { rootPath: "/by-dev" } }],
    ["migration.rootPath", "a .. segment", { migration: { rootPath: "a/../b" } }],
    ["migration.rootPath", "a quote", { migration: { rootPath: "by-dev'" } }],
    ["migration.storageClass", "upper case", { migration: { storageClass: "Fast" } }],
    ["migration.image", "a space", { migration: { image: "meta migration" } }],
    ["migration.image", "a quote", { migration: { image: "milvusdb/meta-migration:v2'" } }],
    ["migration.sessionWaitSeconds", "3601", { migration: { sessionWaitSeconds: 3601 } }],
    ["migration.sessionWaitSeconds", "a fraction", { migration: { sessionWaitSeconds: 1.5 } }],
    ["migration.rollbackOnFailure", "a string", { migration: { rollbackOnFailure: "false" as unknown as boolean } }],
    ["migration.cleanup", "a number", { migration: { cleanup: 1 as unknown as boolean } }],
    ["migration.backupSize", "zero", { migration: { backupSize: "0" } }],
    ["migration.backupSize", "no quantity", { migration: { backupSize: "10 GB" } }],
    ["migration.storage", "an unknown field", { migration: { storage: "x" } as unknown as MigrationOptions }],
    ["operation", "an unknown operation", { operation: "rollback" as unknown as ExecutorOptions["operation"] }],
    ["operation", "a migration rollback without the migration step", { operation: "rollback-migration" }],
    ["steps[1].action", "two migrations", { steps: [MIGRATION_STEP, MIGRATION_STEP], targetVersion: "2.2.0" }],
    ["steps[0].milvusVersion", "a migration to another minor", { steps: [{ ...STEP1, action: "meta-migration" }, STEP2] }],
  ];

  it.each(cases)("%s: %s is refused with R-INPUT, naming the field", (field, _what, patch) => {
    const opts = { ...BASE, ...patch };
    let error: unknown;
    try {
      renderExecutor(opts);
    } catch (e) {
      error = e;
    }
    const problems = problemsOf(error);
    expect(problems.map((p) => [p.field, p.ruleId])).toContainEqual([field, "R-INPUT"]);
    expect((error as Error).message).toContain(field);
  });

  it("reports every problem at once", () => {
    const problems = executorOptionsProblems({ ...BASE, releaseName: "UPPER", namespace: "a b", stepTimeoutSeconds: 0, chartRepository: "http://x" });
    expect(problems.map((p) => p.field)).toEqual(["releaseName", "namespace", "stepTimeoutSeconds", "chartRepository"]);
  });

  it("a meta-migration can be the final step: the executor runs it, helm step included", () => {
    const stops = candidateStops({ version: "2.2.0" });
    expect(stops.at(-1)!.action).toBe("meta-migration");
    expect(executorOptionsProblems({ ...BASE, steps: stops, targetVersion: "2.2.0" })).toEqual([]);
    expect(executorOptionsProblems({ ...BASE, steps: stops, targetVersion: "2.2.0", includesFinalStep: false })).toEqual([]);
    expect(executorOptionsProblems({ ...BASE, steps: [MIGRATION_STEP], targetVersion: "2.2.0", operation: "rollback-migration", migration: { rollbackOnFailure: false, cleanup: true, sessionWaitSeconds: 0, backupSize: "1.5Ti", image: `registry.example.com/meta-migration@sha256:${"a".repeat(64)}` } })).toEqual([]);
  });

  it("accepts the steps of plans and candidate stops", () => {
    const inputs: ExecutorOptions[] = [
      BASE,
      { ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false },
      { ...BASE, steps: planUpgrade({ to: "2.6.4" }).steps },
      { ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps },
      { ...BASE, steps: planUpgrade({ from: { version: "2.4.5", messageQueue: "kafka" }, to: "2.6.4" }).steps },
      { ...BASE, steps: planUpgrade({ from: { version: "2.5.3", mode: "standalone" }, to: { version: "2.6.4", mode: "standalone" } }).steps },
      { ...BASE, steps: planUpgrade({ from: { version: "2.3.10", messageQueue: "pulsar" }, to: "2.6.4" }).steps },
      { ...BASE, chartRepository: "oci://registry-1.docker.io/zilliztech/", expectedFrom: "v2.5.8", stepTimeoutSeconds: 60, rollbackOnFailure: true },
    ];
    for (const opts of inputs) expect(executorOptionsProblems(opts)).toEqual([]);
  });
});

describe("renderExecutor: bundle", () => {
  const bundle = renderExecutor(BASE);
  const input = inputOf(BASE);

  it("is plan.json plus one values file per step, no script", () => {
    expect(Object.keys(bundle.files)).toEqual(["plan.json", "step-1.yaml", "step-2.yaml"]);
    expect("script" in bundle).toBe(false);
    expect(YAML.parse(bundle.files["step-1.yaml"]!)).toEqual(STEP1.values);
    expect(YAML.parse(bundle.files["step-2.yaml"]!)).toEqual(STEP2.values);
    expect(bundle.stepSummary).toEqual(["2.5.16 (chart 4.2.58)", "2.6.4 (chart 5.0.6)"]);
  });

  it("plan.json is the validated, normalized input: the steps with everything but their values, each naming its values file", () => {
    expect(input).toMatchObject({ format: 1, releaseName: "my-milvus", namespace: "milvus", targetVersion: "2.6.4", includesFinalStep: true, rollbackOnFailure: false, allowExistingData: false, stepTimeoutSeconds: 900, minHelm: "3.14.0", planMode: "cluster", planMessageQueue: "pulsarv3", operation: "upgrade" });
    expect(input.expectedFrom).toBeUndefined();
    expect(input.migration).toBeUndefined();
    expect(input.steps).toEqual([
      { index: 1, version: "2.5.16", tag: "v2.5.16", chart: "4.2.58", repository: "https://zilliztech.github.io/milvus-helm", action: "helm-upgrade", mixCoordinator: true, valuesFile: "step-1.yaml", label: "2.5.16 (chart 4.2.58)", reason: expect.any(String) },
      { index: 2, version: "2.6.4", tag: "v2.6.4", chart: "5.0.6", repository: "https://zilliztech.github.io/milvus-helm", action: "helm-upgrade", mixCoordinator: true, valuesFile: "step-2.yaml", label: "2.6.4 (chart 5.0.6)", reason: expect.any(String) },
    ]);
    expect(inputOf({ ...BASE, expectedFrom: "v2.5.8", chartRepository: "oci://registry.example.com/charts/" })).toMatchObject({ expectedFrom: "2.5.8", steps: [{ repository: "oci://registry.example.com/charts" }, { repository: "oci://registry.example.com/charts" }] });
  });

  it("quotes strings that helm's YAML 1.1 parser would take for booleans or numbers", () => {
    const tricky = { extraConfigFiles: { "user.yaml": "a: 1\n" }, custom: { on: "on", yes: "yes", y: "y", octal: "0755", time: "1:20", nil: "~" } };
    const b = renderExecutor({ ...BASE, steps: [STEP1, withValues(STEP2, tricky)] });
    const file = b.files["step-2.yaml"]!;
    expect(file).toContain('"on": "on"');
    expect(file).toContain('"yes": "yes"');
    expect(YAML.parse(file, { version: "1.1" })).toEqual({ ...STEP2.values, ...tricky });
    expect(file).not.toContain("%YAML");
  });

  it("bounds the run time: steps x (helm + gate) + one gate + 120 s", () => {
    expect(bundle.maxDurationSeconds).toBe(2 * (900 + 900) + 900 + 120);
    expect(renderExecutor({ ...BASE, stepTimeoutSeconds: 60 }).maxDurationSeconds).toBe(2 * 120 + 60 + 120);
  });

  it("a migration bundle carries the migration settings and object names in plan.json, and the manifests as files", () => {
    const m = renderExecutor({ ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps, migration: { storageClass: "fast", rootPath: "milvus/prod" } });
    const mi = JSON.parse(m.files["plan.json"]!) as ExecutorInput;
    expect(mi.migration).toMatchObject({ version: "2.2.0", rootPath: "milvus/prod", storageClass: "fast", rollbackOnFailure: true, cleanup: false, names: { stateConfigMap: "my-milvus-meta-migration-state" }, files: MIGRATION_FILES });
    expect(Object.keys(m.files).filter((f) => f.startsWith("migration-")).sort()).toEqual(Object.values(MIGRATION_FILES).sort());
    expect(m.includesMigration).toBe(true);
    expect(bundle.includesMigration).toBe(false);
  });

  it("bounds a migration step's run time too: stop, session waits, Jobs and a possible rollback", () => {
    const steps = planUpgrade({ from: "2.1.4", to: "2.2.0" }).steps;
    const t = 100;
    expect(renderExecutor({ ...BASE, steps, targetVersion: "2.2.0", stepTimeoutSeconds: t, migration: { sessionWaitSeconds: 30 } }).maxDurationSeconds).toBe(2 * t + t + 120 + 8 * t + 2 * 30 + 240);
  });

  it("exit codes are distinct", () => {
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(Object.keys(EXIT_CODES).length);
  });

  it("snapshot: 2.5.8 -> 2.6.4", () => {
    expect(bundle.files).toMatchSnapshot("files");
    expect(bundle.hash).toMatchSnapshot("hash");
  });
});

describe("renderExecutor: hash", () => {
  const hashOf = (opts: ExecutorOptions): string => renderExecutor(opts).hash;
  const baseHash = hashOf(BASE);

  it("is the first 10 hex characters of sha256 over the files", () => {
    const b = renderExecutor(BASE);
    expect(b.hash).toMatch(/^[0-9a-f]{10}$/);
    expect(b.hash).toBe(bundleHash(b.files));
  });

  it.each<[string, ExecutorOptions]>([
    ["same options again", { ...BASE, steps: planUpgrade({ from: "2.5.8", to: "2.6.4" }).steps }],
    ["explicit defaults", { ...BASE, includesFinalStep: true, rollbackOnFailure: false, stepTimeoutSeconds: 900 }],
    ["values with another key order", { ...BASE, steps: [{ ...STEP1, values: Object.fromEntries(Object.entries(STEP1.values).reverse()) }, STEP2] }],
    ["expectedFrom with a leading v", { ...BASE, expectedFrom: "v2.5.8" }],
  ])("does not change for %s", (_what, opts) => {
    if (opts.expectedFrom) expect(hashOf(opts)).toBe(hashOf({ ...BASE, expectedFrom: "2.5.8" }));
    else expect(hashOf(opts)).toBe(baseHash);
  });

  it.each<[string, ExecutorOptions]>([
    ["release name", { ...BASE, releaseName: "other" }],
    ["namespace", { ...BASE, namespace: "other" }],
    ["step timeout", { ...BASE, stepTimeoutSeconds: 901 }],
    ["rollbackOnFailure", { ...BASE, rollbackOnFailure: true }],
    ["includesFinalStep", { ...BASE, includesFinalStep: false }],
    ["expectedFrom", { ...BASE, expectedFrom: "2.5.8" }],
    ["chart repository", { ...BASE, chartRepository: "https://mirror.example.com/milvus" }],
    ["a value", { ...BASE, steps: [STEP1, withValues(STEP2, { queryNode: { replicas: 3 } })] }],
    ["a chart version", { ...BASE, steps: [{ ...STEP1, chartVersion: "4.2.57" }, STEP2] }],
    ["a step's reason", { ...BASE, steps: [{ ...STEP1, reason: "another reason" }, STEP2] }],
    ["the plan", { ...BASE, steps: planUpgrade({ from: "2.5.8", to: "2.6.5" }).steps, targetVersion: "2.6.5" }],
  ])("changes with the %s", (_what, opts) => {
    expect(hashOf(opts)).not.toBe(baseHash);
  });

  it("changes with the migration settings only when a step is the migration", () => {
    expect(hashOf({ ...BASE, migration: { storageClass: "fast" } })).toBe(baseHash);
    const mig: ExecutorOptions = { ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps };
    const hashes = [
      hashOf(mig),
      hashOf({ ...mig, migration: { storageClass: "fast" } }),
      hashOf({ ...mig, migration: { image: "registry.example.com/meta-migration:v2.2.0" } }),
      hashOf({ ...mig, migration: { rollbackOnFailure: false } }),
      hashOf({ ...mig, operation: "rollback-migration" }),
    ];
    expect(new Set(hashes).size).toBe(hashes.length);
    expect(hashOf({ ...mig, migration: { rootPath: "by-dev", sessionWaitSeconds: 75, cleanup: false } })).toBe(hashes[0]);
  });
});

describe("decisions: versions", () => {
  it.each([
    ["2.5.8", "2.5.16", -1],
    ["2.5.16", "2.5.8", 1],
    ["v2.6.4", "2.6.4", 0],
    ["2.6.0-rc1", "2.6.0", -1],
    ["10.0.0", "9.9.9", 1],
    ["2.5.8-hotfix", "2.5.9", -1],
    // The planner's order (issue #14): a -hotfix image is a later GA build of its version.
    ["2.4.13-hotfix", "2.4.13", 1],
    ["v2.4.13-hotfix", "2.4.14", -1],
    ["2.4.13", "v2.4.13-hotfix", -1],
  ])("compareMilvus %s %s = %d", (a, b, expected) => {
    expect(Math.sign(compareMilvus(a, b))).toBe(expected);
  });

  it("compareMilvus agrees with the planner's compareVersions, -hotfix and pre-releases included (property)", () => {
    const part = fc.integer({ min: 0, max: 40 });
    const suffix = fc.constantFrom("", "-hotfix", "-hotfix2", "-rc1", "-beta");
    const any = fc.tuple(part, part, part, suffix, fc.boolean()).map(([a, b, c, x, v]) => `${v ? "v" : ""}${a}.${b}.${c}${x}`);
    const bare = (v: string): string => v.replace(/^v/, "");
    fc.assert(fc.property(any, any, (a, b) => Math.sign(compareMilvus(a, b)) === Math.sign(compareVersions(bare(a), bare(b)))), { numRuns: 300 });
  });

  it("compareMilvus agrees with semver on MAJOR.MINOR.PATCH (property)", () => {
    const part = fc.integer({ min: 0, max: 40 });
    const version = fc.tuple(part, part, part, fc.boolean()).map(([a, b, c, v]) => `${v ? "v" : ""}${a}.${b}.${c}`);
    fc.assert(fc.property(version, version, (a, b) => Math.sign(compareMilvus(a, b)) === Math.sign(compareVersions(a, b))), { numRuns: 300 });
  });

  it.each([
    ["v2.5.8", "2.5.8"],
    ["2.6.0-rc1", "2.6.0-rc1"],
    ["v2.5.8-hotfix", "2.5.8-hotfix"],
    ["2.5", undefined],
    ["latest", undefined],
    ["", undefined],
    ["2.5.8.1", undefined],
    ["2.5.x", undefined],
    ["$(id)", undefined],
  ])("the version of tag %j is %j", (tag, version) => {
    expect(versionOfTag(tag)).toBe(version);
  });

  it.each([
    ["v3.14.0", 3, "--atomic"],
    ["v3.17.3+g1234", 3, "--atomic"],
    ["v3.14.0-rc.1", 3, "--atomic"],
    ["v4.1.4", 4, "--rollback-on-failure"],
    ["v5.0.0", 4, "--rollback-on-failure"],
  ])("helm %s: major %d, %s", (v, major, flag) => {
    expect(helmFlavour(v, "3.14.0")).toMatchObject({ major, rollbackFlag: flag });
  });

  it.each([["v3.13.99", EXIT_CODES.HELM_TOO_OLD], ["v2.17.0", EXIT_CODES.HELM_TOO_OLD], ["garbage", EXIT_CODES.SETUP_FAILED], ["", EXIT_CODES.SETUP_FAILED]])("helm %j is refused with %d", (v, code) => {
    expect(exitOf(() => helmFlavour(v, "3.14.0")).exitCode).toBe(code);
  });

  it.each([
    [5, "5s"],
    [59, "59s"],
    [60, "1m0s"],
    [192, "3m12s"],
    [3725, "62m5s"],
  ])("formatDuration %d = %s", (sec, text) => {
    expect(formatDuration(sec)).toBe(text);
  });

  it.each([
    ["15m", 900],
    ["900s", 900],
    ["900", 900],
    [900, 900],
    ["1s", 1],
    ["5m", 300],
  ])("parseDuration %j = %d seconds", (text, seconds) => {
    expect(parseDuration(text, "timeout")).toBe(seconds);
  });

  it.each([["15 m"], ["1h"], ["1.5m"], ["0"], ["0s"], ["-5"], [""], ["15min"], ["m"], [" 900"], [1.5], [0], [null], [undefined]])("parseDuration refuses %j naming the field and an example", (text) => {
    try {
      parseDuration(text, "stepTimeout");
      throw new Error("accepted");
    } catch (e) {
      expect(e).toBeInstanceOf(MilvusClusterError);
      expect((e as Error).message).toMatch(/stepTimeout: .* is not a duration \[R-INPUT\].*15m, 900s or 900/s);
    }
  });
});

describe("decisions: the live release", () => {
  const live = (tag: string, values: Record<string, unknown> = {}, status = "deployed") => liveRelease({ input }, { status, revision: 3 }, liveValues({ ...values, image: { all: { tag } } }));
  const input = inputOf(BASE);

  it("reads helm's status, history and values JSON by nested paths only", () => {
    expect(parseStatus({ info: { status: "failed" }, version: 4, "info.status": "deployed" })).toEqual({ status: "failed", revision: 4 });
    expect(parseStatus({ info: {}, version: 4 })).toBeUndefined();
    expect(parseStatus("not an object")).toBeUndefined();
    const history = parseHistory([
      { revision: 1, status: "superseded", chart: "milvus-4.2.44" },
      { revision: 2, status: "deployed", chart: "milvus-4.2.58" },
      { revision: 3, status: "failed", chart: "milvus-5.0.6" },
      { revision: "x", status: "deployed" },
    ]);
    expect(history).toEqual([
      { revision: 1, status: "superseded", chart: "4.2.44" },
      { revision: 2, status: "deployed", chart: "4.2.58" },
      { revision: 3, status: "failed", chart: "5.0.6" },
    ]);
    expect(lastGoodRevision(history, 3)).toBe(2);
    expect(lastGoodRevision(history, 2)).toBe(1);
    expect(lastGoodRevision([{ revision: 1, status: "failed", chart: "" }], 1)).toBeUndefined();
    const l = live("v2.5.16", { mixCoordinator: { enabled: false }, "mixCoordinator.enabled": true, "cluster.enabled": false, "image.all.tag": "v9.9.9" });
    expect([l.version, l.mixCoordinator, l.mode]).toEqual(["2.5.16", false, "cluster"]);
  });

  it.each<[string, string, Record<string, unknown>, number]>([
    ["a pre-release source", "v2.6.0-rc1", {}, EXIT_CODES.PRERELEASE_REFUSED],
    ["a downgrade", "v2.6.5", {}, EXIT_CODES.DOWNGRADE_REFUSED],
    ["a mode change", "v2.5.8", { cluster: { enabled: false } }, EXIT_CODES.MODE_CHANGE_REFUSED],
    ["a message-queue change", "v2.5.8", { pulsarv3: { enabled: false }, kafka: { enabled: true } }, EXIT_CODES.MQ_CHANGE_REFUSED],
  ])("checkLive refuses %s", (_what, tag, values, code) => {
    expect(exitOf(() => checkLive(input, live(tag, { pulsarv3: { enabled: true }, ...values }))).exitCode).toBe(code);
  });

  it("checkLive with expectedFrom allows it, a version a step produces and the target; refuses anything else", () => {
    const withFrom = inputOf({ ...BASE, expectedFrom: "2.5.8" });
    for (const tag of ["v2.5.8", "v2.5.16", "v2.6.4"]) expect(() => checkLive(withFrom, live(tag, { pulsarv3: { enabled: true } }))).not.toThrow();
    expect(exitOf(() => checkLive(withFrom, live("v2.5.3", { pulsarv3: { enabled: true } }))).exitCode).toBe(EXIT_CODES.UNEXPECTED_LIVE_VERSION);
  });

  it.each<[string, string, boolean, ("run" | "skip")[]]>([
    ["below every step", "2.5.8", true, ["run", "run"]],
    ["at the stop with its topology", "2.5.16", true, ["skip", "run"]],
    ["at the stop with separate coordinators", "2.5.16", false, ["run", "run"]],
    ["at the target (the final step always runs)", "2.6.4", true, ["skip", "run"]],
    ["a hotfix of the stop", "2.5.16-hotfix", true, ["skip", "run"]],
  ])("decideRemainingSteps %s", (_what, version, mix, expected) => {
    expect(decideRemainingSteps(input, { version, mixCoordinator: mix })).toEqual(expected);
  });

  it("decideRemainingSteps for the Pulumi stops: nothing runs past the stop", () => {
    const stops = inputOf({ ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false });
    expect(decideRemainingSteps(stops, { version: "2.6.4", mixCoordinator: true })).toEqual(["skip"]);
    expect(decideRemainingSteps(stops, { version: "2.5.8", mixCoordinator: true })).toEqual(["run"]);
  });

  it("a failed revision is a retry only with the next step's chart and tag", () => {
    const next = input.steps[1]!;
    expect(isRetryOfNextStep(next, "5.0.6", "v2.6.4")).toBe(true);
    expect(isRetryOfNextStep(next, "5.0.7", "v2.6.4")).toBe(false);
    expect(isRetryOfNextStep(next, "5.0.6", "v2.6.3")).toBe(false);
    expect(isRetryOfNextStep(next, "", "v2.6.4")).toBe(false);
    expect(isRetryOfNextStep(undefined, "5.0.6", "v2.6.4")).toBe(false);
  });
});

describe("decisions: helm argv, health gate, reset, lease", () => {
  const input = inputOf(BASE);
  const helm3 = helmFlavour("v3.17.3", "3.14.0");

  it("helm upgrade argv: complete values from the file, --reset-values, the rollback flag only when asked, never for the migration", () => {
    const step = input.steps[0]!;
    expect(helmUpgradeArgs(input, helm3, step, "/b/step-1.yaml")).toEqual(["upgrade", "my-milvus", "milvus", "--repo", "https://zilliztech.github.io/milvus-helm", "--version", "4.2.58", "-n", "milvus", "--reset-values", "-f", "/b/step-1.yaml", "--wait", "--wait-for-jobs", "--timeout", "900s"]);
    const rb = inputOf({ ...BASE, rollbackOnFailure: true });
    expect(helmUpgradeArgs(rb, helmFlavour("v4.1.4", "3.14.0"), step, "f").slice(-1)).toEqual(["--rollback-on-failure"]);
    expect(helmUpgradeArgs(rb, helm3, step, "f", { noRollback: true })).not.toContain("--atomic");
    expect(helmUpgradeArgs(input, helm3, step, "f", { install: true }).at(-1)).toBe("--install");
  });

  it.each<[string, string, Record<string, unknown>, string | undefined]>([
    ["release containing the chart name", "my-milvus", {}, "my-milvus"],
    ["other release", "vectors", {}, "vectors-milvus"],
    ["fullnameOverride", "my-milvus", { fullnameOverride: "db" }, "db"],
    ["nameOverride", "vectors", { nameOverride: "mv" }, "vectors-mv"],
    ["standalone without a proxy", "my-milvus", { cluster: { enabled: false }, proxy: { enabled: false } }, "my-milvus"],
    ["cluster without a proxy", "my-milvus", { proxy: { enabled: false } }, undefined],
    ["metrics off", "my-milvus", { metrics: { enabled: false } }, undefined],
    ["a 63-character name", "a".repeat(53), { nameOverride: "b".repeat(20) }, `${"a".repeat(53)}-${"b".repeat(9)}`],
  ])("the Milvus Service of a %s", (_what, release, values, service) => {
    expect(milvusHealthService(release, values)).toBe(service);
  });

  it("reads Deployment images from kubectl's JSON and matches tags with or without a digest", () => {
    expect(deploymentImages({ items: [{ metadata: { name: "a" }, spec: { template: { spec: { containers: [{ image: "m:v1" }, { image: "x:y" }] } } } }] })).toEqual([{ name: "a", image: "m:v1" }]);
    expect(deploymentImages({})).toBeUndefined();
    expect(imageHasTag("milvusdb/milvus:v2.5.16@sha256:abc", "v2.5.16")).toBe(true);
    expect(imageHasTag("milvusdb/milvus:v2.5.16", "v2.5.1")).toBe(false);
    expect(imageHasTag("registry.example.com:5000/milvus", "latest")).toBe(false);
  });

  it("droppedKeys: user values the step does not set, by nested path, dotted keys quoted", () => {
    const step = { image: { all: { tag: "v2.5.16" } }, queryNode: { replicas: 2 }, extraConfigFiles: "x" };
    const user = { image: { all: { tag: "v2.5.8", pullPolicy: "Always" } }, queryNode: { replicas: 3, nodeSelector: { pool: "a" } }, tolerations: [{ key: "x" }], "a.b": 1, extraConfigFiles: { "user.yaml": "y" }, constructor: 1 };
    expect(droppedKeys(user, step)).toEqual(['"a.b"', "constructor", "image.all.pullPolicy", "queryNode.nodeSelector.pool", "tolerations"]);
    expect(droppedKeys({}, step)).toEqual([]);
  });

  it("a lease is free without a holder or once not renewed within its duration", () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const lease = (holder: string, agoSeconds: number) => parseLease({ metadata: { resourceVersion: "1" }, spec: { holderIdentity: holder, leaseDurationSeconds: 60, renewTime: microTime(now - agoSeconds * 1000) } })!;
    expect(microTime(now)).toBe("2026-01-01T12:00:00.000000Z");
    expect(leaseFree(lease("a", 10), now)).toBe(false);
    expect(leaseFree(lease("a", 61), now)).toBe(true);
    expect(leaseFree(lease("", 1), now)).toBe(true);
    expect(parseLease({ metadata: {} })).toBeUndefined();
  });
});
