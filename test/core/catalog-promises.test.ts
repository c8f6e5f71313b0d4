/**
 * What the chart catalog promises a user (issue #16, src/catalog/catalog.ts): which chart each lookup returns, which
 * field and rule id a refused lookup names (R-CHART-PUBLISHED on chartVersion, R-KNOWN-VERSION or the excluding
 * rule on the version field), what the "did you mean" list holds, which managed keys a chart has, and where an
 * overlay chart comes from. Rows assert lookups and problems, not message wording.
 */
import { Catalog, CATALOG_UPDATE_HINT, chartFor, chartRecord, chartsShipping, knownMilvusVersions, nearestKnownVersions, repositoryFor, repositoryUrl, allCharts, builtinCatalog, keyExists, managedKeys } from "../../src/catalog/catalog";
import type { CatalogOverlay, ChartRecord } from "../../src/catalog/types";
import { MilvusClusterError } from "../../src/errors";
import { compareVersions } from "../../src/versions/versions";
import { fixtureOverlay } from "../support/overlay";

function problemsOf(fn: () => unknown): { field: string; ruleId: string; message: string; fix: string }[] {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof MilvusClusterError)) throw e;
    return [...e.problems];
  }
  throw new Error("expected a MilvusClusterError");
}

const ZILLIZ = "https://zilliztech.github.io/milvus-helm";

describe("chartFor", () => {
  it.each<[string, string]>([
    ["v2.5.16", "4.2.58"],
    [" 2.6.4 ", "5.0.6"],
    ["2.4.13-hotfix", "4.2.16"],
  ])("%j: the newest published chart shipping it, %s", (version, chart) => {
    expect(chartFor(version).chart).toBe(chart);
  });

  it("an explicit published chart wins, with or without a leading v", () => {
    expect(chartFor("2.5.16", { chartVersion: "4.2.57" }).chart).toBe("4.2.57");
    expect(chartFor("2.5.16", { chartVersion: "v4.2.58" }).chart).toBe("4.2.58");
  });

  it("an unpublished chart: R-CHART-PUBLISHED on chartVersion, suggesting the published charts of the version", () => {
    const [p, ...rest] = problemsOf(() => chartFor("2.5.9", { chartVersion: "4.2.46", field: "to.version" }));
    expect(rest).toEqual([]);
    expect([p!.field, p!.ruleId]).toEqual(["chartVersion", "R-CHART-PUBLISHED"]);
    expect(p!.fix).toContain("4.2.45");
    expect(p!.fix).not.toContain(CATALOG_UPDATE_HINT);
  });

  it("an unknown chart: R-CHART-PUBLISHED on chartVersion; one newer than the catalog names its end and the catalog update", () => {
    const [older] = problemsOf(() => chartFor("2.5.16", { chartVersion: "4.2.99" }));
    expect([older!.field, older!.ruleId]).toEqual(["chartVersion", "R-CHART-PUBLISHED"]);
    expect(older!.fix).toContain(CATALOG_UPDATE_HINT);
    expect(older!.fix).toContain("4.2.58");
    expect(older!.message).not.toContain("the catalog ends");
    const [newer] = problemsOf(() => chartFor("2.6.15", { chartVersion: "5.9.0" }));
    expect(newer!.message).toContain("the catalog ends at chart 5.0.19");
    const [notAVersion] = problemsOf(() => chartFor("2.6.15", { chartVersion: "latest" }));
    expect([notAVersion!.field, notAVersion!.ruleId]).toEqual(["chartVersion", "R-CHART-PUBLISHED"]);
    expect(notAVersion!.message).not.toContain("the catalog ends");
  });

  it("a chart refusal suggests the three newest published charts of the version", () => {
    const [p] = problemsOf(() => chartFor("2.5.0-beta", { chartVersion: "4.2.50" }));
    expect(p!.fix).toContain("4.2.30, 4.2.31, 4.2.32");
    expect(p!.fix).not.toContain("4.2.29");
  });

  it("a chart newer than the catalog written with a leading v is still recognised as newer", () => {
    expect(problemsOf(() => chartFor("2.6.15", { chartVersion: "v5.9.0" }))[0]!.message).toContain("the catalog ends at chart 5.0.19");
  });

  it("an unknown chart for an unknown version suggests leaving chartVersion unset", () => {
    const [p] = problemsOf(() => chartFor("2.5.99", { chartVersion: "4.2.99" }));
    expect(p!.fix).toContain("leave chartVersion unset");
  });

  it("an unknown version: R-KNOWN-VERSION on the caller's field (version by default) with the nearest known versions", () => {
    const [p] = problemsOf(() => chartFor("2.5.99", { field: "to" }));
    expect([p!.field, p!.ruleId]).toEqual(["to", "R-KNOWN-VERSION"]);
    expect(p!.fix).toContain("2.5.16");
    expect(p!.fix).toContain(CATALOG_UPDATE_HINT);
    expect(p!.message).not.toContain("its newest chart");
    expect(problemsOf(() => chartFor("2.5.99"))[0]!.field).toBe("version");
    const [newer] = problemsOf(() => chartFor("2.7.0"));
    expect(newer!.message).toContain("its newest chart, 5.0.19, ships 2.6.15");
    expect(newer!.message).not.toContain("overlay included");
  });

  it("a malformed version: R-VERSION-FORMAT on the caller's field", () => {
    expect(problemsOf(() => chartFor("2.5", { field: "from.version" })).map((p) => [p.field, p.ruleId])).toEqual([["from.version", "R-VERSION-FORMAT"]]);
  });

  it("allow narrows the choice to the newest allowed chart", () => {
    expect(chartsShipping("2.5.14").map((c) => c.chart)).toEqual(["4.2.54", "4.2.55", "4.2.56"]);
    expect(chartFor("2.5.14").chart).toBe("4.2.56");
    expect(chartFor("2.5.14", { allow: (c) => c.chart !== "4.2.56" }).chart).toBe("4.2.55");
  });

  it("every chart excluded: the excluding rule on the version field, listing the excluded charts", () => {
    const excludedBecause = { ruleId: "R-PULSAR2-CHARTS", message: "Pulsar v2 releases skip charts 4.2.21-4.2.29", fix: "pick 2.4.16 on 4.2.20" };
    const [p] = problemsOf(() => chartFor("2.4.17", { allow: () => false, excludedBecause, field: "to" }));
    expect([p!.field, p!.ruleId, p!.fix]).toEqual(["to", "R-PULSAR2-CHARTS", "pick 2.4.16 on 4.2.20"]);
    expect(p!.message).toContain("4.2.24, 4.2.25");
    expect(p!.message).toContain("Pulsar v2 releases skip");
    const [plain] = problemsOf(() => chartFor("2.4.17", { allow: () => false }));
    expect([plain!.field, plain!.ruleId]).toEqual(["version", "R-KNOWN-VERSION"]);
    expect(plain!.fix.length).toBeGreaterThan(0);
  });
});

