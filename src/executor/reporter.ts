/**
 * How the executor tells what it does: one `progress` line per step and per migration phase (with the elapsed time
 * of the run), `note` for details, `error` for the reason of a non-zero exit. The CLI prints progress to stdout and
 * the rest to stderr; the Job's log shows both.
 */
export interface Reporter {
  /** One line per step or phase, e.g. `step 1/2: Milvus 2.5.16 (chart 4.2.58): upgraded in 1m12s`. */
  progress(line: string): void;
  /** A detail worth reading (what was skipped, what a reset drops). */
  note(line: string): void;
  /** Why the run ends with a non-zero exit code. */
  error(line: string): void;
}

/** A reporter that writes progress to `out` and notes and errors to `err`, prefixed like the executor's lines always were. */
export function streamReporter(out: (text: string) => void, err: (text: string) => void): Reporter {
  return {
    progress: (line) => out(`${line}\n`),
    note: (line) => err(`milvus-upgrade: ${line}\n`),
    error: (line) => err(`milvus-upgrade: error: ${line}\n`),
  };
}
