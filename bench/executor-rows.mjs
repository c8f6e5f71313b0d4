// The executor's rows of `npm run bench`: the TypeScript executor (the built bundle, bench/cases/executor.cjs) next to
// the shell executor it replaced, whose figures were measured before it was deleted (bench/executor-shell-baseline.json,
// by bench/measure-shell-executor.cjs at the commit recorded there). Used by bench/run.mjs; run alone with
// `node bench/executor-rows.mjs [runs]` (prints the same table rows).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fmt, markdownTable, ROOT } from "./lib.mjs";

const CASES = {
  chain: "2-step chain 2.5.8 -> 2.5.16 -> 2.6.4",
  noop: "re-run of that chain at 2.6.4",
};

/**
 * Runs bench/cases/executor.cjs and returns { rows, notes } in bench/run.mjs's table format
 * (figure, value, baseline, baseline value, ratio, goal, met?).
 */
export function executorRows(runs, env = {}) {
  const shell = JSON.parse(readFileSync(join(ROOT, "bench", "executor-shell-baseline.json"), "utf8"));
  const r = spawnSync(process.execPath, [join(ROOT, "bench", "cases", "executor.cjs"), String(runs)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/cases/executor.cjs failed:\n${r.stderr}`);
  const ts = JSON.parse(r.stdout);
  const rows = [];
  const notes = [];
  const ms = (x) => `${fmt(x)} ms`;
  const shellName = `shell executor (${shell.commit.slice(0, 7)})`;
  for (const [kind, label] of Object.entries(CASES)) {
    const t = ts.cases[kind];
    const s = shell.cases[kind];
    const added = t.added.lease + t.added.healthz + t.added.userValues;
    const comparable = t.helm + t.kubectl - added;
    const before = s.helmCalls + s.kubectlCalls;
    rows.push([
      `executor, ${label}: helm + kubectl calls (all / without the ones #10 added)`,
      `${t.helm} + ${t.kubectl} = ${t.helm + t.kubectl} / ${comparable}`,
      shellName,
      `${s.helmCalls} + ${s.kubectlCalls} = ${before}`,
      (comparable / before).toFixed(2),
      "no more calls than before",
      comparable <= before ? "met" : "**missed**",
    ]);
    rows.push([`executor, ${label}: wall time against the fake binaries`, ms(t.wallMs), shellName, ms(s.wallMs), (t.wallMs / s.wallMs).toFixed(2), "- (context: other fakes)", "-"]);
    rows.push([
      `executor, ${label}: executor time beyond the calls (in process, every call timed, + node start-up with the bundle)`,
      ms(t.ownWithStartupMs),
      `${shellName}: wall - the same calls replayed`,
      ms(s.beyondCallsMs),
      (t.ownWithStartupMs / s.beyondCallsMs).toFixed(2),
      kind === "noop" ? "< 1,000 ms" : "-",
      kind === "noop" ? (t.ownWithStartupMs < 1000 ? "met" : "**missed**") : "-",
    ]);
    notes.push(
      `Executor, ${label}: helm ${t.helmCommands.join(", ")}; kubectl ${t.kubectlCommands.join(", ")}. Added by #10: ${t.added.lease} Lease, ${t.added.healthz} /healthz, ${t.added.userValues} helm get values without --all; Lease renewals (one per 20 s of run time, not counted above) per run: ${t.leaseRenewals.join(", ")}. ` +
        `Shell (${shell.commit.slice(0, 7)}): helm ${s.helmCommands.join(", ")}; kubectl ${s.kubectlCommands.join(", ")}. ` +
        `Beyond the calls by replay (wall - the same calls replayed, as the shell was measured): ${ms(t.beyondCallsMs)} of ${ms(t.wallMs)} (noisy: the difference of two large numbers).`,
    );
  }
  const only = ts.cases.stopsOnly;
  rows.push([
    "executor, Pulumi Job (stops only) at the target: nothing to do",
    `${only.helm} + ${only.kubectl} calls, ${ms(only.ownWithStartupMs)} beyond them`,
    "-",
    "-",
    "-",
    "< 1,000 ms beyond the calls",
    only.ownWithStartupMs < 1000 ? "met" : "**missed**",
  ]);
  notes.push(
    `Executor bundle dist/executor/executor.cjs: ${fmt(ts.bundleBytes / 1024)} KiB; \`node executor.cjs\` start-up (load the bundle, refuse an argument) ${ms(ts.startupMs)}. ` +
      `Wall times differ in their fakes: the shell ran against POSIX sh fakes (one sh process per call), the TypeScript executor against the node fakes of test/executor/fake (one node process per call that loads the TypeScript model), so the calls dominate both and only "beyond the calls" compares the executors. ` +
      `Shell figures: ${shell.method} Measured ${shell.measuredAt} on ${shell.machine}.`,
  );
  return { rows, notes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rows, notes } = executorRows(Math.max(1, Number(process.argv[2] ?? 3)));
  console.log(markdownTable(["figure", "value", "baseline", "baseline value", "ratio", "goal", "met?"], rows));
  for (const n of notes) console.log(`* ${n}`);
}
