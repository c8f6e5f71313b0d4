/**
 * Test support: runs the pod of a synthesized executor Job on this machine, the way the kubelet would lay it out,
 * without a container runtime (there is no Docker engine or cluster here). What it models:
 *
 * - every volume: a ConfigMap volume is a directory holding one file per data key (from the ConfigMaps given), an
 *   emptyDir an empty directory shared by the containers that mount it;
 * - every container's filesystem: a path under one of its volumeMounts is that volume's directory, any other
 *   absolute path lies in its image, a directory per image whose content the caller provides (`images`);
 * - the init containers run first, in order, each to completion; then the main container. Each runs its `command`
 *   (argv, no shell) with its `env`; absolute paths in the argv and env values are mapped through the container's
 *   filesystem view, since the processes run without a chroot.
 *
 * What it does not model: the images themselves (users, libc, what else they contain), readOnly mounts and
 * readOnlyRootFilesystem (the schema tests and the Job tests check those fields), the service-account token.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The parts of a container spec the simulation reads. */
export interface SimContainer {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly env?: readonly { name: string; value?: string }[];
  readonly volumeMounts?: readonly { name: string; mountPath: string; readOnly?: boolean }[];
}

/** The parts of a pod spec the simulation reads. */
export interface SimPodSpec {
  readonly initContainers?: readonly SimContainer[];
  readonly containers: readonly SimContainer[];
  readonly volumes?: readonly { name: string; configMap?: { name: string }; emptyDir?: object }[];
}

/** Result of one container. */
export interface ContainerOutcome {
  readonly name: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A simulated pod run. */
export interface PodOutcome {
  /** The containers that ran, init containers first; the run stops at the first that fails. */
  readonly containers: readonly ContainerOutcome[];
  /** Directory of each volume. */
  readonly volumes: Readonly<Record<string, string>>;
}

/** Lays out an image directory: `files` maps absolute paths to a file to copy there (or to symlink, for binaries). */
export function imageDir(root: string, name: string, files: Readonly<Record<string, { copyOf?: string; linkTo?: string }>>): string {
  const dir = path.join(root, "images", name.replace(/[^A-Za-z0-9._-]+/g, "_"));
  for (const [p, f] of Object.entries(files)) {
    const target = path.join(dir, p);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (f.copyOf) fs.copyFileSync(f.copyOf, target);
    else if (f.linkTo) fs.symlinkSync(f.linkTo, target);
    fs.chmodSync(target, 0o755);
  }
  return dir;
}

/**
 * Runs `pod` under `root`.
 * @param images image reference -> its directory (see `imageDir`)
 * @param configMaps ConfigMap name -> data
 * @param env extra environment for every container (what the cluster provides, here the fake's state)
 */
export function runPod(root: string, pod: SimPodSpec, images: Readonly<Record<string, string>>, configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>, env: Readonly<Record<string, string>> = {}): PodOutcome {
  const volumes: Record<string, string> = {};
  for (const v of pod.volumes ?? []) {
    const dir = path.join(root, "volumes", v.name);
    fs.mkdirSync(dir, { recursive: true });
    if (v.configMap) {
      const data = configMaps[v.configMap.name];
      if (!data) throw new Error(`volume ${v.name}: no ConfigMap ${v.configMap.name}`);
      for (const [k, text] of Object.entries(data)) fs.writeFileSync(path.join(dir, k), text, { mode: 0o444 });
    } else if (!v.emptyDir) {
      throw new Error(`volume ${v.name}: only configMap and emptyDir volumes are simulated`);
    }
    volumes[v.name] = dir;
  }
  const outcomes: ContainerOutcome[] = [];
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const imageRoot = images[c.image];
    if (!imageRoot) throw new Error(`container ${c.name}: no directory for image ${c.image}`);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => b.mountPath.length - a.mountPath.length);
    const resolve = (p: string): string => {
      if (!p.startsWith("/")) return p;
      for (const m of mounts) {
        const dir = volumes[m.name];
        if (!dir) throw new Error(`container ${c.name}: mount of unknown volume ${m.name}`);
        if (p === m.mountPath) return dir;
        if (p.startsWith(`${m.mountPath.replace(/\/$/, "")}/`)) return path.join(dir, p.slice(m.mountPath.replace(/\/$/, "").length));
      }
      return path.join(imageRoot, p);
    };
    const containerEnv: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env };
    for (const e of c.env ?? []) if (e.value !== undefined) containerEnv[e.name] = resolve(e.value);
    for (const d of ["HOME", "TMPDIR"]) if (containerEnv[d]) fs.mkdirSync(containerEnv[d]!, { recursive: true });
    const [bin, ...args] = c.command.map(resolve);
    const r = spawnSync(bin!, args, { env: containerEnv, encoding: "utf8", timeout: 120_000 });
    if (r.error) throw r.error;
    outcomes.push({ name: c.name, code: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  return { containers: outcomes, volumes };
}
