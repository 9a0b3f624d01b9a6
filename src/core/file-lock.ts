import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AutonomaError, throwIfAborted } from './errors.js';

export interface FileLockOptions {
  /** Give up waiting after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock older than this was left behind by a crash (default 10 min). */
  staleMs?: number;
  /** The longest pause between attempts; waits start at 10 ms and double (default 100 ms). */
  maxPollMs?: number;
  signal?: AbortSignal;
  /** What the user is told when the wait gives up. */
  busyMessage?: string;
}

/**
 * Runs `work` while holding `lockPath`, created with O_EXCL, so two jobs in this process or another
 * take turns. A lock whose process died, or older than `staleMs`, is broken.
 */
export async function withLockFile<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(options.signal);
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
          options.busyMessage ?? `Timed out waiting for ${lockPath}; delete it if nothing holds it.`,
          { retryable: true },
        );
      }
      await sleep(Math.min(10 * 2 ** Math.min(attempt, 6), options.maxPollMs ?? 100));
    }
  }
  try {
    return await work();
  } finally {
    await unlink(lockPath).catch(() => undefined);
  }
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const pid = Number((JSON.parse(text || '{}') as { pid?: unknown }).pid);
    return Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid);
  } catch {
    // Vanished (released) or half-written by its owner: not stale, just try again.
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
