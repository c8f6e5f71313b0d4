import * as childProcess from "node:child_process";
import { ApiObject, Chart, JsonPatch } from "cdk8s";
import { Construct, type IConstruct } from "constructs";
import { type ParsedYamlStream, parseYaml11Documents } from "./manifest-yaml";
import type { MilvusUpgradeStep } from "./props";

/** Settings shared by every rendered step (resolved construct props). */
export interface RenderOptions {
  /** Helm release name. */
  readonly releaseName: string;
  /** Release namespace: every namespaced object is put there. */
  readonly namespace: string;
  /** helm binary. */
  readonly helmExecutable: string;
  /** Local chart (directory or archive); `{chartVersion}` is replaced with the step's chart version. */
  readonly chartPath?: string;
  /** Replaces every step's repository (https URL or `oci://` registry path). */
  readonly chartRepository?: string;
}

/** Where `helm template` takes the chart from. */
export interface ChartSource {
  /** The chart argument of `helm template`. */
  readonly chart: string;
  /** `--repo`, for an https repository. */
  readonly repo?: string;
  /** `--version`, unless the chart is a local path. */
  readonly version?: string;
}

/** Kinds that are not namespaced (they must not carry metadata.namespace). */
const CLUSTER_SCOPED = new Set([
  "APIService",
  "CSIDriver",
  "CSINode",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "IngressClass",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PodSecurityPolicy",
  "PriorityClass",
  "RuntimeClass",
  "StorageClass",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
  "VolumeSnapshotClass",
]);

/**
 * The process functions the construct uses to run helm, in one object so tests can replace them (as cdk8s does with
 * its `_child_process`).
 */
export const helmProcess = { spawnSync: childProcess.spawnSync };

/** helm's output can be large (the chart with Pulsar renders about 1 MB); cdk8s `Helm` allows 10 MB. */
const MAX_HELM_OUTPUT = 64 * 1024 * 1024;

/** The chart reference for one step: a local path, an OCI reference, or the chart in an https repository. */
export function chartSource(step: MilvusUpgradeStep, opts: Pick<RenderOptions, "chartPath" | "chartRepository">): ChartSource {
  if (opts.chartPath !== undefined) {
    return { chart: opts.chartPath.split("{chartVersion}").join(step.chartVersion) };
  }
  const repository = opts.chartRepository ?? step.chartRepository;
  if (repository.startsWith("oci://")) {
    return { chart: `${repository.replace(/\/+$/, "")}/milvus`, version: step.chartVersion };
  }
  return { chart: "milvus", repo: repository, version: step.chartVersion };
}

/**
 * The argv of `helm template` for one step (the order cdk8s `Helm` uses). `-f -` makes helm read the values from
 * standard input (helm pkg/cli/values: a values file named "-" is stdin): never on the command line, never on disk.
 */
export function helmTemplateArgs(step: MilvusUpgradeStep, opts: RenderOptions): string[] {
  const source = chartSource(step, opts);
  const args = ["template", "-f", "-"];
  if (source.repo !== undefined) args.push("--repo", source.repo);
  if (source.version !== undefined) args.push("--version", source.version);
  args.push("--namespace", opts.namespace, "--skip-tests", opts.releaseName, source.chart);
  return args;
}

/**
 * Runs `helm template` for one step and returns its standard output. The values are written to helm's standard input
 * as plain JSON (valid YAML, and no anchors/aliases for objects valuesFor shares between keys); helm is started with an
 * argument array, no shell.
 */
export function runHelmTemplate(step: MilvusUpgradeStep, opts: RenderOptions): string {
  const args = helmTemplateArgs(step, opts);
  const r = helmProcess.spawnSync(opts.helmExecutable, args, { input: JSON.stringify(step.values), maxBuffer: MAX_HELM_OUTPUT, encoding: "utf8" });
  if (r.error) {
    const reason = (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "not found (set helmExecutable to the helm binary)" : r.error.message;
    throw new Error(`helm template of Milvus ${step.milvusVersion} (chart ${step.chartVersion}): cannot run "${opts.helmExecutable}": ${reason}`);
  }
  if (r.status !== 0) {
    throw new Error(`helm template of Milvus ${step.milvusVersion} (chart ${step.chartVersion}) failed (exit ${r.status ?? r.signal}): ${String(r.stderr).trim()}`);
  }
  return String(r.stdout);
}

/** A rendered Kubernetes object as helm printed it. */
export type ManifestObject = { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } } & Record<string, unknown>;

/**
 * Parses helm's multi-document output in this process (cdk8s `Include` would start a second node process to read the
 * file back). YAML 1.1 as the `yaml` library reads it, like cdk8s's own loader (cdk8s lib/yaml.js) and the Go YAML
 * parser Kubernetes tools use: `0644` is an octal file mode there (see manifest-yaml.ts for the fast path). Empty
 * documents are skipped; a syntax error is an error. A duplicate mapping key keeps its last value (as cdk8s's loader and
 * sigs.k8s.io/yaml read it) and is reported through `warn` (the construct writes it to stderr).
 * @param warn receives one message naming the duplicate keys, if there are any. @default - ignore them
 */
