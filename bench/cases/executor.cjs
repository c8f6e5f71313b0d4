// The TypeScript executor's cost: the BUILT bundle (dist/executor/executor.cjs) run with `node` against the fake
// cluster's helm and kubectl executables (test/executor/fake/bin, node scripts over the TypeScript fake model).
// Usage: node bench/cases/executor.cjs <runs>; prints one JSON object { cases: { <kind>: {...} } } on stdout.
//
// Cases (helm v3.17.3, release my-milvus in namespace milvus, 4 Milvus Deployments; the same as the shell baseline,
// bench/executor-shell-baseline.json, plus one the shell could not do):
//   chain:     live 2.5.8, plan 2.5.8 -> 2.5.16 (chart 4.2.58) -> 2.6.4 (chart 5.0.6), a fresh fake each run
//   noop:      the same bundle re-run once the chain has run (live release at 2.6.4): the stop is skipped, the final
//              step re-applied (as the shell did)
//   stopsOnly: what the Pulumi Job carries (the 2.5.16 stop, expectedFrom 2.5.8) once the release is at 2.6.4: nothing
//              to do at all
// Per run: wall time of `node executor.cjs --dir <bundle>` (spawn to exit) and its helm/kubectl calls (the fake
// records every argv). "calls alone": the same argv, in the order the executor made them (recorded once by running
// the executor in this process with a client that logs each call before passing it to the fake binaries), replayed
// one by one against a fake in the same starting state, timed the same way. Beyond the calls = wall - calls alone:
// node's start-up, loading the bundle, and the executor's own work. Also measured from inside (less noisy): the
// executor run in process with every call timed (own = total - calls), plus the start-up of `node executor.cjs`
// (the bundle given an argument it refuses, which exits before any call).
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");

const ROOT = path.resolve(__dirname, "..", "..");
const runs = Math.max(1, Number(process.argv[2] ?? 5));
require(path.join(ROOT, "test", "executor", "fake", "bin", "load-ts.cjs"));
const { FakeCluster } = require(path.join(ROOT, "test", "executor", "fake", "cluster.ts"));
const core = require(path.join(ROOT, "dist", "index.js"));
const executor = require(path.join(ROOT, "dist", "executor", "index.js"));
const { runExecutor } = require(path.join(ROOT, "dist", "executor", "run.js"));
const { ProcessClusterClient } = require(path.join(ROOT, "dist", "executor", "cluster-client.js"));
const bundleFile = executor.executorRuntime().path;

const plan = core.planUpgrade({ from: "2.5.8", to: "2.6.4" });
const base = { releaseName: "my-milvus", namespace: "milvus", steps: plan.steps, targetVersion: plan.to };
const chainBundle = executor.renderExecutor(base);
const stopsBundle = executor.renderExecutor({ ...base, steps: plan.steps.slice(0, -1), includesFinalStep: false, expectedFrom: "2.5.8" });

function childEnv(fake, extra = {}) {
  const env = { ...process.env, ...fake.env(), TMPDIR: fake.root, ...extra };
  for (const k of ["MILVUS_EXECUTOR_DIR", "MILVUS_EXECUTOR_DRY_RUN", "NODE_OPTIONS"]) delete env[k];
  return env;
}

