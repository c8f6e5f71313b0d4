import { join } from "node:path";
import type { UpgradePlan } from "../plan/types";
import { yaml } from "../util/lazy-yaml";

/** Output formats of `milvus-cluster plan`. */
export const PLAN_FORMATS = ["table", "json", "commands", "mermaid"] as const;

/** One of `PLAN_FORMATS`. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Renders rows as a left-aligned text table. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The plan as a table, one row per step, then warnings. */
export function planTable(plan: UpgradePlan): string {
  const rows = plan.steps.map((s, i) => [
    String(i + 1),
    s.milvusVersion,
    s.chartVersion,
    s.chartRepository,
    s.action,
    s.downtime,
    s.reason,
  ]);
  const head = `${plan.from ? `Milvus ${plan.from} -> ${plan.to}` : `Fresh install of Milvus ${plan.to}`}: ${plan.steps.length} step${plan.steps.length === 1 ? "" : "s"}`;
  const table = textTable(["#", "Milvus", "chart", "repository", "action", "downtime", "why"], rows);
  const warnings = plan.warnings.map((w) => `warning: ${w}`);
  return [head, table, ...warnings].join("\n");
}

/** Options for the `commands` output. */
export interface CommandsOptions {
  /** Release name. */
  readonly release: string;
  /** Namespace. */
  readonly namespace: string;
  /** helm --timeout. */
  readonly timeout: string;
  /**
   * Absolute directory the values files were written to (`--write-values`): the `-f` paths point there. Without it
   * they are `step-N.yaml`, relative to the directory the commands are run in.
   */
  readonly valuesDir?: string;
  /**
   * Adds `--create-namespace` to the install step (`helm upgrade --install`).
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * The spec flags (`--mode`, `--mq`, `-f <absolute path>`, `--chart`) repeated on the `milvus-cluster apply` command
   * printed for a metadata migration, so it plans the same chain.
   * @default []
   */
  readonly specArgs?: readonly string[];
}

/** Quotes a word for POSIX sh when it has anything but safe characters. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The runnable commands of a plan: one `helm upgrade` per step, its values in `step-N.yaml` (written with
 * `--write-values`). A metadata migration (2.1 -> 2.2) is not a helm operation: the listing prints the
 * `milvus-cluster apply` command that runs it and every step after it, and stops there.
 */
export function planCommands(plan: UpgradePlan, o: CommandsOptions): string {
  const valuesFile = (i: number) => (o.valuesDir ? join(o.valuesDir, `step-${i + 1}.yaml`) : `step-${i + 1}.yaml`);
  const lines: string[] = [
    o.valuesDir
      ? `# Values files: written to ${o.valuesDir} (absolute paths below)`
      : "# Values files: step-N.yaml, relative to the directory you run these in (write them with milvus-cluster plan ... --write-values DIR)",
  ];
  for (const [i, s] of plan.steps.entries()) {
    if (s.action === "meta-migration") {
      const apply = ["milvus-cluster", "apply", "--release", o.release, "--namespace", o.namespace, "--to", plan.to];
      if (plan.from) apply.push("--expected-from", plan.from);
      apply.push(...(o.specArgs ?? []));
      lines.push(
        `# step ${i + 1}: offline metadata migration to ${s.milvusVersion} (${s.ruleIds.join(", ")}): not a helm upgrade. Helm alone would start`,
        `# Milvus ${s.milvusVersion} on 2.1 metadata. This runs the migration (stop, backup, migrate, upgrade) and every later step, to ${plan.to}:`,
        apply.map(shQuote).join(" "),
        `# The listing stops here: steps ${i + 1}-${plan.steps.length} run inside milvus-cluster apply (see docs/migration.md).`,
      );
      break;
    }
    const base = ["helm", "upgrade", o.release, "milvus", "--repo", s.chartRepository, "--version", s.chartVersion, "--namespace", o.namespace, "--reset-values", "-f", valuesFile(i), "--wait", "--wait-for-jobs", "--timeout", o.timeout];
    if (s.action === "install") base.splice(3, 0, "--install", ...(o.createNamespace ? ["--create-namespace"] : []));
    lines.push(`# step ${i + 1}: ${s.reason}`);
    lines.push(base.map(shQuote).join(" "));
  }
  return lines.join("\n");
}

/** The plan as a mermaid flowchart. */
export function planMermaid(plan: UpgradePlan): string {
  const lines = ["flowchart LR"];
  const node = (id: string, label: string) => `  ${id}["${label.replace(/"/g, "'")}"]`;
  lines.push(node("s0", plan.from ? `Milvus ${plan.from} (deployed)` : "no release"));
  plan.steps.forEach((s, i) => {
    lines.push(node(`s${i + 1}`, `Milvus ${s.milvusVersion}<br/>chart ${s.chartVersion}`));
    const edge = `${s.action}, ${s.downtime}<br/>${s.ruleIds.join(" ")}`;
    lines.push(`  s${i} -->|"${edge}"| s${i + 1}`);
  });
  return lines.join("\n");
}

/** Step values as YAML. */
export function valuesYaml(values: unknown): string {
  return yaml().stringify(values, { lineWidth: 0 });
}
