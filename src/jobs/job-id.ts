import { createHash } from 'node:crypto';

/**
 * A BullMQ job id from a platform's delivery key: stable (the same delivery gives the same id, so a
 * second add is a no-op) and safe (BullMQ ids must not contain ':').
 */
export function hashedJobId(kind: string, key: string): string {
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}
