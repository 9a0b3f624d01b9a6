import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { InvalidInputError, TransientError } from '../../src/core/errors.js';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { requestCancellation } from '../../src/jobs/cancellation.js';
import { createGenerationProducer, generationJobId } from '../../src/jobs/generation-queue.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { startTestWorker } from '../helpers/test-worker.js';
import {
  ensureTestDatabase,
  memoryLogger,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');

beforeAll(async () => {
  await ensureTestDatabase();
});

afterAll(async () => {
  await redis.quit();
  await prisma.$disconnect();
});

/** A queue, worker and bus under a random prefix, processing with the given runner. */
async function harness(runner: GenerationRunner, attempts = 3) {
  const prefix = uniquePrefix();
  const producer = createGenerationProducer({ connection: redis, prefix, attempts, backoffMs: 100 });
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  const {
    worker,
    cancellations,
    close: stopWorker,
  } = await startTestWorker({
    store,
    bus,
    redis,
    namespace: prefix,
    runner,
    logger,
  });
  return {
    prefix,
    producer,
    bus,
    worker,
    cancellations,
    async close() {
      await stopWorker();
      await bus.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
    },
  };
}

async function waitForStatus(id: string, statuses: string[], timeoutMs = 20000, pollMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await store.getRequest(id);
    if (request && statuses.includes(request.status)) return request;
    if (Date.now() > deadline)
      throw new Error(`request ${id} still ${request?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

describe('generation requests in Postgres', () => {
  it('persists a request with its thread reference and returns the same row for the same idempotency key', async () => {
    const input = requestInput({
      source: 'slack',
      thread: { platform: 'slack', teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' },
      requester: { platform: 'slack', externalId: 'U1', displayName: 'Ada' },
      installation: { platform: 'slack', externalId: 'T1' },
    });
    const first = await store.createRequest(input);
    const second = await store.createRequest(input);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.request.id).toBe(first.request.id);
    const stored = await store.getRequest(first.request.id);
    expect(stored).toMatchObject({ status: 'queued', prompt: 'a todo app with tags', source: 'slack' });
    expect(stored?.thread).toEqual({
      platform: 'slack',
      teamId: 'T1',
      channelId: 'C1',
      threadTs: '1700000000.000100',
    });
  });

  it('keeps one row when the same event arrives concurrently', async () => {
    const input = requestInput();
    const results = await Promise.all(Array.from({ length: 5 }, () => store.createRequest(input)));
    expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('stores the first requests of a new workspace and user, arriving at once, without a conflict', async () => {
    // Each store remembers ids it has seen, so fresh stores model fresh worker processes.
    const team = `T-${randomUUID()}`;
    const user = `U-${randomUUID()}`;
    const stores = Array.from({ length: 8 }, () => createPrismaJobStore(prisma));
    const results = await Promise.all(
      stores.map((s, i) =>
        s.createRequest(
          requestInput({
            source: 'slack',
            thread: { platform: 'slack', teamId: team, channelId: 'C1', threadTs: `1700000000.00010${i}` },
            requester: { platform: 'slack', externalId: user, displayName: i % 2 ? 'Ada' : undefined },
            installation: { platform: 'slack', externalId: team, displayName: 'Acme' },
          }),
        ),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    const rows = await prisma.generationRequest.findMany({
      where: { id: { in: results.map((r) => r.request.id) } },
      select: { requesterId: true, installationId: true },
    });
    expect(new Set(rows.map((r) => r.requesterId)).size).toBe(1);
    expect(new Set(rows.map((r) => r.installationId)).size).toBe(1);
    expect(await prisma.installation.count({ where: { platform: 'slack', externalId: team } })).toBe(1);
    const identity = await prisma.platformIdentity.findMany({
      where: { platform: 'slack', externalId: user },
    });
    expect(identity).toHaveLength(1);
    expect(identity[0]?.displayName).toBe('Ada');
  });

  it('lets a cancel and a worker picking the request up race without both winning', async () => {
    const cancelledFirst = (await store.createRequest(requestInput())).request;
    expect(await store.cancelIfQueued(cancelledFirst.id, 'Cancelled before it started.')).toBe(true);
    expect(await store.markRunning(cancelledFirst.id)).toBeNull();
    expect((await store.getRequest(cancelledFirst.id))?.status).toBe('cancelled');

    const pickedUpFirst = (await store.createRequest(requestInput())).request;
    expect((await store.markRunning(pickedUpFirst.id))?.status).toBe('running');
    expect(await store.cancelIfQueued(pickedUpFirst.id, 'Cancelled before it started.')).toBe(false);
    expect((await store.getRequest(pickedUpFirst.id))?.status).toBe('running');
  });
});

describe('generation queue and worker', () => {
  it('yields one job for the same idempotency key enqueued twice, and stores the result', async () => {
    let runs = 0;
    const h = await harness({
      run: async (request, { progress }) => {
        runs += 1;
        await progress.stage('requirements', 'completed', 'done');
        return fakeResult(request);
      },
    });
    try {
      const { request } = await store.createRequest(requestInput());
      const events: ProgressEvent[] = [];
      const unsubscribe = await h.bus.subscribe(request.id, (e) => events.push(e));
      const a = await h.producer.enqueue(request.id, request.idempotencyKey);
      const b = await h.producer.enqueue(request.id, request.idempotencyKey);
      expect(a.jobId).toBe(generationJobId(request.idempotencyKey));
      expect(b.jobId).toBe(a.jobId);
      const done = await waitForStatus(request.id, ['succeeded']);
      expect(done.result).toMatchObject({ appName: 'Todo', entities: ['Task', 'Tag'] });
      expect(runs).toBe(1);
      // The request is marked succeeded just before BullMQ records the job as completed.
      let counts = await h.producer.queue.getJobCounts('completed', 'waiting', 'active');
      for (let i = 0; i < 100 && counts.completed === 0; i += 1) {
        await new Promise((r) => setTimeout(r, 20));
        counts = await h.producer.queue.getJobCounts('completed', 'waiting', 'active');
      }
      expect(counts).toEqual({ completed: 1, waiting: 0, active: 0 });
      await new Promise((r) => setTimeout(r, 200));
      expect(events.map((e) => e.type)).toContain('finished');
      expect(events.find((e) => e.type === 'finished')).toMatchObject({ status: 'succeeded', percent: 100 });
      expect((await h.bus.replay(request.id)).length).toBeGreaterThanOrEqual(3);
      await unsubscribe();
    } finally {
      await h.close();
    }
  });

  it('fails a job at once on a non-retryable error and stores its message', async () => {
    let runs = 0;
    const h = await harness({
      run: async () => {
        runs += 1;
        throw new InvalidInputError('The prompt names no app to build.');
      },
    });
    try {
      const { request } = await store.createRequest(requestInput());
      await h.producer.enqueue(request.id, request.idempotencyKey);
      const failed = await waitForStatus(request.id, ['failed']);
      expect(failed.errorCode).toBe('invalid_input');
      expect(failed.errorMessage).toBe('The prompt names no app to build.');
      await new Promise((r) => setTimeout(r, 500));
      expect(runs).toBe(1);
      const job = await h.producer.queue.getJob(generationJobId(request.idempotencyKey));
      expect(job?.attemptsMade).toBe(1);
      expect(await job?.getState()).toBe('failed');
    } finally {
      await h.close();
    }
  });

  it('retries transient errors with backoff, then succeeds', async () => {
    let runs = 0;
    const h = await harness({
      run: async (request) => {
        runs += 1;
        if (runs < 3) throw new TransientError('GitHub answered 502');
        return fakeResult(request);
      },
    });
    try {
      const { request } = await store.createRequest(requestInput());
      await h.producer.enqueue(request.id, request.idempotencyKey);
      const done = await waitForStatus(request.id, ['succeeded']);
      expect(runs).toBe(3);
      expect(done.attempts).toBe(3);
    } finally {
      await h.close();
    }
  });

  it('cancels a running job from another connection', async () => {
    const h = await harness({
      run: (_request, { signal }) =>
        new Promise((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    });
    try {
      const { request } = await store.createRequest(requestInput());
      await h.producer.enqueue(request.id, request.idempotencyKey);
      // No pause: a cancel sent the moment the job shows as running must reach its worker.
      await waitForStatus(request.id, ['running'], 20_000, 5);
      await requestCancellation(redis, request.id, h.prefix);
      const cancelled = await waitForStatus(request.id, ['cancelled']);
      expect(cancelled.errorMessage).toBe('Cancelled at your request.');
    } finally {
      await h.close();
    }
  });

  it('on shutdown, past the grace period, releases the running job so it is retried rather than lost', async () => {
    let runs = 0;
    const h = await harness({
      run: (request, { signal }) =>
        new Promise((resolve, reject) => {
          runs += 1;
          if (runs > 1) return resolve(fakeResult(request));
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    });
    try {
      const { request } = await store.createRequest(requestInput());
      await h.producer.enqueue(request.id, request.idempotencyKey);
      await waitForStatus(request.id, ['running']);
      const started = Date.now();
      await h.worker.close({
        graceMs: 300,
        onGraceExpired: () =>
          h.cancellations.abortAll(new TransientError('The worker shut down; the job will be retried.')),
      });
      expect(Date.now() - started).toBeLessThan(5_000);
      const job = await h.producer.queue.getJob(generationJobId(request.idempotencyKey));
      expect(await job?.getState()).toMatch(/delayed|waiting/);
      expect((await store.getRequest(request.id))?.status).toBe('running');
    } finally {
      await h.close();
    }
  });
});
