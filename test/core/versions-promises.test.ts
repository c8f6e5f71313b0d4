/**
 * What the versions module promises a user (issue #16, src/versions/versions.ts): which strings parse as Milvus
 * versions and which are refused (field and rule id), which builds count as pre-releases, how versions sort (semver,
 * except a GA release's -hotfix build, which follows the GA it patches: chart 4.2.15 ships 2.4.13-hotfix after chart
 * 4.2.14's 2.4.13), the minor of a version and the inclusive range check every range rule uses.
 */
import { MilvusClusterError } from "../../src/errors";
import { compareVersions, inRange, isHotfix, isMilvusVersion, minorOf, parseMilvusVersion } from "../../src/versions/versions";

describe("parseMilvusVersion", () => {
  it.each<[string, string, boolean]>([
    ["2.5.8", "2.5.8", false],
    ["v2.6.4", "2.6.4", false],
    ["\tv2.6.4\n", "2.6.4", false],
    ["2.6.0-rc1", "2.6.0-rc1", true],
    ["2.6.0-RC1", "2.6.0-RC1", true],
    ["2.5.0-beta", "2.5.0-beta", true],
    ["2.0.0-alpha.3", "2.0.0-alpha.3", true],
    ["2.0.0-pre1", "2.0.0-pre1", true],
    ["2.4.13-hotfix", "2.4.13-hotfix", false],
    ["2.3.0-testing", "2.3.0-testing", false],
    // Only an identifier that starts with rc/beta/alpha/pre is a pre-release; a hotfix build stays GA.
    ["2.4.13-hotfix-rc1", "2.4.13-hotfix-rc1", false],
    // Only a leading v is dropped: a v inside the pre-release part stays.
    ["2.5.8-dev", "2.5.8-dev", false],
    ["v2.5.8-v", "2.5.8-v", false],
    ["2.5.8-v", "2.5.8-v", false],
    ["12.34.56", "12.34.56", false],
  ])("%j is %s (pre-release: %s)", (text, version, pre) => {
    const v = parseMilvusVersion(text);
    expect(v.version).toBe(version);
    expect(v.prerelease).toBe(pre);
    expect([v.semver.major, v.semver.minor, v.semver.patch].join(".")).toBe(version.split("-")[0]);
    expect(isMilvusVersion(text)).toBe(true);
  });

  it.each<[unknown]>([["2.5"], ["latest"], ["2.5.8.1"], ["vv2.5.8"], ["x2.5.8"], ["2.5.8x"], ["2.5.8-"], ["2.5.8--rc"], ["01.2.3"], ["2.5.8-rc.01"], ["2.5 .8"], [""]])(
    "%j is refused: R-VERSION-FORMAT on the caller's field, with the accepted forms as fix",
    (text) => {
      let err: unknown;
      try {
        parseMilvusVersion(text as string, "spec.version");
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(MilvusClusterError);
      const p = (err as MilvusClusterError).problems;
      expect(p.map((x) => [x.field, x.ruleId])).toEqual([["spec.version", "R-VERSION-FORMAT"]]);
      expect(p[0]!.fix).toContain("2.5.8");
      expect(p[0]!.message).toContain(String(text).trim());
      if (typeof text === "string") expect(isMilvusVersion(text)).toBe(false);
    },
  );

  it("names the field version when none is given", () => {
    try {
      parseMilvusVersion("latest");
      throw new Error("not refused");
    } catch (e) {
      expect((e as MilvusClusterError).problems[0]!.field).toBe("version");
    }
  });

  it("a number typed by a careless user is refused, not crashed on", () => {
    expect(() => parseMilvusVersion(2.5 as unknown as string)).toThrow(MilvusClusterError);
  });
});

describe("compareVersions", () => {
  it("sorts releases, pre-releases and -hotfix builds as the charts ship them", () => {
    const shuffled = ["2.4.14", "2.4.13-hotfix", "2.10.0", "2.4.13", "2.6.0-rc1", "2.0.0-rc5-hotfix1", "2.0.0", "2.4.13-rc1", "2.0.0-rc5", "2.6.0", "v2.4.12"];
    expect([...shuffled].sort(compareVersions)).toEqual(["2.0.0-rc5", "2.0.0-rc5-hotfix1", "2.0.0", "v2.4.12", "2.4.13-rc1", "2.4.13", "2.4.13-hotfix", "2.4.14", "2.6.0-rc1", "2.6.0", "2.10.0"]);
  });

  it.each<[string, string, number]>([
    ["2.4.13-hotfix", "2.4.13", 1],
    ["2.4.13", "2.4.13-hotfix", -1],
    ["2.4.13-hotfix", "2.4.14", -1],
    ["2.4.14", "2.4.13-hotfix", 1],
    ["2.4.13-hotfix", "2.4.12-hotfix", 1],
    ["2.4.13-hotfix2", "2.4.13-hotfix1", 1],
    ["2.4.13-hotfix", "2.4.13-hotfix", 0],
    ["2.4.13-hotfix", "v2.4.13-hotfix", 0],
    ["2.4.13-hotfix", "2.4.13-rc1", 1],
    ["2.4.13-rc1", "2.4.13-hotfix", -1],
    ["2.5.8", "v2.5.8", 0],
    ["2.5.10", "2.5.9", 1],
  ])("%s vs %s: %d", (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  it("throws a TypeError for a string that is not a version (a programming error, never user input)", () => {
    expect(() => compareVersions("latest", "2.5.8")).toThrow(TypeError);
    expect(() => compareVersions("2.5.8", "nope")).toThrow(/Invalid Version: nope/);
  });

  it("drops only a leading v: a v inside the pre-release part is part of the version", () => {
    expect(compareVersions("2.5.8-dev", "2.5.8-de")).toBeGreaterThan(0);
    expect(compareVersions("v2.5.8-v", "2.5.8-v")).toBe(0);
  });

  it("gives the same answer on a second call (parsed versions are cached)", () => {
    expect(compareVersions("2.4.13-hotfix", "2.4.13")).toBeGreaterThan(0);
    expect(compareVersions("2.4.13-hotfix", "2.4.13")).toBeGreaterThan(0);
    expect(compareVersions("2.4.13", "2.4.13-hotfix")).toBeLessThan(0);
  });
});

describe("isHotfix, minorOf, inRange", () => {
  it.each<[string, boolean]>([
    ["2.4.13-hotfix", true],
    ["v2.4.13-HOTFIX", true],
    ["2.4.13", false],
    ["2.0.0-rc5-hotfix1", false],
    ["2.4.13-rc1", false],
  ])("isHotfix(%s) = %s", (v, expected) => {
    expect(isHotfix(v)).toBe(expected);
  });

  it.each<[string, string]>([
    ["2.5.16", "2.5"],
    ["v2.6.0-rc1", "2.6"],
    ["10.20.30", "10.20"],
    ["2.6.0-v", "2.6"],
  ])("minorOf(%s) = %s", (v, minor) => {
    expect(minorOf(v)).toBe(minor);
  });

  it("minorOf refuses a non-version", () => {
    expect(() => minorOf("2.5")).toThrow(/not a version: 2\.5/);
  });

  it.each<[string, string | undefined, string | undefined, boolean]>([
    ["4.2.21", "4.2.21", "4.2.29", true],
    ["4.2.29", "4.2.21", "4.2.29", true],
    ["4.2.20", "4.2.21", "4.2.29", false],
    ["4.2.30", "4.2.21", "4.2.29", false],
    ["4.2.0", "4.2.0", undefined, true],
    ["4.1.36", "4.2.0", undefined, false],
    ["9.9.9", undefined, undefined, true],
    ["1.0.0", undefined, "1.0.0", true],
    ["1.0.1", undefined, "1.0.0", false],
  ])("inRange(%s, %s, %s) = %s (inclusive at both ends)", (v, low, high, expected) => {
    expect(inRange(v, low, high)).toBe(expected);
  });
});
