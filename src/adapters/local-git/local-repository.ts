import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import { runGit } from './run-git.js';

/** Who made a directory under the forge root: nobody (free), Autonoma for a request, or someone else. */
export type RepositoryOwnership =
  { kind: 'free' } | { kind: 'ours'; requestId: string } | { kind: 'foreign' };

export interface RepositoryMetadata {
  description: string;
  topics: string[];
  requestId: string;
}

const REPOSITORY_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;

export function assertRepositoryName(name: string): void {
  if (!REPOSITORY_NAME.test(name) || name.endsWith('.lock') || name.includes('..')) {
    throw new InvalidInputError(
      `"${name}" cannot be a repository name: use up to 100 letters, digits, '.', '_' or '-', not starting with '.' or '-'.`,
    );
  }
}

async function configValue(gitDir: string, key: string): Promise<string | null> {
  const { stdout, exitCode } = await runGit(['config', '--get', key], { gitDir, allowExitCodes: [1] });
  return exitCode === 0 ? stdout.toString('utf8').trim() : null;
}

export async function readOwnership(dir: string): Promise<RepositoryOwnership> {
  try {
    await stat(dir);
  } catch {
    return { kind: 'free' };
  }
  try {
    const requestId = await configValue(dir, 'autonoma.requestId');
    return requestId ? { kind: 'ours', requestId } : { kind: 'foreign' };
  } catch {
    return { kind: 'foreign' };
  }
}

export async function readMetadata(dir: string): Promise<{ description: string; topics: string[] }> {
  return {
    description: (await configValue(dir, 'autonoma.description')) ?? '',
    topics: ((await configValue(dir, 'autonoma.topics')) ?? '').split(',').filter(Boolean),
  };
}

export async function writeMetadata(dir: string, metadata: RepositoryMetadata): Promise<void> {
  await runGit(['config', 'autonoma.requestId', metadata.requestId], { gitDir: dir });
  await runGit(['config', 'autonoma.description', metadata.description], { gitDir: dir });
  await runGit(['config', 'autonoma.topics', metadata.topics.join(',')], { gitDir: dir });
  // gitweb and `git instaweb` show this file.
  await writeFile(path.join(dir, 'description'), `${metadata.description}\n`);
}

/**
 * Makes a bare repository with its metadata in a scratch directory, then renames it into place, so a
 * crash never leaves a half-made repository under the wanted name. Returns false if the name was
 * taken meanwhile.
 */
export async function createBareRepository(dir: string, metadata: RepositoryMetadata): Promise<boolean> {
  const scratch = path.join(path.dirname(dir), `.${path.basename(dir)}.${randomUUID()}.tmp`);
  await mkdir(path.dirname(dir), { recursive: true });
  try {
    await runGit(['init', '--quiet', '--bare', '--initial-branch=main', scratch]);
    await writeMetadata(scratch, metadata);
    try {
      await stat(dir);
      return false;
    } catch {
      // free: move it in
    }
    await rename(scratch, dir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY') return false;
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
