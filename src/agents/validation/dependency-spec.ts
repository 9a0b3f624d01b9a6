/**
 * Classifies npm dependency specifiers the way npm-package-arg would route them, so that only
 * registry specs (ranges, dist-tags, `npm:` aliases of those) reach `npm ci`.
 */

/** Why a spec is refused, phrased to follow the quoted spec: `"x": "…" is a git source`. */
export type RefusedSource =
  | 'a git source'
  | 'a local path'
  | 'a tarball URL'
  | 'a workspace reference'
  | 'an unsupported protocol'
  | 'not a version range or dist-tag';

const MAX_QUOTED = 120;

/** The refusal reason for a package.json spec, or undefined when npm would take it from the registry. */
export function refusedSource(spec: string): RefusedSource | undefined {
  const trimmed = spec.trim();
  if (/^npm:/i.test(trimmed)) return refusedAlias(trimmed.slice(4));
  return refusedNonAlias(trimmed);
}

function refusedAlias(target: string): RefusedSource | undefined {
  const { name, range } = splitNameAndRange(target);
  if (!isPackageName(name)) return 'not a version range or dist-tag';
  if (range === undefined) return undefined;
  // npm forbids aliases of aliases; everything else is judged like a plain spec.
  if (/^npm:/i.test(range.trim())) return 'not a version range or dist-tag';
  return refusedNonAlias(range.trim());
}

function refusedNonAlias(spec: string): RefusedSource | undefined {
  if (spec === '' || isRange(spec) || isDistTag(spec)) return undefined;
  const protocol = /^([a-z][a-z0-9+.-]*):/i.exec(spec)?.[1]?.toLowerCase();
  if (protocol !== undefined) return refusedProtocol(protocol);
  if (/^git@|^[\w.-]+@[\w.-]+:/.test(spec)) return 'a git source'; // scp-like: git@github.com:user/repo
  if (/^(?:\.|~|\/|\\)/.test(spec)) return 'a local path';
  if (/[/\\]/.test(spec)) return 'a git source'; // user/repo and user/repo#ref are GitHub shorthands
  if (/\.(?:tgz|tar|tar\.gz)$/i.test(spec)) return 'a local path';
  return 'not a version range or dist-tag';
}

function refusedProtocol(protocol: string): RefusedSource {
  if (protocol.startsWith('git') || ['github', 'gitlab', 'bitbucket', 'gist'].includes(protocol)) {
    return 'a git source';
  }
  if (protocol === 'file' || protocol === 'link' || protocol === 'portal') return 'a local path';
  if (protocol === 'http' || protocol === 'https') return 'a tarball URL';
  if (protocol === 'workspace') return 'a workspace reference';
  if (/^[a-z]$/.test(protocol)) return 'a local path'; // a Windows drive letter: C:\…
  return 'an unsupported protocol';
}

/** `name@range` or `@scope/name@range`; the range is undefined when there is no `@` after the name. */
export function splitNameAndRange(value: string): { name: string; range: string | undefined } {
  const at = value.indexOf('@', value.startsWith('@') ? 1 : 0);
  return at === -1
    ? { name: value, range: undefined }
    : { name: value.slice(0, at), range: value.slice(at + 1) };
}

export function isPackageName(name: string): boolean {
  return /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i.test(name) && name.length <= 214;
}

const COMPARATOR =
  /^(?:[<>]=?|=|~>?|\^)?v?(?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** A semver range as node-semver reads it: comparators joined by spaces, `||` and ` - `. */
export function isRange(spec: string): boolean {
  if (spec.length > 256) return false;
  const tight = spec.replace(/([<>]=?|=|~>?|\^)\s+/g, '$1');
  return tight.split('||').every((set) => {
    const tokens = set.trim().split(/\s+/);
    return tokens.every((token, i) => token === '' || COMPARATOR.test(token) || (token === '-' && i === 1));
  });
}

function isDistTag(spec: string): boolean {
  return /^[A-Za-z][A-Za-z0-9._-]{0,63}$/.test(spec) && !/\.(?:tgz|tar)$/i.test(spec);
}

/** An exact version as npm writes it into a lockfile. */
export function isExactVersion(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version) && version.length <= 256;
}

/** `"^1.3.0"` when the spec mentions a version (a git tag, a tarball name), for the suggested fix. */
export function suggestedRange(spec: string): string {
  const version = /(\d+\.\d+\.\d+)/.exec(spec)?.[1];
  return version ? `(e.g. "^${version}")` : '(a semver range such as "^1.2.3" for the release you need)';
}

/** JSON-quoted and shortened: specs and names are model-written and may be long. */
export function quote(value: string): string {
  const short = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
  return JSON.stringify(short);
}
