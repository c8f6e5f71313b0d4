import type { HelmValues } from "../spec/types";

/** What a step does. */
export type StepAction = "install" | "helm-upgrade" | "meta-migration";

/** Availability during a step. */
export type Downtime = "none" | "rolling" | "recreate" | "offline";

/** One step of an upgrade plan: complete and explained. */
export interface UpgradeStep {
  /** Milvus version after the step, e.g. "2.5.16". */
  readonly milvusVersion: string;
  /** Chart version used, e.g. "4.2.58". */
  readonly chartVersion: string;
  /** https URL of the repository that serves the chart. */
  readonly chartRepository: string;
  /** What the step does. */
  readonly action: StepAction;
  /** COMPLETE values for this chart version (never relies on --reuse-values). */
  readonly values: HelmValues;
  /** Human sentence naming the rule ids that forced the step. */
  readonly reason: string;
  /** Rules that forced or shaped the step. */
  readonly ruleIds: string[];
  /** Availability during the step. */
  readonly downtime: Downtime;
  /** Whether the step can be undone (helm rollback within a minor version; migration has a backup). */
  readonly reversible: boolean;
}

/** An ordered chain of steps from the deployed version (if any) to the target. */
export interface UpgradePlan {
  /** Deployed version, absent for a fresh install. */
  readonly from?: string;
  /** Target version. */
  readonly to: string;
  /** Steps in order; the last one reaches `to`. */
  readonly steps: UpgradeStep[];
  /** Assumptions made and requirements to know about. */
  readonly warnings: string[];
}
