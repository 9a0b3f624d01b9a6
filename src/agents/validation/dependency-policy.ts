import { quote } from './dependency-spec.js';
import { checkLockfileSources, normaliseRegistries } from './lockfile-policy.js';
import { checkManifestSpecs, DEPENDENCY_FIELDS, isRecord } from './package-json-policy.js';

/**
 * Checks a generated (untrusted) app's package.json and package-lock.json before anything is
 * installed: every package must come from an allowed registry, pinned by a sha512 hash, so a model
 * cannot make `npm ci` fetch code from git, a URL or the file system.
 */
export type DependencyPolicyResult = { ok: true } | { ok: false; problems: string[] };

export interface DependencySourcesInput {
  packageJson: string;
  lockfile?: string;
  /** Registry base URLs such as `https://registry.npmjs.org/`. */
  registries: readonly string[];
}

export const MAX_PACKAGE_JSON_BYTES = 256 * 1024;
export const MAX_LOCKFILE_BYTES = 20 * 1024 * 1024;
/** Enough for a model to act on; a hostile lockfile could otherwise yield one per package. */
export const MAX_PROBLEMS = 50;
const MAX_SYNC_PROBLEMS = 5;
const OUT_OF_SYNC = 'package.json and package-lock.json are out of sync (npm ci would refuse to install)';
const RESYNC = 'make package-lock.json match package.json (npm install --package-lock-only)';

export function checkDependencySources(input: DependencySourcesInput): DependencyPolicyResult {
  const registries = normaliseRegistries(input.registries);
  const problems: string[] = [];

  const manifest = parseJsonObject(input.packageJson, 'package.json', MAX_PACKAGE_JSON_BYTES);
  if (typeof manifest === 'string') problems.push(manifest);
  else problems.push(...checkManifestSpecs(manifest, 'package.json'));

  if (input.lockfile !== undefined) {
    const lock = parseJsonObject(input.lockfile, 'package-lock.json', MAX_LOCKFILE_BYTES);
    if (typeof lock === 'string') problems.push(lock);
    else problems.push(...checkLockfileSources(lock, registries));
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems: capped(problems, MAX_PROBLEMS) };
}

/**
 * Differences between package.json's dependency maps and the lockfile's root entry, which make
 * `npm ci` fail with "package.json and package-lock.json … are in sync". Empty when in sync.
 */
export function packageJsonInSync(packageJson: string, lockfile: string): string[] {
  const manifest = parseJsonObject(packageJson, 'package.json', MAX_PACKAGE_JSON_BYTES);
  const lock = parseJsonObject(lockfile, 'package-lock.json', MAX_LOCKFILE_BYTES);
  if (typeof manifest === 'string' || typeof lock === 'string') {
    return [manifest, lock].filter((parsed) => typeof parsed === 'string');
  }
  const root = isRecord(lock.packages) ? lock.packages[''] : undefined;
  if (!isRecord(root)) {
    return ['package-lock.json has no root entry packages[""]; regenerate it with npm 9 or later'];
  }

  const differences: string[] = [];
  for (const field of DEPENDENCY_FIELDS) {
    const wanted = specMap(manifest[field]);
    const locked = specMap(root[field]);
    for (const name of new Set([...Object.keys(wanted), ...Object.keys(locked)])) {
      const inManifest = wanted[name];
      const inLock = locked[name];
      if (inManifest === inLock) continue;
      if (inLock === undefined) differences.push(`${field} ${quote(name)} is missing from package-lock.json`);
      else if (inManifest === undefined) differences.push(`${field} ${quote(name)} is not in package.json`);
      else
        differences.push(
          `${field} ${quote(name)} is ${quote(inManifest)} in package.json but ${quote(inLock)} in package-lock.json`,
        );
    }
  }
  const shown = differences
    .slice(0, MAX_SYNC_PROBLEMS)
    .map((difference) => `${OUT_OF_SYNC}: ${difference}; ${RESYNC}`);
  const more = differences.length - shown.length;
  return more > 0 ? [...shown, `${OUT_OF_SYNC}: …and ${more} more packages differ; ${RESYNC}`] : shown;
}

/** The parsed object, or a problem naming the file. Oversized text is refused before parsing. */
function parseJsonObject(text: string, file: string, maxBytes: number): Record<string, unknown> | string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    return `${file} is ${bytes} bytes, more than the ${maxBytes} allowed; keep it to the dependencies the app needs`;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `${file} is not valid JSON (${reason.slice(0, 120)}); write it as strict JSON`;
  }
  return isRecord(parsed) ? parsed : `${file} must contain a JSON object`;
}

/** Name -> spec; a non-string spec is compared by its JSON text. */
function specMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([name, spec]) => [
      name,
      typeof spec === 'string' ? spec : String(JSON.stringify(spec)),
    ]),
  );
}

function capped(problems: string[], max: number): string[] {
  const unique = [...new Set(problems)];
  if (unique.length <= max) return unique;
  return [...unique.slice(0, max), `…and ${unique.length - max} more problems of the same kinds`];
}
