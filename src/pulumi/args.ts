import type * as pulumi from "@pulumi/pulumi";
import type { MigrationOptions } from "../executor/types";

/*
 * The arguments of `MilvusCluster`. They follow the rules of Pulumi's component analyzer so the component can later
 * be offered to other Pulumi languages: every type is an interface, a primitive, an array, a map or
 * `pulumi.Input<T>`; there are no union types (a field with a fixed set of values is a `string` whose allowed
 * values are documented), no intersections and no readonly arrays.
 *
 * Plain versus input: the upgrade chain is planned when the program runs (preview included), so what the planner
 * reads is a plain value: version, chart version, mode, coordinator topology (and activeStandby), message queue,
 * expectedFrom, executor and catalogFile; so are the fields that decide which resources exist or their resource
 * options (createNamespace, retainNamespaceOnDelete, allowReleaseReplacement, adoptExisting), the objects
 * externalObjectStorage / externalPulsar / externalKafka / minioCredentials themselves and `useIAM`. Every other
 * field is a `pulumi.Input<T>` (e.g. `namespace: ns.metadata.name`, `bucket: bucket.bucket`): plain values are validated
 * when the component is constructed, Outputs when they resolve (an `InputPropertiesError` naming the property).
 * Credentials never reach the planner, the values or the executor; the component writes them into one Kubernetes
 * Secret (`<releaseName>-milvus-credentials`) that the Helm values reference by name and key.
 */

/** Kubernetes resource requests and limits, e.g. `{ requests: { cpu: "2", memory: "8Gi" } }`. */
export interface MilvusResourcesArgs {
  /** Requests by resource name (`cpu`, `memory`, ...), as Kubernetes quantities. @default none (the chart's default) */
  readonly requests?: { [name: string]: pulumi.Input<string> };
  /** Limits by resource name, as Kubernetes quantities. @default none (the chart's default) */
  readonly limits?: { [name: string]: pulumi.Input<string> };
}

/** Settings of one Milvus component (proxy, queryNode, ...). */
export interface MilvusComponentArgs {
  /** Number of pods, a non-negative integer. @default the chart's default (1) */
  readonly replicas?: pulumi.Input<number>;
  /** Resource requests and limits of each pod. @default the chart's default (none) */
  readonly resources?: MilvusResourcesArgs;
}

/** External S3-compatible object storage instead of the bundled MinIO. */
export interface MilvusExternalObjectStorageArgs {
  /** Endpoint host, e.g. `s3.eu-central-1.amazonaws.com`. */
  readonly host: pulumi.Input<string>;
  /** Endpoint port. @default 443 */
  readonly port?: pulumi.Input<number>;
  /** Bucket name, e.g. another resource's output (`bucket.bucket`). */
  readonly bucket: pulumi.Input<string>;
  /** Path prefix inside the bucket. @default "" (the chart's default) */
  readonly rootPath?: pulumi.Input<string>;
  /** Use TLS. @default true */
  readonly useSSL?: pulumi.Input<boolean>;
  /** Use the pods' cloud identity (IAM) instead of access keys (plain: it decides whether credentials are needed). @default false */
  readonly useIAM?: boolean;
  /** Cloud provider: `aws`, `gcp`, `aliyun`, `azure`, ... @default "aws" */
  readonly cloudProvider?: pulumi.Input<string>;
  /** Region (charts from 4.1.29 on). @default unset */
  readonly region?: pulumi.Input<string>;
  /**
   * Access key id (a secret). Stored in the credentials Secret under `s3-access-key-id`, never in the values.
   * Required unless `useIAM` is true.
   * @default none
   */
  readonly accessKeyId?: pulumi.Input<string>;
  /**
   * Secret access key (a secret). Stored in the credentials Secret under `s3-secret-access-key`.
   * Required unless `useIAM` is true.
   * @default none
   */
  readonly secretAccessKey?: pulumi.Input<string>;
}

