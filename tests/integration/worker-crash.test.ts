import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { CancelledError } from '../../src/core/errors.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createCancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { startGenerationWorker } from '../../src/jobs/generation-worker.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
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
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

beforeAll(() => ensureTestDatabase());
afterAll(async () => {
  await redis.quit();
  await prisma.$disconnect();
});

it('completes the job of a SIGKILLed worker on another worker within ~15 s', async () => {
  const prefix = uniquePrefix();
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 3 });
  const { request } = await store.createRequest(requestInput());
  await producer.enqueue(request.id, request.idempotencyKey);

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'tests/helpers/worker-child.ts'), prefix],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; ; i += 1) {
      if ((await store.getRequest(request.id))?.status === 'running') break;
      if (i > 300) throw new Error('the child worker never picked the job up');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    const { logger } = memoryLogger('silent');
    const workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const cancellations = createCancellationRegistry({
      connection: redis,
      namespace: prefix,
      makeReason: () => new CancelledError(),
    });
    await cancellations.start();
    const rescuer = startGenerationWorker({
      connection: workerConnection,
      prefix,
      concurrency: 1,
      logger,
      processor: createGenerationProcessor({
        store,
        bus: createRedisProgressBus({ publisher: redis, namespace: prefix }),
        cancellations,
        logger,
        runner: { run: async (r) => fakeResult(r) },
      }),
    });
    try {
      let done = await store.getRequest(request.id);
      while (done?.status !== 'succeeded' && Date.now() - killedAt < 40_000) {
        await new Promise((r) => setTimeout(r, 200));
        done = await store.getRequest(request.id);
      }
      const recoveredInMs = Date.now() - killedAt;
      expect(done?.status).toBe('succeeded');
      expect(done?.attempts).toBe(2);
      expect(recoveredInMs).toBeLessThan(25_000); // a bound, not a benchmark: the target is ~15 s
    } finally {
      await rescuer.close({ graceMs: 2000 });
      await cancellations.close();
      await workerConnection.quit();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await producer.queue.obliterate({ force: true });
    await producer.close();
  }
});
