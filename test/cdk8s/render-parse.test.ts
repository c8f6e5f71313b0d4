/**
 * How render mode reads helm's output (src/cdk8s/manifest-yaml.ts): YAML 1.1 as the `yaml` library resolves it, read
 * by js-yaml's loader with that library's own YAML 1.1 scalar tags (the fast path), or by the `yaml` library itself for
 * what the fast path declines. Every test compares the result with the `yaml` library's reading (`_referenceParse`),
 * the one render mode used before, or pins the value Kubernetes' Go YAML parser gives.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Chart, Testing } from "cdk8s";
import fc from "fast-check";
import { stringify } from "yaml";
import { chartRecord, valuesFor } from "../../src";
import { MilvusCluster } from "../../src/cdk8s";
import { _referenceParse, parseYaml11Documents } from "../../src/cdk8s/manifest-yaml";
import { helmProcess, parseManifests } from "../../src/cdk8s/render";
import { ensureHelm, helmEnv, milvusChartDir } from "../support/helm";

/** Dates and non-finite numbers kept distinguishable (JSON would make them strings and nulls). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, function (key, v: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    if (raw instanceof Date) return `Date(${raw.toISOString()})`;
    if (typeof v === "number" && !Number.isFinite(v)) return `Number(${v})`;
    return v;
  });

/** The fast path's documents against the reference's, or both refusing the text. */
function expectSameAsReference(text: string): void {
  let reference: unknown[] | Error;
  try {
    reference = _referenceParse(text).documents;
  } catch (e) {
    reference = e as Error;
  }
  if (reference instanceof Error) {
    expect(() => parseYaml11Documents(text)).toThrow();
  } else {
    expect(canonical(parseYaml11Documents(text).documents)).toBe(canonical(reference));
  }
}

describe("YAML 1.1 scalars read as the yaml library (and Kubernetes' Go YAML parser) read them", () => {
  // value: what `key: <text>` gives.
  it.each([
    ["0644", 420],
    ["010", 8],
    ["09", 9],
    ["0o17", "0o17"],
    ["0x1F", 31],
    ["0b101", 5],
    ["1_000", 1000],
    ["+12", 12],
    ["1:20", 80],
    ["1:20.5", 80.5],
    ["1e3", 1000],
    ["0.1e+3", 100],
    [".5", 0.5],
    [".inf", Number.POSITIVE_INFINITY],
    ["-.Inf", Number.NEGATIVE_INFINITY],
    ["yes", true],
    ["Yes", true],
    ["on", true],
    ["y", true],
    ["Off", false],
    ["NO", false],
    ["n", false],
    ["true", true],
    ["~", null],
    ["Null", null],
    ["", null],
    ["nULL", "nULL"],
    ["'0644'", "0644"],
    ['"yes"', "yes"],
    ["!!str 0644", "0644"],
    ["2001-12-14", new Date("2001-12-14T00:00:00.000Z")],
    ["0x", "0x"],
    ["1.2.3", "1.2.3"],
  ] as const)("%s", (scalar, value) => {
    const text = `key: ${scalar}\n`;
    expect(canonical(parseYaml11Documents(text).documents)).toBe(canonical([{ key: value }]));
    expectSameAsReference(text);
  });

  test("non-string keys become strings as the reference makes them (y and n are booleans in YAML 1.1)", () => {
    const text = "y: 1\nn: 2\n1: 3\n~: 4\n";
    expect(parseYaml11Documents(text).documents).toEqual([{ true: 1, false: 2, "1": 3, "": 4 }]);
    expectSameAsReference(text);
  });
});

