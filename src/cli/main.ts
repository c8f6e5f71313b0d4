#!/usr/bin/env node
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command, CommanderError, Option } from "commander";
import YAML from "yaml";
import { allCharts, chartFor, knownMilvusVersions } from "../catalog/catalog";
import { MilvusClusterError, UpgradeRefusedError, formatProblem } from "../errors";
import { DEFAULT_BACKUP_SIZE, DEFAULT_META_MIGRATION_IMAGE, DEFAULT_SESSION_WAIT_SECONDS } from "../executor/migration";
import type { MigrationOptions } from "../executor/types";
import { chartRequirements, planUpgrade } from "../plan/plan";
import { RULES, findRule } from "../rules/rules";
import { type ClusterMode, type CoordinatorTopology, type DeployedState, MESSAGE_QUEUES, type MessageQueue, type MilvusSpec } from "../spec/types";
import { parseDuration } from "../util/duration";
import { valuesFor } from "../values/values-for";
import { runApply } from "./apply";
import { PLAN_FORMATS, type PlanFormat, planCommands, planMermaid, planTable, textTable, valuesYaml } from "./format";

/** Exit codes of the CLI. */
export const CLI_EXIT = {
  /** Success. */
  ok: 0,
  /** The request was refused by an upgrade rule (the rule and the fix are on stderr). */
  refused: 1,
  /** Bad usage or invalid input. */
  usage: 2,
} as const;

/** The executor ended with a non-zero exit code (it has printed why). */
class ExecutorExit extends Error {
  constructor(readonly code: number) {
    super(`executor exited with ${code}`);
  }
}

interface SpecFlags {
  mode?: ClusterMode;
  coordinators?: CoordinatorTopology;
  mq?: MessageQueue;
  file?: string;
  chart?: string;
}

async function loadSpec(version: string, flags: SpecFlags): Promise<MilvusSpec> {
  let base: Record<string, unknown> = {};
  if (flags.file) {
    const parsed: unknown = YAML.parse(await readFile(flags.file, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new MilvusClusterError([{ field: "file", ruleId: "R-INPUT", message: `${flags.file} is not a YAML mapping`, fix: "write the spec as a mapping, e.g. version: 2.6.4" }]);
    }
    base = parsed as Record<string, unknown>;
  }
  const spec: Record<string, unknown> = { ...base, version: version ?? base.version };
  if (flags.mode) spec.mode = flags.mode;
  if (flags.coordinators) spec.coordinators = flags.coordinators;
  if (flags.mq) spec.messageQueue = flags.mq;
  if (flags.chart) spec.chartVersion = flags.chart;
  return spec as unknown as MilvusSpec;
}

/** Flags of `apply`. */
interface ApplyFlags {
  release: string;
  namespace: string;
  to: string;
  expectedFrom?: string;
  timeout: string;
  rollbackOnFailure?: boolean;
  allowExistingData?: boolean;
  chartRepository?: string;
  dryRun?: boolean;
  etcdEndpoint?: string;
  rootPath?: string;
  storageClass?: string;
  migrationImage?: string;
  sessionWait?: string;
  backupSize?: string;
  /** false with --no-migration-rollback. */
  migrationRollback: boolean;
  migrationCleanup?: boolean;
  rollbackMigration?: boolean;
}

/** The migration settings of the apply flags (only those given; the executor validates them). */
function migrationFlags(o: ApplyFlags): MigrationOptions | undefined {
  let sessionWaitSeconds: number | undefined;
  if (o.sessionWait !== undefined) {
    sessionWaitSeconds = Number(o.sessionWait);
    if (!/^[0-9]+$/.test(o.sessionWait)) {
      throw new MilvusClusterError([{ field: "session-wait", ruleId: "R-INPUT", message: `--session-wait ${JSON.stringify(o.sessionWait)} is not a whole number of seconds`, fix: `use e.g. --session-wait ${DEFAULT_SESSION_WAIT_SECONDS}` }]);
    }
  }
  const m: MigrationOptions = {
    ...(o.etcdEndpoint !== undefined ? { etcdEndpoint: o.etcdEndpoint } : {}),
    ...(o.rootPath !== undefined ? { rootPath: o.rootPath } : {}),
    ...(o.storageClass !== undefined ? { storageClass: o.storageClass } : {}),
    ...(o.migrationImage !== undefined ? { image: o.migrationImage } : {}),
    ...(sessionWaitSeconds !== undefined ? { sessionWaitSeconds } : {}),
    ...(o.backupSize !== undefined ? { backupSize: o.backupSize } : {}),
    ...(o.migrationRollback === false ? { rollbackOnFailure: false } : {}),
    ...(o.migrationCleanup ? { cleanup: true } : {}),
  };
  return Object.keys(m).length > 0 ? m : undefined;
}

function specOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--mode <mode>", "deployment mode").choices(["cluster", "standalone"]))
    .addOption(new Option("--coordinators <topology>", "coordinator topology").choices(["separate", "mixed"]))
    .addOption(new Option("--mq <queue>", "message queue (pulsar = bundled Pulsar v2, pulsarv3 = bundled Pulsar v3)").choices([...MESSAGE_QUEUES]))
    .option("-f, --file <spec.yaml>", "spec file (MilvusSpec as YAML); flags override it")
    .option("--chart <version>", "use exactly this chart version for the target");
}

