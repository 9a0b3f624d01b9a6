import type { APIMessage } from 'discord.js';
import { STAGES, type ProgressEvent, type Stage } from '../../core/domain/progress.js';
import { TERMINAL_STATUSES, type GenerationRequest } from '../../core/domain/request.js';
import type { Logger } from '../../core/logger.js';
import { isExpiredToken, type DiscordApi } from './discord-api.js';
import type { InteractionTokens } from './interaction-tokens.js';
import {
  finalMessages,
  finishedNotice,
  milestoneMessages,
  statusMessage,
  type FinalView,
  type MessageBody,
  type StageState,
  type StatusView,
} from './messages.js';

export interface DiscordReplierDeps {
  api: DiscordApi;
  tokens: InteractionTokens;
  logger: Logger;
  /** Status edits closer together than this are coalesced into one (the latest state wins). */
  editIntervalMs?: number;
  now?: () => number;
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

/** What one server remembers about a request it replies for, between events. */
interface Tracked {
  stages: Partial<Record<Stage, StageState>>;
  percent: number;
  costUsd: number;
  note: string | undefined;
  chain: Promise<unknown>;
  timer: NodeJS.Timeout | undefined;
  latest: GenerationRequest | undefined;
  lastEditAt: number;
  finished: boolean;
}

/**
 * Progress in Discord: the status message (the interaction's original response) edited in place at
 * most every `editIntervalMs`, thread messages for milestones, and the final embed. Work for one
 * request runs strictly in order; @discordjs/rest spaces requests out under Discord's rate limits.
 */
export function createDiscordReplier(deps: DiscordReplierDeps): DiscordReplier {
  const { api, tokens } = deps;
  const log = deps.logger.child({ component: 'discord-replies' });
  const interval = deps.editIntervalMs ?? 1500;
  const now = deps.now ?? (() => Date.now());
  const tracked = new Map<string, Tracked>();

  function track(request: GenerationRequest): Tracked {
    let entry = tracked.get(request.id);
    if (!entry) {
      // A server that missed the earlier events (restart, another replica) assumes earlier stages done.
      const stages: Partial<Record<Stage, StageState>> = {};
      const current = request.stage ? STAGES.indexOf(request.stage as Stage) : -1;
      for (const stage of STAGES.slice(0, Math.max(0, current))) stages[stage] = 'completed';
      entry = {
        stages,
        percent: request.percent,
        costUsd: 0,
        note: undefined,
        chain: Promise.resolve(),
        timer: undefined,
        latest: undefined,
        lastEditAt: 0,
        finished: false,
      };
      tracked.set(request.id, entry);
    }
    return entry;
  }

  function inOrder<T>(entry: Tracked, requestId: string, work: () => Promise<T>): Promise<T | undefined> {
    const next = entry.chain.then(work).catch((error: unknown) => {
      log.warn({ err: error, requestId }, 'discord reply failed');
      return undefined;
    });
    entry.chain = next;
    return next;
  }

  function startedAt(request: GenerationRequest): number {
    return (request.startedAt ?? request.createdAt).getTime();
  }

  function statusView(request: GenerationRequest, entry: Tracked | undefined, at = now()): StatusView {
    return {
      requestId: request.id,
      kind: request.kind,
      prompt: request.prompt,
      status: request.status,
      stages: entry?.stages ?? {},
      percent: entry?.percent ?? request.percent,
      elapsedMs: request.status === 'queued' ? at - request.createdAt.getTime() : at - startedAt(request),
      costUsd: entry?.costUsd ?? 0,
      note: entry?.note,
    };
  }

  function finalViewFromRequest(request: GenerationRequest): FinalView {
    const result = request.result;
    const links = [];
    if (result?.pullRequest) links.push({ label: 'Pull request', url: result.pullRequest.url });
    if (result?.repository) links.push({ label: 'Repository', url: result.repository.location });
    return {
      requestId: request.id,
      kind: request.kind,
      prompt: request.prompt,
      status: request.status as FinalView['status'],
      summary: result?.reviewSummary ?? request.errorMessage ?? '',
      links,
      elapsedMs: (request.finishedAt ?? new Date(now())).getTime() - startedAt(request),
      costUsd: result?.costUsd ?? 0,
    };
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
    const thread = request.thread;
    if (thread.platform !== 'discord') return undefined;
    if (thread.threadId && api.hasBotToken) return api.createMessage(thread.threadId, body);
    const token = await tokens.get(request.id);
    if (token) {
      try {
        return await api.followUp(token, body);
      } catch (error) {
        if (!isExpiredToken(error)) throw error;
        await tokens.forget(request.id);
      }
    }
    if (api.hasBotToken) return api.createMessage(thread.channelId, body);
    log.warn({ requestId: request.id }, 'no way to post in Discord: set DISCORD_BOT_TOKEN');
    return undefined;
  }

  async function flush(requestId: string, entry: Tracked): Promise<void> {
    const request = entry.latest;
    if (entry.finished || !request) return;
    entry.latest = undefined;
    entry.lastEditAt = now();
    await editStatus(request, statusMessage(statusView(request, entry)));
  }

  async function scheduleEdit(request: GenerationRequest, entry: Tracked): Promise<void> {
    entry.latest = request;
    if (entry.timer) return; // the trailing edit will show this state
    const wait = interval - (now() - entry.lastEditAt);
    if (wait <= 0) {
      await inOrder(entry, request.id, () => flush(request.id, entry));
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      void inOrder(entry, request.id, () => flush(request.id, entry));
    }, wait);
  }

