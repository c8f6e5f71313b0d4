/**
 * cdk8s errors name the prop the user wrote (issue #14): `executorImage`, not the Job model's `image`; a bad
 * `chartPath` is refused before helm runs; a helm failure is one short line naming the prop, not helm's whole output.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Chart, Testing } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";
import { helmProcess } from "../../src/cdk8s/render";
import { errorOf } from "./support";

const chartIn = () => new Chart(Testing.app(), "test", { namespace: "milvus" });

afterEach(() => jest.restoreAllMocks());

describe("cdk8s errors name the prop the user wrote", () => {
  it.each(["Alpine/K8s:1.31", "alpine/k8s:1.31:2", "alpine/k8s:1.31;id"])("executorImage %s", (image) => {
    const e = errorOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.8", executorImage: image }));
    expect(e.problems.map((p) => p.field)).toEqual(["executorImage"]);
    expect(e.message).not.toMatch(/- image:/);
  });

  it("a chartPath that is neither a chart directory nor a .tgz is refused before helm runs, per step", () => {
    const spawn = jest.spyOn(helmProcess, "spawnSync");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-chartpath-"));
    fs.mkdirSync(path.join(dir, "4.2.58"));
    fs.writeFileSync(path.join(dir, "4.2.58", "Chart.yaml"), "name: milvus\nversion: 4.2.58\n");
    const e = errorOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar", renderMode: "render", stages: true, chartPath: path.join(dir, "{chartVersion}") }));
    expect(spawn).not.toHaveBeenCalled();
    expect(e.problems).toEqual([expect.objectContaining({ field: "chartPath", ruleId: "R-INPUT" })]);
    expect(e.problems[0]!.message).toContain("chart 5.0.6");
    expect(e.message.length).toBeLessThan(600);
  });

  it("a helm failure is one short error naming chartPath, not helm's raw output", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mc-chartpath-"));
    fs.writeFileSync(path.join(dir, "Chart.yaml"), "not: a chart\n");
    const noise = `${"walk.go:74: found symbolic link in path\n".repeat(200)}Error: validation: chart.metadata.name is required\n`;
    jest.spyOn(helmProcess, "spawnSync").mockReturnValue({ pid: 0, output: [], stdout: Buffer.from(""), stderr: Buffer.from(noise), status: 1, signal: null } as unknown as ReturnType<typeof helmProcess.spawnSync>);
    const e = errorOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", chartPath: dir }));
    expect(e.problems).toEqual([expect.objectContaining({ field: "chartPath", ruleId: "R-INPUT" })]);
    expect(e.problems[0]!.message).toContain("chart.metadata.name is required");
    expect(e.message.length).toBeLessThan(800);
  });

  it("helm that cannot be run names helmExecutable", () => {
    const e = errorOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", helmExecutable: "/nonexistent/helm" }));
    expect(e.problems.map((p) => p.field)).toEqual(["helmExecutable"]);
  });
});