function runBundleOnce(fake) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bundleFile, "--dir", fake.bundleDir], { env: childEnv(fake), encoding: "utf8" });
  const ms = performance.now() - t0;
  fake.sync();
  if (r.status !== 0) throw new Error(`executor exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return ms;
}

/** A fake in the case's starting state, its bundle written; for noop the chain has run once (untimed). */
function prepare(kind) {
  const fake = FakeCluster.create25();
  fake.addRevision({ tag: "v2.5.8" });
  if (kind === "stopsOnly") {
    fake.addRevision({ tag: "v2.6.4", chart: "5.0.6", values: { mixCoordinator: { enabled: true }, streaming: { enabled: true } } });
    fake.writeBundle(stopsBundle);
  } else {
    fake.writeBundle(chainBundle);
  }
  if (kind === "noop") {
    runBundleOnce(fake);
    fake.resetCalls();
  }
  fake.save();
  return fake;
}

/** The calls of one run in order, from the executor run in this process with a logging client over the fake binaries. */
async function callOrder(kind) {
  const fake = prepare(kind);
  try {
    const env = childEnv(fake);
    const inner = new ProcessClusterClient({ env });
    const order = [];
    let inCalls = 0;
    const timedCall = async (tool, args, opts) => {
      order.push([tool, [...args], opts?.stdin]);
      const t0 = performance.now();
      try {
        return await inner[tool](args, opts);
      } finally {
        inCalls += performance.now() - t0;
      }
    };
    const client = {
      helm: (args, opts) => timedCall("helm", args, opts),
      kubectl: (args, opts) => timedCall("kubectl", args, opts),
      sleep: (ms) => inner.sleep(ms),
      now: () => inner.now(),
    };
    const reporter = { progress: () => undefined, note: () => undefined, error: (m) => process.stderr.write(`${m}\n`) };
    const t0 = performance.now();
    const code = await runExecutor({ dir: fake.bundleDir, client, reporter, holder: "bench" });
    const total = performance.now() - t0;
    if (code !== 0) throw new Error(`${kind}: in-process run exited ${code}`);
    return { order, ownMs: total - inCalls };
  } finally {
    fake.cleanup();
  }
}

function replay(kind, order) {
  const fake = prepare(kind);
  try {
    const env = childEnv(fake);
    let ms = 0;
    for (const [tool, args, stdin] of order) {
      const t0 = performance.now();
      spawnSync(env[tool === "helm" ? "HELM_BIN" : "KUBECTL_BIN"], args.map((a) => a.replace(/^.*\/bundle\//, `${fake.bundleDir}/`)), { env, input: stdin ?? "", encoding: "utf8" });
      ms += performance.now() - t0;
    }
    return ms;
  } finally {
    fake.cleanup();
  }
}

function sample(kind) {
  const fake = prepare(kind);
  try {
    const ms = runBundleOnce(fake);
    const helm = fake.helmCalls();
    const kubectl = fake.kubectlCalls();
    // Calls of what issue #10 added (the shell made none of them): the release's Lease, the Milvus /healthz gate
    // through the API server's service proxy, and `helm get values` without --all (what --reset-values drops).
    // The lock takes 3 calls (read, create or take over, release) plus one renewal every LEASE_RENEW_SECONDS (20 s)
    // of run time: renewals depend on how fast this machine is, so they are counted apart.
    const leaseCalls = fake.leaseCalls().length;
    const renewals = Math.max(0, leaseCalls - 3);
    const added = {
      lease: leaseCalls - renewals,
      healthz: kubectl.filter((a) => a[0] === "get" && a[1] === "--raw").length,
      userValues: helm.filter((a) => a[0] === "get" && a[1] === "values" && !a.includes("--all") && !a.includes("-a")).length,
    };
    return { ms, helm, kubectl, added, renewals, tag: fake.current().tag };
  } finally {
    fake.cleanup();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const cases = {};
  // node's start-up and loading the bundle: the bundle with an argument it refuses (exits before any call).
  const startups = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bundleFile, "--bench-startup"], { encoding: "utf8" });
    if (i > 0) startups.push(performance.now() - t0);
    if (r.status !== 31) throw new Error(`startup probe exited ${r.status}: ${r.stderr}`);
  }
  const startupMs = median(startups);
  for (const kind of ["chain", "noop", "stopsOnly"]) {
    const owns = [];
    let order;
    for (let i = 0; i < Math.max(3, runs); i++) {
      const r = await callOrder(kind);
      order = r.order;
      owns.push(r.ownMs);
    }
    sample(kind); // warm-up (file cache, the fake's transpile cache)
    const walls = [];
    const alone = [];
    const renewals = [];
    let counts;
    for (let i = 0; i < runs; i++) {
      const s = sample(kind);
      if (s.tag !== "v2.6.4") throw new Error(`${kind}: live release at ${s.tag}`);
      walls.push(s.ms);
      alone.push(replay(kind, order));
      // Calls without the lease renewals (those are reported apart, see sample()).
      const c = { helm: s.helm.length, kubectl: s.kubectl.length - s.renewals };
      if (counts && (counts.helm !== c.helm || counts.kubectl !== c.kubectl)) throw new Error(`${kind}: call counts vary between runs`);
      if (c.helm + c.kubectl > order.length) throw new Error(`${kind}: the bundle made ${c.helm + c.kubectl} calls, the in-process run only ${order.length}`);
      counts = c;
      renewals.push(s.renewals);
      counts.added = s.added;
      counts.helmCommands = s.helm.map((a) => (a[0] === "get" ? `get ${a[1]}` : a[0]));
      counts.kubectlCommands = s.kubectl.map((a) => `${a[0]} ${a[1]}`);
    }
    cases[kind] = {
      wallMs: median(walls),
      callsAloneMs: median(alone),
      beyondCallsMs: median(walls.map((w, i) => w - alone[i])),
      // The executor's own time measured from inside: in process, each call timed, plus node start-up with the bundle.
      ownInProcessMs: median(owns),
      ownWithStartupMs: median(owns) + startupMs,
      leaseRenewals: renewals,
      ...counts,
    };
  }
  process.stdout.write(`${JSON.stringify({ bundleBytes: fs.statSync(bundleFile).size, startupMs, cases })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
