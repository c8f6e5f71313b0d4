import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";

/*
 * The consumer test: the library as a new user gets it. It packs the package (`npm pack`), creates fresh projects
 * from committed copies of what the two CLIs generate, installs the tarball and the peers, compiles each project
 * with its template's own tsconfig.json (and with node10, node16, nodenext and bundler variants of it), runs the
 * Pulumi program under mocks and the cdk8s app through `cdk8s synth`, and checks what they produce. Then the
 * folder install (`npm install <folder>`, a symlink) and `--install-links`.
 *
 * Templates (test/consumer/templates, copied unchanged; the placeholders are filled in here as the CLIs do):
 * - pulumi-typescript: github.com/pulumi/templates `typescript/` at 65db26bfbdb2fef067d2a10dcadef7b553b36d60
 *   (tsconfig `module`/`moduleResolution` nodenext since 81e6522, March 2026; before it, at 2ac3c665, commonjs/node:
 *   the node10 variant below).
 * - cdk8s-typescript-app: github.com/cdk8s-team/cdk8s-cli `templates/typescript-app/` at
 *   b829789223896f1f6e0a7675ac2a8bb9c3702c97 (module CommonJS, moduleResolution unset, i.e. node10).
 *
 * Deviations, to stay fast and work from npm's cache (warm after `npm ci`): dependency ranges are pinned to the
 * versions in this repository's package-lock.json (`@types/node` 20 rather than the templates' ^18 / ^14);
 * TypeScript (5.9) and the cdk8s CLI are this repository's, not installed again; install scripts are skipped
 * (`--ignore-scripts`: @pulumi/kubernetes' would download the provider plugin, which mocks do not need); the cdk8s
 * template's `app: npx ts-node main.ts` is replaced by its own `npm run compile` (tsc) and `node main.js`; the cdk8s
 * template's `charset` option is deleted (see below).
 */

