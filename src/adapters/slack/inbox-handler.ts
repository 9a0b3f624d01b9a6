import type { webApi } from '@slack/bolt';
import { InvalidInputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { InboxHandler } from '../../core/ports/inbox.js';
import type { DeliveryMemo } from './delivery-memo.js';
import { replyTo, type Fetch } from './reply-to.js';
import { startJob } from './start-job.js';
import { SLACK_START_JOB, StartJobEntrySchema } from './start-job-entry.js';

export interface SlackInboxHandlerDeps {
  client: webApi.WebClient;
  service: GenerationService;
  memo: DeliveryMemo;
  logger: Logger;
  fetch?: Fetch;
}

/**
 * The worker-tier half of a Slack build: posts the job's status message and submits the job. When
 * it cannot start, the person who asked is told why, privately, once.
 */
export function createSlackStartJobHandler(deps: SlackInboxHandlerDeps): InboxHandler {
  const fetch = deps.fetch ?? globalThis.fetch;
  return {
    name: SLACK_START_JOB,
    async handle(payload, attempt) {
      const parsed = StartJobEntrySchema.safeParse(payload);
      if (!parsed.success)
        throw new InvalidInputError(`Malformed Slack start-job entry: ${parsed.error.message}`);
      const { origin, replyTo: target } = parsed.data;
      const log = deps.logger.child({ channel: origin.channelId, key: origin.idempotencyKey });
      const outcome = await startJob({ ...deps, logger: log }, origin, attempt);
      if (outcome.kind !== 'refused') return;
      // Telling is best effort: a second attempt would only repeat the refusal.
      await replyTo(deps.client, fetch, target, outcome.message).catch((error: unknown) =>
        log.warn({ err: error }, 'slack refusal not delivered'),
      );
    },
  };
}
