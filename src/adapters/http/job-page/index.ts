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
import { screenshotRoute } from './screenshot-route.js';

export interface JobPageDeps {
  links: Pick<JobLinks, 'verify'>;
  store: Pick<JobStore, 'getRequest' | 'listAgentRuns'>;
  /** The progress bus, and the recent events it keeps per job (RedisProgressBus.replay). */
  progress: { subscribe: ProgressBus['subscribe']; replay(requestId: string): Promise<ProgressEvent[]> };
  /** Where the jobs' branches are read from (file tree, code, screenshots); without it those are left out. */
  forge?: Pick<Forge, 'name' | 'readBranch'>;
  logger: Logger;
  maxStreams?: number;
  heartbeatMs?: number;
}

export interface JobPage {
  /** Mount at the server's root: it answers /jobs/:id, /jobs/:id/events and /jobs/:id/screenshots/:file. */
  router: express.Router;
  /** Live streams open now. */
  readonly openStreams: number;
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
  router.get('/jobs/:id', access, pageRoute({ store: deps.store, replay: deps.progress.replay, files }));
  router.get('/jobs/:id/events', access, streams.handler);
  router.get('/jobs/:id/screenshots/:file', access, screenshotRoute({ files }));
  return {
    router,
    get openStreams() {
      return streams.open;
    },
    close: () => streams.closeAll(),
  };
}
