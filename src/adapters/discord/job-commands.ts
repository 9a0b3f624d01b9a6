import { TERMINAL_STATUSES, type GenerationRequest } from '../../core/domain/request.js';
import { AutonomaError } from '../../core/errors.js';
import type { CancelOutcome } from '../../core/ports/generation-service.js';
import { changeRefusal } from './access.js';
import { CALLBACK, reply, type DiscordContext, type InteractionOutcome } from './context.js';
import { interactionUser, type Interaction } from './interaction-schema.js';
import { findRequest } from './job-lookup.js';
import { ephemeral, formatCost, parseCustomId } from './messages.js';
import { preview } from './split-text.js';

const CANCEL_TEXT: Record<CancelOutcome, string> = {
  cancelled: 'Cancelled before it started.',
  cancelling: 'Cancelling… the status message will say when it has stopped.',
  already_finished: 'That job has already finished; nothing to cancel.',
  not_found: 'That job no longer exists.',
};

/** One-line state of a request for an ephemeral reply. */
export function describeRequest(request: GenerationRequest): string {
  const lines = [`Request \`${request.id}\`: **${request.status}**`];
  if (!TERMINAL_STATUSES.has(request.status)) {
    lines.push(`Stage: ${request.stage ?? 'queued'} · ${request.percent}%`);
  }
  const pr = request.result?.pullRequest;
  if (pr) lines.push(`Pull request: <${pr.url}>`);
  if (request.result) lines.push(`Cost: ${formatCost(request.result.costUsd)}`);
  if (request.errorMessage) lines.push(`Reason: ${preview(request.errorMessage, 1200)}`);
  lines.push(`Prompt: ${preview(request.prompt, 300)}`);
  return lines.join('\n');
}

export async function statusCommand(
  ctx: DiscordContext,
  interaction: Interaction,
  options: Record<string, string | number | boolean>,
): Promise<InteractionOutcome> {
  const found = await findRequest(ctx, interaction, optionalString(options.id));
  if ('problem' in found) return reply(ephemeral(found.problem));
  return reply(ephemeral(describeRequest(found.request)));
}

export async function cancelCommand(
  ctx: DiscordContext,
  interaction: Interaction,
  options: Record<string, string | number | boolean>,
): Promise<InteractionOutcome> {
  const found = await findRequest(ctx, interaction, optionalString(options.id));
  if ('problem' in found) return reply(ephemeral(found.problem));
  const refused = await refuseChange(ctx, interaction, found.request, 'cancel');
  if (refused) return refused;
  const outcome = await ctx.service.cancel(found.request.id);
  return reply(ephemeral(CANCEL_TEXT[outcome]));
}

/**
 * Cancel / Retry buttons on a status message. Retry takes over the status message with this
 * interaction's fresh token (valid another 15 minutes), so progress keeps editing it in place.
 */
export async function buttonPressed(
  ctx: DiscordContext,
  interaction: Interaction,
): Promise<InteractionOutcome> {
  const parsed = parseCustomId(interaction.data?.custom_id ?? '');
  if (!parsed)
    return reply(ephemeral('That button is not one of Autonoma’s (or it is from an older version).'));
  const found = await findRequest(ctx, interaction, parsed.requestId);
  if ('problem' in found) return reply(ephemeral(found.problem));
  const { request } = found;
  const refused = await refuseChange(ctx, interaction, request, parsed.action);
  if (refused) return refused;
  if (parsed.action === 'cancel') {
    return reply(ephemeral(CANCEL_TEXT[await ctx.service.cancel(request.id)]));
  }
  if (request.status !== 'failed' && request.status !== 'cancelled') {
    return reply(ephemeral(`That job is ${request.status}; only failed or cancelled jobs can be retried.`));
  }
  return {
    response: { type: CALLBACK.deferredUpdate },
    after: async () => {
      try {
        await ctx.tokens.save(request.id, interaction.token);
        const queued = await ctx.service.retry(request.id);
        await ctx.replier.showRequest(queued);
      } catch (error) {
        ctx.logger.warn({ err: error, requestId: request.id }, 'discord retry failed');
        const reason =
          error instanceof AutonomaError ? error.message : 'something went wrong; try again shortly';
        await ctx.api.followUp(interaction.token, ephemeral(`Could not retry: ${reason}`));
      }
    },
  };
}

/** Only the job's requester or an admin may cancel or retry it; anyone else hears so privately. */
async function refuseChange(
  ctx: DiscordContext,
  interaction: Interaction,
  request: GenerationRequest,
  action: 'cancel' | 'retry',
): Promise<InteractionOutcome | undefined> {
  const refusal = await changeRefusal(ctx, interactionUser(interaction)?.id, request, action);
  if (!refusal) return undefined;
  ctx.logger.info({ requestId: request.id, action }, 'discord change refused: not the requester');
  return reply(ephemeral(refusal));
}

function optionalString(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
