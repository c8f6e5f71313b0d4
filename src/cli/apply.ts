import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog";
import { renderExecutor } from "../executor";
import { ProcessClusterClient } from "../executor/cluster-client";
import { streamReporter } from "../executor/reporter";
import { runExecutor } from "../executor/run";
import type { ExecutorBundle, MigrationOptions } from "../executor/types";
import { candidateStops, planUpgrade } from "../plan/plan";
import { MilvusClusterError } from "../errors";
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
  /** Only print what would run against the live release; the bundle directory is kept so the named files exist. @default false */
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

/**
 * The `apply` flag behind each executor option (`renderExecutor`'s field names), so that an error names what the user
 * typed: `--release`, not `releaseName`.
 */
export const APPLY_FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  releaseName: "--release",
  namespace: "--namespace",
  targetVersion: "--to",
  expectedFrom: "--expected-from",
  stepTimeoutSeconds: "--timeout",
  chartRepository: "--chart-repository",
  "migration.etcdEndpoint": "--etcd-endpoint",
  "migration.rootPath": "--root-path",
  "migration.storageClass": "--storage-class",
  "migration.image": "--migration-image",
  "migration.sessionWaitSeconds": "--session-wait",
  "migration.backupSize": "--backup-size",
};

/** Renders the executor bundle for `apply`; invalid options are refused naming the flag that set them. */
export function applyBundle(o: ApplyOptions): ExecutorBundle {
  try {
    return renderApplyBundle(o);
  } catch (e) {
    if (!(e instanceof MilvusClusterError) || e.constructor !== MilvusClusterError) throw e;
    throw new MilvusClusterError(
      e.problems.map((p) => ({ ...p, field: APPLY_FLAG_OF_FIELD[p.field] ?? p.field })),
      "invalid apply options",
    );
  }
}

function renderApplyBundle(o: ApplyOptions): ExecutorBundle {
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
 * Runs the executor in this process (`runExecutor`) with helm and kubectl from PATH (or HELM_BIN / KUBECTL_BIN),
 * called with argument arrays, no shell: writes `plan.json`, the values files and (for a plan through the 2.2
 * metadata migration) the migration manifests into a private temporary directory (mode 0700, files 0600), streams
 * progress to `out` and notes and errors to `err`, and returns the executor's exit code. The directory is removed
 * afterwards, except after a dry run, which names the values files it would apply: they stay, and the last line says
 * where.
 */
export async function runApply(o: ApplyOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const bundle = applyBundle(o);
  const dir = await mkdtemp(join(tmpdir(), "milvus-cluster-apply-"));
  let keep = false;
  try {
    for (const [name, text] of Object.entries(bundle.files)) await writeFile(join(dir, name), text, { mode: 0o600 });
    const code = await runExecutor({ dir, client: new ProcessClusterClient(), reporter: streamReporter(out, err), dryRun: o.dryRun === true });
    if (o.dryRun && code === 0) {
      keep = true;
      out(`the plan and values files named above are kept in ${dir} (remove it when done)\n`);
    }
    return code;
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}
