import { MilvusClusterError, compareVersions, parseMilvusVersion } from "../../src";

describe("parseMilvusVersion", () => {
  it.each([
    ["2.5.8", "2.5.8", false],
    ["v2.5.8", "2.5.8", false],
    ["2.6.0-rc1", "2.6.0-rc1", true],
    ["2.5.0-beta", "2.5.0-beta", true],
    [" v2.6.4 ", "2.6.4", false],
    ["2.4.13-hotfix", "2.4.13-hotfix", false],
  ])("accepts %p as %p (pre-release %p)", (input, version, pre) => {
    const v = parseMilvusVersion(input);
    expect(v.version).toBe(version);
    expect(v.prerelease).toBe(pre);
  });

  it.each(["2.5", "latest", "2.5.8.1", "", "v", "2.x.1", "02.5.8", "2.5.8-", "2.5.8;rm -rf /"])("refuses %p naming input and accepted forms", (input) => {
    expect(() => parseMilvusVersion(input, "to")).toThrow(MilvusClusterError);
    try {
      parseMilvusVersion(input, "to");
    } catch (e) {
      const err = e as MilvusClusterError;
      expect(err.problems[0]!.field).toBe("to");
      expect(err.problems[0]!.ruleId).toBe("R-VERSION-FORMAT");
      expect(err.message).toContain(JSON.stringify(input.trim()));
      expect(err.message).toContain("2.6.0-rc1");
    }
  });

  it("orders versions by semver", () => {
    expect(["2.6.4", "2.5.16", "2.6.0-rc1", "2.10.0"].sort(compareVersions)).toEqual(["2.5.16", "2.6.0-rc1", "2.6.4", "2.10.0"]);
  });
});
