import { Router } from 'express';
import type { HttpMetrics } from './metrics.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';

export interface OpsRoutesOptions {
  readiness: Record<string, ReadinessCheck>;
  metrics: HttpMetrics;
  /** Bound on each readiness check. */
  readinessTimeoutMs: number;
}

/** `/healthz` (liveness: the process answers), `/readyz` (dependencies answer), `/metrics`. */
export function opsRoutes(options: OpsRoutesOptions): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (req, res) => {
    const report = await runReadinessChecks(options.readiness, options.readinessTimeoutMs);
    if (report.ready) {
      res.json({ status: 'ready', checks: report.checks });
      return;
    }
    req.log.warn({ errors: report.errors }, 'not ready');
    res.status(503).json({ status: 'not_ready', checks: report.checks, errors: report.errors });
  });

  router.get('/metrics', async (_req, res) => {
    const text = await options.metrics.render();
    res.setHeader('content-type', options.metrics.contentType);
    res.send(text);
  });

  return router;
}
