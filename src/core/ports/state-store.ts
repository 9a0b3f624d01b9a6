/**
 * Short-lived state every replica shares: de-duplication claims, memos of what an earlier attempt
 * did, counters, and leases that let one replica at a time do a piece of work.
 *
 * Keys are logical (`slack:once:…`, `github:delivery:…`): the store owns the deployment's key
 * prefix, so two deployments (or test runs) sharing one server never see each other's keys.
 * TTLs are in milliseconds and must be positive whole numbers.
 */
export interface StateStore {
  /** The value under `key`; undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value`, replacing any value; it expires after `ttlMs`, or never without one. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /**
   * Stores `value` only if `key` is absent. True for exactly one of any number of concurrent
   * callers (the first), false for the rest until the key expires or is deleted.
   */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds `by` (may be negative) to the whole number under `key`, absent counting as 0; returns the sum. */
  increment(key: string, by: number): Promise<number>;
  /**
   * Changes some fields of the field map under `key` (removals first, then sets), restarts its TTL,
   * and returns every field after the change: all in one step, so concurrent changes never
   * interleave.
   */
  updateFields(key: string, change: FieldChange, ttlMs: number): Promise<Record<string, string>>;
  /** Every field of the map under `key`; empty when absent or expired. */
  getFields(key: string): Promise<Record<string, string>>;
  /**
   * Takes the lease on `key` for `ttlMs` if it is free, or renews it if `owner` already holds it;
   * undefined while another owner holds it. Without `owner` a new random one is used.
   */
  acquireLease(key: string, ttlMs: number, owner?: string): Promise<Lease | undefined>;
  /** Restarts the lease's TTL; false (and nothing changed) if the lease is no longer its owner's. */
  extendLease(lease: Lease, ttlMs: number): Promise<boolean>;
  /**
   * Frees the lease only if its owner still holds it: a lease that expired may have passed to
   * someone else since. True if it was released.
   */
  releaseLease(lease: Lease): Promise<boolean>;
}

export interface FieldChange {
  set?: Record<string, string>;
  remove?: readonly string[];
}

/** Proof of holding a lease: released or extended only by the same owner. */
export interface Lease {
  readonly key: string;
  readonly owner: string;
}
