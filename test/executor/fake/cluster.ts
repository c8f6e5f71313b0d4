/**
 * Test support: the fake cluster in process. `FakeCluster` joins the helm model (release.ts) and the kube model
 * (kube.ts) behind the executor's `ClusterClient`, with a virtual clock: `sleep` advances `now` at once, so every
 * polling loop of the executor (pods, session keys, Jobs, rollouts) runs without waiting. Tests read the models'
 * state directly and turn their knobs between runs; the bundle directory holds plan.json, the values files and the
 * migration manifests as the executor reads them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClusterClient, CommandOptions, CommandResult } from "../../../src/executor/cluster-client";
import type { ExecutorBundle } from "../../../src/executor/types";
import { FakeKube, type FakeKubeSetup, newKubeState } from "./kube";
import { FakeRelease, newReleaseState } from "./release";

/** The fake cluster; see the file comment. */
export class FakeCluster implements ClusterClient {
  /** The helm model. */
  readonly release: FakeRelease;
  /** The kube model. */
  readonly kube: FakeKube;
  /** Directory of the bundle (plan.json, step-N.yaml, migration-*.yaml). */
  readonly dir: string;
  /** Virtual milliseconds since the epoch. */
  private clock = Date.UTC(2025, 0, 1);
  /** Sum of the virtual waits (what a real run would have slept). */
  sleptMs = 0;

  private constructor(setup: FakeKubeSetup & { helmVersion?: string }) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "milvus-fake-cluster-"));
    const kubeState = newKubeState(setup);
    this.release = new FakeRelease(newReleaseState({ name: kubeState.release, namespace: kubeState.namespace, helmVersion: setup.helmVersion }), { helmUpgraded: (o) => this.kube.helmUpgraded(o), helmRolledBack: (r) => this.kube.helmRolledBack(r) }, this.dir);
    this.kube = new FakeKube(kubeState, { currentTag: () => this.release.currentTag() }, this.dir);
  }

  /** A fake cluster around release `my-milvus` in namespace `milvus`, no revision yet. */
  static create(setup: FakeKubeSetup & { helmVersion?: string } = {}): FakeCluster {
    return new FakeCluster(setup);
  }

  helm(args: readonly string[]): Promise<CommandResult> {
    return Promise.resolve(this.release.helm(args));
  }

  kubectl(args: readonly string[], opts?: CommandOptions): Promise<CommandResult> {
    return Promise.resolve(this.kube.kubectl(args, opts?.stdin));
  }

  sleep(ms: number): Promise<void> {
    this.clock += ms;
    this.sleptMs += ms;
    return Promise.resolve();
  }

  now(): number {
    return this.clock;
  }

  /** Writes the bundle's files into `dir`, replacing an earlier bundle. */
  writeBundle(bundle: ExecutorBundle): string {
    for (const f of fs.readdirSync(this.dir)) fs.rmSync(path.join(this.dir, f), { force: true });
    for (const [name, text] of Object.entries(bundle.files)) fs.writeFileSync(path.join(this.dir, name), text);
    return this.dir;
  }

  /** argv of every helm call since the last `resetCalls`. */
  helmCalls(): string[][] {
    return this.release.state.calls;
  }

  /** argv of every kubectl call since the last `resetCalls`. */
  kubectlCalls(): string[][] {
    return this.kube.state.calls;
  }

  /** argv of the `helm upgrade` calls. */
  upgrades(): string[][] {
    return this.helmCalls().filter((c) => c[0] === "upgrade");
  }

  /** Forgets the recorded calls. */
  resetCalls(): void {
    this.release.state.calls = [];
    this.kube.state.calls = [];
  }

  /** Removes the bundle directory. */
  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
