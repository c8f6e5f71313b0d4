/**
 * Thrown anywhere in the executor to end the run with one of the documented exit codes (`EXIT_CODES`). The message
 * is what the user reads on stderr: what happened, which rule, how to fix it.
 */
export class ExecutorExit extends Error {
  /** The exit code (a value of `EXIT_CODES`). */
  readonly exitCode: number;

  constructor(exitCode: number, message: string) {
    super(message);
    this.name = "ExecutorExit";
    this.exitCode = exitCode;
  }
}
