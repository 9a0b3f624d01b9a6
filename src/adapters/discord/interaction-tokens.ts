import type { StateStore } from '../../core/ports/state-store.js';

/**
 * Interaction tokens let Autonoma edit its response for 15 minutes. They are kept in the shared
 * state store (seen by every replica, gone after their lifetime), never in Postgres with the request.
 */
export interface InteractionTokens {
  save(requestId: string, token: string): Promise<void>;
  get(requestId: string): Promise<string | undefined>;
  forget(requestId: string): Promise<void>;
}

/** A little under Discord's 15 minutes, so a token is never used as it expires. */
const TOKEN_TTL_MS = 14 * 60 * 1000;

export function createInteractionTokens(state: StateStore): InteractionTokens {
  const key = (requestId: string) => `discord:interaction-token:${requestId}`;
  return {
    save: (requestId, token) => state.set(key(requestId), token, TOKEN_TTL_MS),
    get: (requestId) => state.get(key(requestId)),
    forget: (requestId) => state.delete(key(requestId)),
  };
}
