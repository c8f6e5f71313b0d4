import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/*
 * How Pulumi's local executor hands a plan to the bundled executor without writing anything at program time: the
 * files of the bundle (`plan.json`, `step-N.yaml`, `migration-*.yaml`) arrive on standard input as one JSON object
 * `{ "<file name>": "<content>", ... }` (`local.Command`'s `stdin`), and `node executor.cjs --files-from-stdin`
 * writes them into a fresh private directory (mode 0700, files 0600) for the run, removing it afterwards whatever
 * the outcome. Parsed with JSON.parse; a file name is a plain name (no path, no leading dot), content a string.
 */

/** Argument of `executor.cjs` that reads the bundle's files from standard input (Pulumi's local executor). */
export const FILES_FROM_STDIN_ARGUMENT = "--files-from-stdin";

/** A bundle file name: letters, digits, `._-`, not starting with a dot. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** The JSON text a bundle's files travel as on standard input (names sorted, so the text is stable). */
export function executorFilesJson(files: Readonly<Record<string, string>>): string {
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(files).sort()) {
    if (!FILE_NAME.test(name)) throw new Error(`executor file name ${JSON.stringify(name)} is not a plain file name`);
    sorted[name] = files[name]!;
  }
  return JSON.stringify(sorted);
}

/**
 * Parses `executorFilesJson` text back into files. Throws an Error naming the problem for anything else (not JSON,
 * not an object, a name with a path or a leading dot, a content that is not a string, no file at all).
 * @param text what arrived on standard input
 */
export function parseExecutorFiles(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`standard input is not the JSON object of the executor's files (${(e as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("standard input must be a JSON object { file name: content }");
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(parsed)) {
    if (!FILE_NAME.test(name)) throw new Error(`file name ${JSON.stringify(name)} on standard input is not a plain file name`);
    if (typeof content !== "string") throw new Error(`file ${name} on standard input has no string content`);
    files[name] = content;
  }
  if (Object.keys(files).length === 0) throw new Error("standard input holds no file");
  return files;
}

/** Reads a stream (standard input) to its end as UTF-8. */
export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Writes `files` into a fresh private temporary directory, runs `fn` with it, and removes the directory afterwards,
 * whether `fn` resolves or throws.
 * @param files file name -> content (validated by `parseExecutorFiles`)
 * @param fn the run, given the directory
 * @param tmpRoot where the directory is created @default os.tmpdir()
 */
export async function withExecutorFiles<T>(files: Readonly<Record<string, string>>, fn: (dir: string) => Promise<T>, tmpRoot: string = os.tmpdir()): Promise<T> {
  const dir = fs.mkdtempSync(path.join(tmpRoot, "milvus-executor-"));
  try {
    fs.chmodSync(dir, 0o700);
    for (const [name, content] of Object.entries(files)) {
      if (!FILE_NAME.test(name)) throw new Error(`executor file name ${JSON.stringify(name)} is not a plain file name`);
      fs.writeFileSync(path.join(dir, name), content, { mode: 0o600, flag: "wx" });
    }
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
