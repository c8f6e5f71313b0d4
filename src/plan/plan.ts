import { Catalog } from "../catalog/catalog";
import type { ChartRecord } from "../catalog/types";
import { type InputProblem, MilvusClusterError, UpgradeRefusedError } from "../errors";
import { rule } from "../rules/rules";
import {
  CHART_EXCLUSIONS,
  CHART_REQUIREMENTS,
  COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART,
  ETCD_CHART_8_FROM,
  GATES,
  type Gate,
  MIN_UPGRADABLE_MAJOR,
  PULSAR_SUBCHART_REPLACED,
  PULSAR2_PIN_FROM_CHART,
  ROLLING_FROM_MILVUS,
  SHORTCUT_KEYS_REMOVED_IN,
} from "../rules/tables";
import { chartDefaultCoordinators, chartDefaultMessageQueue, lastAtOrBelow, topologyFor } from "../spec/resolve";
import type { ClusterMode, CoordinatorTopology, DeployedState, MessageQueue, MilvusSpec } from "../spec/types";
import { validateSpecShape } from "../spec/validate";
import { messageQueueProblem, resolveSpec, valuesFor } from "../values/values-for";
import { compareVersions, minorOf, parseMilvusVersion } from "../versions/versions";
import type { Downtime, StepAction, UpgradePlan, UpgradeStep } from "./types";

/** Input of `planUpgrade`. */
export interface PlanRequest {
  /** What is deployed: a version, or the full deployed state. Absent = fresh install. */
  readonly from?: string | DeployedState;
  /** Target version, or the whole desired spec. */
  readonly to: string | MilvusSpec;
  /**
   * The chart catalog to plan with: `loadCatalogFile(...)` for the built-in catalog plus an overlay of newer charts.
   * @default Catalog.builtin
   */
  readonly catalog?: Catalog;
}

/** The release state between steps. */
interface State {
  readonly version: string;
  readonly chart: string;
  readonly mode: ClusterMode;
  readonly messageQueue: MessageQueue;
  readonly coordinators: CoordinatorTopology;
}

const REPO_MILVUS_IO = /milvus-io\.github\.io/;

function cmp(a: string, b: string): number {
  return compareVersions(a, b);
}

/**
 * Chart filter for a release with this MQ at this Milvus version (R-PULSAR2-CHARTS, R-23-CHART). With `mq`
 * undefined (the MQ is not decided yet because it defaults from the chart) only version-based exclusions apply.
 */
function exclusionFor(mq: MessageQueue | undefined, milvus: string): (c: ChartRecord) => string | undefined {
  return (c) => {
    for (const ex of CHART_EXCLUSIONS) {
      if (ex.messageQueue && ex.messageQueue !== mq) continue; // also skips MQ rules while mq is undecided
      if (ex.milvusMinor && minorOf(milvus) !== ex.milvusMinor) continue;
      const [lo, hi] = ex.charts;
      if (cmp(c.chart, lo) >= 0 && (hi === null || cmp(c.chart, hi) <= 0)) return ex.ruleId;
    }
    return undefined;
  };
}

/**
 * Charts of the same Milvus minor that an exclusion does not hit, newest first: what `chartVersion` (`--chart`) can
 * name instead (the chart then runs the requested image, as the docs do within a minor, R-CHART-MINOR).
 */
function workingCharts(cat: Catalog, version: string, excluded: (c: ChartRecord) => string | undefined): string[] {
  return cat
    .allCharts()
    .filter((c) => c.published && !isPrerelease(c.milvus) && minorOf(c.milvus) === minorOf(version) && excluded(c) === undefined)
    .map((c) => c.chart)
    .reverse()
    .slice(0, 3);
}

function isPrerelease(v: string): boolean {
  return parseMilvusVersion(v).prerelease;
}

/**
 * The fix text of a rule. Every rule plan.ts refuses with has one (test/core/rules-promises.test.ts lists the table).
 */
function fixOf(ruleId: string): string {
  // Stryker disable next-line StringLiteral: every rule this file refuses with has a fix, so the empty default is never used
  return rule(ruleId).fix ?? "";
}

/**
 * The refusal of an excluded chart: a rule refusal (exit 1 on the CLI), with the ways out in order: charts of the
 * same minor that would work, Pulsar v3 for a new release (the Pulsar v2 window only: that exclusion is about the
 * queue), the rule's own fix.
 */
