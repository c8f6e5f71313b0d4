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

  it("keeps what the plan reads plain and everything else (credentials included) as inputs (issue #11 item 11)", () => {
    const s3 = result.typeDefinitions["MilvusExternalObjectStorageArgs"]!;
    expect(s3.properties?.["accessKeyId"]?.plain).toBeUndefined();
    expect(s3.properties?.["bucket"]).toMatchObject({ type: "string" });
    expect(s3.properties?.["bucket"]?.plain).toBeUndefined();
    expect(s3.properties?.["useIAM"]?.plain).toBe(true);
    const inputs = result.components["MilvusCluster"]!.inputs;
    for (const planned of ["version", "chartVersion", "mode", "coordinators", "messageQueue", "expectedFrom", "executor", "catalogFile", "createNamespace", "adoptExisting"]) {
      expect([planned, inputs[planned]?.plain]).toEqual([planned, true]);
    }
    for (const input of ["releaseName", "namespace", "etcdReplicas", "imageRepository", "stepTimeout", "executorImage", "chartRepository"]) {
      expect([input, inputs[input]?.plain]).toEqual([input, undefined]);
    }
    expect(result.typeDefinitions["MilvusComponentArgs"]!.properties?.["replicas"]).toMatchObject({ type: "number" });
    expect(result.typeDefinitions["MilvusComponentArgs"]!.properties?.["replicas"]?.plain).toBeUndefined();
    expect(result.components["MilvusCluster"]!.inputs["helmValues"]).toMatchObject({ type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } });
  });

  it("exposes the outputs (not executorCommand: its type lives in the optional peer @pulumi/command)", () => {
    const outputs = Object.keys(result.components["MilvusCluster"]!.outputs).sort();
    expect(outputs).toEqual(["chartVersion", "credentialsSecret", "endpoint", "executorJob", "identity", "namespace", "namespaceResource", "release", "releaseName", "status", "stops", "version"]);
  });
});
