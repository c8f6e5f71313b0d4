/** The fake `helm` of the fake cluster model (see model.ts): version, status, get values, history, upgrade, rollback. */
import * as fs from "node:fs";
import YAML from "yaml";
import type { CommandResult } from "../../../src/executor/cluster-client";
import type { FakeModel } from "./model";

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: "" });
const err = (stderr: string, code = 1): CommandResult => ({ code, stdout: "", stderr: stderr.endsWith("\n") ? stderr : `${stderr}\n` });
const NOT_FOUND = err("Error: release: not found");

/** Parsed helm argv. */
interface HelmArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

const WITH_VALUE: Record<string, string> = { "-n": "namespace", "--namespace": "namespace", "-o": "output", "--output": "output", "--revision": "revision", "--version": "version", "--repo": "repo", "-f": "values", "--values": "values", "--timeout": "timeout", "--template": "template" };
const BOOLEAN: Record<string, string> = { "-a": "all", "--all": "all", "--wait": "wait", "--wait-for-jobs": "wait-for-jobs", "--reset-values": "reset-values", "--atomic": "atomic", "--rollback-on-failure": "rollback-on-failure", "-i": "install", "--install": "install" };

function parse(model: FakeModel, args: readonly string[]): HelmArgs | CommandResult {
  const major = Number(/^v(\d+)/.exec(model.state.helmVersion)?.[1] ?? 3);
  const out: HelmArgs = { positional: [], flags: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "") return err("fake helm: empty argument", 2);
    if (a in WITH_VALUE) {
      const v = args[++i];
      if (v === undefined) return err(`Error: flag needs an argument: ${a}`);
      out.flags.set(WITH_VALUE[a]!, v);
    } else if (a in BOOLEAN) {
      if (a === "--atomic" && major !== 3) return err(`Error: unknown flag: ${a}`);
      if (a === "--rollback-on-failure" && major === 3) return err(`Error: unknown flag: ${a}`);
      out.flags.set(BOOLEAN[a]!, true);
    } else if (a.startsWith("-")) {
      return err(`Error: unknown flag: ${a}`);
    } else out.positional.push(a);
  }
  return out;
}

/** Answers one helm call against the model. */
export function fakeHelm(model: FakeModel, args: readonly string[], _stdin?: string): CommandResult {
  const parsed = parse(model, args);
  if ("code" in parsed) return parsed;
  const [cmd, ...pos] = parsed.positional;
  const flag = (name: string): string | true | undefined => parsed.flags.get(name);
  const s = model.state;
  const cur = model.current();
  switch (cmd) {
    case "version":
      if (flag("template") !== "{{.Version}}") return err("fake helm: unexpected version arguments", 2);
      return ok(s.helmVersion);
    case "status": {
      if (s.statusError) return err(s.statusError);
      if (!cur) return NOT_FOUND;
      if (flag("output") !== "json") return err("fake helm: status needs -o json", 2);
      const manifest = '---\n# Source: milvus/templates/proxy.yaml\nkind: "Deployment"\nmetadata: {"name": "x", "status": "pending-upgrade", "version": 99}\n';
      return ok(
        `${JSON.stringify({
          name: pos[0],
          info: { first_deployed: "2025-01-01T00:00:00Z", last_deployed: "2025-01-02T00:00:00Z", deleted: "", description: 'Upgrade "complete" {ok}', status: cur.status, notes: 'Milvus "notes": {"status":"fake"} [1, 2]\nline two\\' },
          config: cur.userValues,
          manifest,
          hooks: [{ name: `${pos[0]}-test`, kind: "Pod", path: "milvus/templates/tests/test.yaml", events: ["test"], last_run: { started_at: "", completed_at: "", phase: "" }, weight: 0 }],
          version: cur.revision,
          namespace: flag("namespace"),
        })}\n`,
      );
    }
    case "get": {
      if (pos[0] !== "values") return err("fake helm: only get values", 2);
      if (flag("output") !== "json") return err("fake helm: get values needs -o json", 2);
      if (!cur) return NOT_FOUND;
      const revFlag = flag("revision");
      const rev = typeof revFlag === "string" ? model.revision(Number(revFlag)) : cur;
      if (!rev) return NOT_FOUND;
      if (flag("all") === true) return ok(`${JSON.stringify(rev.values)}\n`);
      // helm prints null when the user supplied nothing.
      return ok(`${Object.keys(rev.userValues).length === 0 ? "null" : JSON.stringify(rev.userValues)}\n`);
    }
    case "history":
      if (!cur) return NOT_FOUND;
      if (flag("output") !== "json") return err("fake helm: history needs -o json", 2);
      return ok(
        `${JSON.stringify(
          s.revisions.map((r) => ({ revision: r.revision, updated: `2025-01-01T00:00:0${r.revision}Z`, status: r.status, chart: `milvus-${r.chart}`, app_version: tagOf(r.values), description: `desc "${r.revision}" {x} [y]` })),
        )}\n`,
      );
    case "upgrade":
      return upgrade(model, pos, parsed);
    case "rollback": {
      if (!cur) return NOT_FOUND;
      const target = model.revision(Number(pos[1]));
      if (!target) return err(`Error: release has no ${pos[1]} version`);
      model.supersedeAll();
      model.addRevision(target.userValues, target.chart, "deployed");
      return ok("Rollback was a success! Happy Helming!\n");
    }
    default:
      return err(`fake helm: unsupported command ${cmd}`, 2);
  }
}

function tagOf(values: Record<string, unknown>): string {
  const tag = (values.image as { all?: { tag?: unknown } } | undefined)?.all?.tag;
  return typeof tag === "string" ? tag : "";
}

function upgrade(model: FakeModel, pos: string[], parsed: HelmArgs): CommandResult {
  const [rel, chart] = pos;
  const flag = (name: string): string | true | undefined => parsed.flags.get(name);
  const cur = model.current();
  if (!cur && flag("install") !== true) return err(`Error: UPGRADE FAILED: "${rel}" has no deployed releases`);
  if (cur?.status.startsWith("pending-")) return err("Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress");
  const version = flag("version");
  const file = flag("values");
  if (typeof version !== "string" || typeof file !== "string" || typeof flag("namespace") !== "string" || !fs.existsSync(file)) {
    return err("fake helm: upgrade needs --version, -n and a readable -f file", 2);
  }
  if (flag("reset-values") !== true) return err("fake helm: the executor always passes --reset-values", 2);
  const user = (YAML.parse(fs.readFileSync(file, "utf8"), { version: "1.1" }) ?? {}) as Record<string, unknown>;
  const fail = model.state.failUpgrade;
  if (fail && fail.chart === version) {
    if (fail.kind === "fetch") return err(`Error: failed to download "${chart}" at version "${version}"`);
    if (flag("atomic") === true || flag("rollback-on-failure") === true) {
      const previous = cur!;
      model.supersedeAll();
      model.addRevision(user, version, "failed");
      // The rollback is a new revision with the previous revision's values.
      model.addRevision(previous.userValues, previous.chart, "deployed");
      return err(`Error: UPGRADE FAILED: release ${rel} failed, and has been rolled back due to atomic being set: context deadline exceeded`);
    }
    model.addRevision(user, version, "failed");
    return err("Error: UPGRADE FAILED: context deadline exceeded");
  }
  model.supersedeAll();
  model.addRevision(user, version, "deployed");
  return ok(`Release "${rel}" has been upgraded. Happy Helming!\n`);
}
