import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog";
import { renderExecutor } from "../executor";
import type { ExecutorBundle, MigrationOptions } from "../executor/types";
import { candidateStops, planUpgrade } from "../plan/plan";
import type { UpgradeStep } from "../plan/types";
import type { MilvusSpec } from "../spec/types";

/** Options of `milvus-cluster apply`. */
export interface ApplyOptions {
  /** Release name. */
  readonly release: string;
  /** Namespace. */
  readonly namespace: string;
  /** Target spec. */
  readonly spec: MilvusSpec;
  /** Seconds per helm upgrade and per health gate. @default 900 */
  readonly timeoutSeconds?: number;
  /** Refuse unless the live release runs exactly this version. @default unset */
  readonly expectedFrom?: string;
  /** Roll a failed step back. @default false */
  readonly rollbackOnFailure?: boolean;
  /** Install over leftover volume claims of a missing release. @default false */
  readonly allowExistingData?: boolean;
  /** Chart repository override (https mirror or oci://). @default the catalog's repository */
  readonly chartRepository?: string;
  /** Only print what would run against the live release. @default false */
  readonly dryRun?: boolean;
  /** Settings of the metadata migration step (2.1.x -> 2.2.x). @default every MigrationOptions default */
  readonly migration?: MigrationOptions;
  /**
   * Run no step: roll back the metadata migration recorded by an earlier run (restore the metadata from the backup,
   * helm rollback to the 2.1 revision, restore the recorded replicas, health gate).
   * @default false
   */
  readonly rollbackMigration?: boolean;
  /** The chart catalog to plan with (the built-in one plus an overlay). @default Catalog.builtin */
  readonly catalog?: Catalog;
}

/**
 * The steps `apply` hands to the executor: with `expectedFrom`, the exact plan from that version; otherwise every
 * candidate stop below the target followed by the target itself (the executor skips what the live release passed).
 */
export function applySteps(o: Pick<ApplyOptions, "spec" | "expectedFrom" | "catalog">): UpgradeStep[] {
  if (o.expectedFrom) return planUpgrade({ from: o.expectedFrom, to: o.spec, catalog: o.catalog }).steps;
  const target = planUpgrade({ to: o.spec, catalog: o.catalog }).steps;
  return [...candidateStops(o.spec, { catalog: o.catalog }), ...target];
}

/** Renders the executor bundle for `apply`. */
export function applyBundle(o: ApplyOptions): ExecutorBundle {
  return renderExecutor({
    releaseName: o.release,
    namespace: o.namespace,
    steps: applySteps(o),
    targetVersion: o.spec.version,
    includesFinalStep: true,
    expectedFrom: o.expectedFrom,
    stepTimeoutSeconds: o.timeoutSeconds,
    rollbackOnFailure: o.rollbackOnFailure,
    allowExistingData: o.allowExistingData,
    chartRepository: o.chartRepository,
    migration: o.migration,
    operation: o.rollbackMigration ? "rollback-migration" : "upgrade",
  });
}

/**
 * Runs the executor locally with helm and kubectl from PATH (or HELM_BIN / KUBECTL_BIN): writes the script, the
 * values files and (for a plan through the 2.2 metadata migration) the migration manifests into a private temporary
 * directory, runs `sh upgrade.sh` (argument array, no shell string), streams
 * its output and returns its exit code. The directory is removed afterwards.
 */
export async function runApply(o: ApplyOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const bundle = applyBundle(o);
  const dir = await mkdtemp(join(tmpdir(), "milvus-cluster-apply-"));
  try {
    await writeFile(join(dir, "upgrade.sh"), bundle.script, { mode: 0o700 });
    for (const [name, text] of Object.entries(bundle.files)) await writeFile(join(dir, name), text, { mode: 0o600 });
    return await new Promise<number>((resolve, reject) => {
      const child = spawn("/bin/sh", [join(dir, "upgrade.sh")], {
        env: { ...process.env, MILVUS_EXECUTOR_DIR: dir, ...(o.dryRun ? { MILVUS_EXECUTOR_DRY_RUN: "1" } : {}) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (d: Buffer) => out(d.toString()));
      child.stderr.on("data", (d: Buffer) => err(d.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
