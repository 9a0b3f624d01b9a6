import type { webApi } from '@slack/bolt';
import type { ProgressEvent } from '../../core/domain/progress.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import type { Logger } from '../../core/logger.js';
import { finishedText, milestoneText, statusMessage } from './blocks.js';
import type { Dedupe } from './dedupe.js';
import { retryAfterMs, sleep, withRateLimit } from './rate-limit.js';
import { applyEvent, initialView, type StatusView } from './status-view.js';

export interface ProgressReplierDeps {
  client: webApi.WebClient;
  dedupe: Dedupe;
  logger: Logger;
  now: () => number;
  /** At most one `chat.update` per request per this many ms (Slack allows about one per second). */
  minUpdateIntervalMs: number;
}

export interface ProgressReplier {
  replyProgress(request: GenerationRequest, event: ProgressEvent): Promise<void>;
  /** Sends every pending status update now (shutdown). */
  flush(): Promise<void>;
}

/** One status message being kept up to date. */
interface Entry {
  requestId: string;
  channel: string;
  ts: string;
  threadTs: string;
  view: StatusView;
  dirty: boolean;
  lastSentAt: number;
  blockedUntil: number;
  timer: NodeJS.Timeout | undefined;
  chain: Promise<void>;
}

const MAX_RATE_LIMIT_WAITS = 5;

/**
 * Progress → Slack. Stage events only mark the status message dirty; a per-request timer sends the
 * latest state at most once per interval (so a burst of events becomes one edit). Milestones become
 * thread replies at once; the final event sends the last edit (after the interval, never dropped)
 * and a closing reply. A 429 pushes the next edit past Slack's Retry-After.
 */
export function createProgressReplier(deps: ProgressReplierDeps): ProgressReplier {
  const entries = new Map<string, Entry>();
  const log = deps.logger;

  function entryFor(request: GenerationRequest): Entry | undefined {
    const existing = entries.get(request.id);
    if (existing) return existing;
    const thread = request.thread;
    if (thread.platform !== 'slack' || !thread.statusMessageTs) {
      log.warn({ requestId: request.id }, 'slack request has no status message to update');
      return undefined;
    }
    const entry: Entry = {
      requestId: request.id,
      channel: thread.channelId,
      ts: thread.statusMessageTs,
      threadTs: thread.threadTs ?? thread.statusMessageTs,
      view: initialView(request),
      dirty: false,
      lastSentAt: 0,
      blockedUntil: 0,
      timer: undefined,
      chain: Promise.resolve(),
    };
    entries.set(request.id, entry);
    return entry;
  }

  const waitFor = (entry: Entry) =>
    Math.max(entry.lastSentAt + deps.minUpdateIntervalMs, entry.blockedUntil) - deps.now();

  function schedule(entry: Entry): void {
    if (entry.timer) return;
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        void enqueueSend(entry, false);
      },
      Math.max(0, waitFor(entry)),
    );
  }

  function enqueueSend(entry: Entry, final: boolean): Promise<void> {
    entry.chain = entry.chain.then(() => send(entry, final));
    return entry.chain;
  }

  async function send(entry: Entry, final: boolean): Promise<void> {
    for (let rateLimited = 0; entry.dirty;) {
      const wait = waitFor(entry);
      if (wait > 0) {
        if (!final) return schedule(entry);
        await sleep(wait);
      }
      entry.dirty = false;
      const message = statusMessage(entry.view);
      try {
        await deps.client.chat.update({ channel: entry.channel, ts: entry.ts, ...message });
        entry.lastSentAt = deps.now();
      } catch (error) {
        const retryAfter = retryAfterMs(error);
        entry.dirty = entry.dirty || retryAfter !== undefined;
        if (retryAfter !== undefined && rateLimited < MAX_RATE_LIMIT_WAITS) {
          rateLimited += 1;
          entry.blockedUntil = deps.now() + retryAfter;
          log.info(
            { requestId: entry.requestId, retryAfterMs: retryAfter },
            'slack rate limited status update',
          );
          continue;
        }
        entry.lastSentAt = deps.now();
        log.warn({ err: error, requestId: entry.requestId }, 'slack status update failed');
        return;
      }
    }
  }

  /** A thread reply, posted once per event even if the event is handled twice. */
  async function postReply(entry: Entry, key: string, text: string): Promise<void> {
    const claim = `reply:${entry.requestId}:${key}`;
    if (!(await deps.dedupe.claim(claim))) return;
    try {
      await withRateLimit(
        () =>
          deps.client.chat.postMessage({
            channel: entry.channel,
            thread_ts: entry.threadTs,
            text,
            unfurl_links: false,
            unfurl_media: false,
          }),
        MAX_RATE_LIMIT_WAITS,
      );
    } catch (error) {
      await deps.dedupe.release(claim);
      throw error;
    }
  }

  return {
    async replyProgress(request, event) {
      const entry = entryFor(request);
      if (!entry) return;
      entry.view = applyEvent(entry.view, event, request);
      entry.dirty = true;
      if (event.type === 'finished') {
        clearTimeout(entry.timer);
        entry.timer = undefined;
        entries.delete(request.id);
        await enqueueSend(entry, true);
        await postReply(entry, `finished:${event.status}:${event.at}`, finishedText(entry.view));
        return;
      }
      schedule(entry);
      if (event.type === 'milestone') {
        await postReply(entry, `milestone:${event.stage}:${event.at}`, milestoneText(event));
      }
    },

    async flush() {
      await Promise.all(
        [...entries.values()].map((entry) => {
          clearTimeout(entry.timer);
          entry.timer = undefined;
          return enqueueSend(entry, true);
        }),
      );
    },
  };
}