const root = join(__dirname, "../..");
const templates = join(__dirname, "templates");
const programs = join(__dirname, "programs");
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; peerDependencies: Record<string, string> };
const locked = (name: string): string => {
  const v = lock.packages[`node_modules/${name}`]?.version;
  if (!v) throw new Error(`${name} is not in package-lock.json`);
  return v;
};
const TSC = join(root, "node_modules/typescript/bin/tsc");
const CDK8S = join(root, "node_modules/cdk8s-cli/bin/cdk8s");
/** Tools this test runs from the repository instead of installing them into each project. */
const TOOLS = new Set(["typescript", "cdk8s-cli", "ts-node", "jest", "ts-jest", "@types/jest"]);
const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "1" }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(cmd: string, args: string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const tsc = (dir: string, tsconfig: string): Run => run(process.execPath, [TSC, "-p", tsconfig], dir);

/** The placeholders `pulumi new` fills in (Go template syntax, not JavaScript). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a pulumi/templates placeholder
const PULUMI_PROJECT = "${PROJECT}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a pulumi/templates placeholder
const PULUMI_DESCRIPTION = "${DESCRIPTION}";

/** The template's package.json with its placeholders filled in and its ranges pinned to this repository's lock. */
function projectManifest(template: string, name: string): string {
  const text = readFileSync(join(templates, template, "package.json"), "utf8")
    .replace(PULUMI_PROJECT, name)
    .replace("{{ $base }}", name);
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  for (const field of ["dependencies", "devDependencies"] as const) {
    const deps = pkg[field] ?? {};
    for (const dep of Object.keys(deps)) {
      if (TOOLS.has(dep)) delete deps[dep];
      else deps[dep] = locked(dep);
    }
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * Writes tsconfig.<variant>.json: the template's compiler options with another module resolution, type-check only.
 */
function tsconfigVariant(dir: string, variant: Variant): string {
  const file = `tsconfig.${variant.name}.json`;
  const base = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
  const compilerOptions: Record<string, unknown> = { ...base.compilerOptions, module: variant.module, moduleResolution: variant.moduleResolution, noEmit: true, ...variant.extra };
  writeFileSync(join(dir, file), JSON.stringify({ ...base, compilerOptions }, null, 2));
  return file;
}

interface Variant {
  name: string;
  module: string;
  moduleResolution: string;
  /** Further compiler options (stated in the test name). */
  extra?: Record<string, unknown>;
}

const NODE10: Variant = { name: "node10", module: "commonjs", moduleResolution: "node10" };
const NODE16: Variant = { name: "node16", module: "node16", moduleResolution: "node16" };
const NODENEXT: Variant = { name: "nodenext", module: "nodenext", moduleResolution: "nodenext" };
const BUNDLER: Variant = { name: "bundler", module: "preserve", moduleResolution: "bundler" };

// Each tsc run of the Pulumi project takes 8-37 s depending on the machine's load (@pulumi/kubernetes' types).
jest.setTimeout(300_000);

let work: string;
let tarball: string;
const started = Date.now();

beforeAll(() => {
  if (!existsSync(join(root, "dist/index.js"))) throw new Error("dist/ is missing: run npm run build first (npm test does)");
  work = mkdtempSync(join(tmpdir(), "milvus-cluster-consumer-"));
  const packed = ok("npm", ["pack", "--pack-destination", work, "--loglevel=error"], root).trim().split("\n").pop() ?? "";
  tarball = join(work, packed);
  expect(existsSync(tarball)).toBe(true);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
  process.stderr.write(`consumer test: ${((Date.now() - started) / 1000).toFixed(1)} s wall time\n`);
});

describe("a project from `pulumi new typescript`", () => {
  let dir: string;

  beforeAll(() => {
    dir = join(work, "pulumi-app");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), projectManifest("pulumi-typescript", "consumer-pulumi"));
    copyFileSync(join(templates, "pulumi-typescript/tsconfig.json"), join(dir, "tsconfig.json"));
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      readFileSync(join(templates, "pulumi-typescript/Pulumi.yaml"), "utf8").replace(PULUMI_PROJECT, "consumer-pulumi").replace(PULUMI_DESCRIPTION, "consumer test"),
    );
    copyFileSync(join(programs, "pulumi-index.ts"), join(dir, "index.ts"));
    copyFileSync(join(programs, "run-under-mocks.cjs"), join(dir, "run-under-mocks.cjs"));
    copyFileSync(join(programs, "local-executor.cjs"), join(dir, "local-executor.cjs"));
    // The peers for Pulumi, as README says: @pulumi/pulumi (already in the template) and @pulumi/kubernetes.
    ok("npm", ["install", ...NPM_FLAGS, tarball, `@pulumi/kubernetes@${locked("@pulumi/kubernetes")}`], dir);
  }, 240_000);

  it("installs without @pulumi/command", () => {
    expect(existsSync(join(dir, "node_modules/milvus-cluster/package.json"))).toBe(true);
    expect(existsSync(join(dir, "node_modules/@pulumi/command"))).toBe(false);
  });

  it("compiles with the template's own tsconfig (nodenext) and runs under mocks: a Release after the executor Job", () => {
    const r = tsc(dir, "tsconfig.json");
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    ok(process.execPath, ["run-under-mocks.cjs", "bin/index.js", "mocks.json"], dir);
    const out = JSON.parse(readFileSync(join(dir, "mocks.json"), "utf8")) as {
      outputs: Record<string, unknown>;
      registered: { type: string; name: string; inputs: Record<string, unknown> }[];
    };
    expect(out.outputs["stops"]).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect(out.outputs["stack"]).toBe("dev");
    expect(out.outputs["endpoint"]).toMatch(/^vectors-milvus\.milvus\.svc\.cluster\.local:19530$/);
    const types = out.registered.map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(["milvus-cluster:index:MilvusCluster", "kubernetes:batch/v1:Job", "kubernetes:helm.sh/v3:Release"]));
    const release = out.registered.find((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(release?.inputs).toMatchObject({ chart: "milvus", version: "5.0.6", namespace: "milvus" });
  });

  // node10 is the template's tsconfig before March 2026 (commonjs/node), checked in full. node16 and bundler skip
  // the check inside declaration files (`skipLibCheck`, half a minute of @pulumi/kubernetes types each): they prove
  // that every import resolves and the program type-checks against our types.
  it.each([
    ["node10 (the template before 81e6522)", NODE10],
    ["node16 (skipLibCheck)", { ...NODE16, extra: { skipLibCheck: true } }],
    ["bundler (skipLibCheck)", { ...BUNDLER, extra: { skipLibCheck: true } }],
  ])("compiles with moduleResolution %s", (_name, variant) => {
    const r = tsc(dir, tsconfigVariant(dir, variant));
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it('executor: "local" without @pulumi/command stops with one error naming the package and the install command', () => {
    const out = ok(process.execPath, ["local-executor.cjs"], dir).trim().split("\n");
    expect(out[out.length - 1]).toBe(
      `MissingPeerDependencyError: milvus-cluster/pulumi needs the package @pulumi/command (executor: "local" runs the stops with its local.Command), which is not installed. Install it next to milvus-cluster: npm install @pulumi/command@${manifest.peerDependencies["@pulumi/command"]}`,
    );
  });

  it("importing milvus-cluster/cdk8s without cdk8s names the missing package", () => {
    const r = run(process.execPath, ["-e", 'require("milvus-cluster/cdk8s")'], dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`MissingPeerDependencyError: milvus-cluster/cdk8s needs the package cdk8s (the App, Chart and Helm constructs), which is not installed. Install it next to milvus-cluster: npm install cdk8s@${manifest.peerDependencies["cdk8s"]}`);
    expect(r.stderr).not.toMatch(/Cannot find module/);
  });

  it("the CLI runs from the installed package", () => {
    expect(ok(join(dir, "node_modules/.bin/milvus-cluster"), ["plan", "--from", "2.5.8", "--to", "2.6.4"], dir)).toMatch(/Milvus 2\.5\.8 -> 2\.6\.4: 2 steps/);
  });

  it("installed from a folder (a symlink; the library loads this repository's @pulumi/pulumi): the program still registers everything", () => {
    // @pulumi/pulumi keeps its runtime state process-global, so two copies share one (mock) engine connection.
    ok("npm", ["install", ...NPM_FLAGS, root], dir);
    expect(lstatSync(join(dir, "node_modules/milvus-cluster")).isSymbolicLink()).toBe(true);
    ok(process.execPath, ["run-under-mocks.cjs", "bin/index.js", "mocks-folder.json"], dir);
    const out = JSON.parse(readFileSync(join(dir, "mocks-folder.json"), "utf8")) as { outputs: Record<string, unknown>; registered: { type: string }[] };
    expect(out.outputs["stops"]).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect(out.registered.map((r) => r.type)).toEqual(expect.arrayContaining(["kubernetes:batch/v1:Job", "kubernetes:helm.sh/v3:Release"]));
  }, 120_000);
});

describe("a project from `cdk8s init typescript-app`", () => {
  let dir: string;

  /** `cdk8s synth` (the repository's cdk8s CLI) with the template's app compiled by its own `npm run compile`. */
  const synth = (): Run => run(process.execPath, [CDK8S, "synth", "--app", "node main.js", "--no-check-upgrade"], dir);

  function manifests(): { kind: string; metadata: { name: string } }[] {
    const out = join(dir, "dist");
    return readdirSync(out)
      .filter((f) => f.endsWith(".k8s.yaml"))
      .flatMap((f) => YAML.parseAllDocuments(readFileSync(join(out, f), "utf8")).map((d) => d.toJSON()));
  }

  beforeAll(() => {
    dir = join(work, "cdk8s-app");
    mkdirSync(dir);
    writeFileSync(join(dir, "package.json"), projectManifest("cdk8s-typescript-app", "consumer-cdk8s"));
    copyFileSync(join(templates, "cdk8s-typescript-app/cdk8s.yaml"), join(dir, "cdk8s.yaml"));
    // The one edit the template needs: `charset` was removed in TypeScript 5.5 (error TS5102) and is an error from
    // 5.0 (TS5101). The template's own `typescript: ^4.9.5` cannot read constructs 10.8's declarations
    // (`export type *`, TS 5.0 syntax), so anyone using the template today has moved to TypeScript 5 and deleted it.
    const tsconfig = JSON.parse(readFileSync(join(templates, "cdk8s-typescript-app/tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions["charset"]).toBe("utf8");
    delete tsconfig.compilerOptions["charset"];
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    copyFileSync(join(programs, "cdk8s-main.ts"), join(dir, "main.ts"));
    // The template already depends on the peers for cdk8s: cdk8s, cdk8s-plus-28, constructs.
    ok("npm", ["install", ...NPM_FLAGS, tarball], dir);
  }, 240_000);

  it("compiles with the template's own tsconfig (CommonJS, node10) and `cdk8s synth` writes the upgrade Job", () => {
    const r = tsc(dir, "tsconfig.json");
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
    const s = synth();
    expect([s.status, s.stderr]).toEqual([0, ""]);
    const kinds = manifests().map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"]));
    expect(manifests().find((m) => m.kind === "Job")?.metadata.name).toMatch(/^milvus-upgrade-[0-9a-f]+$/);
    expect(YAML.parse(readFileSync(join(dir, "cdk8s.yaml"), "utf8"))).toMatchObject({ language: "typescript" });
  });

  it.each([NODE16, NODENEXT, BUNDLER])("compiles with moduleResolution $name", (variant) => {
    const r = tsc(dir, tsconfigVariant(dir, variant));
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("an ES module imports the named exports of both the root and milvus-cluster/cdk8s (CommonJS, detected by Node)", () => {
    const r = run(process.execPath, ["--input-type=module", "-e", 'import { MilvusCluster } from "milvus-cluster/cdk8s"; import { planUpgrade } from "milvus-cluster"; console.log(typeof MilvusCluster, typeof planUpgrade)'], dir);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, "function function\n", ""]);
  });

  it("importing milvus-cluster/pulumi without the Pulumi SDK names the missing package", () => {
    const r = run(process.execPath, ["-e", 'require("milvus-cluster/pulumi")'], dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`milvus-cluster/pulumi needs the package @pulumi/pulumi (the Pulumi SDK the component is built on), which is not installed. Install it next to milvus-cluster: npm install @pulumi/pulumi@${manifest.peerDependencies["@pulumi/pulumi"]}`);
  });

  it("installed from a folder (a symlink to this repository, with its own cdk8s): refused at construction, saying what to do", () => {
    ok("npm", ["install", ...NPM_FLAGS, root], dir);
    expect(lstatSync(join(dir, "node_modules/milvus-cluster")).isSymbolicLink()).toBe(true);
    const s = synth();
    expect(s.status).not.toBe(0);
    expect(s.stderr).toContain("DuplicatePeerDependencyError: milvus-cluster/cdk8s and your app use two different copies of cdk8s");
    expect(s.stderr).toContain("npm install --install-links <folder>");
    expect(s.stderr).not.toMatch(/Error: can't render non-simple object/); // the crash the check replaces
  }, 120_000);

  it("installed from the folder with --install-links: a copy, one cdk8s, synth works", () => {
    ok("npm", ["install", ...NPM_FLAGS, "--install-links", root], dir);
    expect(lstatSync(join(dir, "node_modules/milvus-cluster")).isSymbolicLink()).toBe(false);
    rmSync(join(dir, "dist"), { recursive: true, force: true });
    const s = synth();
    expect([s.status, s.stderr]).toEqual([0, ""]);
    expect(manifests().map((m) => m.kind)).toContain("Job");
  }, 120_000);
});
