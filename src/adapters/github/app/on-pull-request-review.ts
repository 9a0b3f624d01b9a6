import { callGitHub } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';
import { isBot } from './is-bot.js';
import { parsePayload, PullRequestReviewEventSchema } from './payloads.js';
import { cleanText } from './prompts.js';
import { startIteration, type IterationTrigger } from './start-iteration.js';

/**
 * `pull_request_review.submitted`: "Request changes", or a review carrying line comments, on a pull
 * request Autonoma opened starts an iteration. Every line comment, a reply in a thread included, arrives
 * wrapped in such a review, so `pull_request_review_comment` needs no handler of its own.
 */
export async function onPullRequestReview(app: GitHubAppContext, payload: unknown): Promise<void> {
  const event = parsePayload(PullRequestReviewEventSchema, payload, 'pull_request_review');
  if (event.action !== 'submitted' || app.config.iterationPolicy === 'mention') return;
  if (isBot(app, event.sender) || isBot(app, event.review.user)) return;
  const state = event.review.state;
  if (state !== 'CHANGES_REQUESTED' && state !== 'COMMENTED') return;
  const owner = event.repository.owner.login;
  const repo = event.repository.name;
  const comments = await callGitHub(`reading review ${event.review.id} of ${owner}/${repo}`, () =>
    app
      .octokit(event.installation.id)
      .paginate(app.octokit(event.installation.id).rest.pulls.listCommentsForReview, {
        owner,
        repo,
        pull_number: event.pull_request.number,
        review_id: event.review.id,
        per_page: 100,
      }),
  );
  const notes: IterationTrigger['notes'] = comments
    .filter(
      (c) => cleanText(c.body) !== '' && !(c.user && isBot(app, { login: c.user.login, type: c.user.type })),
    )
    .map((c) => ({
      author: c.user?.login ?? event.review.user.login,
      body: c.body,
      path: c.path,
      ...(typeof (c.line ?? c.original_line) === 'number'
        ? { line: (c.line ?? c.original_line) as number }
        : {}),
      threadId: c.in_reply_to_id ?? c.id,
    }));
  const summary = cleanText(event.review.body);
  if (summary) notes.unshift({ author: event.review.user.login, body: summary });
  // A plain "Comment" review with no line comments is conversation, not a change request.
  if (notes.length === 0 || (state === 'COMMENTED' && comments.length === 0)) return;
  await startIteration(app, {
    installationId: event.installation.id,
    repository: { id: event.repository.id, owner, name: repo, fullName: event.repository.full_name },
    pull: {
      number: event.pull_request.number,
      branch: event.pull_request.head.ref,
      headSha: event.pull_request.head.sha,
    },
    sender: event.sender,
    notes,
    idempotencyKey: `github:${event.repository.id}:review:${event.review.id}:iterate`,
  });
}
