import { randomUUID } from 'node:crypto';
import type { ProgressEvent } from '../core/domain/progress.js';
import type { Platform } from '../core/domain/request.js';
import type { Logger } from '../core/logger.js';
import type { ChatAdapter } from '../core/ports/chat-adapter.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';
import type { StateStore } from '../core/ports/state-store.js';

export interface ProgressFanOutDeps {
  bus: ProgressBus;
  store: JobStore;
  /** Holds the per-request reply leases. */
  state: StateStore;
  adapters: ChatAdapter[];
  logger: Logger;
  /**
   * How long one server keeps the right to reply for a request after its last event, should it die
   * (one that stops hands its leases back). Default 120 s.
   */
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

  /**
   * The reply leases this server holds, to hand back when it stops: request id → when the lease
   * runs out. Kept in renewal order, so leases past their time (ours no more) drop off the front
   * and a long-running server remembers only the last lease period's jobs.
   */
  const held = new Map<string, number>();
  const leaseKey = (requestId: string) => `replier:${requestId}`;

  function remember(requestId: string): void {
    const now = Date.now();
    held.delete(requestId);
    held.set(requestId, now + leaseSeconds * 1000);
    for (const [id, until] of held) {
      if (until > now) break;
      held.delete(id);
    }
  }

  async function holdsLease(requestId: string): Promise<boolean> {
    // Takes a free lease or renews ours, in one step.
    if (!(await deps.state.acquireLease(leaseKey(requestId), leaseSeconds * 1000, owner))) return false;
    remember(requestId);
    return true;
  }

  /** Only if still ours: a lease that expired may have passed to another server since. */
  async function releaseLease(requestId: string): Promise<void> {
    held.delete(requestId);
    await deps.state.releaseLease({ key: leaseKey(requestId), owner });
  }

  async function handle(event: ProgressEvent): Promise<void> {
    const request = await deps.store.getRequest(event.requestId);
    if (!request) return;
    const adapter = byPlatform.get(request.source);
    if (!adapter) return;
    if (!(await holdsLease(event.requestId))) return;
    // Kept after 'finished' too: a slower replica that took it over now could post the end again.
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
      // Hand running jobs over at once: a restarted or another server replies from their next
      // event, instead of after the lease runs out.
      await Promise.all(
        [...held.keys()].map((id) =>
          releaseLease(id).catch((error: unknown) =>
            deps.logger.warn({ err: error, requestId: id }, 'reply lease not released'),
          ),
        ),
      );
    },
  };
}
