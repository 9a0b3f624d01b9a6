import { PromptSchema, type ThreadRef } from '../../core/domain/request.js';

type DiscordThreadRef = Extract<ThreadRef, { platform: 'discord' }>;
import { userFacingMessage } from '../../core/errors.js';
import { CALLBACK, reply, type DiscordContext, type InteractionOutcome } from './context.js';
import { interactionUser, THREAD_CHANNEL_TYPES, type Interaction } from './interaction-schema.js';
import { ephemeral } from './messages.js';
import { preview } from './split-text.js';

/**
 * `/autonoma build prompt:<text>`: bad input is answered at once (ephemeral); otherwise the response
 * is deferred, then the job is submitted (the interaction id is the idempotency key, so a second
 * delivery finds the first job), the response becomes the status message and a thread opens on it.
 */
export function buildCommand(
  ctx: DiscordContext,
  interaction: Interaction,
  options: Record<string, string | number | boolean>,
): InteractionOutcome {
  const prompt = PromptSchema.safeParse(typeof options.prompt === 'string' ? options.prompt : '');
  if (!prompt.success) {
    return reply(ephemeral(prompt.error.issues.map((i) => i.message).join(' ')));
  }
  const channelId = interaction.channel_id ?? interaction.channel?.id;
  if (!channelId) return reply(ephemeral('Run `/autonoma build` in a server channel.'));
  return {
    response: { type: CALLBACK.deferredMessage },
    after: () => startBuild(ctx, interaction, channelId, prompt.data),
  };
}

async function startBuild(
  ctx: DiscordContext,
  interaction: Interaction,
  channelId: string,
  prompt: string,
): Promise<void> {
  const log = ctx.logger.child({ interactionId: interaction.id });
  const user = interactionUser(interaction);
  const inThread = THREAD_CHANNEL_TYPES.has(interaction.channel?.type ?? -1);
  const thread: DiscordThreadRef = {
    platform: 'discord',
    applicationId: ctx.applicationId,
    ...(interaction.guild_id ? { guildId: interaction.guild_id } : {}),
    channelId,
    ...(inThread ? { threadId: channelId } : {}),
  };
  try {
    const { request, created } = await ctx.service.submit({
      kind: 'build',
      prompt,
      source: 'discord',
      thread,
      idempotencyKey: `discord:${interaction.id}`,
      ...(user
        ? {
            requester: {
              platform: 'discord',
              externalId: user.id,
              displayName: user.global_name ?? user.username,
            },
          }
        : {}),
      ...(interaction.guild_id
        ? { installation: { platform: 'discord', externalId: interaction.guild_id } }
        : {}),
    });
    log.info({ requestId: request.id, created }, 'discord build submitted');
    await ctx.tokens.save(request.id, interaction.token);
    // Re-read: the worker may already have moved the job on (or finished it) since submit returned.
    const current = (await ctx.service.get(request.id)) ?? request;
    const message = await ctx.replier.showRequest(current);
    if (!message) return;
    const ref: DiscordThreadRef = { ...thread, channelId: message.channel_id, messageId: message.id };
    if (!inThread && ctx.api.hasBotToken) {
      const opened = await ctx.api.ensureThread(message.channel_id, message.id, threadName(prompt));
      ref.threadId = opened.id;
      await ctx.service.recordThread(request.id, ref);
      if (opened.created) {
        await ctx.replier.post(
          { ...current, thread: ref },
          {
            content:
              'I’ll post milestones here. Once the pull request is open, reply in this thread to ask for changes.',
            allowed_mentions: { parse: [] },
          },
        );
      }
    } else {
      await ctx.service.recordThread(request.id, ref);
    }
  } catch (error) {
    log.warn({ err: error }, 'discord build could not start');
    const reason =
      userFacingMessage(error) ?? 'Something went wrong on our side; please try again in a minute.';
    await ctx.api.editOriginal(interaction.token, {
      content: `⚠️ The build could not start: ${preview(reason, 1800)}`,
      allowed_mentions: { parse: [] },
    });
  }
}

/** Thread names are limited to 100 characters. */
function threadName(prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  return flat.length > 90 ? `${flat.slice(0, 89)}…` : flat;
}
