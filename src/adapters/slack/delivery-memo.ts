import type { Redis } from 'ioredis';

/**
 * What an earlier attempt at one delivery already did (the status message it posted), so a retried
 * attempt carries on from there instead of posting a second thread.
 */
export interface DeliveryMemo {
  recall(key: string): Promise<string | undefined>;
  remember(key: string, value: string, ttlSeconds?: number): Promise<void>;
}

export function createDeliveryMemo(
  redis: Redis,
  prefix: string,
  defaultTtlSeconds = 24 * 3600,
): DeliveryMemo {
  const fullKey = (key: string) => `${prefix}:slack:memo:${key}`;
  return {
    async recall(key) {
      return (await redis.get(fullKey(key))) ?? undefined;
    },
    async remember(key, value, ttlSeconds = defaultTtlSeconds) {
      await redis.set(fullKey(key), value, 'EX', ttlSeconds);
    },
  };
}
