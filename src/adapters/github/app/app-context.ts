import type { Octokit } from '@octokit/rest';
import type { Config } from '../../../core/config.js';
import type { Logger } from '../../../core/logger.js';
import type { GenerationService } from '../../../core/ports/generation-service.js';
import type { JobStore } from '../../../core/ports/job-store.js';
import type { StateStore } from '../../../core/ports/state-store.js';

/** Everything a webhook handler or the progress replier needs, passed in (never read from globals). */
export interface GitHubAppContext {
  config: Config['github'];
  service: GenerationService;
  store: Pick<JobStore, 'findPullRequest'>;
  /** De-duplication claims, progress checklists and iteration records, shared by every replica. */
  state: StateStore;
  logger: Logger;
  /** An Octokit authenticated as the given installation, pointed at `config.apiUrl` (GHES included). */
  octokit(installationId: number): Octokit;
  now(): Date;
}

/** One state key of this adapter, e.g. `stateKey('delivery', id)` → `github:delivery:<id>`. */
export function stateKey(...parts: Array<string | number>): string {
  return ['github', ...parts].join(':');
}

/** Keys that outlive GitHub's redelivery window (deliveries can be redelivered for a few days). */
export const DEDUPE_TTL_MS = 7 * 24 * 3600 * 1000;
