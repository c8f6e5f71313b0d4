/**
 * Test support for the cdk8s adapter: schema validation of synthesized objects with kubernetes-models, and a
 * few helpers to look objects up.
 *
 * kubernetes-models is an ES module package (its `exports` only have `import` conditions), which jest's
 * CommonJS runtime cannot load; the objects are therefore validated in a child `node` process that imports the
 * models natively. Every object is mapped from its apiVersion/kind to the model class
 * (`apps/v1` + `Deployment` -> `kubernetes-models/apps/v1` `Deployment`) and validated with `validate()`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { MilvusClusterError } from "../../src/errors";

/** A synthesized Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/** A schema problem of one object. */
export interface SchemaProblem {
  readonly kind: string;
  readonly name: string;
  readonly error: string;
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");

const VALIDATOR = `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const o of JSON.parse(input)) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : [undefined, o.apiVersion];
  const name = (o.metadata && o.metadata.name) || "";
  let mod;
  try {
    mod = await import(group ? "kubernetes-models/" + group + "/" + version : "kubernetes-models/" + version);
  } catch (e) {
    out.push({ kind: o.kind, name, error: "no schema for " + o.apiVersion + ": " + e.message });
    continue;
  }
  const Model = mod[o.kind];
  if (typeof Model !== "function") {
    out.push({ kind: o.kind, name, error: "no schema for kind " + o.kind + " in " + o.apiVersion });
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    out.push({ kind: o.kind, name, error: String(e && e.message) });
  }
}
process.stdout.write(JSON.stringify(out));
`;

/** Validates objects against the Kubernetes schemas; resolves to the problems found (empty when all are valid). */
export function schemaProblems(objects: readonly unknown[]): Promise<SchemaProblem[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--no-warnings", "--input-type=module", "-e", VALIDATOR],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`schema validator failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(stdout) as SchemaProblem[]);
      },
    );
    child.stdin?.end(JSON.stringify(objects));
  });
}

/** The objects of one kind (optionally one name). */
export function ofKind(objects: readonly K8sObject[], kind: string, name?: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/** The single object of a kind; fails when there is not exactly one. */
export function single(objects: readonly K8sObject[], kind: string): K8sObject {
  const found = ofKind(objects, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}: ${found.map((o) => o.metadata.name).join(", ")}`);
  return found[0]!;
}

/** Every string leaf of a JSON value, with its path. */
export function stringLeaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${prefix}[${i}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** The MilvusClusterError `f` throws (any other error is rethrown; no error fails the test). */
export function errorOf(f: () => unknown): MilvusClusterError {
  try {
    f();
  } catch (e) {
    if (e instanceof MilvusClusterError) return e;
    throw e;
  }
  throw new Error("expected a MilvusClusterError");
}