describe("lookups of the built-in catalog", () => {
  it("chartRecord accepts a leading v and knows nothing of unknown charts", () => {
    expect(chartRecord("v4.2.58")?.milvus).toBe("2.5.16");
    expect(chartRecord("4.2.99")).toBeUndefined();
  });

  it("chartsShipping returns a copy: changing it does not change the catalog", () => {
    const list = chartsShipping("2.5.14");
    list.pop();
    expect(chartsShipping("2.5.14")).toHaveLength(3);
    expect(chartsShipping("2.5.99")).toEqual([]);
  });

  it("unpublished charts are never chosen nor listed as shipping", () => {
    expect(chartsShipping("2.5.9").map((c) => c.chart)).toEqual(["4.2.45"]);
  });

  it("knownMilvusVersions: ascending, 2.x by default, pre-releases only without gaOnly, a copy each call", () => {
    const all = knownMilvusVersions();
    const ga = knownMilvusVersions({ gaOnly: true });
    expect([...all].sort(compareVersions)).toEqual(all);
    expect(all).toContain("2.5.0-beta");
    expect(ga).not.toContain("2.5.0-beta");
    expect(ga).toContain("2.4.13-hotfix");
    expect(all.length).toBeGreaterThan(ga.length);
    expect(all.every((v) => Number(v.split(".")[0]) >= 2)).toBe(true);
    const withOld = knownMilvusVersions({ minMajor: 0 });
    expect(withOld.length).toBeGreaterThan(all.length);
    expect(withOld[0]!.startsWith("1.") || withOld[0]!.startsWith("0.")).toBe(true);
    expect(knownMilvusVersions({ minMajor: 3 })).toEqual([]);
    all.pop();
    expect(knownMilvusVersions()).toContain("2.6.15");
    expect(knownMilvusVersions({ gaOnly: false })).toEqual(knownMilvusVersions());
    expect(new Set(knownMilvusVersions()).size).toBe(knownMilvusVersions().length);
  });

  it.each<[string, number, string[]]>([
    ["2.5.99", 2, ["2.5.15", "2.5.16"]],
    ["2.6.3", 3, ["2.6.2", "2.6.3", "2.6.4"]],
    ["2.6.3", 1, ["2.6.3"]],
  ])("nearestKnownVersions(%s, %d) = %j (closest first, listed ascending)", (version, count, nearest) => {
    expect(nearestKnownVersions(version, count)).toEqual(nearest);
  });

  it("nearestKnownVersions lists 4 by default, weighting major over minor over patch", () => {
    expect(nearestKnownVersions("2.9.0")).toEqual(["2.6.0", "2.6.1", "2.6.2", "2.6.3"]);
    // A major away counts more than any minor: 3.0.0 is nearest to the 2.0.0 builds, not to 2.6.
    expect(nearestKnownVersions("3.0.0").every((v) => v.startsWith("2.0.0"))).toBe(true);
  });

  it("keyExists and managedKeys", () => {
    expect(managedKeys()).toContain("streaming.enabled");
    expect(managedKeys()).toEqual(builtinCatalog().managedKeys());
    expect(keyExists("streaming.enabled", "4.2.8")).toBe(true);
    expect(keyExists("streaming.enabled", "4.2.8")).toBe(true);
    expect(keyExists("streaming.enabled", "4.2.7")).toBe(false);
    expect(keyExists("pulsarv3.enabled", "5.0.19")).toBe(true);
  });

  it("repositories: zilliztech serves every built-in chart, milvus-io only by id", () => {
    expect(repositoryFor(chartRecord("3.0.0")!)).toBe(ZILLIZ);
    expect(repositoryUrl("zilliztech")).toBe(ZILLIZ);
    expect(repositoryUrl("milvus-io")).toBe("https://milvus-io.github.io/milvus-helm");
    const onlyMilvusIo: ChartRecord = { ...chartRecord("3.0.0")!, repositories: ["milvus-io"] };
    expect(repositoryFor(onlyMilvusIo)).toBe("https://milvus-io.github.io/milvus-helm");
    const none: ChartRecord = { ...chartRecord("3.0.0")!, repositories: [] };
    expect(repositoryFor(none)).toBe(ZILLIZ);
    expect(allCharts()).toBe(Catalog.builtin.allCharts());
  });
});

