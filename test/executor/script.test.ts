import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import YAML from "yaml";
import { compareVersions, type InputProblem, MilvusClusterError } from "../../src";
import {
  bundleHash,
  EXIT_CODES,
  MIGRATION_FILES,
  type ExecutorOptions,
  executorOptionsProblems,
  type MigrationOptions,
  messageQueueOfValues,
  modeOfValues,
  renderExecutor,
} from "../../src/executor";
import { JSON_FLATTEN_AWK, SHELL_FUNCTIONS } from "../../src/executor/shell";
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

/** Runs the shell functions plus `commands` with /bin/sh; returns stdout. */
function sh(commands: string, input?: string): string {
  return execFileSync("/bin/sh", ["-c", `${SHELL_FUNCTIONS}\n${commands}`], { input, encoding: "utf8" });
}

/** The reference of json_flatten: strings as JSON-escaped text without quotes, other scalars as JSON. */
function flattenJs(value: unknown, prefix = "", out: string[] = []): string[] {
  const join = (k: string): string => (prefix === "" ? k : `${prefix}.${k}`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      flattenJs(v, join(String(i)), out);
    });
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flattenJs(v, join(JSON.stringify(k).slice(1, -1)), out);
  } else {
    out.push(`${prefix}=${typeof value === "string" ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value)}`);
  }
  return out;
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

  it("is a POSIX sh script plus one values file per step", () => {
    expect(bundle.script.startsWith("#!/bin/sh\n")).toBe(true);
    expect(bundle.script).toContain("\nset -eu\n");
    expect(Object.keys(bundle.files)).toEqual(["step-1.yaml", "step-2.yaml"]);
    expect(YAML.parse(bundle.files["step-1.yaml"]!)).toEqual(STEP1.values);
    expect(YAML.parse(bundle.files["step-2.yaml"]!)).toEqual(STEP2.values);
    expect(bundle.stepSummary).toEqual(["2.5.16 (chart 4.2.58)", "2.6.4 (chart 5.0.6)"]);
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

  it("writes data only as single-quoted assignments of safe text", () => {
    const data = bundle.script.slice(bundle.script.indexOf("\n{\n") + 3, bundle.script.indexOf("\n}\n"));
    const assignments = data.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(assignments.length).toBeGreaterThan(20);
    for (const line of assignments) expect(line).toMatch(/^[A-Z][A-Z0-9_]*='[A-Za-z0-9._:/+-]*'$/);
    expect(bundle.script).not.toContain("my-milvus-");
    expect(bundle.script.match(/my-milvus/g)).toHaveLength(1);
  });

  it("a migration bundle also writes its data only as single-quoted assignments, and the manifests as files", () => {
    const m = renderExecutor({ ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps, migration: { storageClass: "fast", rootPath: "milvus/prod" } });
    const data = m.script.slice(m.script.indexOf("\n{\n") + 3, m.script.indexOf("\n}\n"));
    for (const line of data.split("\n").filter((l) => l !== "" && !l.startsWith("#"))) expect(line).toMatch(/^[A-Z][A-Z0-9_]*='[A-Za-z0-9._:/+-]*'$/);
    expect(m.script).toContain("HAS_MIGRATION='1'");
    expect(m.script).toContain("MIG_VERSION='2.2.0'");
    expect(m.script).toContain("MIG_ROOT_PATH='milvus/prod'");
    expect(m.script).toContain("MIG_STATE_CM='my-milvus-meta-migration-state'");
    expect(Object.keys(m.files).filter((f) => f.startsWith("migration-")).sort()).toEqual(Object.values(MIGRATION_FILES).sort());
    expect(m.includesMigration).toBe(true);
    expect(bundle.includesMigration).toBe(false);
    expect(bundle.script).toContain("HAS_MIGRATION='0'");
  });

  it("bounds a migration step's run time too: stop, session waits, Jobs and a possible rollback", () => {
    const steps = planUpgrade({ from: "2.1.4", to: "2.2.0" }).steps;
    const t = 100;
    expect(renderExecutor({ ...BASE, steps, targetVersion: "2.2.0", stepTimeoutSeconds: t, migration: { sessionWaitSeconds: 30 } }).maxDurationSeconds).toBe(2 * t + t + 120 + 8 * t + 2 * 30 + 240);
  });

  it("names every exit code in the script header", () => {
    for (const [name, code] of Object.entries(EXIT_CODES)) {
      expect(bundle.script).toContain(`EXIT_${name}='${code}'`);
    }
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(Object.keys(EXIT_CODES).length);
  });

  it("snapshot: 2.5.8 -> 2.6.4", () => {
    expect(bundle.script).toMatchSnapshot("upgrade.sh");
    expect(bundle.files).toMatchSnapshot("values files");
    expect(bundle.hash).toMatchSnapshot("hash");
  });
});

