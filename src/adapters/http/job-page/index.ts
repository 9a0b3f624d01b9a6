import express from 'express';
import type { ProgressEvent } from '../../../core/domain/progress.js';
import type { JobLinks } from '../../../core/job-links.js';
import type { Logger } from '../../../core/logger.js';
import type { Forge } from '../../../core/ports/forge.js';
import type { JobStore } from '../../../core/ports/job-store.js';
import type { ProgressBus } from '../../../core/ports/progress-bus.js';
import { requireJobLink } from './access.js';
import { createBranchFiles } from './branch-files.js';
import { createEventStreams } from './events-route.js';
import { pageRoute } from './page-route.js';
import { previewProxy } from './preview-proxy.js';
import { previewSource, previewStatusRoute, startPreviewRoute, stopPreviewRoute } from './preview-routes.js';
import type { JobPreviews } from './preview-types.js';
import { screenshotRoute } from './screenshot-route.js';

export interface JobPageDeps {
  links: Pick<JobLinks, 'verify'>;
  store: Pick<JobStore, 'getRequest' | 'listAgentRuns'>;
  /** Live previews (agents/preview); without them the page offers none. */
  previews?: { manager: JobPreviews; lifetimeMs: number };
  /** The progress bus, and the recent events it keeps per job (RedisProgressBus.replay). */
  progress: { subscribe: ProgressBus['subscribe']; replay(requestId: string): Promise<ProgressEvent[]> };
  /** Where the jobs' branches are read from (file tree, code, screenshots); without it those are left out. */
  forge?: Pick<Forge, 'name' | 'readBranch'>;
  logger: Logger;
  maxStreams?: number;
  heartbeatMs?: number;
}

export interface JobPage {
  /**
   * Mount at the server's root: it answers /jobs/:id, /jobs/:id/events, /jobs/:id/screenshots/:file
   * and, with previews, /jobs/:id/preview (POST), /jobs/:id/preview/stop (POST),
   * /jobs/:id/preview/status and /jobs/:id/preview/:token/* (the app).
   */
  router: express.Router;
  /** Live streams open now. */
  readonly openStreams: number;
  /** Follows finished jobs, so an iteration's new commit restarts previews of its branch. */
  start(): Promise<void>;
  /** Ends the live streams, so the server's shutdown does not wait for them. */
  close(): void;
}

/** The job page: `autonoma serve` shows each job at a signed, expiring link (see core/job-links.ts). */
export function createJobPage(deps: JobPageDeps): JobPage {
  const logger = deps.logger.child({ component: 'job-page' });
  const files = createBranchFiles({ ...(deps.forge ? { forge: deps.forge } : {}), logger });
  const streams = createEventStreams({
    subscribe: deps.progress.subscribe,
    replay: deps.progress.replay,
    logger,
    ...(deps.maxStreams === undefined ? {} : { maxStreams: deps.maxStreams }),
    ...(deps.heartbeatMs === undefined ? {} : { heartbeatMs: deps.heartbeatMs }),
  });
  const access = requireJobLink({ links: deps.links, store: deps.store });
  const router = express.Router();
  const previews = deps.previews;
  router.get(
    '/jobs/:id',
    access,
    pageRoute({
      store: deps.store,
      replay: deps.progress.replay,
      files,
      ...(previews ? { previews } : {}),
    }),
  );
  router.get('/jobs/:id/events', access, streams.handler);
  router.get('/jobs/:id/screenshots/:file', access, screenshotRoute({ files }));
  if (previews) {
    const manager = previews.manager;
    router.post('/jobs/:id/preview', access, startPreviewRoute({ previews: manager, files }));
    router.post('/jobs/:id/preview/stop', access, stopPreviewRoute({ previews: manager }));
    router.get('/jobs/:id/preview/status', access, previewStatusRoute({ previews: manager }));
    const pathAccess = requireJobLink({
      links: deps.links,
      store: deps.store,
      tokenOf: (req) => String(req.params.token ?? ''),
    });
    router.all('/jobs/:id/preview/:token{/*rest}', pathAccess, previewProxy({ previews: manager }));
  }
  let unsubscribe: (() => Promise<void>) | undefined;
  return {
    router,
    get openStreams() {
      return streams.open;
    },
    async start() {
      if (!previews || unsubscribe) return;
      unsubscribe = await deps.progress.subscribe('*', (event) => {
        if (event.type !== 'finished' || event.status !== 'succeeded') return;
        deps.store.getRequest(event.requestId).then(
          (request) => {
            const source = request ? previewSource(request.result, files) : undefined;
            if (source) previews.manager.refresh(source);
          },
          (error: unknown) => logger.warn({ err: error }, 'job page: finished job unreadable'),
        );
      });
    },
    close: () => {
      streams.closeAll();
      void unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
