/**
 * A worker process for the crash test: it takes generation jobs and works on them "forever" (until
 * killed), so the parent can SIGKILL it mid-job.
 * Usage: node --import tsx worker-child.ts <prefix> [lockDurationMs (default 10000)]
 */
import { Redis } from 'ioredis';
import { CancelledError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createCancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { startGenerationWorker } from '../../src/jobs/generation-worker.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env.js';

const prefix = process.argv[2] ?? 'missing-prefix';
const lockDurationMs = Number(process.argv[3] ?? 10_000);
const logger = createLogger({ level: 'silent' });
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const store = createPrismaJobStore(createPrismaClient(TEST_DATABASE_URL));
const cancellations = createCancellationRegistry({
  connection: redis,
  namespace: prefix,
  makeReason: () => new CancelledError(),
});
await cancellations.start();
startGenerationWorker({
  connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }),
  prefix,
  concurrency: 1,
  lockDurationMs,
  logger,
  processor: createGenerationProcessor({
    store,
    bus: createRedisProgressBus({ publisher: redis, namespace: prefix }),
    cancellations,
    logger,
    runner: { run: () => new Promise(() => undefined) },
  }),
});
process.stdout.write('ready\n');
