import { UnrecoverableError, type Job } from 'bullmq';
import { CancelledError, throwIfAborted, toAutonomaError, type AutonomaError } from '../core/errors.js';
import type { JobResult } from '../core/domain/request.js';
import type { Link } from '../core/domain/progress.js';
import type { GenerationRunner } from '../core/ports/generation-runner.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';
import type { Logger } from '../core/logger.js';
import { mapStrings } from '../core/secrets/secret-redactor.js';
import type { CancellationRegistry } from './cancellation.js';
import { GenerationJobDataSchema, type GenerationJobData } from './generation-queue.js';
import { createJobProgressReporter } from './progress-reporter.js';

export interface GenerationProcessorDeps {
  store: JobStore;
  bus: ProgressBus;
  runner: GenerationRunner;
  cancellations: CancellationRegistry;
  logger: Logger;
  /** Secret redaction for everything stored or published: errors, progress, the result. */
  redact?: (text: string) => string;
}

export type GenerationProcessor = (job: Job<GenerationJobData>) => Promise<JobResult | null>;

export function resultLinks(result: JobResult): Link[] {
  const links: Link[] = [];
  if (result.pullRequest) links.push({ label: 'Pull request', url: result.pullRequest.url });
  if (result.repository) links.push({ label: 'Repository', url: result.repository.location });
  return links;
}

/** The request itself cannot be built as asked (the user must change it); never retried. */
export function isRefusal(error: AutonomaError): boolean {
  return error.code === 'invalid_input' && !error.retryable;
}

/** The error BullMQ stores (message and stack) and every later use of it, with secrets redacted. */
function redactError(error: AutonomaError, redact: (text: string) => string): AutonomaError {
  error.message = redact(error.message);
  if (error.stack !== undefined) error.stack = redact(error.stack);
  return error;
}

/**
 * The BullMQ processor: bookkeeping around the runner. Postgres holds the truth (status, result,
 * error); the bus carries the story. Bad input fails at once; transient failures are retried with
 * backoff by BullMQ; a cancel is final and never retried.
 */
export function createGenerationProcessor(deps: GenerationProcessorDeps): GenerationProcessor {
  const redact = deps.redact ?? ((text: string) => text);
  return async (job) => {
    const parsed = GenerationJobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`Malformed job payload: ${parsed.error.message}`);
    const { requestId } = parsed.data;
    const log = deps.logger.child({ requestId, jobId: job.id, attempt: job.attemptsMade + 1 });
    const stored = await deps.store.getRequest(requestId);
    if (!stored) throw new UnrecoverableError(`Request ${requestId} does not exist.`);
    if (stored.status === 'cancelled') {
      log.info({}, 'request was cancelled before it ran');
      return null;
    }
    if (stored.status === 'succeeded') return stored.result;
    // Recovery failed it (its worker was lost) and its thread was told so; a Retry queues it anew.
    if (stored.status === 'failed') {
      log.info({}, 'request was already failed; not running it');
      return null;
    }

    // Tracked before it is marked running: a cancel sent once it shows as running must find it.
    const tracked = deps.cancellations.track(requestId);
    const request = await deps.store.markRunning(requestId).catch((error: unknown) => {
      tracked.release();
      throw error;
    });
    if (!request) {
      tracked.release();
      log.info({}, 'request was cancelled before it ran');
      return null;
    }
    const progress = createJobProgressReporter({
      requestId,
      bus: deps.bus,
      store: deps.store,
      logger: log,
      redact,
    });
    const maxAttempts = job.opts.attempts ?? 1;
    try {
      await progress.stage(
        'queued',
        'completed',
        job.attemptsMade > 0 ? `Retry ${job.attemptsMade}` : 'Picked up',
      );
      // A cancel that landed while it was being picked up: a runner only hears later aborts.
      throwIfAborted(tracked.signal);
      const result = mapStrings(
        await deps.runner.run(request, { signal: tracked.signal, progress, attempt: job.attemptsMade + 1 }),
        redact,
      );
      await deps.store.markSucceeded(requestId, result);
      await progress.finished('succeeded', result.reviewSummary, resultLinks(result));
      log.info({ files: result.files, costUsd: result.costUsd }, 'generation succeeded');
      return result;
    } catch (thrown) {
      const error = redactError(
        toAutonomaError(tracked.signal.aborted ? (tracked.signal.reason ?? thrown) : thrown),
        redact,
      );
      if (error instanceof CancelledError || error.code === 'cancelled') {
        await deps.store.markCancelled(requestId, error.message);
        await progress.finished('cancelled', error.message, [], 'cancelled');
        log.info({}, 'generation cancelled');
        return null;
      }
      const willRetry = error.retryable && job.attemptsMade + 1 < maxAttempts;
      if (willRetry) {
        log.warn({ err: error }, 'generation failed; will retry');
        await progress.milestone('queued', `Temporary problem (${error.message}); retrying automatically.`);
        throw error;
      }
      await deps.store.markFailed(requestId, error.code, error.message);
      await progress.finished('failed', error.message, [], error.code);
      // A refusal of what was asked is an answer, not a fault: no stack, and no error-level alert.
      if (isRefusal(error)) log.warn({ code: error.code, reason: error.message }, 'generation refused');
      else log.error({ err: error }, 'generation failed');
      throw new UnrecoverableError(error.message);
    } finally {
      tracked.release();
    }
  };
}
