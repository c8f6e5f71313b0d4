import * as path from "node:path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";

/**
 * Runs Pulumi's own component analyzer (the one `pulumi package add` uses to infer a schema from TypeScript) over
 * `src/pulumi`. It refuses union and intersection types, non-interface args and unsupported property types, so this
 * proves the args stay offerable to other Pulumi languages.
 */
describe("component schema", () => {
  const root = path.resolve(__dirname, "../..");
  let result: ReturnType<Analyzer["analyze"]>;
  beforeAll(() => {
    result = new Analyzer(root, "milvus-cluster", { name: "milvus-cluster", main: "src/pulumi/index.js" }, new Set(["MilvusCluster"])).analyze();
  }, 120_000);

  it("infers MilvusCluster with documented inputs", () => {
    const c = result.components["MilvusCluster"]!;
    expect(c).toBeDefined();
    expect(c.inputs["version"]).toMatchObject({ type: "string", plain: true });
    expect(c.inputs["version"]?.optional).toBeUndefined();
    // The catalog overlay file is a plain string input, like every planned field (issue #15).
    expect(c.inputs["catalogFile"]).toMatchObject({ type: "string", plain: true, optional: true });
    for (const [name, prop] of Object.entries(c.inputs)) {
      expect([name, typeof prop.description]).toEqual([name, "string"]);
      if (name !== "version") expect([name, prop.optional]).toEqual([name, true]);
    }
  });

  it("keeps credentials as inputs (secrets) and everything planned as plain values", () => {
    const s3 = result.typeDefinitions["MilvusExternalObjectStorageArgs"]!;
    expect(s3.properties?.["accessKeyId"]?.plain).toBeUndefined();
    expect(s3.properties?.["host"]?.plain).toBe(true);
    expect(result.components["MilvusCluster"]!.inputs["helmValues"]).toMatchObject({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } });
  });

  it("exposes the outputs (not executorCommand: its type lives in the optional peer @pulumi/command)", () => {
    const outputs = Object.keys(result.components["MilvusCluster"]!.outputs).sort();
    expect(outputs).toEqual(["chartVersion", "credentialsSecret", "endpoint", "executorJob", "identity", "namespace", "namespaceResource", "release", "releaseName", "status", "stops", "version"]);
  });
});
