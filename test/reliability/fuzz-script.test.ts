/**
 * Fuzzing of the executor input: for random valid inputs every user-supplied string travels as JSON data in
 * plan.json (read back exactly) and reaches helm and kubectl only inside argv arrays, as a whole argument or inside
 * the executor's own composite arguments (a label selector, `deployment/<name>`, the Lease name, the health proxy
 * path), never as something helm or kubectl could read as a flag; there is no shell on the way (ClusterClient takes
 * argv arrays only). Random hostile strings are refused before any input exists.
 */
import fc from "fast-check";
import { MilvusClusterError, candidateStops, planUpgrade } from "../../src";
import { EXIT_CODES, type ExecutorInput, renderExecutor } from "../../src/executor";
import { FakeCluster } from "../executor/fake/cluster";
import { runInProcess } from "../executor/fake/run";

const RUNS = { valid: 1500, hostile: 1500, executed: 40 } as const;

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

/** The executor's own composite arguments a user string may sit inside (with the whole-argument case). */
function allowedUses(i: { releaseName: string; namespace: string; chartRepository?: string }): RegExp[] {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rel = esc(i.releaseName);
  return [
    new RegExp(`^app\\.kubernetes\\.io/instance=${rel}(,app\\.kubernetes\\.io/name=milvus,component!=attu,component!=cdc)?$`),
    new RegExp(`^release=${rel}$`),
    new RegExp(`^${rel}-milvus-upgrade$`),
    new RegExp(`^/api/v1/namespaces/${esc(i.namespace)}/services/[a-z0-9-]+:9091/proxy/healthz$`),
    ...(i.chartRepository ? [new RegExp(`^${esc(i.chartRepository.replace(/\/+$/, ""))}(/milvus)?$`)] : []),
  ];
}

describe("fuzz: executor input", () => {
  it("user strings travel as JSON data in plan.json and are read back exactly", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const steps = PLANS[i.plan]!;
        const b = renderExecutor({ ...i, steps, targetVersion: steps[steps.length - 1]!.milvusVersion });
        const input = JSON.parse(b.files["plan.json"]!) as ExecutorInput;
        expect([input.releaseName, input.namespace, input.stepTimeoutSeconds, input.rollbackOnFailure]).toEqual([i.releaseName, i.namespace, i.stepTimeoutSeconds, i.rollbackOnFailure]);
        if (i.chartRepository) for (const s of input.steps) expect(s.repository).toBe(i.chartRepository.replace(/\/+$/, ""));
        // Nothing of plan.json that reaches an argv can be taken for a flag.
        for (const s of input.steps) for (const v of [s.version, s.tag, s.chart, s.repository]) expect(v.startsWith("-")).toBe(false);
      }),
      { numRuns: RUNS.valid },
    );
  });

  it("user strings reach helm and kubectl only inside argv arrays, as whole arguments or in the executor's own composite ones", async () => {
    const samples = fc.sample(inputs, { numRuns: RUNS.executed, seed: 42 });
    for (const i of samples) {
      const steps = PLANS[i.plan]!;
      const fake = FakeCluster.create25({ release: i.releaseName, namespace: i.namespace });
      // The first plan against its live 2.5.8 release (upgrades, gates, reset report); the others install fresh.
      if (i.plan === 0) fake.addRevision({ tag: "v2.5.8" });
      try {
        const r = await runInProcess(fake, renderExecutor({ ...i, steps, targetVersion: steps[steps.length - 1]!.milvusVersion }));
        expect([i, r.code]).toEqual([i, EXIT_CODES.SUCCESS]);
        const allowed = allowedUses(i);
        const values = [i.releaseName, i.namespace, ...(i.chartRepository ? [i.chartRepository.replace(/\/+$/, "")] : [])];
        const calls = [...fake.helmCalls(), ...fake.kubectlCalls()];
        expect(calls.length).toBeGreaterThan(3);
        for (const argv of calls) {
          for (const arg of argv) {
            if (!values.some((v) => arg.includes(v))) continue;
            const whole = values.includes(arg) || allowed.some((re) => re.test(arg));
            expect([argv, arg, whole]).toEqual([argv, arg, true]);
            expect(arg.startsWith("-")).toBe(false);
          }
        }
      } finally {
        fake.cleanup();
      }
    }
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
});
