import type { Request, Response } from 'express';
import type { ProgressEvent } from '../../../core/domain/progress.js';
import { TERMINAL_STATUSES } from '../../../core/domain/request.js';
import type { Logger } from '../../../core/logger.js';
import type { ProgressBus } from '../../../core/ports/progress-bus.js';
import { jobAccess } from './access.js';
import { sendProblem } from './layout.js';
import { buildTimeline } from './timeline.js';

export interface EventStreamDeps {
  subscribe: ProgressBus['subscribe'];
  replay(requestId: string): Promise<ProgressEvent[]>;
  logger: Logger;
  /** Streams open at once across all jobs; more are refused with 503 (default 200). */
  maxStreams?: number;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
}

export interface EventStreams {
  handler: (req: Request, res: Response) => Promise<void>;
  readonly open: number;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
}

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * GET /jobs/:id/events: Server-Sent Events. The job as it stands first (`snapshot`), then each
 * progress event (`progress`) as the bus delivers it. Subscribed before the snapshot is read, so
 * nothing published in between is lost; what the snapshot already holds is not sent twice.
 */
export function createEventStreams(deps: EventStreamDeps): EventStreams {
  const maxStreams = deps.maxStreams ?? 200;
  const heartbeatMs = deps.heartbeatMs ?? 15_000;
  const streams = new Map<Response, () => void>();

  const handler = async (req: Request, res: Response) => {
    const { request } = jobAccess(res);
    if (streams.size >= maxStreams) {
      res.set('Retry-After', '30');
      sendProblem(
        res,
        503,
        'Too many live pages open',
        'Reload the page in a minute to follow the job live.',
      );
      return;
    }
    let pending: ProgressEvent[] | undefined = [];
    let closed = false;
    let unsubscribe: (() => Promise<void>) | undefined;
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs);
    heartbeat.unref();
    const finish = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      streams.delete(res);
      unsubscribe?.().catch((error: unknown) =>
        deps.logger.debug({ err: error }, 'job page: unsubscribe failed'),
      );
      if (!res.writableEnded) res.end();
    };
    streams.set(res, finish);
    req.on('close', finish);

    const send = (event: ProgressEvent) => {
      if (closed) return;
      res.write(frame('progress', event));
      if (event.type === 'finished') finish();
    };
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no', // nginx: pass each event on at once
      'X-Content-Type-Options': 'nosniff',
    });
    res.flushHeaders();
    try {
      unsubscribe = await deps.subscribe(request.id, (event) =>
        pending ? pending.push(event) : send(event),
      );
      if (closed) {
        await unsubscribe();
        return;
      }
      const replayed = await deps.replay(request.id);
      if (closed) return; // the reader left while the state was read: nothing more to write
      const timeline = buildTimeline(request, replayed);
      res.write(`retry: 5000\n${frame('snapshot', timeline)}`);
      const seen = new Set(replayed.map((e) => JSON.stringify(e)));
      const queued = pending;
      pending = undefined;
      for (const event of queued) if (!seen.has(JSON.stringify(event))) send(event);
      if (TERMINAL_STATUSES.has(timeline.status)) finish();
    } catch (error) {
      deps.logger.warn({ err: error, requestId: request.id }, 'job page: event stream failed');
      finish();
    }
  };

  return {
    handler,
    get open() {
      return streams.size;
    },
    closeAll() {
      for (const finish of [...streams.values()]) finish();
    },
  };
}
