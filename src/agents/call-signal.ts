export interface CallSignal {
  /** Aborts when the job's signal does; `undefined` when there is no job signal. */
  signal: AbortSignal | undefined;
  /** Unhooks it from the job's signal; call when the call is over. */
  end(): void;
}

/**
 * A signal for one outgoing call that follows the job's. Some clients (the MCP client; the OpenAI
 * SDK) add an abort listener to the signal of every request and never remove it: handed the job's
 * own signal, a job of hundreds of calls piles them up for its whole life, and on a cancel the MCP
 * client would send a cancellation for every request it ever made.
 */
export function callSignal(job: AbortSignal | undefined): CallSignal {
  if (!job) return { signal: undefined, end: () => undefined };
  const call = new AbortController();
  if (job.aborted) call.abort(job.reason);
  const follow = () => call.abort(job.reason);
  job.addEventListener('abort', follow, { once: true });
  return { signal: call.signal, end: () => job.removeEventListener('abort', follow) };
}
