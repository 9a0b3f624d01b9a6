import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InboundRoute } from '../../../core/ports/chat-adapter.js';

type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: Error) => void,
) => boolean | void | Promise<boolean | void>;

/**
 * Probot's middleware (created asynchronously in v14) as a route. Express strips the mount path from
 * `req.url`, while Probot matches the full webhook path: the original URL is put back for Probot and
 * restored before handing over to the next handler.
 */
export function webhookRoute(path: string, middleware: Promise<NodeMiddleware>): InboundRoute {
  return {
    path,
    handler(req, res, next) {
      const mounted = req.url;
      const original = (req as IncomingMessage & { originalUrl?: string }).originalUrl;
      if (original !== undefined) req.url = original;
      const onward = (error?: unknown) => {
        req.url = mounted;
        next(error);
      };
      middleware.then((handle) => handle(req, res, onward)).catch(onward);
    },
  };
}
