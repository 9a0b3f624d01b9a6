import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import { CancelledError } from '../../src/core/errors.js';
import type { ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createCancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { createGenerationProducer, type GenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { startGenerationWorker } from '../../src/jobs/generation-worker.js';
import { createProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { createJobProbe } from '../../src/jobs/sweeper/job-probe.js';
import { createPrismaRecoveryStore, type RecoveryStore } from '../../src/jobs/sweeper/recovery-store.js';
import {
  createSweeper,
  WORKER_LOST_CODE,
  WORKER_LOST_MESSAGE,
  type Sweeper,
} from '../../src/jobs/sweeper/sweeper.js';
import {
  createInboxProducer,
  inboxJobId,
  startInboxWorker,
  type InboxProducer,
} from '../../src/jobs/inbox-queue.js';
import { createPrismaInboxLedger, withInboxLedger, type InboxLedger } from '../../src/jobs/recovery-inbox.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import {
  ensureTestDatabase,
  memoryLogger,
  REPO_ROOT,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const { logger } = memoryLogger('silent');

beforeAll(() => ensureTestDatabase());
afterAll(() => prisma.$disconnect());

/**
 * The real Prisma recovery store, seeing only this test's requests: the test database holds other
 * tests' rows, whose jobs live under other queue prefixes.
 */
function onlyThese(ids: Set<string>): RecoveryStore {
  const real = createPrismaRecoveryStore(prisma);
  return {
    async listCandidates(options) {
      return (await real.listCandidates(options)).filter((row) => ids.has(row.id));
    },
    failIfStillRunning: (...args) => real.failIfStillRunning(...args),
  };
}

function sweeperFor(
  redis: Redis,
  prefix: string,
  producer: GenerationProducer,
  ids: Set<string>,
  stallMs = 1000,
  inbox?: { ledger: InboxLedger; producer: InboxProducer },
): Sweeper {
  return createSweeper({
    ...(inbox ? { inbox } : {}),
    recovery: onlyThese(ids),
    store,
    bus: createRedisProgressBus({ publisher: redis, namespace: prefix }),
    probe: createJobProbe(redis, prefix),
    producer,
    state: createRedisStateStore({ client: redis, prefix }),
    logger,
    options: { intervalMs: 1000, stallMs, batch: 50, graceMs: 0, maxAgeMs: 10 * 60_000 },
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('recovery sweeper', () => {
  let privateRedis: PrivateRedis;
  beforeAll(async () => {
    privateRedis = await startPrivateRedis();
  });
  afterAll(() => privateRedis.stop());

  it('queues a request again after Redis lost its data, and the request completes exactly once', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    redis.on('error', () => undefined);
    workerConnection.on('error', () => undefined);
    const producer = createGenerationProducer({ connection: redis, prefix, attempts: 3 });
    producer.queue.on('error', () => undefined);
    const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
    const service = createGenerationService({ store, producer, bus, redis, namespace: prefix });
    const probe = createJobProbe(redis, prefix);
    const cancellations = createCancellationRegistry({
      connection: redis,
      namespace: prefix,
      makeReason: () => new CancelledError(),
    });
    const runs: string[] = [];
    try {
      const { request } = await service.submit(requestInput());
      const firstJob = (await producer.queue.getJobs(['waiting']))[0]?.id ?? '';
      expect(await probe.condition('generation', firstJob)).toBe('pending');

      await privateRedis.restart(); // nothing on disk: the queue and its job are gone
      expect(await probe.condition('generation', firstJob)).toBe('missing');
      expect((await store.getRequest(request.id))?.status).toBe('queued');

      const sweeper = sweeperFor(redis, prefix, producer, new Set([request.id]));
      expect((await sweeper.sweepOnce())?.requeued).toEqual([request.id]);
      // The job is back under the same id; another sweep finds it and adds nothing.
      expect(await probe.condition('generation', firstJob)).toBe('pending');
      expect((await sweeper.sweepOnce())?.requeued).toEqual([]);

      await cancellations.start();
      const worker = startGenerationWorker({
        connection: workerConnection,
        prefix,
        concurrency: 1,
        logger,
        processor: createGenerationProcessor({
          store,
          bus,
          cancellations,
          logger,
          runner: {
            run: async (r: GenerationRequest) => {
              runs.push(r.id);
              return fakeResult(r);
            },
          },
        }),
      });
      try {
        const done = await until(
          () => store.getRequest(request.id),
          (r) => r?.status === 'succeeded',
          20_000,
        );
        expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
        // Finished jobs are kept: later sweeps leave the request alone.
        expect(await sweeper.sweepOnce()).toEqual({
          examined: 0,
          requeued: [],
          failed: [],
          watching: 0,
          inboxRequeued: [],
        });
      } finally {
        await worker.close({ graceMs: 2000 });
      }
      expect(runs).toEqual([request.id]);
      expect(await producer.queue.getJobCounts('waiting', 'active', 'delayed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
      });
      await sweeper.stop();
    } finally {
      await cancellations.close();
      await producer.queue.obliterate({ force: true }).catch(() => undefined);
      await producer.close();
      await bus.close();
      await Promise.all([redis.quit(), workerConnection.quit()]);
    }
  });

  it('queues an accepted chat delivery again after Redis lost it; it is handled once, then forgotten', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    const real = createPrismaInboxLedger(prisma);
    const key = `test:${randomUUID()}`;
    // The real ledger, seeing only this test's delivery (other tests' entries share the database).
    const ledger: InboxLedger = {
      record: (entry) => real.record(entry),
      forget: (k) => real.forget(k),
      pending: async (before, limit) =>
        (await real.pending(before, limit)).filter((entry) => entry.key === key),
    };
    const plain = createInboxProducer({ connection: redis, prefix });
    const inbox = withInboxLedger(plain, ledger);
    const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1 });
    const handled: unknown[] = [];
    let worker: ReturnType<typeof startInboxWorker> | undefined;
    const sweeper = sweeperFor(redis, prefix, producer, new Set(), 1000, { ledger, producer: inbox });
    try {
      await inbox.accept({ handler: 'build', key, payload: { text: 'a todo app' } });
      await privateRedis.restart();
      expect((await sweeper.sweepOnce())?.inboxRequeued).toEqual([key]);
      expect((await sweeper.sweepOnce())?.inboxRequeued).toEqual([]); // its job is back

      worker = startInboxWorker({
        connection: workerConnection,
        prefix,
        logger,
        handlers: [{ name: 'build', handle: async (payload) => void handled.push(payload) }],
      });
      const probe = createJobProbe(redis, prefix);
      expect(
        await until(
          () => probe.condition('inbox', inboxJobId(key)),
          (c) => c === 'completed',
          15_000,
        ),
      ).toBe('completed');
      expect(await sweeper.sweepOnce()).toMatchObject({ inboxRequeued: [] });
      expect(await prisma.pendingInboxEntry.count({ where: { key } })).toBe(0);
      expect(handled).toEqual([{ text: 'a todo app' }]);
    } finally {
      await sweeper.stop();
      await worker?.close();
      await real.forget(key);
      await plain.queue.obliterate({ force: true }).catch(() => undefined);
      await inbox.close();
      await producer.close();
      await Promise.all([redis.quit(), workerConnection.quit()]);
    }
  });

  it('fails a running request whose job ended without recording it (its markFailed lost to an outage)', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(privateRedis.url, { maxRetriesPerRequest: null });
    const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1 });
    const { request } = await store.createRequest(requestInput());
    const { jobId } = await producer.enqueue(request.id, request.idempotencyKey);
    // The worker marked it running, then every write of the failure was lost: the job failed in
    // BullMQ while Postgres still says running.
    const worker = startGenerationWorker({
      connection: workerConnection,
      prefix,
      concurrency: 1,
      logger,
      processor: async (job) => {
        await store.markRunning(job.data.requestId);
        throw new UnrecoverableError('The database is unavailable (markFailed).');
      },
    });
    const probe = createJobProbe(redis, prefix);
    const sweeper = sweeperFor(redis, prefix, producer, new Set([request.id]));
    try {
      expect(
        await until(
          () => probe.condition('generation', jobId),
          (c) => c === 'failed',
          15_000,
        ),
      ).toBe('failed');
      expect((await store.getRequest(request.id))?.status).toBe('running');
      expect((await sweeper.sweepOnce())?.failed).toEqual([request.id]);
      expect(await store.getRequest(request.id)).toMatchObject({
        status: 'failed',
        errorCode: WORKER_LOST_CODE,
      });
    } finally {
      await sweeper.stop();
      await worker.close({ graceMs: 2000 });
      await producer.queue.obliterate({ force: true });
      await producer.close();
      await Promise.all([redis.quit(), workerConnection.quit()]);
    }
  });

  it('fails the request of a SIGKILLed worker past the stall limit, tells its thread, and leaves no row running', async () => {
    const prefix = uniquePrefix();
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const producer = createGenerationProducer({ connection: redis, prefix, attempts: 3 });
    const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
    const replies: ProgressEvent[] = [];
    const thread: ChatAdapter = {
      platform: 'cli',
      replyProgress: async (_request, event) => {
        replies.push(event);
      },
    };
    const fanOut = createProgressFanOut({
      bus,
      store,
      state: createRedisStateStore({ client: redis, prefix }),
      adapters: [thread],
      logger,
    });
    await fanOut.start();
    const { request } = await store.createRequest(requestInput());
    const { jobId } = await producer.enqueue(request.id, request.idempotencyKey);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'tests/helpers/worker-child.ts'), prefix, '2000'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const sweeper = sweeperFor(redis, prefix, producer, new Set([request.id]));
    try {
      const picked = await until(
        () => store.getRequest(request.id),
        (r) => r?.status === 'running',
        45_000,
      );
      expect(picked?.status).toBe('running');
      // Its worker is alive and holds the lock: nothing to do.
      expect((await sweeper.sweepOnce())?.failed).toEqual([]);
      child.kill('SIGKILL');
      await exited;

      // No other worker runs a stall check here: the job stays active, unlocked once its lock lapses.
      let failed: string[] = [];
      const deadline = Date.now() + 25_000;
      while (failed.length === 0 && Date.now() < deadline) {
        failed = (await sweeper.sweepOnce())?.failed ?? [];
        if (failed.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(failed).toEqual([request.id]);
      expect(await store.getRequest(request.id)).toMatchObject({
        status: 'failed',
        errorCode: WORKER_LOST_CODE,
        errorMessage: WORKER_LOST_MESSAGE,
      });
      await until(
        async () => replies.length,
        () => replies.some((e) => e.type === 'finished'),
        5000,
      );
      expect(replies.filter((e) => e.type === 'finished')).toEqual([
        expect.objectContaining({
          status: 'failed',
          message: WORKER_LOST_MESSAGE,
          errorCode: WORKER_LOST_CODE,
        }),
      ]);
      // The abandoned job is gone, so no stall check resurrects what the thread was told had failed.
      expect(await createJobProbe(redis, prefix).condition('generation', jobId)).toBe('missing');
      expect((await sweeper.sweepOnce())?.failed).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await sweeper.stop();
      await fanOut.stop();
      await producer.queue.obliterate({ force: true });
      await producer.close();
      await bus.close();
      await redis.quit();
    }
  });
});
