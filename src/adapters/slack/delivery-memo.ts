import type { StateStore } from '../../core/ports/state-store.js';

/**
 * What an earlier attempt at one delivery already did (the status message it posted), so a retried
 * attempt carries on from there instead of posting a second thread.
 */
export interface DeliveryMemo {
  recall(key: string): Promise<string | undefined>;
  remember(key: string, value: string, ttlSeconds?: number): Promise<void>;
}

export function createDeliveryMemo(state: StateStore, defaultTtlSeconds = 24 * 3600): DeliveryMemo {
  const stateKey = (key: string) => `slack:memo:${key}`;
  return {
    recall: (key) => state.get(stateKey(key)),
    remember: (key, value, ttlSeconds = defaultTtlSeconds) =>
      state.set(stateKey(key), value, ttlSeconds * 1000),
  };
}
