/**
 * The pure part of the migration state (migration-state.ts): reading the state ConfigMap, the replica record, the
 * annotate arguments and the placeholder filling, table-driven.
 */
import { MIGRATION_ANNOTATIONS, MIGRATION_FILES, MIGRATION_PLACEHOLDERS, migrationManifests, resolveMigrationOptions } from "../../src/executor";
import { annotateArgs, fillPlaceholders, formatReplicas, parseMigrationState, parseReplicas } from "../../src/executor/migration-state";

const A = MIGRATION_ANNOTATIONS;
const VALID = {
  [A.sourceVersion]: "2.1.4",
  [A.sourceRevision]: "3",
  [A.sourceTag]: "v2.1.4",
  [A.targetVersion]: "2.2.0",
};

function configMap(annotations: Record<string, unknown>, replicas: unknown = "a=1 b=2"): unknown {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x-meta-migration-state", annotations }, data: { replicas } };
}

describe("parseMigrationState", () => {
  it("reads a fresh record: source, replicas, no phase done", () => {
    expect(parseMigrationState(configMap(VALID))).toEqual({
      ok: true,
      state: { sourceVersion: "2.1.4", sourceRevision: "3", sourceTag: "v2.1.4", replicas: "a=1 b=2", backup: "", migrate: "", upgraded: "", complete: "" },
    });
  });

  it("reads every phase mark", () => {
    const r = parseMigrationState(configMap({ ...VALID, [A.backup]: "stale", [A.migrate]: "rolled-back", [A.upgraded]: "done", [A.complete]: "done" }));
    expect(r).toMatchObject({ ok: true, state: { backup: "stale", migrate: "rolled-back", upgraded: "done", complete: "done" } });
  });

  it.each<[string, Record<string, unknown>, unknown, string[]]>([
    ["replicas edited by hand", VALID, "querynode=3; reboot", ["data.replicas"]],
    ["no replicas", VALID, null, ["data.replicas"]],
    ["a source version with a v", { ...VALID, [A.sourceVersion]: "v2.1.4" }, "a=1", [A.sourceVersion]],
    ["a revision that is no number", { ...VALID, [A.sourceRevision]: "3; rm" }, "a=1", [A.sourceRevision]],
    ["a tag with a space", { ...VALID, [A.sourceTag]: "v2.1.4 x" }, "a=1", [A.sourceTag]],
    ["an unknown backup mark", { ...VALID, [A.backup]: "yes" }, "a=1", [A.backup]],
    ["an unknown migrate mark", { ...VALID, [A.migrate]: "halfway" }, "a=1", [A.migrate]],
    ["an unknown upgraded mark", { ...VALID, [A.upgraded]: "true" }, "a=1", [A.upgraded]],
    ["an unknown complete mark", { ...VALID, [A.complete]: "DONE" }, "a=1", [A.complete]],
    ["a mark that is no string reads as absent (the API stores only strings)", { ...VALID, [A.complete]: 1 }, "a=1", []],
    ["no annotations at all", {}, "a=1", [A.sourceVersion, A.sourceRevision, A.sourceTag]],
  ])("%s", (_what, annotations, replicas, invalid) => {
    const r = parseMigrationState(configMap(annotations, replicas));
    if (invalid.length === 0) expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, invalid });
  });

  it("refuses what is no ConfigMap", () => {
    for (const v of [null, "text", [], 42]) expect(parseMigrationState(v).ok).toBe(false);
  });
});

describe("the replica record", () => {
  it.each([["a=1"], ["my-milvus-milvus-proxy=2 my-milvus-milvus-querynode=12"], [""]])("%j round-trips", (text) => {
    expect(formatReplicas(parseReplicas(text))).toBe(text);
  });

  it("keeps the counts as numbers", () => {
    expect(parseReplicas("a=0 b.c=3")).toEqual([
      { name: "a", replicas: 0 },
      { name: "b.c", replicas: 3 },
    ]);
  });
});

describe("annotateArgs", () => {
  it("sets with key=value and removes with key-", () => {
    expect(annotateArgs({ backup: "stale", complete: null, migrate: "rolled-back" })).toEqual([`${A.backup}=stale`, `${A.complete}-`, `${A.migrate}=rolled-back`]);
  });
});

describe("fillPlaceholders", () => {
  const manifests = migrationManifests({ releaseName: "my-milvus", namespace: "milvus", targetVersion: "2.2.0", jobDeadlineSeconds: 900, migration: resolveMigrationOptions(undefined) });

  it("fills the tool configs (YAML text inside the ConfigMap) and nothing else", () => {
    const tools = manifests[MIGRATION_FILES.toolConfig]!;
    const filled = fillPlaceholders(tools, { etcdEndpoint: "my-milvus-etcd:2379", sourceVersion: "2.1.4" }) as { data: Record<string, string> };
    expect(JSON.stringify(filled)).not.toMatch(/@[A-Z_]+@/);
    expect(filled.data["migration.yaml"]).toContain('- "my-milvus-etcd:2379"');
    expect(filled.data["migration.yaml"]).toContain('sourceVersion: "2.1.4"');
    // The input is not changed.
    expect(JSON.stringify(tools)).toContain(MIGRATION_PLACEHOLDERS.etcdEndpoint);
  });

  it("refuses to leave a placeholder it meets without a value", () => {
    expect(() => fillPlaceholders(manifests[MIGRATION_FILES.toolConfig], { sourceVersion: "2.1.4" })).toThrow(/no value for @ETCD_ENDPOINT@/);
    expect(() => fillPlaceholders(manifests[MIGRATION_FILES.state], { replicas: "a=1", sourceVersion: "2.1.4", sourceRevision: "1", sourceTag: "" })).toThrow(/@SOURCE_TAG@/);
  });

  it("leaves manifests without placeholders as they are", () => {
    expect(fillPlaceholders(manifests[MIGRATION_FILES.backupJob], {})).toEqual(manifests[MIGRATION_FILES.backupJob]);
  });
});
