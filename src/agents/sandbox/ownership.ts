import type { SandboxSession } from '../../core/ports/sandbox.js';
import { runCommand } from './run-command.js';

/**
 * A session's grant and revoke: directories go to its uid, and back to the worker read-only for
 * everyone else. With no uid of its own (the worker is not root) both do nothing.
 */
export function sessionOwnership(uid: number | undefined): Pick<SandboxSession, 'grant' | 'revoke'> {
  const worker = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  return {
    async grant(dir, options) {
      if (uid !== undefined) await chownTree(dir, { uid, gid: uid }, options);
    },
    async revoke(dir) {
      if (uid !== undefined) await chownTree(dir, worker, { readOnlyForOthers: true });
    },
  };
}

/**
 * Changes the owner of `dir` and everything under it. GNU chown/chmod/find, not a walk in node:
 * ~10× faster on a node_modules of 8,000 files. None of them follow symlinks here, so a link a
 * sandboxed command planted cannot hand a file outside the directory to anyone.
 */
export async function chownTree(
  dir: string,
  owner: { uid: number; gid: number },
  options: { directoriesOnly?: boolean; readOnlyForOthers?: boolean } = {},
): Promise<void> {
  const who = `${owner.uid}:${owner.gid}`;
  await tool(
    options.directoriesOnly
      ? ['find', dir, '-type', 'd', '-exec', 'chown', '-h', who, '{}', '+']
      : ['chown', '-R', '-h', '-P', who, dir],
  );
  // Group/world write bits would let any sandbox user change what it does not own; set-id bits
  // have no business in an app's files.
  if (options.readOnlyForOthers) await tool(['chmod', '-R', 'go-w,ug-s', dir]);
}

async function tool([command, ...args]: string[]): Promise<void> {
  const result = await runCommand(command as string, args, { cwd: '/', timeoutMs: 120_000 });
  if (!result.ok) throw new Error(`${command} failed on ${args.at(-1) ?? ''}: ${result.output}`);
}
