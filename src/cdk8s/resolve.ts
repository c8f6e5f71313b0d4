import { type InputProblem, MilvusClusterError } from "../errors";
import { migrationOptionsProblems } from "../executor/migration";
import type { MigrationOptions } from "../executor/types";
import type { MilvusSpec } from "../spec/types";
import { namespaceProblem, releaseNameProblem, SPEC_FIELDS, validateSpecShape } from "../spec/validate";
import { parseDuration } from "../util/duration";
import { chartRepositoryProblem } from "../util/names";
import { isMilvusVersion } from "../versions/versions";
import { MILVUS_CLUSTER_PROP_FIELDS, type MilvusClusterProps, RENDER_MODES } from "./props";

/** Default executor settings (the executor's own defaults, repeated so the construct can expose them). */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 900;
export const DEFAULT_TTL_SECONDS_AFTER_FINISHED = 86400;

/** `MilvusClusterProps` with every default resolved. */
export interface ResolvedProps {
  readonly spec: MilvusSpec;
  readonly from?: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly renderMode: "upgrade-job" | "render";
  readonly chartRepository?: string;
  readonly stages: boolean;
  readonly helmExecutable: string;
  readonly chartPath?: string;
  readonly executorImage?: string;
  readonly executorNodeImage?: string;
  readonly executorNodeBinary?: string;
  readonly stepTimeoutSeconds: number;
  readonly ttlSecondsAfterFinished: number;
  readonly rollbackOnFailure: boolean;
  /** Install over leftover volume claims of a missing release. */
  readonly allowExistingData: boolean;
  /** Upgrade-job mode: metadata migration settings as given (the executor applies the defaults). */
  readonly migration?: MigrationOptions;
}

/** Where defaults come from. */
export interface PropDefaults {
  /** The construct id (default release name). */
  readonly id: string;
  /** The enclosing Chart's namespace, if any (default namespace). */
  readonly chartNamespace?: string;
}


/** Fields that only make sense in one render mode. */
const RENDER_ONLY = ["stages", "helmExecutable", "chartPath"] as const;
const JOB_ONLY = ["executorImage", "executorNodeImage", "executorNodeBinary", "stepTimeout", "stepTimeoutSeconds", "ttlSecondsAfterFinished", "rollbackOnFailure", "allowExistingData", "migration"] as const;

