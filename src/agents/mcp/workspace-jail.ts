import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AutonomaError } from '../../core/errors.js';

/** A path the model asked for that the workspace refuses: reported back to the model as a tool error. */
export class WorkspaceAccessError extends AutonomaError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export interface ResolvedPath {
  /** The requested path, normalised: POSIX, relative to the workspace root ('' for the root itself). */
  relative: string;
  /** Real absolute path on disk, symlinks in existing ancestors already resolved. */
  absolute: string;
}

export interface WorkspaceJail {
  /** Real absolute path of the root (symlinks resolved). */
  root(): Promise<string>;
  resolve(requested: string, options?: { allowRoot?: boolean }): Promise<ResolvedPath>;
}

const MAX_PATH_LENGTH = 1024;
// Git internals are off limits anywhere (nested repos too): writing hooks or config would run code.
const FORBIDDEN_SEGMENT = '.git';

/**
 * Checks the shape of a requested path without touching the disk and returns its normalised segments.
 * Backslashes are refused outright rather than translated: on POSIX they are legal file-name characters,
 * so `..\\x` would otherwise mean different things to the model and to the file system.
 */
export function parseWorkspacePath(requested: string): string[] {
  const shown = JSON.stringify(requested);
  if (requested.length > MAX_PATH_LENGTH)
    throw new WorkspaceAccessError(`Path is longer than ${MAX_PATH_LENGTH} characters.`);
  if (requested.includes('\0')) throw new WorkspaceAccessError(`Path ${shown} contains a NUL byte.`);
  if (requested.includes('\\')) {
    throw new WorkspaceAccessError(
      `Path ${shown} contains a backslash; use forward slashes, relative to the workspace root.`,
    );
  }
  if (requested.startsWith('/') || /^[a-zA-Z]:/.test(requested)) {
    throw new WorkspaceAccessError(`Path ${shown} is absolute; give a path relative to the workspace root.`);
  }
  const segments = requested.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    throw new WorkspaceAccessError(`Path ${shown} contains "..": paths must stay inside the workspace.`);
  }
  if (segments.some((segment) => segment.toLowerCase() === FORBIDDEN_SEGMENT)) {
    throw new WorkspaceAccessError(`Path ${shown} is inside .git, which tools may not read or change.`);
  }
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

async function exists(target: string): Promise<boolean> {
  try {
    await lstat(target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Resolves the deepest existing ancestor with realpath, so a symlink anywhere along the path (including
 * the file itself, or a dangling one) cannot lead outside the root. The missing tail cannot contain
 * symlinks because it does not exist yet.
 */
async function resolveReal(rootReal: string, segments: string[], shown: string): Promise<string> {
  for (let depth = segments.length; depth >= 0; depth--) {
    const candidate = path.join(rootReal, ...segments.slice(0, depth));
    if (!(await exists(candidate))) continue;
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      throw new WorkspaceAccessError(`Path ${shown} goes through a broken symbolic link.`);
    }
    if (!isInside(rootReal, real)) {
      throw new WorkspaceAccessError(
        `Path ${shown} goes through a symbolic link that leads outside the workspace.`,
      );
    }
    return path.join(real, ...segments.slice(depth));
  }
  return path.join(rootReal, ...segments);
}

export function createWorkspaceJail(root: string): WorkspaceJail {
  let rootReal: Promise<string> | undefined;
  const realRoot = (): Promise<string> => (rootReal ??= realpath(path.resolve(root)));

  return {
    root: realRoot,
    async resolve(requested, options = {}) {
      const shown = JSON.stringify(requested);
      const segments = parseWorkspacePath(requested);
      if (segments.length === 0 && !options.allowRoot) {
        throw new WorkspaceAccessError(`Path ${shown} names the workspace root, not a file.`);
      }
      const base = await realRoot();
      const absolute = await resolveReal(base, segments, shown);
      // A link inside the root may still point into .git.
      parseWorkspacePath(path.relative(base, absolute).split(path.sep).join('/'));
      return { relative: segments.join('/'), absolute };
    },
  };
}
