import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { describeStateStoreConformance } from '../../tests/helpers/state-store-conformance.js';
import { TEST_REDIS_URL } from '../../tests/helpers/test-env.js';
import { createRedisStateStore } from './redis-state-store.js';

// Two connections: stores opened on one namespace alternate between them, as two replicas would.
const clients = [new Redis(TEST_REDIS_URL), new Redis(TEST_REDIS_URL)] as const;
const prefix = `state-test-${randomUUID().slice(0, 8)}`;
let opened = 0;

afterAll(async () => {
  const [first] = clients;
  let cursor = '0';
  do {
    const [next, keys] = await first.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await first.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await Promise.all(clients.map((c) => c.quit()));
});

describeStateStoreConformance(
  'Redis',
  (namespace) => createRedisStateStore({ client: clients[opened++ % 2]!, prefix: namespace }),
  prefix,
);

describe('Redis state store: key names', () => {
  const [raw] = clients;

  it('keeps the names keys had before the store, `<prefix>:<logical key>`', async () => {
    const ns = `${prefix}-names`;
    const store = createRedisStateStore({ client: raw, prefix: ns });
    await store.set('slack:memo:T1:abc', 'ts-1', 60_000);
    expect(await raw.get(`${ns}:slack:memo:T1:abc`)).toBe('ts-1');
    // A value an earlier release wrote (discord interaction token) is read back as is.
    await raw.set(`${ns}:discord:interaction-token:req-1`, 'token-1', 'EX', 60);
    expect(await store.get('discord:interaction-token:req-1')).toBe('token-1');
    // Progress checklists stay Redis hashes, so a rolling deploy reads the old ones.
    await raw.hset(`${ns}:github:progress:req-1`, 'stage:queued', 'completed');
    expect(await store.getFields('github:progress:req-1')).toEqual({ 'stage:queued': 'completed' });
    expect(await raw.pttl(`${ns}:github:progress:req-1`)).toBe(-1);
    await store.updateFields('github:progress:req-1', { set: { note: 'hi' } }, 60_000);
    expect(await raw.pttl(`${ns}:github:progress:req-1`)).toBeGreaterThan(59_000);
  });

  it('stores a lease as its owner under the key, as the progress fan-out does', async () => {
    const ns = `${prefix}-lease`;
    const store = createRedisStateStore({ client: raw, prefix: ns });
    await raw.set(`${ns}:replier:req-1`, 'old-replica', 'EX', 60);
    expect(await store.acquireLease('replier:req-1', 60_000, 'new-replica')).toBeUndefined();
    expect(await store.acquireLease('replier:req-2', 60_000, 'new-replica')).toEqual({
      key: 'replier:req-2',
      owner: 'new-replica',
    });
    expect(await raw.get(`${ns}:replier:req-2`)).toBe('new-replica');
  });

  it('needs a prefix and non-empty keys', async () => {
    expect(() => createRedisStateStore({ client: raw, prefix: '' })).toThrow(/AUTONOMA_QUEUE_PREFIX/);
    const store = createRedisStateStore({ client: raw, prefix: `${prefix}-empty` });
    await expect(store.get('')).rejects.toThrow(RangeError);
  });
});
