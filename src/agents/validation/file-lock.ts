import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { throwIfAborted } from '../../core/errors.js';

const POLL_MS = 500;

/**
 * Exclusive section across processes: a lock file created with O_EXCL. A lock whose owner died, or
 * older than the timeout, is stale and taken over; waiters give up at the timeout.
 */
export async function withFileLock<T>(
  lockPath: string,
  options: { timeoutMs: number; signal?: AbortSignal },
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
