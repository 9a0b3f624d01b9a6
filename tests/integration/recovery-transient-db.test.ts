import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import { CancelledError } from '../../src/core/errors.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { createPrismaClient, type PrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import type { DbRetryPolicy } from '../../src/core/storage/transient-db-errors.js';
import { createCancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationRunner } from '../../src/jobs/generation-runner.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { startGenerationWorker } from '../../src/jobs/generation-worker.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import {
  ensureTestDatabase,
  memoryLogger,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
const generator = offlineTeam();
let root: string;

beforeAll(async () => {
  await ensureTestDatabase();
  root = await tempDir('autonoma-transient-db-');
});
afterAll(async () => {
  await redis.quit();
  await prisma.$disconnect();
  await rm(root, { recursive: true, force: true });
});

/** What Prisma throws when PostgreSQL drops the connection (a restart, a failover). */
const connectionClosed = () =>
  new Prisma.PrismaClientKnownRequestError('Server has closed the connection.', {
    code: 'P1017',
    clientVersion: Prisma.prismaVersion.client,
  });
/** What Prisma (with the pg driver adapter) throws when an administrator terminates the backend. */
const adminShutdown = () =>
  new Prisma.PrismaClientKnownRequestError('Raw query failed. Code: `57P01`.', {
    code: 'P2010',
    clientVersion: Prisma.prismaVersion.client,
    meta: {
      driverAdapterError: {
        name: 'DriverAdapterError',
        cause: { kind: 'postgres', code: '57P01', originalCode: '57P01', severity: 'FATAL' },
      },
    },
  });

/**
 * The real client, except that the first calls of the given model methods throw `errors` in turn
 * (the database never saw them): a blip at exactly the writes a job's outcome depends on.
 */
function flakyPrisma(failures: Record<string, Array<() => Error>>): {
  client: PrismaClient;
  injected: () => number;
} {
  let injected = 0;
  const models = new Map<string, object>();
  const bind = (target: object, prop: string | symbol) => {
    const value: unknown = Reflect.get(target, prop);
    return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
  };
  const client = new Proxy(prisma, {
    get(target, prop) {
      const real = bind(target, prop);
      if (typeof prop !== 'string' || !Object.keys(failures).some((k) => k.startsWith(`${prop}.`)))
        return real;
      let model = models.get(prop);
      if (!model) {
        model = new Proxy(real as object, {
          get(delegate, method) {
            const original = bind(delegate, method);
            const queue = typeof method === 'string' ? failures[`${prop}.${method}`] : undefined;
            if (!queue || typeof original !== 'function') return original;
            return (...args: unknown[]) => {
              const failure = queue.shift();
              if (failure) {
                injected += 1;
                return Promise.reject(failure());
              }
              return (original as (...a: unknown[]) => unknown)(...args);
            };
          },
        });
        models.set(prop, model);
      }
      return model;
    },
  });
  return { client, injected: () => injected };
}

const fastRetry = (attempts: number): DbRetryPolicy => ({ attempts, baseDelayMs: 20, maxDelayMs: 100 });
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

/** Runs one request through a real queue, worker, processor, runner and local forge. */
async function runJob(options: {
  client: PrismaClient;
  retry: DbRetryPolicy;
  attempts: number;
  forgeDir: string;
  /** The real runner (agent team, local forge) unless given. */
  runner?: GenerationRunner;
}) {
  const prefix = uniquePrefix();
  const store = createPrismaJobStore(options.client, { retry: options.retry });
  const producer = createGenerationProducer({
    connection: redis,
    prefix,
    attempts: options.attempts,
    backoffMs: 100,
  });
  const workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const cancellations = createCancellationRegistry({
    connection: redis,
    namespace: prefix,
    makeReason: () => new CancelledError(),
  });
  await cancellations.start();
  const runner =
    options.runner ??
    createGenerationRunner({
      generator,
      forge: createLocalGitForge({ rootDir: options.forgeDir }),
      store,
      workspaceRoot: path.join(root, 'workspaces'),
      license: 'MIT',
      privateRepos: true,
      logger,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });
  const worker = startGenerationWorker({
    connection: workerConnection,
    prefix,
    concurrency: 1,
    logger,
    processor: createGenerationProcessor({
      store,
      bus: createRedisProgressBus({ publisher: redis, namespace: prefix }),
      runner,
      cancellations,
      logger,
    }),
  });
  const reader = createPrismaJobStore(prisma);
  try {
    const { request } = await reader.createRequest(requestInput({ prompt: 'a todo app with tags' }));
    await producer.enqueue(request.id, request.idempotencyKey);
    const deadline = Date.now() + 25_000;
    let stored = await reader.getRequest(request.id);
    while (stored?.status !== 'succeeded' && stored?.status !== 'failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stored = await reader.getRequest(request.id);
    }
    return stored;
  } finally {
    await worker.close({ graceMs: 2000 });
    await cancellations.close();
    await workerConnection.quit();
    await producer.queue.obliterate({ force: true });
    await producer.close();
  }
}

describe('a transient PostgreSQL error in the job store', () => {
  it('is retried where the job outcome is written: the job still finishes, first time', async () => {
    const failures = [connectionClosed, adminShutdown, connectionClosed];
    const flaky = flakyPrisma({ 'generationRequest.update': failures });
    const done = await runJob({
      client: flaky.client,
      retry: fastRetry(5),
      attempts: 1, // no queue-level retry to hide behind
      forgeDir: path.join(root, 'forge-once'),
      runner: {
        run: async (request) => {
          // markRunning took the first three; markSucceeded meets the next two.
          failures.push(adminShutdown, connectionClosed);
          return fakeResult(request);
        },
      },
    });
    expect(flaky.injected()).toBe(5);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, errorCode: null });
  });

  it('outlasting the store retries, retries the job; after the pull request opened, the retry pushes no second commit', async () => {
    const forgeDir = path.join(root, 'forge-retry');
    // Two tries per write, and the pull request record fails three times: the first attempt's PR
    // step gives up after the commit and the pull request exist; the second attempt's retries once.
    const flaky = flakyPrisma({ 'pullRequest.upsert': [connectionClosed, adminShutdown, connectionClosed] });
    const done = await runJob({ client: flaky.client, retry: fastRetry(2), attempts: 2, forgeDir });
    expect(flaky.injected()).toBe(3);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    const result = done!.result!;
    const repoDir = result.repository!.location;
    expect(git(repoDir, 'rev-list', '--count', `main..${result.branch}`)).toBe('1');
    expect(git(repoDir, 'rev-parse', result.branch!)).toBe(result.commitSha);
    const pulls = JSON.parse(await readFile(`${repoDir}.pulls.json`, 'utf8')) as { pulls: unknown[] };
    expect(pulls.pulls).toHaveLength(1);
    const record = await createPrismaJobStore(prisma).findPullRequest(
      'local',
      result.repository!.name,
      result.branch!,
    );
    expect(record).toMatchObject({ number: result.pullRequest!.number, headSha: result.commitSha });
  });
});
