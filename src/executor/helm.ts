import { compareVersions, isMilvusVersion } from "../versions/versions";
import type { ClusterClient } from "./cluster-client";
import type { ExecutorInput, ExecutorStepInput, HelmFlavour, HelmUpgradeOptions } from "./context";
import { ExecutorExit } from "./exit";
import { EXIT_CODES } from "./script";

/**
 * helm's version decides the rollback flag (helm 3 `--atomic`, helm 4 `--rollback-on-failure`); helm below
 * `minHelm` is refused (R-HELM-MIN). A missing binary is SETUP_FAILED.
 */
export async function detectHelm(client: ClusterClient, minHelm: string): Promise<HelmFlavour> {
  const r = await client.helm(["version", "--template", "{{.Version}}"]);
  if (r.code === 127) throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `helm not found (HELM_BIN selects the binary): ${r.stderr.trim()}; the executor talks to the cluster only through helm and kubectl`);
  if (r.code !== 0) throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `helm version failed: ${r.stderr.trim()}`);
  return helmFlavour(r.stdout.trim(), minHelm);
}

/** The flavour of a `helm version --template '{{.Version}}'` answer, e.g. "v3.17.3" or "v4.1.4+gabc". */
export function helmFlavour(version: string, minHelm: string): HelmFlavour {
  const core = version.replace(/\+.*$/, "");
  if (!isMilvusVersion(core)) throw new ExecutorExit(EXIT_CODES.SETUP_FAILED, `cannot read the helm version from '${version}'`);
  // Pre-release suffixes (v3.14.0-rc.1) compare below the release in semver; compare the numeric core as helm users expect.
  const numeric = core.replace(/^v/, "").replace(/-.*$/, "");
  if (compareVersions(numeric, minHelm) < 0) {
    throw new ExecutorExit(
      EXIT_CODES.HELM_TOO_OLD,
      `helm ${version} is too old: Milvus charts from 4.2.21 on need helm >= ${minHelm}, and the executor relies on its upgrade flags [R-HELM-MIN]. Use helm >= ${minHelm} (HELM_BIN selects the binary).`,
    );
  }
  const major = Number(numeric.split(".")[0]) >= 4 ? 4 : 3;
  return { version, major, rollbackFlag: major >= 4 ? "--rollback-on-failure" : "--atomic" };
}

/**
 * argv of `helm upgrade` for one step: complete values from its file, never the release's (`--reset-values`).
 * @param valuesPath the path of the step's values file
 */
export function helmUpgradeArgs(input: ExecutorInput, helm: HelmFlavour, step: ExecutorStepInput, valuesPath: string, opts: HelmUpgradeOptions = {}): string[] {
  const chart = step.repository.startsWith("oci://") ? [`${step.repository}/milvus`] : ["milvus", "--repo", step.repository];
  const args = ["upgrade", input.releaseName, ...chart, "--version", step.chart, "-n", input.namespace, "--reset-values", "-f", valuesPath, "--wait", "--wait-for-jobs", "--timeout", `${input.stepTimeoutSeconds}s`];
  if (input.rollbackOnFailure && !opts.noRollback) args.push(helm.rollbackFlag);
  if (opts.install) args.push("--install");
  return args;
}
