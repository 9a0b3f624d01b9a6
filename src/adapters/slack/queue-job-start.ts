import type { Inbox } from '../../core/ports/inbox.js';
import { SLACK_START_JOB, type StartJobEntry } from './start-job-entry.js';

export const QUEUE_UNAVAILABLE =
  'Autonoma could not take this request right now (its queue is unavailable). Try again in a minute.';
export const QUEUE_SLOW =
  'Autonoma’s queue is slow to answer right now. If no thread appears within a minute, try again.';

/** An inbox write slower than this is answered for (Redis is struggling); the write may still land. */
export const ACCEPT_DEADLINE_MS = 2000;

export type QueueOutcome = 'queued' | 'slow' | 'unavailable';

/**
 * The request path's half of a build: one durable write, keyed on the delivery, so Slack gets its
 * ack at once and a retried delivery or a double click adds nothing. The worker tier does the rest.
 * Never throws and never outlives `deadlineMs`: the outcome says what to tell the user.
 */
export async function queueJobStart(
  inbox: Inbox,
  entry: StartJobEntry,
  deadlineMs = ACCEPT_DEADLINE_MS,
): Promise<{ outcome: QueueOutcome; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<{ outcome: QueueOutcome }>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'slow' }), deadlineMs);
  });
  const accepted = inbox
    .accept({ handler: SLACK_START_JOB, key: entry.origin.idempotencyKey, payload: entry })
    .then(
      () => ({ outcome: 'queued' as const }),
      (error: unknown) => ({ outcome: 'unavailable' as const, error }),
    );
  try {
    return await Promise.race([accepted, slow]);
  } finally {
    clearTimeout(timer);
  }
}

export function queueProblemText(outcome: Exclude<QueueOutcome, 'queued'>): string {
  return outcome === 'slow' ? QUEUE_SLOW : QUEUE_UNAVAILABLE;
}
