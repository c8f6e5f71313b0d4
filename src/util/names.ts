/** DNS-1123 label: lower-case alphanumerics and '-', starts and ends alphanumeric, at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** DNS-1123 subdomain: labels joined by '.', at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Helm release names: DNS-1123 label of at most 53 characters (Helm's own limit). */
export const MAX_RELEASE_NAME = 53;

/** Returns a reason when `value` is not a DNS-1123 label of at most `max` characters, else undefined. */
export function dns1123LabelProblem(value: unknown, max = 63): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${typeof value}`;
  if (value.length === 0) return "must not be empty";
  if (value.length > max) return `"${value}" is ${value.length} characters long; at most ${max} are allowed`;
  if (!DNS1123_LABEL.test(value)) {
    return `"${value}" is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** Returns a reason when `value` is not a DNS-1123 subdomain, else undefined. */
export function dns1123SubdomainProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${typeof value}`;
  if (value.length === 0) return "must not be empty";
  if (value.length > 253) return `"${value.slice(0, 40)}..." is longer than 253 characters`;
  if (!DNS1123_SUBDOMAIN.test(value)) return `"${value}" is not a DNS-1123 subdomain (lower-case letters, digits, '-' and '.')`;
  return undefined;
}

/** Characters that never need to appear in a value the executor script handles; used as a second line of defence. */
export const SHELL_METACHARACTERS = /[`$\\;&|<>(){}\n\r'"*?!#~]/;
