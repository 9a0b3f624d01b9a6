import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { hashedJobId } from './job-id.js';
import { AutonomaError } from '../core/errors.js';
import type { Inbox, InboxHandler } from '../core/ports/inbox.js';
import type { Logger } from '../core/logger.js';

export const INBOX_QUEUE = 'inbox';

/** Payloads are small (a chat command and where to answer); anything bigger is a bug upstream. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

export const InboxJobDataSchema = z.object({
  handler: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type InboxJobData = z.infer<typeof InboxJobDataSchema>;

export function inboxJobId(key: string): string {
  return hashedJobId('in', key);
}

export interface InboxQueueOptions {
  connection: ConnectionOptions;
  prefix?: string;
  /** Attempts per entry (first try included). Default 6: about a minute of backoff in all. */
  attempts?: number;
  /** First retry delay; later ones double. Default 1000 ms. */
  backoffMs?: number;
}

export interface InboxProducer extends Inbox {
  readonly queue: Queue<InboxJobData>;
  close(): Promise<void>;
}

export function createInboxProducer(options: InboxQueueOptions): InboxProducer {
  const queue = new Queue<InboxJobData>(INBOX_QUEUE, {
    connection: options.connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    defaultJobOptions: {
      attempts: options.attempts ?? 6,
      backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
      // A finished entry keeps its id for two hours: longer than Slack, Discord and GitHub retry a
      // delivery, so a late retry adds nothing.
      removeOnComplete: { age: 2 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    },
  });
  return {
    queue,
    async accept(entry) {
      const data = InboxJobDataSchema.parse({ handler: entry.handler, payload: entry.payload });
      const size = Buffer.byteLength(JSON.stringify(data.payload) ?? '');
      if (size > MAX_PAYLOAD_BYTES) {
        throw new AutonomaError(
          'invalid_input',
          `Inbox entry of ${size} bytes is over ${MAX_PAYLOAD_BYTES}.`,
        );
      }
      await queue.add(entry.handler, data, { jobId: inboxJobId(entry.key) });
    },
    close: () => queue.close(),
  };
}

export interface InboxWorkerOptions {
  connection: ConnectionOptions;
  prefix?: string;
  handlers: InboxHandler[];
  logger: Logger;
  /** Entries handled at once; each mostly waits on the network. Default 16. */
  concurrency?: number;
}

export interface InboxWorker {
  readonly worker: Worker<InboxJobData>;
  close(): Promise<void>;
}

/**
 * Runs each entry's handler. An unknown handler or a malformed entry fails at once (retrying cannot
 * help); so does a non-retryable AutonomaError; anything else is retried with backoff.
 */
export function startInboxWorker(options: InboxWorkerOptions): InboxWorker {
  const handlers = new Map(options.handlers.map((h) => [h.name, h]));
  const logger = options.logger.child({ component: 'inbox' });
  const worker = new Worker<InboxJobData>(
    INBOX_QUEUE,
    async (job) => {
      const parsed = InboxJobDataSchema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`Malformed inbox entry: ${parsed.error.message}`);
      const handler = handlers.get(parsed.data.handler);
      if (!handler) {
        throw new UnrecoverableError(
          `No inbox handler "${parsed.data.handler}" in this worker (configured: ${[...handlers.keys()].join(', ') || 'none'}).`,
        );
      }
      const number = job.attemptsMade + 1;
      try {
        await handler.handle(parsed.data.payload, { number, final: number >= (job.opts.attempts ?? 1) });
      } catch (error) {
        if (error instanceof AutonomaError && !error.retryable) {
          throw new UnrecoverableError(error.message);
        }
        throw error;
      }
    },
    {
      connection: options.connection,
      ...(options.prefix ? { prefix: options.prefix } : {}),
      concurrency: options.concurrency ?? 16,
    },
  );
  worker.on('error', (error) => logger.error({ err: error }, 'inbox worker error'));
  worker.on('failed', (job, error) =>
    logger.warn(
      { err: error, jobId: job?.id, handler: job?.name, attempt: job?.attemptsMade },
      'inbox entry failed',
    ),
  );
  return {
    worker,
    close: () => worker.close(),
  };
}
