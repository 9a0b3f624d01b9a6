import express from 'express';
import type { Logger } from '../../core/logger.js';
import { accessLog } from './access-log.js';
import { declaredSizeGuard } from './body.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import type { HttpMetrics } from './metrics.js';
import { opsRoutes } from './ops-routes.js';
import type { ReadinessCheck } from './readiness.js';
import { installRequestLogger, requestContext } from './request-context.js';

export interface HttpAppDeps {
  logger: Logger;
  /**
   * Body size limit (config `http.bodyLimit`). No global body parser is installed: routes that
   * need a body add `jsonBody(bodyLimit)`, `formBody(bodyLimit)` or `rawBody(bodyLimit)`.
   */
  bodyLimit: string;
  /** Named dependency checks for `/readyz`, e.g. `{ postgres: postgresCheck(pool) }`. */
  readiness: Record<string, ReadinessCheck>;
  metrics: HttpMetrics;
  /** Adds the adapters' routes (webhooks, MCP…), between the ops routes and the 404/error handlers. */
  mount?: (app: express.Express) => void;
  /** Bound on each readiness check. Default 1000 ms. */
  readinessTimeoutMs?: number;
}

/** The express app: request ids and logging, ops routes, the adapters' routes, JSON 404 and errors. */
export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.bodyLimit = deps.bodyLimit;

  installRequestLogger(app, deps.logger);
  app.use(requestContext());
  // Before logging and every route: an oversized declared body is refused unread.
  app.use(declaredSizeGuard(deps.bodyLimit));
  app.use(accessLog(deps.metrics, deps.logger));
  app.use(
    opsRoutes({
      readiness: deps.readiness,
      metrics: deps.metrics,
      readinessTimeoutMs: deps.readinessTimeoutMs ?? 1000,
    }),
  );
  deps.mount?.(app);
  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}
