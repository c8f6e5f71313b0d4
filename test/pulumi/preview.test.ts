import * as pulumi from "@pulumi/pulumi";
import { MilvusCluster } from "../../src/pulumi";
import { childOf, installMocks, logged, README_ARGS, settle, T, resolved } from "./helpers";

beforeAll(async () => {
  await installMocks(true);
});

describe("during a preview", () => {
  it("plans at program time: the stops are in the ConfigMap, the Job name and a log line", async () => {
    expect(pulumi.runtime.isDryRun()).toBe(true);
    const c = new MilvusCluster("pv", { ...README_ARGS, expectedFrom: "2.5.8" });
    await settle(c.release.urn);
    const data = (childOf("pv", T.configMap, "pv-executor").inputs as { data: Record<string, string> }).data;
    expect(data["step-1.yaml"]).toContain("v2.5.16");
    expect((childOf("pv", T.job).inputs as { metadata: { name: string } }).metadata.name).toMatch(/^pv-upgrade-[0-9a-f]{10}$/);
    expect(await resolved(c.stops)).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect(logged("info")).toContainEqual(expect.stringContaining("MilvusCluster pv: stops before 2.6.4 (chart 5.0.6): 2.5.16 (chart 4.2.58)"));
  });

  it("a namespace unknown in the preview (a Namespace to be created): the plan and its log line are there, the children's namespace is unknown", async () => {
    const unknownNamespace = pulumi.output(pulumi.unknown) as unknown as pulumi.Output<string>;
    const c = new MilvusCluster("pvout", { ...README_ARGS, expectedFrom: "2.5.8", namespace: unknownNamespace });
    await settle(c.release.urn);
    expect(await resolved(c.stops)).toEqual(["2.5.16 (chart 4.2.58)"]);
    expect(logged("info")).toContainEqual(expect.stringContaining("MilvusCluster pvout: stops before 2.6.4 (chart 5.0.6): 2.5.16 (chart 4.2.58)"));
    // Unknown inputs reach the mock monitor as `{ __pulumiUnknown: true }`; the Job's metadata waits for the full
    // resolution too.
    const unknown = { __pulumiUnknown: true };
    const rel = childOf("pvout", T.release).inputs as Record<string, unknown>;
    expect(rel["namespace"]).toEqual(unknown);
    expect((childOf("pvout", T.job).inputs as { metadata: unknown }).metadata).toMatchObject({ namespace: unknown });
    expect(rel["version"]).toBe("5.0.6"); // the target chart: planned, known
  });
});
