import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, lstat, mkdir, open, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { throwIfAborted } from '../../core/errors.js';
import { type CommandResult, runCommand } from './run-command.js';

/**
 * One installed node_modules per distinct lockfile, shared by every app that has it: the first
 * validation runs `npm ci` in `<cacheDir>/<key>/`, later ones symlink that node_modules in.
 */
export interface DependencyCacheOptions {
  dir: string;
  cacheDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface InstallResult extends CommandResult {
  key: string;
  reused: boolean;
}

const COMPLETE_MARKER = '.autonoma-complete';
const POLL_MS = 500;

/** sha256 of the lockfile without the app's own name and version, which differ between apps. */
export function lockfileKey(lockText: string): string {
  const lock = JSON.parse(lockText) as Record<string, unknown> & {
    packages?: Record<string, Record<string, unknown>>;
  };
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

export async function installDependencies(options: DependencyCacheOptions): Promise<InstallResult> {
  const started = Date.now();
  const key = lockfileKey(await readFile(join(options.dir, 'package-lock.json'), 'utf8'));
  const home = join(options.cacheDir, key);
  await mkdir(options.cacheDir, { recursive: true });

  let result: CommandResult | undefined;
  if (!isComplete(home)) result = await withLock(`${home}.lock`, options, () => populate(home, options));
  if (result && !result.ok) return { ...result, key, reused: false };

  await linkNodeModules(options.dir, join(home, 'node_modules'));
  const reused = result === undefined;
  return {
    ok: true,
    exitCode: 0,
    timedOut: false,
    durationMs: Date.now() - started,
    output: reused
      ? `Reused the dependencies installed for lockfile ${key.slice(0, 12)}.`
      : (result?.output ?? ''),
    key,
    reused,
  };
}

function isComplete(home: string): boolean {
  return existsSync(join(home, COMPLETE_MARKER)) && existsSync(join(home, 'node_modules'));
}

/** Runs `npm ci` in the cache entry unless another validation completed it meanwhile. */
async function populate(home: string, options: DependencyCacheOptions): Promise<CommandResult | undefined> {
  if (isComplete(home)) return undefined;
  await rm(home, { recursive: true, force: true });
  await mkdir(home, { recursive: true });
  await copyFile(join(options.dir, 'package.json'), join(home, 'package.json'));
  await copyFile(join(options.dir, 'package-lock.json'), join(home, 'package-lock.json'));
  const result = await runCommand('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: home,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    env: options.env,
  });
  if (result.ok) await writeFile(join(home, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
  return result;
}

/**
 * Exclusive section across processes: a lock file created with O_EXCL. A lock whose owner died, or
 * older than the install timeout, is stale and taken over; waiters give up at the timeout.
 */
async function withLock<T>(
  lockPath: string,
  options: DependencyCacheOptions,
  work: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    throwIfAborted(options.signal);
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(lockPath, options.timeoutMs)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${lockPath}; delete it if no install is running.`);
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string, maxAgeMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - info.mtimeMs > maxAgeMs + 60_000) return true;
    const pid = (JSON.parse(text || '{}') as { pid?: unknown }).pid;
    return typeof pid === 'number' && !isAlive(pid);
  } catch {
    // Vanished (released) or half-written: retry rather than treat as stale.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function linkNodeModules(dir: string, target: string): Promise<void> {
  const link = join(dir, 'node_modules');
  const existing = await lstat(link).catch(() => undefined);
  if (existing) await rm(link, { recursive: true, force: true });
  await symlink(target, link, 'dir');
}