function exclusionRefusal(cat: Catalog, field: string, ruleId: string, message: string, version: string, excluded: (c: ChartRecord) => string | undefined): UpgradeRefusedError {
  const alternatives = workingCharts(cat, version, excluded);
  const charts = alternatives.slice(0, 1).map((first) => `chartVersion ${alternatives.join(" or ")} (CLI --chart ${first}), which runs image v${version}`);
  const newQueue = ruleId === "R-PULSAR2-CHARTS" ? ["a new release can use messageQueue pulsarv3 instead"] : [];
  const fix = [...charts, ...newQueue, fixOf(ruleId)].join("; or ");
  return new UpgradeRefusedError([{ field, ruleId, message, fix }]);
}

/** Chooses the chart for a step, honouring exclusions; an explicit chart is checked, not silently replaced. */
function chooseChart(cat: Catalog, version: string, mq: MessageQueue | undefined, explicit: string | undefined, field: string): ChartRecord {
  const excluded = exclusionFor(mq, version);
  if (explicit !== undefined) {
    const rec = cat.chartFor(version, { chartVersion: explicit, field });
    const ruleId = excluded(rec);
    if (ruleId) {
      throw exclusionRefusal(cat, "chartVersion", ruleId, `chart ${rec.chart} is excluded for Milvus ${version} with ${mq ?? "its message queue"}: ${rule(ruleId).title}`, version, excluded);
    }
    // The specific exclusion rules first (they say more), then the general same-minor rule.
    if (minorOf(rec.milvus) !== minorOf(version)) {
      throw new MilvusClusterError([{ field: "chartVersion", ruleId: "R-CHART-MINOR", message: `chart ${rec.chart} ships Milvus ${rec.milvus}, not a ${minorOf(version)}.x release`, fix: fixOf("R-CHART-MINOR") }]);
    }
    return rec;
  }
  const shipping = cat.chartsShipping(version);
  const allowed = shipping.filter((c) => excluded(c) === undefined);
  // No chart ships the version at all: chartFor below refuses it as unknown (R-KNOWN-VERSION).
  if (shipping.length > 0 && allowed.length === 0) {
    const firstRule = excluded(shipping[0]!)!;
    throw exclusionRefusal(cat, field, firstRule, `every chart that ships Milvus ${version} (${shipping.map((c) => c.chart).join(", ")}) is excluded${mq ? ` for ${mq}` : ""}: ${rule(firstRule).title}`, version, excluded);
  }
  return cat.chartFor(version, { field, allow: (c) => excluded(c) === undefined });
}

/**
 * The chart and message queue of a fresh install. The default queue comes from the chart; on charts 4.2.21-4.2.26
 * that default is Pulsar v2, which R-PULSAR2-CHARTS keeps off those charts. The chart README recommends Pulsar v3
 * for new instances and warns only against upgrading Pulsar v2 releases through that range (FACTS.md §2), so a fresh
 * install with the queue unset gets Pulsar v3, with a warning (R-PULSAR2-FRESH). An explicit Pulsar v2 stays refused.
 */
function freshInstallQueue(cat: Catalog, spec: MilvusSpec, field: string): { spec: MilvusSpec; chart: ChartRecord; warning?: string } {
  const probe = chooseChart(cat, spec.version, spec.messageQueue, spec.chartVersion, field);
  const resolved = resolveSpec(spec, probe);
  const chart = chooseChart(cat, spec.version, resolved.messageQueue, spec.chartVersion, field);
  if (spec.messageQueue === undefined && chartDefaultMessageQueue(chart, resolved.mode) !== resolved.messageQueue) {
    return {
      spec: { ...spec, messageQueue: resolved.messageQueue },
      chart,
      warning: `messageQueue is unset and chart ${chart.chart} defaults to Pulsar v2, which must not run on charts 4.2.21-4.2.29; this new release gets Pulsar v3, as the chart README recommends for new instances (R-PULSAR2-FRESH). Set messageQueue to choose another queue.`,
    };
  }
  return { spec, chart };
}

/**
 * Minimum Helm and Kubernetes versions a chart version needs (R-HELM-MIN): the rules' table, or for an overlay chart
 * what `catalog update` recorded (the table raised by the chart's `kubeVersion`).
 * @param catalog the catalog the chart comes from
 * @default catalog Catalog.builtin
 */
