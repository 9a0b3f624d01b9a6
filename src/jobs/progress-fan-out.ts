import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ProgressEvent } from '../core/domain/progress.js';
import type { Platform } from '../core/domain/request.js';
import type { Logger } from '../core/logger.js';
import type { ChatAdapter } from '../core/ports/chat-adapter.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';

export interface ProgressFanOutDeps {
  bus: ProgressBus;
  store: JobStore;
  redis: Redis;
  namespace: string;
  adapters: ChatAdapter[];
  logger: Logger;
  /** How long one server keeps the right to reply for a request after its last event. */
  leaseSeconds?: number;
}

export interface ProgressFanOut {
  start(): Promise<void>;
  /** Resolves when every event received so far has been handled (for tests and shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Sends each progress event to the chat adapter of the platform the request came from. With several
 * server replicas, a per-request lease in Redis makes exactly one of them reply, in event order.
 */
export function createProgressFanOut(deps: ProgressFanOutDeps): ProgressFanOut {
  const byPlatform = new Map<Platform, ChatAdapter>(deps.adapters.map((a) => [a.platform, a]));
  const owner = randomUUID();
  const leaseSeconds = deps.leaseSeconds ?? 120;
  const queues = new Map<string, Promise<void>>();
  let unsubscribe: (() => Promise<void>) | undefined;

  async function holdsLease(requestId: string): Promise<boolean> {
    const key = `${deps.namespace}:replier:${requestId}`;
    const claimed = await deps.redis.set(key, owner, 'EX', leaseSeconds, 'NX');
    if (claimed === 'OK') return true;
    if ((await deps.redis.get(key)) !== owner) return false;
    await deps.redis.expire(key, leaseSeconds);
    return true;
  }

  async function handle(event: ProgressEvent): Promise<void> {
    const request = await deps.store.getRequest(event.requestId);
    if (!request) return;
    const adapter = byPlatform.get(request.source);
    if (!adapter) return;
    if (!(await holdsLease(event.requestId))) return;
    await adapter.replyProgress(request, event);
  }

  function enqueue(event: ProgressEvent): void {
    const previous = queues.get(event.requestId) ?? Promise.resolve();
    const next = previous
      .then(() => handle(event))
      .catch((error: unknown) => {
        deps.logger.warn(
          { err: error, requestId: event.requestId, type: event.type },
          'progress reply failed',
        );
      })
      .finally(() => {
        if (queues.get(event.requestId) === next) queues.delete(event.requestId);
      });
    queues.set(event.requestId, next);
  }

  return {
    async start() {
      unsubscribe = await deps.bus.subscribe('*', enqueue);
    },
    async idle() {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
    async stop() {
      await unsubscribe?.();
      await this.idle();
    },
  };
}