/** An external Pulsar cluster (`messageQueue: "external-pulsar"`). */
export interface MilvusExternalPulsarArgs {
  /** Broker host. */
  readonly host: pulumi.Input<string>;
  /** Broker port. @default 6650 */
  readonly port?: pulumi.Input<number>;
  /** Tenant (charts from 4.0.31 on). @default "public" */
  readonly tenant?: pulumi.Input<string>;
  /** Pulsar namespace (charts from 4.0.31 on). @default "default" */
  readonly namespace?: pulumi.Input<string>;
  /** Authentication plugin class name. @default none */
  readonly authPlugin?: pulumi.Input<string>;
  /** Authentication parameters (a secret), stored in the credentials Secret under `pulsar-auth-params`. @default none */
  readonly authParams?: pulumi.Input<string>;
}

/** An external Kafka cluster (`messageQueue: "external-kafka"`). */
export interface MilvusExternalKafkaArgs {
  /** Comma-separated `host:port` brokers. */
  readonly brokerList: pulumi.Input<string>;
  /** One of `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT`, `SASL_SSL`. @default "SASL_SSL" */
  readonly securityProtocol?: pulumi.Input<string>;
  /** SASL mechanism, e.g. `PLAIN`, `SCRAM-SHA-512`. @default "PLAIN" */
  readonly saslMechanisms?: pulumi.Input<string>;
  /** SASL user name (a secret), stored in the credentials Secret under `kafka-sasl-username`. @default none */
  readonly saslUsername?: pulumi.Input<string>;
  /** SASL password (a secret), stored in the credentials Secret under `kafka-sasl-password`. @default none */
  readonly saslPassword?: pulumi.Input<string>;
}

/** Credentials of the bundled MinIO (replacing the chart's well-known defaults). */
export interface MilvusMinioCredentialsArgs {
  /** MinIO access key (a secret), stored in the credentials Secret under `accesskey`. */
  readonly accessKey: pulumi.Input<string>;
  /** MinIO secret key (a secret), stored in the credentials Secret under `secretkey`. */
  readonly secretKey: pulumi.Input<string>;
}

/** Settings of the offline metadata migration Milvus 2.1.x -> 2.2.x: the executor's `MigrationOptions`, field by field. */
export type MilvusMigrationArgs = MigrationOptions;

/**
 * Pass-through options of the target `kubernetes.helm.v3.Release` (the escape hatch a platform team needs, like
 * cert-manager's component `helmOptions`). Each is handed to the Release unchanged; the component sets nothing else.
 */
export interface MilvusReleaseOptionsArgs {
  /**
   * Do not wait for the release's objects to become ready (helm without `--wait`). The health of the target is then
   * not checked by Pulumi; the stops' health gates still run in the executor. The provider ignores it with `atomic`.
   * @default false
   */
  readonly skipAwait?: pulumi.Input<boolean>;
  /** Revisions Helm keeps in the release history (0 is unlimited), a whole number >= 0. @default 0 (the provider's default: unlimited) */
  readonly maxHistory?: pulumi.Input<number>;
  /** Post-renderer executable (Helm `--post-renderer`), run by the provider on the machine running Pulumi. @default none */
  readonly postrender?: pulumi.Input<string>;
  /** Run `helm dependency update` before installing (charts with unpacked dependencies). @default false */
  readonly dependencyUpdate?: pulumi.Input<boolean>;
  /** Delete objects created by a failed upgrade (Helm `--cleanup-on-fail`). @default false */
  readonly cleanupOnFail?: pulumi.Input<boolean>;
  /** Description of the Helm revision (Helm `--description`). @default none */
  readonly description?: pulumi.Input<string>;
}

