import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../core/logger.js';
import type { HttpMetrics } from './metrics.js';
import { routeLabel } from './route-label.js';

/**
 * One log line and one histogram sample per request, once it has finished (or the client went
 * away). Method, route pattern, status and duration only: no URL query, headers or bodies.
 */
export function accessLog(metrics: HttpMetrics, logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      const aborted = !res.writableFinished;
      metrics.observeRequest({ method: req.method, route, status: res.statusCode, seconds });
      // The request id as a field rather than through req.log: no child logger per request.
      logger.info(
        {
          requestId: req.id,
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000 * 10) / 10,
          ...(aborted ? { aborted } : {}),
        },
        'request completed',
      );
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}
