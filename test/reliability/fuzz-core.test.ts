import fc from "fast-check";
import {
  COMPONENTS,
  MESSAGE_QUEUES,
  MilvusClusterError,
  type MilvusSpec,
  allCharts,
  chartFor,
  keyExists,
  knownMilvusVersions,
  parseMilvusVersion,
  planUpgrade,
  valuesFor,
} from "../../src";
import { leafPaths } from "../../src/values/merge";
import { fixtureCatalog } from "../support/overlay";

/** Number of cases each property runs; the sum is reported in the README's reliability section. */
const FUZZ_RUNS = { versions: 3000, plans: 3000, values: 3000 } as const;

const known = knownMilvusVersions();
const versionLike = fc.oneof(
  fc.constantFrom(...known),
  fc.string({ maxLength: 20 }),
  fc
    .tuple(fc.constantFrom("", "v", " "), fc.nat(12), fc.nat(30), fc.nat(40), fc.option(fc.constantFrom("rc1", "beta", "hotfix", "x;y", "$(id)"), { nil: undefined }))
    .map(([prefix, a, b, c, pre]) => `${prefix}${a}.${b}.${c}${pre ? `-${pre}` : ""}`),
);

describe("fuzz: version parsing", () => {
  it("either parses to a normalized semver or refuses with R-VERSION-FORMAT; never another error", () => {
    fc.assert(
      fc.property(versionLike, (input) => {
        try {
          const v = parseMilvusVersion(input);
          expect(v.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
          expect(v.version.startsWith("v")).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          expect((e as MilvusClusterError).ruleIds).toEqual(["R-VERSION-FORMAT"]);
        }
      }),
      { numRuns: FUZZ_RUNS.versions },
    );
  });
});

// Mostly valid inputs with a minority of bad ones, so both outcomes are exercised.
const sometimes = <A, B>(good: fc.Arbitrary<A>, bad: fc.Arbitrary<B>): fc.Arbitrary<A | B> => fc.oneof({ arbitrary: good as fc.Arbitrary<A | B>, weight: 9 }, { arbitrary: bad as fc.Arbitrary<A | B>, weight: 1 });
const secretRef = fc.record({ name: sometimes(fc.constantFrom("creds", "s3"), fc.constant("Bad Name")), key: sometimes(fc.constantFrom("k", "id"), fc.constant("a b")) });
const component = fc.record(
  {
    replicas: sometimes(fc.nat(5), fc.constantFrom(-1, 1.5)),
    resources: sometimes(fc.constant({ requests: { cpu: "1", memory: "2Gi" } }), fc.constant({ limits: { cpu: "lots" } })),
  },
  { requiredKeys: [] },
);
const specArb: fc.Arbitrary<MilvusSpec> = fc.record(
  {
    version: fc.constantFrom(...known.filter((v) => v.startsWith("2."))),
    mode: sometimes(fc.constant("cluster"), fc.constant("standalone")),
    coordinators: fc.constantFrom("mixed", "separate"),
    activeStandby: fc.boolean(),
    messageQueue: sometimes(fc.constantFrom("pulsar", "kafka"), fc.constantFrom(...MESSAGE_QUEUES)),
    externalEtcdEndpoints: sometimes(fc.constantFrom(["etcd:2379"], []), fc.constant(["bad endpoint"])),
    milvusConfig: sometimes(fc.constant({ common: { retentionDuration: 3600 } }), fc.constant({ minio: { secretAccessKey: "leak-me-123" } })),
    externalObjectStorage: fc.record({ host: sometimes(fc.constant("s3.example.com"), fc.constant("x;rm")), bucket: sometimes(fc.constant("vectors"), fc.constant("B")), accessKeyId: secretRef, secretAccessKey: secretRef }),
    queryNode: component,
    indexNode: component,
    mixCoordinator: component,
    helmValues: sometimes(fc.constant({ proxy: { service: { type: "LoadBalancer" } } }), fc.constantFrom({ streaming: { enabled: false } }, { externalS3: { secretKey: "leak-me-456" } })),
  },
  { requiredKeys: ["version"] },
) as fc.Arbitrary<MilvusSpec>;

describe("fuzz: valuesFor", () => {
  let produced = 0;
  afterAll(() => {
    // Guard against a vacuous property: a fair share of the random specs must be valid.
    expect(produced).toBeGreaterThan(FUZZ_RUNS.values / 50);
  });
  it("either returns values whose managed keys exist in the chart and hold no credential, or a MilvusClusterError naming field, rule and fix", () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        let chart: string;
        try {
          chart = chartFor(spec.version).chart;
        } catch {
          return;
        }
        try {
          const values = valuesFor(spec, chart);
          produced++;
          const text = JSON.stringify(values);
          expect(text).not.toContain("leak-me");
          for (const [path] of leafPaths(values)) {
            const k = path.join(".");
            if (k.startsWith("proxy.service")) continue; // the user's own override
            const ok = [k, path.slice(0, 2).join("."), path.slice(0, 3).join(".")].some((x) => keyExists(x, chart));
            expect({ k, ok }).toEqual({ k, ok: true });
          }
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          for (const p of (e as MilvusClusterError).problems) {
            expect(p.field.length).toBeGreaterThan(0);
            expect(p.ruleId).toMatch(/^R-[A-Z0-9-]+$/);
            expect(p.fix.length).toBeGreaterThan(3);
          }
        }
      }),
      { numRuns: FUZZ_RUNS.values },
    );
  });
});