export function chartRequirements(chart: string, catalog: Catalog = Catalog.builtin): { readonly helm: string; readonly kubernetes: string } {
  const fromOverlay = catalog.overlayChart(chart);
  if (fromOverlay) return fromOverlay.requires;
  return lastAtOrBelow(CHART_REQUIREMENTS, chart, (r) => r.fromChart);
}

/** The newest GA version of a minor, e.g. "2.1" -> "2.1.4". */
function latestOfMinor(cat: Catalog, minor: string): string {
  const list = cat.knownMilvusVersions({ gaOnly: true }).filter((v) => minorOf(v) === minor);
  const last = list[list.length - 1];
  // Stryker disable next-line ConditionalExpression,StringLiteral: the built-in catalog ships GA 2.0.x and 2.1.x and an overlay only adds charts, so the gates' minors always have a GA version
  if (!last) throw new Error(`catalog has no GA ${minor}.x`);
  return last;
}

function gateApplies(g: Gate, cur: State, target: string): boolean {
  // Stryker disable next-line ConditionalExpression: GATES is ordered by currentBelow, so a release below a gate's currentAtLeast always meets an earlier gate first (or was refused as 1.x)
  if (g.currentAtLeast && cmp(cur.version, g.currentAtLeast) < 0) return false;
  if (cmp(cur.version, g.currentBelow) >= 0) return false;
  if (cmp(target, g.targetAtLeast) < 0) return false;
  if (g.satisfiedBy) {
    const okVersion = cmp(cur.version, g.satisfiedBy.minVersion) >= 0;
    const okTopo = !g.satisfiedBy.coordinators || cur.coordinators === g.satisfiedBy.coordinators || cur.mode === "standalone";
    if (okVersion && okTopo) return false;
  }
  return true;
}

/**
 * Availability during a step (R-ROLLING, R-RECREATE). The strategy that applies is the one the step's chart renders
 * for the coordinator Deployments: before chart 4.1.22 that is an unconditional Recreate, whatever activeStandby says.
 */
function downtimeOf(action: StepAction, before: State, after: State, activeStandby: boolean): { downtime: Downtime; ruleId?: string } {
  // The migration step cites R-META-MIGRATION through its gate.
  if (action === "meta-migration") return { downtime: "offline" };
  if (after.mode === "standalone") return { downtime: "recreate", ruleId: "R-RECREATE" };
  if (before.coordinators !== after.coordinators) return { downtime: "recreate", ruleId: "R-RECREATE" };
  const chartRollsCoordinators = cmp(after.chart, COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART) >= 0;
  if (cmp(before.version, ROLLING_FROM_MILVUS) >= 0 && activeStandby && chartRollsCoordinators) return { downtime: "rolling", ruleId: "R-ROLLING" };
  return { downtime: "recreate", ruleId: "R-RECREATE" };
}

function parseTarget(to: string | MilvusSpec): MilvusSpec {
  if (typeof to === "string") {
    parseMilvusVersion(to, "to");
    return { version: to };
  }
  const problems = validateSpecShape(to);
  if (problems.length > 0) throw new MilvusClusterError(problems);
  return to;
}

/**
 * Plans the chain of Helm operations from the deployed version to the target: the shortest chain the rules allow,
 * each step with its chart, repository, complete values, reason (citing rule ids), downtime and reversibility.
 * A refused path throws `UpgradeRefusedError` naming the rule and the fix; invalid input throws `MilvusClusterError`.
 */
