import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/*
 * The adapters' peer dependencies (`@pulumi/*`, `cdk8s`, `constructs`, `cdk8s-plus-28`) are optional peers: the
 * user installs the ones of the adapter they use. When one is missing, Node's own error is a bare
 * `Cannot find module '@pulumi/kubernetes'` thrown from deep inside this package. These helpers turn it into one
 * error that names the entry point, the package and the `npm install` command that fixes it. The version ranges
 * come from this package's own package.json (`peerDependencies`), the single source of truth.
 */

/** The package.json of this package (read only on the error path). */
function peerRange(peer: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { peerDependencies?: Record<string, string> };
    return manifest.peerDependencies?.[peer];
  } catch {
    return undefined;
  }
}

/** The `npm install` command that adds a peer at the range this package supports. */
export function peerInstallCommand(peers: readonly string[]): string {
  return `npm install ${peers.map((p) => (peerRange(p) ? `${p}@${quoteRange(peerRange(p) ?? "")}` : p)).join(" ")}`;
}

/** Quotes a semver range for a POSIX shell when it holds characters the shell would interpret. */
function quoteRange(range: string): string {
  return /^[\w.^~-]+$/.test(range) ? range : `'${range}'`;
}

/** Thrown when an adapter's peer dependency is not installed; the message has the install command. */
export class MissingPeerDependencyError extends Error {
  /** The missing package, e.g. `@pulumi/command`. */
  readonly peer: string;
  /** The command that installs it, e.g. `npm install @pulumi/command@^1.2.1`. */
  readonly installCommand: string;

  constructor(entryPoint: string, peer: string, why: string) {
    const installCommand = peerInstallCommand([peer]);
    super(`${entryPoint} needs the package ${peer} (${why}), which is not installed. Install it next to milvus-cluster: ${installCommand}`);
    this.name = "MissingPeerDependencyError";
    this.peer = peer;
    this.installCommand = installCommand;
  }
}

/** True when `error` is Node's "Cannot find module" for `peer` itself (not for a module `peer` requires). */
export function isMissingModule(error: unknown, peer: string): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e || (e.code !== "MODULE_NOT_FOUND" && e.code !== "ERR_MODULE_NOT_FOUND")) return false;
  return typeof e.message === "string" && (e.message.includes(`'${peer}'`) || e.message.includes(`"${peer}"`));
}

/**
 * Checks that each peer resolves from this package, before the adapter's own modules load them, and throws a
 * `MissingPeerDependencyError` for the first one that does not.
 */
export function assertPeersInstalled(entryPoint: string, peers: readonly { name: string; why: string }[], resolve: (id: string) => string = require.resolve): void {
  for (const peer of peers) {
    try {
      resolve(peer.name);
    } catch (error) {
      if (isMissingModule(error, peer.name)) throw new MissingPeerDependencyError(entryPoint, peer.name, peer.why);
      throw error;
    }
  }
}

/** Loads a peer on first use (`load` is a `require` call), turning a missing package into a clear error. */
export function loadPeer<T>(entryPoint: string, peer: string, why: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (isMissingModule(error, peer)) throw new MissingPeerDependencyError(entryPoint, peer, why);
    throw error;
  }
}

/**
 * Thrown when the app and this package load two copies of a peer (typically after `npm install <folder>`, which
 * symlinks the folder, so this package resolves the peer from the folder's own node_modules).
 */
export class DuplicatePeerDependencyError extends Error {
  /** The peer loaded twice, e.g. `cdk8s`. */
  readonly peer: string;

  constructor(entryPoint: string, peer: string, ownCopy: string, symptom: string) {
    super(
      `${entryPoint} and your app use two different copies of ${peer} (this package loaded the one in ${ownCopy}); ${symptom}. ` +
        "This happens when milvus-cluster is installed from a folder (npm install <folder> makes a symlink, and the folder's own node_modules is used). " +
        "Install it as a copy instead: npm install --install-links <folder>, or run npm pack in the folder and npm install the .tgz " +
        "(or run node with --preserve-symlinks).",
    );
    this.name = "DuplicatePeerDependencyError";
    this.peer = peer;
  }
}

/** The directory of the installed package `peer` as this package resolves it. */
export function peerDirectory(peer: string, resolve: (id: string) => string = require.resolve): string {
  try {
    return dirname(resolve(`${peer}/package.json`));
  } catch {
    return peer;
  }
}
