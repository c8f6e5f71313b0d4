import * as pulumi from "@pulumi/pulumi";
import type { MilvusClusterArgs } from "../../src/pulumi";

/** One resource registered with the mock monitor. */
export type Registered = pulumi.runtime.MockResourceArgs;

/** The kube-system namespace uid of the mock cluster (the local executor's cluster check compares it). */
export const MOCK_KUBE_SYSTEM_UID = "0b5c3f0e-kube-system";

/** Everything the mock monitor saw, in registration order. */
export const registered: Registered[] = [];

/**
 * The live cluster's Helm release as the provider's read (`Release.get`, a `<name>-adopted-release` read when adopting)
 * returns it: `values` are the release's user-supplied values (pulumi-kubernetes `helm_release.go`, `Read` ->
 * `setReleaseAttributes`: `values` from the release's `Config`). Tests set it; `installMocks` resets it.
 */
export const mockLiveRelease: { values: Record<string, unknown>; appVersion: string } = { values: {}, appVersion: "2.5.16" };

/** Spies replacing `pulumi.log.info` and `pulumi.log.warn` (quiet tests; assert on `.mock.calls`). */
export const logs = {
  info: undefined as unknown as jest.SpyInstance,
  warn: undefined as unknown as jest.SpyInstance,
};

/** Every message logged at a level since the last `mockClear`. */
export function logged(level: keyof typeof logs): string[] {
  return logs[level].mock.calls.map((call) => String(call[0]));
}

/**
 * Installs Pulumi mocks that record every resource and echo its inputs as state (so outputs equal inputs).
 * Call from `beforeAll` and await it.
 */
export async function installMocks(preview = false): Promise<void> {
  mockLiveRelease.values = {};
  mockLiveRelease.appVersion = "2.5.16";
  logs.info = jest.spyOn(pulumi.log, "info").mockImplementation(() => Promise.resolve());
  logs.warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        registered.push(args);
        // The provider's read of kube-system (the local executor checks its kubectl reaches this uid).
        if (args.type === "kubernetes:core/v1:Namespace" && args.id === "kube-system") return { id: "kube-system", state: { metadata: { name: "kube-system", uid: MOCK_KUBE_SYSTEM_UID } } };
        if (args.type === "kubernetes:helm.sh/v3:Release" && args.name.endsWith("-adopted-release") && args.id) {
          const [namespace, name] = args.id.split("/");
          // Read sets `status` in previews too (`setReleaseAttributes(..., isPreview=false)`); a missing output would be unknown.
          return { id: args.id, state: { name, namespace, values: mockLiveRelease.values, status: { name, namespace, status: "deployed", appVersion: mockLiveRelease.appVersion } } };
        }
        return { id: `${args.name}_id`, state: args.inputs };
      },
      call(): Record<string, unknown> {
        return {};
      },
    },
    "milvus-cluster",
    "test",
    preview,
  );
}

/** Resolves an Output (pulumi-eks' `promisify`). Unknown values resolve to undefined. */
export function resolved<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Lets pending registrations reach the mock monitor. */
export async function settle(...outputs: pulumi.Output<unknown>[]): Promise<void> {
  await Promise.all(outputs.map((o) => resolved(o)));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/**
 * The resources a component named `name` created (children are named `name` or `name-...`), without the identity
 * ConfigMap `name-identity` that every component has (see `identityOf`), so assertions list the children that vary.
 */
export function childrenOf(name: string): Registered[] {
  return registered.filter((r) => (r.name === name || r.name.startsWith(`${name}-`)) && r.name !== `${name}-identity`);
}

/** The identity ConfigMap of a component (the release identity guard, R-RELEASE-IDENTITY). */
export function identityOf(name: string): Registered {
  const found = registered.filter((r) => r.name === `${name}-identity` && r.type === T.configMap);
  if (found.length !== 1) throw new Error(`expected one identity ConfigMap for ${name}, found ${found.length}`);
  return found[0]!;
}

/** The single child of a type (and resource name, when given), failing clearly when there is none or several. */
export function childOf(name: string, type: string, resourceName?: string): Registered {
  const found = childrenOf(name).filter((r) => r.type === type && (resourceName === undefined || r.name === resourceName));
  if (found.length !== 1) throw new Error(`expected one ${type} under ${name}, found ${found.length}: ${childrenOf(name).map((r) => r.type).join(", ")}`);
  return found[0]!;
}

/** Resource type tokens the component uses. */
export const T = {
  component: "milvus-cluster:index:MilvusCluster",
  release: "kubernetes:helm.sh/v3:Release",
  job: "kubernetes:batch/v1:Job",
  configMap: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  namespace: "kubernetes:core/v1:Namespace",
  command: "command:local:Command",
} as const;

/** The sorted child types of a component, for compact assertions. */
export function childTypes(name: string): string[] {
  return childrenOf(name)
    .map((r) => r.type)
    .sort();
}

/** The README example's arguments; tests vary them. */
export const README_ARGS: MilvusClusterArgs = {
  namespace: "milvus",
  version: "2.6.4",
  messageQueue: "pulsar",
  queryNode: { replicas: 3 },
};

/** What a transformation saw for one resource. */
export interface Seen {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly opts: pulumi.CustomResourceOptions;
}

/** A `transformations` recorder: pass `recorder.transformation` in the component's options. */
export function transformationRecorder(): { seen: Seen[]; transformation: pulumi.ResourceTransformation } {
  const seen: Seen[] = [];
  return {
    seen,
    transformation: (args) => {
      seen.push({ type: args.type, name: args.name, props: args.props, opts: args.opts as pulumi.CustomResourceOptions });
      return undefined;
    },
  };
}

/** Whether a mock input value is a serialized Pulumi secret. */
export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}
