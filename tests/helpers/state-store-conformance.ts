import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type { StateStore } from '../../src/core/ports/state-store.js';

/**
 * What every StateStore must do, as a suite any implementation runs against itself.
 *
 * `open(namespace)` returns a store on that namespace. The suite opens two stores on one namespace
 * where it stands for two replicas racing; an implementation that can should put them on different
 * connections. The caller removes what a namespace left behind (namespaces start with `prefix`).
 */
export function describeStateStoreConformance(
  name: string,
  open: (namespace: string) => StateStore,
  prefix = 'conformance',
): void {
  const namespace = () => `${prefix}-${randomUUID().slice(0, 8)}`;
  /** Two stores on one fresh namespace: two replicas sharing state. */
  const replicas = (): [StateStore, StateStore] => {
    const ns = namespace();
    return [open(ns), open(ns)];
  };
  // Short enough to keep the suite fast, long enough that a loaded machine does not expire a key
  // between writing it and reading it back.
  const TTL = 500;
  const PAST_TTL = 1000;

  describe(`${name}: StateStore conformance`, () => {
    describe('get, set, delete', () => {
      it('reads what was set, the latest value, and nothing after delete', async () => {
        const [a, b] = replicas();
        expect(await a.get('k')).toBeUndefined();
        await a.set('k', 'one');
        expect(await b.get('k')).toBe('one');
        await b.set('k', 'two');
        expect(await a.get('k')).toBe('two');
        await a.delete('k');
        expect(await b.get('k')).toBeUndefined();
        await a.delete('never-set');
      });

      it('forgets a value after its TTL and keeps one set without a TTL', async () => {
        const store = open(namespace());
        await store.set('short', 'v', TTL);
        await store.set('kept', 'v');
        expect(await store.get('short')).toBe('v');
        await sleep(PAST_TTL);
        expect(await store.get('short')).toBeUndefined();
        expect(await store.get('kept')).toBe('v');
      });

      it('keeps namespaces apart', async () => {
        const a = open(namespace());
        const b = open(namespace());
        await a.set('shared-name', 'a');
        expect(await b.get('shared-name')).toBeUndefined();
        expect(await b.setIfAbsent('shared-name', 'b', 10_000)).toBe(true);
        expect(await a.get('shared-name')).toBe('a');
      });

      it('refuses TTLs that are not positive whole milliseconds', async () => {
        const store = open(namespace());
        for (const bad of [0, -1, 1.5, Number.NaN]) {
          await expect(store.set('k', 'v', bad)).rejects.toThrow(RangeError);
          await expect(store.setIfAbsent('k', 'v', bad)).rejects.toThrow(RangeError);
          await expect(store.acquireLease('k', bad)).rejects.toThrow(RangeError);
        }
        expect(await store.get('k')).toBeUndefined();
      });
    });

    describe('setIfAbsent', () => {
      it('stores only the first value until the key is deleted or expires', async () => {
        const store = open(namespace());
        expect(await store.setIfAbsent('claim', 'first', TTL)).toBe(true);
        expect(await store.setIfAbsent('claim', 'second', TTL)).toBe(false);
        expect(await store.get('claim')).toBe('first');
        await store.delete('claim');
        expect(await store.setIfAbsent('claim', 'third', TTL)).toBe(true);
        await sleep(PAST_TTL);
        expect(await store.get('claim')).toBeUndefined();
        expect(await store.setIfAbsent('claim', 'fourth', TTL)).toBe(true);
        expect(await store.get('claim')).toBe('fourth');
      });

      it('lets exactly one of many parallel callers win, across replicas', async () => {
        const [a, b] = replicas();
        for (let round = 0; round < 5; round += 1) {
          const key = `race-${round}`;
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              (i % 2 === 0 ? a : b).setIfAbsent(key, `caller-${i}`, 10_000),
            ),
          );
          const winners = results.flatMap((won, i) => (won ? [i] : []));
          expect(winners).toHaveLength(1);
          expect(await a.get(key)).toBe(`caller-${winners[0]}`);
        }
      });
    });

    describe('increment', () => {
      it('counts from zero, up and down, without losing parallel increments', async () => {
        const [a, b] = replicas();
        expect(await a.increment('n', 1)).toBe(1);
        expect(await b.increment('n', -1)).toBe(0);
        expect(await a.increment('n', -1)).toBe(-1);
        await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).increment('n', 1)));
        expect(await b.increment('n', 0)).toBe(29);
        await expect(a.increment('n', 0.5)).rejects.toThrow(RangeError);
      });
    });

    describe('field maps', () => {
      it('applies removals then sets, and returns every field after the change', async () => {
        const [a, b] = replicas();
        expect(await a.getFields('map')).toEqual({});
        expect(await a.updateFields('map', { set: { x: '1', y: '2' } }, 10_000)).toEqual({ x: '1', y: '2' });
        expect(
          await b.updateFields('map', { remove: ['x', 'y', 'absent'], set: { y: '3' } }, 10_000),
        ).toEqual({
          y: '3',
        });
        expect(await a.getFields('map')).toEqual({ y: '3' });
        expect(await a.updateFields('map', {}, 10_000)).toEqual({ y: '3' });
      });

      it('keeps every field of parallel changes to different fields', async () => {
        const [a, b] = replicas();
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? a : b).updateFields('map', { set: { [`f${i}`]: String(i) } }, 10_000),
          ),
        );
        const fields = await a.getFields('map');
        expect(Object.keys(fields)).toHaveLength(20);
        expect(fields.f7).toBe('7');
      });

      it('restarts the TTL on each change and forgets the map after it', async () => {
        const store = open(namespace());
        await store.updateFields('map', { set: { a: '1' } }, TTL);
        await sleep(TTL / 2);
        await store.updateFields('map', { set: { b: '2' } }, TTL);
        await sleep(TTL / 2 + 100);
        // Past the first TTL: still there, the second change restarted it.
        expect(await store.getFields('map')).toEqual({ a: '1', b: '2' });
        await sleep(PAST_TTL);
        expect(await store.getFields('map')).toEqual({});
      });
    });

    describe('leases', () => {
      it('is held by one owner at a time and released only by that owner', async () => {
        const [a, b] = replicas();
        const lease = await a.acquireLease('job', 10_000);
        expect(lease).toEqual({ key: 'job', owner: expect.any(String) });
        expect(await b.acquireLease('job', 10_000)).toBeUndefined();
        expect(await b.acquireLease('job', 10_000, 'someone-else')).toBeUndefined();
        // Knowing the key is not enough: only the owner's token releases or extends it.
        expect(await b.releaseLease({ key: 'job', owner: 'someone-else' })).toBe(false);
        expect(await b.extendLease({ key: 'job', owner: 'someone-else' }, 10_000)).toBe(false);
        expect(await b.acquireLease('job', 10_000)).toBeUndefined();
        expect(await b.releaseLease(lease!)).toBe(true);
        expect(await a.releaseLease(lease!)).toBe(false);
        const next = await b.acquireLease('job', 10_000);
        expect(next).toBeDefined();
        expect(next!.owner).not.toBe(lease!.owner);
      });

      it('renews for the owner that already holds it', async () => {
        const [a, b] = replicas();
        const lease = await a.acquireLease('job', TTL, 'replica-a');
        expect(lease).toEqual({ key: 'job', owner: 'replica-a' });
        await sleep(TTL / 2);
        expect(await b.acquireLease('job', TTL, 'replica-a')).toEqual({ key: 'job', owner: 'replica-a' });
        await sleep(TTL / 2 + 100);
        expect(await b.acquireLease('job', TTL, 'replica-b')).toBeUndefined();
        await sleep(PAST_TTL);
        expect(await b.acquireLease('job', TTL, 'replica-b')).toEqual({ key: 'job', owner: 'replica-b' });
      });

      it('extends only while still held, and passes on after expiry', async () => {
        const [a, b] = replicas();
        const lease = (await a.acquireLease('job', TTL))!;
        await sleep(TTL / 2);
        expect(await a.extendLease(lease, TTL)).toBe(true);
        await sleep(TTL / 2 + 100);
        expect(await b.acquireLease('job', TTL)).toBeUndefined();
        await sleep(PAST_TTL);
        const taken = await b.acquireLease('job', 10_000);
        expect(taken).toBeDefined();
        // The first owner, back late: neither its extend nor its release touch the new holder's lease.
        expect(await a.extendLease(lease, 10_000)).toBe(false);
        expect(await a.releaseLease(lease)).toBe(false);
        expect(await a.acquireLease('job', 10_000)).toBeUndefined();
        expect(await b.releaseLease(taken!)).toBe(true);
      });

      it('goes to exactly one of many parallel claimants', async () => {
        const [a, b] = replicas();
        const leases = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 === 0 ? a : b).acquireLease('job', 10_000, `owner-${i}`),
          ),
        );
        const held = leases.filter((l) => l !== undefined);
        expect(held).toHaveLength(1);
        expect(await a.releaseLease({ key: 'job', owner: 'owner-x' })).toBe(false);
        expect(await b.releaseLease(held[0]!)).toBe(true);
      });
    });
  });
}
