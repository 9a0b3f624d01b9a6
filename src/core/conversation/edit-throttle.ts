/**
 * Edits of a status message, coalesced per request: at most one edit per interval, a burst of updates
 * becomes one edit showing the latest state, the final edit is never dropped, and everything for one
 * request (edits and any other work queued with `run`) happens strictly in order. A platform's
 * "retry after" answer pushes the next edit back. Platform-free: the adapter supplies `send`.
 */

export interface EditThrottleOptions<S> {
  /** Makes one edit showing `state`; `final` is the request's last one. */
  send(key: string, state: S, final: boolean): Promise<void>;
  /** At most one edit per key per this many ms. */
  intervalMs: number;
  /** How long the platform asked us to wait, when `error` is a rate-limit answer. */
  retryAfterMs?: (error: unknown, key: string) => number | undefined;
  /** An edit (or `run` work) failed for another reason; the state is dropped, the next update retries. */
  onError?: (key: string, error: unknown) => void;
  /** Rate-limit answers one edit may get before it is given up. */
  maxRetries?: number;
  now?: () => number;
}

export interface EditThrottle<S> {
  /** Shows `state` soon: now if the interval has passed, else at its end (with the latest state then). */
  update(key: string, state: S): void;
  /**
   * Shows `state` as the last edit (after the interval, never dropped); the key is forgotten once
   * that edit and any work queued behind it are done. Other keys live until `close()`.
   */
  final(key: string, state: S): Promise<void>;
  /** Runs `work` after everything already queued for `key`; rejects with its error (the order goes on). */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Counts an edit made outside the throttle (e.g. a direct refresh) toward the interval. */
  markSent(key: string): void;
  /** Sends every pending edit now, each still after its interval (shutdown). */
  flush(): Promise<void>;
  /** Resolves once nothing is scheduled or running (tests). */
  idle(): Promise<void>;
  /** Flushes, waits for the queued work and forgets every key. */
  close(): Promise<void>;
}

interface Entry<S> {
  pending: { state: S } | undefined;
  lastSentAt: number;
  blockedUntil: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  chain: Promise<unknown>;
  /** Queued `run` work and edits not yet finished. */
  busy: number;
  /** The final edit was made: the key is forgotten once its queued work is done. */
  finished: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createEditThrottle<S>(options: EditThrottleOptions<S>): EditThrottle<S> {
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 5;
  const entries = new Map<string, Entry<S>>();

  function entryFor(key: string): Entry<S> {
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        pending: undefined,
        lastSentAt: Number.NEGATIVE_INFINITY,
        blockedUntil: 0,
        timer: undefined,
        chain: Promise.resolve(),
        busy: 0,
        finished: false,
      };
      entries.set(key, entry);
    }
    return entry;
  }

  const waitFor = (entry: Entry<S>) =>
    Math.max(entry.lastSentAt + options.intervalMs, entry.blockedUntil) - now();

  function forgetIfFinished(key: string, entry: Entry<S>): void {
    const done = entry.finished && entry.busy === 0 && !entry.pending && !entry.timer;
    if (done && entries.get(key) === entry) entries.delete(key);
  }

  function enqueue<T>(key: string, entry: Entry<S>, work: () => Promise<T>): Promise<T> {
    entry.busy += 1;
    const result = entry.chain.then(work);
    entry.chain = result
      .catch(() => undefined)
      .finally(() => {
        entry.busy -= 1;
        forgetIfFinished(key, entry);
      });
    return result;
  }

  function schedule(key: string, entry: Entry<S>): void {
    if (entry.timer) return;
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        void enqueue(key, entry, () => send(key, entry, false));
      },
      Math.max(0, waitFor(entry)),
    );
  }

  function cancelTimer(entry: Entry<S>): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  /** Sends the pending state; a non-final edit that is not due yet goes back on the timer. */
  async function send(key: string, entry: Entry<S>, final: boolean): Promise<void> {
    for (let rateLimited = 0; entry.pending;) {
      const wait = waitFor(entry);
      if (wait > 0) {
        if (!final) return schedule(key, entry);
        await sleep(wait);
      }
      const { state } = entry.pending;
      entry.pending = undefined;
      try {
        await options.send(key, state, final);
        entry.lastSentAt = now();
      } catch (error) {
        const retryAfter = options.retryAfterMs?.(error, key);
        if (retryAfter !== undefined && rateLimited < maxRetries) {
          rateLimited += 1;
          entry.blockedUntil = now() + retryAfter;
          // A newer state that arrived meanwhile replaces the one that was refused.
          entry.pending ??= { state };
          continue;
        }
        entry.lastSentAt = now();
        options.onError?.(key, error);
        return;
      }
    }
  }

  async function sendFinal(key: string, entry: Entry<S>): Promise<void> {
    cancelTimer(entry);
    await enqueue(key, entry, () => send(key, entry, true));
  }

  const allSettled = async () => {
    await Promise.all([...entries.values()].map((e) => e.chain));
  };

  const throttle: EditThrottle<S> = {
    update(key, state) {
      const entry = entryFor(key);
      entry.finished = false;
      entry.pending = { state };
      schedule(key, entry);
    },

    async final(key, state) {
      const entry = entryFor(key);
      entry.pending = { state };
      const sent = sendFinal(key, entry);
      entry.finished = true;
      await sent;
    },

    run(key, work) {
      return enqueue(key, entryFor(key), work);
    },

    markSent(key) {
      entryFor(key).lastSentAt = now();
    },

    async flush() {
      await Promise.all(
        [...entries.entries()].filter(([, e]) => e.pending).map(([key, e]) => sendFinal(key, e)),
      );
    },

    async idle() {
      for (;;) {
        await allSettled();
        const entriesNow = [...entries.values()];
        if (entriesNow.every((e) => !e.timer && e.busy === 0)) return;
        const timed = entriesNow.filter((e) => e.timer).map((e) => Math.max(0, waitFor(e)));
        await sleep(Math.min(50, ...timed, options.intervalMs));
      }
    },

    async close() {
      await throttle.flush();
      await allSettled();
      for (const entry of entries.values()) cancelTimer(entry);
      entries.clear();
    },
  };
  return throttle;
}
