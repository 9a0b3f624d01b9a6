import type { Link, Stage } from '../domain/progress.js';

/** What agents and the publish step call to report progress; implemented in src/jobs. */
export interface ProgressReporter {
  stage(stage: Stage, state: 'started' | 'completed' | 'failed' | 'skipped', message: string): Promise<void>;
  milestone(stage: Stage, message: string, links?: Link[]): Promise<void>;
  /** Running cost so far, shown in status messages. */
  addCost(usd: number): void;
}

/** A reporter that drops everything: for work done outside a job (evaluation, tests of one agent). */
export const silentReporter: ProgressReporter = {
  stage: async () => undefined,
  milestone: async () => undefined,
  addCost: () => undefined,
};
