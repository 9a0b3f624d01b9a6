import { checkAccess } from './access.js';
import { buildCommand } from './build-command.js';
import { COMMAND_NAME } from './commands-definition.js';
import { CALLBACK, reply, type DiscordContext, type InteractionOutcome } from './context.js';
import { subcommandOf, type Interaction } from './interaction-schema.js';
import { buttonPressed, cancelCommand, statusCommand } from './job-commands.js';
import { ephemeral, HELP_TEXT } from './messages.js';

/** Discord interaction types. */
const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;

/**
 * Routes one verified interaction: PING → PONG; `/autonoma build|status|cancel|help`; Cancel/Retry
 * buttons. Everyone but PING passes the allow-lists first and gets a polite ephemeral refusal if not.
 */
export async function handleInteraction(
  ctx: DiscordContext,
  interaction: Interaction,
): Promise<InteractionOutcome> {
  if (interaction.type === PING) return { response: { type: CALLBACK.pong } };
  if (interaction.type !== APPLICATION_COMMAND && interaction.type !== MESSAGE_COMPONENT) {
    return reply(ephemeral('Autonoma does not handle that kind of interaction.'));
  }
  const access = checkAccess(ctx.config, {
    guildId: interaction.guild_id,
    channelId: interaction.channel_id ?? interaction.channel?.id,
    parentChannelId: interaction.channel?.parent_id ?? undefined,
    roleIds: interaction.member?.roles ?? [],
  });
  if (!access.allowed) return reply(ephemeral(access.reason));

  if (interaction.type === MESSAGE_COMPONENT) return buttonPressed(ctx, interaction);
  if (interaction.data?.name !== COMMAND_NAME) {
    return reply(ephemeral(`Unknown command; run \`npm run discord:register\` to update the commands.`));
  }
  const { name, options } = subcommandOf(interaction);
  switch (name) {
    case 'build':
      return buildCommand(ctx, interaction, options);
    case 'status':
      return statusCommand(ctx, interaction, options);
    case 'cancel':
      return cancelCommand(ctx, interaction, options);
    case 'help':
      return reply(ephemeral(HELP_TEXT));
    default:
      return reply(ephemeral(`Unknown subcommand. ${HELP_TEXT}`));
  }
}
