import type { GenerationRequest } from '../../core/domain/request.js';
import type { DiscordContext } from './context.js';
import type { Interaction } from './interaction-schema.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Lookup = { request: GenerationRequest } | { problem: string };

/**
 * The request a command or button is about: by id (only if it came from this server), or the job
 * whose thread the command was run in.
 */
export async function findRequest(
  ctx: DiscordContext,
  interaction: Interaction,
  id: string | undefined,
): Promise<Lookup> {
  if (id !== undefined) {
    if (!UUID.test(id.trim()))
      return { problem: `\`${id.slice(0, 60)}\` is not a request id (they look like 0f8c…-…).` };
    const request = await ctx.service.get(id.trim().toLowerCase());
    if (!request || !sameServer(request, interaction)) return { problem: `No request ${id.trim()} here.` };
    return { request };
  }
  const channelId = interaction.channel_id ?? interaction.channel?.id;
  if (!channelId) return { problem: 'Run this in a job’s thread, or pass the request id.' };
  const request = await ctx.service.findByThread({ platform: 'discord', threadId: channelId });
  if (!request || !sameServer(request, interaction)) {
    return {
      problem: 'This channel is not a job’s thread. Run the command in the thread, or pass the request id.',
    };
  }
  return { request };
}

function sameServer(request: GenerationRequest, interaction: Interaction): boolean {
  return (
    request.thread.platform === 'discord' &&
    (request.thread.guildId ?? null) === (interaction.guild_id ?? null)
  );
}