export function planUpgrade(request: PlanRequest): UpgradePlan {
  const cat = request.catalog ?? Catalog.builtin;
  const warnings: string[] = [];
  const spec = parseTarget(request.to);
  // Errors name the caller's field: `to` for a version string, the spec's own field names for a spec.
  const targetField = typeof request.to === "string" ? "to" : "version";
  const target = parseMilvusVersion(spec.version, targetField);
  const targetVersion = target.version;
  if (target.semver.major < MIN_UPGRADABLE_MAJOR) {
    throw new MilvusClusterError([{ field: targetField, ruleId: "R-MILVUS-1X", message: `Milvus ${targetVersion} is not managed by this library (Milvus 2.x only)`, fix: "choose a Milvus 2.x version" }]);
  }

  // Fresh install.
  if (request.from === undefined) {
    // The default MQ depends on the chart; choose the chart first, then re-check it with the resolved MQ.
    const fresh = freshInstallQueue(cat, { ...spec, version: targetVersion }, targetField);
    const chart = fresh.chart;
    if (fresh.warning) warnings.push(fresh.warning);
    if (target.prerelease) warnings.push(`Milvus ${targetVersion} is a pre-release: it cannot be upgraded later (R-PRERELEASE-SOURCE).`);
    warnings.push(...requirementWarnings(cat, [chart.chart]), ...overlayWarnings(cat, [chart.chart]));
    const values = valuesFor(fresh.spec, chart.chart, { catalog: cat });
    return {
      to: targetVersion,
      steps: [
        {
          milvusVersion: targetVersion,
          chartVersion: chart.chart,
          chartRepository: cat.repositoryFor(chart),
          action: "install",
          values,
          reason: `fresh install of Milvus ${targetVersion} on chart ${chart.chart} [R-INSTALL]`,
          ruleIds: ["R-INSTALL"],
          downtime: "none",
          reversible: true,
        },
      ],
      warnings,
    };
  }

  const deployed: DeployedState = typeof request.from === "string" ? { version: request.from } : request.from;
  const fromV = parseMilvusVersion(deployed.version, "from");
  const fromVersion = fromV.version;
  const refuse = (p: Omit<InputProblem, "fix"> & { fix?: string }): never => {
    throw new UpgradeRefusedError([{ ...p, fix: p.fix ?? fixOf(p.ruleId) }]);
  };

  if (fromV.semver.major < MIN_UPGRADABLE_MAJOR) {
    refuse({ field: "from", ruleId: "R-MILVUS-1X", message: `Milvus ${fromVersion} -> ${targetVersion} is not a Helm upgrade: Milvus 2.x replaces the 1.x storage and metadata` });
  }
  if (fromV.prerelease) {
    refuse({ field: "from", ruleId: "R-PRERELEASE-SOURCE", message: `Milvus ${fromVersion} is a pre-release and cannot be upgraded to ${targetVersion}` });
  }
  if (cmp(targetVersion, fromVersion) < 0) {
    refuse({ field: targetField, ruleId: "R-DOWNGRADE", message: `${targetVersion} is older than the deployed ${fromVersion}` });
  }
  if (target.prerelease) {
    refuse({ field: targetField, ruleId: "R-PRERELEASE-TARGET", message: `${targetVersion} is a pre-release; ${fromVersion} must not be moved onto it` });
  }

  // The deployed state: what was given, else what the chart that shipped it defaulted to.
  const fromChart = cat.chartFor(fromVersion, { chartVersion: deployed.chartVersion, field: "from", chartVersionField: "from.chartVersion" });
  // A chart runs images of its own minor only (R-CHART-MINOR): a deployed state that says otherwise is a typo, and the
  // defaults assumed from that chart (queue, coordinators) would be another minor's.
  if (minorOf(fromChart.milvus) !== minorOf(fromVersion)) {
    throw new MilvusClusterError([{ field: "from.chartVersion", ruleId: "R-CHART-MINOR", message: `chart ${fromChart.chart} ships Milvus ${fromChart.milvus}, so it cannot be running the deployed ${fromVersion}`, fix: `set from.chartVersion to the chart the release runs (helm list shows it)${cat.chartsShipping(fromVersion).slice(-1).map((c) => `, e.g. ${c.chart}`).join("")}` }]);
  }
  const mode: ClusterMode = deployed.mode ?? "cluster";
  const assumed: string[] = [];
  if (deployed.mode === undefined) assumed.push("mode cluster");
  let fromMq = deployed.messageQueue;
  if (fromMq === undefined) {
    fromMq = spec.messageQueue ?? chartDefaultMessageQueue(fromChart, mode);
    if (spec.messageQueue === undefined) assumed.push(`message queue ${fromMq}`);
  }
  let fromCoords = deployed.coordinators;
  if (fromCoords === undefined) {
    fromCoords = chartDefaultCoordinators(fromChart);
    assumed.push(`${fromCoords} coordinators`);
  }
  if (assumed.length > 0) {
    warnings.push(`Assumed the deployed ${fromVersion} release (chart ${fromChart.chart}) runs the defaults of that chart: ${assumed.join(", ")}. An existing release keeps what it had; pass them explicitly if they differ.`);
  }
  const fromState: State = { version: fromVersion, chart: fromChart.chart, mode, messageQueue: fromMq, coordinators: fromCoords };
  const fromMqProblem = messageQueueProblem(fromMq, mode, fromChart.chart, fromVersion, "from.messageQueue");
  if (fromMqProblem) throw new MilvusClusterError([fromMqProblem]);
  // A queue the target no longer has (natsmq on 2.6) cannot be kept, and switching it inside an upgrade is R-MQ-KEEP.
  // The deployed queue passed its checks at fromVersion, so at the target only its removal (R-MQ-SUPPORT) can fail.
  const removedProblem = messageQueueProblem(fromMq, mode, fromChart.chart, targetVersion, spec.messageQueue !== undefined ? "messageQueue" : "from.messageQueue");
  if (removedProblem) refuse(removedProblem);

  // Mode and MQ never change (R-MODE-KEEP, R-MQ-KEEP).
  if (spec.mode !== undefined && spec.mode !== mode) {
    refuse({ field: "mode", ruleId: "R-MODE-KEEP", message: `the deployed release is ${mode}; ${spec.mode} is not reachable with helm upgrade` });
  }
  if (spec.messageQueue !== undefined && spec.messageQueue !== fromMq) {
    refuse({ field: "messageQueue", ruleId: "R-MQ-KEEP", message: `the deployed release uses ${fromMq}; switching to ${spec.messageQueue} inside an upgrade loses in-flight data` });
  }
  const targetTopo = topologyFor(targetVersion);
  const targetCoords: CoordinatorTopology = targetTopo.coordinatorsOnly ?? spec.coordinators ?? fromCoords;
  if (targetTopo.coordinatorsOnly && spec.coordinators !== undefined && spec.coordinators !== targetTopo.coordinatorsOnly) {
    throw new MilvusClusterError([{ field: "coordinators", ruleId: "R-26-TOPOLOGY", message: `Milvus ${targetVersion} supports only ${targetTopo.coordinatorsOnly} coordinators`, fix: fixOf("R-26-TOPOLOGY") }]);
  }
  const base: MilvusSpec = { ...spec, mode, messageQueue: fromMq };

  // Walk the gates: each applicable gate inserts the stop it requires (no other stops exist).
  const steps: UpgradeStep[] = [];
  let cur = fromState;
  // Stryker disable next-line EqualityOperator,UpdateOperator: the loop always ends earlier (each of the three gates passes once), so the bound's mutants are equivalent
  for (let guard = 0; guard < 10; guard++) {
    const gate = GATES.find((g) => gateApplies(g, cur, targetVersion));
    if (!gate) break;
    const stopVersion = gate.stop.version ?? latestOfMinor(cat, gate.stop.latestOfMinor!);
    const isTarget = stopVersion === targetVersion;
    const coordinators = gate.stop.coordinators ?? (isTarget ? targetCoords : cur.coordinators);
    const stopSpec: MilvusSpec = isTarget
      ? { ...base, coordinators }
      : { ...base, version: stopVersion, coordinators, chartVersion: gate.stop.chart };
    const step = makeStep(cat, stopSpec, cur, gate.stop.action, [gate.ruleId], isTarget ? targetField : "stop", !isTarget);
    steps.push(step.step);
    cur = step.state;
    // At the target no gate applies any more (each needs a release below its currentBelow and a target above), so
    // the loop ends on its next turn.
  }
  // A gate step that reached the target has the target's topology (no gate's own topology is its target), so the
  // target step is needed only below the target, or when no gate applied (a same-version topology change included).
  if (steps.length === 0 || cmp(cur.version, targetVersion) < 0) {
    const step = makeStep(cat, { ...base, coordinators: targetCoords }, cur, "helm-upgrade", ["R-TARGET"], targetField, false);
    steps.push(step.step);
  }

  // The bundled Pulsar chart replaced under the release (R-PULSAR-SUBCHART).
  const crossing = fromMq === "pulsar" && pulsarSubchartMajor(fromChart) === PULSAR_SUBCHART_REPLACED.oldMajor ? steps.find((s) => pulsarSubchartMajor(stepChart(s, cat)) > PULSAR_SUBCHART_REPLACED.oldMajor) : undefined;
  if (crossing) {
    refuse({
      field: deployed.chartVersion !== undefined ? "from.chartVersion" : "from",
      ruleId: PULSAR_SUBCHART_REPLACED.ruleId,
      message: `the deployed ${fromVersion} release on chart ${fromChart.chart} bundles Pulsar chart ${fromChart.dependencies["pulsar"]}; chart ${crossing.chartVersion} (step to ${crossing.milvusVersion}) bundles apache Pulsar ${stepChart(crossing, cat).dependencies["pulsar"]}, whose StatefulSets cannot replace the old ones with helm upgrade`,
    });
  }
  if (fromMq === "pulsar" && deployed.chartVersion === undefined && pulsarSubchartMajor(fromChart) > PULSAR_SUBCHART_REPLACED.oldMajor) {
    const oldCharts = cat.chartsShipping(fromVersion).filter((c) => pulsarSubchartMajor(c) === PULSAR_SUBCHART_REPLACED.oldMajor);
    if (oldCharts.length > 0) {
      warnings.push(`Milvus ${fromVersion} was also shipped by charts ${oldCharts.map((c) => c.chart).join(", ")}, which bundle the old Pulsar chart ${oldCharts[0]!.dependencies["pulsar"]}; if the release runs one of them, set from.chartVersion: that upgrade is refused (R-PULSAR-SUBCHART).`);
    }
  }

  if (deployed.repository && REPO_MILVUS_IO.test(deployed.repository)) {
    warnings.push("The release was installed from the archived milvus-io repository; every step uses the zilliztech repository, which serves the same charts (R-REPO-MOVE).");
  }
  // The bundled etcd runs in both modes; an external etcd is not touched by the chart (R-ETCD-CHART-8).
  const bundledEtcd = (spec.externalEtcdEndpoints ?? []).length === 0;
  if (cmp(fromChart.chart, ETCD_CHART_8_FROM) < 0 && steps.some((s) => cmp(s.chartVersion, ETCD_CHART_8_FROM) >= 0) && bundledEtcd) {
    warnings.push(`The plan crosses chart ${ETCD_CHART_8_FROM}, where the bundled etcd chart moves from 6.3.3 to 8.12.0; its effect on existing etcd volumes is unverified upstream: back up etcd first (R-ETCD-CHART-8).`);
  }
  warnings.push(...requirementWarnings(cat, steps.map((s) => s.chartVersion)), ...overlayWarnings(cat, steps.map((s) => s.chartVersion)));
  return { from: fromVersion, to: targetVersion, steps, warnings };


}

