/**
 * Deliveries accepted on a webhook's request path and handled elsewhere (the worker tier). The
 * webhook process acknowledges its platform after one durable write; the slow part (posting the
 * job's thread, storing and queueing the request) runs with retries, where it can never delay an ack.
 */
export interface InboxEntry {
  /** Name of the InboxHandler that will handle the payload. */
  handler: string;
  /** The platform's delivery id: the same key twice is accepted once. */
  key: string;
  /** Plain JSON; the handler validates it again (it crossed a process boundary). */
  payload: unknown;
}

export interface Inbox {
  accept(entry: InboxEntry): Promise<void>;
}

export interface InboxAttempt {
  /** 1 for the first attempt. */
  number: number;
  /** No attempt follows this one: a handler tells the user what failed instead of throwing. */
  final: boolean;
}

export interface InboxHandler {
  readonly name: string;
  /** Throws to be retried (with backoff); a non-retryable AutonomaError is not retried. */
  handle(payload: unknown, attempt: InboxAttempt): Promise<void>;
}
