/**
 * The fake `kubectl` of the fake cluster model (see model.ts): Milvus Deployments (list, rollout status), `/healthz`
 * through the service proxy, leftover volume claims, and a generic object store (get, create, replace, delete of any
 * kind from JSON on stdin, with resourceVersion conflicts) that holds the Leases. Extensions register handlers in front
 * (`registerKubectlHandler`).
 */
import type { CommandResult } from "../../../src/executor/cluster-client";
import { extraKubectlHandlers, type FakeModel, type StoredObject } from "./model";

const ok = (stdout: string): CommandResult => ({ code: 0, stdout, stderr: "" });
const err = (stderr: string, code = 1): CommandResult => ({ code, stdout: "", stderr: stderr.endsWith("\n") ? stderr : `${stderr}\n` });

/** Plural resource name of a kind or a resource argument ("Lease", "lease", "leases" -> "leases"). */
export function resourceOf(kindOrResource: string): string {
  const k = kindOrResource.toLowerCase();
  const aliases: Record<string, string> = { pvc: "persistentvolumeclaims", cm: "configmaps", deploy: "deployments", svc: "services", hpa: "horizontalpodautoscalers" };
  if (aliases[k]) return aliases[k]!;
  return k.endsWith("s") ? k : `${k}s`;
}

/** API group suffix of a resource, for NotFound messages ("leases.coordination.k8s.io"). */
function qualified(resource: string): string {
  const groups: Record<string, string> = { leases: "coordination.k8s.io", jobs: "batch", deployments: "apps" };
  return groups[resource] ? `${resource}.${groups[resource]}` : resource;
}

function notFound(resource: string, name: string): CommandResult {
  return err(`Error from server (NotFound): ${qualified(resource)} "${name}" not found`);
}

/** The value of flag `name` (`-n x` or `--name=x`). */
function flagValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** Positional arguments (flags and their values left out). */
function positional(args: readonly string[]): string[] {
  const withValue = new Set(["-n", "--namespace", "-l", "--selector", "-o", "--output", "-f", "--filename", "--raw"]);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) i++;
    else if (!a.startsWith("-")) out.push(a);
  }
  return out;
}

function deploymentList(model: FakeModel): string {
  const tag = model.runningTag();
  return `${JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: model.state.deployments.map((d) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: d.name, namespace: model.state.namespace, labels: { "app.kubernetes.io/instance": model.state.releaseName, "app.kubernetes.io/name": "milvus" } },
      spec: { replicas: d.replicas, template: { spec: { containers: [{ name: "milvus", image: `milvusdb/milvus:${tag}` }] } } },
      status: { replicas: d.replicas, readyReplicas: d.replicas, updatedReplicas: d.replicas, availableReplicas: d.replicas },
    })),
  })}\n`;
}

/** The Milvus Service's name as the chart renders it for the current values (only this one answers /healthz). */
function milvusService(model: FakeModel): string {
  const rel = model.state.releaseName;
  const override = model.current()?.values.fullnameOverride;
  if (typeof override === "string" && override !== "") return override;
  return rel.includes("milvus") ? rel : `${rel}-milvus`;
}

function parseStdinObject(stdin: string | undefined): { obj: StoredObject } | { error: CommandResult } {
  let obj: unknown;
  try {
    obj = JSON.parse(stdin ?? "");
  } catch {
    return { error: err("error: error parsing STDIN: the fake kubectl reads JSON only", 1) };
  }
  if (typeof obj !== "object" || obj === null || typeof (obj as { kind?: unknown }).kind !== "string") return { error: err("error: no objects passed", 1) };
  const o = obj as StoredObject;
  if (typeof o.metadata !== "object" || typeof o.metadata.name !== "string") return { error: err("error: resource name may not be empty", 1) };
  return { obj: o };
}

