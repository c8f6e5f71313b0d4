import { MilvusClusterError, UpgradeRefusedError, candidateStops, planUpgrade, type PlanRequest, type UpgradePlan } from "../../src";

const summary = (p: UpgradePlan) => p.steps.map((s) => `${s.milvusVersion}@${s.chartVersion}:${s.action}:${s.downtime}:${s.ruleIds[0]}`);

describe("golden plans (the docs' own examples)", () => {
  it.each<[string, PlanRequest, string[]]>([
    [
      "2.5.x with separate coordinators -> 2.6.4",
      { from: { version: "2.5.8", coordinators: "separate" }, to: "2.6.4" },
      ["2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516", "2.6.4@5.0.6:helm-upgrade:rolling:R-TARGET"],
    ],
    [
      "2.5.x already on mixCoordinator -> 2.6.4",
      { from: { version: "2.5.8", coordinators: "mixed" }, to: "2.6.4" },
      ["2.5.16@4.2.58:helm-upgrade:rolling:R-26-VIA-2516", "2.6.4@5.0.6:helm-upgrade:rolling:R-TARGET"],
    ],
    ["2.5.16 with mixCoordinator -> 2.6.4 needs no stop", { from: { version: "2.5.16", coordinators: "mixed" }, to: "2.6.4" }, ["2.6.4@5.0.6:helm-upgrade:rolling:R-TARGET"]],
    [
      "2.5.16 with separate coordinators -> 2.6.4 stops at 2.5.16 to switch topology",
      { from: { version: "2.5.16", coordinators: "separate" }, to: "2.6.4" },
      ["2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516", "2.6.4@5.0.6:helm-upgrade:rolling:R-TARGET"],
    ],
    ["2.1.4 -> 2.2.0", { from: "2.1.4", to: "2.2.0" }, ["2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION"]],
    ["2.1.4 -> 2.2.14", { from: "2.1.4", to: "2.2.14" }, ["2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION", "2.2.14@4.0.34:helm-upgrade:recreate:R-TARGET"]],
    ["2.2.3+ -> 2.4.x rolling", { from: "2.2.3", to: "2.4.5" }, ["2.4.5@4.1.36:helm-upgrade:rolling:R-TARGET"]],
    ["2.2.2 -> 2.4.x recreate (before 2.2.3)", { from: "2.2.2", to: "2.4.5" }, ["2.4.5@4.1.36:helm-upgrade:recreate:R-TARGET"]],
    ["fresh install of 2.6.x", { to: "2.6.4" }, ["2.6.4@5.0.6:install:none:R-INSTALL"]],
    [
      "2.0.2 -> 2.6.4 crosses every gate",
      { from: "2.0.2", to: "2.6.4" },
      [
        "2.1.4@3.2.18:helm-upgrade:recreate:R-META-SOURCE",
        "2.2.0@3.3.6:meta-migration:offline:R-META-MIGRATION",
        "2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516",
        "2.6.4@5.0.6:helm-upgrade:rolling:R-TARGET",
      ],
    ],
    ["standalone 2.5.8 -> 2.6.4", { from: { version: "2.5.8", mode: "standalone", messageQueue: "rocksmq" }, to: "2.6.4" }, ["2.5.16@4.2.58:helm-upgrade:recreate:R-26-VIA-2516", "2.6.4@5.0.6:helm-upgrade:recreate:R-TARGET"]],
    ["Pulsar v2 2.4.16 -> 2.5.0 skips charts 4.2.21-4.2.29", { from: { version: "2.4.16", messageQueue: "pulsar" }, to: "2.5.0" }, ["2.5.0@4.2.33:helm-upgrade:rolling:R-TARGET"]],
  ])("%s", (_name, request, expected) => {
    const plan = planUpgrade(request);
    expect(summary(plan)).toEqual(expected);
    expect(plan.steps[plan.steps.length - 1]!.milvusVersion).toBe(plan.to);
  });

  it("the 2.5.16 stop carries exactly the documented values", () => {
    const [stop, target] = planUpgrade({ from: { version: "2.5.8", coordinators: "separate", messageQueue: "pulsar" }, to: "2.6.4" }).steps;
    expect(stop!.values).toMatchObject({
      image: { all: { tag: "v2.5.16" } },
      mixCoordinator: { enabled: true },
      rootCoordinator: { enabled: false },
      queryCoordinator: { enabled: false },
      dataCoordinator: { enabled: false },
      indexCoordinator: { enabled: false },
      pulsar: { enabled: true },
      pulsarv3: { enabled: false },
    });
    expect(target!.values).toMatchObject({
      image: { all: { tag: "v2.6.4" } },
      streaming: { enabled: true },
      indexNode: { enabled: false },
      pulsar: { enabled: true },
      pulsarv3: { enabled: false },
    });
    expect(stop!.reversible).toBe(true);
    expect(target!.reversible).toBe(false);
    expect(target!.reason).toMatch(/R-26-TOPOLOGY/);
  });

  it("accepts an explicit chart of the same minor with the image overridden (as the docs do: 5.0.0 + v2.6.4)", () => {
    const [step] = planUpgrade({ to: { version: "2.6.4", chartVersion: "5.0.0" } }).steps;
    expect(step!.chartVersion).toBe("5.0.0");
    expect(step!.values).toMatchObject({ image: { all: { tag: "v2.6.4" } } });
  });

  it("says what it assumed about the deployed release", () => {
    const plan = planUpgrade({ from: "2.4.5", to: "2.5.8" });
    expect(plan.warnings.join("\n")).toMatch(/Assumed the deployed 2.4.5 release \(chart 4.1.36\).*message queue pulsar, separate coordinators/);
    expect(plan.steps[0]!.values).toMatchObject({ pulsar: { enabled: true }, pulsarv3: { enabled: false }, mixCoordinator: { enabled: false } });
  });

  it("warns about the milvus-io repository move", () => {
    const plan = planUpgrade({ from: { version: "2.2.13", repository: "https://milvus-io.github.io/milvus-helm/" }, to: "2.2.14" });
    expect(plan.warnings.join("\n")).toMatch(/R-REPO-MOVE/);
    expect(plan.steps[0]!.chartRepository).toBe("https://zilliztech.github.io/milvus-helm");
  });
});

