import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { DiscordApi } from './discord-api.js';
import type { InteractionTokens } from './interaction-tokens.js';
import type { MessageBody } from './messages.js';
import type { DiscordReplier } from './replies.js';

/** What the interaction and message handlers share, built once by createDiscordAdapter. */
export interface DiscordContext {
  config: Config['discord'];
  applicationId: string;
  service: GenerationService;
  api: DiscordApi;
  tokens: InteractionTokens;
  replier: DiscordReplier;
  logger: Logger;
}

/** Discord interaction callback types used here. */
export const CALLBACK = {
  pong: 1,
  message: 4,
  deferredMessage: 5,
  deferredUpdate: 6,
} as const;

/** The HTTP answer to an interaction, and work to do once it has been sent (Discord waits 3 s at most). */
export interface InteractionOutcome {
  response: { type: number; data?: Omit<MessageBody, 'attachment'> };
  after?: () => Promise<void>;
}

export function reply(body: MessageBody): InteractionOutcome {
  const { attachment: _attachment, ...data } = body;
  return { response: { type: CALLBACK.message, data } };
}
