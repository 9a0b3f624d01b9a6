import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { AutonomaError, TransientError } from '../../src/core/errors.js';
import type { InboxAttempt, InboxHandler } from '../../src/core/ports/inbox.js';
import { createInboxProducer, startInboxWorker } from '../../src/jobs/inbox-queue.js';
import { memoryLogger, TEST_REDIS_URL, uniquePrefix } from '../helpers/test-env.js';

/** The inbox on a real Redis: one entry per delivery key, retries with backoff, and what is final. */
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
afterAll(async () => {
  await redis.quit();
});

interface Seen {
  payload: unknown;
  attempt: InboxAttempt;
}

async function harness(handle: (payload: unknown, attempt: InboxAttempt) => Promise<void>) {
  const prefix = uniquePrefix();
  const seen: Seen[] = [];
  const handler: InboxHandler = {
    name: 'test.echo',
    async handle(payload, attempt) {
      seen.push({ payload, attempt });
      await handle(payload, attempt);
    },
  };
  const producer = createInboxProducer({ connection: redis, prefix, attempts: 3, backoffMs: 20 });
  const worker = startInboxWorker({ connection: redis, prefix, handlers: [handler], logger });
  const settled = (key: string) =>
    new Promise<'completed' | 'failed'>((resolve) => {
      const check = async () => {
        const jobs = await producer.queue.getJobs(['completed', 'failed']);
        const job = jobs.find((j) => j.data.payload && (j.data.payload as { key?: string }).key === key);
        if (job) return resolve((await job.getState()) as 'completed' | 'failed');
        setTimeout(() => void check(), 20);
      };
      void check();
    });
  return {
    producer,
    seen,
    settled,
    async close() {
      await worker.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
    },
  };
}

describe('inbox queue', () => {
  it('accepts the same delivery key once, however often it is offered', async () => {
    const h = await harness(async () => undefined);
    try {
      await Promise.all(
        Array.from({ length: 5 }, () =>
          h.producer.accept({ handler: 'test.echo', key: 'slack:cmd:T1', payload: { key: 'a' } }),
        ),
      );
      await h.producer.accept({ handler: 'test.echo', key: 'slack:cmd:T2', payload: { key: 'b' } });
      expect(await h.settled('a')).toBe('completed');
      expect(await h.settled('b')).toBe('completed');
      expect(h.seen.map((s) => s.payload)).toEqual(expect.arrayContaining([{ key: 'a' }, { key: 'b' }]));
      expect(h.seen).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it('retries a transient failure, telling the handler which attempt is the last', async () => {
    const h = await harness(async (_payload, attempt) => {
      if (!attempt.final) throw new TransientError('Slack answered 503');
    });
    try {
      await h.producer.accept({ handler: 'test.echo', key: 'k-retry', payload: { key: 'retry' } });
      expect(await h.settled('retry')).toBe('completed');
      expect(h.seen.map((s) => s.attempt)).toEqual([
        { number: 1, final: false },
        { number: 2, final: false },
        { number: 3, final: true },
      ]);
    } finally {
      await h.close();
    }
  });

  it('fails at once on a non-retryable error, and on an entry no handler here knows', async () => {
    const h = await harness(async () => {
      throw new AutonomaError('invalid_input', 'malformed payload');
    });
    try {
      await h.producer.accept({ handler: 'test.echo', key: 'k-bad', payload: { key: 'bad' } });
      await h.producer.accept({ handler: 'test.nobody', key: 'k-orphan', payload: { key: 'orphan' } });
      expect(await h.settled('bad')).toBe('failed');
      expect(await h.settled('orphan')).toBe('failed');
      expect(h.seen).toHaveLength(1);
      const orphan = (await h.producer.queue.getJobs(['failed'])).find((j) => j.name === 'test.nobody');
      expect(orphan?.failedReason).toContain('No inbox handler "test.nobody"');
      expect(orphan?.attemptsMade).toBe(1);
    } finally {
      await h.close();
    }
  });

  it('refuses an oversized entry before it reaches Redis', async () => {
    const h = await harness(async () => undefined);
    try {
      await expect(
        h.producer.accept({ handler: 'test.echo', key: 'k-big', payload: { blob: 'x'.repeat(70_000) } }),
      ).rejects.toThrow('is over 65536');
      expect(await h.producer.queue.count()).toBe(0);
    } finally {
      await h.close();
    }
  });
});
