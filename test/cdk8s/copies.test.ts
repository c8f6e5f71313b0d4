import { App, Chart } from "cdk8s";
import { MilvusCluster } from "../../src/cdk8s";
import { DuplicatePeerDependencyError } from "../../src/util/peers";

// `npm install <folder>` symlinks the library, which then loads the folder's own copy of cdk8s while the app uses
// its own. jest.isolateModules loads such a second copy in-process; the consumer test does it with a real folder.
describe("two copies of cdk8s", () => {
  function otherCopy(): typeof import("cdk8s") {
    let copy: typeof import("cdk8s") | undefined;
    jest.isolateModules(() => {
      copy = require("cdk8s");
    });
    return copy!;
  }

  it("a Chart of another cdk8s copy is refused at construction, saying what to do", () => {
    const other = otherCopy();
    expect(other.Chart).not.toBe(Chart);
    const make = () => new MilvusCluster(new other.Chart(new other.App(), "c", { namespace: "milvus" }), "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar" });
    expect(make).toThrow(DuplicatePeerDependencyError);
    expect(make).toThrow(/two different copies of cdk8s .*npm install --install-links <folder>/);
  });

  it("without the check, that app fails only in app.synth() (the crash the check prevents)", () => {
    const other = otherCopy();
    const app = new other.App({ outdir: "/nonexistent-never-written" });
    const chart = new other.Chart(app, "c", { namespace: "milvus" });
    // A plain cdk8s object of our copy with a Lazy value inside another copy's Chart: what the construct would add.
    const { ApiObject, Lazy } = require("cdk8s") as typeof import("cdk8s");
    new ApiObject(chart, "o", { apiVersion: "v1", kind: "ConfigMap", data: { x: Lazy.any({ produce: () => "y" }) } });
    expect(() => other.Testing.synth(chart)).toThrow(/can't render non-simple object of type 'Lazy'/);
  });

  it("a Chart of the same copy is accepted", () => {
    const chart = new Chart(new App(), "c", { namespace: "milvus" });
    expect(new MilvusCluster(chart, "milvus", { version: "2.6.4", from: "2.5.8", messageQueue: "pulsar" }).jobName).toMatch(/^milvus-upgrade-/);
  });
});
