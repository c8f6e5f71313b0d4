/**
 * What the upgrade Job's objects carry for the GitOps tool that applies them (`MilvusClusterProps.gitOps`), as data:
 * one entry per tool, each annotation with the documented behaviour it relies on.
 *
 * The goal is the same for every tool: the executor Job runs once per plan (its name carries the plan hash), a
 * running Job is never deleted by the tool, and nothing re-creates a finished Job. A TTL breaks the last point under
 * both tools: once Kubernetes deletes the finished Job, the tool applies it again from git and the executor runs
 * again (the final `helm upgrade` included), so no TTL is emitted for them.
 */

/** Allowed values of `MilvusClusterProps.gitOps`. */
export enum MilvusGitOpsTool {
  /** Argo CD applies the synthesized manifests (an Application). */
  ARGOCD = "argocd",
  /** Flux applies the synthesized manifests (a Kustomization). */
  FLUX = "flux",
  /** Applied by hand or by another tool (`kubectl apply`): plain objects, the Job deleted by its TTL. */
  NONE = "none",
}

/** Annotations of the upgrade objects and whether the Job gets a TTL, for one tool. */
export interface GitOpsConventions {
  /** The tool. */
  readonly tool: string;
  /** Annotations of the executor Job. */
  readonly jobAnnotations: Readonly<Record<string, string>>;
  /** Annotations of the Job's ConfigMaps (the plan's, named like the Job, and the executor program's). */
  readonly configMapAnnotations: Readonly<Record<string, string>>;
  /** Whether `ttlSecondsAfterFinished` is emitted. */
  readonly ttl: boolean;
  /** Where each convention is documented. */
  readonly sources: readonly string[];
}

export const GITOPS_CONVENTIONS: Readonly<Record<string, GitOpsConventions>> = {
  [MilvusGitOpsTool.ARGOCD]: {
    tool: MilvusGitOpsTool.ARGOCD,
    jobAnnotations: {
      // A Sync hook runs during the sync operation, and Argo CD does not start another operation on the Application
      // until this one (hook included) has finished, so a second commit waits instead of racing the running Job.
      // Hooks are not part of the Application's resources: they are never pruned and never make it OutOfSync.
      "argocd.argoproj.io/hook": "Sync",
      // With no policy Argo CD assumes BeforeHookCreation (gitops-engine pkg/sync/hook/delete_policy.go), which deletes
      // and re-creates the hook on EVERY sync: the executor would run on each self-heal. A named hook with another
      // policy "will only be created once and will persist across syncs" (gitops-engine pkg/sync/doc.go): HookFailed
      // keeps a successful Job (never run again for this plan) and deletes a failed one, so the next sync retries and
      // the executor resumes where it stopped.
      "argocd.argoproj.io/hook-delete-policy": "HookFailed",
      // After the ServiceAccount, Role, RoleBinding and ConfigMap (wave 0) exist and are healthy.
      "argocd.argoproj.io/sync-wave": "1",
    },
    configMapAnnotations: {},
    ttl: false,
    sources: [
      "https://argo-cd.readthedocs.io/en/stable/user-guide/resource_hooks/ (Generate Name; Hook Deletion Policies; Sync Status with Jobs with ttl)",
      "https://github.com/argoproj/argo-cd/blob/master/gitops-engine/pkg/sync/hook/delete_policy.go (default BeforeHookCreation)",
      "https://github.com/argoproj/argo-cd/blob/master/gitops-engine/pkg/sync/doc.go (named hooks persist across syncs)",
      "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
    ],
  },
  [MilvusGitOpsTool.FLUX]: {
    tool: MilvusGitOpsTool.FLUX,
    jobAnnotations: {
      // Garbage collection skips it: when the next plan replaces this Job in git, a Job still running helm is not
      // deleted mid-upgrade (kustomizations.md "Prune" and "kustomize.toolkit.fluxcd.io/prune").
      "kustomize.toolkit.fluxcd.io/prune": "disabled",
      // Applied only when absent: Flux creates the Job once and never re-applies it (drift correction runs every
      // interval); with no TTL the Job stays, so it is never created, or run, again for this plan.
      "kustomize.toolkit.fluxcd.io/ssa": "IfNotPresent",
    },
    configMapAnnotations: {
      // The running Job's script and values: kept as long as the Job (same reasons).
      "kustomize.toolkit.fluxcd.io/prune": "disabled",
      "kustomize.toolkit.fluxcd.io/ssa": "IfNotPresent",
    },
    ttl: false,
    sources: [
      "https://fluxcd.io/flux/components/kustomize/kustomizations/#prune",
      "https://fluxcd.io/flux/components/kustomize/kustomizations/#controlling-the-apply-behavior-of-resources",
      "https://fluxcd.io/flux/components/kustomize/kustomizations/#interval (drift correction re-creates deleted objects)",
    ],
  },
  [MilvusGitOpsTool.NONE]: {
    tool: MilvusGitOpsTool.NONE,
    jobAnnotations: {},
    configMapAnnotations: {},
    ttl: true,
    sources: ["https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/"],
  },
};

/** The allowed values of `gitOps`, in documentation order. */
export const GITOPS_TOOLS: readonly string[] = [MilvusGitOpsTool.ARGOCD, MilvusGitOpsTool.FLUX, MilvusGitOpsTool.NONE];

/** The conventions of a tool (`none` for an unknown one; the props are validated before). */
export function gitOpsConventions(tool: string): GitOpsConventions {
  return GITOPS_CONVENTIONS[tool] ?? (GITOPS_CONVENTIONS[MilvusGitOpsTool.NONE] as GitOpsConventions);
}
