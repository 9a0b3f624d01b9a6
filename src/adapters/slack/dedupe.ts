import type { StateStore } from '../../core/ports/state-store.js';

/**
 * Set-if-not-exists keys: the first caller for a key wins, later callers (Slack retries, double
 * clicks, a second replica) see it taken. The TTL outlives Slack's retry window (~1 h).
 */
export interface Dedupe {
  /** True if this caller is the first to claim `key` within the TTL. */
  claim(key: string, ttlSeconds?: number): Promise<boolean>;
  /** Gives a claim back, so a later retry of the same delivery can do the work we could not. */
  release(key: string): Promise<void>;
}

export function createDedupe(state: StateStore, defaultTtlSeconds = 24 * 3600): Dedupe {
  const stateKey = (key: string) => `slack:once:${key}`;
  return {
    claim: (key, ttlSeconds = defaultTtlSeconds) => state.setIfAbsent(stateKey(key), '1', ttlSeconds * 1000),
    release: (key) => state.delete(stateKey(key)),
  };
}
