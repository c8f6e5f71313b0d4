/**
 * The upgrade rules as data. Every rule has an id, the source it comes from (section of the Milvus docs, chart
 * README or chart code, as collected in FACTS.md), what it says and how to comply. The planner, the values
 * builder and the validators read the parameter tables below; none of them hard-codes a version threshold.
 */

/** What a rule does. */
export type RuleKind = "stop" | "refusal" | "values" | "chart-selection" | "downtime" | "requirement" | "input";

/** One upgrade rule. */
export interface Rule {
  /** Stable id, cited by plans and errors. */
  readonly id: string;
  /** What the rule does. */
  readonly kind: RuleKind;
  /** One-line statement. */
  readonly title: string;
  /** Why it exists and what it requires. */
  readonly detail: string;
  /** Where it comes from. */
  readonly source: string;
  /** How to comply when refused. */
  readonly fix?: string;
}

const DOCS_26 = "Milvus docs v2.6.x upgrade_milvus_cluster-helm.md (FACTS.md §5 D12); chart README 5.0.0+";

/** Every rule the library knows. */
export const RULES: readonly Rule[] = [
  {
    id: "R-TARGET",
    kind: "stop",
    title: "The requested version is the last step",
    detail: "The chain ends with one helm upgrade to the target version with complete values for its chart.",
    source: "DESIGN.md core contract",
  },
  {
    id: "R-INSTALL",
    kind: "stop",
    title: "A fresh install is one step",
    detail: "Without a deployed release the target is installed directly; no intermediate version is needed.",
    source: "DESIGN.md core contract",
  },
  {
    id: "R-26-VIA-2516",
    kind: "stop",
    title: "Milvus 2.6 requires 2.5.16 with mixCoordinator first",
    detail:
      "Before any 2.6.x, the release must run 2.5.16 (chart 4.2.58) with mixCoordinator.enabled=true and the four separate coordinators disabled. A release already on 2.5.16 with mixCoordinator skips the stop.",
    source: `${DOCS_26}; FACTS.md §6 rule 14/15`,
  },
  {
    id: "R-26-TOPOLOGY",
    kind: "values",
    title: "Milvus 2.6 runs mixCoordinator + streaming node, no indexNode",
    detail:
      "Chart 5.x supports only mixCoordinator; the 2.6 step sets streaming.enabled=true and indexNode.enabled=false. Separate coordinators or an indexNode on 2.6 are refused.",
    source: `${DOCS_26}; chart 5.0.0 commit 7552d1d "only mixcoord mode supported" (FACTS.md §6 rule 18)`,
    fix: "drop coordinators: separate and any indexNode settings for 2.6 targets",
  },
  {
    id: "R-META-MIGRATION",
    kind: "stop",
    title: "2.1.x to 2.2+ needs an offline metadata migration to 2.2.0",
    detail:
      "Milvus 2.2 changed the segment-index meta layout. The migration (stop all components, back up etcd meta, migrate, start 2.2.0) supports 2.1.x -> 2.2.0 only, so it is its own step before any later version.",
    source: "Milvus docs v2.2.x-v2.5.x upgrade pages (FACTS.md §5 D4); deployments/migrate-meta/README.md (FACTS.md §4); chart README 3.3.0+",
  },
  {
    id: "R-META-SOURCE",
    kind: "stop",
    title: "The metadata migration starts from 2.1.x",
    detail: "migrate-meta accepts a 2.1.x source only, so a 2.0.x release first upgrades to the newest 2.1.x with a plain helm upgrade.",
    source: "deployments/migrate-meta/README.md (FACTS.md §4); docs v2.0.x/v2.1.x upgrade.md (FACTS.md §6 rule 3)",
  },
  {
    id: "R-DOWNGRADE",
    kind: "refusal",
    title: "Downgrades are refused",
    detail: "Milvus does not support running an older version on metadata written by a newer one; coordinators refuse version skew.",
    source: "milvus-io/milvus#46479 (FACTS research §1.6); docs v3.0.x (FACTS.md §5 D18)",
    fix: "restore the older version from a backup (milvus-backup) instead of downgrading in place",
  },
  {
    id: "R-PRERELEASE-SOURCE",
    kind: "refusal",
    title: "No upgrade from a pre-release",
    detail:
      "2.6.0-rc1 is incompatible with 2.6.x GA and earlier 2.0.0 RCs with RC7; no pre-release is documented as upgradable to a GA release, so every pre-release source is refused.",
    source: "docs v2.6.x (FACTS.md §5 D15, milvus-io/milvus#43538); docs v2.0.x (D2)",
    fix: "install the target fresh and move the data with milvus-backup, or follow milvus-io/milvus#43538 for 2.6.0-rc1",
  },
  {
    id: "R-PRERELEASE-TARGET",
    kind: "refusal",
    title: "No upgrade of a GA release to a pre-release",
    detail: "A pre-release cannot be upgraded further (R-PRERELEASE-SOURCE), so moving a GA release onto one is a dead end.",
    source: "derived from R-PRERELEASE-SOURCE (FACTS.md §5 D15)",
    fix: "choose a GA version; pre-releases are for fresh test installs only",
  },
  {
    id: "R-MILVUS-1X",
    kind: "refusal",
    title: "Milvus 1.x/0.x to 2.x is not a Helm upgrade",
    detail: "Milvus 2.x is a different system (new storage and metadata); its chart cannot upgrade a 1.x release. Data moves with the Milvus migration tool.",
    source: "chart history 0.x/1.x (mysql-based) vs 2.x (FACTS.md §1 dependency history)",
    fix: "install Milvus 2.x as a new release and migrate the data with milvus-migration",
  },
  {
    id: "R-MQ-KEEP",
    kind: "refusal",
    title: "The message queue never changes inside an upgrade",
    detail:
      "Switching the MQ (including Pulsar v2 -> Pulsar v3) as part of an upgrade is unsupported; Pulsar v2 -> v3 is an offline procedure (flush, uninstall, delete Pulsar PVCs, reinstall). Milvus' own mq.type (in milvusConfig or in a file of extraConfigFiles) may only be default or the release's queue.",
    source: "docs v2.6.x (FACTS.md §5 D16); upgrade-pulsar-v3.md (D10); FACTS.md §6 rule 13",
    fix: "keep the deployed messageQueue; to move to Pulsar v3 follow https://milvus.io/docs/upgrade-pulsar-v3.md offline, then manage the new release",
  },
  {
    id: "R-MODE-KEEP",
    kind: "refusal",
    title: "Standalone <-> cluster is not an upgrade",
    detail: "Helm cannot turn a standalone release into a cluster or back; it is a reinstall plus data migration.",
    source: "docs v2.0.x/v2.1.x (FACTS.md §5 D1); FACTS.md §6 rule 2",
    fix: "keep the deployed mode, or install a new release in the other mode and migrate the data with milvus-backup",
  },
  {
    id: "R-PULSAR2-CHARTS",
    kind: "chart-selection",
    title: "Pulsar v2 releases never land on charts 4.2.21-4.2.29",
    detail: "The chart README tells Pulsar v2 users not to upgrade through 4.2.21-4.2.29 and to use >= 4.2.30.",
    source: "chart README 4.2.30+ (FACTS.md §2; §6 rule 12)",
    fix: "choose a version whose chart is outside 4.2.21-4.2.29 (e.g. 2.4.16 on 4.2.20, or 2.5.0+ on >= 4.2.33)",
  },
  {
    id: "R-PULSAR2-FRESH",
    kind: "values",
    title: "A new release on charts 4.2.21-4.2.26 with the queue unset gets Pulsar v3",
    detail:
      "Those charts default to Pulsar v2, which R-PULSAR2-CHARTS keeps off them. The chart README recommends Pulsar v3 for new instances and warns only against upgrading Pulsar v2 releases through 4.2.21-4.2.29, so a new release on such a chart (e.g. 2.4.17, shipped only by 4.2.24/4.2.25, or 2.4.16 on its newest chart 4.2.23) gets pulsarv3 with a warning, in plans and in valuesFor alike. An explicit messageQueue: pulsar is refused.",
    source: "chart README 4.2.30+ (FACTS.md §2; §6 rule 12); values-keys-changes.txt (pulsarv3.enabled default true from 4.2.27)",
  },
  {
    id: "R-PULSAR-SUBCHART",
    kind: "refusal",
    title: "A release on the kafkaesque Pulsar chart (charts <= 3.0.10) is not helm-upgraded onto apache Pulsar (>= 3.0.12)",
    detail:
      "Chart 3.0.12 replaced the bundled Pulsar chart 1.0.31 with apache pulsar 2.7.8: bookkeeper becomes a new bookie StatefulSet with new volumes, broker and proxy change kind, and zookeeper's volumeClaimTemplates change size, which Kubernetes refuses to patch, so a plain helm upgrade fails half-way with the new Pulsar empty. Milvus 2.0.0 (charts 3.0.0-3.0.7) and 2.0.1 on charts 3.0.8-3.0.10 run the old chart; every 2.1.x chart runs the new one. The docs call 2.0 -> 2.1 a plain helm upgrade and do not cover this; the library refuses it and describes the offline procedure.",
    source: "chart commit 72d71b5 (3.0.11, first published 3.0.12) requirements.yaml and values.yaml; helm template of charts 3.0.10 and 3.0.12; chart-versions.tsv; FACTS.md §1 dependency history",
    fix: "offline, see docs/knowledge-round2.md: stop writes and flush every collection, scale Milvus to 0, delete the old Pulsar StatefulSets, Deployments and their volume claims (as https://milvus.io/docs/upgrade-pulsar-v3.md does for Pulsar v3), helm upgrade to chart 3.0.13 with image v2.0.x, then plan from the release with from.chartVersion 3.0.13",
  },
  {
    id: "R-PULSAR2-PIN",
    kind: "values",
    title: "Pulsar v2 releases pin pulsar.enabled=true, pulsarv3.enabled=false",
    detail: "From chart 4.2.27 the defaults are Pulsar v3 on and v2 off; without the pin an upgrade would replace the MQ.",
    source: "chart README 4.2.30+; docs use-pulsar-v2.md (FACTS.md §5 D11; §6 rule 12)",
  },
  {
    id: "R-23-CHART",
    kind: "chart-selection",
    title: "Milvus 2.3.x never runs on chart >= 4.2.0",
    detail: "Chart 4.2.0 and later do not support Milvus 2.3.x; use a chart below 4.2.0 (e.g. 4.1.36).",
    source: "chart README 4.2.2+ (FACTS.md §2; §6 rule 9)",
    fix: "leave chartVersion unset or pick a chart below 4.2.0",
  },
  {
    id: "R-CONFIG-FILES",
    kind: "values",
    title: "Milvus config goes to extraConfigFiles.user.yaml; shortcut keys are gone from chart 4.0.0",
    detail:
      "Chart 4.0.0 removed the shortcut config values (metadata, msgChannel, common, quotaAndLimits, dataCoordinator.segment, ...). The library always writes Milvus config into extraConfigFiles.user.yaml (chart >= 3.3.2) and refuses removed keys in raw overrides.",
    source: 'chart README "Breaking Changes" 4.0.0+ (FACTS.md §2; §6 rule 5); values-keys-history.txt',
    fix: "move the setting into milvusConfig (it lands in extraConfigFiles.user.yaml)",
  },
  {
    id: "R-CHART-KEYS",
    kind: "values",
    title: "Every managed key written exists in that chart version",
    detail: "Keys such as streaming, pulsarv3 or woodpecker appeared in later charts; setting them for an older chart is silently ignored by Helm, so valuesFor never writes them and refuses overrides that do.",
    source: "values-keys-history.txt; values-keys-matrix.tsv (FACTS.md values-keys.md §2)",
    fix: "remove the key from helmValues for this version",
  },
  {
    id: "R-RESET-VALUES",
    kind: "values",
    title: "Every step passes complete values with --reset-values; helmValues never replace a managed key or its map",
    detail:
      "--reuse-values ignores new chart defaults and breaks on keys added later; every key whose default ever flipped is written explicitly, so helm template, Argo CD and helm upgrade render the same thing.",
    source: "chart README 4.2.22+ and docs (FACTS.md §5 D8; §2 --reuse-values pitfall, commit 4119748)",
    fix: "change the typed field that manages the key; set other keys inside a managed map (pulsar, image.all, cluster, streaming) as a map, never null or a scalar",
  },
  {
    id: "R-DEFAULT-FLIPS",
    kind: "values",
    title: "Pinned keys: coordinators (4.2.4), Pulsar v3 (4.2.27), streaming/indexNode/standalone MQ (5.0.0)",
    detail:
      "Chart defaults flipped at 4.2.4 (mixCoordinator), 4.2.27 (pulsarv3) and 5.0.0 (streaming on, indexNode off, standalone woodpecker). The deployed topology and MQ are kept by pinning them.",
    source: "values-keys-changes.txt; FACTS.md §2 default flips; §6 rules 10, 15",
  },
  {
    id: "R-STANDALONE-MQ",
    kind: "values",
    title: "standalone.messageQueue is always set explicitly",
    detail: "Chart 5.x looks up the live standalone Deployment to keep rocksmq; helm template cannot, and would render woodpecker.",
    source: "chart _helpers.tpl milvus.standalone.messageQueue (FACTS.md §6 rule 15; values-keys.md §3.7)",
  },
  {
    id: "R-REPO-MOVE",
    kind: "values",
    title: "Charts come from the zilliztech repository",
    detail: "The milvus-io chart repository is archived and serves charts up to 4.0.31; zilliztech serves every published chart, so releases installed from milvus-io move to it.",
    source: "docs v2.2.x-v2.6.x (FACTS.md §5 D7); index.yaml of both repositories",
  },
  {
    id: "R-ROLLING",
    kind: "downtime",
    title: "Rolling upgrade from 2.2.3 with active-standby coordinators",
    detail:
      "From Milvus 2.2.3 coordinators can run active-standby (chart >= 4.0.4), but only charts >= 4.1.22 render their Deployments with a rolling strategy when it is enabled; the step's chart decides. Otherwise coordinators use Recreate.",
    source: "docs v2.2.x-v2.5.x (FACTS.md §5 D5, D6); chart 4.1.22 commit 79653e2 (FACTS.md §2); templates/*coord-deployment.yaml at every chart tag (test/core/chart-strategy.test.ts)",
  },
  {
    id: "R-RECREATE",
    kind: "downtime",
    title: "Recreate downtime: standalone, coordinators without active-standby, charts before 4.1.22, releases before 2.2.3, topology changes",
    detail: "Pods are replaced, not rolled: standalone restarts, coordinators use strategy Recreate (unconditionally on every chart below 4.1.22, e.g. templates/rootcoord-deployment.yaml at milvus-4.0.34 and milvus-4.1.10), and a coordinator topology change removes and creates Deployments.",
    source: "docs v2.0.x/v2.1.x D3, v2.2.x D6 (FACTS.md §5); chart coordinator strategy (FACTS.md §2)",
  },
  {
    id: "R-COORD-HA",
    kind: "input",
    title: "Coordinator replicas > 1 need active-standby",
    detail: "The chart allows more than one coordinator replica only with activeStandby.enabled (chart >= 4.0.4; mixCoordinator >= 4.0.9).",
    source: "chart values comments and README 4.0.7-4.2.58 (FACTS.md §6 rule 8)",
    fix: "set activeStandby: true or use 1 replica",
  },
  {
    id: "R-MQ-SUPPORT",
    kind: "input",
    title: "The message queue must exist for the mode, chart and Milvus version",
    detail: "rocksmq and natsmq are standalone-only; pulsarv3 needs chart >= 4.2.21; kafka chart >= 3.0.14; natsmq Milvus >= 2.3 and chart >= 4.0.33 and is gone from Milvus 2.6 (fresh or upgraded; the chart's values comment still lists it); woodpecker Milvus >= 2.6.",
    source: "chart values/requirements history (FACTS.md §1 dependency history; values-keys.md §2, §3.5); milvus-io/milvus#41564 and PR #41565 (natsmq removed in 2.6); docs v2.6.x configure_mq (default, pulsar, kafka, rocksmq, woodpecker)",
    fix: "choose a message queue that the mode and version support",
  },
  {
    id: "R-HELM-MIN",
    kind: "requirement",
    title: "Helm >= 3.14 and Kubernetes >= 1.20 from chart 4.2.21",
    detail: "Since the pulsar-v3 dependency (chart 4.2.21) the chart needs Helm >= 3.14.0 (--reset-then-reuse-values) and Kubernetes >= 1.20.0; older charts need Helm >= 3.2.0, Kubernetes >= 1.14.",
    source: "chart README 4.2.22+ and docs (FACTS.md §1 prerequisites; §5 D8)",
    fix: "upgrade helm to >= 3.14 (the executor refuses older helm)",
  },
  {
    id: "R-CHART-MINOR",
    kind: "chart-selection",
    title: "An explicit chart must ship the same Milvus minor version",
    detail: "The docs pin a chart and override image.all.tag within one minor (chart 5.0.0 with v2.6.4); a chart built for another minor has other templates and defaults (e.g. 4.2.58 has no 2.6 topology).",
    source: "docs v2.6.x upgrade_milvus_cluster-helm.md (FACTS.md §5 D12: --version=5.0.0 with image v2.6.x)",
    fix: "pick a chart whose default image has the same MAJOR.MINOR as the version, or leave chartVersion unset",
  },
  {
    id: "R-CHART-PUBLISHED",
    kind: "chart-selection",
    title: "Only published charts are used",
    detail: "Charts 1.1.5, 3.0.11, 3.0.22, 4.0.9, 4.0.15, 4.0.18, 4.2.46 and 4.2.50 were tagged but never published in an index.yaml, so they cannot be installed.",
    source: "index.yaml of both repositories (FACTS.md §1 oddities)",
    fix: "leave chartVersion unset or use a published chart",
  },
  {
    id: "R-KNOWN-VERSION",
    kind: "input",
    title: "The version must be shipped by a published chart",
    detail: "The catalog knows every published chart and the Milvus version it ships (its default image.all.tag).",
    source: "index.yaml of both repositories; chart values.yaml image.all.tag",
    fix: "run milvus-cluster versions for the list",
  },
  {
    id: "R-VERSION-FORMAT",
    kind: "input",
    title: "Versions are MAJOR.MINOR.PATCH",
    detail: "Accepted: 2.5.8, v2.5.8, 2.6.0-rc1, 2.5.0-beta.",
    source: "semver",
    fix: "write the full version, e.g. 2.5.8",
  },
  {
    id: "R-ETCD-CHART-8",
    kind: "values",
    title: "Chart 5.0.5 moves the bundled etcd chart from 6.3.3 to 8.12.0",
    detail: "The bitnami etcd subchart jumps a major version; its upgrade impact on existing etcd PVCs is unverified. Plans that cross it with the bundled etcd, in cluster and in standalone mode, say so in their warnings; with externalEtcdEndpoints the chart does not touch etcd and there is no warning.",
    source: "chart 5.0.5 commit e0d9b4b (FACTS.md §6 rule 19, UNVERIFIED)",
  },
  {
    id: "R-SPEC-FILE",
    kind: "input",
    title: "A spec file is one YAML mapping of at most 512 KiB",
    detail:
      "milvus-cluster -f reads UTF-8 YAML: one document, no duplicate keys, no tabs as indentation, at most 100 aliases, flow nesting at most 64 deep and indentation at most 256 columns. Anything else (a missing path, a directory, binary content, a syntax error) is refused with the file, line and column.",
    source: "YAML 1.2 (duplicate keys and tab indentation are errors); yaml library options maxAliasCount and prettyErrors; this library's limits (docs/knowledge-round2.md)",
    fix: "write the spec as one YAML mapping, e.g. version: 2.6.4",
  },
  {
    id: "R-INPUT",
    kind: "input",
    title: "Inputs must be well-formed",
    detail: "Release names and namespaces are DNS-1123 labels on every surface (plan -o commands included); replicas are non-negative int32, typed or through helmValues; resources follow the Kubernetes quantity grammar, are non-negative maps keyed by valid resource names, with limits not below requests; ports are 1-65535 everywhere; no plain credential by any path or type (Milvus config keys, subchart password keys, extraEnv, extraConfigFiles, numbers): secrets are referenced by name and key; URLs are https.",
    source: "Kubernetes object name rules, resource.Quantity grammar and ResourceRequirements validation; each bundled subchart's values (etcd, MinIO, Kafka, Pulsar); this library's security policy",
    fix: "correct the named field",
  },
];

const byId = new Map(RULES.map((r) => [r.id, r]));

/** Looks a rule up by id; throws for an unknown id (a programming error). */
export function rule(id: string): Rule {
  const r = byId.get(id);
  if (!r) throw new Error(`unknown rule id ${id}`);
  return r;
}

/** Looks a rule up by id, or undefined. */
export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}
