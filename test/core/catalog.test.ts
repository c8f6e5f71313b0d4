import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MilvusClusterError, allCharts, compareVersions, chartFor, chartRecord, keyExists, knownMilvusVersions, repositoryFor } from "../../src";

describe("catalog", () => {
  it.each([
    ["2.5.16", "4.2.58"],
    ["2.6.4", "5.0.6"],
    ["2.6.0", "5.0.1"],
    ["2.2.0", "3.3.6"],
    ["2.1.4", "3.2.18"],
    ["2.5.9", "4.2.45"], // 4.2.46 ships 2.5.9 too but was never published
    ["2.5.12", "4.2.49"], // 4.2.50 unpublished
    ["2.3.0-beta", "4.0.11"], // appVersion says 2.2.3; the image is the truth
    ["2.4.5", "4.1.36"],
    ["2.6.15", "5.0.19"],
  ])("chartFor(%s) is the newest published chart shipping it: %s", (milvus, chart) => {
    expect(chartFor(milvus).chart).toBe(chart);
  });

  it("uses the default image, not appVersion (4.0.11)", () => {
    const rec = chartRecord("4.0.11")!;
    expect(rec.milvus).toBe("2.3.0-beta");
  });

  it("marks tagged-but-unpublished charts", () => {
    for (const c of ["1.1.5", "3.0.11", "3.0.22", "4.0.9", "4.0.15", "4.0.18", "4.2.46", "4.2.50"]) {
      expect(chartRecord(c)?.published).toBe(false);
    }
    expect(() => chartFor("2.5.9", { chartVersion: "4.2.46" })).toThrow(/never published/);
  });

  it("knows which repositories serve a chart: milvus-io up to 4.0.31 only", () => {
    expect(chartRecord("4.0.31")!.repositories).toEqual(["zilliztech", "milvus-io"]);
    expect(chartRecord("4.0.32")!.repositories).toEqual(["zilliztech"]);
    const servedByMilvusIo = allCharts().filter((c) => c.repositories.includes("milvus-io"));
    expect(servedByMilvusIo.length).toBe(188);
    expect(servedByMilvusIo.every((c) => compareVersions(c.chart, "4.0.31") <= 0)).toBe(true);
    expect(repositoryFor(chartRecord("3.2.18")!)).toBe("https://zilliztech.github.io/milvus-helm");
  });

  it("records dependency facts", () => {
    expect(chartRecord("4.2.20")!.dependencies.pulsarv3).toBeUndefined();
    expect(chartRecord("4.2.21")!.dependencies.pulsarv3).toBe("3.3.0");
    expect(chartRecord("5.0.4")!.dependencies.etcd).toBe("6.3.3");
    expect(chartRecord("5.0.5")!.dependencies.etcd).toBe("8.12.0");
  });

  it.each([
    ["mixCoordinator.enabled", "4.0.8", false],
    ["mixCoordinator.enabled", "4.0.10", true],
    ["pulsarv3.enabled", "4.2.20", false],
    ["pulsarv3.enabled", "4.2.21", true],
    ["streaming.enabled", "4.2.7", false],
    ["streaming.enabled", "4.2.8", true],
    ["woodpecker.enabled", "4.2.41", false],
    ["woodpecker.enabled", "4.2.42", true],
    ["extraConfigFiles.user.yaml", "3.3.1", false],
    ["extraConfigFiles.user.yaml", "3.3.2", true],
    ["standalone.messageQueue", "3.0.22", false],
    ["standalone.messageQueue", "3.0.23", true],
    ["no.such.key", "5.0.6", false],
  ])("keyExists(%s, %s) = %p", (key, chart, expected) => {
    expect(keyExists(key, chart)).toBe(expected);
  });

  it("refuses an unknown version, listing the nearest known ones", () => {
    try {
      chartFor("2.5.99");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(MilvusClusterError);
      const msg = (e as Error).message;
      expect(msg).toContain("R-KNOWN-VERSION");
      expect(msg).toMatch(/nearest: .*2\.5\.16/);
    }
  });

  it("lists GA 2.x versions in order", () => {
    const ga = knownMilvusVersions({ gaOnly: true });
    expect(ga[0]).toBe("2.0.0");
    expect(ga).toContain("2.5.16");
    expect(ga[ga.length - 1]).toBe("2.6.15");
    // -hotfix images are GA builds (2.4.13-hotfix follows 2.4.13); no other suffix is GA.
    expect(ga.every((v) => !v.includes("-") || /^\d+\.\d+\.\d+-hotfix$/.test(v))).toBe(true);
    expect(ga).toContain("2.4.13-hotfix");
  });
});

describe("catalog generator", () => {
  const shared = join(__dirname, "../../../shared/milvus-helm");
  const present = existsSync(shared);
  (present ? it : it.skip)("regenerating from ../shared/milvus-helm gives the committed catalog (--check)", () => {
    const out = execFileSync(process.execPath, ["scripts/generate-catalog.mjs", "--check", "--source", shared], { cwd: join(__dirname, "../.."), encoding: "utf8" });
    expect(out).toMatch(/is up to date \(312 charts\)/);
  });
  if (!present) it("skips the generator check: ../shared/milvus-helm is not present", () => console.log("generator check skipped: ../shared/milvus-helm not found"));
});