const onOff = (on: boolean): string => (on ? "on" : "off");

/** Builds one step from the state before it. */
function makeStep(cat: Catalog, stepSpec: MilvusSpec, before: State, action: StepAction, ruleIds: string[], role: "stop" | "to" | "version", intermediate: boolean): { step: UpgradeStep; state: State } {
  const version = parseMilvusVersion(stepSpec.version).version;
  const chart = chooseChart(cat, version, before.messageQueue, stepSpec.chartVersion, role);
  const resolved = resolveSpec(stepSpec, chart);
  const values = valuesFor(stepSpec, chart.chart, { intermediateStop: intermediate, catalog: cat });
  const after: State = { version, chart: chart.chart, mode: before.mode, messageQueue: before.messageQueue, coordinators: resolved.coordinators };
  const dt = downtimeOf(action, before, after, resolved.activeStandby);
  const ids = [...ruleIds];
  const notes: string[] = [];
  if (before.mode === "cluster" && before.coordinators !== after.coordinators) notes.push(`coordinators ${before.coordinators} -> ${after.coordinators}`);
  const topoBefore = topologyFor(before.version);
  const topoAfter = topologyFor(version);
  if (topoBefore.ruleId !== topoAfter.ruleId) {
    notes.push(`streaming node ${onOff(topoAfter.streaming)}, indexNode ${onOff(topoAfter.indexNode)}`);
    ids.push(topoAfter.ruleId);
  }
  // Stryker disable next-line EqualityOperator: Pulsar v2 never lands on 4.2.21 itself (R-PULSAR2-CHARTS excludes 4.2.21-4.2.29), so >= and > agree
  const pinsPulsar2 = cmp(chart.chart, PULSAR2_PIN_FROM_CHART) >= 0;
  if (before.messageQueue === "pulsar" && pinsPulsar2) {
    notes.push("Pulsar v2 pinned");
    ids.push("R-PULSAR2-PIN");
  }
  if (cmp(before.chart, SHORTCUT_KEYS_REMOVED_IN) < 0 && cmp(chart.chart, SHORTCUT_KEYS_REMOVED_IN) >= 0) {
    notes.push("Milvus config moves to extraConfigFiles");
    ids.push("R-CONFIG-FILES");
  }
  if (intermediate && Object.keys(stepSpec.milvusConfig ?? {}).length > 0 && !cat.keyExists("extraConfigFiles.user.yaml", chart.chart)) {
    notes.push(`milvusConfig not applied (chart ${chart.chart} has no extraConfigFiles; later steps apply it)`);
    ids.push("R-CONFIG-FILES");
  }
  if (dt.ruleId && !ids.includes(dt.ruleId)) ids.push(dt.ruleId);
  const lead =
    action === "meta-migration"
      ? `offline metadata migration ${before.version} -> ${version}, then chart ${chart.chart}`
      : role !== "stop"
        ? `target ${version}`
        : `stop at ${version}: ${rule(ruleIds[0]!).title}`;
  const reason = `${lead}${notes.length ? `; ${notes.join("; ")}` : ""} [${ids.join(", ")}]`;
  const reversible = action === "meta-migration" ? true : minorOf(before.version) === minorOf(version);
  return {
    step: { milvusVersion: version, chartVersion: chart.chart, chartRepository: cat.repositoryFor(chart), action, values, reason, ruleIds: ids, downtime: dt.downtime, reversible },
    state: after,
  };
}

