import type { Request } from 'express';

/**
 * The route pattern a request matched (`/jobs/:id`), never the raw URL, so metric labels stay
 * bounded. A middleware mounted with `app.use(path, …)` is labelled by its mount path, so mount
 * adapters on fixed paths. Nothing matched: 'unmatched'.
 */
export function routeLabel(req: Request): string {
  const pattern: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (pattern !== undefined) {
    const path = typeof pattern === 'string' ? pattern : String(pattern);
    return `${req.baseUrl}${path}` || '/';
  }
  return req.baseUrl !== '' ? req.baseUrl : 'unmatched';
}
