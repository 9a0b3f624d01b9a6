import type { Octokit } from '@octokit/rest';
import type { Logger } from '../../../core/logger.js';
import type { RepositoryRef } from '../../../core/ports/forge.js';

/** What every GitHub forge operation needs, passed in rather than read from globals. */
export interface GitHubContext {
  octokit: Octokit;
  owner: string;
  logger: Logger;
}

export function repoCoordinates(repo: RepositoryRef): { owner: string; repo: string } {
  const [owner = '', name = ''] = repo.fullName.split('/');
  return { owner, repo: name };
}
