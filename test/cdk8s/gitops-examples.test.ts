/**
 * examples/argocd and examples/flux: the Argo CD Application and the Flux Kustomization validate against their CRD
 * schemas (@kubernetes-models/argo-cd, @kubernetes-models/flux-cd), point at the directory each example synthesizes
 * into, and the examples synthesize what docs/gitops.md walks through (2.5.8 -> 2.6.4).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { MilvusCluster } from "../../src/cdk8s";
import { NEXT_FROM_ANNOTATION, STEP_ANNOTATION } from "../../src/cdk8s/milvus-cluster";
import { ensureHelm, FIXTURE_CHART_DIR, helmEnv } from "../support/helm";
import { type K8sObject, ofKind, schemaProblems, single } from "./support";

const ROOT = path.resolve(__dirname, "..", "..");

/** Objects of a YAML file (or a synthesized manifest). */
function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** Problems of Argo CD / Flux objects against their CRD schemas (test/cdk8s/crd-validate.mjs). */
function crdProblems(objects: readonly unknown[]): Promise<{ kind: string; name: string; error: string }[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["--no-warnings", path.join(__dirname, "crd-validate.mjs")], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout));
    });
    child.stdin?.end(JSON.stringify(objects));
  });
}

/** Runs an example's main.ts into a temporary CDK8S_OUTDIR; returns its exports and the synthesized objects. */
function runExample(example: string, env: Record<string, string> = {}): { exports: { MANIFEST_DIR: string; milvus: MilvusCluster }; objects: K8sObject[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${example}-`));
  const saved: Record<string, string | undefined> = {};
  const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    for (const [k, v] of Object.entries({ ...env, CDK8S_OUTDIR: outdir })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    let exports: { MANIFEST_DIR: string; milvus: MilvusCluster } | undefined;
    jest.isolateModules(() => {
      exports = require(`../../examples/${example}/main`);
    });
    expect(fs.readdirSync(outdir)).toEqual(["milvus.k8s.yaml"]);
    return { exports: exports!, objects: readObjects(path.join(outdir, "milvus.k8s.yaml")) };
  } finally {
    log.mockRestore();
    err.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe("examples/argocd", () => {
  const application = readObjects(path.join(ROOT, "examples/argocd/application.yaml"));

  test("application.yaml is a valid Argo CD Application (CRD schema) that syncs the example's output directory", async () => {
    expect(await crdProblems(application)).toEqual([]);
    const app = single(application, "Application");
    const spec = app["spec"] as { source: { path: string }; destination: { namespace: string }; syncPolicy: { automated: { prune: boolean; selfHeal: boolean } } };
    const { exports } = runExample("argocd");
    expect(spec.source.path).toBe(exports.MANIFEST_DIR);
    expect(spec.destination.namespace).toBe(exports.milvus.namespace);
    expect(spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // Not the release name (label tracking would claim the chart's app.kubernetes.io/instance objects).
    expect(app.metadata.name).not.toBe(exports.milvus.releaseName);
  });

  test("main.ts synthesizes the 2.5.8 -> 2.6.4 chain as an Argo CD hook Job without TTL, valid Kubernetes objects", async () => {
    const { exports, objects } = runExample("argocd");
    expect(exports.milvus.steps.map((s) => s.milvusVersion)).toEqual(["2.5.16", "2.6.4"]);
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "ConfigMap", "Job"]);
    const job = single(objects, "Job");
    expect(job.metadata.annotations).toMatchObject({ "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "HookFailed" });
    expect(job["spec"]).not.toHaveProperty("ttlSecondsAfterFinished");
    expect(await schemaProblems(objects)).toEqual([]);
  });
});

describe("examples/flux", () => {
  const flux = readObjects(path.join(ROOT, "examples/flux/kustomization.yaml"));
  let helm: string;
  let tmp: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    helm = await ensureHelm(3);
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), "flux-example-"));
    const h = helmEnv(tmp);
    env = { MILVUS_HELM: helm, MILVUS_CHART_PATH: FIXTURE_CHART_DIR, HELM_CACHE_HOME: h["HELM_CACHE_HOME"]!, HELM_CONFIG_HOME: h["HELM_CONFIG_HOME"]!, HELM_DATA_HOME: h["HELM_DATA_HOME"]! };
  });
  afterAll(() => fs.promises.rm(tmp, { recursive: true, force: true }));

  test("kustomization.yaml: a valid GitRepository and Kustomization (CRD schemas) applying the example's output with prune and wait", async () => {
    expect(await crdProblems(flux)).toEqual([]);
    const k = single(flux, "Kustomization");
    const spec = k["spec"] as { path: string; prune: boolean; wait: boolean; sourceRef: { name: string } };
    const { exports } = runExample("flux", env);
    expect(path.normalize(spec.path)).toBe(path.normalize(exports.MANIFEST_DIR));
    expect(spec.prune).toBe(true);
    expect(spec.wait).toBe(true);
    expect(spec.sourceRef.name).toBe(single(flux, "GitRepository").metadata.name);
  });

  test("the CRD check rejects a Kustomization without prune (the schema is really applied)", async () => {
    const k = single(flux, "Kustomization");
    const { prune: _prune, ...rest } = k["spec"] as Record<string, unknown>;
    const problems = await crdProblems([{ ...k, spec: rest }]);
    expect(problems).toEqual([expect.objectContaining({ kind: "Kustomization", error: expect.stringContaining("prune") })]);
  });

  test("main.ts, commit 1 then commit 2: the 2.5.16 stop, then 2.6.4; valid Kubernetes objects each time", async () => {
    const first = runExample("flux", { ...env, MILVUS_FROM: "2.5.8" });
    expect(first.exports.milvus.nextFrom).toBe("2.5.16");
    expect(ofKind(first.objects, "Deployment").map((d) => d.metadata.name)).toContain("milvus-milvus-indexnode");
    for (const o of first.objects) expect(o.metadata.annotations).toMatchObject({ [STEP_ANNOTATION]: "1/2", [NEXT_FROM_ANNOTATION]: "2.5.16" });
    const second = runExample("flux", { ...env, MILVUS_FROM: first.exports.milvus.nextFrom! });
    expect(second.exports.milvus.nextFrom).toBeUndefined();
    expect(ofKind(second.objects, "Deployment").map((d) => d.metadata.name)).toContain("milvus-milvus-streamingnode");
    expect(ofKind(second.objects, "Deployment").map((d) => d.metadata.name)).not.toContain("milvus-milvus-indexnode");
    expect(await schemaProblems([...first.objects, ...second.objects])).toEqual([]);
  });
});
