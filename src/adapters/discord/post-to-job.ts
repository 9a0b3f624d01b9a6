import type { APIMessage } from 'discord.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import { isExpiredToken, type DiscordApi } from './discord-api.js';
import type { InteractionTokens } from './interaction-tokens.js';
import type { MessageBody } from './messages.js';

/**
 * Posts a new message where a job's messages go: its thread, else a follow-up on the interaction
 * while its token lives (an expired one is forgotten), else the channel. Undefined when there is no
 * way to post (no thread, no live token, no bot token).
 */
export async function postToJob(
  api: DiscordApi,
  tokens: InteractionTokens,
  request: GenerationRequest,
  body: MessageBody,
): Promise<APIMessage | undefined> {
  const thread = request.thread;
  if (thread.platform !== 'discord') return undefined;
  if (thread.threadId && api.hasBotToken) return api.createMessage(thread.threadId, body);
  const token = await tokens.get(request.id);
  if (token) {
    try {
      return await api.followUp(token, body);
    } catch (error) {
      if (!isExpiredToken(error)) throw error;
      await tokens.forget(request.id);
    }
  }
  if (api.hasBotToken) return api.createMessage(thread.channelId, body);
  return undefined;
}
