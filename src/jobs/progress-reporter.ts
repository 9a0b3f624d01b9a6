import {
  STAGES,
  STAGE_WEIGHTS,
  type Link,
  type ProgressEventInput,
  type Stage,
} from '../core/domain/progress.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';
import type { ProgressReporter } from '../core/ports/progress-reporter.js';
import type { Logger } from '../core/logger.js';

/** The bar's whole: each completed stage adds its weight (core's STAGE_TABLE) over this. */
const TOTAL_WEIGHT = STAGES.reduce((sum, s) => sum + STAGE_WEIGHTS[s], 0);

/** Event texts are bounded by the event schema; the full text stays in the stored request. */
function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export interface JobProgressReporter extends ProgressReporter {
  finished(
    status: 'succeeded' | 'failed' | 'cancelled',
    message: string,
    links?: Link[],
    errorCode?: string,
  ): Promise<void>;
  readonly costUsd: number;
  readonly percent: number;
}

/**
 * Publishes a request's progress on the bus and mirrors stage/percent into Postgres, so a follower
 * that attaches late (or after a restart) still sees where the job is.
 */
export function createJobProgressReporter(deps: {
  requestId: string;
  bus: ProgressBus;
  store: JobStore;
  logger: Logger;
  /** Applied to every text and link before it is published or stored (secrets never leave). */
  redact?: (text: string) => string;
  now?: () => Date;
}): JobProgressReporter {
  const completed = new Set<Stage>();
  const redact = deps.redact ?? ((text: string) => text);
  // Redacted before bounding: a cut could leave part of a secret that no longer matches.
  const text = (message: string, max: number) => bounded(redact(message), max);
  const safeLinks = (links: Link[]) => links.map((l) => ({ label: redact(l.label), url: redact(l.url) }));
  let costUsd = 0;
  const now = deps.now ?? (() => new Date());
  const percent = () =>
    Math.min(
      99,
      Math.round((100 * [...completed].reduce((sum, s) => sum + STAGE_WEIGHTS[s], 0)) / TOTAL_WEIGHT),
    );

  const publish = async (event: ProgressEventInput) => {
    try {
      await deps.bus.publish(event as Parameters<ProgressBus['publish']>[0]);
    } catch (error) {
      // Progress is best effort: a Redis blip must not fail the generation itself.
      deps.logger.warn({ err: error, requestId: deps.requestId }, 'progress event not published');
    }
  };

  return {
    get costUsd() {
      return costUsd;
    },
    get percent() {
      return percent();
    },
    addCost(usd) {
      costUsd += usd;
    },
    async stage(stage, state, message) {
      if (state === 'completed' || state === 'skipped') completed.add(stage);
      const at = now().toISOString();
      await publish({
        type: 'stage',
        requestId: deps.requestId,
        at,
        percent: percent(),
        stage,
        state,
        message: text(message, 2000),
        costUsd,
      });
      await deps.store.updateProgress(deps.requestId, stage, percent()).catch((error: unknown) => {
        deps.logger.warn({ err: error, requestId: deps.requestId }, 'progress not stored');
      });
    },
    async milestone(stage, message, links = []) {
      await publish({
        type: 'milestone',
        requestId: deps.requestId,
        at: now().toISOString(),
        percent: percent(),
        stage,
        message: text(message, 4000),
        links: safeLinks(links),
      });
    },
    async finished(status, message, links = [], errorCode) {
      await publish({
        type: 'finished',
        requestId: deps.requestId,
        at: now().toISOString(),
        percent: status === 'succeeded' ? 100 : percent(),
        status,
        message: text(message, 8000),
        links: safeLinks(links),
        ...(errorCode ? { errorCode } : {}),
      });
    },
  };
}
