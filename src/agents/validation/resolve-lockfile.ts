import { mkdir, readFile } from 'node:fs/promises';
import { withNpmStaging } from './npm-staging.js';
import { join } from 'node:path';
import type { SandboxSession } from '../../core/ports/sandbox.js';

/**
 * Autonoma owns the lockfile: a model writes package.json (it cannot know integrity hashes), and
 * npm resolves the lockfile from the registry with `--package-lock-only --ignore-scripts`, in the
 * sandbox with registry access and nothing of the app but its package.json. No package code runs.
 */
export interface ResolveLockfileOptions {
  session: SandboxSession;
  /** A directory on the worker's disk where a throw-away staging folder is made. */
  workRoot: string;
  timeoutMs: number;
  signal?: AbortSignal;
  registry?: string;
  /** A lockfile to start from, so versions it already pins stay pinned. */
  previous?: string;
}

export type ResolvedLockfile =
  | { ok: true; lockfile: string; output: string; durationMs: number }
  | { ok: false; output: string; durationMs: number };

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

export async function resolveLockfile(
  packageJson: string,
  options: ResolveLockfileOptions,
): Promise<ResolvedLockfile> {
  const started = Date.now();
  await mkdir(options.workRoot, { recursive: true, mode: 0o755 });
  return withNpmStaging(
    {
      session: options.session,
      prefix: join(options.workRoot, 'resolve-'),
      files: {
        'package.json': packageJson,
        ...(options.previous ? { 'package-lock.json': options.previous } : {}),
      },
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    },
    async ({ dir, npm }): Promise<ResolvedLockfile> => {
      const result = await npm(
        ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
        {
          network: 'registry',
          tailBytes: 8192,
        },
      );
      if (!result.ok) {
        return {
          ok: false,
          durationMs: Date.now() - started,
          output: `Resolving package.json's dependencies from the registry failed (npm install --package-lock-only):\n${explainNpmFailure(result.output)}`,
        };
      }
      const check = await options.session.run({
        workDir: dir,
        command: 'node',
        args: ['--input-type=module', '-e', DEPRECATION_CHECK],
        network: 'registry',
        env: { REGISTRY: options.registry ?? 'https://registry.npmjs.org/' },
        timeoutMs: Math.min(options.timeoutMs, 60_000),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const durationMs = Date.now() - started;
      const deprecated = deprecatedDirectDependencies(packageJson, check.output);
      if (deprecated.length > 0) {
        return {
          ok: false,
          durationMs,
          output: `package.json depends on deprecated packages; use maintained ones instead:\n${deprecated.map((d) => `- ${d}`).join('\n')}`,
        };
      }
      const lockfile = await readFile(join(dir, 'package-lock.json'), 'utf8');
      return { ok: true, lockfile, durationMs, output: result.output };
    },
  );
}

/** npm's own lines, plus one plain sentence for the failures a model most often causes. */
export function explainNpmFailure(output: string): string {
  const notFound = [
    ...output.matchAll(/'?([^'\s]+@[^'\s]*)'? is not in this registry/g),
    ...output.matchAll(/The requested resource '([^']+)' could not be found/g),
  ].map((m) => m[1]);
  const noVersion = [...output.matchAll(/No matching version found for ([^\s.]+(?:\.[^\s.]+)*)\.?/g)].map(
    (m) => m[1],
  );
  const hints = [
    ...notFound.map((spec) => `package.json: "${spec}" does not exist on the npm registry; check the name.`),
    ...noVersion.map(
      (spec) => `package.json: no published version matches ${spec}; use a range of versions that exist.`,
    ),
    ...(/ERESOLVE/.test(output)
      ? ['package.json: the dependencies conflict (peer dependency ranges); pick versions that agree.']
      : []),
  ];
  return [...hints, output.trim()].join('\n');
}

/**
 * Ours, run in the staging folder after resolution: `--package-lock-only` prints no deprecation
 * warnings, so the registry's abbreviated metadata of each direct dependency is asked for the
 * resolved version's `deprecated` message, printed the way npm prints it.
 */
export const DEPRECATION_CHECK = `
import { readFileSync } from 'node:fs';
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const root = lock.packages[''] ?? {};
const names = [...new Set(${JSON.stringify(DEPENDENCY_FIELDS)}.flatMap((f) => Object.keys(root[f] ?? {})))];
await Promise.all(names.map(async (name) => {
  const installed = lock.packages['node_modules/' + name];
  if (!installed) return;
  const realName = installed.name ?? name;
  try {
    const response = await fetch(process.env.REGISTRY + realName.replace('/', '%2f'), {
      headers: { accept: 'application/vnd.npm.install-v1+json' },
      signal: AbortSignal.timeout(20000),
    });
    const why = (await response.json()).versions?.[installed.version]?.deprecated;
    if (why) console.log('npm warn deprecated ' + name + '@' + installed.version + ': ' + String(why).replace(/\\s+/g, ' '));
  } catch {}
}));
`;

/** `npm warn deprecated name@1.2.3: why` lines about packages package.json names directly. */
export function deprecatedDirectDependencies(packageJson: string, output: string): string[] {
  let direct: Set<string>;
  try {
    const manifest = JSON.parse(packageJson) as Record<string, unknown>;
    direct = new Set(
      DEPENDENCY_FIELDS.flatMap((field) => Object.keys((manifest[field] as Record<string, string>) ?? {})),
    );
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const match of output.matchAll(/npm warn deprecated ((@?[^@\s]+)@[^:\s]+): ?(.*)/gi)) {
    if (direct.has(match[2] ?? '')) found.push(`${match[1]}: ${(match[3] ?? '').trim()}`);
  }
  return found;
}
