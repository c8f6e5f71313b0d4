import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { serializeCatalogOverlay } from "../../src/catalog/update";
import { MilvusCluster, type MilvusClusterArgs } from "../../src/pulumi";
import { fixtureOverlay } from "../support/overlay";
import { childOf, installMocks, logged, logs, resolved, settle, T } from "./helpers";

beforeAll(async () => {
  await installMocks();
});

const dir = mkdtempSync(join(tmpdir(), "mc-pulumi-catalog-"));
const overlayFile = join(dir, "milvus-catalog.json");
writeFileSync(overlayFile, serializeCatalogOverlay(fixtureOverlay()));

async function build(name: string, args: MilvusClusterArgs): Promise<MilvusCluster> {
  const c = new MilvusCluster(name, args);
  await settle(c.release.urn, c.endpoint, c.stops);
  return c;
}

function thrown(name: string, args: unknown): pulumi.InputPropertiesError {
  try {
    new MilvusCluster(name, args as MilvusClusterArgs);
  } catch (e) {
    if (pulumi.InputPropertiesError.isInstance(e)) return e;
    throw e;
  }
  throw new Error("expected an InputPropertiesError");
}

describe("MilvusClusterArgs.catalogFile", () => {
  it("plans Milvus 2.6.30 on the overlay chart 5.0.30 and warns what was assumed", async () => {
    logs.warn.mockClear();
    const c = await build("overlay", { namespace: "milvus", version: "2.6.30", expectedFrom: "2.6.15", messageQueue: "pulsarv3", catalogFile: overlayFile });
    const rel = childOf("overlay", T.release).inputs as Record<string, unknown>;
    expect(rel).toMatchObject({ version: "5.0.30", repositoryOpts: { repo: "https://zilliztech.github.io/milvus-helm" } });
    expect((rel.values as { image: unknown }).image).toEqual({ all: { repository: "milvusdb/milvus", tag: "v2.6.30" } });
    expect(await resolved(c.chartVersion)).toBe("5.0.30");
    const w = logged("warn").find((m) => m.includes("[R-CATALOG-OVERLAY]"));
    expect(w).toContain("managed values keys extrapolated from built-in chart 5.0.19");
  });

  it("does not leak into another component: without catalogFile 2.6.30 is refused, naming catalog update", () => {
    const e = thrown("plain", { namespace: "milvus", version: "2.6.30", messageQueue: "pulsarv3" });
    const err = e.errors.find((x) => x.propertyPath === "version")!;
    expect(err.reason).toContain("[R-KNOWN-VERSION]");
    expect(err.reason).toContain("milvus-cluster catalog update");
  });

  it.each<[string, unknown, string, RegExp]>([
    ["a missing file", "/nonexistent/milvus-catalog.json", "catalogFile", /cannot read the catalog overlay \/nonexistent\/milvus-catalog.json \(ENOENT\) \[R-CATALOG-OVERLAY\]/],
    ["not a string", 42, "catalogFile", /42 is not a file path \[R-CATALOG-OVERLAY\]/],
    ["an Output", pulumi.output("x.json"), "catalogFile", /is an Output or Promise/],
  ])("refuses %s as an InputPropertiesError on catalogFile", (_label, catalogFile, path, reason) => {
    const e = thrown("bad-catalog", { namespace: "milvus", version: "2.6.15", catalogFile });
    const err = e.errors.find((x) => x.propertyPath === path)!;
    expect(err.reason).toMatch(reason);
  });

  it("refuses a contradicting overlay, naming the entry and the rule", () => {
    const o = JSON.parse(serializeCatalogOverlay(fixtureOverlay()));
    o.charts.push({ ...o.charts[0], chart: "5.0.18" });
    const f = join(dir, "contradicting.json");
    writeFileSync(f, JSON.stringify(o));
    const e = thrown("contradicting", { namespace: "milvus", version: "2.6.15", catalogFile: f });
    expect(e.errors.map((x) => x.propertyPath)).toEqual(["catalogFile.charts[2]"]);
    expect(e.errors[0]!.reason).toMatch(/older than the newest built-in chart 5\.0\.19.*\[R-CATALOG-CONTRADICTS\]/);
  });
});