/** Arguments of `MilvusCluster`. */
export interface MilvusClusterArgs {
  /**
   * Helm release name: a DNS-1123 label of at most 53 characters. Changing it is refused unless `allowReleaseReplacement` (the provider would replace the release).
   * @default the resource name
   */
  readonly releaseName?: pulumi.Input<string>;
  /**
   * Namespace of the release and of every object the component creates. It must exist unless `createNamespace`
   * is true. Changing it is refused unless `allowReleaseReplacement`. May be another resource's output
   * (`ns.metadata.name`); with `adoptExisting` it must be plain (the import id is a resource option).
   * @default "default"
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * Create the namespace as part of this component. On `pulumi destroy` the namespace is kept (see
   * `retainNamespaceOnDelete`), because deleting it deletes every volume claim in it.
   * @default false
   */
  readonly createNamespace?: boolean;
  /**
   * With `createNamespace`: keep the Namespace in the cluster when it leaves the stack (`pulumi destroy`, or removing
   * the component), through Pulumi's `retainOnDelete`. Set false only when deleting the namespace, and with it the
   * data of etcd, MinIO, Pulsar and the standalone pod, is what you want.
   * @default true
   */
  readonly retainNamespaceOnDelete?: boolean;
  /**
   * Allow a change of `releaseName` or `namespace` (or of the resource name, when `releaseName` is unset). The Helm
   * provider replaces the Release on such a change (`forceNewFields` `.name`, `.namespace`): a new, empty Milvus is
   * installed, then the old release is uninstalled and its volume claims are orphaned. Without this flag the
   * component refuses the change (R-RELEASE-IDENTITY) before anything is applied.
   * @default false
   */
  readonly allowReleaseReplacement?: boolean;
  /**
   * Target Milvus version, e.g. "2.6.4" (plain value: the upgrade chain is planned at program time). Raising it
   * is the whole upgrade: the component runs the required intermediate stops before the Helm release moves.
   */
  readonly version: string;
  /** Exact chart version for the target; it must be published (the image tag still follows `version`). @default the newest published chart shipping `version` */
  readonly chartVersion?: string;
  /** Deployment mode: `cluster` or `standalone`. Never changes for an existing release. @default "cluster" */
  readonly mode?: string;
  /**
   * Coordinator topology below Milvus 2.6: `mixed` (one mixCoordinator) or `separate` (four coordinators).
   * Milvus 2.6 runs only `mixed`.
   * @default "mixed" (from chart 4.2.4 on; the chart's default before)
   */
  readonly coordinators?: string;
  /** Run coordinators active-standby, which makes upgrades rolling (cluster mode). @default true in cluster mode from Milvus 2.2.3 on */
  readonly activeStandby?: boolean;
  /**
   * Message queue: `pulsar` (bundled Pulsar v2), `pulsarv3`, `kafka`, `rocksmq`, `natsmq`, `woodpecker`,
   * `external-pulsar` or `external-kafka`. It never changes during an upgrade; set it explicitly when the release
   * already exists, because the default follows the target chart.
   * @default the target chart's default for the mode
   */
  readonly messageQueue?: string;
  /** External Pulsar; required when `messageQueue` is `external-pulsar`. @default none */
  readonly externalPulsar?: MilvusExternalPulsarArgs;
  /** External Kafka; required when `messageQueue` is `external-kafka`. @default none */
  readonly externalKafka?: MilvusExternalKafkaArgs;
  /** External etcd endpoints (`host:port`); empty or unset runs the bundled etcd. @default bundled etcd */
  readonly externalEtcdEndpoints?: pulumi.Input<string>[];
  /** Replicas of the bundled etcd. @default 3 in cluster mode, 1 in standalone mode */
  readonly etcdReplicas?: pulumi.Input<number>;
  /** External S3-compatible object storage; unset runs the bundled MinIO. @default bundled MinIO */
  readonly externalObjectStorage?: MilvusExternalObjectStorageArgs;
  /** Credentials for the bundled MinIO (not with `externalObjectStorage`). @default the chart's built-in MinIO credentials */
  readonly minioCredentials?: MilvusMinioCredentialsArgs;
  /** Proxy settings. @default chart defaults */
  readonly proxy?: MilvusComponentArgs;
  /** mixCoordinator settings (`coordinators: "mixed"`). @default chart defaults */
  readonly mixCoordinator?: MilvusComponentArgs;
  /** rootCoordinator settings (`coordinators: "separate"` only). @default chart defaults */
  readonly rootCoordinator?: MilvusComponentArgs;
  /** queryCoordinator settings (`coordinators: "separate"` only). @default chart defaults */
  readonly queryCoordinator?: MilvusComponentArgs;
  /** dataCoordinator settings (`coordinators: "separate"` only). @default chart defaults */
  readonly dataCoordinator?: MilvusComponentArgs;
  /** indexCoordinator settings (`coordinators: "separate"` only). @default chart defaults */
  readonly indexCoordinator?: MilvusComponentArgs;
  /** queryNode settings. @default chart defaults */
  readonly queryNode?: MilvusComponentArgs;
  /** dataNode settings. @default chart defaults */
  readonly dataNode?: MilvusComponentArgs;
  /** indexNode settings (Milvus below 2.6 only). @default chart defaults */
  readonly indexNode?: MilvusComponentArgs;
  /** streamingNode settings (Milvus 2.6 and later). @default chart defaults */
  readonly streamingNode?: MilvusComponentArgs;
  /** Standalone pod settings (`mode: "standalone"`). @default chart defaults */
  readonly standalone?: MilvusComponentArgs;
  /**
   * Milvus configuration (milvus.yaml keys), written to `extraConfigFiles.user.yaml`. It lands in a ConfigMap:
   * never put credentials here.
   * @default none
   */
  // biome-ignore lint/suspicious/noExplicitAny: arbitrary YAML; `any` maps to pulumi.json#/Any in the component schema
  readonly milvusConfig?: { [key: string]: any };
  /** Milvus image repository, e.g. a mirror (no tag; the tag follows `version`). @default "milvusdb/milvus" */
  readonly imageRepository?: pulumi.Input<string>;
  /**
   * Raw Helm values deep-merged over the managed values of the target and of every stop. Contradicting a managed
   * key (topology, message queue, image tag, ...) is an error, and credentials are refused here.
   * @default none
   */
  // biome-ignore lint/suspicious/noExplicitAny: arbitrary YAML; `any` maps to pulumi.json#/Any in the component schema
  readonly helmValues?: { [key: string]: any };
  /**
   * Chart repository override for every step: an `https://` mirror of the Milvus chart repository, or an
   * `oci://` registry path under which the chart `milvus` lives (e.g. `oci://registry.example.com/charts`).
   * @default the repository that serves each chart version (zilliztech.github.io/milvus-helm)
   */
  readonly chartRepository?: pulumi.Input<string>;
  /**
   * Where the intermediate stops run: `in-cluster` (a Kubernetes Job running the bundled executor with Node.js,
   * helm and kubectl), `local` (a `@pulumi/command` command that runs the same bundled executor with `node` on the
   * machine running Pulumi, which needs `node`, `helm` and `kubectl` on PATH and reaches the cluster through
   * `localKubeconfig` and `localContext`) or `none` (stops are not run and nothing guards the Release: the component only warns).
   * @default "in-cluster"
   */
  readonly executor?: string;
  /**
   * Kubeconfig of the local executor (`executor: "local"`): what you gave the Kubernetes provider's `kubeconfig`,
   * either a file path (`~/` expanded, like the provider does) or the kubeconfig's contents (e.g. an EKS cluster's
   * kubeconfig output; it is passed to the executor on standard input, kept in a private 0600 file for the run only,
   * and the command's standard input is then a secret). Before anything else the executor reads the uid of the
   * `kube-system` namespace through this kubeconfig and refuses (exit 33 WRONG_CLUSTER, R-LOCAL-CLUSTER) unless it is
   * the uid the Kubernetes provider reads. With the default provider the default is the provider's own setting;
   * the SDK does not expose an explicit provider's inputs, so with one, pass its kubeconfig here (the component warns
   * when you do not).
   * @default the stack config `kubernetes:kubeconfig` (what the default provider uses) when no explicit Kubernetes
   * provider is given; else the ambient kubeconfig (`KUBECONFIG`, else ~/.kube/config)
   */
  readonly localKubeconfig?: pulumi.Input<string>;
  /**
   * Kubeconfig context of the local executor: what you gave the Kubernetes provider's `context`. Every helm call gets
   * `--kube-context=<context>` and every kubectl call `--context=<context>`.
   * @default the stack config `kubernetes:context` (what the default provider uses) when no explicit Kubernetes
   * provider is given; else the kubeconfig's current context
   */
  readonly localContext?: pulumi.Input<string>;
  /**
   * `ttlSecondsAfterFinished` of the in-cluster executor Job. Unset, the Job stays until Pulumi replaces or deletes
   * it: a Job that Kubernetes removed is dropped from the state by the next `pulumi refresh`, and every later preview
   * then shows it as a create (the executor runs again). Set it only if you never refresh.
   * @default unset (no TTL)
   */
  readonly executorJobTtlSeconds?: pulumi.Input<number>;
  /**
   * Image the in-cluster executor's init container copies `helm` (>= 3.14) and `kubectl` from; it must have `cp`,
   * `/usr/bin/helm` and `/usr/bin/kubectl`. Pin it by digest.
   * @default DEFAULT_EXECUTOR_IMAGE (exported by `milvus-cluster`)
   */
  readonly executorImage?: pulumi.Input<string>;
  /**
   * Node.js (>= 20) image of the in-cluster executor's main container, which runs the bundled executor with the node
   * binary at `executorNodeBinary`. Pin it by digest.
   * @default DEFAULT_EXECUTOR_NODE_IMAGE (exported by `milvus-cluster`)
   */
  readonly executorNodeImage?: pulumi.Input<string>;
  /**
   * Absolute path of node in `executorNodeImage`, e.g. `/nodejs/bin/node` for a distroless nodejs image
   * (`gcr.io/distroless/nodejs24-debian13:nonroot`).
   * @default "/usr/local/bin/node" (the official node images)
   */
  readonly executorNodeBinary?: pulumi.Input<string>;
  /**
   * Timeout of each Helm operation (every stop, and the final release) and of each health gate, as a duration:
   * `15m`, `900s` or `900` (seconds), between 30 s and 24 h; the same syntax as the CLI's `--timeout`. Pulumi waits
   * for the executor as long as all its steps may take (from an Output: the executor's Pulumi `customTimeouts`, a
   * resource option, is then the bound of the largest step timeout). Set this or `stepTimeoutSeconds`, not both.
   * @default "15m" (900 seconds)
   */
  readonly stepTimeout?: pulumi.Input<string>;
  /**
   * The step timeout in whole seconds between 30 and 86400 (the same as `stepTimeout: "<n>"`). Set this or
   * `stepTimeout`, not both.
   * @default 900
   */
  readonly stepTimeoutSeconds?: pulumi.Input<number>;
  /** Roll back a failed Helm operation (stops and the final release). @default false */
  readonly atomic?: pulumi.Input<boolean>;
  /**
   * Let the executor proceed when the release does not exist but volume claims of it remain (an uninstalled release's
   * data). Off, the executor refuses (exit 28), because that data was written by a version it cannot see.
   * @default false
   */
  readonly allowExistingData?: pulumi.Input<boolean>;
  /**
   * Adopt an existing Helm release `namespace/releaseName` into this stack instead of installing one (the Release
   * resource's `import` option). Needs a Pulumi CLI with import-then-update (pulumi/pulumi#19339); older CLIs refuse
   * an import whose inputs differ from the live release. It can stay set after the first update.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /**
   * The Milvus version the live release is known to run, e.g. "2.5.8". Makes the plan exact: the preview shows the
   * exact chain from this version, and the executor refuses to run when the live release runs another version.
   * @default unset (every candidate stop below the target; the executor skips those the live release has passed)
   */
  readonly expectedFrom?: string;
  /**
   * A catalog overlay file (`milvus-catalog.json`, written by `milvus-cluster catalog update` and committed with the
   * program) that adds the Milvus charts published after this library was released. A relative path is resolved
   * against the working directory of the Pulumi program (the project directory). Plans that use one of its charts
   * warn what was read from the chart and what was assumed (R-CATALOG-OVERLAY); an overlay that contradicts the
   * built-in catalog is refused (R-CATALOG-CONTRADICTS). See docs/catalog.md.
   * @default unset (the built-in catalog only)
   */
  readonly catalogFile?: string;
  /**
   * Settings of the metadata migration 2.1.x -> 2.2.x, run by the executor (before the Helm Release) when the live
   * release is on 2.1.x. It is offline: every Milvus component is at 0 replicas from the stop until the health gate.
   * @default every MilvusMigrationArgs default
   */
  readonly migration?: MilvusMigrationArgs;
  /** Pass-through options of the target Helm Release. @default none */
  readonly releaseOptions?: MilvusReleaseOptionsArgs;
}
