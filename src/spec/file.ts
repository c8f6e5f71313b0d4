/**
 * Reads a spec file (a `MilvusSpec` as YAML) for the CLI's `-f`. Every problem with the file ends in one
 * `MilvusClusterError` naming the file, the line and the column (R-SPEC-FILE), never a stack trace: a missing path, a
 * directory, a file over the size limit, binary content, a YAML syntax error, a tab used as indentation, a duplicate
 * key, several documents, an alias bomb or nesting deeper than the limit.
 *
 * Parsing is linear in the file size: the `yaml` library's own duplicate-key check (`uniqueKeys`) compares every key
 * of a map with every other (a 0.5 MB map took 2.5 s, 2.5 MB 146 s), so keys are checked here with one set per map
 * over the parsed document instead; the nesting depth is measured on the library's lexer tokens before composing,
 * because composing a document nested thousands deep exhausts the stack.
 */
import { readFileSync, statSync } from "node:fs";
import type * as YamlModule from "yaml";
import { MilvusClusterError } from "../errors";
import { yaml } from "../util/lazy-yaml";

/** Largest spec file accepted, in bytes (512 KiB: a spec is a few kB; the yaml library parses 512 KiB in about a second). */
export const MAX_SPEC_FILE_BYTES = 512 * 1024;

/** Deepest flow (`[` / `{`) nesting accepted in a spec file. */
export const MAX_SPEC_NESTING = 64;

/** Widest indentation accepted (columns): block nesting is bounded by it. */
export const MAX_SPEC_INDENT = 256;

/**
 * Most aliases of one anchor a spec file may hold: a value anchored once (`&a`) may be repeated by at most this many
 * aliases (`*a`). An alias of a value that itself holds aliases weighs more: `b: &b [*a, *a]` makes each `*b` count
 * three times (the `yaml` library's guard against alias bombs).
 */
export const MAX_SPEC_ALIASES = 100;

const FIX = "write the spec as one YAML mapping, e.g. `version: 2.6.4` (see docs/knowledge-round2.md#spec-files)";

function fail(file: string, message: string, fix = FIX, where?: { line: number; col: number }): never {
  const at = where ? `${file}:${where.line}:${where.col}` : file;
  throw new MilvusClusterError([{ field: "file", ruleId: "R-SPEC-FILE", message: `${at}: ${message}`, fix }], `invalid spec file ${file}`);
}

/**
 * Offset of the first character no YAML text holds (C0 controls other than tab, LF, VT, FF and CR; DEL; the
 * replacement character an invalid byte decodes to), or -1.
 */
function firstBinaryCharacter(text: string): number {
  // Stryker disable next-line EqualityOperator: at i === text.length charCodeAt gives NaN, which no comparison calls binary
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && (c < 0x09 || c > 0x0d)) || c === 0x7f || c === 0xfffd) return i;
  }
  return -1;
}

/** Line and column (1-based) of an offset. */
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  // Stryker disable next-line EqualityOperator: an offset never points at a newline (it is a character, a token or a line start), so < and <= stop alike
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/** The first duplicate key of any map in the document, with its offset (one set per map: linear). */
function firstDuplicateKey(Y: typeof YamlModule, doc: YamlModule.Document.Parsed): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  Y.visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = pair.key as YamlModule.Node | null;
        // Stryker disable next-line OptionalChaining: a key that is not a scalar is a yaml Node, which always has toJSON
        const text = Y.isScalar(k) ? String(k.value) : JSON.stringify(k?.toJSON?.() ?? null);
        if (seen.has(text)) {
          found = { key: text, offset: k?.range?.[0] ?? 0 };
          return Y.visit.BREAK;
        }
        seen.add(text);
      }
      return undefined;
    },
  });
  return found;
}

/** A problem found in YAML text by `parseYamlMapping`: what, where (1-based) and how to fix it. */
export class YamlTextError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly at?: { readonly line: number; readonly col: number },
  ) {
    super(message);
    this.name = "YamlTextError";
  }
}

function bad(message: string, fix = FIX, at?: { line: number; col: number }): never {
  throw new YamlTextError(message, fix, at);
}

/**
 * Parses YAML text that users write (spec files, config files in extraConfigFiles) into one mapping, in time
 * linear in its size, or throws `YamlTextError`: binary content, indentation over MAX_SPEC_INDENT columns, flow
 * nesting over MAX_SPEC_NESTING (checked on the lexer's tokens before composing), syntax errors and tabs, several
 * documents, duplicate keys (one set per map), more than MAX_SPEC_ALIASES aliases of one anchor, or a value that is not a mapping.
 * @param text the YAML text
 */
