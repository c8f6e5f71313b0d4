// Only the two semver modules used: `import from "semver"` loads all 47 (ranges, comparators, ...), ~10 ms.
import type SemVer from "semver/classes/semver";
import parse from "semver/functions/parse";
import { MilvusClusterError } from "../errors";

/** A parsed Milvus version. */
export interface MilvusVersion {
  /** Normalized version without a leading `v`, e.g. "2.6.0-rc1". */
  readonly version: string;
  /** The parsed semver. */
  readonly semver: SemVer;
  /** True for rc/beta/alpha/pre builds (not for `-hotfix` images, which are patched GA builds). */
  readonly prerelease: boolean;
}

/** What `parseMilvusVersion` accepts, shown in error messages. */
export const ACCEPTED_VERSION_FORMS = "MAJOR.MINOR.PATCH with an optional leading v and pre-release, e.g. 2.5.8, v2.5.8, 2.6.0-rc1, 2.5.0-beta";

const VERSION_PATTERN = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z][0-9A-Za-z.-]*)?$/;
const PRERELEASE_PATTERN = /^(rc|beta|alpha|pre)/i;

/**
 * Parses a Milvus version such as `2.5.8`, `v2.5.8`, `2.6.0-rc1` or `2.5.0-beta`.
 * Anything else (`2.5`, `latest`, `2.5.8.1`) is refused with a message that shows the input and the accepted forms.
 * @param input the version string
 * @param field the input field it came from, for the error message
 */
export function parseMilvusVersion(input: string, field = "version"): MilvusVersion {
  const text = typeof input === "string" ? input.trim() : String(input);
  const m = VERSION_PATTERN.exec(text);
  const sv = m ? parse(text.replace(/^v/, "")) : null;
  if (!m || !sv) {
    throw new MilvusClusterError([
      {
        field,
        ruleId: "R-VERSION-FORMAT",
        message: `"${text}" is not a Milvus version`,
        fix: `use ${ACCEPTED_VERSION_FORMS}`,
      },
    ]);
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a pre-release part the test reads "undefined", which is no rc/beta/alpha/pre
  const pre = sv.prerelease.length > 0 && PRERELEASE_PATTERN.test(String(sv.prerelease[0]));
  return { version: sv.version, semver: sv, prerelease: pre };
}

/** Returns true when `input` parses as a Milvus version. */
export function isMilvusVersion(input: string): boolean {
  // Stryker disable next-line MethodExpression: semver's parse trims its input itself, so the second trim only mirrors the first
  return VERSION_PATTERN.test(input.trim()) && parse(input.trim().replace(/^v/, "")) !== null;
}

// Versions are compared very often (planning, key lookups); parsing once per distinct string keeps it cheap.
const parsedCache = new Map<string, SemVer>();

function parsedVersion(v: string): SemVer {
  let sv = parsedCache.get(v);
  // Stryker disable next-line ConditionalExpression: parsing again instead of using the cache gives the same SemVer (the cache only saves time)
  if (!sv) {
    const p = parse(v.replace(/^v/, ""));
    if (!p) throw new TypeError(`Invalid Version: ${v}`);
    sv = p;
    parsedCache.set(v, sv);
  }
  return sv;
}

/** A `-hotfix` suffix (2.4.13-hotfix, 2.0.0-rc5-hotfix1): a later build of the version before it. */
const HOTFIX_IDENTIFIER = /^hotfix/i;

function isHotfixOfRelease(sv: SemVer): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: without a pre-release part the test reads "undefined", which is no hotfix
  return sv.prerelease.length > 0 && HOTFIX_IDENTIFIER.test(String(sv.prerelease[0]));
}

/**
 * Compares two Milvus or chart versions: semver order, except that a GA release's `-hotfix` image sorts after the
 * GA it patches and before the next patch (2.4.13 < 2.4.13-hotfix < 2.4.14), as the charts ship them: chart 4.2.15
 * "bump milvus to 2.4.13-hotfix" follows chart 4.2.14's 2.4.13. Semver alone would order the hotfix first, as a
 * pre-release. (A pre-release's hotfix, 2.0.0-rc5-hotfix1, already sorts after 2.0.0-rc5 in semver.)
 */
export function compareVersions(a: string, b: string): number {
  const x = parsedVersion(a);
  const y = parsedVersion(b);
  const hx = isHotfixOfRelease(x);
  const hy = isHotfixOfRelease(y);
  if (!hx && !hy) return x.compare(y);
  const main = x.compareMain(y);
  if (main !== 0) return main;
  if (hx && hy) return x.comparePre(y);
  return hx ? 1 : -1;
}

/** True when the version is a `-hotfix` build of a GA release (not a pre-release). */
export function isHotfix(version: string): boolean {
  return isHotfixOfRelease(parsedVersion(version));
}

/** `major.minor` of a version, e.g. "2.5". */
export function minorOf(version: string): string {
  const sv = parse(version.replace(/^v/, ""));
  if (!sv) throw new Error(`not a version: ${version}`);
  return `${sv.major}.${sv.minor}`;
}

/** True when `version` lies in the inclusive range `[low, high]` (either bound may be omitted). */
export function inRange(version: string, low?: string, high?: string): boolean {
  if (low !== undefined && compareVersions(version, low) < 0) return false;
  if (high !== undefined && compareVersions(version, high) > 0) return false;
  return true;
}
