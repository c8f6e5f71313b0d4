/**
 * The bundled executor (dist/executor/executor.cjs, built by `npm run build`) and the two ConfigMaps the Job mounts:
 * self-contained, and far below the 1 MiB limit of a ConfigMap (Kubernetes: "The data stored in a ConfigMap cannot
 * exceed 1 MiB", concepts/configuration/configmap; etcd's default request limit is 1.5 MiB).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { EXECUTOR_RUNTIME_FILE, executorJobModel, executorRuntime, executorRuntimePath, renderExecutor } from "../../src/executor";
import { candidateStops, planUpgrade } from "../../src/plan/plan";
import { knownMilvusVersions } from "../../src/catalog/catalog";

const MIB = 1024 * 1024;
/** "Far below" for the program: under 3/8 of the limit (the bundle is whitespace-minified, names kept). */
const RUNTIME_BUDGET = (MIB * 3) / 8;
/** "Far below" for a plan: under a quarter of the limit. */
const PLAN_BUDGET = MIB / 4;

/** Bytes a ConfigMap's data takes (the API server counts the serialized object; data dominates). */
function dataBytes(data: Readonly<Record<string, string>>): number {
  return Object.entries(data).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

const newest26 = knownMilvusVersions({ gaOnly: true })
  .filter((v) => v.startsWith("2.6."))
  .at(-1)!;

describe("the bundled executor", () => {
  const runtime = executorRuntime();

  it("is one file next to the compiled executor, read once, named by its content hash", () => {
    expect(runtime.fileName).toBe(EXECUTOR_RUNTIME_FILE);
    expect(runtime.path).toBe(executorRuntimePath());
    expect(fs.readFileSync(runtime.path, "utf8")).toBe(runtime.source);
    expect(runtime.hash).toMatch(/^[0-9a-f]{10}$/);
    expect(executorRuntime()).toBe(runtime);
  });

  it("is self-contained: requires nothing but node's built-in modules", () => {
    const required = new Set([...runtime.source.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!));
    const foreign = [...required].filter((m) => !m.startsWith("node:") && !require("node:module").builtinModules.includes(m));
    expect(foreign).toEqual([]);
    // And it loads in a bare node from a directory without node_modules (what the Node image has).
    const dir = fs.mkdtempSync("/tmp/executor-bare-");
    try {
      fs.copyFileSync(runtime.path, `${dir}/executor.cjs`);
      const r = spawnSync(process.execPath, ["--check", `${dir}/executor.cjs`], { cwd: dir, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`is far below the 1 MiB ConfigMap limit (budget ${RUNTIME_BUDGET / 1024} KiB)`, () => {
    const model = executorJobModel(renderExecutor({ releaseName: "m", namespace: "milvus", steps: planUpgrade({ from: "2.5.8", to: "2.6.4" }).steps, targetVersion: "2.6.4" }), {
      releaseName: "m",
      namespace: "milvus",
    });
    const bytes = dataBytes(model.runtimeConfigMapData);
    expect(bytes).toBeLessThan(RUNTIME_BUDGET);
    expect(bytes).toBeGreaterThan(Buffer.byteLength(runtime.source) - 1);
  });
});

describe("the per-plan ConfigMap", () => {
  // The longest chains: from the oldest 2.1 release through the metadata migration to the newest 2.6, and the
  // cdk8s fresh-install bundle, which carries every candidate stop plus the target and the migration manifests.
  const longest = planUpgrade({ from: "2.1.4", to: newest26 });
  const cases: [string, Parameters<typeof renderExecutor>[0]][] = [
    [`exact chain 2.1.4 -> ${newest26} (${longest.steps.length} steps, metadata migration)`, { releaseName: "m", namespace: "milvus", steps: longest.steps, targetVersion: longest.to }],
    [
      `every candidate stop below ${newest26} plus the target (cdk8s without from)`,
      {
        releaseName: "m",
        namespace: "milvus",
        steps: [...candidateStops({ version: newest26 }), ...planUpgrade({ to: { version: newest26 } }).steps],
        targetVersion: newest26,
      },
    ],
  ];

  it(`the longest exact chain runs the metadata migration (its manifests are in the ConfigMap)`, () => {
    expect(longest.steps.some((s) => s.action === "meta-migration")).toBe(true);
    expect(renderExecutor(cases[0]![1]).includesMigration).toBe(true);
  });

  it.each(cases)(`%s stays far below the limit (budget ${PLAN_BUDGET / 1024} KiB)`, (_, opts) => {
    const bundle = renderExecutor(opts);
    const model = executorJobModel(bundle, { releaseName: "m", namespace: "milvus" });
    expect(Object.keys(model.configMapData)).toEqual(expect.arrayContaining(["plan.json", "step-1.yaml"]));
    expect(dataBytes(model.configMapData)).toBeLessThan(PLAN_BUDGET);
    // Together, too (were they ever one object).
    expect(dataBytes(model.configMapData) + dataBytes(model.runtimeConfigMapData)).toBeLessThan(MIB / 2);
  });
});
