import type { ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import { escapeMarkdown, truncateText } from '../../../core/pull-request-body.js';
import type { GitHubAppContext } from './app-context.js';
import { forgeFor } from './github-forge-for.js';
import { loadIterationRecord } from './iteration-record.js';
import { repositoryRef } from './repository-ref.js';

/** The first paragraph of the review summary, without the runner's "Committed … to …" trailer. */
function whatChanged(summary: string): string {
  const paragraph =
    summary
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p !== '' && !/^Committed [0-9a-f]{7,40} to /.test(p)) ?? 'the requested changes';
  return escapeMarkdown(truncateText(paragraph.replace(/\s+/g, ' '), 500));
}

/** The answer each review thread gets when the iteration ends. */
export function threadReply(
  request: GenerationRequest,
  event: ProgressEvent & { type: 'finished' },
  previousHeadSha: string | null,
): string {
  const result = request.result;
  if (event.status === 'succeeded' && result?.commitSha && result.commitSha !== previousHeadSha) {
    return `Fixed in ${result.commitSha}: ${whatChanged(result.reviewSummary)}`;
  }
  if (event.status === 'succeeded') {
    return 'Not changed: the agents found nothing to change in the app for this comment, so no commit was made.';
  }
  if (event.status === 'cancelled') return 'Not done: the iteration was cancelled before it finished.';
  return `Not done: ${escapeMarkdown(truncateText(request.errorMessage ?? event.message, 1000))}`;
}

/**
 * When an iteration ends, every review thread that asked for it gets one reply: the commit that fixed
 * it, or why nothing was done. The forge's reply finds an identical reply first, so retries add none.
 */
export async function replyToReviewThreads(
  app: GitHubAppContext,
  request: GenerationRequest,
  event: ProgressEvent & { type: 'finished' },
): Promise<number> {
  const record = await loadIterationRecord(app, request.idempotencyKey);
  if (!record || record.threads.length === 0) return 0;
  const forge = forgeFor(app, record.installationId, record.owner);
  const repo = repositoryRef(app, record.owner, record.repo);
  const body = threadReply(request, event, record.previousHeadSha);
  for (const commentId of record.threads) {
    await forge.replyToReviewComment(repo, record.pullNumber, commentId, body);
  }
  return record.threads.length;
}
