import { describe, expect, it } from '@jest/globals';
import { STAGE_TABLE, STAGES, type ProgressEvent } from '../core/domain/progress.js';
import { createLogger } from '../core/logger.js';
import type { JobStore } from '../core/ports/job-store.js';
import type { ProgressBus } from '../core/ports/progress-bus.js';
import { createJobProgressReporter } from './progress-reporter.js';

function reporter() {
  const events: ProgressEvent[] = [];
  const stored: Array<{ stage: string; percent: number }> = [];
  const bus: ProgressBus = {
    publish: async (event) => {
      events.push(event);
    },
    subscribe: async () => async () => undefined,
    close: async () => undefined,
  };
  // The reporter only mirrors stage and percent into the store.
  const store = {
    updateProgress: async (_id: string, stage: string, percent: number) => {
      stored.push({ stage, percent });
    },
  } as Pick<JobStore, 'updateProgress'> as JobStore;
  const progress = createJobProgressReporter({
    requestId: 'r1',
    bus,
    store,
    logger: createLogger({ level: 'silent' }),
  });
  return { progress, events, stored };
}

describe('job progress reporter', () => {
  it("fills the bar by each completed stage's weight in the stage table, capped at 99 until finished", async () => {
    const { progress, events, stored } = reporter();
    const total = STAGE_TABLE.reduce((sum, row) => sum + row.weight, 0);
    let done = 0;
    for (const row of STAGE_TABLE) {
      await progress.stage(row.id, 'started', 'go');
      expect(progress.percent).toBe(Math.min(99, Math.round((100 * done) / total)));
      await progress.stage(row.id, row.id === 'security' ? 'skipped' : 'completed', 'ok');
      done += row.weight;
      expect(progress.percent).toBe(Math.min(99, Math.round((100 * done) / total)));
    }
    expect(progress.percent).toBe(99);
    expect(stored.map((s) => s.stage)).toEqual(STAGES.flatMap((s) => [s, s]));
    const percents = events.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    await progress.finished('succeeded', 'done');
    expect(events.at(-1)?.percent).toBe(100);
  });

  it('moves the bar for every stage: no stage is weightless', async () => {
    for (const row of STAGE_TABLE) {
      const { progress } = reporter();
      await progress.stage(row.id, 'completed', 'ok');
      expect(progress.percent).toBeGreaterThan(0);
    }
  });

  it('does not count a failed stage as progress', async () => {
    const { progress } = reporter();
    await progress.stage('requirements', 'failed', 'boom');
    expect(progress.percent).toBe(0);
  });
});
