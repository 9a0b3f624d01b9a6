import type { Redis } from 'ioredis';
import { ProgressEventSchema, type ProgressEvent } from '../core/domain/progress.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';

const CHANNEL_PREFIX = ':progress:';
const LOG_PREFIX = ':progress-log:';
/** Late followers (a CLI attaching mid-job, a restarted server) replay this many recent events. */
const REPLAY_LIMIT = 200;
const REPLAY_TTL_SECONDS = 24 * 3600;

export interface RedisProgressBus extends ProgressBus {
  /** Events already published for a request, oldest first. */
  replay(requestId: string): Promise<ProgressEvent[]>;
}

/**
 * Progress fan-out over Redis pub/sub, so whichever process runs a job, every other process (HTTP
 * server, chat repliers, the CLI) sees its events. `publisher` is a normal connection; a dedicated
 * subscriber connection is created lazily from it.
 */
/** `namespace` isolates deployments (and tests) sharing one Redis; it matches the queue prefix. */
export function createRedisProgressBus(options: { publisher: Redis; namespace?: string }): RedisProgressBus {
  const prefix = options.namespace ?? 'autonoma';
  const channel = (requestId: string) => `${prefix}${CHANNEL_PREFIX}${requestId}`;
  const handlers = new Map<string, Set<(event: ProgressEvent) => void>>();
  let subscriber: Redis | undefined;

  const dispatch = (pattern: string, raw: string) => {
    let event: ProgressEvent;
    try {
      event = ProgressEventSchema.parse(JSON.parse(raw));
    } catch {
      return; // not ours or corrupt: never crash a follower on a bad message
    }
    for (const handler of handlers.get(pattern) ?? []) handler(event);
  };

  const ensureSubscriber = async () => {
    if (subscriber) return subscriber;
    subscriber = options.publisher.duplicate({
      connectionName: 'autonoma-progress-sub',
      maxRetriesPerRequest: null,
    });
    subscriber.on('pmessage', (pattern: string, _channel: string, message: string) =>
      dispatch(pattern, message),
    );
    subscriber.on('error', () => undefined); // reconnects on its own; errors surface on publish
    return subscriber;
  };

  return {
    async publish(event) {
      const payload = JSON.stringify(ProgressEventSchema.parse(event));
      const logKey = `${prefix}${LOG_PREFIX}${event.requestId}`;
      await options.publisher
        .multi()
        .rpush(logKey, payload)
        .ltrim(logKey, -REPLAY_LIMIT, -1)
        .expire(logKey, REPLAY_TTL_SECONDS)
        .publish(channel(event.requestId), payload)
        .exec();
    },

    async subscribe(requestId, handler) {
      const pattern = channel(requestId === '*' ? '*' : requestId);
      const sub = await ensureSubscriber();
      let set = handlers.get(pattern);
      if (!set) {
        set = new Set();
        handlers.set(pattern, set);
        await sub.psubscribe(pattern);
      }
      set.add(handler);
      return async () => {
        const current = handlers.get(pattern);
        current?.delete(handler);
        if (current && current.size === 0) {
          handlers.delete(pattern);
          await sub.punsubscribe(pattern).catch(() => undefined);
        }
      };
    },

    async replay(requestId) {
      const raw = await options.publisher.lrange(`${prefix}${LOG_PREFIX}${requestId}`, 0, -1);
      return raw.flatMap((line) => {
        const parsed = ProgressEventSchema.safeParse(JSON.parse(line));
        return parsed.success ? [parsed.data] : [];
      });
    },

    async close() {
      handlers.clear();
      if (subscriber) {
        await subscriber.quit().catch(() => subscriber?.disconnect());
        subscriber = undefined;
      }
    },
  };
}
