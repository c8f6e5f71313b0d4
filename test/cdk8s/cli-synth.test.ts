/**
 * `cdk8s synth` from the repository root, with the real cdk8s CLI and the top-level cdk8s.yaml: compiles the example
 * and writes its manifests to dist/manifests/ offline (upgrade-job mode needs no chart at synth time).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";

const root = path.join(__dirname, "../..");
const out = path.join(root, "dist", "manifests");

test("cdk8s synth (cdk8s.yaml) synthesizes the example into dist/manifests", async () => {
  const cdk8s = path.join(root, "node_modules", ".bin", "cdk8s");
  // --no-check-upgrade: the CLI would ask the npm registry for a newer version of itself; synth must work offline.
  const { stdout } = await promisify(execFile)(cdk8s, ["synth", "--no-check-upgrade"], { cwd: root, timeout: 120_000 });
  expect(stdout).toContain("dist/manifests/milvus-example.k8s.yaml");
  const text = fs.readFileSync(path.join(out, "milvus-example.k8s.yaml"), "utf8");
  const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
  expect(kinds).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "ConfigMap", "Job"]);
  // The package build beside it is untouched (cdk8s synth empties only its own output directory).
  expect(fs.existsSync(path.join(root, "dist", "index.js"))).toBe(true);
}, 180_000);
