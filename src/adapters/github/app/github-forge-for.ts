import type { Forge } from '../../../core/ports/forge.js';
import { createGitHubForge } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';

/**
 * The GitHub forge (its idempotent ensureComment, replyToReviewComment…) acting as one installation.
 * Only the thread-writing operations are used from the App adapter; repository creation stays with
 * the worker's forge.
 */
export function forgeFor(app: GitHubAppContext, installationId: number, owner: string): Forge {
  return createGitHubForge({
    octokit: app.octokit(installationId),
    owner,
    ownerType: 'org',
    license: 'none',
    logger: app.logger,
  });
}
