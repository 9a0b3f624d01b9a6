import type { Redis } from 'ioredis';

const CHANNEL = ':cancel';

/**
 * Cross-process cancellation: any process may ask; the worker running the request aborts its
 * AbortController, and the pipeline stops at the next checkpoint.
 */
export interface CancellationRegistry {
  /** Registers a running request; the returned signal aborts when someone cancels it. */
  track(requestId: string): { signal: AbortSignal; release(): void; abort(reason: unknown): void };
  /** Aborts every tracked request (worker shutdown past its grace period). */
  abortAll(reason: unknown): void;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function requestCancellation(
  publisher: Redis,
  requestId: string,
  keyPrefix = '',
): Promise<number> {
  return publisher.publish(`${keyPrefix}${CHANNEL}`, requestId);
}

export function createCancellationRegistry(options: {
  connection: Redis;
  namespace?: string;
  makeReason: (requestId: string) => unknown;
}): CancellationRegistry {
  const controllers = new Map<string, AbortController>();
  const channel = `${options.namespace ?? 'autonoma'}${CHANNEL}`;
  let subscriber: Redis | undefined;
  return {
    track(requestId) {
      const controller = new AbortController();
      controllers.set(requestId, controller);
      return {
        signal: controller.signal,
        release: () => {
          if (controllers.get(requestId) === controller) controllers.delete(requestId);
        },
        abort: (reason) => controller.abort(reason),
      };
    },
    abortAll(reason) {
      for (const controller of controllers.values()) controller.abort(reason);
    },
    async start() {
      subscriber = options.connection.duplicate({
        connectionName: 'autonoma-cancel-sub',
        maxRetriesPerRequest: null,
      });
      subscriber.on('error', () => undefined);
      subscriber.on('message', (_channel: string, requestId: string) => {
        controllers.get(requestId)?.abort(options.makeReason(requestId));
      });
      await subscriber.subscribe(channel);
    },
    async close() {
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
      subscriber = undefined;
    },
  };
}
