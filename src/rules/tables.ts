/**
 * Parameter tables of the rules in `rules.ts`. Each row names the rule it belongs to; version thresholds live
 * here and nowhere else.
 */
import type { ClusterMode, CoordinatorTopology, MessageQueue } from "../spec/types";

/** A mandatory intermediate stop: while `current` is in range and the target is at or above `targetAtLeast`. */
export interface Gate {
  /** Rule that forces the stop. */
  readonly ruleId: string;
  /** Applies when the current version is >= this. */
  readonly currentAtLeast?: string;
  /** Applies when the current version is < this. */
  readonly currentBelow: string;
  /** Applies when the target version is >= this. */
  readonly targetAtLeast: string;
  /** The gate is already passed when the current release is at least this version with this topology. */
  readonly satisfiedBy?: { readonly minVersion: string; readonly coordinators?: CoordinatorTopology };
  /** The stop to insert. */
  readonly stop: {
    /** Exact Milvus version of the stop. */
    readonly version?: string;
    /** Or: the newest GA version of this minor. */
    readonly latestOfMinor?: string;
    /** Chart to use (otherwise chosen by chartFor). */
    readonly chart?: string;
    /** Topology the stop switches to. */
    readonly coordinators?: CoordinatorTopology;
    /** What the stop does. */
    readonly action: "helm-upgrade" | "meta-migration";
  };
}

/** Stops, checked in order on every hop. */
export const GATES: readonly Gate[] = [
  {
    ruleId: "R-META-SOURCE",
    // Stryker disable next-line StringLiteral: every release below 2.0.0 (1.x, R-MILVUS-1X; 2.0.0 pre-releases, R-PRERELEASE-SOURCE) is refused before the gates are walked, so this lower bound never decides
    currentAtLeast: "2.0.0",
    currentBelow: "2.1.0",
    targetAtLeast: "2.2.0",
    stop: { latestOfMinor: "2.1", action: "helm-upgrade" },
  },
  {
    ruleId: "R-META-MIGRATION",
    // Stryker disable next-line StringLiteral: a 2.0.x release going to 2.2+ meets R-META-SOURCE first (gates are found in order), and below 2.0.0 is refused, so this lower bound never decides
    currentAtLeast: "2.1.0",
    currentBelow: "2.2.0",
    targetAtLeast: "2.2.0",
    stop: { version: "2.2.0", action: "meta-migration" },
  },
  {
    ruleId: "R-26-VIA-2516",
    currentBelow: "2.6.0",
    targetAtLeast: "2.6.0",
    satisfiedBy: { minVersion: "2.5.16", coordinators: "mixed" },
    stop: { version: "2.5.16", chart: "4.2.58", coordinators: "mixed", action: "helm-upgrade" },
  },
];

/** Charts a release must not land on. */
export interface ChartExclusion {
  /** Rule the exclusion belongs to. */
  readonly ruleId: string;
  /** Applies to releases with this message queue. */
  readonly messageQueue?: MessageQueue;
  /** Applies to this Milvus minor, e.g. "2.3". */
  readonly milvusMinor?: string;
  /** Inclusive chart range excluded; null upper bound = all later charts. */
  readonly charts: readonly [string, string | null];
}

/** Chart exclusions. */
export const CHART_EXCLUSIONS: readonly ChartExclusion[] = [
  { ruleId: "R-PULSAR2-CHARTS", messageQueue: "pulsar", charts: ["4.2.21", "4.2.29"] },
  { ruleId: "R-23-CHART", milvusMinor: "2.3", charts: ["4.2.0", null] },
];

/** Helm and Kubernetes minimums from a chart version on (last matching row wins). */
export const CHART_REQUIREMENTS: readonly { readonly fromChart: string; readonly helm: string; readonly kubernetes: string }[] = [
  { fromChart: "0.0.0", helm: "3.2.0", kubernetes: "1.14.0" },
  { fromChart: "4.2.21", helm: "3.14.0", kubernetes: "1.20.0" },
];

/** The lowest Helm the executor accepts at all (R-HELM-MIN): --reset-then-reuse-values and current flags. */
export const MIN_EXECUTOR_HELM = "3.14.0";

/** Where each message queue is supported (R-MQ-SUPPORT). */
export const MQ_SUPPORT: Readonly<
  Record<
    MessageQueue,
    {
      readonly modes: readonly ClusterMode[];
      readonly minChart?: string;
      readonly minMilvus?: string;
      /** The queue was removed from Milvus at this version (the chart's values comment may still list it). */
      readonly removedInMilvus?: string;
    }
  >
> = {
  pulsar: { modes: ["cluster", "standalone"] },
  pulsarv3: { modes: ["cluster", "standalone"], minChart: "4.2.21" },
  kafka: { modes: ["cluster", "standalone"], minChart: "3.0.14" },
  rocksmq: { modes: ["standalone"], minChart: "3.0.23" },
  // natsmq is gone from Milvus 2.6 (milvus-io/milvus#41564, PR #41565; docs v2.6.x configure_mq).
  natsmq: { modes: ["standalone"], minChart: "4.0.33", minMilvus: "2.3.0", removedInMilvus: "2.6.0-0" },
  woodpecker: { modes: ["cluster", "standalone"], minChart: "4.2.42", minMilvus: "2.6.0" },
  "external-pulsar": { modes: ["cluster", "standalone"] },
  "external-kafka": { modes: ["cluster", "standalone"], minChart: "3.0.14" },
};

