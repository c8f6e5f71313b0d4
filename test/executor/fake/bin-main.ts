/** Entry of the fake's executables: load the models from $FAKE_STATE, answer one call, save them, exit with its code. */
import * as fs from "node:fs";
import * as path from "node:path";
import { type FakeClusterState, linkedModels, STATE_FILE, stdinKindOf } from "./cluster";

/** Runs one `helm` or `kubectl` call from process.argv against the state in $FAKE_STATE. */
export function runBin(which: "helm" | "kubectl"): void {
  const dir = process.env.FAKE_STATE;
  if (!dir) {
    process.stderr.write(`fake ${which}: FAKE_STATE is not set\n`);
    process.exit(2);
  }
  const file = path.join(dir, STATE_FILE);
  const args = process.argv.slice(2);
  const readsStdin = args.some((a, i) => (a === "-f" || a === "--filename") && args[i + 1] === "-");
  const stdin = readsStdin ? fs.readFileSync(0, "utf8") : undefined;
  // The executor may call concurrently (its Lease renewal timer during a long helm call): one call at a time.
  const release = lockState(dir);
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as FakeClusterState;
  // Relative -f paths are read from the caller's directory.
  const models = linkedModels(state, process.cwd());
  const kubeconfig = process.env.KUBECONFIG || null;
  let content: string | null = null;
  try {
    content = kubeconfig ? fs.readFileSync(kubeconfig, "utf8") : null;
  } catch {
    content = null;
  }
  state.kube.kubeconfigs.push({ path: kubeconfig, content });
  let r: { code: number; stdout: string; stderr: string };
  if (which === "helm") {
    const bound = models.kube.takeContext(args, "--kube-context");
    r = bound.error ?? models.release.helm(bound.args);
  }
  else {
    state.stdinKinds.push(stdinKindOf(stdin));
    r = models.kube.kubectl(args, stdin);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, file);
  release();
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}

/** Answers one in-cluster HTTP GET (bin/cluster-network.cjs) from the state in $FAKE_STATE, recording it there. */
export function answerHttp(url: string): { status: number; body: string; error?: string } {
  const dir = process.env.FAKE_STATE;
  if (!dir) throw new Error("fake cluster network: FAKE_STATE is not set");
  const file = path.join(dir, STATE_FILE);
  const release = lockState(dir);
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as FakeClusterState;
    const r = linkedModels(state, process.cwd()).kube.httpGet(url);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, file);
    return r;
  } finally {
    release();
  }
}

/** Takes the state directory's lock (a directory created atomically); returns its release. */
function lockState(dir: string): () => void {
  const lock = path.join(dir, "state.lock");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      return () => fs.rmdirSync(lock);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || i > 2000) throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
