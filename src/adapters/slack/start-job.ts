import type { webApi } from '@slack/bolt';
import type {
  GenerationRequest,
  GenerationRequestInput,
  PullRequestTarget,
} from '../../core/domain/request.js';
import { AutonomaError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import { statusMessage } from './blocks.js';
import type { Dedupe } from './dedupe.js';
import { slackErrorCode, withRateLimit } from './rate-limit.js';
import { initialView } from './status-view.js';

export interface JobStartDeps {
  client: webApi.WebClient;
  service: GenerationService;
  dedupe: Dedupe;
  logger: Logger;
}

export interface JobOrigin {
  teamId: string;
  channelId: string;
  userId: string;
  userName?: string;
  prompt: string;
  /** Post the status message in this thread; without it the status message starts a new thread. */
  threadTs?: string;
  /** From the platform's delivery (trigger id, message ts): the same delivery never makes two jobs. */
  idempotencyKey: string;
  iteration?: { parentRequestId: string; target: PullRequestTarget };
}

export type JobStartOutcome =
  | { kind: 'started'; request: GenerationRequest; statusTs: string }
  | { kind: 'duplicate' }
  | { kind: 'refused'; message: string };

/**
 * Claims the delivery, posts the status message (which roots the job's thread, or sits in the thread
 * it was asked from), then submits the request with that thread stored on it, so progress finds the
 * thread from any process and after a restart. A failure gives the claim back and says what to do.
 */
export async function startJob(deps: JobStartDeps, origin: JobOrigin): Promise<JobStartOutcome> {
  const claim = `delivery:${origin.idempotencyKey}`;
  if (!(await deps.dedupe.claim(claim))) return { kind: 'duplicate' };
  const kind = origin.iteration ? 'iterate' : 'build';
  let statusTs: string;
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
    await deps.dedupe.release(claim);
    deps.logger.warn({ err: error, channel: origin.channelId }, 'slack status message not posted');
    return { kind: 'refused', message: postFailureMessage(slackErrorCode(error)) };
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
  try {
    const { request, created } = await deps.service.submit(input);
    if (!created) {
      // The same delivery got through before (its claim had expired): keep the first thread only.
      await deps.client.chat.delete({ channel: origin.channelId, ts: statusTs }).catch(() => undefined);
      return { kind: 'duplicate' };
    }
    return { kind: 'started', request, statusTs };
  } catch (error) {
    await deps.dedupe.release(claim);
    const message =
      error instanceof AutonomaError && error.code === 'invalid_input'
        ? error.message
        : 'Autonoma could not queue this job (its database or queue is unavailable). Try again in a minute.';
    deps.logger.error({ err: error }, 'slack job not submitted');
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
