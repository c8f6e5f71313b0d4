/**
 * Fuzzing of executor script generation: for random valid inputs every user-supplied string appears only as a
 * single-quoted data assignment (`NAME='value'`), never in the script's logic, and the script stays shellcheck
 * clean (on a sample: shellcheck is slow); random hostile strings are refused before any script exists.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { MilvusClusterError, candidateStops, planUpgrade } from "../../src";
import { renderExecutor } from "../../src/executor";

const RUNS = { valid: 1500, hostile: 1500, shellcheck: 12 } as const;

// A distinctive prefix ("zq") keeps every generated value from occurring by chance in the script's static text, so
// any line that contains it is a use of the user's value.
const label = (max: number) =>
  fc
    .tuple(fc.stringMatching(/^[a-z0-9-]{0,40}$/), fc.stringMatching(/^[a-z0-9]$/))
    .map(([b, c]) => `zq${b}${c}`.slice(0, max))
    .filter((s) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s));
const segments = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }).map((a) => (a.length ? `/${a.join("/")}` : ""));
const repo = fc
  .tuple(fc.constantFrom("https", "oci"), fc.stringMatching(/^[a-z0-9]{1,12}$/), segments)
  .map(([scheme, host, path]) => `${scheme}://zq${host}.example.com${scheme === "oci" && path === "" ? "/charts" : path}`);
const PLANS = [
  planUpgrade({ from: "2.5.8", to: "2.6.4" }).steps,
  planUpgrade({ from: { version: "2.4.5", messageQueue: "pulsar" }, to: "2.5.16" }).steps,
  [...candidateStops({ version: "2.6.4", messageQueue: "pulsarv3" }), ...planUpgrade({ to: "2.6.4" }).steps],
  planUpgrade({ to: { version: "2.6.4", mode: "standalone", messageQueue: "rocksmq" } }).steps,
];
const inputs = fc.record({
  releaseName: label(53),
  namespace: label(63),
  chartRepository: fc.option(repo, { nil: undefined }),
  stepTimeoutSeconds: fc.integer({ min: 1, max: 7200 }),
  rollbackOnFailure: fc.boolean(),
  plan: fc.nat(PLANS.length - 1),
});

/** Lines of the script that contain `value` other than single-quoted data assignments (`NAME='...'`). */
function unquotedUses(script: string, value: string): string[] {
  return script.split("\n").filter((l) => l.includes(value) && !/^[A-Z][A-Z0-9_]*='[^']*'$/.test(l.trim()));
}

describe("fuzz: executor script generation", () => {
  it("user strings only ever appear as single-quoted data assignments", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const steps = PLANS[i.plan]!;
        const b = renderExecutor({ ...i, steps, targetVersion: steps[steps.length - 1]!.milvusVersion });
        for (const v of [i.releaseName, i.namespace, ...(i.chartRepository ? [i.chartRepository] : [])]) {
          expect(b.script).toContain(`'${v}'`);
          expect(unquotedUses(b.script, v)).toEqual([]);
        }
      }),
      { numRuns: RUNS.valid },
    );
  });

  const hostile = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `a${s}`),
    fc.constantFrom("x'; rm -rf / #", "$(id)", "`id`", "a\nb", "a b", "ns;reboot", "-n", "UPPER", "a".repeat(70)),
  );
  it("hostile release names, namespaces and repositories are refused with R-INPUT before any script exists", () => {
    fc.assert(
      fc.property(hostile, fc.constantFrom("releaseName", "namespace", "chartRepository"), (bad, field) => {
        const steps = PLANS[0]!;
        const opts = { releaseName: "milvus", namespace: "milvus", steps, targetVersion: "2.6.4", [field]: field === "chartRepository" ? `https://x.example.com/${bad}` : bad };
        const valid = field === "chartRepository" ? /^[a-z0-9/_.-]*$/i.test(bad) && !bad.includes("..") : /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(bad) && bad.length <= (field === "releaseName" ? 53 : 63);
        try {
          renderExecutor(opts);
          expect(valid).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          expect((e as MilvusClusterError).problems.map((p) => `${p.field} [${p.ruleId}]`)).toContain(`${field} [R-INPUT]`);
        }
      }),
      { numRuns: RUNS.hostile },
    );
  });

  const shellcheck = spawnSync("shellcheck", ["--version"]).status === 0;
  (shellcheck ? it : it.skip)("random valid scripts are shellcheck clean (sample)", () => {
    const dir = mkdtempSync(join(tmpdir(), "mc-fuzz-sh-"));
    const samples = fc.sample(inputs, { numRuns: RUNS.shellcheck, seed: 42 });
    const files = samples.map((i, n) => {
      const steps = PLANS[i.plan]!;
      const file = join(dir, `s${n}.sh`);
      writeFileSync(file, renderExecutor({ ...i, steps, targetVersion: steps[steps.length - 1]!.milvusVersion }).script);
      return file;
    });
    expect(execFileSync("shellcheck", ["-s", "sh", ...files], { encoding: "utf8" })).toBe("");
  });
  if (!shellcheck) it("skips the shellcheck sample: shellcheck is not installed (.ci/run installs it)", () => console.log("shellcheck not found"));
});