/** Chart defaults that flipped (R-DEFAULT-FLIPS), from values-keys-changes.txt: last row at or below a chart wins. */
export const DEFAULT_MQ: Readonly<Record<ClusterMode, readonly { readonly fromChart: string; readonly mq: MessageQueue }[]>> = {
  cluster: [
    { fromChart: "0.0.0", mq: "pulsar" },
    { fromChart: "4.2.27", mq: "pulsarv3" },
  ],
  standalone: [
    { fromChart: "0.0.0", mq: "rocksmq" },
    { fromChart: "5.0.0", mq: "woodpecker" },
  ],
};

/** Default coordinator topology by chart (R-DEFAULT-FLIPS): mixCoordinator became the default in 4.2.4. */
export const DEFAULT_COORDINATORS: readonly { readonly fromChart: string; readonly coordinators: CoordinatorTopology }[] = [
  { fromChart: "0.0.0", coordinators: "separate" },
  { fromChart: "4.2.4", coordinators: "mixed" },
];

/** Topology by Milvus version (R-26-TOPOLOGY): last row at or below the version wins. */
export const TOPOLOGY_BY_MILVUS: readonly {
  readonly fromMilvus: string;
  readonly ruleId: string;
  readonly streaming: boolean;
  readonly indexNode: boolean;
  /** Only this coordinator topology is allowed, when set. */
  readonly coordinatorsOnly?: CoordinatorTopology;
}[] = [
  { fromMilvus: "0.0.0", ruleId: "R-DEFAULT-FLIPS", streaming: false, indexNode: true },
  { fromMilvus: "2.6.0-0", ruleId: "R-26-TOPOLOGY", streaming: true, indexNode: false, coordinatorsOnly: "mixed" },
];

/** Rolling upgrades need a source at or above this version and active-standby coordinators (R-ROLLING). */
export const ROLLING_FROM_MILVUS = "2.2.3";

/**
 * First chart whose coordinator Deployments follow active-standby (R-ROLLING): from 4.1.22 (commit 79653e2,
 * "Enabling High Availability") `strategy: Recreate` is rendered only without `<coord>.activeStandby.enabled`;
 * every chart before it renders the root, query, data, index and mix coordinators with an unconditional
 * `strategy: Recreate` (templates/rootcoord-deployment.yaml at milvus-4.0.34 and milvus-4.1.10). Checked against
 * every chart tag by test/core/chart-strategy.test.ts.
 */
export const COORDINATOR_STRATEGY_FOLLOWS_HA_FROM_CHART = "4.1.22";

/** Milvus versions below this major are not Helm-upgradable to 2.x (R-MILVUS-1X). */
export const MIN_UPGRADABLE_MAJOR = 2;

/** First chart where removed shortcut config keys must not be set (R-CONFIG-FILES). */
export const SHORTCUT_KEYS_REMOVED_IN = "4.0.0";

/** Values paths removed in chart 4.0.0 (values-keys-history.txt, chart README "Breaking Changes"). */
export const REMOVED_SHORTCUT_KEYS: readonly string[] = [
  "metadata",
  "msgChannel",
  "authorization",
  "common",
  "quotaAndLimits",
  "dataCoordinator.segment",
  "dataCoordinator.compaction",
  "dataCoordinator.gc",
  "dataCoordinator.enableCompaction",
  "dataCoordinator.enableGarbageCollection",
  "dataNode.segment",
  "queryCoordinator.autoHandoff",
  "queryCoordinator.autoBalance",
  "queryCoordinator.checkInterval",
  "queryNode.grouping",
  "queryNode.scheduler",
  "queryNode.segcore",
  "rootCoordinator.dmlChannelNum",
  "rootCoordinator.maxPartitionNum",
  "rootCoordinator.minSegmentSizeToEnableIndex",
  "proxy.maxFieldNum",
  "proxy.maxShardNum",
  "proxy.maxTaskNum",
  "proxy.timeTickInterval",
  "indexCoordinator.gc",
  "indexNode.scheduler",
  "standalone.rocksmq",
];

/** First chart with a Pulsar v3 dependency: from here a Pulsar v2 release pins `pulsar`/`pulsarv3` (R-PULSAR2-PIN). */
export const PULSAR2_PIN_FROM_CHART = "4.2.21";

/** Oldest chart `valuesFor` writes values for: the first chart of Milvus 2.0.0 GA (older charts ship 2.0 release candidates). */
export const OLDEST_SUPPORTED_CHART = "3.0.0";

/** Chart from which the bundled etcd subchart is 8.x (R-ETCD-CHART-8). */
export const ETCD_CHART_8_FROM = "5.0.5";

/**
 * The bundled Pulsar chart was replaced at chart 3.0.11/3.0.12 (commit 72d71b5, "change pulsar chart to apache
 * pulsar"): kafkaesque pulsar 1.0.31 -> apache pulsar 2.7.8 (R-PULSAR-SUBCHART). Rendered with both charts: the
 * `<release>-pulsar-bookkeeper` StatefulSet becomes `<release>-pulsar-bookie` (new volume claims, the old ledgers
 * are orphaned), broker and proxy turn from Deployments into StatefulSets, and the zookeeper StatefulSet keeps its
 * name while its volumeClaimTemplates grow from 5Gi to 20Gi, which Kubernetes refuses to patch. A release whose
 * chart bundles a Pulsar chart of `oldMajor` must not be moved onto a chart bundling a later major.
 */
export const PULSAR_SUBCHART_REPLACED = { ruleId: "R-PULSAR-SUBCHART", oldMajor: 1, firstNewChart: "3.0.12" } as const;