const IMAGE_REFERENCE = /^[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?(@sha256:[a-f0-9]{64})?$/i;
const NO_CONTROL = /^[^\0\r\n]+$/;

/**
 * Turns construct props into a `MilvusSpec` plus resolved construct settings, collecting every problem in the
 * props (shape, enumerations, names, settings of the other render mode). Compatibility of the spec with chart
 * versions is checked later by the planner.
 */
export function resolveProps(input: MilvusClusterProps, defaults: PropDefaults): { resolved: ResolvedProps; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  // Untyped callers may pass nothing; that is reported as a missing version.
  const props: MilvusClusterProps = input ?? ({} as MilvusClusterProps);
  const raw = props as unknown as Record<string, unknown>;
  for (const k of Object.keys(raw)) {
    if (!MILVUS_CLUSTER_PROP_FIELDS.includes(k)) {
      problems.push({ field: k, ruleId: "R-INPUT", message: `unknown property "${k}"`, fix: `use one of: ${MILVUS_CLUSTER_PROP_FIELDS.join(", ")}` });
    }
  }

  const spec: Record<string, unknown> = {};
  // Spec fields are copied verbatim into the `MilvusSpec` (the same vocabulary).
  for (const k of SPEC_FIELDS) if (raw[k] !== undefined) spec[k] = raw[k];
  problems.push(...validateSpecShape(spec));

  const from = props.from;
  if (from !== undefined && (typeof from !== "string" || !isMilvusVersion(from))) {
    problems.push({ field: "from", ruleId: "R-VERSION-FORMAT", message: `${JSON.stringify(from)} is not a Milvus version`, fix: "use the deployed version, e.g. 2.5.8, or leave it unset for a fresh install" });
  }

  const releaseName = props.releaseName ?? defaults.id;
  const releaseProblem = releaseNameProblem(releaseName);
  if (releaseProblem) {
    problems.push(
      props.releaseName === undefined
        ? { ...releaseProblem, message: `the construct id is the default ${releaseProblem.message}`, fix: "set releaseName, or use a construct id that is a valid release name" }
        : releaseProblem,
    );
  }
  const namespace = props.namespace ?? defaults.chartNamespace ?? "default";
  const nsProblem = namespaceProblem(namespace);
  if (nsProblem) problems.push(props.namespace === undefined ? { ...nsProblem, fix: `${nsProblem.fix}; the enclosing Chart's namespace is the default, set namespace to override it` } : nsProblem);

  const renderMode = props.renderMode ?? "upgrade-job";
  if (!RENDER_MODES.includes(renderMode)) {
    problems.push({ field: "renderMode", ruleId: "R-INPUT", message: `${JSON.stringify(renderMode)} is not a render mode`, fix: `use one of: ${RENDER_MODES.join(", ")}` });
  }
  const mode: ResolvedProps["renderMode"] = renderMode === "render" ? "render" : "upgrade-job";
  const otherMode = mode === "render" ? JOB_ONLY : RENDER_ONLY;
  for (const k of otherMode) {
    if (raw[k] !== undefined) {
      problems.push({ field: k, ruleId: "R-INPUT", message: `${k} has no effect in renderMode ${mode}`, fix: mode === "render" ? `remove ${k} (it configures the upgrade Job)` : `remove ${k}, or set renderMode: "render"` });
    }
  }

  if (props.chartRepository !== undefined) {
    const p = chartRepositoryProblem(props.chartRepository);
    if (p) problems.push(p);
  }
  if (props.stages !== undefined && typeof props.stages !== "boolean") {
    problems.push({ field: "stages", ruleId: "R-INPUT", message: "must be true or false", fix: "use a boolean" });
  }
  const stages = props.stages === true;
  if (stages && mode === "render" && from === undefined) {
    problems.push({ field: "stages", ruleId: "R-INPUT", message: "stages need the deployed version to plan the stops", fix: "set from to the deployed Milvus version, or remove stages" });
  }
  for (const k of ["helmExecutable", "chartPath"] as const) {
    const v = props[k];
    if (v !== undefined && (typeof v !== "string" || !NO_CONTROL.test(v))) {
      problems.push({ field: k, ruleId: "R-INPUT", message: `${JSON.stringify(v)} is not a path`, fix: "use a non-empty path without control characters" });
    }
  }
  if (props.executorImage !== undefined && (typeof props.executorImage !== "string" || !IMAGE_REFERENCE.test(props.executorImage))) {
    problems.push({ field: "executorImage", ruleId: "R-INPUT", message: `${JSON.stringify(props.executorImage)} is not an image reference`, fix: "use e.g. alpine/k8s:1.31.9 or registry.example.com/helm@sha256:<digest>" });
  }
  if (props.executorNodeImage !== undefined && (typeof props.executorNodeImage !== "string" || !IMAGE_REFERENCE.test(props.executorNodeImage))) {
    problems.push({ field: "executorNodeImage", ruleId: "R-INPUT", message: `${JSON.stringify(props.executorNodeImage)} is not an image reference`, fix: "use e.g. node:24.19.0-alpine3.23 or registry.example.com/node@sha256:<digest>" });
  }
  const nodeBinary = props.executorNodeBinary;
  if (nodeBinary !== undefined && (typeof nodeBinary !== "string" || !/^(\/[A-Za-z0-9._-]+)+$/.test(nodeBinary) || /\/\.\.?(\/|$)/.test(nodeBinary))) {
    problems.push({ field: "executorNodeBinary", ruleId: "R-INPUT", message: `${JSON.stringify(nodeBinary)} is not an absolute file path`, fix: "use e.g. /usr/local/bin/node (official node images) or /nodejs/bin/node (distroless nodejs)" });
  }
  // One duration syntax on every surface (parseDuration): 15m, 900s or 900.
  let stepTimeoutSeconds = DEFAULT_STEP_TIMEOUT_SECONDS;
  if (props.stepTimeout !== undefined && props.stepTimeoutSeconds !== undefined) {
    problems.push({ field: "stepTimeout", ruleId: "R-INPUT", message: "stepTimeout and stepTimeoutSeconds are both set", fix: 'set one of them, e.g. stepTimeout: "15m"' });
  } else {
    for (const field of ["stepTimeout", "stepTimeoutSeconds"] as const) {
      if (props[field] === undefined) continue;
      try {
        stepTimeoutSeconds = parseDuration(props[field], field);
      } catch (e) {
        if (!(e instanceof MilvusClusterError)) throw e;
        problems.push(...e.problems);
      }
    }
  }
  const ttlSecondsAfterFinished = props.ttlSecondsAfterFinished ?? DEFAULT_TTL_SECONDS_AFTER_FINISHED;
  if (!Number.isInteger(ttlSecondsAfterFinished) || ttlSecondsAfterFinished < 0) {
    problems.push({ field: "ttlSecondsAfterFinished", ruleId: "R-INPUT", message: `must be a non-negative integer, got ${JSON.stringify(props.ttlSecondsAfterFinished)}`, fix: "use e.g. 86400" });
  }
  for (const flag of ["rollbackOnFailure", "allowExistingData"] as const) {
    if (props[flag] !== undefined && typeof props[flag] !== "boolean") {
      problems.push({ field: flag, ruleId: "R-INPUT", message: "must be true or false", fix: "use a boolean" });
    }
  }
  problems.push(...migrationOptionsProblems(props.migration, "migration"));

  return {
    resolved: {
      spec: spec as unknown as MilvusSpec,
      from,
      releaseName,
      namespace,
      renderMode: mode,
      chartRepository: props.chartRepository,
      stages,
      helmExecutable: props.helmExecutable ?? "helm",
      chartPath: props.chartPath,
      executorImage: props.executorImage,
      executorNodeImage: props.executorNodeImage,
      executorNodeBinary: props.executorNodeBinary,
      stepTimeoutSeconds,
      ttlSecondsAfterFinished,
      rollbackOnFailure: props.rollbackOnFailure === true,
      allowExistingData: props.allowExistingData === true,
      migration: props.migration,
    },
    problems,
  };
}
