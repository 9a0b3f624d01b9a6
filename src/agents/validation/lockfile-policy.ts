import { z } from 'zod';
import { isExactVersion, quote, refusedSource, splitNameAndRange } from './dependency-spec.js';
import { checkManifestSpecs, isRecord } from './package-json-policy.js';

const FILE = 'package-lock.json';
const FIX = 'depend on a registry version in package.json and regenerate package-lock.json from the registry';
// The legacy tree nests one level per node_modules folder; real trees stay far below this.
const MAX_LEGACY_DEPTH = 64;

const Entry = z.looseObject({
  version: z.string().optional(),
  resolved: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  /** Set for aliases (`"x": "npm:real@1"`): the real package's name. */
  name: z.string().optional(),
});
type Entry = z.infer<typeof Entry>;

const LegacyEntry = Entry.extend({ dependencies: z.record(z.string(), z.unknown()).optional() });

/** `node_modules/a/node_modules/@s/b`: only real install locations, no `..` or workspace folders. */
const INSTALL_PATH =
  /^node_modules\/(?:@[a-z0-9~-][\w.~-]*\/)?[a-z0-9~-][\w.~-]*(?:\/node_modules\/(?:@[a-z0-9~-][\w.~-]*\/)?[a-z0-9~-][\w.~-]*)*$/i;

/** Registry base URLs with exactly one trailing slash, for prefix comparison. */
export function normaliseRegistries(registries: readonly string[]): string[] {
  return registries.map((registry) => {
    const url = new URL(registry);
    if (url.protocol !== 'https:') throw new TypeError(`registry ${registry} must be an https URL`);
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  });
}

/** Problems with where a parsed lockfile would make `npm ci` fetch packages from. */
export function checkLockfileSources(lock: Record<string, unknown>, registries: readonly string[]): string[] {
  const version = lock.lockfileVersion;
  if (version !== 2 && version !== 3) {
    return [
      `${FILE} has lockfileVersion ${quote(String(version))}; regenerate it with npm 9 or later (lockfileVersion 3)`,
    ];
  }
  const problems: string[] = [];
  const packages = lock.packages;
  if (!isRecord(packages))
    problems.push(`${FILE} has no "packages" object; regenerate it with npm 9 or later`);
  else problems.push(...checkPackages(packages, registries));
  if (lock.dependencies !== undefined) problems.push(...checkLegacy(lock.dependencies, registries));
  return problems;
}

function checkPackages(packages: Record<string, unknown>, registries: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(packages)) {
    if (key === '') {
      if (isRecord(raw)) problems.push(...checkManifestSpecs(raw, `${FILE} packages[""]`));
      continue;
    }
    const where = `${FILE} packages[${quote(key)}]`;
    if (!INSTALL_PATH.test(key)) {
      problems.push(
        `${where} is not a node_modules path (workspaces and local folders are not allowed); ${FIX}`,
      );
      continue;
    }
    const entry = Entry.safeParse(raw);
    if (!entry.success) {
      problems.push(
        `${where} is malformed (${entry.error.issues[0]?.message ?? 'invalid'}); regenerate the lockfile`,
      );
      continue;
    }
    if (entry.data.link === true) {
      problems.push(`${where} is a link to ${quote(entry.data.resolved ?? '?')}, a local folder; ${FIX}`);
      continue;
    }
    if (entry.data.version !== undefined && !isExactVersion(entry.data.version)) {
      problems.push(
        `${where} has version ${quote(entry.data.version)}, ${describe(entry.data.version)}; ${FIX}`,
      );
    }
    problems.push(...checkResolved(where, entry.data, registries));
    const swapped = tarballMismatch(key, entry.data);
    if (swapped) problems.push(`${where} ${swapped}; ${FIX}`);
  }
  return problems;
}

const PUBLIC_REGISTRY = 'https://registry.npmjs.org/';

/**
 * On the public registry a tarball's path names its package and version
 * (`/@scope/name/-/name-1.2.3.tgz`): an entry for one package must not fetch another's tarball.
 * Other registries lay paths out their own way and are not checked.
 */
