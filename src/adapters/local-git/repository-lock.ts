import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AutonomaError } from '../../core/errors.js';

export interface LockOptions {
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** A lock older than this is taken to be left behind by a crashed job. */
  staleMs?: number;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    const pid = Number(JSON.parse(text || '{}').pid);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
  } catch {
    // Vanished or half-written by its owner: not stale, just try again.
    return false;
  }
}

/**
 * Runs `work` while holding `<lockPath>` (created with O_EXCL), so two jobs writing the same repository
 * — in this process or another — take turns. A lock whose process died is broken.
 */
export async function withLockFile<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(lockPath, staleMs)) {
        await unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new AutonomaError(
          'conflict',
          `Another job is still writing this repository (lock ${lockPath}). ` +
            'Try again in a minute; if no job is running, delete the lock file.',
          { retryable: true },
        );
      }
      await sleep(Math.min(10 * 2 ** Math.min(attempt, 4), 100));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}