describe("a catalog with an overlay", () => {
  const base = fixtureOverlay();

  it("adds the overlay's charts above the built-in ones, ascending, and chooses them", () => {
    const cat = Catalog.withOverlay(base);
    const charts = cat.allCharts().map((c) => c.chart);
    expect(charts.slice(-3)).toEqual(["5.0.19", "5.0.20", "5.0.30"]);
    expect([...charts].sort(compareVersions)).toEqual(charts);
    expect(cat.builtinNewest().chart).toBe("5.0.19");
    expect(cat.chartFor("2.6.30").chart).toBe("5.0.30");
    expect(cat.knownMilvusVersions()).toContain("2.6.30");
    expect(Catalog.builtin.knownMilvusVersions()).not.toContain("2.6.30");
    expect(cat.overlayChart("v5.0.30")?.milvus).toBe("2.6.30");
    expect(cat.overlayChart("5.0.19")).toBeUndefined();
    expect(cat.overlay?.charts.map((c) => c.chart)).toEqual(["5.0.20", "5.0.30"]);
    expect(Catalog.builtin.overlay).toBeUndefined();
  });

  it("an overlay chart is a published record served from the overlay's repository (trailing slash dropped)", () => {
    const charts = base.charts.map((c) => ({ ...c, repository: `${ZILLIZ}/` }));
    const cat = Catalog.withOverlay({ ...base, charts });
    const rec = cat.chartRecord("5.0.30")!;
    const src = base.charts.find((c) => c.chart === "5.0.30")!;
    expect(rec).toEqual({ chart: "5.0.30", milvus: src.milvus, imageTag: src.imageTag, appVersion: src.appVersion, published: true, repositories: ["zilliztech"], created: src.created, dependencies: src.dependencies });
    expect(cat.repositoryFor(rec)).toBe(ZILLIZ);
    expect(cat.repositoryFor(cat.chartRecord("5.0.19")!)).toBe(ZILLIZ);
  });

  it("overlay charts listed out of order are sorted in", () => {
    const cat = Catalog.withOverlay({ ...base, charts: [...base.charts].reverse() });
    expect(cat.allCharts().map((c) => c.chart).slice(-3)).toEqual(["5.0.19", "5.0.20", "5.0.30"]);
  });

  it("with a Milvus 3 chart in an overlay, the nearest versions weigh the major first", () => {
    const three = { ...base.charts[1]!, chart: "6.0.0", milvus: "3.0.0", imageTag: "v3.0.0", appVersion: "3.0.0" };
    const cat = Catalog.withOverlay({ ...base, charts: [...base.charts, three] });
    expect(cat.nearestKnownVersions("3.5.0", 1)).toEqual(["3.0.0"]);
    expect(cat.nearestKnownVersions("2.9.0", 1)).toEqual(["2.6.0"]);
  });

  it("an overlay chart from another repository has no repository id and is served from its own URL", () => {
    const charts = base.charts.map((c) => ({ ...c, repository: "https://charts.example.com/milvus/" }));
    const cat = Catalog.withOverlay({ ...base, charts });
    const rec = cat.chartRecord("5.0.30")!;
    expect(rec.repositories).toEqual([]);
    expect(cat.repositoryFor(rec)).toBe("https://charts.example.com/milvus");
  });

  it("an overlay chart's managed keys are the overlay's list", () => {
    const keys = ["image.all.tag", "streaming.enabled"];
    const charts = base.charts.map((c) => (c.chart === "5.0.30" ? { ...c, keys } : c));
    const cat = Catalog.withOverlay({ ...base, charts });
    expect(cat.keyExists("streaming.enabled", "5.0.30")).toBe(true);
    expect(cat.keyExists("pulsarv3.enabled", "5.0.30")).toBe(false);
    expect(cat.keyExists("pulsarv3.enabled", "5.0.19")).toBe(true);
  });

  it("an overlay entry for a built-in chart with the same facts is left out (the built-in record wins)", () => {
    const builtin = chartRecord("5.0.19")!;
    const stale = { ...base.charts[0]!, chart: "5.0.19", milvus: builtin.milvus, imageTag: builtin.imageTag, appVersion: builtin.appVersion, dependencies: builtin.dependencies };
    let cat: Catalog;
    try {
      cat = Catalog.withOverlay({ ...base, charts: [stale, ...base.charts] });
    } catch (e) {
      // The overlay validator may refuse the stale entry outright; then it must say so with its rule.
      expect((e as MilvusClusterError).ruleIds.every((id) => id.startsWith("R-CATALOG-"))).toBe(true);
      return;
    }
    expect(cat.overlayChart("5.0.19")).toBeUndefined();
    expect(cat.chartRecord("5.0.19")).toBe(builtin);
    expect(cat.allCharts().filter((c) => c.chart === "5.0.19")).toHaveLength(1);
  });

  it("an unknown version names the overlay in its message; a malformed overlay is refused on catalogFile", () => {
    const cat = Catalog.withOverlay(base);
    expect(problemsOf(() => cat.chartFor("2.7.0"))[0]!.message).toContain("overlay included");
    const bad = problemsOf(() => Catalog.withOverlay({ ...base, format: "nope" } as unknown as CatalogOverlay));
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.every((p) => p.field.startsWith("catalogFile"))).toBe(true);
    expect(problemsOf(() => Catalog.withOverlay(42, "spec.catalog")).every((p) => p.field.startsWith("spec.catalog"))).toBe(true);
  });
});