function tarballMismatch(key: string, entry: Entry): string | undefined {
  if (entry.resolved === undefined || !entry.resolved.startsWith(PUBLIC_REGISTRY)) return undefined;
  const name = typeof entry.name === 'string' ? entry.name : key.slice(key.lastIndexOf('node_modules/') + 13);
  const base = name.slice(name.lastIndexOf('/') + 1);
  const expected = `${PUBLIC_REGISTRY}${name}/-/${base}-${entry.version ?? ''}.tgz`;
  return entry.resolved === expected
    ? undefined
    : `resolves to ${quote(entry.resolved)}, which is not the tarball of ${name}@${entry.version ?? '?'} (${quote(expected)})`;
}

/** lockfileVersion 1/2's nested `dependencies` tree, which npm still reads when `packages` is absent. */
function checkLegacy(dependencies: unknown, registries: readonly string[]): string[] {
  if (!isRecord(dependencies)) return [`${FILE} "dependencies" must be an object; regenerate the lockfile`];
  const problems: string[] = [];
  const pending: Array<{ tree: Record<string, unknown>; trail: string[] }> = [
    { tree: dependencies, trail: [] },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.trail.length > MAX_LEGACY_DEPTH) {
      problems.push(`${FILE} "dependencies" is nested too deeply; regenerate the lockfile`);
      continue;
    }
    for (const [name, raw] of Object.entries(next.tree)) {
      const trail = [...next.trail, name];
      const where = `${FILE} dependencies[${trail.map(quote).join(' › ')}]`;
      const entry = LegacyEntry.safeParse(raw);
      if (!entry.success) {
        problems.push(
          `${where} is malformed (${entry.error.issues[0]?.message ?? 'invalid'}); regenerate the lockfile`,
        );
        continue;
      }
      const { version, dependencies: nested } = entry.data;
      if (version !== undefined && !isExactVersion(legacyVersion(version))) {
        problems.push(`${where} has version ${quote(version)}, ${describe(version)}; ${FIX}`);
      }
      problems.push(...checkResolved(where, entry.data, registries));
      if (nested) pending.push({ tree: nested, trail });
    }
  }
  return problems;
}

/** Aliases appear as `npm:name@1.2.3` in the legacy tree. */
function legacyVersion(version: string): string {
  if (!version.startsWith('npm:')) return version;
  return splitNameAndRange(version.slice(4)).range ?? '';
}

function checkResolved(where: string, entry: Entry, registries: readonly string[]): string[] {
  const problems: string[] = [];
  if (entry.resolved !== undefined && !onRegistry(entry.resolved, registries)) {
    const allowed = registries.length > 0 ? registries.join(', ') : 'none configured';
    problems.push(
      `${where} resolves to ${quote(entry.resolved)}, ${describe(entry.resolved)} outside the allowed registries (${allowed}); ${FIX}`,
    );
  }
  if (entry.integrity !== undefined ? !isStrongIntegrity(entry.integrity) : entry.resolved !== undefined) {
    const found = entry.integrity === undefined ? 'no integrity hash' : `integrity ${quote(entry.integrity)}`;
    problems.push(`${where} has ${found}; every tarball needs a sha512 integrity hash, so ${FIX}`);
  }
  return problems;
}

function onRegistry(resolved: string, registries: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(resolved);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
  return registries.some((registry) => url.href.startsWith(registry));
}

/** ssri strings may list several hashes; npm checks the strongest, so a sha512 one must be there. */
function isStrongIntegrity(integrity: string): boolean {
  const hashes = integrity.trim().split(/\s+/);
  return hashes.some((hash) => /^sha512-[A-Za-z0-9+/]{86}==(?:\?\S*)?$/.test(hash));
}

function describe(value: string): string {
  const refused = refusedSource(value);
  if (refused === undefined || refused === 'not a version range or dist-tag') {
    return /^https?:/i.test(value) ? 'a URL' : 'not a registry version';
  }
  return refused;
}
