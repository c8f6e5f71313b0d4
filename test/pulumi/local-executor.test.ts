import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LOCAL_EXECUTOR_COMMAND, localExecutorEnvironment } from "../../src/pulumi";

/** Runs the constant command exactly as `local.Command` does: `/bin/sh -c <command>`, script on stdin. */
function run(script: string, files: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "local-executor-test-"));
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", TMPDIR: tmp, ...localExecutorEnvironment({ files }), ...extraEnv };
  const r = spawnSync("/bin/sh", ["-c", LOCAL_EXECUTOR_COMMAND], { input: script, env, encoding: "utf8" });
  const left = fs.readdirSync(tmp);
  fs.rmSync(tmp, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, left };
}

// A stand-in for the rendered executor: prints where it runs and the files it finds there.
const PROBE = [
  'echo "dir-matches=$( [ "$MILVUS_EXECUTOR_DIR" = "$(pwd)" ] && echo yes || echo no)"',
  'for f in step-*.yaml; do printf "%s:" "$f"; cat "$f"; echo "|"; done',
  'ls -l upgrade.sh | cut -c1-10',
].join("\n");

describe("the local executor's constant command", () => {
  it("writes the script and files into a private temporary directory, runs it there and removes it", () => {
    const r = run(PROBE, { "step-1.yaml": "image:\n  tag: v2.5.16\n", "step-2.yaml": "a: b\n" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("dir-matches=yes");
    expect(r.stdout).toContain("step-1.yaml:image:\n  tag: v2.5.16\n|");
    expect(r.stdout).toContain("step-2.yaml:a: b\n|");
    expect(r.stdout).toContain("-rw-------");
    expect(r.left).toEqual([]);
  });

  it("passes file contents through byte for byte, never through a shell", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text that must stay inert
    const nasty = "x: \"$(touch /tmp/pwned-by-values) `id` ${HOME} \\\\n '\" ; rm -rf /\n%s %d \\n\n";
    const r = run('cat step-1.yaml', { "step-1.yaml": nasty });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(nasty);
  });

  it("keeps the script's exit status and still cleans up", () => {
    const r = run("echo failing >&2; exit 7", { "step-1.yaml": "a: 1\n" });
    expect(r.status).toBe(7);
    expect(r.stderr).toContain("failing");
    expect(r.left).toEqual([]);
  });

  it("ignores an ambient MILVUS_EXECUTOR_DIR", () => {
    const r = run(PROBE, { "step-1.yaml": "a: 1\n" }, { MILVUS_EXECUTOR_DIR: "/nonexistent" });
    expect(r.stdout).toContain("dir-matches=yes");
  });

  it("refuses a file name with path or shell characters", () => {
    const r = run("true", {}, { MILVUS_EXECUTOR_FILES: "../evil", MILVUS_EXECUTOR_FILE_1: "x" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("invalid file name");
    expect(() => localExecutorEnvironment({ files: { "../x.yaml": "" } })).toThrow(/not a plain file name/);
  });

  it("contains no text from the plan: the command is a constant", () => {
    expect(LOCAL_EXECUTOR_COMMAND).not.toMatch(/2\.\d+\.\d+|milvus-helm/);
  });
});
