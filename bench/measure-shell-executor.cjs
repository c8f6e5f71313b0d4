// Measures the SHELL executor (src/executor/shell.ts, the POSIX sh program that issue #10 replaces) against the
// sh fake helm/kubectl of test/executor/fake-cluster.ts, and writes bench/executor-shell-baseline.json, so that
// `npm run bench` can print the TypeScript executor's figures next to these after the shell program is deleted.
// It only runs on a commit that still has the shell executor (the commit recorded in the JSON); later commits keep
// the file for the record. Run: `npm run build && node bench/measure-shell-executor.cjs [runs]`.
//
// Cases (both with helm v3.17.3, release my-milvus in namespace milvus, 4 Milvus Deployments):
//   chain: live 2.5.8 (chart 4.2.44) -> plan 2.5.8 -> 2.5.16 (4.2.58) -> 2.6.4 (5.0.6), a fresh fake each run
//   noop:  the same bundle run again once the chain has run (live release at 2.6.4): nothing to do
// Per run: wall time of `/bin/sh upgrade.sh` (spawn to exit) and the helm/kubectl calls it made (the fakes log
// every argv). "calls alone": the same argv replayed one by one against a fake in the same starting state, timed
// the same way; wall time minus that is the executor's own time beyond the calls. Medians over the runs.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const ts = require("typescript");

const ROOT = path.resolve(__dirname, "..");
const runs = Math.max(1, Number(process.argv[2] ?? 11));
const core = require(path.join(ROOT, "dist", "index.js"));
const executor = require(path.join(ROOT, "dist", "executor", "index.js"));
if (typeof executor.renderExecutor({ releaseName: "a", namespace: "b", steps: core.planUpgrade({ from: "2.5.8", to: "2.6.4" }).steps, targetVersion: "2.6.4" }).script !== "string") {
  throw new Error("this commit has no shell executor (renderExecutor returns no script): the baseline is measured on the commit named in bench/executor-shell-baseline.json");
}

// test/executor/fake-cluster.ts transpiled to CommonJS in a temporary directory (it imports only node modules and yaml).
// Under the repository's .cache, so that `require("yaml")` resolves from node_modules.
fs.mkdirSync(path.join(ROOT, ".cache"), { recursive: true });
const work = fs.mkdtempSync(path.join(ROOT, ".cache", "shell-bench-"));
process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));
const fakeJs = path.join(work, "fake-cluster.js");
const fakeSrc = fs.readFileSync(path.join(ROOT, "test", "executor", "fake-cluster.ts"), "utf8");
fs.writeFileSync(fakeJs, ts.transpileModule(fakeSrc, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText);
const { FakeCluster } = require(fakeJs);

const plan = core.planUpgrade({ from: "2.5.8", to: "2.6.4" });
const bundle = executor.renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: plan.steps, targetVersion: plan.to });

function baseEnv(fake) {
  const env = { ...process.env, ...fake.env(), TMPDIR: fake.root };
  delete env.HELM_BIN;
  delete env.KUBECTL_BIN;
  delete env.MILVUS_EXECUTOR_DIR;
  return env;
}

