#!/usr/bin/env node
// Profiles one node command with --cpu-prof and prints its top entries: self time by function, and self and
// inclusive time by package (node_modules/<pkg>, dist/<dir>, node: internals, and the profiler's own
// "(program)", "(idle)", "(garbage collector)" nodes). Time spent waiting for a child process shows up as the self
// time of spawnSync/execFileSync.
//
// Usage: node bench/profile.mjs [--top N] -- <node arguments...>
//   e.g. node bench/profile.mjs -- -e "require('milvus-cluster')"
//        node bench/profile.mjs -- bench/cases/pulumi-program.cjs milvus /tmp/values.json
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fmt, markdownTable, ROOT } from "./lib.mjs";

/** Reads a .cpuprofile and returns per-node self times in ms. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, { ...n, self: 0 }]));
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const n = byId.get(samples[i]);
    if (n) n.self += (timeDeltas[i] ?? 0) / 1000;
  }
  const parent = new Map();
  for (const n of byId.values()) for (const c of n.children ?? []) parent.set(c, n.id);
  return { byId, parent };
}

/** The package a profile node's code belongs to. */
export function packageOf(url, functionName) {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node: internals";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = url.match(/\/(dist|bench|\.cache\/[^/]+|examples)\/(.*)$/);
  if (m) return `${m[1]}/${m[2].split("/")[0]}`;
  return url.replace(/^file:\/\//, "");
}

/** Top entries of one profile: by function (self) and by package (self and inclusive). */
export function summarize(profile, top = 15) {
  const { byId, parent } = selfTimes(profile);
  const total = [...byId.values()].reduce((s, n) => s + n.self, 0);
  const fnSelf = new Map();
  const pkgSelf = new Map();
  const pkgIncl = new Map();
  const waits = new Map();
  const label = (frame) => {
    const file = frame.url ? frame.url.replace(/^file:\/\//, "").replace(`${ROOT}/`, "") : "";
    return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : ""}`.trim();
  };
  for (const n of byId.values()) {
    if (n.self === 0) continue;
    const { functionName, url } = n.callFrame;
    fnSelf.set(label(n.callFrame), (fnSelf.get(label(n.callFrame)) ?? 0) + n.self);
    if (url.startsWith("node:") && /^(spawnSync|execFileSync|execSync)$/.test(functionName)) {
      // Waiting for a child process: charge the nearest caller outside node's internals.
      let id = parent.get(n.id);
      while (id !== undefined && (byId.get(id).callFrame.url.startsWith("node:") || !byId.get(id).callFrame.url)) id = parent.get(id);
      const caller = id === undefined ? "(unknown)" : label(byId.get(id).callFrame);
      waits.set(caller, (waits.get(caller) ?? 0) + n.self);
    }
    const pkg = packageOf(url, functionName);
    pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + n.self);
    // Inclusive: charge every distinct package on the stack once.
    const seen = new Set();
    for (let id = n.id; id !== undefined; id = parent.get(id)) {
      const a = byId.get(id);
      const p = packageOf(a.callFrame.url, a.callFrame.functionName);
      if (!seen.has(p)) {
        seen.add(p);
        pkgIncl.set(p, (pkgIncl.get(p) ?? 0) + n.self);
      }
    }
  }
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    total,
    functions: sorted(fnSelf),
    packages: sorted(pkgSelf).map(([p, s]) => [p, s, pkgIncl.get(p) ?? s]),
    childWaits: sorted(waits),
  };
}

export function profileCommand(nodeArgs, { top = 15, env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "bench-prof-"));
  try {
    const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-interval", "100", ...nodeArgs], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (r.status !== 0) throw new Error(`node ${nodeArgs.join(" ")} exited ${r.status}`);
    // The main process's profile only (children spawned without --cpu-prof write none).
    const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
    return files.map((f) => summarize(JSON.parse(readFileSync(join(dir, f), "utf8")), top));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printSummary(s) {
  console.log(`sampled ${fmt(s.total)} ms`);
  console.log(markdownTable(["function (self time)", "ms"], s.functions.map(([f, ms]) => [f, fmt(ms)])));
  console.log();
  console.log(markdownTable(["package", "self ms", "inclusive ms"], s.packages.map(([p, self, incl]) => [p, fmt(self), fmt(incl)])));
  if (s.childWaits.length > 0) {
    console.log();
    console.log(markdownTable(["waiting for a child process, called from", "ms"], s.childWaits.map(([c, ms]) => [c, fmt(ms)])));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const argv = process.argv.slice(2);
  let top = 15;
  if (argv[0] === "--top") {
    top = Number(argv[1]);
    argv.splice(0, 2);
  }
  if (argv[0] === "--") argv.shift();
  if (argv.length === 0) {
    console.error("usage: node bench/profile.mjs [--top N] -- <node arguments...>");
    process.exit(2);
  }
  for (const s of profileCommand(argv, { top })) printSummary(s);
}