function builtin(model: FakeModel, args: readonly string[], stdin: string | undefined): CommandResult {
  for (const a of args) if (a === "") return err("fake kubectl: empty argument", 2);
  const s = model.state;
  const ns = flagValue(args, "-n", "--namespace") ?? "default";
  const pos = positional(args);
  const verb = pos[0];
  if (verb === "get") {
    const raw = flagValue(args, "--raw");
    if (raw !== undefined) {
      const expected = `/api/v1/namespaces/${s.namespace}/services/${milvusService(model)}:9091/proxy/healthz`;
      if (raw !== expected) return err(`Error from server (NotFound): the server could not find the requested resource (get services ${raw})`);
      const answers = s.healthz;
      const answer = answers.length > 1 ? answers.shift()! : answers[0] ?? { ok: true, body: "OK" };
      if (answer.ok) return ok(answer.body);
      return err(`Error from server (InternalError): an error on the server ("${answer.body}") has prevented the request from succeeding`);
    }
    const resource = resourceOf(pos[1] ?? "");
    if (resource === "persistentvolumeclaims" && pos[2] === undefined) {
      const selector = flagValue(args, "-l", "--selector") ?? "";
      const claims = selector === `app.kubernetes.io/instance=${s.releaseName}` ? s.orphanedPvcs : [];
      return ok(claims.map((c) => `persistentvolumeclaim/${c}\n`).join(""));
    }
    if (resource === "deployments" && pos[2] === undefined) {
      if (flagValue(args, "-o", "--output") !== "json") return err("fake kubectl: get deployments needs -o json", 2);
      return ok(deploymentList(model));
    }
    const name = pos[2];
    if (!name) return err(`fake kubectl: unsupported list of ${resource}`, 2);
    const obj = model.getObject(resource, ns, name);
    if (!obj) return notFound(resource, name);
    if (flagValue(args, "-o", "--output") === "name") return ok(`${resource.replace(/s$/, "")}/${name}\n`);
    return ok(`${JSON.stringify(obj)}\n`);
  }
  if (verb === "rollout") {
    if (pos[1] !== "status") return err("fake kubectl: only rollout status", 2);
    if (s.rolloutFail) return err("error: timed out waiting for the condition");
    return ok(`deployment "${(pos[2] ?? "").replace(/^deployment\//, "")}" successfully rolled out\n`);
  }
  if (verb === "create" || verb === "replace") {
    if (flagValue(args, "-f", "--filename") !== "-") return err(`fake kubectl: ${verb} reads -f - only (extensions handle files)`, 2);
    const parsedObj = parseStdinObject(stdin);
    if ("error" in parsedObj) return parsedObj.error;
    const obj = parsedObj.obj;
    const resource = resourceOf(obj.kind as string);
    const name = obj.metadata.name as string;
    const objNs = typeof obj.metadata.namespace === "string" ? obj.metadata.namespace : ns;
    const existing = model.getObject(resource, objNs, name);
    if (verb === "create") {
      if (existing) return err(`Error from server (AlreadyExists): error when creating "STDIN": ${qualified(resource)} "${name}" already exists`);
    } else {
      if (!existing) return notFound(resource, name);
      const rv = obj.metadata.resourceVersion;
      if (rv !== undefined && rv !== existing.metadata.resourceVersion) {
        return err(`Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
      }
    }
    const stored = model.putObject(resource, objNs, obj);
    return flagValue(args, "-o", "--output") === "json" ? ok(`${JSON.stringify(stored)}\n`) : ok(`${resource.replace(/s$/, "")}/${name} ${verb}d\n`);
  }
  if (verb === "delete") {
    const resource = resourceOf(pos[1] ?? "");
    const name = pos[2] ?? "";
    if (model.deleteObject(resource, ns, name)) return ok(`${resource.replace(/s$/, "")} "${name}" deleted\n`);
    return args.includes("--ignore-not-found") ? ok("") : notFound(resource, name);
  }
  return err(`fake kubectl: unsupported command ${args.join(" ")}`, 2);
}

/** Answers one kubectl call against the model: the registered handlers first, then the built-in ones. */
export function fakeKubectl(model: FakeModel, args: readonly string[], stdin?: string): CommandResult {
  for (const handler of extraKubectlHandlers()) {
    const r = handler({ model, args, stdin });
    if (r) return r;
  }
  return builtin(model, args, stdin);
}
