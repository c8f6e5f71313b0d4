import { MilvusClusterError } from "../errors";

/** The duration forms every timeout option accepts, shown in error messages. */
export const ACCEPTED_DURATION_FORMS = "whole seconds or minutes: 15m, 900s or 900";

const DURATION_PATTERN = /^([0-9]{1,7})(s|m)?$/;

/**
 * Parses a timeout such as `15m`, `900s` or `900` (seconds) into whole seconds; one syntax on every surface (CLI
 * `plan` and `apply` `--timeout`, Pulumi, cdk8s). Anything else (`15 m`, `1h`, `1.5m`, `0`, `-5`, `15min`) is refused
 * with a `MilvusClusterError` (rule R-INPUT) naming `field` and an example; helm then receives seconds (`900s`).
 * A number (not a string) is taken as seconds and must be a positive whole number.
 * @param input the duration as given
 * @param field the input field it came from, for the error message
 * @returns the duration in seconds (>= 1)
 */
export function parseDuration(input: unknown, field: string): number {
  const text = typeof input === "number" ? String(input) : input;
  const m = typeof text === "string" ? DURATION_PATTERN.exec(text) : null;
  const seconds = m ? Number(m[1]) * (m[2] === "m" ? 60 : 1) : Number.NaN;
  if (!m || !Number.isSafeInteger(seconds) || seconds < 1) {
    throw new MilvusClusterError([
      {
        field,
        ruleId: "R-INPUT",
        message: `${JSON.stringify(input)} is not a duration`,
        fix: `use ${ACCEPTED_DURATION_FORMS} (at least 1 second)`,
      },
    ]);
  }
  return seconds;
}
