/** Entry of the fake's executables: load the model from $FAKE_STATE, answer one call, save it, exit with its code. */
import * as fs from "node:fs";
import { FakeModel, loadState, saveState } from "./model";

/** Runs one `helm` or `kubectl` call from process.argv. */
export function runBin(which: "helm" | "kubectl"): void {
  const dir = process.env.FAKE_STATE;
  if (!dir) {
    process.stderr.write(`fake ${which}: FAKE_STATE is not set\n`);
    process.exit(2);
  }
  const args = process.argv.slice(2);
  const stdinIndex = args.findIndex((a, i) => (a === "-f" || a === "--filename") && args[i + 1] === "-");
  const stdin = stdinIndex >= 0 ? fs.readFileSync(0, "utf8") : undefined;
  const model = new FakeModel(loadState(dir));
  const r = which === "helm" ? model.helm(args, { stdin }) : model.kubectl(args, { stdin });
  saveState(dir, model.state);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
