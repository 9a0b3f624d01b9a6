import type { Redis } from 'ioredis';
import { GenerationRequestInputSchema, TERMINAL_STATUSES } from '../core/domain/request.js';
import { InvalidInputError } from '../core/errors.js';
import type { GenerationService } from '../core/ports/generation-service.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';
import type { QuotaStore, QuotaTicket } from '../core/ports/quota-store.js';
import { requestCancellation } from './cancellation.js';
import type { GenerationProducer } from './generation-queue.js';

export interface GenerationServiceDeps {
  store: JobStore;
  producer: GenerationProducer;
  bus: ProgressBus;
  redis: Redis;
  namespace: string;
  /**
   * Per-user and per-workspace limits, reserved before a request is stored or queued. Without it
   * nothing is limited (an embedded service, a test of something else).
   */
  quotas?: QuotaStore;
  now?: () => Date;
}

/**
 * Stores a request while holding the quota slot `reserve` took: the slot is then tied to the stored
 * request (held while it is queued or running), or given back if storing failed.
 */
async function holdingSlot<T>(
  quotas: QuotaStore | undefined,
  reserve: (quotas: QuotaStore) => Promise<QuotaTicket | null>,
  store: () => Promise<T>,
  requestIdOf: (stored: T) => string,
): Promise<T> {
  const ticket = quotas ? await reserve(quotas) : null;
  if (!quotas || !ticket) return store();
  let stored: T;
  try {
    stored = await store();
  } catch (error) {
    await quotas.release(ticket).catch(() => undefined);
    throw error;
  }
  await quotas.confirm(ticket, requestIdOf(stored));
  return stored;
}

/** Adapter-facing operations: validate, reserve quota, store, queue, cancel, retry. */
export function createGenerationService(deps: GenerationServiceDeps): GenerationService {
  const now = deps.now ?? (() => new Date());
  return {
    async submit(raw) {
      const parsed = GenerationRequestInputSchema.safeParse(raw);
      if (!parsed.success) {
        throw new InvalidInputError(parsed.error.issues.map((i) => i.message).join(' '));
      }
      // Before anything is stored or queued: a refusal throws QuotaExceededError (and is stored).
      // The slot follows the request even when another delivery of the same event created it.
      const { request, created } = await holdingSlot(
        deps.quotas,
        (quotas) => quotas.reserve(parsed.data),
        () => deps.store.createRequest(parsed.data),
        (stored) => stored.request.id,
      );
      // Enqueue even when the row existed: if a crash hit between insert and enqueue, this heals it;
      // the job id derived from the idempotency key makes a second add a no-op.
      if (request.status === 'queued') await deps.producer.enqueue(request.id, request.idempotencyKey);
      return { request, created };
    },

    get: (id) => deps.store.getRequest(id),

    async cancel(id) {
      const request = await deps.store.getRequest(id);
      if (!request) return 'not_found';
      if (TERMINAL_STATUSES.has(request.status)) return 'already_finished';
      // Conditional: if a worker picked it up since we read it, it is cancelled as a running job.
      if (
        request.status === 'queued' &&
        (await deps.store.cancelIfQueued(id, 'Cancelled before it started.'))
      ) {
        await deps.bus.publish({
          type: 'finished',
          requestId: id,
          at: now().toISOString(),
          percent: request.percent,
          status: 'cancelled',
          message: 'Cancelled before it started.',
          links: [],
          errorCode: 'cancelled',
        });
        return 'cancelled';
      }
      await requestCancellation(deps.redis, id, deps.namespace);
      return 'cancelling';
    },

    async retry(id) {
      const request = await deps.store.getRequest(id);
      if (!request) throw new InvalidInputError(`No request ${id}.`);
      if (request.status !== 'failed' && request.status !== 'cancelled') {
        throw new InvalidInputError(
          `Request ${id} is ${request.status}; only failed or cancelled requests can be retried.`,
        );
      }
      // Running it again takes a slot like any job (it is not a new build for the hourly limit).
      await holdingSlot(
        deps.quotas,
        (quotas) => quotas.reserveRetry(id),
        () => deps.store.markQueued(id),
        () => id,
      );
      await deps.producer.requeue(id, request.idempotencyKey, request.attempts + 1);
      return { ...request, status: 'queued', errorCode: null, errorMessage: null };
    },

    async findByThread(match) {
      return deps.store.findRequestByThread(match);
    },

    recordThread: (id, thread) => deps.store.updateThread(id, thread),
  };
}
