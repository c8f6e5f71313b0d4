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

const DOCS_26 = "https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md; https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.0/charts/milvus/README.md";

/** Every rule the library knows. */
export const RULES: readonly Rule[] = [
  {
    id: "R-TARGET",
    kind: "stop",
    title: "The requested version is the last step",
    detail: "The chain ends with one helm upgrade to the target version with complete values for its chart.",
    source: "this library's planner contract (docs/upgrade-paths.md in this package)",
  },
  {
    id: "R-INSTALL",
    kind: "stop",
    title: "A fresh install is one step",
    detail: "Without a deployed release the target is installed directly; no intermediate version is needed.",
    source: "this library's planner contract (docs/upgrade-paths.md in this package)",
  },
  {
    id: "R-26-VIA-2516",
    kind: "stop",
    title: "Milvus 2.6 requires 2.5.16 with mixCoordinator first",
    detail:
      "Before any 2.6.x, the release must run 2.5.16 (chart 4.2.58) with mixCoordinator.enabled=true and the four separate coordinators disabled. A release already on 2.5.16 with mixCoordinator skips the stop.",
    source: `${DOCS_26}; https://milvus.io/docs/v2.6.x/upgrade_milvus_standalone-helm.md`,
  },
  {
    id: "R-26-TOPOLOGY",
    kind: "values",
    title: "Milvus 2.6 runs mixCoordinator + streaming node, no indexNode",
    detail:
      "Chart 5.x supports only mixCoordinator; the 2.6 step sets streaming.enabled=true and indexNode.enabled=false. Separate coordinators or an indexNode on 2.6 are refused.",
    source: `${DOCS_26}; chart 5.0.0 "only mixcoord mode supported": https://github.com/zilliztech/milvus-helm/commit/7552d1d3795989dc0f4419acf4c2c1eff6c04162`,
    fix: "drop coordinators: separate and any indexNode settings for 2.6 targets",
  },
  {
    id: "R-META-MIGRATION",
    kind: "stop",
    title: "2.1.x to 2.2+ needs an offline metadata migration to 2.2.0",
    detail:
      "Milvus 2.2 changed the segment-index meta layout. The migration (stop all components, back up etcd meta, migrate, start 2.2.0) supports 2.1.x -> 2.2.0 only, so it is its own step before any later version.",
    source: "https://milvus.io/docs/v2.2.x/upgrade_milvus_cluster-helm.md (same in v2.3.x-v2.5.x); https://github.com/milvus-io/milvus/blob/master/deployments/migrate-meta/README.md; https://github.com/zilliztech/milvus-helm/blob/milvus-3.3.0/charts/milvus/README.md",
  },
  {
    id: "R-META-SOURCE",
    kind: "stop",
    title: "The metadata migration starts from 2.1.x",
    detail: "migrate-meta accepts a 2.1.x source only, so a 2.0.x release first upgrades to the newest 2.1.x with a plain helm upgrade.",
    source: "https://github.com/milvus-io/milvus/blob/master/deployments/migrate-meta/README.md; https://milvus.io/docs/v2.1.x/upgrade.md",
  },
  {
    id: "R-DOWNGRADE",
    kind: "refusal",
    title: "Downgrades are refused",
    detail: "Milvus does not support running an older version on metadata written by a newer one; coordinators refuse version skew.",
    source: "https://github.com/milvus-io/milvus/issues/46479; https://milvus.io/docs/v3.0.x/upgrade_milvus_cluster-helm.md",
    fix: "restore the older version from a backup (milvus-backup) instead of downgrading in place",
  },
  {
    id: "R-PRERELEASE-SOURCE",
    kind: "refusal",
    title: "No upgrade from a pre-release",
    detail:
      "2.6.0-rc1 is incompatible with 2.6.x GA and earlier 2.0.0 RCs with RC7; no pre-release is documented as upgradable to a GA release, so every pre-release source is refused.",
    source: "https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md; https://github.com/milvus-io/milvus/issues/43538; https://milvus.io/docs/v2.0.x/upgrade.md",
    fix: "install the target fresh and move the data with milvus-backup, or follow milvus-io/milvus#43538 for 2.6.0-rc1",
  },
  {
    id: "R-PRERELEASE-TARGET",
    kind: "refusal",
    title: "No upgrade of a GA release to a pre-release",
    detail: "A pre-release cannot be upgraded further (R-PRERELEASE-SOURCE), so moving a GA release onto one is a dead end.",
    source: "derived from R-PRERELEASE-SOURCE: https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md",
    fix: "choose a GA version; pre-releases are for fresh test installs only",
  },
  {
    id: "R-MILVUS-1X",
    kind: "refusal",
    title: "Milvus 1.x/0.x to 2.x is not a Helm upgrade",
    detail: "Milvus 2.x is a different system (new storage and metadata); its chart cannot upgrade a 1.x release. Data moves with the Milvus migration tool.",
    source: "chart 1.x ships Milvus 1.x on MySQL: https://github.com/zilliztech/milvus-helm/blob/milvus-1.1.6/charts/milvus/requirements.yaml",
    fix: "install Milvus 2.x as a new release and migrate the data with milvus-migration",
  },
  {
    id: "R-MQ-KEEP",
    kind: "refusal",
    title: "The message queue never changes inside an upgrade",
    detail:
      "Switching the MQ (including Pulsar v2 -> Pulsar v3) as part of an upgrade is unsupported; Pulsar v2 -> v3 is an offline procedure (flush, uninstall, delete Pulsar PVCs, reinstall). Milvus' own mq.type (in milvusConfig or in a file of extraConfigFiles) may only be default or the release's queue.",
    source: "https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md; https://milvus.io/docs/v2.5.x/upgrade-pulsar-v3.md",
    fix: "keep the deployed messageQueue; to move to Pulsar v3 follow https://milvus.io/docs/upgrade-pulsar-v3.md offline, then manage the new release",
  },
  {
    id: "R-MODE-KEEP",
    kind: "refusal",
    title: "Standalone <-> cluster is not an upgrade",
    detail: "Helm cannot turn a standalone release into a cluster or back; it is a reinstall plus data migration.",
    source: "https://milvus.io/docs/v2.1.x/upgrade.md (same in v2.0.x)",
    fix: "keep the deployed mode, or install a new release in the other mode and migrate the data with milvus-backup",
  },
  {
    id: "R-PULSAR2-CHARTS",
    kind: "chart-selection",
    title: "Pulsar v2 releases never land on charts 4.2.21-4.2.29",
    detail: "The chart README tells Pulsar v2 users not to upgrade through 4.2.21-4.2.29 and to use >= 4.2.30.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.30/charts/milvus/README.md",
    fix: "choose a version whose chart is outside 4.2.21-4.2.29 (e.g. 2.4.16 on 4.2.20, or 2.5.0+ on >= 4.2.33)",
  },
  {
    id: "R-PULSAR2-FRESH",
    kind: "values",
    title: "A new release on charts 4.2.21-4.2.26 with the queue unset gets Pulsar v3",
    detail:
      "Those charts default to Pulsar v2, which R-PULSAR2-CHARTS keeps off them. The chart README recommends Pulsar v3 for new instances and warns only against upgrading Pulsar v2 releases through 4.2.21-4.2.29, so a new release on such a chart (e.g. 2.4.17, shipped only by 4.2.24/4.2.25, or 2.4.16 on its newest chart 4.2.23) gets pulsarv3 with a warning, in plans and in valuesFor alike. An explicit messageQueue: pulsar is refused.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.30/charts/milvus/README.md; pulsarv3.enabled defaults to true from chart 4.2.27: https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.27/charts/milvus/values.yaml",
  },
  {
    id: "R-PULSAR-SUBCHART",
    kind: "refusal",
    title: "A release on the kafkaesque Pulsar chart (charts <= 3.0.10) is not helm-upgraded onto apache Pulsar (>= 3.0.12)",
    detail:
      "Chart 3.0.12 replaced the bundled Pulsar chart 1.0.31 with apache pulsar 2.7.8: bookkeeper becomes a new bookie StatefulSet with new volumes, broker and proxy change kind, and zookeeper's volumeClaimTemplates change size, which Kubernetes refuses to patch, so a plain helm upgrade fails half-way with the new Pulsar empty. Milvus 2.0.0 (charts 3.0.0-3.0.7) and 2.0.1 on charts 3.0.8-3.0.10 run the old chart; every 2.1.x chart runs the new one. The docs call 2.0 -> 2.1 a plain helm upgrade and do not cover this; the library refuses it and describes the offline procedure.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-3.0.10/charts/milvus/requirements.yaml against https://github.com/zilliztech/milvus-helm/blob/milvus-3.0.12/charts/milvus/requirements.yaml (chart commit https://github.com/zilliztech/milvus-helm/commit/72d71b5); helm template of both; docs/knowledge-round2.md",
    fix: "offline, see docs/knowledge-round2.md: stop writes and flush every collection, scale Milvus to 0, delete the old Pulsar StatefulSets, Deployments and their volume claims (as https://milvus.io/docs/upgrade-pulsar-v3.md does for Pulsar v3), helm upgrade to chart 3.0.13 with image v2.0.x, then plan from the release with from.chartVersion 3.0.13",
  },
  {
    id: "R-PULSAR2-PIN",
    kind: "values",
    title: "Pulsar v2 releases pin pulsar.enabled=true, pulsarv3.enabled=false",
    detail: "From chart 4.2.27 the defaults are Pulsar v3 on and v2 off; without the pin an upgrade would replace the MQ.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.30/charts/milvus/README.md; https://milvus.io/docs/v2.5.x/use-pulsar-v2.md",
  },
  {
    id: "R-23-CHART",
    kind: "chart-selection",
    title: "Milvus 2.3.x never runs on chart >= 4.2.0",
    detail: "Chart 4.2.0 and later do not support Milvus 2.3.x; use a chart below 4.2.0 (e.g. 4.1.36).",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.2/charts/milvus/README.md",
    fix: "leave chartVersion unset or pick a chart below 4.2.0",
  },
  {
    id: "R-CONFIG-FILES",
    kind: "values",
    title: "Milvus config goes to extraConfigFiles.user.yaml; shortcut keys are gone from chart 4.0.0",
    detail:
      "Chart 4.0.0 removed the shortcut config values (metadata, msgChannel, common, quotaAndLimits, dataCoordinator.segment, ...). The library always writes Milvus config into extraConfigFiles.user.yaml (chart >= 3.3.2) and refuses removed keys in raw overrides.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.0.0/charts/milvus/README.md (Breaking Changes); https://github.com/zilliztech/milvus-helm/blob/milvus-4.0.0/charts/milvus/values.yaml",
    fix: "move the setting into milvusConfig (it lands in extraConfigFiles.user.yaml)",
  },
  {
    id: "R-CHART-KEYS",
    kind: "values",
    title: "Every managed key written exists in that chart version",
    detail: "Keys such as streaming, pulsarv3 or woodpecker appeared in later charts; setting them for an older chart is silently ignored by Helm, so valuesFor never writes them and refuses overrides that do.",
    source: "the chart's values.yaml at each tag, e.g. https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.6/charts/milvus/values.yaml (this package's catalog records which keys exist where)",
    fix: "remove the key from helmValues for this version",
  },
  {
    id: "R-RESET-VALUES",
    kind: "values",
    title: "Every step passes complete values with --reset-values; helmValues never replace a managed key or its map",
    detail:
      "--reuse-values ignores new chart defaults and breaks on keys added later; every key whose default ever flipped is written explicitly, so helm template, Argo CD and helm upgrade render the same thing.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.22/charts/milvus/README.md; https://milvus.io/docs/v2.5.x/upgrade_milvus_cluster-helm.md; --reuse-values pitfall: https://github.com/zilliztech/milvus-helm/commit/4119748f063a30b1c9183d8e9f7dd4b5679cb65f",
    fix: "change the typed field that manages the key; set other keys inside a managed map (pulsar, image.all, cluster, streaming) as a map, never null or a scalar",
  },
  {
    id: "R-DEFAULT-FLIPS",
    kind: "values",
    title: "Pinned keys: coordinators (4.2.4), Pulsar v3 (4.2.27), streaming/indexNode/standalone MQ (5.0.0)",
    detail:
      "Chart defaults flipped at 4.2.4 (mixCoordinator), 4.2.27 (pulsarv3) and 5.0.0 (streaming on, indexNode off, standalone woodpecker). The deployed topology and MQ are kept by pinning them.",
    source: "the chart's values.yaml at 4.2.4, 4.2.27 and 5.0.0: https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.4/charts/milvus/values.yaml, https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.27/charts/milvus/values.yaml, https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.0/charts/milvus/values.yaml",
  },
  {
    id: "R-STANDALONE-MQ",
    kind: "values",
    title: "standalone.messageQueue is always set explicitly",
    detail: "Chart 5.x looks up the live standalone Deployment to keep rocksmq; helm template cannot, and would render woodpecker.",
    source: "template milvus.standalone.messageQueue: https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.0/charts/milvus/templates/_helpers.tpl",
  },
  {
    id: "R-REPO-MOVE",
    kind: "values",
    title: "Charts come from the zilliztech repository",
    detail: "The milvus-io chart repository is archived and serves charts up to 4.0.31; zilliztech serves every published chart, so releases installed from milvus-io move to it.",
    source: "https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md (same in v2.2.x-v2.5.x); https://zilliztech.github.io/milvus-helm/index.yaml and https://milvus-io.github.io/milvus-helm/index.yaml",
  },
  {
    id: "R-ROLLING",
    kind: "downtime",
    title: "Rolling upgrade from 2.2.3 with active-standby coordinators",
    detail:
      "From Milvus 2.2.3 coordinators can run active-standby (chart >= 4.0.4), but only charts >= 4.1.22 render their Deployments with a rolling strategy when it is enabled; the step's chart decides. Otherwise coordinators use Recreate.",
    source: "https://milvus.io/docs/v2.2.x/upgrade_milvus_cluster-helm.md (same in v2.3.x-v2.5.x); active-standby in chart 4.1.18: https://github.com/zilliztech/milvus-helm/commit/79653e2bdec4c8724369c91728c5ff35bff4c194; coordinator strategy per chart: https://github.com/zilliztech/milvus-helm/blob/milvus-4.1.22/charts/milvus/templates/rootcoord-deployment.yaml",
  },
  {
    id: "R-RECREATE",
    kind: "downtime",
    title: "Recreate downtime: standalone, coordinators without active-standby, charts before 4.1.22, releases before 2.2.3, topology changes",
    detail: "Pods are replaced, not rolled: standalone restarts, coordinators use strategy Recreate (unconditionally on every chart below 4.1.22, e.g. templates/rootcoord-deployment.yaml at milvus-4.0.34 and milvus-4.1.10), and a coordinator topology change removes and creates Deployments.",
    source: "https://milvus.io/docs/v2.1.x/upgrade.md; https://milvus.io/docs/v2.2.x/upgrade_milvus_cluster-helm.md; coordinator strategy in https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.58/charts/milvus/values.yaml; unconditional Recreate below 4.1.22: https://github.com/zilliztech/milvus-helm/blob/milvus-4.1.10/charts/milvus/templates/rootcoord-deployment.yaml",
  },
  {
    id: "R-COORD-HA",
    kind: "input",
    title: "Coordinator replicas > 1 need active-standby",
    detail: "The chart allows more than one coordinator replica only with activeStandby.enabled (chart >= 4.0.4; mixCoordinator >= 4.0.9).",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.58/charts/milvus/values.yaml (comments); https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.58/charts/milvus/README.md",
    fix: "set activeStandby: true or use 1 replica",
  },
  {
    id: "R-MQ-SUPPORT",
    kind: "input",
    title: "The message queue must exist for the mode, chart and Milvus version",
    detail: "rocksmq and natsmq are standalone-only; pulsarv3 needs chart >= 4.2.21; kafka chart >= 3.0.14; natsmq Milvus >= 2.3 and chart >= 4.0.33 and is gone from Milvus 2.6 (fresh or upgraded; the chart's values comment still lists it); woodpecker Milvus >= 2.6.",
    source: "the chart's requirements.yaml and values.yaml at each tag, e.g. https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.6/charts/milvus/requirements.yaml; natsmq removed in 2.6: https://github.com/milvus-io/milvus/issues/41564, https://github.com/milvus-io/milvus/pull/41565, https://milvus.io/docs/v2.6.x/configure_mq.md",
    fix: "choose a message queue that the mode and version support",
  },
  {
    id: "R-HELM-MIN",
    kind: "requirement",
    title: "Helm >= 3.14 and Kubernetes >= 1.20 from chart 4.2.21",
    detail: "Since the pulsar-v3 dependency (chart 4.2.21) the chart needs Helm >= 3.14.0 (--reset-then-reuse-values) and Kubernetes >= 1.20.0; older charts need Helm >= 3.2.0, Kubernetes >= 1.14.",
    source: "https://github.com/zilliztech/milvus-helm/blob/milvus-4.2.22/charts/milvus/README.md; https://milvus.io/docs/v2.5.x/upgrade_milvus_cluster-helm.md",
    fix: "upgrade helm to >= 3.14 (the executor refuses older helm)",
  },
  {
    id: "R-CHART-MINOR",
    kind: "chart-selection",
    title: "An explicit chart must ship the same Milvus minor version",
    detail: "The docs pin a chart and override image.all.tag within one minor (chart 5.0.0 with v2.6.4); a chart built for another minor has other templates and defaults (e.g. 4.2.58 has no 2.6 topology).",
    source: "https://milvus.io/docs/v2.6.x/upgrade_milvus_cluster-helm.md (--version=5.0.0 with image v2.6.x)",
    fix: "pick a chart whose default image has the same MAJOR.MINOR as the version, or leave chartVersion unset",
  },
  {
    id: "R-CHART-PUBLISHED",
    kind: "chart-selection",
    title: "Only published charts are used",
    detail: "Charts 1.1.5, 3.0.11, 3.0.22, 4.0.9, 4.0.15, 4.0.18, 4.2.46 and 4.2.50 were tagged but never published in an index.yaml, so they cannot be installed.",
    source: "https://zilliztech.github.io/milvus-helm/index.yaml and https://milvus-io.github.io/milvus-helm/index.yaml",
    fix: "leave chartVersion unset or use a published chart",
  },
  {
    id: "R-KNOWN-VERSION",
    kind: "input",
    title: "The version must be shipped by a published chart",
    detail: "The catalog knows every published chart and the Milvus version it ships (its default image.all.tag).",
    source: "https://zilliztech.github.io/milvus-helm/index.yaml and https://milvus-io.github.io/milvus-helm/index.yaml; image.all.tag in each chart's values.yaml",
    fix: "run milvus-cluster versions for the list",
  },
  {
    id: "R-VERSION-FORMAT",
    kind: "input",
    title: "Versions are MAJOR.MINOR.PATCH",
    detail: "Accepted: 2.5.8, v2.5.8, 2.6.0-rc1, 2.5.0-beta.",
    source: "https://semver.org",
    fix: "write the full version, e.g. 2.5.8",
  },
  {
    id: "R-ETCD-CHART-8",
    kind: "values",
    title: "Chart 5.0.5 moves the bundled etcd chart from 6.3.3 to 8.12.0",
    detail: "The bitnami etcd subchart jumps a major version; its upgrade impact on existing etcd PVCs is unverified. Plans that cross it with the bundled etcd, in cluster and in standalone mode, say so in their warnings; with externalEtcdEndpoints the chart does not touch etcd and there is no warning.",
    source: "chart 5.0.5: https://github.com/zilliztech/milvus-helm/commit/e0d9b4bbdc083ea0a3aa2fba2c0c4d77feec0908 (effect on existing volumes unverified)",
  },
  {
    id: "R-SPEC-FILE",
    kind: "input",
    title: "A spec file is one YAML mapping of at most 512 KiB",
    detail:
      "milvus-cluster -f reads UTF-8 YAML: one document, no duplicate keys, no tabs as indentation, at most 100 aliases of one anchor, flow nesting at most 64 deep and indentation at most 256 columns. Anything else (a missing path, a directory, binary content, a syntax error) is refused with the file, line and column.",
    source: "YAML 1.2.2, https://yaml.org/spec/1.2.2/ (duplicate keys and tab indentation are errors); the yaml library's options maxAliasCount and prettyErrors, https://eemeli.org/yaml/#options; this library's limits, docs/knowledge-round2.md",
    fix: "write the spec as one YAML mapping, e.g. version: 2.6.4",
  },
  {
    id: "R-INPUT",
    kind: "input",
    title: "Inputs must be well-formed",
    detail: "Release names and namespaces are DNS-1123 labels on every surface (plan -o commands included); replicas are non-negative int32, typed or through helmValues; resources follow the Kubernetes quantity grammar, are non-negative maps keyed by valid resource names, with limits not below requests; ports are 1-65535 everywhere; no plain credential by any path or type (Milvus config keys, subchart password keys, extraEnv, extraConfigFiles, numbers): secrets are referenced by name and key; URLs are https.",
    source: "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/; https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/; each bundled subchart's values, e.g. https://github.com/zilliztech/milvus-helm/blob/milvus-5.0.6/charts/milvus/values.yaml; docs/reliability.md in this package",
    fix: "correct the named field",
  },
  {
    id: "R-CATALOG-OVERLAY",
    kind: "input",
    title: "Charts newer than the built-in catalog come from a catalog overlay, and plans say what was assumed",
    detail:
      "milvus-cluster catalog update reads a chart repository's index.yaml (and, when given, the charts) and writes milvus-catalog.json with every chart newer than the built-in catalog. A plan that uses one of its charts warns which facts were read from the chart and which were assumed: the Milvus version from appVersion instead of image.all.tag, managed values keys inherited from the newest built-in chart of the same major line. Every rule written as version ranges applies to overlay charts as to built-in ones.",
    source: "chart repository index.yaml (Helm chart repository format); chart values.yaml image.all.tag; docs/catalog.md",
    fix: "write the file with milvus-cluster catalog update and pass it with --catalog, MILVUS_CLUSTER_CATALOG or catalogFile",
  },
  {
    id: "R-CATALOG-CONTRADICTS",
    kind: "input",
    title: "A catalog overlay must not contradict the built-in catalog",
    detail:
      "An overlay only adds charts newer than the newest built-in chart. A chart the built-in catalog knows with another Milvus version or other dependencies, or an unknown chart older than the newest built-in chart, is refused: one of the two sources is wrong, and the plan would be built on it.",
    source: "https://zilliztech.github.io/milvus-helm/index.yaml and https://milvus-io.github.io/milvus-helm/index.yaml (the built-in catalog lists every chart they published up to its newest); docs/catalog.md",
    fix: "regenerate the overlay with milvus-cluster catalog update against the official index.yaml",
  },
  {
    id: "R-RELEASE-IDENTITY",
    kind: "refusal",
    title: "A Pulumi-managed release keeps its release name and namespace",
    detail:
      "Changing releaseName or namespace of a helm.v3.Release makes the Kubernetes provider replace it: a new, empty Milvus is installed first, then the old release is uninstalled and its volume claims are orphaned. The component records the identity in a ConfigMap (ignoreChanges keeps the first one) and refuses a change before anything is applied.",
    source: "pulumi-kubernetes helm.v3.Release schema (name and namespace replace the resource); docs/lifecycle.md",
    fix: "set releaseName and namespace back; to really replace the release (a new empty database), set allowReleaseReplacement: true",
  },
  {
    id: "R-GUARD-NONE",
    kind: "input",
    title: 'executor: "none" leaves the Release unguarded',
    detail:
      "Without an executor nothing reads the live release before the Helm release moves, so a downgrade typo, a pre-release source, a mode or message-queue change or leftover volume claims are not refused; the component warns.",
    source: "docs/lifecycle.md",
    fix: 'use executor: "in-cluster" (default) or "local"',
  },
  {
    id: "R-LOCAL-CLUSTER",
    kind: "refusal",
    title: "The local executor runs only against the Kubernetes provider's cluster",
    detail:
      "Pulumi's local executor runs helm and kubectl on the machine running Pulumi. Before anything else it reads the uid of the kube-system namespace (set once when a cluster is created) through its own kubectl and compares it with the uid the Kubernetes provider read; another cluster (a wrong kubeconfig or context) or an unreadable one ends the run with exit 33 before the lock or any change.",
    source: "pulumi-kubernetes provider Configure (kubernetes:config:kubeconfig, kubernetes:config:context); docs/lifecycle.md",
    fix: "pass localKubeconfig and localContext: the kubeconfig and context you gave the Kubernetes provider",
  },
  {
    id: "R-GITOPS-TTL",
    kind: "input",
    title: "No Job TTL under Argo CD or Flux",
    detail:
      "Argo CD (self-heal) and Flux re-create a Job from git after its TTL deleted it, so the executor would run the plan again, and with it the final helm upgrade. With gitOps argocd or flux the Job has no TTL and a TTL is refused.",
    source: "docs/gitops.md",
    fix: 'remove ttlSecondsAfterFinished, or set gitOps: "none"',
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
