import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { InboundRoute } from '../../../core/ports/chat-adapter.js';

type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: Error) => void,
) => boolean | void | Promise<boolean | void>;

/** When the app sets no limit (createHttpApp sets `locals.bodyLimit` from REQUEST_BODY_LIMIT). */
const DEFAULT_LIMIT = '1mb';

/** What express adds to the request this route is mounted on, and what @octokit/webhooks reads. */
type MountedRequest = IncomingMessage & {
  app?: { locals?: { bodyLimit?: string } };
  originalUrl?: string;
  body?: unknown;
  rawBody?: Buffer;
};

/**
 * Probot's middleware (created asynchronously in v14) as a route. The body is read first, under the
 * app's size limit (a declared or streamed body past it is a 413, and nothing past the limit is
 * buffered), and handed over as `rawBody`, which @octokit/webhooks verifies instead of reading the
 * stream itself without bound. Express strips the mount path from `req.url`, while Probot matches
 * the full webhook path: the original URL is put back for Probot and restored before handing over.
 */
export function webhookRoute(path: string, middleware: Promise<NodeMiddleware>): InboundRoute {
  const readers = new Map<string, express.RequestHandler>();
  const readBody = (limit: string): express.RequestHandler => {
    let read = readers.get(limit);
    if (!read) readers.set(limit, (read = express.raw({ limit, type: () => true })));
    return read;
  };

  function handOver(req: MountedRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    const mounted = req.url;
    if (req.originalUrl !== undefined) req.url = req.originalUrl;
    const onward = (error?: unknown) => {
      req.url = mounted;
      next(error);
    };
    middleware.then((handle) => handle(req, res, onward)).catch(onward);
  }

  return {
    path,
    handler(incoming, res, next) {
      const req = incoming as MountedRequest;
      const read = readBody(req.app?.locals?.bodyLimit ?? DEFAULT_LIMIT);
      read(req as express.Request, res as express.Response, (error?: unknown) => {
        if (error) {
          next(error);
          return;
        }
        // An empty body leaves express.raw's `{}` in place: Probot then sees an empty payload.
        req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        req.body = {};
        handOver(req, res, next);
      });
    },
  };
}
