import { isPackageName, quote, refusedSource, suggestedRange } from './dependency-spec.js';

/** package.json fields whose values npm resolves to something it downloads or links. */
export const DEPENDENCY_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

// Deeper nesting than this in `overrides` is not a real dependency tree.
const MAX_OVERRIDE_DEPTH = 16;

type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with the sources a parsed package.json asks npm to install from. */
export function checkManifestSpecs(manifest: Json, file: string): string[] {
  const problems: string[] = [];
  for (const field of [...DEPENDENCY_FIELDS, 'resolutions'] as const) {
    const map = manifest[field];
    if (map === undefined) continue;
    if (!isRecord(map)) {
      problems.push(`${file} "${field}" must be an object mapping package names to version ranges`);
      continue;
    }
    for (const [name, spec] of Object.entries(map))
      problems.push(...checkSpec(`${file} ${field}`, name, spec));
  }
  if (manifest.overrides !== undefined) problems.push(...checkOverrides(manifest.overrides, file));
  return problems;
}

/** One dependency entry: `where` names the file and field, `name` the package (or override key). */
export function checkSpec(where: string, name: string, spec: unknown): string[] {
  if (typeof spec !== 'string') {
    return [`${where}: ${quote(name)} must be a version range string, not ${typeof spec}`];
  }
  const refused = refusedSource(spec);
  if (refused === undefined) return [];
  const fix =
    refused === 'not a version range or dist-tag'
      ? `use a semver range or a dist-tag such as "latest" instead`
      : `depend on a version from the npm registry instead ${suggestedRange(spec)}`;
  return [`${where}: ${quote(name)}: ${quote(spec)} is ${refused}; ${fix}`];
}

/** npm `overrides`: values are specs, `$name` references, or nested objects keyed by package. */
function checkOverrides(overrides: unknown, file: string): string[] {
  if (!isRecord(overrides)) return [`${file} "overrides" must be an object`];
  const problems: string[] = [];
  const pending: Array<{ node: Json; trail: string[] }> = [{ node: overrides, trail: [] }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node, trail } = next;
    if (trail.length > MAX_OVERRIDE_DEPTH) {
      problems.push(`${file} "overrides" is nested too deeply (more than ${MAX_OVERRIDE_DEPTH} levels)`);
      continue;
    }
    for (const [key, value] of Object.entries(node)) {
      const where = `${file} overrides${trail.map((part) => ` › ${quote(part)}`).join('')}`;
      if (isRecord(value)) pending.push({ node: value, trail: [...trail, key] });
      else if (typeof value === 'string' && value.startsWith('$') && isPackageName(value.slice(1))) continue;
      else problems.push(...checkSpec(where, key === '.' ? (trail.at(-1) ?? key) : key, value));
    }
  }
  return problems;
}
