import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxResult, SandboxSession } from '../../core/ports/sandbox.js';
import { withLockFile } from '../../core/file-lock.js';
import { withNpmStaging } from './npm-staging.js';

/**
 * One installed node_modules per distinct lockfile, shared by every app that has it. The entry is
 * made from the lockfile alone (a package.json holding only its dependency lists, never the app's
 * scripts), by npm with `--ignore-scripts` in the sandbox with registry access, then the
 * dependencies' own build scripts run in the sandbox with no network. After that the entry belongs
 * to the worker again and no sandboxed command can change it.
 */
export interface DependencyCacheOptions {
  cacheDir: string;
  session: SandboxSession;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Passed to npm as its registry for the install. */
  registry?: string;
}

export interface CachedDependencies {
  result: SandboxResult;
  key: string;
  /** `<entry>/node_modules`, complete, when the install passed. */
  nodeModules: string;
  reused: boolean;
}

const COMPLETE_MARKER = '.autonoma-complete';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

type Lockfile = Record<string, unknown> & { packages?: Record<string, Record<string, unknown>> };

/** sha256 of the lockfile without the app's own name and version, which differ between apps. */
export function lockfileKey(lockText: string): string {
  const lock = JSON.parse(lockText) as Lockfile;
  const { name: _name, version: _version, ...rest } = lock;
  const packages = { ...(lock.packages ?? {}) };
  const root = packages[''];
  if (root) {
    const { name: _rootName, version: _rootVersion, ...rootRest } = root;
    packages[''] = rootRest;
  }
  return createHash('sha256')
    .update(JSON.stringify({ ...rest, packages }))
    .digest('hex');
}

/** The package.json npm installs the entry from: the lockfile root's dependency lists, nothing else. */
export function entryPackageJson(lockText: string): string {
  const root = (JSON.parse(lockText) as Lockfile).packages?.[''] ?? {};
  const manifest: Record<string, unknown> = {
    name: 'autonoma-dependencies',
    version: '0.0.0',
    private: true,
  };
  for (const field of DEPENDENCY_FIELDS) if (root[field]) manifest[field] = root[field];
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function needsRebuild(lockText: string): boolean {
  const packages = (JSON.parse(lockText) as Lockfile).packages ?? {};
  return Object.entries(packages).some(([name, entry]) => name !== '' && entry.hasInstallScript === true);
}

function isComplete(entry: string): boolean {
  return existsSync(join(entry, COMPLETE_MARKER)) && existsSync(join(entry, 'node_modules'));
}

export async function ensureDependencies(
  lockText: string,
  options: DependencyCacheOptions,
): Promise<CachedDependencies> {
  const started = Date.now();
  const key = lockfileKey(lockText);
  const entry = join(options.cacheDir, key);
  const nodeModules = join(entry, 'node_modules');
  await mkdir(options.cacheDir, { recursive: true, mode: 0o755 });

  const made = isComplete(entry)
    ? undefined
    : await withLockFile(`${entry}.lock`, () => populate(entry, lockText, options), {
        timeoutMs: options.timeoutMs,
        // An install can legitimately take the whole step timeout.
        staleMs: options.timeoutMs + 60_000,
        maxPollMs: 500,
        ...(options.signal ? { signal: options.signal } : {}),
        busyMessage: `Timed out waiting for ${entry}.lock; delete it if no install is running.`,
      });
  if (made && !made.ok) return { result: made, key, nodeModules, reused: false };
  const reused = made === undefined;
  return {
    result: {
      ok: true,
      exitCode: 0,
      timedOut: false,
      durationMs: Date.now() - started,
      output: reused ? `Reused the dependencies installed for lockfile ${key.slice(0, 12)}.` : made.output,
    },
    key,
    nodeModules,
    reused,
  };
}

/** Builds the entry in a staging directory and renames it into place once complete. */
async function populate(
  entry: string,
  lockText: string,
  options: DependencyCacheOptions,
): Promise<SandboxResult | undefined> {
  if (isComplete(entry)) return undefined;
  const { session } = options;
  return withNpmStaging(
    {
      session,
      prefix: `${entry}.staging-`,
      files: { 'package.json': entryPackageJson(lockText), 'package-lock.json': lockText },
      timeoutMs: options.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    },
    async ({ dir, npm }) => {
      const install = await npm(['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
        network: 'registry',
        failFast: true,
      });
      if (!install.ok) return { ...install, output: `npm ci failed:\n${install.output}` };
      let output = install.output;
      if (needsRebuild(lockText)) {
        const rebuild = await npm(['rebuild'], { network: 'none' });
        if (!rebuild.ok)
          return {
            ...rebuild,
            output: `The dependencies' build scripts failed (npm rebuild):\n${rebuild.output}`,
          };
        output += `\n${rebuild.output}`;
      }
      await mkdir(join(dir, 'node_modules'), { recursive: true }); // npm makes none for zero packages
      await session.revoke(dir);
      await writeFile(join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
      await rm(entry, { recursive: true, force: true });
      await rename(dir, entry);
      return { ...install, output };
    },
  );
}

/** The lockfile text, or undefined when the app has none. */
export async function readLockfile(dir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, 'package-lock.json'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
