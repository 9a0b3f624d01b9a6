import type { Redis } from 'ioredis';

/**
 * Interaction tokens let Autonoma edit its response for 15 minutes. They are kept in Redis (shared by
 * every replica, gone after their lifetime), never in Postgres with the request.
 */
export interface InteractionTokens {
  save(requestId: string, token: string): Promise<void>;
  get(requestId: string): Promise<string | undefined>;
  forget(requestId: string): Promise<void>;
}

/** A little under Discord's 15 minutes, so a token is never used as it expires. */
const TOKEN_TTL_SECONDS = 14 * 60;

export function createInteractionTokens(redis: Redis, namespace: string): InteractionTokens {
  const key = (requestId: string) => `${namespace}:discord:interaction-token:${requestId}`;
  return {
    async save(requestId, token) {
      await redis.set(key(requestId), token, 'EX', TOKEN_TTL_SECONDS);
    },
    async get(requestId) {
      return (await redis.get(key(requestId))) ?? undefined;
    },
    async forget(requestId) {
      await redis.del(key(requestId));
    },
  };
}
