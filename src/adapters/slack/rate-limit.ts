import { webApi } from '@slack/bolt';

/** How long Slack asked us to wait (429 + Retry-After), or undefined for any other error. */
export function retryAfterMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, retryAfter } = error as { code?: unknown; retryAfter?: unknown };
  if (code !== webApi.ErrorCode.RateLimitedError) return undefined;
  return typeof retryAfter === 'number' && retryAfter >= 0 ? retryAfter * 1000 : 1000;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs a Web API call; on 429 waits the Retry-After Slack gave and tries again (a few times). The
 * WebClient is built with `rejectRateLimitedCalls` so waits are ours to decide, not hidden in a queue.
 */
export async function withRateLimit<T>(call: () => Promise<T>, maxWaits = 3): Promise<T> {
  for (let waits = 0; ; waits += 1) {
    try {
      return await call();
    } catch (error) {
      const wait = retryAfterMs(error);
      if (wait === undefined || waits >= maxWaits) throw error;
      await sleep(wait);
    }
  }
}

/** The Slack error code of a failed Web API call (`not_in_channel`, `channel_not_found`…). */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
