import { lstat, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxDriverName, SandboxSession } from '../../core/ports/sandbox.js';
import { runCommand } from '../sandbox/run-command.js';

/**
 * Gives the app copy in `dir` its node_modules from a cache entry.
 * - Sandboxed under its own uid: a tree of hard links (fast, ~0.2 s for ~8,000 files). The files
 *   stay the worker's and read-only to the sandbox user; the directories become the sandbox user's,
 *   so tools can add caches (node_modules/.vite) without touching the shared entry.
 * - Sandboxed as the worker's own uid: a full copy, since that uid could write through a hard link.
 * - No sandbox: a symlink, as nothing is contained anyway.
 */
export async function provideNodeModules(
  source: string,
  dir: string,
  session: SandboxSession,
  driver: SandboxDriverName,
): Promise<void> {
  const target = join(dir, 'node_modules');
  if (await lstat(target).catch(() => undefined)) await rm(target, { recursive: true, force: true });
  if (driver === 'none') {
    await symlink(source, target, 'dir');
    return;
  }
  const linked = session.uid !== undefined && (await copyTree(['-al', source, target])).ok;
  if (!linked) {
    // Another filesystem, or a uid that could write through a link: a real copy.
    await rm(target, { recursive: true, force: true });
    const copied = await copyTree(['-a', source, target]);
    if (!copied.ok) throw new Error(`Could not provide node_modules: ${copied.output}`);
  }
  await session.grant(target, { directoriesOnly: linked });
}

function copyTree(args: string[]): Promise<{ ok: boolean; output: string }> {
  return runCommand('cp', args, { cwd: '/', timeoutMs: 300_000 });
}