/** The highest of versions (charts or Helm versions). */
function highest(versions: readonly string[]): string {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a plan's charts ascend step by step (plan.property.test.ts), and with them their Helm minimums, so the last is the highest and ties are equal strings
  return versions.reduce((a, b) => (cmp(a, b) >= 0 ? a : b));
}

function requirementWarnings(cat: Catalog, charts: string[]): string[] {
  const highestChart = highest(charts);
  const req = chartRequirements(highestChart, cat);
  return [`Requires Helm >= ${req.helm} and Kubernetes >= ${req.kubernetes} (chart ${highestChart}) [R-HELM-MIN].`];
}

/** Major version of the bundled Pulsar v2 chart of a chart version (0 when it bundles none). */
function pulsarSubchartMajor(chart: ChartRecord): number {
  const v = chart.dependencies["pulsar"];
  return v ? Number.parseInt(v, 10) : 0;
}

/** One warning per overlay chart a plan uses: where it came from and what was read or assumed (R-CATALOG-OVERLAY). */
function overlayWarnings(cat: Catalog, charts: readonly string[]): string[] {
  const out: string[] = [];
  for (const chart of [...new Set(charts)]) {
    const o = cat.overlayChart(chart);
    if (!o) continue;
    const facts = [
      o.milvusFrom === "appVersion" ? `Milvus ${o.milvus} assumed from the index's appVersion (the chart's image.all.tag was not read; image tag v${o.milvus} assumed)` : `Milvus ${o.milvus} read from the chart's image.all.tag ${o.imageTag}`,
      o.keysFrom === "extrapolated" ? `managed values keys extrapolated from built-in chart ${o.extrapolatedFrom} (the chart's values.yaml was not read)` : "managed values keys read from the chart's values.yaml",
      `dependencies from the index entry`,
      `Helm >= ${o.requires.helm} and Kubernetes >= ${o.requires.kubernetes} from the rules for chart ${o.chart}${o.kubeVersion ? ` and its kubeVersion ${o.kubeVersion}` : ""}`,
    ];
    // Dependency changes against the newest built-in chart: no rule of this library covers them yet.
    const ref = cat.builtinNewest();
    const changed = Object.keys({ ...ref.dependencies, ...o.dependencies })
      .sort()
      .filter((d) => ref.dependencies[d] !== o.dependencies[d])
      .map((d) => `${d} ${ref.dependencies[d] ?? "(none)"} -> ${o.dependencies[d] ?? "(none)"}`);
    if (changed.length > 0) facts.push(`its dependencies differ from built-in chart ${ref.chart} (${changed.join(", ")}), which no rule of this library covers`);
    const index = cat.overlay?.index;
    const where = index?.source ? `${index.source}${index.generated ? ` generated ${index.generated}` : ""}` : index?.generated ? `an index.yaml generated ${index.generated}` : "a local index.yaml";
    out.push(`Chart ${o.chart} is not in the built-in catalog (newest ${cat.builtinNewest().chart}); it comes from the catalog overlay (${where}): ${facts.join("; ")}. Render and review its values before applying [R-CATALOG-OVERLAY].`);
  }
  return out;
}

