import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Redis } from 'ioredis';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { SlackConfig } from './access.js';
import { registerActions } from './actions.js';
import { toBoltLogger } from './bolt-logger.js';
import { createDedupe } from './dedupe.js';
import type { HandlerDeps } from './handler-deps.js';
import { slackEventsRoute } from './http-route.js';
import { registerMessageHandlers } from './messages.js';
import { createProgressReplier } from './replies.js';
import { registerSlashCommand } from './slash-command.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterDeps {
  config: SlackConfig;
  service: GenerationService;
  /** For set-if-not-exists keys (Slack retries, double clicks, replies sent once). */
  redis: Redis;
  logger: Logger;
  now?: () => Date;
  /** Prefix of the Redis keys; pass the queue prefix (AUTONOMA_QUEUE_PREFIX). Default `autonoma`. */
  keyPrefix?: string;
  /** Minimum time between two edits of one status message. Default 1000 ms. */
  minUpdateIntervalMs?: number;
  /** Where events, commands and interactivity arrive in HTTP mode. Default `/slack/events`. */
  eventsPath?: string;
}

export interface SlackAdapter extends ChatAdapter {
  readonly platform: 'slack';
  readonly mode: 'http' | 'socket';
  /** The Bolt app (its WebClient points at SLACK_API_URL). */
  readonly app: App;
}

/**
 * The Slack adapter: Bolt over our HTTP server (signed requests on POST /slack/events), or over
 * Socket Mode when SLACK_APP_TOKEN is set; progress reflected in each job's thread.
 */
export function createSlackAdapter(deps: SlackAdapterDeps): SlackAdapter {
  const { botToken, signingSecret, appToken, apiUrl } = deps.config;
  if (!botToken || !signingSecret) {
    throw new ConfigError(
      'The Slack adapter needs SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-…) and ' +
        'SLACK_SIGNING_SECRET (Basic Information → App Credentials). Set both, or leave both unset to disable Slack.',
    );
  }
  const logger = deps.logger.child({ component: 'slack' });
  const boltLogger = toBoltLogger(logger);
  const now = deps.now ?? (() => new Date());
  const eventsPath = deps.eventsPath ?? SLACK_EVENTS_PATH;
  const mode = appToken ? 'socket' : 'http';
  const receiver = appToken
    ? new SocketModeReceiver({ appToken, logger: boltLogger })
    : new HTTPReceiver({
        signingSecret,
        endpoints: ['/', eventsPath],
        logger: boltLogger,
        processBeforeResponse: false,
      });
  const app = new App({
    token: botToken,
    receiver,
    logger: boltLogger,
    deferInitialization: true,
    convoStore: false,
    clientOptions: {
      slackApiUrl: apiUrl,
      // 429s come back to us (replies.ts waits Retry-After and coalesces meanwhile).
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    },
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack handler failed');
  });

  const dedupe = createDedupe(deps.redis, deps.keyPrefix ?? 'autonoma');
  const handlerDeps: HandlerDeps = { config: deps.config, service: deps.service, dedupe, logger };
  registerSlashCommand(app, handlerDeps);
  registerMessageHandlers(app, handlerDeps);
  registerActions(app, handlerDeps);

  const replier = createProgressReplier({
    client: app.client,
    dedupe,
    logger,
    now: () => now().getTime(),
    minUpdateIntervalMs: deps.minUpdateIntervalMs ?? 1000,
  });

  return {
    platform: 'slack',
    mode,
    app,
    routes: receiver instanceof HTTPReceiver ? [slackEventsRoute(receiver, eventsPath)] : [],
    replyProgress: (request, event) => replier.replyProgress(request, event),
    async start() {
      // auth.test: checks the token and learns the bot's user id (to ignore our own messages).
      await app.init();
      if (mode === 'socket') await app.start();
      logger.info({ mode }, 'slack adapter ready');
    },
    async stop() {
      await replier.flush();
      if (mode === 'socket') await app.stop();
    },
  };
}
