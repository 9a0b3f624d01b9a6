import { commentBodyWithMarker, type EnsureOutcome, type RepositoryRef } from '../../../core/ports/forge.js';
import { repoCoordinates, type GitHubContext } from './github-context.js';
import { callGitHub } from './github-errors.js';

/** Edits in place the one comment whose body holds `marker` (all pages searched), or creates it. */
export async function ensureComment(
  ctx: GitHubContext,
  repo: RepositoryRef,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<{ id: number; outcome: EnsureOutcome }> {
  const coordinates = repoCoordinates(repo);
  const where = `#${issueNumber} of ${repo.fullName}`;
  const fullBody = commentBodyWithMarker(body, marker);
  const comments = await callGitHub(`reading the comments on ${where}`, () =>
    ctx.octokit.paginate(ctx.octokit.rest.issues.listComments, {
      ...coordinates,
      issue_number: issueNumber,
      per_page: 100,
    }),
  );
  const existing = comments.find((c) => c.body?.includes(marker));
  if (existing && existing.body === fullBody) return { id: existing.id, outcome: 'unchanged' };
  if (existing) {
    await callGitHub(`editing a comment on ${where}`, () =>
      ctx.octokit.rest.issues.updateComment({ ...coordinates, comment_id: existing.id, body: fullBody }),
    );
    return { id: existing.id, outcome: 'updated' };
  }
  const { data } = await callGitHub(`commenting on ${where}`, () =>
    ctx.octokit.rest.issues.createComment({ ...coordinates, issue_number: issueNumber, body: fullBody }),
  );
  return { id: data.id, outcome: 'created' };
}
