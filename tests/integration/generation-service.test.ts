import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import { InvalidInputError } from '../../src/core/errors.js';
import type { ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { createProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { fakeResult } from '../helpers/job-fixtures.js';
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
const closers: Array<() => Promise<void>> = [];

beforeAll(() => ensureTestDatabase());
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await redis.quit();
  await prisma.$disconnect();
});

/** Service + worker + fan-out on a private namespace; the runner decides what a job does. */
async function setUp(runner: GenerationRunner, adapters: ChatAdapter[] = []) {
  const namespace = uniquePrefix();
  const producer = createGenerationProducer({
    connection: redis,
    prefix: namespace,
    attempts: 2,
    backoffMs: 50,
  });
  const bus = createRedisProgressBus({ publisher: redis, namespace });
  const service = createGenerationService({ store, producer, bus, redis, namespace });
  const worker = await startTestWorker({ store, bus, redis, namespace, runner, logger });
  const state = createRedisStateStore({ client: redis, prefix: namespace });
  const fanOut = createProgressFanOut({ bus, store, state, adapters, logger });
  await fanOut.start();
  closers.push(async () => {
    await fanOut.stop();
    await worker.close();
    await bus.close();
    await producer.queue.obliterate({ force: true });
    await producer.close();
  });
  return { service, fanOut, producer, bus, namespace };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const slackThread = (ts: string) => ({
  platform: 'slack' as const,
  teamId: 'T1',
  channelId: 'C1',
  threadTs: ts,
  statusMessageTs: ts,
});

describe('generation service', () => {
  it('refuses bad input with a message for the user, storing nothing', async () => {
    const { service } = await setUp({ run: async (r) => fakeResult(r) });
    await expect(
      service.submit({
        prompt: 'x'.repeat(5000),
        source: 'slack',
        thread: slackThread('1.1'),
        idempotencyKey: 'slack:toolong',
      }),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      service.submit({
        prompt: 'x'.repeat(5000),
        source: 'slack',
        thread: slackThread('1.1'),
        idempotencyKey: 'slack:toolong',
      }),
    ).rejects.toThrow('Keep the description under 4000 characters.');
    expect(await store.findRequestByThread({ platform: 'slack', threadTs: '1.1' })).toBeNull();
  });

  it('submits once per idempotency key, finds the request by its thread, and delivers progress to the adapter in order', async () => {
    const received: Array<{ request: GenerationRequest; event: ProgressEvent }> = [];
    const adapter: ChatAdapter = {
      platform: 'slack',
      replyProgress: async (request, event) => {
        received.push({ request, event });
      },
    };
    const { service, fanOut } = await setUp(
      {
        run: async (r, { progress }) => {
          await progress.stage('requirements', 'started', 'reading');
          await progress.stage('requirements', 'completed', 'understood');
          return fakeResult(r);
        },
      },
      [adapter],
    );
    const ts = `${Date.now()}.0001`;
    const input = {
      prompt: 'a todo app with tags',
      source: 'slack' as const,
      thread: slackThread(ts),
      idempotencyKey: `slack:${ts}`,
    };
    const [first, second] = await Promise.all([service.submit(input), service.submit(input)]);
    expect(first.request.id).toBe(second.request.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const found = await service.findByThread({ platform: 'slack', channelId: 'C1', threadTs: ts });
    expect(found?.id).toBe(first.request.id);

    await until(async () => (received.some((r) => r.event.type === 'finished') ? true : undefined));
    await fanOut.idle();
    const types = received.map((r) =>
      r.event.type === 'stage' ? `${r.event.stage}:${r.event.state}` : r.event.type,
    );
    expect(types).toEqual(['queued:completed', 'requirements:started', 'requirements:completed', 'finished']);
    expect(received.every((r) => r.request.id === first.request.id)).toBe(true);
  });

  it('cancels a queued request at once and a running one through its worker; retries a cancelled one', async () => {
    let runs = 0;
    const { service } = await setUp({
      run: (r, { signal }) =>
        new Promise((resolve, reject) => {
          runs += 1;
          if (runs > 1) return resolve(fakeResult(r));
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    });
    const { request } = await service.submit({
      prompt: 'a crm with contacts',
      source: 'cli',
      thread: { platform: 'cli' },
      idempotencyKey: `cli:${uniquePrefix()}`,
    });
    await until(async () => ((await service.get(request.id))?.status === 'running' ? true : undefined));
    expect(await service.cancel(request.id)).toBe('cancelling');
    await until(async () => ((await service.get(request.id))?.status === 'cancelled' ? true : undefined));
    expect(await service.cancel(request.id)).toBe('already_finished');

    const retried = await service.retry(request.id);
    expect(retried.status).toBe('queued');
    await until(async () => ((await service.get(request.id))?.status === 'succeeded' ? true : undefined));
    await expect(service.retry(request.id)).rejects.toThrow(
      'only failed or cancelled requests can be retried',
    );
    expect(await service.cancel('00000000-0000-4000-8000-00000000dead')).toBe('not_found');
  });
  it("hands a running job's replies to a restarted server from its next event", async () => {
    let release = () => undefined as void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const describeEvent = (e: ProgressEvent) => (e.type === 'stage' ? `${e.stage}:${e.state}` : e.type);
    const listener = (into: string[]): ChatAdapter => ({
      platform: 'slack',
      replyProgress: async (_request, event) => void into.push(describeEvent(event)),
    });
    const before: string[] = [];
    const after: string[] = [];
    const { service, fanOut, bus, namespace } = await setUp(
      {
        run: async (r, { progress }) => {
          await progress.stage('requirements', 'started', 'reading');
          await gate;
          await progress.stage('requirements', 'completed', 'understood');
          return fakeResult(r);
        },
      },
      [listener(before)],
    );
    const ts = `${Date.now()}.0002`;
    const { request } = await service.submit({
      prompt: 'a todo app with tags',
      source: 'slack',
      thread: slackThread(ts),
      idempotencyKey: `slack:${ts}`,
    });
    await until(async () => (before.includes('requirements:started') ? true : undefined));

    // The server stops mid-job and another process takes its place, with nothing in memory.
    await fanOut.stop();
    const restarted = createProgressFanOut({
      bus,
      store,
      state: createRedisStateStore({ client: redis, prefix: namespace }),
      adapters: [listener(after)],
      logger,
    });
    await restarted.start();
    release();

    // Without the lease handed back, the restarted server would stay silent for the lease's 120 s.
    await until(async () => (after.includes('finished') ? true : undefined), 10_000);
    await restarted.idle();
    expect(before).toEqual(['queued:completed', 'requirements:started']);
    expect(after).toEqual(['requirements:completed', 'finished']);
    // The restarted server holds the job now, and hands it back when it stops in turn.
    const lease = `${namespace}:replier:${request.id}`;
    expect(await redis.exists(lease)).toBe(1);
    await restarted.stop();
    expect(await redis.exists(lease)).toBe(0);
  });
});

describe('progress events', () => {
  it('bound long texts instead of dropping the event, so the final update always reaches chat', async () => {
    const received: ProgressEvent[] = [];
    const adapter: ChatAdapter = {
      platform: 'cli',
      replyProgress: async (_request, event) => {
        received.push(event);
      },
    };
    const { service, fanOut } = await setUp(
      {
        run: async (r, { progress }) => {
          await progress.milestone('review', 'm'.repeat(9000));
          return fakeResult(r, { reviewSummary: 's'.repeat(15000) });
        },
      },
      [adapter],
    );
    const { request } = await service.submit({
      prompt: 'a long summary app',
      source: 'cli',
      thread: { platform: 'cli' },
      idempotencyKey: `cli:${uniquePrefix()}`,
    });
    const finished = await until(async () => received.find((e) => e.type === 'finished'));
    await fanOut.idle();
    expect(finished.message).toHaveLength(8000);
    expect(finished.message.endsWith('…')).toBe(true);
    expect(received.find((e) => e.type === 'milestone')?.message).toHaveLength(4000);
    expect((await service.get(request.id))?.result?.reviewSummary).toHaveLength(15000);
  });
});
