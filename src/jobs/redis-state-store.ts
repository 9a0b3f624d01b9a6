import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FieldChange, Lease, StateStore } from '../core/ports/state-store.js';

// Leases are plain string keys holding their owner; the scripts make check-then-act one step.
const ACQUIRE_OR_RENEW = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;
const EXTEND_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisStateStoreOptions {
  client: Redis;
  /**
   * The deployment's key prefix (config `queuePrefix`, AUTONOMA_QUEUE_PREFIX): every key is
   * `<prefix>:<logical key>`, so keys written before the store existed keep their names.
   */
  prefix: string;
}

function ttl(ms: number): number {
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new RangeError(`A state TTL must be a positive whole number of milliseconds, not ${ms}.`);
  }
  return ms;
}

/** The StateStore on Redis, sharing the command connection (it never blocks). */
export function createRedisStateStore(options: RedisStateStoreOptions): StateStore {
  const { client, prefix } = options;
  if (!prefix) throw new RangeError('A Redis state store needs a key prefix (AUTONOMA_QUEUE_PREFIX).');
  const full = (key: string) => {
    if (!key) throw new RangeError('A state key must not be empty.');
    return `${prefix}:${key}`;
  };

  return {
    async get(key) {
      return (await client.get(full(key))) ?? undefined;
    },
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await client.set(full(key), value);
      else await client.set(full(key), value, 'PX', ttl(ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await client.set(full(key), value, 'PX', ttl(ttlMs), 'NX')) === 'OK';
    },
    async delete(key) {
      await client.del(full(key));
    },
    async increment(key, by) {
      if (!Number.isInteger(by)) throw new RangeError(`A counter moves by whole numbers, not ${by}.`);
      return client.incrby(full(key), by);
    },
    async updateFields(key, change: FieldChange, ttlMs) {
      const k = full(key);
      const multi = client.multi();
      if (change.remove && change.remove.length > 0) multi.hdel(k, ...change.remove);
      if (change.set && Object.keys(change.set).length > 0) multi.hset(k, change.set);
      multi.pexpire(k, ttl(ttlMs));
      multi.hgetall(k);
      const replies = await multi.exec();
      if (!replies) throw new Error(`Redis aborted the update of ${k}.`);
      for (const [error] of replies) if (error) throw error;
      return replies[replies.length - 1]?.[1] as Record<string, string>;
    },
    async getFields(key) {
      return client.hgetall(full(key));
    },
    async acquireLease(key, ttlMs, owner = randomUUID()) {
      const acquired = await client.eval(ACQUIRE_OR_RENEW, 1, full(key), owner, ttl(ttlMs));
      return acquired === 1 ? { key, owner } : undefined;
    },
    async extendLease(lease: Lease, ttlMs) {
      return (await client.eval(EXTEND_IF_OWNER, 1, full(lease.key), lease.owner, ttl(ttlMs))) === 1;
    },
    async releaseLease(lease: Lease) {
      return (await client.eval(RELEASE_IF_OWNER, 1, full(lease.key), lease.owner)) === 1;
    },
  };
}