describe("renderExecutor: hash", () => {
  const hashOf = (opts: ExecutorOptions): string => renderExecutor(opts).hash;
  const baseHash = hashOf(BASE);

  it("is the first 10 hex characters of sha256 over script and files", () => {
    const b = renderExecutor(BASE);
    expect(b.hash).toMatch(/^[0-9a-f]{10}$/);
    expect(b.hash).toBe(bundleHash(b.script, b.files));
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

describe("shell functions", () => {
  it.each([
    ["2.5.8", "2.5.16", -1],
    ["2.5.16", "2.5.8", 1],
    ["v2.6.4", "2.6.4", 0],
    ["2.6.0-rc1", "2.6.0", 0],
    ["10.0.0", "9.9.9", 1],
    ["v3.12.0", "3.14.0", -1],
    ["v4.1.4", "3.14.0", 1],
    ["2.5.8-hotfix", "2.5.9", -1],
    ["v3.17.3+g1234", "3.17.3", 0],
    ["2.05.1", "2.5.1", 0],
  ])("ver_cmp %s %s = %d", (a, b, expected) => {
    expect(sh(`ver_cmp '${a}' '${b}'`).trim()).toBe(String(expected));
  });

  it("ver_cmp agrees with semver on MAJOR.MINOR.PATCH (property)", () => {
    const part = fc.integer({ min: 0, max: 40 });
    const version = fc.tuple(part, part, part, fc.boolean()).map(([a, b, c, v]) => `${v ? "v" : ""}${a}.${b}.${c}`);
    const pairs = fc.sample(fc.tuple(version, version), 300);
    const out = sh(pairs.map(([a, b]) => `ver_cmp '${a}' '${b}'`).join("\n")).trim().split("\n");
    pairs.forEach(([a, b], i) => {
      expect([a, b, Number(out[i])]).toEqual([a, b, Math.sign(compareVersions(a, b))]);
    });
  });

  it.each([
    ["2.5.8", true],
    ["v2.5.16", true],
    ["2.6.0-rc1", true],
    ["v3.17.3+g1234", true],
    ["2.5", false],
    ["latest", false],
    ["", false],
    ["2.5.8.1", false],
    ["2.5.8 ", false],
    ["2.5.x", false],
    ["$(id)", false],
  ])("is_version %j -> %s", (v, ok) => {
    expect(sh(`if is_version '${v}'; then echo yes; else echo no; fi`).trim()).toBe(ok ? "yes" : "no");
  });

  it.each([
    ["2.6.0-rc1", true],
    ["2.5.0-beta", true],
    ["2.3.0-RC2", true],
    ["2.2.0-alpha.1", true],
    ["2.5.8-hotfix", false],
    ["2.5.8", false],
  ])("is_prerelease %s -> %s", (v, pre) => {
    expect(sh(`if is_prerelease '${v}'; then echo yes; else echo no; fi`).trim()).toBe(pre ? "yes" : "no");
  });

  it.each([
    [5, "5s"],
    [59, "59s"],
    [60, "1m0s"],
    [192, "3m12s"],
    [3725, "62m5s"],
  ])("fmt_duration %d = %s", (s, text) => {
    expect(sh(`fmt_duration ${s}`)).toBe(text);
  });

  it("json_flatten matches a reference flattener (property)", () => {
    const key = fc.string({ unit: fc.constantFrom("a", "b", ".", "\\", '"', "{", "}", "[", "]", ",", ":", " ", "\n", "é", "=") , maxLength: 6 });
    const scalar = fc.oneof(fc.string({ unit: "grapheme", maxLength: 20 }), fc.constantFrom('\\"', '\\\\"', "a\\", '"', "{", "}[]:,"), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, scalar, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    const doc = fc.oneof(fc.dictionary(key, tree, { maxKeys: 5 }), fc.array(tree, { maxLength: 5 }));
    fc.assert(
      fc.property(doc, (value) => {
        const json = JSON.stringify(value);
        const out = sh("json_flatten", `${json}\n`);
        expect(out.split("\n").filter((l) => l !== "")).toEqual(flattenJs(value));
      }),
      { numRuns: 150 },
    );
  });

  it("json_flatten reads helm's compact status JSON with a large manifest, in linear time", () => {
    const manifest = Array.from({ length: 20000 }, (_, i) => `  "key${i}": "value \\"${i}\\" {x} [y], status: \\"failed\\"",\n`).join("");
    const status = { name: "r", info: { status: "pending-upgrade", notes: 'a "b" {c}' }, config: { image: { all: { tag: "v2.5.8" } } }, manifest, hooks: [{ name: "h", weight: 0 }], version: 7, namespace: "ns" };
    const json = JSON.stringify(status);
    expect(json.length).toBeGreaterThan(1_000_000);
    const started = Date.now();
    expect(sh("json_flatten | flat_get info.status", `${json}\n`).trim()).toBe("pending-upgrade");
    const revision = sh("json_flatten | flat_get version", `${json}\n`).trim();
    expect(revision).toBe("7");
    expect(sh("json_flatten | flat_get config.image.all.tag", `${json}\n`).trim()).toBe("v2.5.8");
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("flat_get returns the first exact key and nothing for a missing one", () => {
    const flat = "image.all.tag=v2.5.8\nimage.all.tagged=x\ncluster.enabled=true\nextra=a=b\n";
    expect(sh("flat_get image.all.tag", flat)).toBe("v2.5.8\n");
    expect(sh("flat_get extra", flat)).toBe("a=b\n");
    expect(sh("flat_get missing.key", flat)).toBe("");
  });

  it("mq_signature agrees with messageQueueOfValues (property)", () => {
    const flag = fc.option(fc.boolean(), { nil: undefined });
    const values = fc.record({
      cluster: fc.option(fc.record({ enabled: fc.boolean() }), { nil: undefined }),
      standalone: fc.option(fc.record({ messageQueue: fc.constantFrom("rocksmq", "natsmq", "woodpecker", "pulsar", "kafka", "") }), { nil: undefined }),
      pulsar: fc.record({ enabled: flag }),
      pulsarv3: fc.record({ enabled: flag }),
      kafka: fc.record({ enabled: flag }),
      woodpecker: fc.record({ enabled: flag }),
      externalPulsar: fc.record({ enabled: flag }),
      externalKafka: fc.record({ enabled: flag }),
    });
    const samples = fc.sample(values, 150);
    const script = samples
      .map((v) => {
        const mode = modeOfValues(v);
        return `mq_signature "$(printf '%s\\n' '${JSON.stringify(v)}' | json_flatten)" ${mode}; echo`;
      })
      .join("\n");
    const out = sh(script).split("\n");
    samples.forEach((v, i) => {
      expect([v, out[i]]).toEqual([v, messageQueueOfValues(v, modeOfValues(v))]);
    });
  });

  it("the awk program is safe to embed in single quotes", () => {
    expect(JSON_FLATTEN_AWK).not.toContain("'");
  });
});

describe("shellcheck", () => {
  const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  const scripts: [string, ExecutorOptions][] = [
    ["2.5.8 -> 2.6.4", BASE],
    ["candidate stops (Pulumi)", { ...BASE, steps: candidateStops({ version: "2.6.4" }), includesFinalStep: false, rollbackOnFailure: true }],
    ["fresh install", { ...BASE, steps: planUpgrade({ to: "2.6.4" }).steps }],
    ["2.1.4 -> 2.6.4 over oci", { ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps, chartRepository: "oci://registry.example.com/charts", expectedFrom: "2.1.4" }],
    ["standalone", { ...BASE, steps: planUpgrade({ from: { version: "2.5.3", mode: "standalone" }, to: { version: "2.6.4", mode: "standalone" } }).steps, stepTimeoutSeconds: 30 }],
    [
      "2.1.4 -> 2.2.0 with every migration setting",
      { ...BASE, steps: [MIGRATION_STEP], targetVersion: "2.2.0", rollbackOnFailure: true, migration: { etcdEndpoint: "etcd:2379", rootPath: "a/b", storageClass: "fast", sessionWaitSeconds: 5, rollbackOnFailure: false, cleanup: true, backupSize: "1Gi" } },
    ],
    ["rollback of a migration", { ...BASE, steps: planUpgrade({ from: "2.1.4", to: "2.6.4" }).steps, operation: "rollback-migration" }],
  ];

  it.each(scripts)("%s: shellcheck -s sh is clean", (_name, opts) => {
    if (!hasShellcheck) {
      console.warn("shellcheck not found: skipping (the CI script .ci/run installs it)");
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "executor-shellcheck-"));
    try {
      const file = path.join(dir, "upgrade.sh");
      fs.writeFileSync(file, renderExecutor(opts).script);
      const result = spawnSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" });
      expect(result.stdout + result.stderr).toBe("");
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sh -n parses every script", () => {
    for (const [, opts] of scripts) {
      const result = spawnSync("/bin/sh", ["-n"], { input: renderExecutor(opts).script, encoding: "utf8" });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    }
  });
});
