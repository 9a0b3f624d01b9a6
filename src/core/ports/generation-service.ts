import type { GenerationRequest, GenerationRequestInput, ThreadRef } from '../domain/request.js';

export type CancelOutcome = 'cancelled' | 'cancelling' | 'already_finished' | 'not_found';

/**
 * What chat adapters may ask of Autonoma. Inputs are validated here once (zod, bounds); errors are
 * InvalidInputError with a message meant for the user who typed the command. Submits and retries
 * also count against per-user and per-workspace quotas (see QuotaStore): a refusal is a
 * QuotaExceededError (code `quota_exceeded`, not retryable) whose message names the limit and when a
 * slot frees up; see `userFacingMessage` in core/errors.ts for showing either kind.
 */
export interface GenerationService {
  /**
   * Reserves a quota slot, then stores and queues a request; the same idempotency key twice returns
   * the first request (never a refusal). A refused request is stored as refused, never queued.
   */
  submit(input: GenerationRequestInput): Promise<{ request: GenerationRequest; created: boolean }>;
  get(requestId: string): Promise<GenerationRequest | null>;
  /** Cancels a queued request at once, or signals the worker running it. */
  cancel(requestId: string): Promise<CancelOutcome>;
  /** Queues a failed or cancelled request again (a user pressed Retry); it takes a slot like any job. */
  retry(requestId: string): Promise<GenerationRequest>;
  /** The most recent build request whose thread matches (for replies in a job's thread). */
  findByThread(match: Partial<ThreadRef> & Pick<ThreadRef, 'platform'>): Promise<GenerationRequest | null>;
  recordThread(requestId: string, thread: ThreadRef): Promise<void>;
}
