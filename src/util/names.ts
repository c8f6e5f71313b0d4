import type { InputProblem } from "../errors";

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

/** A TCP port, 1-65535, without leading zeros (pattern text, for composing patterns). */
export const PORT = "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})";

/** `host:port` with a port 1-65535, e.g. an etcd endpoint or a Kafka broker. */
export const HOST_PORT = new RegExp(`^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:${PORT}$`);

/** A container image reference: registry/path[:tag][@sha256:digest], nothing else. */
export const IMAGE_REFERENCE = new RegExp(`^[a-z0-9]([a-z0-9._/-]*[a-z0-9])?(:${PORT})?(/[a-z0-9._-]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$`);

/** Characters that never need to appear in a value the executor script handles; used as a second line of defence. */
export const SHELL_METACHARACTERS = /[`$\\;&|<>(){}\n\r'"*?!#~]/;

/** A chart repository: https or oci, a host, an optional port and a plain path; no credentials, query or fragment. */
const CHART_REPOSITORY = new RegExp(`^(https|oci)://[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:${PORT})?(/[A-Za-z0-9._~-]+)*/?$`);

/**
 * Validates a chart repository override (a mirror or an OCI registry path). The value reaches helm's argument list
 * and the executor script, so it must be a plain URL: https or oci, no credentials (they would be stored in plain
 * text), no query, no shell syntax. Returns the problem, or undefined.
 */
export function chartRepositoryProblem(value: unknown, field = "chartRepository"): InputProblem | undefined {
  const fix = "use an https:// mirror (e.g. https://charts.example.com/milvus) or an oci:// path (e.g. oci://registry.example.com/charts)";
  if (typeof value !== "string" || value.length === 0) return { field, ruleId: "R-INPUT", message: `${JSON.stringify(value)} is not a repository URL`, fix };
  if (!/^(https|oci):\/\//.test(value)) return { field, ruleId: "R-INPUT", message: `"${value}" is neither an https:// nor an oci:// URL`, fix };
  if (/^[a-z]+:\/\/[^/]*@/.test(value)) {
    return { field, ruleId: "R-INPUT", message: "the URL carries credentials, which would be stored in plain text", fix: "use a repository that needs no credentials, or a mirror inside the cluster network" };
  }
  const port = /^[a-z]+:\/\/[^/:]+:([0-9]+)/.exec(value)?.[1];
  if (port !== undefined && !new RegExp(`^${PORT}$`).test(port)) {
    return { field, ruleId: "R-INPUT", message: `port ${port} of "${value}" is not a TCP port`, fix: "use a port 1-65535, or none for the scheme's default" };
  }
  if (SHELL_METACHARACTERS.test(value) || /\s/.test(value) || value.length > 2000 || !CHART_REPOSITORY.test(value)) {
    return { field, ruleId: "R-INPUT", message: `"${value}" contains characters other than a host, port and path (no query, spaces or shell syntax)`, fix };
  }
  return undefined;
}
