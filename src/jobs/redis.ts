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