  async function finish(request: GenerationRequest, entry: Tracked, view: FinalView): Promise<void> {
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.latest = undefined;
    entry.finished = true;
    const { main, overflow } = finalMessages(view);
    await inOrder(entry, request.id, async () => {
      await editStatus(request, main);
      await post(request, finishedNotice(view));
      for (const body of overflow) await post(request, body);
    });
    tracked.delete(request.id);
  }

  return {
    async replyProgress(request, event) {
      const entry = track(request);
      if (entry.finished) return;
      switch (event.type) {
        case 'stage':
          entry.stages[event.stage] = event.state;
          entry.percent = event.percent;
          if (event.costUsd !== undefined) entry.costUsd = event.costUsd;
          entry.note = event.message;
          await scheduleEdit(request, entry);
          return;
        case 'milestone':
          entry.percent = event.percent;
          await inOrder(entry, request.id, async () => {
            for (const body of milestoneMessages(event.message, event.links)) await post(request, body);
          });
          return;
        case 'finished': {
          const base = finalViewFromRequest(request);
          await finish(request, entry, {
            ...base,
            status: event.status,
            // The stored review summary is the whole text; the event's copy is bounded by the bus.
            summary:
              (event.status === 'succeeded' ? request.result?.reviewSummary : undefined) ?? event.message,
            links: event.links,
            elapsedMs: Date.parse(event.at) - startedAt(request),
            costUsd: request.result?.costUsd ?? entry.costUsd,
          });
          return;
        }
      }
    },

    async showRequest(request) {
      const entry = tracked.get(request.id);
      const body = TERMINAL_STATUSES.has(request.status)
        ? finalMessages(finalViewFromRequest(request)).main
        : statusMessage(statusView(request, entry));
      if (!entry) return editStatus(request, body);
      if (!TERMINAL_STATUSES.has(request.status)) entry.lastEditAt = now();
      return inOrder(entry, request.id, () => editStatus(request, body));
    },

    post,

    async idle() {
      for (;;) {
        const entries = [...tracked.values()];
        if (entries.every((e) => e.timer === undefined)) {
          await Promise.all(entries.map((e) => e.chain));
          if ([...tracked.values()].every((e) => e.timer === undefined)) return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(interval, 50)));
      }
    },

    async close() {
      for (const entry of tracked.values()) {
        clearTimeout(entry.timer);
        entry.timer = undefined;
      }
      await Promise.all([...tracked.values()].map((e) => e.chain));
      tracked.clear();
    },
  };
}
