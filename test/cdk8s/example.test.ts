import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { type K8sObject, schemaProblems } from "./support";

/** The example app (examples/cdk8s/main.ts) synthesizes offline, without helm or a chart, into CDK8S_OUTDIR. */
test("examples/cdk8s/main.ts synthesizes the upgrade Job for 2.5.8 -> 2.6.4", async () => {
  const outdir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "cdk8s-example-"));
  const saved = process.env["CDK8S_OUTDIR"];
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    process.env["CDK8S_OUTDIR"] = outdir;
    jest.isolateModules(() => {
      require("../../examples/cdk8s/main");
    });
    expect(fs.readdirSync(outdir)).toEqual(["milvus-example.k8s.yaml"]);
    const text = fs.readFileSync(path.join(outdir, "milvus-example.k8s.yaml"), "utf8");
    const objects = parseAllDocuments(text).map((d) => d.toJS() as K8sObject);
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "ConfigMap", "Job"]);
    for (const o of objects) expect(o.metadata.namespace).toBe("milvus");
    const data = objects[3]!["data"] as Record<string, string>;
    expect(Object.keys(data).sort()).toEqual(["plan.json", "step-1.yaml", "step-2.yaml"]);
    expect(Object.keys(objects[4]!["data"] as Record<string, string>)).toEqual(["executor.cjs"]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining("2.5.16 (chart 4.2.58) -> 2.6.4 (chart 5.0.6)"));
    expect(await schemaProblems(objects)).toEqual([]);
  } finally {
    log.mockRestore();
    if (saved === undefined) delete process.env["CDK8S_OUTDIR"];
    else process.env["CDK8S_OUTDIR"] = saved;
    await fs.promises.rm(outdir, { recursive: true, force: true });
  }
});