describe("what the fast path declines is read by the reference, as before", () => {
  it.each([
    ["an alias of a mapping", "a: &x {b: 1}\nc: *x\n"],
    ["a merge key", "base: {a: 1}\nm:\n  <<: {a: 2, b: 3}\n  b: 4\n"],
    ["a merge key through an alias", "base: &b {a: 1}\nm:\n  <<: *b\n  c: 2\n"],
    ["an explicit !!int", "a: !!int '12'\n"],
    ["an explicit !!float", "a: !!float '1'\n"],
    ["an unknown local tag", "a: !foo bar\n"],
    ["a %YAML 1.2 directive (0644 is decimal there)", "%YAML 1.2\n---\na: 0644\n"],
    ["!!binary", "a: !!binary aGVsbG8=\n"],
    ["!!set", "a: !!set {x, y}\n"],
    ["deep nesting beyond js-yaml's maxDepth", `${"[".repeat(150)}1${"]".repeat(150)}\n`],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["an empty stream", ""],
    ["only comments and separators", "---\n# Source: x.yaml\n---\n"],
  ])("%s", (_what, text) => {
    expectSameAsReference(text);
  });

  test("%YAML 1.2 makes 0644 the decimal 644, as the reference reads it", () => {
    expect(parseYaml11Documents("%YAML 1.2\n---\na: 0644\n").documents).toEqual([{ a: 644 }]);
  });

  test("a billion-laughs alias bomb is refused with the step named, not expanded", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(",")}]`);
    }
    const text = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: bomb}", "data:", ...lines.map((l) => `  ${l}`), ""].join("\n");
    expect(() => parseManifests(text, "helm template of Milvus 2.6.4 (chart 5.0.6)")).toThrow(/Milvus 2\.6\.4 \(chart 5\.0\.6\): helm printed invalid YAML: .*alias/i);
  });

  it.each([
    ["an unclosed flow sequence", "kind: [unclosed"],
    ["a tab as indentation", "a:\n\tb: 1\n"],
    ["a mapping value after a plain scalar on one line", "a: b: c\n"],
    ["an unterminated quoted scalar", 'a: "open\n'],
  ])("invalid YAML (%s) is refused with the step named", (_what, text) => {
    expect(() => parseManifests(text, "helm template of Milvus 2.6.4 (chart 5.0.6)")).toThrow(/helm template of Milvus 2\.6\.4 \(chart 5\.0\.6\): helm printed invalid YAML/);
    expectSameAsReference(text);
  });
});

describe("duplicate mapping keys keep the last value, as cdk8s's loader and sigs.k8s.io/yaml (not strict) read them", () => {
  // The Pulsar v2 subchart of Milvus charts 3.x-4.2.24 prints httpNumThreads twice in its broker ConfigMap.
  const text = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: pulsar-broker", "data:", '  httpNumThreads: "8"', '  other: "1"', '  httpNumThreads: "100"', ""].join("\n");

  test("parseManifests keeps the last value and warns once, naming the line", () => {
    const warnings: string[] = [];
    const [cm] = parseManifests(text, "helm template of Milvus 2.4.5 (chart 4.1.36)", (m) => warnings.push(m));
    expect(cm!["data"]).toEqual({ httpNumThreads: "100", other: "1" });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/chart 4\.1\.36.*line 8: httpNumThreads: "100"/);
  });

  test("render mode synthesizes the chart's ConfigMap with the last value and says so on stderr", () => {
    jest.spyOn(helmProcess, "spawnSync").mockImplementation((() => ({ pid: 0, output: [], stdout: text, stderr: "", status: 0, signal: null })) as unknown as typeof helmProcess.spawnSync);
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const chart = new Chart(Testing.app(), "test", { namespace: "milvus" });
    new MilvusCluster(chart, "milvus", { version: "2.6.4", renderMode: "render" });
    const [cm] = Testing.synth(chart) as { data: Record<string, string> }[];
    expect(cm!.data).toEqual({ httpNumThreads: "100", other: "1" });
    expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/test\/milvus\/chart: .*duplicate mapping key.*line 8/);
    jest.restoreAllMocks();
  });
});

// Documents from a small YAML grammar: block and flow collections, plain, quoted and block scalars, the scalars
// YAML 1.1 resolves in its own way, keys that repeat. Whatever the text, the fast path reads it as the reference does.
const PLAIN = ["0644", "010", "09", "0o17", "0x1F", "0b11", "1_000", "1:20", "1:20.5", "1e3", "1.5", "+12", "-0", ".inf", "-.Inf", ".NaN", "yes", "y", "n", "On", "OFF", "~", "null", "Null", "true", "False", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "a b", "x #y", "it's", "milvus", "-", "?x", "%x", "@x", "<<", "a: b", "", "1.2.3"];
const KEYS = ["a", "b", "y", "n", "on", "1", "0644", "~", "true", "key with space", "'q'", '"d"', "<<"];
type Node = { scalar: string } | { map: [string, Node][] } | { seq: Node[] } | { flow: string } | { block: string[] };
const scalarText = fc.oneof(
  fc.constantFrom(...PLAIN),
  fc.constantFrom(...PLAIN).map((s) => `'${s.replace(/'/g, "''")}'`),
  fc.constantFrom(...PLAIN).map((s) => JSON.stringify(s)),
);
const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarText.map((scalar) => ({ scalar })),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("node")), { minLength: 1, maxLength: 4 }).map((map) => ({ map })),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
    fc.array(scalarText, { maxLength: 3 }).map((xs) => ({ flow: `{${xs.map((x, i) => `k${i}: ${x === "" ? "''" : x}`).join(", ")}}` })),
    fc.array(fc.constantFrom(...PLAIN), { minLength: 1, maxLength: 3 }).map((block) => ({ block })),
  ),
}));
function render(n: Node, indent: number): string[] {
  const pad = " ".repeat(indent);
  if ("scalar" in n) return [`${pad}${n.scalar}`];
  if ("flow" in n) return [`${pad}${n.flow}`];
  if ("block" in n) return [`${pad}|`, ...n.block.map((l) => `${pad}  ${l}`)];
  if ("seq" in n) return n.seq.flatMap((item) => ("map" in item || "seq" in item ? [`${pad}-`, ...render(item, indent + 2)] : [`${pad}- ${render(item, 0)[0]}`, ...render(item, indent + 2).slice(1)]));
  return n.map.flatMap(([k, v]) => ("map" in v || "seq" in v ? [`${pad}${k}:`, ...render(v, indent + 2)] : [`${pad}${k}: ${render(v, 0)[0]}`, ...render(v, indent + 2).slice(1)]));
}

