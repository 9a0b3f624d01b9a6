import { getPriority, setPriority } from 'node:os';
import type { Logger } from '../core/logger.js';

/**
 * Lowers this process's CPU priority (Unix niceness) to `nice`, before it starts threads or child
 * processes so they inherit it. A worker builds apps (npm ci, tsc, tests, vite) and hands chat
 * deliveries on; the web tier must keep answering Slack, Discord and GitHub within their deadlines
 * when both share a host. Never raises priority (that needs privileges); 0 leaves it as it is.
 */
export function lowerWorkerPriority(nice: number, logger: Logger): void {
  if (nice <= 0) return;
  try {
    if (getPriority() >= nice) return;
    setPriority(nice);
    logger.debug({ nice }, 'worker priority lowered');
  } catch (error) {
    logger.warn(
      { err: error, nice },
      'could not lower the worker priority (WORKER_NICE); running at normal priority',
    );
  }
}
