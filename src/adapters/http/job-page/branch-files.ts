import type { FileMap } from '../../../core/domain/files.js';
import type { JobResult } from '../../../core/domain/request.js';
import type { Forge, RepositoryRef } from '../../../core/ports/forge.js';
import type { Logger } from '../../../core/logger.js';

export interface BranchFiles {
  /** The files of the job's pull request branch; undefined when there is none or it cannot be read. */
  load(result: JobResult | null): Promise<FileMap | undefined>;
}

/**
 * Reads the job's branch through the forge the server publishes to, keeping the last few trees a
 * short while: one page view asks for the tree, the code of a file and each screenshot, and a GitHub
 * read is many API calls.
 */
export function createBranchFiles(deps: {
  forge?: Pick<Forge, 'name' | 'readBranch'>;
  logger: Logger;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}): BranchFiles {
  const ttlMs = deps.ttlMs ?? 60_000;
  const maxEntries = deps.maxEntries ?? 8;
  const now = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; files: Promise<FileMap | null> }>();

  return {
    async load(result) {
      const forge = deps.forge;
      if (!forge || !result?.repository || !result.branch || result.repository.forge !== forge.name)
        return undefined;
      const repo: RepositoryRef = {
        forge: result.repository.forge,
        fullName: result.repository.name,
        location: result.repository.location,
        defaultBranch: 'main',
      };
      // The commit too: a newer commit on the branch (an iteration) is a new tree.
      const key = `${repo.fullName}\n${result.branch}\n${result.commitSha ?? ''}`;
      let entry = cache.get(key);
      if (!entry || now() - entry.at >= ttlMs) {
        entry = { at: now(), files: forge.readBranch(repo, result.branch) };
        cache.delete(key);
        cache.set(key, entry);
        while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
      }
      try {
        return (await entry.files) ?? undefined;
      } catch (error) {
        cache.delete(key);
        deps.logger.warn(
          { err: error, repo: repo.fullName, branch: result.branch },
          'job page: branch unreadable',
        );
        return undefined;
      }
    },
  };
}
