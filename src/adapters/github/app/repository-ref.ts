import type { RepositoryRef } from '../../../core/ports/forge.js';
import type { GitHubAppContext } from './app-context.js';

/** The forge's RepositoryRef for `owner/name` (location and default branch are informative only here). */
export function repositoryRef(
  app: Pick<GitHubAppContext, 'config'>,
  owner: string,
  name: string,
  defaultBranch = 'main',
): RepositoryRef {
  return {
    forge: 'github',
    fullName: `${owner}/${name}`,
    location: `${app.config.webUrl.replace(/\/+$/, '')}/${owner}/${name}`,
    defaultBranch,
  };
}