test("property: generated YAML streams read the same on the fast path as with the yaml library", () => {
  fc.assert(
    fc.property(fc.array(node, { minLength: 1, maxLength: 3 }), (docs) => {
      expectSameAsReference(`${docs.map((d) => render(d, 0).join("\n")).join("\n---\n")}\n`);
    }),
    { numRuns: Number(process.env["FC_RUNS"] ?? 400) },
  );
});

test("property: what the yaml library writes (any JSON-like value) reads back the same on both paths", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
      expectSameAsReference(stringify(value, { version: "1.1" }));
    }),
    { numRuns: Number(process.env["FC_RUNS"] ?? 300) },
  );
});

// The real chart, when MILVUS_CHART_DIR points at one (test/core/real-chart.test.ts has the same switch).
const realChart = milvusChartDir();
(realChart ? test : test.skip)(`the real chart's helm output reads the same on both paths (MILVUS_CHART_DIR=${realChart ?? "unset"})`, async () => {
  const helm = await ensureHelm(3);
  const chartVersion = /^version:\s*(\S+)/m.exec(fs.readFileSync(path.join(realChart!, "Chart.yaml"), "utf8"))![1]!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mc-parse-"));
  // The chart's defaults, and the planner's values for the chart's own Milvus version with Pulsar (the subchart that
  // prints a duplicate key in charts 3.x-4.2.24).
  const milvus = chartRecord(chartVersion)?.milvus;
  for (const values of [{}, ...(milvus ? [valuesFor({ version: milvus, messageQueue: "pulsar" }, chartVersion)] : [])]) {
    const out = execFileSync(helm, ["template", "-f", "-", "--namespace", "milvus", "--skip-tests", "vectors", realChart!], { input: JSON.stringify(values), env: helmEnv(tmp), encoding: "utf8", maxBuffer: 64 << 20 });
    expectSameAsReference(out);
    expect(parseManifests(out, "real chart").length).toBeGreaterThan(3);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
});
