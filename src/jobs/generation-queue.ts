import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { StateStore } from '../core/ports/state-store.js';
import { hashedJobId } from './job-id.js';

export const GENERATION_QUEUE = 'generation';

/**
 * A generation queue one process keeps to itself (`autonoma build` with its in-process worker): its
 * worker takes only the jobs that process queued, never another client's from the shared queue.
 */
export function privateGenerationQueue(owner: string): string {
  return `${GENERATION_QUEUE}-own-${owner}`;
}

/** The job carries only the request id: everything else lives in Postgres, the source of truth. */
export const GenerationJobDataSchema = z.object({ requestId: z.string().uuid() });
export type GenerationJobData = z.infer<typeof GenerationJobDataSchema>;

export function generationJobId(idempotencyKey: string): string {
  return hashedJobId('gen', idempotencyKey);
}

/** The job of the `retryNumber`th Retry a user asked for (see GenerationService.retry). */
export function retryJobId(idempotencyKey: string, retryNumber: number): string {
  return `${generationJobId(idempotencyKey)}-retry-${retryNumber}`;
}

/** Recovery never asks about more jobs than this per request. */
const MAX_JOB_IDS = 20;

/**
 * Every job id a request can have had, newest first: the first run's, then one per Retry (a Retry
 * queues job retry-(attempts + 1), and each run adds one to `attempts`).
 */
export function requestJobIds(request: { idempotencyKey: string; attempts: number }): string[] {
  const retries = Math.min(request.attempts + 1, MAX_JOB_IDS);
  const ids: string[] = [];
  for (let n = retries; n >= 1; n -= 1) ids.push(retryJobId(request.idempotencyKey, n));
  ids.push(generationJobId(request.idempotencyKey));
  return ids;
}

/** The queue a request's job went to, when not the shared one; kept as long as failed jobs are. */
export const requestQueueKey = (requestId: string) => `generation:queue:${requestId}`;
const REQUEST_QUEUE_TTL_MS = 8 * 24 * 3600_000;

export interface GenerationQueueOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** The shared GENERATION_QUEUE unless given (see privateGenerationQueue). */
  name?: string;
  attempts: number;
  /** First retry delay; later ones double. */
  backoffMs?: number;
  /**
   * Where a job on a queue other than the shared one is noted (requestQueueKey), so recovery looks
   * for it there; it lives in the same Redis as the queue, so both go together.
   */
  state?: StateStore;
}

export interface GenerationProducer {
  readonly queue: Queue<GenerationJobData>;
  /** Adds the job unless one with the same id exists (the same event twice yields one job). */
  enqueue(requestId: string, idempotencyKey: string): Promise<{ jobId: string }>;
  /** Re-queues a finished request (user pressed Retry): a new job id per retry. */
  requeue(requestId: string, idempotencyKey: string, retryNumber: number): Promise<{ jobId: string }>;
  depth(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export function createGenerationProducer(options: GenerationQueueOptions): GenerationProducer {
  const name = options.name ?? GENERATION_QUEUE;
  const queue = new Queue<GenerationJobData>(name, {
    connection: options.connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 2000 },
      // Keep finished jobs a day so a late platform retry still finds the id and adds nothing.
      removeOnComplete: { age: 24 * 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
    },
  });
  const add = async (requestId: string, jobId: string) => {
    const data = GenerationJobDataSchema.parse({ requestId });
    // Before the add: recovery must never see the job running without knowing where to look.
    if (options.state && name !== GENERATION_QUEUE)
      await options.state.set(requestQueueKey(requestId), name, REQUEST_QUEUE_TTL_MS);
    const job = await queue.add('generate', data, { jobId });
    return { jobId: job.id ?? jobId };
  };
  return {
    queue,
    enqueue: (requestId, key) => add(requestId, generationJobId(key)),
    requeue: (requestId, key, retryNumber) => add(requestId, retryJobId(key, retryNumber)),
    async depth() {
      return queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
    },
    close: () => queue.close(),
  };
}
