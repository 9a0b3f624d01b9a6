import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { InboxHandler } from '../../core/ports/inbox.js';
import type { StateStore } from '../../core/ports/state-store.js';
import type { SlackConfig } from './access.js';
import { createDeliveryMemo } from './delivery-memo.js';
import { createSlackStartJobHandler } from './inbox-handler.js';
import type { Fetch } from './reply-to.js';
import { createSlackWebClient } from './web-client.js';

export interface SlackInboxHandlersDeps {
  config: SlackConfig;
  service: GenerationService;
  /** Shared with the web tier's adapter: memos of what earlier attempts at a delivery did. */
  state: StateStore;
  logger: Logger;
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
      memo: createDeliveryMemo(deps.state),
      logger,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  ];
}