export function parseManifests(text: string, what: string, warn: (message: string) => void = () => {}): ManifestObject[] {
  let parsed: ParsedYamlStream;
  try {
    parsed = parseYaml11Documents(text);
  } catch (e) {
    throw new Error(`${what}: helm printed invalid YAML: ${(e as Error).message}`);
  }
  if (parsed.duplicateKeys.length > 0) {
    warn(`${what}: the chart printed ${parsed.duplicateKeys.length} duplicate mapping key(s), the last value of each is kept (as cdk8s's loader and sigs.k8s.io/yaml read it): ${parsed.duplicateKeys.join("; ")}`);
  }
  const out: ManifestObject[] = [];
  for (const value of parsed.documents) {
    if (value === null || value === undefined || typeof value !== "object") continue;
    if (Array.isArray(value) || Object.keys(value).length === 0) continue;
    const obj = value as ManifestObject;
    if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
      throw new Error(`${what}: a rendered document has no apiVersion/kind: ${JSON.stringify(value).slice(0, 200)}`);
    }
    out.push(obj);
  }
  return out;
}

/** Props of `MilvusRenderedManifests`. */
export interface MilvusRenderedManifestsProps {
  /** The plan step to render (its chart version and complete values). */
  readonly step: MilvusUpgradeStep;
  /** Helm release name. */
  readonly releaseName: string;
  /** Release namespace: every namespaced object is put there, whatever the enclosing Chart's namespace is. */
  readonly namespace: string;
  /**
   * The helm binary.
   * @default "helm"
   */
  readonly helmExecutable?: string;
  /**
   * A local chart (directory or `.tgz`); `{chartVersion}` is replaced with the step's chart version.
   * @default - the chart from the step's repository
   */
  readonly chartPath?: string;
  /**
   * Replaces the step's chart repository (https URL or `oci://` registry path).
   * @default - the step's own repository
   */
  readonly chartRepository?: string;
  /**
   * Annotations added to every rendered object.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * One plan step's manifests, rendered with `helm template --skip-tests` while the construct is created, parsed in this
 * process, and defined as cdk8s `ApiObject`s in this construct's scope (so they synthesize into the enclosing Chart's
 * manifest, and take part in its dependencies, validation and JSON patches). Namespaced objects are put into the
 * release namespace; cluster-scoped ones carry none.
 */
export class MilvusRenderedManifests extends Construct {
  /** Helm release name the manifests were rendered for. */
  readonly releaseName: string;
  /** The rendered step. */
  readonly step: MilvusUpgradeStep;

  constructor(scope: Construct, id: string, props: MilvusRenderedManifestsProps) {
    super(scope, id);
    this.releaseName = props.releaseName;
    this.step = props.step;
    const opts: RenderOptions = {
      releaseName: props.releaseName,
      namespace: props.namespace,
      helmExecutable: props.helmExecutable ?? "helm",
      chartPath: props.chartPath,
      chartRepository: props.chartRepository,
    };
    const what = `helm template of Milvus ${props.step.milvusVersion} (chart ${props.step.chartVersion})`;
    const chartNamespace = Chart.of(this).namespace;
    let unnamed = 0;
    const warn = (message: string): void => {
      process.stderr.write(`milvus-cluster: ${this.node.path}: ${message}\n`);
    };
    for (const obj of parseManifests(runHelmTemplate(props.step, opts), what, warn)) {
      const name = obj.metadata?.name;
      // The construct id scheme of cdk8s `Include`: name[-kind][-namespace].
      const objId = [name ?? `object${unnamed++}`, obj.kind.toLowerCase(), obj.metadata?.namespace].filter((x) => x).join("-");
      if (this.node.tryFindChild(objId)) throw new Error(`${what}: the chart rendered ${obj.kind} "${name}" twice`);
      const clusterScoped = CLUSTER_SCOPED.has(obj.kind);
      const metadata = { ...(obj.metadata ?? {}) } as Record<string, unknown>;
      if (clusterScoped) delete metadata["namespace"];
      else metadata["namespace"] = props.namespace;
      if (props.annotations && Object.keys(props.annotations).length > 0) {
        metadata["annotations"] = { ...((metadata["annotations"] as Record<string, string> | undefined) ?? {}), ...props.annotations };
      }
      const apiObject = new ApiObject(this, objId, { ...obj, metadata } as ConstructorParameters<typeof ApiObject>[2]);
      // ApiObject fills in the enclosing Chart's namespace when an object has none.
      if (clusterScoped && chartNamespace !== undefined) apiObject.addJsonPatch(JsonPatch.remove("/metadata/namespace"));
    }
  }

  /** The rendered objects, in helm's order. */
  get apiObjects(): ApiObject[] {
    return this.node.children.filter((c): c is ApiObject => c instanceof ApiObject);
  }
}

/** The identity of an object in a cluster: API group, kind, namespace, name (the version is not part of it). */
export function objectKey(o: { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string } }): string {
  const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
  return `${group}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;
}

/**
 * Objects that appear more than once in one synthesized app (the same group, kind, namespace and name). In an Argo CD
 * Application that is "undefined behavior" (argoproj/argo-cd#1070; Argo CD reports RepeatedResourceWarning), and sync
 * waves order objects, not two versions of one object; two Flux Kustomizations holding one object keep re-applying
 * their own version on every interval. So the output must never hold a duplicate. Returns a sentence per duplicate,
 * naming the construct paths.
 */
export function duplicateObjects(root: IConstruct): string[] {
  const seen = new Map<string, string[]>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    const key = objectKey({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: c.metadata.name, namespace: c.metadata.namespace } });
    seen.set(key, [...(seen.get(key) ?? []), c.node.path]);
  }
  const out: string[] = [];
  for (const [key, paths] of seen) {
    if (paths.length > 1) out.push(`${key.replace(/^\//, "core/")} is defined ${paths.length} times (${paths.join(", ")})`);
  }
  return out;
}
