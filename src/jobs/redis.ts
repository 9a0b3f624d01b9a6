import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connections. BullMQ workers need `maxRetriesPerRequest: null` (blocking commands must not
 * time out); everything else fails fast so a Redis outage surfaces as an error instead of a hang.
 */
export function createRedisConnection(
  url: string,
  purpose: 'queue' | 'worker' | 'pubsub' | 'command',
): Redis {
  const options: RedisOptions = {
    lazyConnect: false,
    enableReadyCheck: true,
    connectionName: `autonoma-${purpose}`,
    maxRetriesPerRequest: purpose === 'worker' || purpose === 'pubsub' ? null : 3,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  return new Redis(url, options);
}

/** Closes connections we created: closing BullMQ objects does not quit connections passed in. */
export async function quitAll(connections: Redis[]): Promise<void> {
  await Promise.all(
    connections.map(async (c) => {
      try {
        await c.quit();
      } catch {
        c.disconnect();
      }
    }),
  );
}

/**
 * A `/readyz` check: PING through an ioredis client. A client that is reconnecting would queue the
 * PING until Redis comes back (forever with BullMQ's `maxRetriesPerRequest: null`), so fail at once
 * unless the client is connected or has yet to connect (`lazyConnect`); the caller's timeout bounds
 * the rest.
 */
export function redisCheck(client: Pick<Redis, 'status' | 'ping'>): () => Promise<void> {
  return async () => {
    if (client.status !== 'ready' && client.status !== 'wait') {
      throw new Error(`Redis connection is ${client.status}`);
    }
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`Redis answered PING with ${String(reply).slice(0, 40)}`);
  };
}