describe("fuzz: planUpgrade", () => {
  const deployed = fc.record(
    {
      version: versionLike,
      mode: fc.constantFrom("cluster", "standalone"),
      messageQueue: fc.constantFrom(...MESSAGE_QUEUES),
      coordinators: fc.constantFrom("mixed", "separate"),
      chartVersion: fc.constantFrom(...allCharts().map((c) => c.chart).filter((_, i) => i % 7 === 0)),
    },
    { requiredKeys: ["version"] },
  );
  let planned = 0;
  afterAll(() => {
    expect(planned).toBeGreaterThan(FUZZ_RUNS.plans / 50);
  });
  it("either returns a plan ending at the target with rule-cited steps, or a MilvusClusterError; never a crash", () => {
    fc.assert(
      fc.property(fc.option(deployed, { nil: undefined }), versionLike, fc.constantFrom(...COMPONENTS), (from, to, comp) => {
        try {
          const plan = planUpgrade({ from, to: { version: to, [comp]: { replicas: 2 } } as MilvusSpec });
          planned++;
          expect(plan.steps.length).toBeGreaterThan(0);
          expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(parseMilvusVersion(to).version);
          for (const s of plan.steps) expect(s.ruleIds.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          expect((e as MilvusClusterError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: FUZZ_RUNS.plans },
    );
  });
});

// Issue #15: the planner and valuesFor over the built-in catalog plus the fixture overlay (5.0.20, and 5.0.30 with
// keys read from its values.yaml). Same contract: a plan or a MilvusClusterError, never a crash; values only hold keys
// the overlay chart has.
describe("fuzz: planUpgrade and valuesFor with a catalog overlay", () => {
  const catalog = fixtureCatalog(true);
  const combined = catalog.knownMilvusVersions();
  const overlayRuns = { plans: 1000, values: 1000 } as const;
  let planned = 0;
  let produced = 0;
  afterAll(() => {
    expect(planned).toBeGreaterThan(overlayRuns.plans / 50);
    expect(produced).toBeGreaterThan(overlayRuns.values / 50);
  });

  it("plans between any versions of the combined catalog end at the target or refuse; overlay steps are flagged", () => {
    const version = fc.oneof(fc.constantFrom("2.6.16", "2.6.30"), fc.constantFrom(...combined), versionLike);
    fc.assert(
      fc.property(fc.option(fc.record({ version, mode: fc.constantFrom("cluster", "standalone"), messageQueue: fc.constantFrom(...MESSAGE_QUEUES) }, { requiredKeys: ["version"] }), { nil: undefined }), version, (from, to) => {
        try {
          const plan = planUpgrade({ from, to, catalog });
          planned++;
          expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(parseMilvusVersion(to).version);
          const usesOverlay = plan.steps.some((s) => catalog.overlayChart(s.chartVersion) !== undefined);
          expect(plan.warnings.some((w) => w.includes("[R-CATALOG-OVERLAY]"))).toBe(usesOverlay);
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          for (const p of (e as MilvusClusterError).problems) expect(p.fix.length).toBeGreaterThan(3);
        }
      }),
      { numRuns: overlayRuns.plans },
    );
  });

  it("values for overlay chart 5.0.30 write only keys of its values.yaml, or refuse naming field, rule and fix", () => {
    fc.assert(
      fc.property(specArb, (raw) => {
        // 2.6 runs mixed coordinators and no indexNode (R-26-TOPOLOGY); keep the random specs mostly plannable.
        const { indexNode: _dropped, ...rest } = raw;
        const spec: MilvusSpec = { ...rest, version: "2.6.30", coordinators: "mixed" };
        try {
          const values = valuesFor(spec, "5.0.30", { catalog });
          produced++;
          expect(JSON.stringify(values)).not.toContain("leak-me");
          expect(values.indexCoordinator).toBeUndefined(); // the fixture chart 5.0.30 has no indexCoordinator block
          for (const [path] of leafPaths(values)) {
            const k = path.join(".");
            if (k.startsWith("proxy.service")) continue;
            const ok = [k, path.slice(0, 2).join("."), path.slice(0, 3).join(".")].some((x) => catalog.keyExists(x, "5.0.30"));
            expect({ k, ok }).toEqual({ k, ok: true });
          }
        } catch (e) {
          expect(e).toBeInstanceOf(MilvusClusterError);
          for (const p of (e as MilvusClusterError).problems) expect(p.ruleId).toMatch(/^R-[A-Z0-9-]+$/);
        }
      }),
      { numRuns: overlayRuns.values },
    );
  });
});