/** A fake with live 2.5.8 and the bundle written; for `noop`, the chain has already run once (untimed). */
function prepare(kind) {
  const fake = FakeCluster.create();
  fake.addRevision({ tag: "v2.5.8" });
  const script = fake.writeBundle(bundle);
  if (kind === "noop") {
    const r = spawnSync("/bin/sh", [script], { env: baseEnv(fake), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`chain run before the no-op failed (${r.status}):\n${r.stderr}`);
    fake.resetCalls();
  }
  return { fake, script };
}

function timed(file, args, env) {
  const t0 = performance.now();
  const r = spawnSync(file, args, { env, encoding: "utf8" });
  const ms = performance.now() - t0;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sample(kind) {
  const { fake, script } = prepare(kind);
  try {
    const r = timed("/bin/sh", [script], baseEnv(fake));
    if (r.status !== 0) throw new Error(`${kind}: exit ${r.status}\n${r.stderr}`);
    const helm = fake.helmCalls();
    const kubectl = fake.kubectlCalls();
    const live = fake.current();
    if (live.tag !== "v2.6.4") throw new Error(`${kind}: live release at ${live.tag}`);
    return { ms: r.ms, helm, kubectl, stdout: r.stdout };
  } finally {
    fake.cleanup();
  }
}

/** The recorded calls replayed in the order they happened (helm and kubectl interleave), on a fresh fake. */
function replay(kind, order) {
  const { fake } = prepare(kind);
  try {
    const env = baseEnv(fake);
    // The bundle was written into the fake's own bundle/ directory; the argv name files there.
    const fix = (argv) => argv.map((a) => a.replace(/^.*\/bundle\//, `${fake.bundleDir}/`));
    let ms = 0;
    for (const [tool, argv] of order) {
      const r = timed(path.join(fake.bin, tool), fix(argv), env);
      ms += r.ms;
    }
    return ms;
  } finally {
    fake.cleanup();
  }
}

/** Interleaving of helm and kubectl calls: re-run once with a combined log (a wrapper PATH entry). */
function callOrder(kind) {
  const { fake, script } = prepare(kind);
  try {
    const wrap = path.join(fake.root, "wrap");
    fs.mkdirSync(wrap);
    const log = path.join(fake.root, "order.log");
    for (const tool of ["helm", "kubectl"]) {
      fs.writeFileSync(path.join(wrap, tool), `#!/bin/sh\nprintf '%s\\n' ${tool} >>"${log}"\nexec "${path.join(fake.bin, tool)}" "$@"\n`, { mode: 0o755 });
    }
    const env = baseEnv(fake);
    env.PATH = `${wrap}:${env.PATH}`;
    const r = spawnSync("/bin/sh", [script], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${kind}: exit ${r.status}\n${r.stderr}`);
    const tools = fs.readFileSync(log, "utf8").trim().split("\n");
    const helm = fake.helmCalls();
    const kubectl = fake.kubectlCalls();
    let h = 0;
    let k = 0;
    return tools.map((t) => (t === "helm" ? ["helm", helm[h++]] : ["kubectl", kubectl[k++]]));
  } finally {
    fake.cleanup();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

const cases = {};
for (const kind of ["chain", "noop"]) {
  const order = callOrder(kind);
  sample(kind); // warm-up (file cache)
  replay(kind, order);
  const walls = [];
  const alone = [];
  let counts;
  for (let i = 0; i < runs; i++) {
    const s = sample(kind);
    walls.push(s.ms);
    alone.push(replay(kind, order));
    const c = { helm: s.helm.length, kubectl: s.kubectl.length };
    if (counts && (counts.helm !== c.helm || counts.kubectl !== c.kubectl)) throw new Error(`${kind}: call counts vary between runs`);
    counts = c;
  }
  cases[kind] = {
    wallMs: round(median(walls)),
    callsAloneMs: round(median(alone)),
    beyondCallsMs: round(median(walls.map((w, i) => w - alone[i]))),
    helmCalls: counts.helm,
    kubectlCalls: counts.kubectl,
    helmCommands: order.filter(([t]) => t === "helm").map(([, a]) => a[0] === "get" ? `get ${a[1]}` : a[0]),
    kubectlCommands: order.filter(([t]) => t === "kubectl").map(([, a]) => `${a[0]} ${a[1]}`),
    samplesMs: walls.map(round),
  };
}

const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
const cpu = os.cpus();
const out = {
  what: "The shell executor (src/executor/shell.ts) against the sh fakes of test/executor/fake-cluster.ts, before issue #10 replaced it.",
  commit,
  srcClean: !dirty,
  measuredAt: new Date().toISOString(),
  machine: `node ${process.version}, ${process.platform}-${process.arch}, ${cpu[0]?.model.replace(/\s+/g, " ").trim()}, ${cpu.length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (shared with other work)`,
  method:
    "bench/measure-shell-executor.cjs: medians of " +
    `${runs} runs. wallMs: /bin/sh upgrade.sh from spawn to exit. callsAloneMs: the same helm/kubectl argv replayed in the same order against a fake in the same starting state. beyondCallsMs: median of (wall - replay) per run, the executor's own time. ` +
    "chain: live 2.5.8, plan 2.5.8 -> 2.5.16 (chart 4.2.58) -> 2.6.4 (chart 5.0.6). noop: the same bundle re-run once the chain has run. helm v3.17.3 (fake), 4 Milvus Deployments.",
  runs,
  cases,
  notes: [
    "noop: the shell re-runs the plan's last step (the target, 2.6.4) when the live release is already there: `helm upgrade` to 5.0.6 again plus its health gate (4 rollout status + 2 get deployments); only the 2.5.16 stop is skipped.",
    "Every fake call is a /bin/sh process (helm upgrade also starts node to merge values), so callsAloneMs dominates; the machine was shared with other work, hence the spread of samplesMs.",
  ],
};
fs.writeFileSync(path.join(ROOT, "bench", "executor-shell-baseline.json"), `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
