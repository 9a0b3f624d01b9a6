import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { GenerationRequest, GenerationRequestInput } from '../../src/core/domain/request.js';
import { CancelledError, InvalidInputError, QuotaExceededError } from '../../src/core/errors.js';
import type { QuotaLimits } from '../../src/core/ports/quota-store.js';
import { createPrismaClient, type PrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { createPrismaQuotaStore } from '../../src/jobs/quotas/index.js';
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

const UNLIMITED: QuotaLimits = {
  userBuildsPerHour: 0,
  userConcurrent: 0,
  workspaceBuildsPerHour: 0,
  workspaceConcurrent: 0,
};

// Two clients, two connection pools: as two servers sharing one Postgres.
const prismas = [createPrismaClient(TEST_DATABASE_URL), createPrismaClient(TEST_DATABASE_URL)];
const prisma = prismas[0]!;
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
const closers: Array<() => Promise<void>> = [];
const KEY_PREFIX = `quota-test:${randomUUID().slice(0, 8)}`;

beforeAll(() => ensureTestDatabase());
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await prisma.$executeRaw`DELETE FROM quota_reservations WHERE key LIKE ${`${KEY_PREFIX}%`} OR user_key LIKE ${'slack:U-q-%'}`;
  await prisma.$executeRaw`DELETE FROM quota_refusals WHERE idempotency_key LIKE ${`${KEY_PREFIX}%`} OR user_key LIKE ${'slack:U-q-%'}`;
  await prisma.generationRequest.deleteMany({ where: { idempotencyKey: { startsWith: KEY_PREFIX } } });
  await redis.quit();
  await Promise.all(prismas.map((p) => p.$disconnect()));
});

/** A runner whose jobs wait until the test lets each one succeed or fail (or it is cancelled). */
function gatedRunner() {
  const gates = new Map<
    string,
    { open: (outcome: 'succeed' | 'fail') => void; opened: Promise<'succeed' | 'fail'> }
  >();
  const gate = (id: string) => {
    let entry = gates.get(id);
    if (!entry) {
      let open!: (outcome: 'succeed' | 'fail') => void;
      const opened = new Promise<'succeed' | 'fail'>((resolve) => (open = resolve));
      entry = { open, opened };
      gates.set(id, entry);
    }
    return entry;
  };
  return {
    open: (id: string, outcome: 'succeed' | 'fail') => gate(id).open(outcome),
    runner: {
      async run(request: GenerationRequest, { signal }: { signal: AbortSignal }) {
        const aborted = new Promise<never>((_, reject) => {
          signal.addEventListener('abort', () => reject(new CancelledError()), { once: true });
        });
        // Each run waits on a gate of its own: a retried job waits again.
        const outcome = await Promise.race([gate(request.id).opened, aborted]).finally(() =>
          gates.delete(request.id),
        );
        if (outcome === 'fail') throw new InvalidInputError('This app cannot be built as described.');
        return fakeResult(request);
      },
    },
  };
}

/** Services over a private queue namespace, one per Prisma client; a worker when a runner is given. */
async function setUp(limits: Partial<QuotaLimits>, runner?: ReturnType<typeof gatedRunner>['runner']) {
  const namespace = uniquePrefix();
  const producer = createGenerationProducer({ connection: redis, prefix: namespace, attempts: 1 });
  const bus = createRedisProgressBus({ publisher: redis, namespace });
  const services = prismas.map((client: PrismaClient) =>
    createGenerationService({
      store: createPrismaJobStore(client),
      producer,
      bus,
      redis,
      namespace,
      quotas: createPrismaQuotaStore(client, { limits: { ...UNLIMITED, ...limits }, logger }),
    }),
  );
  const store = createPrismaJobStore(prisma);
  const worker = runner
    ? await startTestWorker({ store, bus, redis, namespace, runner, logger, concurrency: 4 })
    : undefined;
  closers.push(async () => {
    await worker?.close();
    await bus.close();
    await producer.queue.obliterate({ force: true });
    await producer.close();
  });
  return { services, service: services[0]!, producer, store };
}

