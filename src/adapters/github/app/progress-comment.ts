import { createHash } from 'node:crypto';
import type { ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest, ThreadRef } from '../../../core/domain/request.js';
import { threadLink } from '../../../core/domain/thread-link.js';
import { commentBodyWithMarker } from '../../../core/ports/forge.js';
import { httpStatus, toForgeError } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';
import { ensureCheckRun } from './ensure-check-run.js';
import { forgeFor } from './github-forge-for.js';
import { applyStoredEvent, rememberBodyDigest } from './progress-state.js';
import { renderProgress } from './render-progress.js';
import { replyToReviewThreads } from './reply-to-review-threads.js';
import { repositoryRef } from './repository-ref.js';

type GitHubThread = Extract<ThreadRef, { platform: 'github' }>;

export function progressMarker(requestId: string): string {
  return `<!-- autonoma:progress:${requestId} -->`;
}

/**
 * Reflects a progress event in the request's thread: ONE comment per request on the issue (or pull
 * request), found by its hidden marker the first time and then edited in place by id; when the job
 * ends, replies in the review threads of an iteration and a check run with the validation result.
 */
export async function replyProgress(
  app: GitHubAppContext,
  request: GenerationRequest,
  event: ProgressEvent,
): Promise<void> {
  if (request.thread.platform !== 'github') return;
  const thread = request.thread;
  const { view, lastBodyDigest } = await applyStoredEvent(app, request, event);
  const body = commentBodyWithMarker(renderProgress({ request, view }), progressMarker(request.id));
  const digest = createHash('sha256').update(body).digest('hex');
  if (lastBodyDigest !== digest) {
    await writeComment(app, request, thread, body);
    await rememberBodyDigest(app, request.id, digest);
  }
  if (event.type !== 'finished') return;
  const log = app.logger.child({ requestId: request.id });
  if (request.kind === 'iterate') {
    await replyToReviewThreads(app, request, event).catch((error: unknown) =>
      log.warn({ err: error }, 'could not reply in the review threads'),
    );
  }
  const result = request.result;
  if (
    event.status === 'succeeded' &&
    result?.commitSha &&
    result.validation &&
    result.repository?.forge === 'github'
  ) {
    const [owner = '', repo = ''] = result.repository.name.split('/');
    await ensureCheckRun(app, thread.installationId, {
      owner,
      repo,
      sha: result.commitSha,
      validation: result.validation,
      detailsUrl: threadLink(thread, app.config.webUrl.replace(/\/+$/, '')),
    }).catch((error: unknown) => log.warn({ err: error }, 'could not set the validation check run'));
  }
}

async function writeComment(
  app: GitHubAppContext,
  request: GenerationRequest,
  thread: GitHubThread,
  body: string,
): Promise<void> {
  const where = `#${thread.issueNumber} of ${thread.owner}/${thread.repo}`;
  if (thread.commentId !== undefined) {
    const octokit = app.octokit(thread.installationId);
    try {
      await octokit.rest.issues.updateComment({
        owner: thread.owner,
        repo: thread.repo,
        comment_id: thread.commentId,
        body,
      });
      return;
    } catch (error) {
      // Someone deleted the comment: make a new one below rather than losing the progress.
      if (httpStatus(error) !== 404) throw toForgeError(error, `editing the progress comment on ${where}`);
    }
  }
  const { id } = await forgeFor(app, thread.installationId, thread.owner).ensureComment(
    repositoryRef(app, thread.owner, thread.repo),
    thread.issueNumber,
    progressMarker(request.id),
    body,
  );
  if (id !== thread.commentId) await app.service.recordThread(request.id, { ...thread, commentId: id });
}
