import { webApi } from '@slack/bolt';
import type { GenerationRequest, GenerationRequestInput } from '../../core/domain/request.js';
import { type AutonomaError, TransientError, userFacingMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { InboxAttempt } from '../../core/ports/inbox.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import { statusMessage } from './blocks.js';
import type { DeliveryMemo } from './delivery-memo.js';
import { slackErrorCode, withRateLimit } from './rate-limit.js';
import type { JobOrigin } from './start-job-entry.js';
import { initialView } from '../../core/conversation/status-view.js';

export interface JobStartDeps {
  client: webApi.WebClient;
  service: GenerationService;
  memo: DeliveryMemo;
  logger: Logger;
}

export type JobStartOutcome =
  | { kind: 'started'; request: GenerationRequest; statusTs: string }
  | { kind: 'duplicate' }
  | { kind: 'refused'; message: string };

/**
 * Posts the status message (which roots the job's thread, or sits in the thread it was asked from),
 * then submits the request with that thread stored on it, so progress finds the thread from any
 * process and after a restart. Safe to run again for the same delivery: a retried attempt reuses the
 * status message the earlier one posted, and the idempotency key stores one request. Transient
 * failures throw (the inbox retries them); on the final attempt, or for failures no retry can fix,
 * the outcome is a refusal that says what to do.
 */
export async function startJob(
  deps: JobStartDeps,
  origin: JobOrigin,
  attempt: InboxAttempt,
): Promise<JobStartOutcome> {
  const kind = origin.iteration ? 'iterate' : 'build';
  const memoKey = `status:${origin.idempotencyKey}`;
  let statusTs = await deps.memo.recall(memoKey);
  if (!statusTs) {
    try {
      const posted = await withRateLimit(() =>
        deps.client.chat.postMessage({
          channel: origin.channelId,
          ...(origin.threadTs ? { thread_ts: origin.threadTs } : {}),
          ...statusMessage(initialView({ kind, prompt: origin.prompt })),
        }),
      );
      if (!posted.ts) throw new Error('chat.postMessage returned no ts');
      statusTs = posted.ts;
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ err: error, channel: origin.channelId, attempt }, 'slack status message not posted');
      if (!attempt.final && isTransient(error)) {
        throw new TransientError('Slack did not take the status message.', { cause: error });
      }
      return { kind: 'refused', message: postFailureMessage(code) };
    }
    await deps.memo.remember(memoKey, statusTs);
  }

  const input: GenerationRequestInput = {
    kind,
    prompt: origin.prompt,
    source: 'slack',
    thread: {
      platform: 'slack',
      teamId: origin.teamId,
      channelId: origin.channelId,
      threadTs: origin.threadTs ?? statusTs,
      statusMessageTs: statusTs,
    },
    idempotencyKey: origin.idempotencyKey,
    requester: {
      platform: 'slack',
      externalId: origin.userId,
      ...(origin.userName ? { displayName: origin.userName } : {}),
    },
    installation: { platform: 'slack', externalId: origin.teamId },
    ...(origin.iteration
      ? { parentRequestId: origin.iteration.parentRequestId, target: origin.iteration.target }
      : {}),
  };
  let submitted: Awaited<ReturnType<GenerationService['submit']>>;
  try {
    submitted = await deps.service.submit(input);
  } catch (error) {
    // A refusal written for the user (bad input, a quota or budget reached) is shown as is.
    const refusal = userFacingMessage(error);
    if (refusal) deps.logger.warn({ code: (error as AutonomaError).code, attempt }, 'slack job refused');
    else deps.logger.error({ err: error, attempt }, 'slack job not submitted');
    // The status message stays remembered, so the next attempt carries on in the same thread.
    if (!refusal && !attempt.final) throw error;
    const message =
      refusal ??
      'Autonoma could not queue this job (its database or queue is unavailable). Try again in a minute.';
    await deps.client.chat
      .update({
        channel: origin.channelId,
        ts: statusTs,
        text: `❌ Not started: ${message}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `❌ *Not started.* ${message}` } }],
      })
      .catch(() => undefined);
    return { kind: 'refused', message };
  }
  const { request, created } = submitted;
  if (created) return { kind: 'started', request, statusTs };
  // Our own earlier attempt submitted it before failing: carry on with it.
  if (request.thread.platform === 'slack' && request.thread.statusMessageTs === statusTs) {
    return { kind: 'started', request, statusTs };
  }
  // The same delivery got through long ago (past the inbox's memory): keep the first thread only.
  await deps.client.chat.delete({ channel: origin.channelId, ts: statusTs }).catch(() => undefined);
  return { kind: 'duplicate' };
}

const TRANSIENT_PLATFORM_ERRORS = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Network failures, non-200 answers, rate limits and Slack's own outages pass; `ok: false` errors do not. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === webApi.ErrorCode.PlatformError)
    return TRANSIENT_PLATFORM_ERRORS.has(slackErrorCode(error) ?? '');
  return true;
}

function postFailureMessage(code: string | undefined): string {
  switch (code) {
    case 'not_in_channel':
    case 'channel_not_found':
      return 'I can’t post in this conversation. Invite me first (`/invite @Autonoma`), then try again.';
    case 'is_archived':
      return 'This channel is archived; start the build from another channel.';
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
      return 'Autonoma’s Slack token is not valid. Ask whoever runs Autonoma to check SLACK_BOT_TOKEN.';
    default:
      return 'I couldn’t post the job’s status message in this conversation. Try again in a minute.';
  }
}
