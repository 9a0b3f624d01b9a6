import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
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

export interface GenerationQueueOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** The shared GENERATION_QUEUE unless given (see privateGenerationQueue). */
  name?: string;
  attempts: number;
  /** First retry delay; later ones double. */
  backoffMs?: number;
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
  const queue = new Queue<GenerationJobData>(options.name ?? GENERATION_QUEUE, {
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
    const job = await queue.add('generate', data, { jobId });
    return { jobId: job.id ?? jobId };
  };
  return {
    queue,
    enqueue: (requestId, key) => add(requestId, generationJobId(key)),
    requeue: (requestId, key, retryNumber) => add(requestId, `${generationJobId(key)}-retry-${retryNumber}`),
    async depth() {
      return queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
    },
    close: () => queue.close(),
  };
}
