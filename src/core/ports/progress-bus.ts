import type { ProgressEvent } from '../domain/progress.js';

/** Fan-out of progress events across processes (Redis pub/sub in production, in-memory in tests). */
export interface ProgressBus {
  publish(event: ProgressEvent): Promise<void>;
  /** Calls `handler` for every event of `requestId` (or of all requests with `'*'`) until unsubscribed. */
  subscribe(requestId: string | '*', handler: (event: ProgressEvent) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