/** Builds the CLI program. `out`/`err` receive output (injectable for tests). */
export function buildProgram(out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): Command {
  const program = new Command("milvus-cluster")
    .description("Plan and apply Milvus upgrades on Kubernetes: the chain of helm upgrades each version needs.")
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride();

  specOptions(
    program
      .command("plan")
      .description("print the chain of helm operations from --from (deployed) to --to")
      .requiredOption("--to <version>", "target Milvus version")
      .option("--from <version>", "deployed Milvus version (omit for a fresh install)"),
  )
    .addOption(new Option("-o, --output <format>", "output format").choices([...PLAN_FORMATS]).default("table"))
    .option("--release <name>", "release name for --output commands", "milvus")
    .option("-n, --namespace <ns>", "namespace for --output commands", "default")
    .option("--timeout <duration>", "helm --timeout for --output commands: 15m, 900s or 900", "15m")
    .option("--write-values <dir>", "write each step's values to <dir>/step-N.yaml")
    .action(async (o: SpecFlags & { to: string; from?: string; output: PlanFormat; release: string; namespace: string; timeout: string; writeValues?: string }) => {
      // With --from, --mode/--mq/--coordinators describe the deployed release; the target keeps them (the planner
      // never changes mode or MQ, and switches coordinators only where a rule requires it).
      const spec = await loadSpec(o.to, o.from ? { file: o.file, chart: o.chart } : o);
      const from: DeployedState | undefined = o.from
        ? { version: o.from, mode: o.mode, messageQueue: o.mq, coordinators: o.coordinators }
        : undefined;
      const plan = planUpgrade({ from, to: spec });
      if (o.writeValues) {
        await mkdir(o.writeValues, { recursive: true });
        for (const [i, s] of plan.steps.entries()) await writeFile(join(o.writeValues, `step-${i + 1}.yaml`), valuesYaml(s.values));
      }
      const text =
        o.output === "json"
          ? JSON.stringify(plan, null, 2)
          : o.output === "commands"
            ? planCommands(plan, { release: o.release, namespace: o.namespace, timeout: `${parseDuration(o.timeout, "timeout")}s` })
            : o.output === "mermaid"
              ? planMermaid(plan)
              : planTable(plan);
      out(`${text}\n`);
    });

  specOptions(program.command("values").description("print the complete Helm values for a version and spec").requiredOption("--version <version>", "Milvus version")).action(
    async (o: SpecFlags & { version: string }) => {
      const spec = await loadSpec(o.version, o);
      const chart = chartFor(spec.version, { chartVersion: spec.chartVersion });
      out(`# Milvus ${spec.version} on chart ${chart.chart}\n${valuesYaml(valuesFor(spec, chart.chart))}`);
    },
  );

  specOptions(
    program
      .command("apply")
      .description("run the upgrade chain against the live release with helm and kubectl (the executor, locally)")
      .requiredOption("--release <name>", "Helm release name")
      .requiredOption("-n, --namespace <ns>", "namespace of the release")
      .requiredOption("--to <version>", "target Milvus version"),
  )
    .option("--expected-from <version>", "refuse unless the live release runs this version")
    .option("--timeout <duration>", "per helm upgrade and per health gate: 15m, 900s or 900 (seconds)", "15m")
    .option("--rollback-on-failure", "roll a failed step back (helm 3 --atomic, helm 4 --rollback-on-failure)")
    .option("--allow-existing-data", "install even when the release is gone but its volume claims remain")
    .option("--chart-repository <url>", "chart repository override (https mirror or oci://)")
    .option("--dry-run", "read the live release and print the steps (and migration phases) that would run; change nothing")
    .option("--etcd-endpoint <host:port>", "metadata migration: etcd endpoint of the release (default: discovered from the release)")
    .option("--root-path <path>", "metadata migration: etcd root path of the release (default: by-dev)")
    .option("--storage-class <name>", "metadata migration: StorageClass of the backup volume (default: the cluster's default class)")
    .option("--migration-image <image>", `metadata migration: meta-migration tool image (default: ${DEFAULT_META_MIGRATION_IMAGE})`)
    .option("--session-wait <seconds>", `metadata migration: longest wait for the etcd sessions to expire (default: ${DEFAULT_SESSION_WAIT_SECONDS})`)
    .option("--backup-size <quantity>", `metadata migration: size of the backup volume (default: ${DEFAULT_BACKUP_SIZE})`)
    .option("--no-migration-rollback", "metadata migration: on a failure, stop and keep the progress for a re-run instead of rolling back")
    .option("--migration-cleanup", "metadata migration: delete its Jobs, ConfigMaps and the backup volume after success")
    .option("--rollback-migration", "run no step: roll back the metadata migration an earlier run recorded (restore the backup, helm rollback, replicas)")
    .action(async (o: SpecFlags & ApplyFlags) => {
      const timeoutSeconds = parseDuration(o.timeout, "timeout");
      const spec = await loadSpec(o.to, o);
      const code = await runApply(
        {
          release: o.release,
          namespace: o.namespace,
          spec,
          timeoutSeconds,
          expectedFrom: o.expectedFrom,
          rollbackOnFailure: o.rollbackOnFailure,
          allowExistingData: o.allowExistingData,
          chartRepository: o.chartRepository,
          dryRun: o.dryRun,
          migration: migrationFlags(o),
          rollbackMigration: o.rollbackMigration,
        },
        out,
        err,
      );
      if (code !== 0) throw new ExecutorExit(code);
    });

  program
    .command("versions")
    .description("list the known Milvus versions and the charts that ship them")
    .option("--all", "include pre-releases and unpublished charts")
    .option("--json", "print JSON")
    .action((o: { all?: boolean; json?: boolean }) => {
      const versions = knownMilvusVersions({ gaOnly: !o.all });
      const rows = versions.map((v) => {
        const charts = allCharts().filter((c) => c.milvus === v && (o.all || c.published));
        const newest = charts[charts.length - 1]!;
        const req = chartRequirements(newest.chart);
        return { milvus: v, charts: charts.map((c) => `${c.chart}${c.published ? "" : "*"}`), newest: newest.chart, repositories: newest.repositories, minHelm: req.helm, minKubernetes: req.kubernetes };
      });
      if (o.json) out(`${JSON.stringify(rows, null, 2)}\n`);
      else
        out(
          `${textTable(
            ["Milvus", "chart (newest)", "helm >=", "k8s >=", "repositories", "all charts (* = unpublished)"],
            rows.map((r) => [r.milvus, r.newest, r.minHelm, r.minKubernetes, r.repositories.join(","), r.charts.join(" ")]),
          )}\n`,
        );
    });

  program
    .command("explain")
    .description("explain a rule by id (or list all rules)")
    .argument("[rule-id]", "rule id, e.g. R-26-VIA-2516")
    .action((id?: string) => {
      if (!id) {
        out(`${textTable(["id", "kind", "rule"], RULES.map((r) => [r.id, r.kind, r.title]))}\n`);
        return;
      }
      const r = findRule(id.toUpperCase());
      if (!r) throw new MilvusClusterError([{ field: "rule-id", ruleId: "R-INPUT", message: `no rule ${id}`, fix: "run milvus-cluster explain for the list" }]);
      out(`${r.id} (${r.kind}): ${r.title}\n\n${r.detail}\n\nSource: ${r.source}\n${r.fix ? `Fix: ${r.fix}\n` : ""}`);
    });

  return program;
}

/** Runs the CLI with `argv` (without node and script), returning the exit code. */
export async function runCli(argv: readonly string[], out?: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  const program = buildProgram(out, err);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return CLI_EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0) return CLI_EXIT.ok;
      return CLI_EXIT.usage;
    }
    // apply passes the executor's documented exit code through (EXIT_CODES in milvus-cluster's executor).
    if (e instanceof ExecutorExit) return e.code;
    if (e instanceof UpgradeRefusedError) {
      err(`${e.message}\n`);
      return CLI_EXIT.refused;
    }
    if (e instanceof MilvusClusterError) {
      err(`error: ${e.problems.map(formatProblem).join("\nerror: ")}\n`);
      return CLI_EXIT.usage;
    }
    throw e;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
