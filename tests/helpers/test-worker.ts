import { Redis } from 'ioredis';
import { CancelledError } from '../../src/core/errors.js';
import type { Logger } from '../../src/core/logger.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import type { JobStore } from '../../src/core/ports/job-store.js';
import type { ProgressBus } from '../../src/core/ports/progress-bus.js';
import { createCancellationRegistry, type CancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { startGenerationWorker, type GenerationWorker } from '../../src/jobs/generation-worker.js';
import { TEST_REDIS_URL } from './test-env.js';

export interface TestWorker {
  worker: GenerationWorker;
  cancellations: CancellationRegistry;
  close(): Promise<void>;
}

/**
 * A real BullMQ worker with cancellation, on its own Redis connection, in a test's namespace: the
 * runner (a fake agent team) decides what each job does.
 */
export async function startTestWorker(options: {
  store: JobStore;
  bus: ProgressBus;
  redis: Redis;
  namespace: string;
  runner: GenerationRunner;
  logger: Logger;
  concurrency?: number;
  /** The processor's secret redaction (none by default). */
  redact?: (text: string) => string;
}): Promise<TestWorker> {
  const cancellations = createCancellationRegistry({
    connection: options.redis,
    namespace: options.namespace,
    makeReason: () => new CancelledError('Cancelled at your request.'),
  });
  await cancellations.start();
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const worker = startGenerationWorker({
    connection,
    prefix: options.namespace,
    concurrency: options.concurrency ?? 2,
    processor: createGenerationProcessor({
      store: options.store,
      bus: options.bus,
      runner: options.runner,
      cancellations,
      logger: options.logger,
      redact: options.redact,
    }),
    logger: options.logger,
  });
  return {
    worker,
    cancellations,
    async close() {
      await worker.close({
        graceMs: 5000,
        onGraceExpired: () => cancellations.abortAll(new CancelledError()),
      });
      await cancellations.close();
      await connection.quit();
    },
  };
}
