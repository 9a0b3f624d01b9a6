import type { Octokit } from '@octokit/rest';
import type { Redis } from 'ioredis';
import type { Config } from '../../../core/config.js';
import type { Logger } from '../../../core/logger.js';
import type { GenerationService } from '../../../core/ports/generation-service.js';
import type { JobStore } from '../../../core/ports/job-store.js';

/** Everything a webhook handler or the progress replier needs, passed in (never read from globals). */
export interface GitHubAppContext {
  config: Config['github'];
  service: GenerationService;
  store: Pick<JobStore, 'findPullRequest'>;
  redis: Redis;
  /** Prefix of this adapter's Redis keys (the deployment's `queuePrefix`). */
  namespace: string;
  logger: Logger;
  /** An Octokit authenticated as the given installation, pointed at `config.apiUrl` (GHES included). */
  octokit(installationId: number): Octokit;
  now(): Date;
}

/** One Redis key of this adapter, e.g. `redisKey(app, 'delivery', id)`. */
export function redisKey(app: Pick<GitHubAppContext, 'namespace'>, ...parts: Array<string | number>): string {
  return [app.namespace, 'github', ...parts].join(':');
}

/** Keys that outlive GitHub's redelivery window (deliveries can be redelivered for a few days). */
export const DEDUPE_TTL_SECONDS = 7 * 24 * 3600;
