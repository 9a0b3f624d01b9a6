import { Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from '../core/logger.js';
import type { JobResult } from '../core/domain/request.js';
import { GENERATION_QUEUE, type GenerationJobData } from './generation-queue.js';
import type { GenerationProcessor } from './generation-processor.js';

export interface GenerationWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** The shared GENERATION_QUEUE unless given (see privateGenerationQueue). */
  queueName?: string;
  concurrency: number;
  processor: GenerationProcessor;
  logger: Logger;
  /**
   * A worker renews its job lock every lockDuration/2; a SIGKILLed worker's job is declared stalled
   * by the next check after its lock expires, so another worker picks it up within ~10–15 s.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface GenerationWorker {
  readonly worker: Worker<GenerationJobData, JobResult | null>;
  /** Stops taking jobs and waits for running ones; past `graceMs` calls `onGraceExpired` and forces. */
  close(options?: { graceMs?: number; onGraceExpired?: () => void }): Promise<void>;
}

export function startGenerationWorker(options: GenerationWorkerOptions): GenerationWorker {
  const worker = new Worker<GenerationJobData, JobResult | null>(
    options.queueName ?? GENERATION_QUEUE,
    (job) => options.processor(job),
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 10_000,
      stalledInterval: options.stalledIntervalMs ?? 5_000,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (error) => {
    // BullMQ's word that a lock lapsed (the job just finished, or this process was too busy to renew
    // it): the job is handled as stalled and retried, nothing failed here.
    if (/could not renew lock/.test(error.message))
      options.logger.warn(
        { err: error.message },
        'job lock not renewed; the job will be checked for a stall',
      );
    else options.logger.error({ err: error }, 'worker error');
  });
  worker.on('stalled', (jobId) => options.logger.warn({ jobId }, 'job stalled; it will be picked up again'));

  /** True when `promise` settles within `ms`. */
  const settlesWithin = async (promise: Promise<unknown>, ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
      timer.unref();
    });
    const settled = promise.then(
      () => true,
      () => true,
    );
    const outcome = await Promise.race([settled, expired]);
    if (timer) clearTimeout(timer);
    return outcome;
  };

  return {
    worker,
    async close({ graceMs = 30_000, onGraceExpired } = {}) {
      // worker.close() stops taking jobs and waits for running ones; a second close() would only
      // return the same pending promise, so past the grace period we abort the jobs instead.
      const graceful = worker.close();
      if (await settlesWithin(graceful, graceMs)) return;
      options.logger.warn(
        { graceMs },
        'running jobs did not finish in time; releasing them to other workers',
      );
      onGraceExpired?.();
      if (await settlesWithin(graceful, 5_000)) return;
      // Still busy: drop the connection so the job's lock lapses and another worker takes it over.
      options.logger.error({}, 'jobs ignored the abort; disconnecting so they are picked up again');
      await worker.disconnect();
    },
  };
}
