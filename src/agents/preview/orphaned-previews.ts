import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Each server keeps its previews under `<root>/<its pid>`; its sandboxes die with it (bwrap's
 * --die-with-parent), but a server that was killed leaves their directories. Those of processes that
 * no longer exist are removed at start-up; a live server's are left alone.
 */
export async function removeOrphanedPreviews(
  root: string,
  isAlive: (pid: number) => boolean = processExists,
): Promise<string[]> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const orphans = entries.filter((name) => /^\d{1,10}$/.test(name) && !isAlive(Number(name)));
  await Promise.all(orphans.map((name) => rm(path.join(root, name), { recursive: true, force: true })));
  return orphans;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
