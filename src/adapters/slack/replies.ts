import type { webApi } from '@slack/bolt';
import { createEditThrottle } from '../../core/conversation/edit-throttle.js';
import { applyEvent, initialView, type StatusView } from '../../core/conversation/status-view.js';
import type { ProgressEvent } from '../../core/domain/progress.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import type { Logger } from '../../core/logger.js';
import { finishedText, milestoneText, statusMessage } from './blocks.js';
import type { Dedupe } from './dedupe.js';
import { retryAfterMs, withRateLimit } from './rate-limit.js';

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
}

const MAX_RATE_LIMIT_WAITS = 5;

/**
 * Progress → Slack. The status message is edited through the shared edit throttle (a burst of events
 * becomes one `chat.update`; a 429 pushes the next one past Slack's Retry-After; the final edit is
 * never dropped). Milestones become thread replies, in order with the edits; the final event sends
 * the last edit and a closing reply.
 */
export function createProgressReplier(deps: ProgressReplierDeps): ProgressReplier {
  const entries = new Map<string, Entry>();
  const log = deps.logger;
  const edits = createEditThrottle<Entry>({
    intervalMs: deps.minUpdateIntervalMs,
    now: deps.now,
    maxRetries: MAX_RATE_LIMIT_WAITS,
    retryAfterMs: (error, requestId) => {
      const wait = retryAfterMs(error);
      if (wait !== undefined) log.info({ requestId, retryAfterMs: wait }, 'slack rate limited status update');
      return wait;
    },
    onError: (requestId, error) => log.warn({ err: error, requestId }, 'slack status update failed'),
    send: async (_requestId, entry) => {
      await deps.client.chat.update({ channel: entry.channel, ts: entry.ts, ...statusMessage(entry.view) });
    },
  });

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
    };
    entries.set(request.id, entry);
    return entry;
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
      if (event.type === 'finished') {
        entries.delete(request.id);
        await edits.final(request.id, { ...entry });
        await postReply(entry, `finished:${event.status}:${event.at}`, finishedText(entry.view));
        return;
      }
      edits.update(request.id, { ...entry });
      if (event.type === 'milestone') {
        await edits.run(request.id, () =>
          postReply(entry, `milestone:${event.stage}:${event.at}`, milestoneText(event)),
        );
      }
    },

    flush: () => edits.flush(),
  };
}
