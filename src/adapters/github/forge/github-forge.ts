import type { Octokit } from '@octokit/rest';
import type { Logger } from '../../../core/logger.js';
import type { Forge, RepositoryRef } from '../../../core/ports/forge.js';
import { commitFiles } from './commit-files.js';
import { ensureComment } from './ensure-comment.js';
import { ensureInitialCommit } from './ensure-initial-commit.js';
import { ensurePullRequest } from './ensure-pull-request.js';
import { createRepositoryEnsurer, type OwnerType } from './ensure-repository.js';
import type { GitHubContext } from './github-context.js';
import { findBranchSha } from './git-refs.js';
import { repoCoordinates } from './github-context.js';
import { readBranch } from './read-branch.js';
import { listReviewComments, listReviews, replyToReviewComment } from './review-comments.js';
import { setCommitStatus } from './set-commit-status.js';

export interface GitHubForgeOptions {
  /** From `createGitHubOctokit` (or any Octokit pointed at the right API URL). */
  octokit: Octokit;
  /** `config.github.owner`: the user or organisation that owns the generated repositories. */
  owner: string;
  /** Which endpoint creates repositories; 'auto' (default) asks GitHub once. */
  ownerType?: OwnerType;
  /** `config.github.license`: the LICENSE file itself comes with the initial files; a missing one is logged. */
  license: 'MIT' | 'Apache-2.0' | 'none';
  logger: Logger;
}

/** The forge that delivers apps as GitHub repositories and pull requests; every write finds first. */
export function createGitHubForge(options: GitHubForgeOptions): Forge {
  const ctx: GitHubContext = {
    octokit: options.octokit,
    owner: options.owner,
    logger: options.logger.child({ component: 'github-forge', owner: options.owner }),
  };
  const repositories = createRepositoryEnsurer(ctx, options.ownerType ?? 'auto');
  return {
    name: 'github',
    ensureRepository: (input) => repositories.ensureRepository(input),
    ensureInitialCommit: (repo, files) => {
      if (options.license !== 'none' && !files.has('LICENSE')) {
        ctx.logger.warn(
          { repository: repo.fullName, license: options.license },
          'initial files have no LICENSE',
        );
      }
      return ensureInitialCommit(ctx, repo, files);
    },
    commitFiles: (input) => commitFiles(ctx, input),
    readBranch: async (repo, branch) => {
      const sha = await findBranchSha(ctx, repoCoordinates(repo), branch);
      return sha ? readBranch(ctx, repo, sha) : null;
    },
    ensurePullRequest: (input) => ensurePullRequest(ctx, input),
    ensureComment: (repo, issueNumber, marker, body) => ensureComment(ctx, repo, issueNumber, marker, body),
    listReviewComments: (repo, pullNumber) => listReviewComments(ctx, repo, pullNumber),
    listReviews: (repo, pullNumber) => listReviews(ctx, repo, pullNumber),
    replyToReviewComment: (repo, pullNumber, commentId, body) =>
      replyToReviewComment(ctx, repo, pullNumber, commentId, body),
    setCommitStatus: (input) => setCommitStatus(ctx, input),
    imageUrl: (repo, branch, file) => githubImageUrl(repo, branch, file),
  };
}

/**
 * The blob URL with `?raw=true`: GitHub redirects it to the raw file for anyone who can read the
 * repository (private ones too, unlike raw.githubusercontent.com links pasted by hand).
 */
export function githubImageUrl(repo: RepositoryRef, branch: string, file: string): string {
  const segments = (text: string) => text.split('/').map(encodeURIComponent).join('/');
  return `${repo.location.replace(/\/+$/, '')}/blob/${segments(branch)}/${segments(file)}?raw=true`;
}
