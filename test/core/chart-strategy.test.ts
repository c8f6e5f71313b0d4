/**
 * The coordinator strategy fact behind R-ROLLING / R-RECREATE, checked against the real chart history: every chart
 * tag of zilliztech/milvus-helm from 3.0.0 renders the root, query, data, index and mix coordinators with an
 * unconditional `strategy: Recreate` before COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART (4.1.22), and from there
 * only without `<coord>.activeStandby.enabled`. Needs the bare mirror (MILVUS_HELM_GIT, default
 * /work/.mirror/zilliztech+milvus-helm/repo); skipped without it.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { compareVersions } from "../../src";
import { COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART } from "../../src/rules/tables";

const GIT_DIR = process.env["MILVUS_HELM_GIT"] ?? "/work/.mirror/zilliztech+milvus-helm/repo";
const COORDINATORS = ["rootcoord", "querycoord", "datacoord", "indexcoord", "mixcoord"];
const run = existsSync(GIT_DIR) ? describe : describe.skip;

/** Reads many blobs with one `git cat-file --batch` process. */
function readBlobs(specs: string[]): Map<string, string | undefined> {
  const out = execFileSync("git", ["--git-dir", GIT_DIR, "cat-file", "--batch"], { input: `${specs.join("\n")}\n`, maxBuffer: 512 * 1024 * 1024 });
  const result = new Map<string, string | undefined>();
  let pos = 0;
  for (const spec of specs) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString();
    pos = nl + 1;
    if (header.endsWith(" missing")) {
      result.set(spec, undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    result.set(spec, out.subarray(pos, pos + size).toString());
    pos += size + 1;
  }
  return result;
}

run("coordinator Deployment strategy in every chart tag (R-ROLLING)", () => {
  it(`is an unconditional Recreate before ${COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART}, conditional on activeStandby from it`, () => {
    const tags = execFileSync("git", ["--git-dir", GIT_DIR, "tag", "-l", "milvus-[345].*"]).toString().split("\n").filter((t) => /^milvus-\d+\.\d+\.\d+$/.test(t));
    expect(tags.length).toBeGreaterThan(200);
    const specs = tags.flatMap((t) => COORDINATORS.map((c) => `${t}:charts/milvus/templates/${c}-deployment.yaml`));
    const blobs = readBlobs(specs);
    const wrong: string[] = [];
    let checked = 0;
    for (const t of tags) {
      const chart = t.slice("milvus-".length);
      const expectUnconditional = compareVersions(chart, COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART) < 0;
      for (const c of COORDINATORS) {
        const text = blobs.get(`${t}:charts/milvus/templates/${c}-deployment.yaml`);
        if (text === undefined || !text.includes("Recreate")) continue;
        checked++;
        // The strategy block of 4.1.22+: {{- if .Values.<coord>.activeStandby.enabled }} ... {{- else }} Recreate.
        const conditional = /if \.Values\.\w+\.activeStandby\.enabled\s*}}[\s\S]*strategy[\s\S]*else[\s\S]*Recreate/.test(text);
        if (conditional === expectUnconditional) wrong.push(`${chart} ${c}: ${conditional ? "conditional" : "unconditional"}`);
      }
    }
    expect(checked).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });
});
