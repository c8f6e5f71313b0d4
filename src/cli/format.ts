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
}

/** Quotes a word for POSIX sh when it has anything but safe characters. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The runnable commands of a plan: values go in files `step-N.yaml` (written with --write-values). */
export function planCommands(plan: UpgradePlan, o: CommandsOptions): string {
  const lines: string[] = ["# Values files: step-N.yaml (milvus-cluster plan ... --write-values DIR)"];
  plan.steps.forEach((s, i) => {
    const file = `step-${i + 1}.yaml`;
    const base = [
      "helm",
      "upgrade",
      o.release,
      "milvus",
      "--repo",
      s.chartRepository,
      "--version",
      s.chartVersion,
      "--namespace",
      o.namespace,
      "--reset-values",
      "-f",
      file,
      "--wait",
      "--wait-for-jobs",
      "--timeout",
      o.timeout,
    ];
    if (s.action === "install") base.splice(3, 0, "--install");
    if (s.action === "meta-migration") {
      lines.push(`# step ${i + 1}: offline metadata migration to ${s.milvusVersion} first (milvus-cluster apply runs it; see README)`);
    }
    lines.push(`# step ${i + 1}: ${s.reason}`);
    lines.push(base.map(shQuote).join(" "));
  });
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