/**
 * The chart record of a step (for adapters).
 * @param catalog the catalog the step was planned with
 * @default catalog Catalog.builtin
 */
export function stepChart(step: UpgradeStep, catalog: Catalog = Catalog.builtin): ChartRecord {
  const rec = catalog.chartRecord(step.chartVersion);
  if (!rec) throw new Error(`unknown chart ${step.chartVersion}`);
  return rec;
}

/**
 * Minimum Helm version a plan needs (R-HELM-MIN).
 * @param catalog the catalog the plan was made with
 * @default catalog Catalog.builtin
 */
export function requiredHelm(plan: UpgradePlan, catalog: Catalog = Catalog.builtin): string {
  return highest([CHART_REQUIREMENTS[0]!.helm, ...plan.steps.map((s) => chartRequirements(s.chartVersion, catalog).helm)]);
}

/** Options of `candidateStops`. */
export interface CandidateStopsOptions {
  /**
   * The chart catalog to plan with.
   * @default Catalog.builtin
   */
  readonly catalog?: Catalog;
}

/**
 * The stops below a target that some older deployed release would need (every applicable gate), with complete
 * values, in order, and without the final target step. Used when the deployed version is only known at apply
 * time: the executor skips the stops the live release has already passed. A stop is left out when the spec's mode
 * or message queue cannot exist at that version (no such release can be below it). The 2.2.0 metadata migration is
 * included even when 2.2.0 is the target, because only the executor can run it.
 * @param to the target spec
 */
