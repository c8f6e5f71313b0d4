// Helpers of the bench: medians, cold child processes timed from the outside, the machine line and the table.
import { spawnSync } from "node:child_process";
import { cpus, freemem, loadavg, release, totalmem } from "node:os";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";

/** Repository root (this file lives in <repo>/bench). */
export const ROOT = resolve(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");

/** Median; the mean of the two middle values for an even count. */
export function median(xs) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `node <args>` once as a fresh process and returns its wall time in ms (spawn to exit) and its stdout.
 * Throws with the child's stderr when it exits non-zero.
 */
export function timeNode(args, { env, cwd = ROOT } = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd,
    env: env ? { ...process.env, ...env } : process.env,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/**
 * Medians of several cold processes measured in the same loop: one discarded warm-up run each (file cache), then
 * `runs` rounds in which every case runs once, the order reversed every other round so neither the figure nor
 * its baseline always runs first. `check(name, stdout)` sees the warm-up output of each case.
 * Returns { [name]: { median, samples } }.
 */
export function coldMedians(cases, runs, check = () => undefined) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (const n of names) check(n, timeNode(cases[n].args, cases[n]).stdout);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) samples[n].push(timeNode(cases[n].args, cases[n]).ms);
  }
  return Object.fromEntries(names.map((n) => [n, { median: median(samples[n]), samples: samples[n] }]));
}

/** One line naming the machine: node, OS, CPU model, cores, memory, load. */
export function machineLine() {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  const gib = (b) => (b / 1024 ** 3).toFixed(1);
  return `node ${process.version}, ${process.platform}-${process.arch} (kernel ${release()}), CPU: ${model}, ${cpu.length} cores, ${gib(totalmem())} GiB RAM (${gib(freemem())} free), load average at the start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

/** A markdown table with padded columns. */
export function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** `1234.5` -> `1,234.5` style formatting with a fixed number of decimals. */
export function fmt(n, decimals = 1) {
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
