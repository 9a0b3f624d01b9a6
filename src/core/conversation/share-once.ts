import type { ProgressEvent } from '../domain/progress.js';
import type { GenerationRequest, JobResult, Platform } from '../domain/request.js';
import type { ChatAdapter } from '../ports/chat-adapter.js';
import type { StateStore } from '../ports/state-store.js';

/** While a share runs: if its server dies, a re-sent final event may try again after this. */
const CLAIM_TTL_MS = 10 * 60_000;
/** Once done (shared, or its fallback posted): longer than any redelivery of a final event. */
const DONE_TTL_MS = 30 * 24 * 3600_000;

/** A succeeded request whose result lists screenshots. */
export type SucceededRequest = GenerationRequest & {
  result: JobResult & { screenshots: NonNullable<JobResult['screenshots']> };
};

/**
 * Runs `share` once per succeeded job result with screenshots on `platform`, across every replica:
 * a re-sent final event or a second server finds the claim (request and commit) taken. Iterations
 * are results of their own. `share` handles its own failures (a fallback, a log line).
 */
export async function shareScreenshotsOnce(
  deps: { state: StateStore; platform: Platform },
  request: GenerationRequest,
  event: ProgressEvent,
  share: (request: SucceededRequest) => Promise<void>,
): Promise<void> {
  if (event.type !== 'finished' || event.status !== 'succeeded') return;
  const { result } = request;
  if (request.thread.platform !== deps.platform || !result?.screenshots?.length) return;
  const claim = `${deps.platform}:screenshots:${request.id}:${result.commitSha ?? 'no-commit'}`;
  if (!(await deps.state.setIfAbsent(claim, 'uploading', CLAIM_TTL_MS))) return;
  await share({ ...request, result: { ...result, screenshots: result.screenshots } });
  await deps.state.set(claim, 'done', DONE_TTL_MS);
}

/** The adapter, plus `share` after each progress reply it sends (see shareScreenshotsOnce). */
export function withShare<A extends ChatAdapter>(
  adapter: A,
  share: (request: GenerationRequest, event: ProgressEvent) => Promise<void>,
): A {
  return {
    ...adapter,
    async replyProgress(request: GenerationRequest, event: ProgressEvent) {
      await adapter.replyProgress(request, event);
      await share(request, event);
    },
  };
}
