import type { RepositoryRef, Review, ReviewComment } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub } from './github-errors.js';

const REVIEW_STATES = new Set<Review['state']>([
  'APPROVED',
  'CHANGES_REQUESTED',
  'COMMENTED',
  'DISMISSED',
  'PENDING',
]);

export async function listReviewComments(
  ctx: GitHubContext,
  repo: RepositoryRef,
  pullNumber: number,
): Promise<ReviewComment[]> {
  const comments = await callGitHub(`reading the review comments on #${pullNumber} of ${repo.fullName}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.pulls.listReviewComments, {
      ...repoCoordinates(repo),
      pull_number: pullNumber,
      per_page: 100,
    }),
  );
  return comments.map((c) => ({
    id: c.id,
    author: c.user?.login ?? 'ghost',
    body: c.body,
    path: c.path,
    ...(typeof (c.line ?? c.original_line) === 'number'
      ? { line: (c.line ?? c.original_line) as number }
      : {}),
    ...(c.in_reply_to_id ? { inReplyToId: c.in_reply_to_id } : {}),
    createdAt: c.created_at,
  }));
}

export async function listReviews(
  ctx: GitHubContext,
  repo: RepositoryRef,
  pullNumber: number,
): Promise<Review[]> {
  const reviews = await callGitHub(`reading the reviews of #${pullNumber} of ${repo.fullName}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.pulls.listReviews, {
      ...repoCoordinates(repo),
      pull_number: pullNumber,
      per_page: 100,
    }),
  );
  return reviews.map((r) => ({
    id: r.id,
    author: r.user?.login ?? 'ghost',
    state: REVIEW_STATES.has(r.state as Review['state']) ? (r.state as Review['state']) : 'COMMENTED',
    body: r.body ?? '',
    submittedAt: r.submitted_at ?? '',
  }));
}

/** Replies in the comment's thread, unless the same reply is already there (a retried job). */
export async function replyToReviewComment(
  ctx: GitHubContext,
  repo: RepositoryRef,
  pullNumber: number,
  commentId: number,
  body: string,
): Promise<void> {
  const existing = await listReviewComments(ctx, repo, pullNumber);
  if (existing.some((c) => c.inReplyToId === commentId && c.body === body)) return;
  await callGitHub(`replying to review comment ${commentId} on #${pullNumber} of ${repo.fullName}`, () =>
    ctx.octokit.rest.pulls.createReplyForReviewComment({
      ...repoCoordinates(repo),
      pull_number: pullNumber,
      comment_id: commentId,
      body,
    }),
  );
}
