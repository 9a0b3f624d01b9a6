import type { Redis } from 'ioredis';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { InboxHandler } from '../../core/ports/inbox.js';
import type { SlackConfig } from './access.js';
import { createDeliveryMemo } from './delivery-memo.js';
import { createSlackStartJobHandler } from './inbox-handler.js';
import type { Fetch } from './reply-to.js';
import { createSlackWebClient } from './web-client.js';

export interface SlackInboxHandlersDeps {
  config: SlackConfig;
  service: GenerationService;
  redis: Redis;
  logger: Logger;
  /** Prefix of the Redis keys; the same as the web tier's adapter (AUTONOMA_QUEUE_PREFIX). */
  keyPrefix?: string;
  fetch?: Fetch;
}

/** The Slack work the worker tier takes off the web tier's request path (see queue-job-start.ts). */
export function createSlackInboxHandlers(deps: SlackInboxHandlersDeps): InboxHandler[] {
  const { botToken, apiUrl } = deps.config;
  if (!botToken) throw new ConfigError('The Slack inbox handlers need SLACK_BOT_TOKEN.');
  const logger = deps.logger.child({ component: 'slack' });
  return [
    createSlackStartJobHandler({
      client: createSlackWebClient(botToken, apiUrl, logger),
      service: deps.service,
      memo: createDeliveryMemo(deps.redis, deps.keyPrefix ?? 'autonoma'),
      logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  ];
}