export function candidateStops(to: MilvusSpec, options: CandidateStopsOptions = {}): UpgradeStep[] {
  const cat = options.catalog ?? Catalog.builtin;
  const spec = parseTarget(to);
  const targetVersion = parseMilvusVersion(spec.version).version;
  const fresh = freshInstallQueue(cat, { ...spec, version: targetVersion }, "version");
  const resolved = resolveSpec(fresh.spec, fresh.chart);
  const steps: UpgradeStep[] = [];
  for (const g of GATES) {
    if (cmp(targetVersion, g.targetAtLeast) < 0) continue;
    // A gate's stop is below its targetAtLeast, or equal to it for the metadata migration (test/core/plan-promises-edges
    // pins this of GATES), so every gate that passed the line above has its stop at or below the target.
    const stopVersion = g.stop.version ?? latestOfMinor(cat, g.stop.latestOfMinor!);
    // Stryker disable next-line StringLiteral: a gate's stop chart is never excluded, so this field is never named
    const stopChart = g.stop.chart ?? chooseChart(cat, stopVersion, resolved.messageQueue, undefined, "version").chart;
    if (messageQueueProblem(resolved.messageQueue, resolved.mode, stopChart, stopVersion)) continue;
    const below = previousGa(cat, stopVersion);
    const belowChart = cat.chartFor(below).chart;
    const before: State = {
      version: below,
      chart: belowChart,
      mode: resolved.mode,
      messageQueue: resolved.messageQueue,
      // Stryker disable next-line ConditionalExpression: the charts below the 2.1.4 and 2.2.0 stops default to separate coordinators too
      coordinators: g.stop.coordinators === "mixed" ? "separate" : chartDefaultCoordinators(belowChart),
    };
    const isTarget = stopVersion === targetVersion;
    // Stryker disable next-line LogicalOperator: the only stop with its own topology is 2.5.16 (mixed), whose chart 4.2.58 defaults to mixed
    const coordinators = g.stop.coordinators ?? (isTarget ? resolved.coordinators : chartDefaultCoordinators(stopChart));
    const stopSpec: MilvusSpec = {
      ...spec,
      version: stopVersion,
      mode: resolved.mode,
      messageQueue: resolved.messageQueue,
      coordinators,
      chartVersion: isTarget ? spec.chartVersion : g.stop.chart,
    };
    steps.push(makeStep(cat, stopSpec, before, g.stop.action, [g.ruleId], isTarget ? "version" : "stop", !isTarget).step);
  }
  return steps;
}

function previousGa(cat: Catalog, version: string): string {
  const list = cat.knownMilvusVersions({ gaOnly: true }).filter((v) => cmp(v, version) < 0);
  return list[list.length - 1] ?? version;
}
