/**
 * The local executor: `local.Command` runs `node <dist/executor/executor.cjs> --files-from-stdin` (argv, no shell;
 * pulumi-command v1.2.1 provider/pkg/provider/local/commandOutputs.go builds `interpreter..., create` and starts it
 * with exec.CommandContext), the plan's files arriving as JSON on stdin. This file tests the inputs and the stdin
 * protocol; test/executor/bundle-e2e.test.ts runs the built bundle that way against the fake cluster.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { executorRuntime, renderExecutor } from "../../src/executor";
import { executorFilesJson, parseExecutorFiles, withExecutorFiles } from "../../src/executor/files-from-stdin";
import { planUpgrade } from "../../src/plan/plan";
import { LOCAL_EXECUTOR_COMMAND, localExecutorCommand } from "../../src/pulumi";

const PLAN = planUpgrade({ from: "2.5.8", to: "2.6.4" });
const BUNDLE = renderExecutor({ releaseName: "my-milvus", namespace: "milvus", steps: PLAN.steps.slice(0, -1), targetVersion: PLAN.to, includesFinalStep: false });

describe("the local executor's command", () => {
  const cmd = localExecutorCommand(BUNDLE);

  it("runs node with the bundled executor: no shell, a constant last argument", () => {
    expect(cmd.interpreter).toEqual(["node", executorRuntime().path]);
    expect(cmd.create).toBe(LOCAL_EXECUTOR_COMMAND);
    expect(cmd.create).toBe("--files-from-stdin");
    expect(cmd.interpreter).not.toContain("/bin/sh");
  });

  it("passes the plan's files on stdin as one JSON object, nothing from the plan in the argv or environment", () => {
    expect(parseExecutorFiles(cmd.stdin)).toEqual(BUNDLE.files);
    expect([...cmd.interpreter, cmd.create, ...Object.values(cmd.environment)].join(" ")).not.toMatch(/2\.\d+\.\d+|milvus-helm|my-milvus/);
    expect(cmd.environment).toEqual({ MILVUS_EXECUTOR_DRY_RUN: "0", MILVUS_EXECUTOR_HEALTH: "proxy" });
    expect(cmd.triggers).toEqual([BUNDLE.hash]);
  });

  it("is stable: the same plan gives the same stdin text (file names sorted)", () => {
    expect(localExecutorCommand({ ...BUNDLE, files: Object.fromEntries(Object.entries(BUNDLE.files).reverse()) }).stdin).toBe(cmd.stdin);
  });
});

describe("the files on stdin", () => {
  it.each<[string, string, RegExp]>([
    ["not JSON", "step-1.yaml: a", /not the JSON object/],
    ["an array", "[]", /must be a JSON object/],
    ["null", "null", /must be a JSON object/],
    ["no file", "{}", /holds no file/],
    ["a path in a name", JSON.stringify({ "../plan.json": "{}" }), /not a plain file name/],
    ["an absolute name", JSON.stringify({ "/etc/passwd": "x" }), /not a plain file name/],
    ["a hidden file", JSON.stringify({ ".bashrc": "x" }), /not a plain file name/],
    ["a content that is not a string", JSON.stringify({ "plan.json": { a: 1 } }), /no string content/],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseExecutorFiles(text)).toThrow(message);
  });

  it("refuses to send a file name with a path", () => {
    expect(() => executorFilesJson({ "a/b.yaml": "" })).toThrow(/not a plain file name/);
  });

  it("are written into a private directory for the run, byte for byte, and removed afterwards, also after a failure", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "files-from-stdin-test-"));
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: text that must stay inert
      const nasty = "x: \"$(touch /tmp/pwned) `id` ${HOME} '\" ; rm -rf /\n%s\u00e9\n";
      let seen: { mode: number; files: Record<string, string>; fileMode: number } | undefined;
      const code = await withExecutorFiles(
        { "plan.json": "{}", "step-1.yaml": nasty },
        async (dir) => {
          seen = {
            mode: fs.statSync(dir).mode & 0o777,
            fileMode: fs.statSync(path.join(dir, "step-1.yaml")).mode & 0o777,
            files: Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")])),
          };
          return 7;
        },
        root,
      );
      expect(code).toBe(7);
      expect(seen).toEqual({ mode: 0o700, fileMode: 0o600, files: { "plan.json": "{}", "step-1.yaml": nasty } });
      expect(fs.readdirSync(root)).toEqual([]);
      await expect(
        withExecutorFiles(
          { "plan.json": "{}" },
          async () => {
            throw new Error("boom");
          },
          root,
        ),
      ).rejects.toThrow("boom");
      expect(fs.readdirSync(root)).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
