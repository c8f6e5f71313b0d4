import { Chart, Testing } from "cdk8s";
import { MilvusCluster, type MilvusClusterProps } from "../../src/cdk8s";
import { MilvusClusterError, UpgradeRefusedError } from "../../src/errors";

function chartIn(namespace?: string): Chart {
  return new Chart(Testing.app(), "test", { namespace });
}

function problemsOf(f: () => unknown): { message: string; error: MilvusClusterError } {
  try {
    f();
  } catch (e) {
    if (e instanceof MilvusClusterError) return { message: e.message, error: e };
    throw e;
  }
  throw new Error("expected an error");
}

describe("MilvusCluster props validation", () => {
  test("every problem is listed at once, with the construct path, field, rule and fix", () => {
    const { message, error } = problemsOf(
      () =>
        new MilvusCluster(chartIn("milvus"), "milvus", {
          version: "2.6.x",
          mode: "clustr",
          renderMode: "helm",
          stepTimeoutSeconds: 0,
          queryNode: { replicas: -1 },
        }),
    );
    expect(message.split("\n")[0]).toBe("test/milvus: invalid MilvusCluster props:");
    expect(message).toContain('  - version: "2.6.x" is not a Milvus version [R-VERSION-FORMAT] Fix: use e.g. 2.6.4');
    expect(message).toContain('  - mode: "clustr" is not a mode [R-INPUT] Fix: use cluster or standalone');
    expect(message).toContain('  - renderMode: "helm" is not a render mode [R-INPUT] Fix: use one of: upgrade-job, render');
    expect(message).toContain("  - stepTimeoutSeconds: 0 is not a duration [R-INPUT] Fix: use whole seconds or minutes: 15m, 900s or 900");
    expect(message).toContain("  - queryNode.replicas: replicas must be a non-negative integer, got -1 [R-INPUT]");
    expect(error.problems.map((p) => p.field)).toEqual(["version", "mode", "queryNode.replicas", "renderMode", "stepTimeoutSeconds"]);
  });

  test("missing props report the missing version", () => {
    const none = undefined as unknown as MilvusClusterProps;
    expect(() => new MilvusCluster(chartIn(), "milvus", none)).toThrow(/- version: undefined is not a Milvus version \[R-VERSION-FORMAT\]/);
  });

  test("an unknown property is refused (a typo must not be ignored)", () => {
    const props = { version: "2.6.4", replicas: 3 } as unknown as MilvusClusterProps;
    expect(() => new MilvusCluster(chartIn(), "milvus", props)).toThrow(/- replicas: unknown property "replicas" \[R-INPUT\]/);
  });

  test("the release name defaults to the construct id, which must then be a valid release name", () => {
    expect(() => new MilvusCluster(chartIn(), "Milvus_DB", { version: "2.6.4" })).toThrow(
      /test\/Milvus_DB: invalid MilvusCluster props:\n {2}- releaseName: the construct id is the default release name "Milvus_DB" is not a DNS-1123 label.*\[R-INPUT\] Fix: set releaseName, or use a construct id/,
    );
    const ok = new MilvusCluster(chartIn(), "Milvus_DB", { version: "2.6.4", releaseName: "milvus-db" });
    expect(ok.releaseName).toBe("milvus-db");
    expect(() => new MilvusCluster(chartIn(), "x", { version: "2.6.4", releaseName: "a".repeat(54) })).toThrow(/releaseName: release name "a+" is 54 characters long; at most 53/);
  });

  test("the namespace defaults to the chart's namespace, else 'default'", () => {
    expect(new MilvusCluster(chartIn("vectors"), "milvus", { version: "2.6.4" }).namespace).toBe("vectors");
    expect(new MilvusCluster(chartIn(), "milvus", { version: "2.6.4" }).namespace).toBe("default");
    expect(new MilvusCluster(chartIn("vectors"), "milvus", { version: "2.6.4", namespace: "db" }).namespace).toBe("db");
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", namespace: "Bad_NS" })).toThrow(/- namespace: namespace "Bad_NS" is not a DNS-1123 label/);
  });

  test("settings of the other render mode are refused instead of ignored", () => {
    const job = problemsOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", stages: true, helmExecutable: "helm", chartPath: "./chart" }));
    expect(job.error.problems.map((p) => p.field)).toEqual(["stages", "helmExecutable", "chartPath"]);
    expect(job.message).toContain('stages: stages has no effect in renderMode upgrade-job [R-INPUT] Fix: remove stages, or set renderMode: "render"');
    const render = problemsOf(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", executorImage: "alpine/k8s:1.31.9", rollbackOnFailure: true }));
    expect(render.error.problems.map((p) => p.field)).toEqual(["executorImage", "rollbackOnFailure"]);
  });

  test("stages need from", () => {
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", renderMode: "render", stages: true })).toThrow(/- stages: stages need the deployed version to plan the stops \[R-INPUT\] Fix: set from/);
  });

  test("repository, image and from are checked", () => {
    const { error } = problemsOf(
      () =>
        new MilvusCluster(chartIn(), "milvus", {
          version: "2.6.4",
          from: "latest",
          chartRepository: "http://insecure.example.com/charts",
          executorImage: "alpine/k8s:1.31; rm -rf /",
        }),
    );
    expect(error.problems.map((p) => p.field)).toEqual(["from", "chartRepository", "executorImage"]);
  });

  test("refused upgrades name the rule and keep their error type", () => {
    let err: unknown;
    try {
      new MilvusCluster(chartIn(), "milvus", { version: "2.5.16", from: "2.6.4" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UpgradeRefusedError);
    expect((err as Error).message).toMatch(/^test\/milvus: upgrade refused:\n {2}- version: 2\.5\.16 is older than the deployed 2\.6\.4 \[R-DOWNGRADE\] Fix: /);
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", from: "2.6.0-rc1" })).toThrow(/\[R-PRERELEASE-SOURCE\]/);
  });

  test("spec problems found by the planner and valuesFor are reported with the construct path", () => {
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", coordinators: "separate" })).toThrow(/^test\/milvus: invalid MilvusCluster props:\n.*coordinators.*\[R-26-TOPOLOGY\]/);
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", indexNode: { replicas: 2 } })).toThrow(/^test\/milvus: invalid MilvusCluster props:\n.*indexNode/);
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", messageQueue: "external-kafka" })).toThrow(/externalKafka: messageQueue external-kafka needs externalKafka \[R-MQ-SUPPORT\]/);
  });

  test("credentials are only accepted as Secret references", () => {
    // A plain credential in helmValues or milvusConfig is refused by the core.
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", helmValues: { minio: { secretKey: "hunter2" } } })).toThrow(/minio\.secretKey/);
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", milvusConfig: { minio: { secretAccessKey: "hunter2" } } })).toThrow(/milvusConfig/);
    // External object storage without a Secret (and without IAM) is refused.
    expect(() => new MilvusCluster(chartIn(), "milvus", { version: "2.6.4", externalObjectStorage: { host: "s3.example.com", bucket: "milvus-data" } })).toThrow(
      /externalObjectStorage\.accessKeyId: external object storage needs credentials from a Secret/,
    );
  });
});
