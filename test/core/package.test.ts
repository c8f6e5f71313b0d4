import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { satisfies, subset } from "semver";
import { isMissingModule, loadPeer, MissingPeerDependencyError } from "../../src/util/peers";

// package.json is the contract with every consumer. `exports` is the single list of entry points; `typesVersions`
// (for TypeScript's node10 resolution, which ignores `exports`: the tsconfig of `cdk8s init typescript-app` and of
// `pulumi new typescript` before March 2026) is derived from it and must stay equal to the derivation.
const root = join(__dirname, "../..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  main: string;
  types: string;
  typesVersions?: Record<string, Record<string, string[]>>;
  exports: Record<string, string | { types?: string; default: string }>;
  files: string[];
  engines: { node: string };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The `typesVersions` map that makes every subpath export's types resolvable under node10. */
function typesVersionsFromExports(): Record<string, Record<string, string[]>> {
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    if (subpath === "." || typeof target === "string" || !target.types) continue;
    paths[subpath.replace(/^\.\//, "")] = [target.types];
  }
  return { "*": paths };
}

describe("package.json entry points", () => {
  it("typesVersions is derived from exports (the one list of entry points)", () => {
    expect(manifest.typesVersions).toEqual(typesVersionsFromExports());
  });

  it("main and types are the exports of '.'", () => {
    expect(manifest.exports["."]).toEqual({ types: `./${manifest.types}`, default: `./${manifest.main}` });
  });

  it.each(Object.entries(manifest.exports))("the files of export %s exist after the build and are packed", (_subpath, target) => {
    const files = typeof target === "string" ? [target] : [target.types, target.default].filter((f): f is string => !!f);
    for (const file of files) {
      expect([file, existsSync(join(root, file))]).toEqual([file, true]);
      const path = file.replace(/^\.\//, "");
      // npm always packs package.json; everything else must be under "files".
      expect([path, path === "package.json" || manifest.files.some((f) => path.startsWith(`${f}/`) || path === f)]).toEqual([path, true]);
    }
  });
});

/** Every package a user's install brings in through our dependencies and peers, with its declared Node range. */
function runtimeTree(): { name: string; version: string; node?: string }[] {
  const seen = new Map<string, { name: string; version: string; node?: string }>();
  const resolveFrom = (dir: string, name: string): string | undefined => {
    for (let d = dir; ; d = dirname(d)) {
      const p = join(d, "node_modules", name, "package.json");
      if (existsSync(p)) return p;
      if (dirname(d) === d) return undefined;
    }
  };
  const walk = (dir: string, name: string): void => {
    const p = resolveFrom(dir, name);
    if (!p || seen.has(p)) return;
    const j = JSON.parse(readFileSync(p, "utf8")) as { name: string; version: string; engines?: { node?: string }; dependencies?: Record<string, string> };
    seen.set(p, { name: j.name, version: j.version, node: j.engines?.node });
    for (const d of Object.keys(j.dependencies ?? {})) walk(dirname(p), d);
  };
  for (const d of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]) walk(root, d);
  return [...seen.values()];
}

describe("package.json engines", () => {
  it("engines.node promises no Node version that a dependency or peer (transitively) refuses", () => {
    const tree = runtimeTree();
    expect(tree.length).toBeGreaterThan(100); // the walk really reached the peers' trees
    const refusing = tree.filter((p) => p.node && !subset(manifest.engines.node, p.node)).map((p) => `${p.name}@${p.version} wants node ${p.node}`);
    expect(refusing).toEqual([]);
  });

  it("the Node running the tests is one engines.node allows", () => {
    expect(satisfies(process.versions.node, manifest.engines.node)).toBe(true);
  });

  it("README and docs/install.md state the same Node requirement", () => {
    for (const file of ["README.md", "docs/install.md"]) expect([file, readFileSync(join(root, file), "utf8").includes(manifest.engines.node)]).toEqual([file, true]);
  });
});

describe("missing peer dependencies", () => {
  const missing = (name: string): Error => Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- x.js`), { code: "MODULE_NOT_FOUND" });

  it("names the package, the entry point and the install command with this package's range", () => {
    expect(() =>
      loadPeer("milvus-cluster/pulumi", "@pulumi/command", 'executor: "local"', () => {
        throw missing("@pulumi/command");
      }),
    ).toThrow(new MissingPeerDependencyError("milvus-cluster/pulumi", "@pulumi/command", 'executor: "local"'));
    const e = new MissingPeerDependencyError("milvus-cluster/cdk8s", "cdk8s", "the App");
    expect(e.message).toBe(`milvus-cluster/cdk8s needs the package cdk8s (the App), which is not installed. Install it next to milvus-cluster: npm install cdk8s@${manifest.peerDependencies["cdk8s"]}`);
  });

  it("passes on other errors, including a module missing inside the peer", () => {
    expect(isMissingModule(missing("@pulumi/command/node_modules/x"), "@pulumi/command")).toBe(false);
    expect(isMissingModule(missing("semver"), "@pulumi/command")).toBe(false);
    expect(isMissingModule(new TypeError("x"), "cdk8s")).toBe(false);
    expect(() =>
      loadPeer("milvus-cluster/cdk8s", "cdk8s", "the App", () => {
        throw missing("other");
      }),
    ).toThrow("Cannot find module 'other'");
  });

  it("every peer is checked by its adapter's entry point (src/*/peers.ts)", () => {
    const checked = ["pulumi", "cdk8s"].flatMap((a) => [...readFileSync(join(root, "src", a, "peers.ts"), "utf8").matchAll(/name: "([^"]+)"/g)].map((m) => m[1]));
    const lazily = [...readFileSync(join(root, "src/pulumi/milvus-cluster.ts"), "utf8").matchAll(/loadPeer\([^,]+, "([^"]+)"/g)].map((m) => m[1]);
    expect([...checked, ...lazily].sort()).toEqual(Object.keys(manifest.peerDependencies).sort());
    expect(readdirSync(join(root, "src/util"))).toContain("peers.ts");
  });
});
