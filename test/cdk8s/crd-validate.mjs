// Validates Argo CD and Flux objects against their CRD schemas (@kubernetes-models/argo-cd and /flux-cd, ES modules
// that jest's CommonJS runtime cannot load). Reads a JSON array of objects on stdin, prints a JSON array of
// { kind, name, error } problems (empty when every object is valid). Used by test/cdk8s/gitops-examples.test.ts.
const PACKAGES = {
  "argoproj.io": "@kubernetes-models/argo-cd",
  "kustomize.toolkit.fluxcd.io": "@kubernetes-models/flux-cd",
  "source.toolkit.fluxcd.io": "@kubernetes-models/flux-cd",
};

let input = "";
for await (const chunk of process.stdin) input += chunk;
const problems = [];
for (const o of JSON.parse(input)) {
  const name = o?.metadata?.name ?? "";
  const [group, version] = String(o?.apiVersion ?? "").split("/");
  const pkg = PACKAGES[group];
  if (!pkg || !version) {
    problems.push({ kind: o?.kind, name, error: `no CRD schema package for ${o?.apiVersion}` });
    continue;
  }
  const mod = await import(`${pkg}/${group}/${version}`);
  const Model = mod[o.kind];
  if (typeof Model !== "function") {
    problems.push({ kind: o.kind, name, error: `no schema for kind ${o.kind} in ${o.apiVersion}` });
    continue;
  }
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push({ kind: o.kind, name, error: String(e?.message ?? e) });
  }
}
process.stdout.write(JSON.stringify(problems));
