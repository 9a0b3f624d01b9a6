import type { Redis } from 'ioredis';

/**
 * Set-if-not-exists keys in Redis: the first caller for a key wins, later callers (Slack retries,
 * double clicks, a second replica) see it taken. The TTL outlives Slack's retry window (~1 h).
 */
export interface Dedupe {
  /** True if this caller is the first to claim `key` within the TTL. */
  claim(key: string, ttlSeconds?: number): Promise<boolean>;
  /** Gives a claim back, so a later retry of the same delivery can do the work we could not. */
  release(key: string): Promise<void>;
}

export function createDedupe(redis: Redis, prefix: string, defaultTtlSeconds = 24 * 3600): Dedupe {
  const fullKey = (key: string) => `${prefix}:slack:once:${key}`;
  return {
    async claim(key, ttlSeconds = defaultTtlSeconds) {
      return (await redis.set(fullKey(key), '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(fullKey(key));
    },
  };
}
