import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChatAdapter } from '../../core/ports/chat-adapter.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import type { Inbox } from '../../core/ports/inbox.js';
import type { StateStore } from '../../core/ports/state-store.js';
import type { SlackConfig } from './access.js';
import { registerActions } from './actions.js';
import { toBoltLogger } from './bolt-logger.js';
import { createDedupe } from './dedupe.js';
import type { HandlerDeps } from './handler-deps.js';
import { slackEventsRoute } from './http-route.js';
import { slackClientOptions } from './web-client.js';
import { registerMessageHandlers } from './messages.js';
import { createProgressReplier } from './replies.js';
import { registerSlashCommand } from './slash-command.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapterDeps {
  config: SlackConfig;
  service: GenerationService;
  /** Builds go here after checks and before the ack; the worker tier starts them (inbox-handler.ts). */
  inbox: Inbox;
  /** For set-if-not-exists keys (Slack retries, double clicks, replies sent once). */
  state: StateStore;
  logger: Logger;
  now?: () => Date;
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
    ? new SocketModeReceiver({
        appToken,
        logger: boltLogger,
        // The socket client has its own WebClient (for apps.connections.open); Bolt 5 only takes its
        // options under installerOptions. Without this it asks slack.com whatever SLACK_API_URL says.
        installerOptions: { clientOptions: { slackApiUrl: apiUrl } },
      })
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
    clientOptions: slackClientOptions(apiUrl),
  });
  app.error(async (error) => {
    logger.error({ err: error }, 'slack handler failed');
  });

  const dedupe = createDedupe(deps.state);
  const handlerDeps: HandlerDeps = {
    config: deps.config,
    service: deps.service,
    inbox: deps.inbox,
    dedupe,
    logger,
  };
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
      // Bolt's stop() does not wait for the socket to close; the client's disconnect() does.
      if (receiver instanceof SocketModeReceiver) await receiver.client.disconnect();
    },
  };
}
