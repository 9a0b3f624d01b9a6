import type { APIMessage } from 'discord.js';
import { createEditThrottle } from '../../core/conversation/edit-throttle.js';
import {
  applyEvent,
  elapsedSince,
  initialView,
  type StatusView,
} from '../../core/conversation/status-view.js';
import type { ProgressEvent } from '../../core/domain/progress.js';
import { TERMINAL_STATUSES, type GenerationRequest } from '../../core/domain/request.js';
import type { Logger } from '../../core/logger.js';
import { isExpiredToken, type DiscordApi } from './discord-api.js';
import type { InteractionTokens } from './interaction-tokens.js';
import { postToJob } from './post-to-job.js';
import {
  finalMessages,
  finalViewOf,
  finishedNotice,
  milestoneMessages,
  statusMessage,
  type MessageBody,
} from './messages.js';

export interface DiscordReplierDeps {
  api: DiscordApi;
  tokens: InteractionTokens;
  logger: Logger;
  /** Status edits closer together than this are coalesced into one (the latest state wins). */
  editIntervalMs?: number;
  now?: () => number;
}

/** A status message body and the request (thread, token) it is for. */
interface Shown {
  request: GenerationRequest;
  body: MessageBody;
}

export interface DiscordReplier {
  replyProgress(request: GenerationRequest, event: ProgressEvent): Promise<void>;
  /** Puts the request's current state in its status message; returns the message when it was edited. */
  showRequest(request: GenerationRequest): Promise<APIMessage | undefined>;
  /** Posts in the job's thread, or as a follow-up / channel message while it has none. */
  post(request: GenerationRequest, body: MessageBody): Promise<APIMessage | undefined>;
  /** Resolves once no edit is scheduled or running (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Progress in Discord: the status message (the interaction's original response) edited in place
 * through the shared edit throttle (at most one edit per `editIntervalMs`, the latest state wins),
 * thread messages for milestones, and the final embed. Work for one request runs strictly in order;
 * @discordjs/rest spaces requests out under Discord's rate limits.
 */
export function createDiscordReplier(deps: DiscordReplierDeps): DiscordReplier {
  const { api, tokens } = deps;
  const log = deps.logger.child({ component: 'discord-replies' });
  const now = deps.now ?? (() => Date.now());
  /** The view of each request this server replies for, between events. */
  const views = new Map<string, StatusView>();
  const edits = createEditThrottle<Shown>({
    intervalMs: deps.editIntervalMs ?? 1500,
    now,
    onError: (requestId, error) => log.warn({ err: error, requestId }, 'discord reply failed'),
    send: async (_requestId, { request, body }) => void (await editStatus(request, body)),
  });

  /** Work in the request's order; a failure is logged, never thrown at the progress fan-out. */
  function inOrder<T>(requestId: string, work: () => Promise<T>): Promise<T | undefined> {
    return edits.run(requestId, work).catch((error: unknown) => {
      log.warn({ err: error, requestId }, 'discord reply failed');
      return undefined;
    });
  }

  /** The running status message, its elapsed time as of now. */
  function runningBody(request: GenerationRequest, view: StatusView): MessageBody {
    return statusMessage({ ...view, requestId: request.id, elapsedMs: elapsedSince(request, now()) });
  }

  async function editStatus(request: GenerationRequest, body: MessageBody): Promise<APIMessage | undefined> {
    const token = await tokens.get(request.id);
    if (token) {
      try {
        return await api.editOriginal(token, body);
      } catch (error) {
        if (!isExpiredToken(error)) throw error;
        await tokens.forget(request.id);
      }
    }
    const thread = request.thread;
    if (thread.platform === 'discord' && thread.messageId && api.hasBotToken) {
      return api.editMessage(thread.channelId, thread.messageId, body);
    }
    log.debug({ requestId: request.id }, 'status message not editable (no token, no bot token)');
    return undefined;
  }

  async function post(request: GenerationRequest, body: MessageBody): Promise<APIMessage | undefined> {
    const posted = await postToJob(api, tokens, request, body);
    if (!posted && request.thread.platform === 'discord')
      log.warn({ requestId: request.id }, 'no way to post in Discord: set DISCORD_BOT_TOKEN');
    return posted;
  }

  async function finish(request: GenerationRequest, view: StatusView): Promise<void> {
    views.delete(request.id);
    const final = finalViewOf({ ...view, requestId: request.id });
    const { main, overflow } = finalMessages(final);
    const edited = edits.final(request.id, { request, body: main });
    await inOrder(request.id, async () => {
      await post(request, finishedNotice(final));
      for (const body of overflow) await post(request, body);
    });
    await edited;
  }

  return {
    async replyProgress(request, event) {
      // A server that missed the earlier events (restart, another replica) starts from the stored request.
      const view = applyEvent(views.get(request.id) ?? initialView(request), event, request);
      if (event.type === 'finished') return finish(request, view);
      views.set(request.id, view);
      if (event.type === 'stage') {
        edits.update(request.id, { request, body: runningBody(request, view) });
      } else {
        await inOrder(request.id, async () => {
          for (const body of milestoneMessages(event.message, event.links)) await post(request, body);
        });
      }
    },

    async showRequest(request) {
      const view = views.get(request.id);
      const terminal = TERMINAL_STATUSES.has(request.status);
      const body = terminal
        ? finalMessages(finalViewOf({ ...initialView(request), requestId: request.id })).main
        : runningBody(request, view ?? initialView(request));
      if (!view) return editStatus(request, body);
      if (!terminal) edits.markSent(request.id);
      return inOrder(request.id, () => editStatus(request, body));
    },

    post,

    idle: () => edits.idle(),
    async close() {
      await edits.close();
      views.clear();
    },
  };
}
