import { z } from 'zod';
import { PromptSchema, type GenerationRequest, type ThreadRef } from '../../core/domain/request.js';
import { userFacingMessage } from '../../core/errors.js';
import { changeRefusal, checkAccess } from './access.js';
import type { DiscordContext } from './context.js';
import { statusMessage, type MessageBody } from './messages.js';
import { preview } from './split-text.js';

/** The parts of a gateway MESSAGE_CREATE Autonoma reads. */
export const GatewayMessageSchema = z.object({
  id: z.string().regex(/^\d{1,25}$/),
  channel_id: z.string().regex(/^\d{1,25}$/),
  guild_id: z
    .string()
    .regex(/^\d{1,25}$/)
    .optional(),
  type: z.number().int(),
  content: z.string().max(4000 * 2),
  webhook_id: z.string().optional(),
  author: z.object({
    id: z.string(),
    username: z.string().max(100),
    global_name: z.string().max(100).nullish(),
    bot: z.boolean().optional(),
  }),
  member: z.object({ roles: z.array(z.string()).max(500) }).optional(),
});
export type GatewayMessage = z.infer<typeof GatewayMessageSchema>;

/** Plain messages and replies; joins, pins and the like are not requests. */
const USER_MESSAGE_TYPES = new Set([0, 19]);

/**
 * A message in a job's thread asks for a change to its pull request: an `iterate` request on the
 * PR's branch, with its own status message in the thread. The bot never answers bots (itself
 * included), and a message delivered twice makes one request (the message id is the idempotency key).
 */
export async function handleThreadMessage(ctx: DiscordContext, message: GatewayMessage): Promise<void> {
  if (message.author.bot || message.webhook_id || !USER_MESSAGE_TYPES.has(message.type)) return;
  if (!message.guild_id || message.content.trim() === '') return;
  const idempotencyKey = `discord:message:${message.id}`;
  const parent = await ctx.service.findByThread({ platform: 'discord', threadId: message.channel_id });
  if (!parent || parent.thread.platform !== 'discord' || parent.thread.guildId !== message.guild_id) return;
  // The thread's latest job is the one this very message started: a repeated delivery, already done.
  if (parent.idempotencyKey === idempotencyKey) return;

  const answer = (content: string) =>
    ctx.api.createMessage(message.channel_id, {
      content,
      allowed_mentions: { parse: [] },
      message_reference: { message_id: message.id, fail_if_not_exists: false },
    });
  const access = checkAccess(ctx.config, {
    guildId: message.guild_id,
    channelId: message.channel_id,
    parentChannelId: parent.thread.channelId,
    roleIds: message.member?.roles ?? [],
  });
  if (!access.allowed) return void (await answer(access.reason));
  // Only the job's requester or an admin may change its pull request; nothing is queued otherwise.
  const notYours = await changeRefusal(ctx, message.author.id, parent, 'iterate');
  if (notYours) return void (await answer(notYours));

  const refusal = iterationRefusal(parent);
  if (refusal) return void (await answer(refusal));
  const prompt = PromptSchema.safeParse(message.content);
  if (!prompt.success) return void (await answer(prompt.error.issues.map((i) => i.message).join(' ')));

  const result = parent.result!;
  const thread: Extract<ThreadRef, { platform: 'discord' }> = {
    platform: 'discord',
    applicationId: ctx.applicationId,
    guildId: message.guild_id,
    channelId: message.channel_id,
    threadId: message.channel_id,
  };
  try {
    const { request, created } = await ctx.service.submit({
      kind: 'iterate',
      prompt: prompt.data,
      source: 'discord',
      thread,
      idempotencyKey,
      requester: {
        platform: 'discord',
        externalId: message.author.id,
        displayName: message.author.global_name ?? message.author.username,
      },
      installation: { platform: 'discord', externalId: message.guild_id },
      parentRequestId: parent.id,
      target: {
        forge: result.repository!.forge,
        repo: result.repository!.name,
        number: result.pullRequest!.number,
        branch: result.branch!,
      },
    });
    if (!created) return;
    const status = await ctx.api.createMessage(message.channel_id, {
      ...initialStatus(request),
      message_reference: { message_id: message.id, fail_if_not_exists: false },
    });
    const recorded = { ...thread, messageId: status.id };
    await ctx.service.recordThread(request.id, recorded);
    const current = await ctx.service.get(request.id);
    if (current && current.status !== 'queued')
      await ctx.replier.showRequest({ ...current, thread: recorded });
  } catch (error) {
    ctx.logger.warn({ err: error, messageId: message.id }, 'discord iteration could not start');
    const reason = userFacingMessage(error) ?? 'please try again shortly';
    await answer(`⚠️ Could not start the change: ${preview(reason, 1500)}`);
  }
}

/** Why a thread's job cannot take a change yet, or undefined when it can. */
function iterationRefusal(parent: GenerationRequest): string | undefined {
  if (parent.status === 'queued' || parent.status === 'running') {
    return 'This job is still running; send your change once it has finished.';
  }
  const result = parent.result;
  if (parent.status !== 'succeeded' || !result?.pullRequest || !result.repository || !result.branch) {
    return 'There is no pull request to change yet. Press Retry on the status message, or start a new build.';
  }
  return undefined;
}

function initialStatus(request: GenerationRequest): MessageBody {
  return statusMessage({
    requestId: request.id,
    kind: request.kind,
    prompt: request.prompt,
    status: request.status,
    stages: {},
    percent: 0,
    elapsedMs: 0,
    costUsd: 0,
  });
}
