import { statfs } from 'node:fs/promises';
import type { WatchdogVerdict } from './run-command.js';
import { runCommand } from './run-command.js';

/** Bytes held by the files under `dir` that `uid` owns: what a sandboxed command wrote there. */
export async function bytesOwnedBy(dir: string, uid: number): Promise<number> {
  const result = await runCommand(
    'find',
    [dir, '-xdev', '-type', 'f', '-uid', String(uid), '-printf', '%b\\n'],
    {
      cwd: '/',
      timeoutMs: 60_000,
      tailBytes: 1 << 20,
    },
  );
  // %b is in 512-byte blocks: what the file really occupies (a sparse file costs nothing).
  return result.output.split('\n').reduce((sum, line) => sum + (Number(line) || 0) * 512, 0);
}

async function usedBytes(dir: string): Promise<number> {
  const info = await statfs(dir);
  return (info.blocks - info.bfree) * info.bsize;
}

/**
 * A disk bound for one command, cheap enough to poll every second: the filesystem's used space is
 * read in O(1), and only when it grew by more than the bound since the start are the command's own
 * files counted (other jobs' writes also move the filesystem).
 */
export async function diskWatchdog(
  dir: string,
  uid: number,
  limitBytes: number,
): Promise<() => Promise<WatchdogVerdict | undefined>> {
  let baseline = await usedBytes(dir);
  return async () => {
    const used = await usedBytes(dir);
    if (used - baseline <= limitBytes) return undefined;
    const own = await bytesOwnedBy(dir, uid);
    if (own <= limitBytes) {
      baseline = used - own; // Someone else's writes: look again once ours could pass the bound.
      return undefined;
    }
    return {
      limit: 'disk',
      message: `Stopped: wrote more than ${Math.round(limitBytes / 2 ** 20)} MiB to disk; the process tree was killed.`,
    };
  };
}
