import type { REST } from 'discord.js';
import type { Config } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { StateStore } from '../../core/ports/state-store.js';
import type { DiscordContext } from './context.js';
import { createDiscordApi, createDiscordRest } from './discord-api.js';
import { createDiscordGateway, type DiscordGateway } from './gateway.js';
import { createInteractionTokens } from './interaction-tokens.js';
import { interactionsEndpoint } from './interactions-endpoint.js';
import { createDiscordReplier } from './replies.js';
import { discordPublicKey } from './verify-signature.js';

export interface DiscordAdapterDeps {
  config: Config['discord'];
  service: GenerationService;
  /** Where interaction tokens are kept for every replica. */
  state: StateStore;
  logger: Logger;
  /** A REST client to use instead of one built from `config.apiUrl` and `config.botToken`. */
  rest?: REST;
  /** Minimum time between two edits of a status message. Default 1500 ms. */
  editIntervalMs?: number;
}

export interface DiscordAdapter extends ChatAdapter {
  /** Resolves once follow-up work, scheduled edits and gateway handlers have settled (tests). */
  idle(): Promise<void>;
}

export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

/**
 * Discord: `/autonoma` interactions over HTTP (POST /discord/interactions), progress replied in the
 * job's thread, and — with DISCORD_MODE=gateway — messages in job threads starting iterations.
 */
export function createDiscordAdapter(deps: DiscordAdapterDeps): DiscordAdapter {
  const { config } = deps;
  if (!config.applicationId || !config.publicKey) {
    throw new ConfigError(
      'Discord needs DISCORD_APPLICATION_ID and DISCORD_PUBLIC_KEY (Developer Portal → General Information).',
    );
  }
  if (config.mode === 'gateway' && !config.botToken) {
    throw new ConfigError(
      'DISCORD_MODE=gateway needs DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token).',
    );
  }
  const logger = deps.logger.child({ component: 'discord' });
  const rest = deps.rest ?? createDiscordRest({ apiUrl: config.apiUrl, botToken: config.botToken });
  const api = createDiscordApi({
    rest,
    applicationId: config.applicationId,
    hasBotToken: Boolean(config.botToken),
  });
  const tokens = createInteractionTokens(deps.state);
  const replier = createDiscordReplier({
    api,
    tokens,
    logger,
    ...(deps.editIntervalMs !== undefined ? { editIntervalMs: deps.editIntervalMs } : {}),
  });
  const ctx: DiscordContext = {
    config,
    applicationId: config.applicationId,
    service: deps.service,
    api,
    tokens,
    replier,
    logger,
  };

  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const gateway: DiscordGateway | undefined =
    config.mode === 'gateway' && config.botToken
      ? createDiscordGateway({ ctx, botToken: config.botToken, apiUrl: config.apiUrl, logger, track })
      : undefined;

  async function idle(): Promise<void> {
    do {
      await Promise.all([...inFlight]);
      await replier.idle();
    } while (inFlight.size > 0);
  }

  return {
    platform: 'discord',
    routes: [
      {
        path: DISCORD_INTERACTIONS_PATH,
        handler: interactionsEndpoint({ ctx, publicKey: discordPublicKey(config.publicKey), track }),
      },
    ],
    replyProgress: (request, event) => replier.replyProgress(request, event),
    async start() {
      await gateway?.start();
    },
    async stop() {
      await gateway?.stop();
      await idle();
      await replier.close();
    },
    idle,
  };
}