function slackBuild(
  user: string,
  team: string,
  overrides: Partial<GenerationRequestInput> = {},
): GenerationRequestInput {
  const key = `${KEY_PREFIX}:${randomUUID()}`;
  return {
    prompt: 'a todo app with tags',
    source: 'slack',
    thread: { platform: 'slack', teamId: team, channelId: 'C1', threadTs: key.slice(-12) },
    idempotencyKey: key,
    requester: { platform: 'slack', externalId: user },
    installation: { platform: 'slack', externalId: team },
    ...overrides,
  };
}

const ids = () => ({ user: `U-q-${randomUUID()}`, team: `T-q-${randomUUID()}` });

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const statusOf = (store: ReturnType<typeof createPrismaJobStore>, id: string, status: string) =>
  until(async () => ((await store.getRequest(id))?.status === status ? true : undefined));

describe('quotas on the generation service (real Postgres, two connection pools)', () => {
  it('lets exactly the limit through when 10 submits race, and stores the others as refused', async () => {
    const { services, producer } = await setUp({ userConcurrent: 2 });
    const { user, team } = ids();
    const inputs = Array.from({ length: 10 }, () => slackBuild(user, team));
    const outcomes = await Promise.allSettled(
      inputs.map((input, i) => services[i % services.length]!.submit(input)),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(accepted).toHaveLength(2);
    expect(refused).toHaveLength(8);
    for (const error of refused) {
      expect(error).toBeInstanceOf(QuotaExceededError);
      expect(error).toMatchObject({ code: 'quota_exceeded', retryable: false });
      expect((error as Error).message).toBe(
        'You already have 2 jobs queued or running (limit 2). Try again when one finishes. ' +
          'Whoever runs Autonoma sets this limit with AUTONOMA_QUOTA_USER_CONCURRENT.',
      );
    }
    // Nothing lost, nothing extra: 2 requests and 2 queue jobs; 8 refusals kept with their reason.
    const keys = inputs.map((i) => i.idempotencyKey);
    expect(await prisma.generationRequest.count({ where: { idempotencyKey: { in: keys } } })).toBe(2);
    expect(await producer.queue.count()).toBe(2);
    const refusals = await prisma.quotaRefusal.findMany({ where: { idempotencyKey: { in: keys } } });
    expect(refusals).toHaveLength(8);
    expect(new Set(refusals.map((r) => r.reason))).toEqual(new Set(['user_concurrent']));
    expect(refusals[0]).toMatchObject({
      kind: 'build',
      sourcePlatform: 'slack',
      userKey: `slack:${user}`,
      tenantKey: `slack:${team}`,
      input: expect.objectContaining({ prompt: 'a todo app with tags' }),
    });
  });

  it('caps a workspace across its users, and a re-delivered request is never refused', async () => {
    const { services } = await setUp({ userConcurrent: 2, workspaceConcurrent: 3 });
    const { team } = ids();
    const inputs = Array.from({ length: 6 }, () => slackBuild(`U-q-${randomUUID()}`, team));
    const outcomes = await Promise.allSettled(
      inputs.map((input, i) => services[i % services.length]!.submit(input)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as Error).message).toMatch(
      /^This Slack workspace already has 3 jobs queued or running \(limit 3\)\. Try again when one finishes\. .*AUTONOMA_QUOTA_WORKSPACE_CONCURRENT\.$/,
    );
    // The same event again (a platform retrying its delivery) returns the first request.
    const first = inputs[outcomes.findIndex((o) => o.status === 'fulfilled')]!;
    const again = await services[1]!.submit(first);
    expect(again.created).toBe(false);
    // Another workspace is not affected.
    await expect(
      services[0]!.submit(slackBuild(`U-q-${randomUUID()}`, `T-q-${randomUUID()}`)),
    ).resolves.toMatchObject({
      created: true,
    });
  });

  it('counts builds per hour, names when the next slot opens, and does not count iterations as builds', async () => {
    const { service } = await setUp({ userBuildsPerHour: 3, workspaceBuildsPerHour: 0 });
    const { user, team } = ids();
    for (let i = 0; i < 3; i += 1) await service.submit(slackBuild(user, team));
    const fourth = slackBuild(user, team);
    const refusal = await service.submit(fourth).catch((e: unknown) => e as QuotaExceededError);
    expect(refusal).toBeInstanceOf(QuotaExceededError);
    const [oldest] = await prisma.$queryRaw<Array<{ at: Date }>>`
      SELECT created_at AS at FROM quota_reservations WHERE user_key = ${`slack:${user}`} ORDER BY created_at LIMIT 1`;
    const opens = new Date(Math.ceil((oldest!.at.getTime() + 3_600_000) / 60_000) * 60_000);
    expect((refusal as Error).message).toBe(
      `You started 3 builds in the last hour (limit 3); the next slot opens at ${opens.toISOString().slice(11, 16)} UTC. ` +
        'Whoever runs Autonoma sets this limit with AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR.',
    );
    expect((refusal as QuotaExceededError).details).toMatchObject({
      reason: 'user_hourly',
      limitValue: 3,
      count: 3,
    });
    // An iteration is not a new build: it goes through.
    const parent = await prisma.generationRequest.findFirstOrThrow({
      where: { requester: { externalId: user } },
    });
    await expect(
      service.submit({ ...slackBuild(user, team), kind: 'iterate', parentRequestId: parent.id }),
    ).resolves.toMatchObject({ created: true });
    // An hour later (the oldest build moved out of the window) the refused request goes through.
    await prisma.$executeRaw`
      UPDATE quota_reservations SET created_at = created_at - interval '61 minutes'
      WHERE id = (SELECT id FROM quota_reservations WHERE user_key = ${`slack:${user}`} ORDER BY created_at LIMIT 1)`;
    await expect(service.submit(fourth)).resolves.toMatchObject({ created: true });
    expect(
      await prisma.quotaRefusal.findUniqueOrThrow({ where: { idempotencyKey: fourth.idempotencyKey } }),
    ).toMatchObject({ reason: 'user_hourly', refusals: 1 });
  });

  it('frees the slot when a job succeeds, fails or is cancelled, and a retry takes a slot again', async () => {
    const gated = gatedRunner();
    const { service, store } = await setUp({ userConcurrent: 1 }, gated.runner);
    const { user, team } = ids();
    const next = () => slackBuild(user, team);

    const a = (await service.submit(next())).request;
    await statusOf(store, a.id, 'running');
    await expect(service.submit(next())).rejects.toThrow(
      /You already have 1 job queued or running \(limit 1\)/,
    );
    gated.open(a.id, 'succeed');
    await statusOf(store, a.id, 'succeeded');

    const b = (await service.submit(next())).request;
    await statusOf(store, b.id, 'running');
    await expect(service.submit(next())).rejects.toThrow(QuotaExceededError);
    gated.open(b.id, 'fail');
    await statusOf(store, b.id, 'failed');

    const c = (await service.submit(next())).request;
    await statusOf(store, c.id, 'running');
    // Running again what failed is a job too: refused while the slot is taken.
    await expect(service.retry(b.id)).rejects.toThrow(QuotaExceededError);
    expect((await store.getRequest(b.id))?.status).toBe('failed');
    expect(await service.cancel(c.id)).toBe('cancelling');
    await statusOf(store, c.id, 'cancelled');

    await expect(service.retry(b.id)).resolves.toMatchObject({ status: 'queued' });
    await statusOf(store, b.id, 'running');
    await expect(service.submit(next())).rejects.toThrow(QuotaExceededError);
    gated.open(b.id, 'succeed');
    await statusOf(store, b.id, 'succeeded');
    await expect(service.submit(next())).resolves.toMatchObject({ created: true });
  });
});
