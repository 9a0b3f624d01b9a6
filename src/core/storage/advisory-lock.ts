import { createHash } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';

/**
 * Transaction-scoped Postgres advisory locks on named keys, for check-then-write steps that several
 * servers and workers run against the same rows (quotas, budget reservations). Each key maps to
 * `(space, hash)`: the two-int form, whose keys never collide with single-bigint locks such as the
 * migration lock. Two keys that share a hash only serialise each other, which is harmless.
 */
export type LockSpace = 'quota' | 'budget';

const SPACES: Record<LockSpace, number> = { quota: 0x51554f54, budget: 0x42554447 };

export function lockHash(key: string): number {
  return createHash('sha256').update(key).digest().readInt32BE(0);
}

/**
 * Takes every lock, in ascending hash order (so two transactions locking overlapping keys cannot
 * deadlock); they are released when the transaction ends.
 */
export async function lockKeys(
  tx: Prisma.TransactionClient,
  space: LockSpace,
  keys: string[],
): Promise<void> {
  const hashes = [...new Set(keys.map(lockHash))].sort((a, b) => a - b);
  if (hashes.length === 0) return;
  // One statement; unnest yields the sorted array in order. The reads that follow must be later
  // statements: a statement's snapshot is taken before the locks it waits for.
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(${SPACES[space]}::int4, h) FROM unnest(${hashes}::int4[]) AS h`;
}