export function parseYamlMapping(text: string): Record<string, unknown> {
  const control = firstBinaryCharacter(text);
  if (control >= 0) bad("holds binary content (control characters or invalid UTF-8); a spec file is UTF-8 YAML text", FIX, position(text, control));
  for (let i = 0, lineStart = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === "\n") {
      // Stryker disable next-line Regex,MethodExpression: / */ matches at 0 too (possibly empty), and a longer slice stops at the newline, so the count is the same
      const indent = /^ */.exec(text.slice(lineStart, Math.min(i, lineStart + MAX_SPEC_INDENT + 1)))![0].length;
      if (indent > MAX_SPEC_INDENT) bad(`is indented more than ${MAX_SPEC_INDENT} columns`, "flatten the document: a spec is a few levels deep", position(text, lineStart));
      lineStart = i + 1;
    }
  }
  const Y = yaml();
  let depth = 0;
  let offset = 0;
  for (const token of new Y.Lexer().lex(text)) {
    if (token === "[" || token === "{") depth++;
    else if (token === "]" || token === "}") depth--;
    if (depth > MAX_SPEC_NESTING) bad(`nests more than ${MAX_SPEC_NESTING} levels deep`, "flatten the document: a spec is a few levels deep", position(text, offset));
    // The lexer also yields control tokens (document start, flow end, scalar) that are not in the text.
    if (token !== Y.CST.DOCUMENT && token !== Y.CST.FLOW_END && token !== Y.CST.SCALAR) offset += token.length;
  }
  const docs = Y.parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true, strict: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const e = d.errors[0];
    if (e) {
      const tab = e.code === "TAB_AS_INDENT" ? " (YAML indents with spaces, never tabs)" : "";
      bad(`${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}${tab}`, FIX, e.linePos?.[0]);
    }
  }
  if (list.length > 1) bad(`holds ${list.length} YAML documents; a spec file holds one`, "remove the '---' separators and keep one spec per file", position(text, list[1]!.range[0]));
  const doc = list[0];
  if (!doc) bad("is empty", FIX);
  const dup = firstDuplicateKey(Y, doc);
  if (dup) bad(`the key ${JSON.stringify(dup.key)} appears twice in one mapping`, "keep one of the two entries", position(text, dup.offset));
  let value: unknown;
  try {
    // The yaml library counts the anchored node itself and then each of its aliases (its count starts at 1), times the
    // aliases nested inside the anchored node (at least 1), and refuses once that exceeds maxAliasCount
    // (node_modules/yaml/dist/nodes/Alias.js, yaml 2.9): maxAliasCount N lets a plain anchor have N - 1 aliases.
    value = doc.toJS({ maxAliasCount: MAX_SPEC_ALIASES + 1 });
  } catch (e) {
    // The yaml library throws a ReferenceError for an alias bomb ("Excessive alias count ...").
    bad(`cannot be expanded: ${(e as Error).message}`, `use at most ${MAX_SPEC_ALIASES} aliases of one anchor; write the values out`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) bad("is not a YAML mapping", FIX);
  return value as Record<string, unknown>;
}

/**
 * Parses spec file text. Throws `MilvusClusterError` (R-SPEC-FILE) naming `file`, the line and the column.
 * @param text the file's content
 * @param file the path, for messages
 */
export function parseSpecText(text: string, file: string): Record<string, unknown> {
  if (text.length > MAX_SPEC_FILE_BYTES) fail(file, `is ${text.length} characters long; spec files are limited to ${MAX_SPEC_FILE_BYTES} bytes`, "keep the spec small: large values belong in helmValues of a program, not in a spec file");
  try {
    return parseYamlMapping(text);
  } catch (e) {
    if (e instanceof YamlTextError) fail(file, e.message, e.fix, e.at);
    throw e;
  }
}

/**
 * Reads and parses a spec file. A missing path, a directory or an unreadable file is a clean `MilvusClusterError`
 * (R-SPEC-FILE), like any problem inside the file.
 * @param file path of the spec file
 */
export function readSpecFile(file: string): Record<string, unknown> {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) fail(file, "is a directory, not a spec file", "pass the path of a YAML file, e.g. -f milvus.yaml");
    size = st.size;
  } catch (e) {
    if (e instanceof MilvusClusterError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    fail(file, code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(e)})`, "pass the path of an existing YAML file, e.g. -f milvus.yaml");
  }
  if (size > MAX_SPEC_FILE_BYTES) fail(file, `is ${size} bytes; spec files are limited to ${MAX_SPEC_FILE_BYTES} bytes`, "keep the spec small: large values belong in helmValues of a program, not in a spec file");
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, "check the file's permissions");
  }
  let text: string;
  try {
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: without fatal an invalid byte decodes to U+FFFD, which parseYamlMapping refuses as binary: the same R-SPEC-FILE refusal
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    fail(file, "is not UTF-8 text (binary content)", FIX);
  }
  // Stryker disable next-line Regex,StringLiteral: TextDecoder already drops a leading BOM (ignoreBOM is false), so this replace never changes the text
  return parseSpecText(text.replace(/^\ufeff/, ""), file);
}
