import { Client, Events, GatewayIntentBits, Routes } from 'discord.js';
import type { Logger } from '../../core/logger.js';
import type { DiscordContext } from './context.js';
import { InteractionSchema } from './interaction-schema.js';
import { handleInteraction } from './interactions.js';
import { GatewayMessageSchema, handleThreadMessage } from './thread-messages.js';

export interface DiscordGateway {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface DiscordGatewayDeps {
  ctx: DiscordContext;
  botToken: string;
  apiUrl: string;
  logger: Logger;
  track(work: Promise<void>): void;
  /** How long `start()` waits for READY. Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * The discord.js gateway client, for what HTTP interactions cannot deliver: messages in job threads
 * (MESSAGE_CREATE, which needs the privileged Message Content intent). Interactions that arrive over
 * the gateway (no interactions endpoint URL set) are handled too and answered through REST.
 * Raw dispatches are used, validated with zod, so nothing depends on discord.js's caches.
 */
export function createDiscordGateway(deps: DiscordGatewayDeps): DiscordGateway {
  const log = deps.logger.child({ component: 'discord-gateway' });
  let client: Client | undefined;

  function onPacket(packet: { t?: string | null; d?: unknown }): void {
    if (packet.t === 'MESSAGE_CREATE') {
      const message = GatewayMessageSchema.safeParse(packet.d);
      if (!message.success) return;
      deps.track(
        handleThreadMessage(deps.ctx, message.data).catch((error: unknown) => {
          log.error({ err: error, messageId: message.data.id }, 'thread message not handled');
        }),
      );
    } else if (packet.t === 'INTERACTION_CREATE') {
      const interaction = InteractionSchema.safeParse(packet.d);
      if (!interaction.success) return;
      deps.track(
        (async () => {
          const outcome = await handleInteraction(deps.ctx, interaction.data);
          await client?.rest.post(Routes.interactionCallback(interaction.data.id, interaction.data.token), {
            body: outcome.response,
            auth: false,
          });
          await outcome.after?.();
        })().catch((error: unknown) => {
          log.error({ err: error, interactionId: interaction.data.id }, 'gateway interaction not handled');
        }),
      );
    }
  }

  return {
    async start() {
      client = new Client({
        intents: [
          GatewayIntentBits.Guilds,
          GatewayIntentBits.GuildMessages,
          GatewayIntentBits.MessageContent,
        ],
        rest: { api: deps.apiUrl },
      });
      client.on(Events.Raw, onPacket);
      client.on(Events.Error, (error) => log.warn({ err: error }, 'discord gateway error'));
      let timer: NodeJS.Timeout | undefined;
      const ready = new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error('The Discord gateway did not become ready; check DISCORD_BOT_TOKEN.')),
          deps.readyTimeoutMs ?? 30_000,
        );
        client!.once(Events.ClientReady, () => resolve());
      });
      try {
        await client.login(deps.botToken);
        await ready;
      } finally {
        // A failed login must not leave the timer holding the process open (or rejecting later).
        clearTimeout(timer);
      }
      log.info({ user: client.user?.tag }, 'discord gateway connected');
    },
    async stop() {
      await client?.destroy();
      client = undefined;
    },
  };
}
