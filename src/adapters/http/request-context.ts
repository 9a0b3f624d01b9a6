import { randomUUID } from 'node:crypto';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../core/logger.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: a safe incoming `x-request-id`, else a generated UUID. */
    id: string;
    /** A child logger bound to this request's id. */
    log: Logger;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

/** Bounded and limited to characters that cannot forge log lines or headers. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Keeps a caller's id when it is safe to echo and log, else makes a new one. */
export function resolveRequestId(incoming: string | string[] | undefined): string {
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate !== undefined && SAFE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** Gives every request an id, echoed in the response. */
export function requestContext(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    req.id = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, req.id);
    next();
  };
}

const REQUEST_LOGGER = Symbol('requestLogger');

/**
 * `req.log`: a child logger bound to the request id, made the first time a handler logs. Most
 * requests never do (the access log writes its line with the id itself), and a pino child with
 * redaction costs about 0.04 ms and 3.5 KB on every request that makes one.
 */
export function installRequestLogger(app: Express, logger: Logger): void {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { [REQUEST_LOGGER]?: Logger }): Logger {
      return (this[REQUEST_LOGGER] ??= logger.child({ requestId: this.id }));
    },
  });
}
