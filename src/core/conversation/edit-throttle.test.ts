import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createEditThrottle, type EditThrottleOptions } from './edit-throttle.js';

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('rate limited');
  }
}

interface Sent {
  key: string;
  state: number;
  final: boolean;
  at: number;
}

function setup(overrides: Partial<EditThrottleOptions<number>> = {}) {
  const sent: Sent[] = [];
  const errors: unknown[] = [];
  const throttle = createEditThrottle<number>({
    intervalMs: 1000,
    send: async (key, state, final) => {
      sent.push({ key, state, final, at: Date.now() });
    },
    retryAfterMs: (error) => (error instanceof RateLimited ? error.retryAfterMs : undefined),
    onError: (_key, error) => errors.push(error),
    ...overrides,
  });
  return { throttle, sent, errors };
}

beforeEach(() => {
  jest.useFakeTimers({ now: 0 });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('edit throttle', () => {
  it('sends the first update at once, then coalesces a burst into one edit with the latest state', async () => {
    const { throttle, sent } = setup();
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    for (let state = 2; state <= 6; state++) {
      throttle.update('r', state);
      await jest.advanceTimersByTimeAsync(100);
    }
    expect(sent.map((s) => s.state)).toEqual([1]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([
      { key: 'r', state: 1, final: false, at: 0 },
      { key: 'r', state: 6, final: false, at: 1000 },
    ]);
  });

  it('throttles each request on its own', async () => {
    const { throttle, sent } = setup();
    throttle.update('a', 1);
    throttle.update('b', 1);
    throttle.update('a', 2);
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => `${s.key}${s.state}`)).toEqual(['a2', 'b1']);
  });

  it('sends the final edit after the interval, never dropping it, and forgets the key', async () => {
    const { throttle, sent } = setup();
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    throttle.update('r', 2);
    const done = throttle.final('r', 3);
    await jest.advanceTimersByTimeAsync(999);
    expect(sent.map((s) => s.state)).toEqual([1]);
    await jest.advanceTimersByTimeAsync(1);
    await done;
    expect(sent.at(-1)).toEqual({ key: 'r', state: 3, final: true, at: 1000 });
    // The scheduled edit of state 2 was replaced by the final one, not sent after it.
    await jest.advanceTimersByTimeAsync(5000);
    expect(sent.map((s) => s.state)).toEqual([1, 3]);
    throttle.update('r', 4); // a new life for the key: no interval left to wait
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toMatchObject({ state: 4, at: 6000 });
  });

  it('keeps edits and other work of one request strictly in order', async () => {
    const order: string[] = [];
    const { throttle } = setup({
      send: async (_key, state) => {
        await new Promise((resolve) => setTimeout(resolve, 300)); // a slow edit
        order.push(`edit ${state}`);
      },
    });
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    const reply = throttle.run('r', async () => {
      order.push('reply');
      return 'posted';
    });
    const final = throttle.final('r', 2);
    const after = throttle.run('r', async () => order.push('closing reply'));
    await jest.advanceTimersByTimeAsync(3000);
    await expect(reply).resolves.toBe('posted');
    await final;
    await after;
    expect(order).toEqual(['edit 1', 'reply', 'edit 2', 'closing reply']);
  });

  it('lets a failed piece of work reject its caller without stopping the order', async () => {
    const { throttle } = setup();
    const failed = throttle.run('r', async () => {
      throw new Error('boom');
    });
    const next = throttle.run('r', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });

  it('pushes the next edit back by Retry-After, then sends the latest state', async () => {
    let refuse = true;
    const sent: Array<{ state: number; at: number }> = [];
    const { throttle } = setup({
      send: async (_key, state) => {
        if (refuse) {
          refuse = false;
          throw new RateLimited(5000);
        }
        sent.push({ state, at: Date.now() });
      },
    });
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    throttle.update('r', 2);
    await jest.advanceTimersByTimeAsync(4999);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ state: 2, at: 5000 }]);
  });

  it('retries a refused final edit until it goes through, within the retry budget', async () => {
    let refusals = 2;
    const { throttle, sent } = setup({
      send: async (key, state, final) => {
        if (refusals-- > 0) throw new RateLimited(2000);
        sent.push({ key, state, final, at: Date.now() });
      },
    });
    const done = throttle.final('r', 9);
    await jest.advanceTimersByTimeAsync(4000);
    await done;
    expect(sent).toEqual([{ key: 'r', state: 9, final: true, at: 4000 }]);

    const { throttle: stubborn, errors } = setup({
      maxRetries: 1,
      send: async () => {
        throw new RateLimited(10);
      },
    });
    const gaveUp = stubborn.final('r', 1);
    await jest.advanceTimersByTimeAsync(100);
    await gaveUp;
    expect(errors).toHaveLength(1);
  });

  it('reports other errors and lets the next update try again', async () => {
    let fail = true;
    const { throttle, sent, errors } = setup({
      send: async (key, state, final) => {
        if (fail) {
          fail = false;
          throw new Error('network down');
        }
        sent.push({ key, state, final, at: Date.now() });
      },
    });
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    expect(errors).toEqual([new Error('network down')]);
    throttle.update('r', 2);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.state)).toEqual([2]);
  });

  it('counts an edit made elsewhere toward the interval', async () => {
    const { throttle, sent } = setup();
    throttle.markSent('r');
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(999);
    expect(sent).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.state)).toEqual([1]);
  });

  it('waits in idle() for work queued behind the final edit, then forgets the key', async () => {
    const { throttle, sent } = setup();
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    let closingReply = false;
    const final = throttle.final('r', 2);
    void throttle.run('r', async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      closingReply = true;
    });
    let idle = false;
    void throttle.idle().then(() => (idle = true));
    await jest.advanceTimersByTimeAsync(1100);
    await final;
    expect(sent.map((s) => s.state)).toEqual([1, 2]);
    expect(closingReply).toBe(false);
    expect(idle).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    expect(closingReply).toBe(true);
    expect(idle).toBe(true);
    throttle.update('r', 3); // forgotten: a new life starts with no interval to wait
    await jest.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toMatchObject({ state: 3, final: false, at: 1300 });
  });

  it('idle() waits for scheduled edits; close() sends what is pending and forgets everything', async () => {
    const { throttle, sent } = setup();
    throttle.update('r', 1);
    await jest.advanceTimersByTimeAsync(0);
    throttle.update('r', 2);
    let idle = false;
    void throttle.idle().then(() => (idle = true));
    await jest.advanceTimersByTimeAsync(500);
    expect(idle).toBe(false);
    await jest.advanceTimersByTimeAsync(600);
    expect(idle).toBe(true);
    expect(sent.map((s) => s.state)).toEqual([1, 2]);

    throttle.update('r', 3);
    const closed = throttle.close();
    await jest.advanceTimersByTimeAsync(1000);
    await closed;
    expect(sent.at(-1)).toMatchObject({ state: 3, final: true });
    await jest.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(3);
  });
});
