/**
 * One problem found in user input: which field, which rule, and how to fix it.
 * Adapters turn a list of these into `pulumi.InputPropertiesError` or a construct error.
 */
export interface InputProblem {
  /** Dotted path of the offending field in the caller's input, e.g. `version` or `queryNode.replicas`. */
  readonly field: string;
  /** Id of the rule that was broken (see `RULES`), e.g. `R-MQ-KEEP`. */
  readonly ruleId: string;
  /** What is wrong, naming the value given. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** Formats a problem as one line: `field: message [rule] Fix: fix`. */
export function formatProblem(p: InputProblem): string {
  return `${p.field}: ${p.message} [${p.ruleId}] Fix: ${p.fix}`;
}

/**
 * Thrown for invalid input or a refused upgrade path. Carries every problem found, so callers can show all
 * of them at once; the message lists each with its field, rule id and fix.
 */
export class MilvusClusterError extends Error {
  /** The problems, at least one. */
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[], summary?: string) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`${summary ?? "invalid Milvus cluster request"}:\n${lines.join("\n")}`);
    this.name = "MilvusClusterError";
    this.problems = problems;
  }

  /** Rule ids of all problems, in order. */
  get ruleIds(): string[] {
    return this.problems.map((p) => p.ruleId);
  }
}

/** Thrown when a requested upgrade path is refused by a rule (downgrade, MQ switch, RC source, ...). */
export class UpgradeRefusedError extends MilvusClusterError {
  constructor(problems: readonly InputProblem[]) {
    super(problems, "upgrade refused");
    this.name = "UpgradeRefusedError";
  }
}

/** Collects problems and throws them together. */
export class ProblemCollector {
  private readonly items: InputProblem[] = [];

  /** Records a problem. */
  add(problem: InputProblem): void {
    this.items.push(problem);
  }

  /** All problems recorded so far. */
  get problems(): readonly InputProblem[] {
    return this.items;
  }

  /** Throws a `MilvusClusterError` (or the given subclass) when any problem was recorded. */
  throwIfAny(make: (p: readonly InputProblem[]) => Error = (p) => new MilvusClusterError(p)): void {
    if (this.items.length > 0) throw make(this.items);
  }
}