describe("refusals", () => {
  it.each<[string, PlanRequest, string, string]>([
    ["2.6.0-rc1 source", { from: "2.6.0-rc1", to: "2.6.4" }, "R-PRERELEASE-SOURCE", "from"],
    ["any pre-release source", { from: "2.5.0-beta", to: "2.5.8" }, "R-PRERELEASE-SOURCE", "from"],
    ["downgrade", { from: "2.6.4", to: "2.5.16" }, "R-DOWNGRADE", "to"],
    ["GA onto pre-release", { from: "2.2.2", to: "2.3.0-beta" }, "R-PRERELEASE-TARGET", "to"],
    ["Milvus 1.x", { from: "1.1.1", to: "2.0.2" }, "R-MILVUS-1X", "from"],
    ["MQ switch (Pulsar v2 -> v3)", { from: { version: "2.5.8", messageQueue: "pulsar" }, to: { version: "2.6.4", messageQueue: "pulsarv3" } }, "R-MQ-KEEP", "messageQueue"],
    ["MQ switch (pulsar -> kafka)", { from: { version: "2.4.5", messageQueue: "pulsar" }, to: { version: "2.4.5", messageQueue: "kafka" } }, "R-MQ-KEEP", "messageQueue"],
    ["standalone -> cluster", { from: { version: "2.5.8", mode: "standalone", messageQueue: "rocksmq" }, to: { version: "2.6.4", mode: "cluster" } }, "R-MODE-KEEP", "mode"],
    ["cluster -> standalone", { from: { version: "2.5.8" }, to: { version: "2.5.8", mode: "standalone" } }, "R-MODE-KEEP", "mode"],
  ])("refuses %s with %s", (_n, request, ruleId, field) => {
    let error: unknown;
    try {
      planUpgrade(request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UpgradeRefusedError);
    const p = (error as UpgradeRefusedError).problems[0]!;
    expect(p.ruleId).toBe(ruleId);
    expect(p.field).toBe(field);
    expect(p.fix.length).toBeGreaterThan(10);
  });

  it.each<[string, PlanRequest, string]>([
    ["Pulsar v2 onto charts 4.2.21-4.2.29", { from: { version: "2.4.16", messageQueue: "pulsar" }, to: "2.4.17" }, "R-PULSAR2-CHARTS"],
    ["explicit chart in 4.2.21-4.2.29 for Pulsar v2", { from: { version: "2.4.15", messageQueue: "pulsar" }, to: { version: "2.4.16", chartVersion: "4.2.22" } }, "R-PULSAR2-CHARTS"],
    ["Milvus 2.3 on chart >= 4.2.0", { from: "2.3.5", to: { version: "2.3.21", chartVersion: "4.2.0" } }, "R-23-CHART"],
    ["separate coordinators on 2.6", { from: "2.5.16", to: { version: "2.6.4", coordinators: "separate" } }, "R-26-TOPOLOGY"],
    ["indexNode settings on 2.6", { from: "2.5.16", to: { version: "2.6.4", indexNode: { replicas: 2 } } }, "R-26-TOPOLOGY"],
    ["unknown version", { to: "2.5.99" }, "R-KNOWN-VERSION"],
    ["explicit chart of another minor", { to: { version: "2.6.4", chartVersion: "4.2.58" } }, "R-CHART-MINOR"],
    ["malformed version", { to: "2.6" }, "R-VERSION-FORMAT"],
    ["rocksmq in cluster mode", { to: { version: "2.5.8", messageQueue: "rocksmq" } }, "R-MQ-SUPPORT"],
    ["woodpecker before 2.6", { to: { version: "2.5.8", messageQueue: "woodpecker" } }, "R-MQ-SUPPORT"],
    ["pulsarv3 before chart 4.2.21", { to: { version: "2.4.5", messageQueue: "pulsarv3" } }, "R-MQ-SUPPORT"],
  ])("rejects %s with %s", (_n, request, ruleId) => {
    expect(() => planUpgrade(request)).toThrow(MilvusClusterError);
    try {
      planUpgrade(request);
    } catch (e) {
      expect((e as MilvusClusterError).ruleIds).toContain(ruleId);
    }
  });
});

describe("candidate stops", () => {
  it("are every gate stop below the target, in order, without the target itself", () => {
    const stops = candidateStops({ version: "2.6.4", messageQueue: "pulsar" });
    expect(stops.map((s) => `${s.milvusVersion}:${s.action}`)).toEqual(["2.1.4:helm-upgrade", "2.2.0:meta-migration", "2.5.16:helm-upgrade"]);
  });

  it("leave out stops no release with this MQ can be below (Pulsar v3 did not exist on 2.1)", () => {
    expect(candidateStops({ version: "2.6.4", messageQueue: "pulsarv3" }).map((s) => s.milvusVersion)).toEqual(["2.5.16"]);
  });

  it("include the 2.2.0 migration when 2.2.0 is the target", () => {
    expect(candidateStops({ version: "2.2.0" }).map((s) => s.action)).toEqual(["helm-upgrade", "meta-migration"]);
  });

  it("skip milvusConfig on stops whose chart has no extraConfigFiles, and say so", () => {
    const stops = candidateStops({ version: "2.6.4", messageQueue: "pulsar", milvusConfig: { common: { retentionDuration: 60 } } });
    expect(stops[0]!.values).not.toHaveProperty("extraConfigFiles");
    expect(stops[0]!.reason).toMatch(/milvusConfig not applied/);
    expect(stops[2]!.values).toHaveProperty(["extraConfigFiles", "user.yaml"]);
  });
});
