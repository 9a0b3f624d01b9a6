/**
 * Live previews of jobs' apps: at most `max` at once, each for `lifetimeMs`, then killed and its
 * directory removed. One preview per job; a newer commit on the job's branch (an iteration) restarts
 * it on the new head. All state lives in the manager a composition root creates; time comes from the
 * injected clock, so tests can make a preview expire without waiting half an hour.
 */
import type { FileMap } from '../../core/domain/files.js';
import type { Logger } from '../../core/logger.js';
import { AutonomaError } from '../../core/errors.js';
import type { PreviewRunner, RunningApp } from './sandbox-preview.js';

export type PreviewState = 'starting' | 'running' | 'failed' | 'stopped';

/** What the job page shows of a job's preview. */
export interface PreviewStatus {
  state: PreviewState;
  /** The branch head it runs (or ran). */
  revision: string;
  startedAt: number;
  expiresAt: number;
  /** Why it failed or stopped, for the page. */
  message?: string;
}

/** Which branch a job's preview runs: `key` names the branch, `revision` its head commit. */
export interface PreviewSource {
  key: string;
  revision: string;
  /** The branch's files at `revision`. */
  load(revision: string): Promise<FileMap | undefined>;
}

export type StartOutcome = { ok: true; status: PreviewStatus } | { ok: false; message: string };

export interface PreviewClock {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

export interface PreviewManagerOptions {
  runner: PreviewRunner;
  lifetimeMs: number;
  max: number;
  logger: Logger;
  clock?: PreviewClock;
}

export interface PreviewManager {
  /** Starts the job's preview (or keeps the one already on this revision); refuses past the cap. */
  start(jobId: string, source: PreviewSource): StartOutcome;
  stop(jobId: string, why?: string): Promise<void>;
  status(jobId: string): PreviewStatus | undefined;
  /** The socket of the job's running preview. */
  socketOf(jobId: string): string | undefined;
  /** A new head on a branch: every preview of it restarts there, and later starts use it. */
  refresh(source: PreviewSource): void;
  /** Previews starting or running now. */
  readonly active: number;
  /** Stops every preview (server shutdown). */
  close(): Promise<void>;
}

interface Preview {
  status: PreviewStatus;
  key: string;
  controller: AbortController;
  timer: unknown;
  app?: RunningApp;
  /** Settles once the runner has started or given up. */
  settled: Promise<void>;
}

const systemClock: PreviewClock = {
  now: () => Date.now(),
  setTimer: (run, ms) => {
    const timer = setTimeout(run, ms);
    timer.unref();
    return timer;
  },
  clearTimer: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/** Finished previews keep their outcome for the page a while; at most this many are remembered. */
const MAX_REMEMBERED = 200;

export function createPreviewManager(options: PreviewManagerOptions): PreviewManager {
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'preview' });
  const previews = new Map<string, Preview>();
  /** The newest head each branch is known to have (from refresh), by source key. */
  const heads = new Map<string, string>();
  const isActive = (preview: Preview) =>
    preview.status.state === 'starting' || preview.status.state === 'running';
  const activeCount = () => [...previews.values()].filter(isActive).length;

  const finish = (jobId: string, preview: Preview, state: 'failed' | 'stopped', message: string) => {
    if (!isActive(preview)) return;
    clock.clearTimer(preview.timer);
    preview.status = { ...preview.status, state, message };
    preview.controller.abort();
    // Re-inserted last: the oldest outcomes are forgotten first.
    previews.delete(jobId);
    previews.set(jobId, preview);
    for (const [id, old] of previews) {
      if (previews.size <= MAX_REMEMBERED) break;
      if (!isActive(old)) previews.delete(id);
    }
  };

  const teardown = async (preview: Preview) => {
    await preview.settled;
    await preview.app?.stop();
  };

  const launch = (jobId: string, source: PreviewSource): Preview => {
    const now = clock.now();
    const preview: Preview = {
      status: {
        state: 'starting',
        revision: source.revision,
        startedAt: now,
        expiresAt: now + options.lifetimeMs,
      },
      key: source.key,
      controller: new AbortController(),
      timer: undefined,
      settled: Promise.resolve(),
    };
    preview.timer = clock.setTimer(() => {
      finish(
        jobId,
        preview,
        'stopped',
        'The preview stopped after its time was up; start it again to see more.',
      );
      void teardown(preview);
    }, options.lifetimeMs);
    preview.settled = (async () => {
      try {
        const files = await source.load(source.revision);
        if (!files) throw new AutonomaError('not_found', 'The branch could not be read from the forge.');
        const app = await options.runner.start(files, preview.controller.signal);
        preview.app = app;
        if (preview.status.state !== 'starting') return; // stopped meanwhile: teardown stops the app
        preview.status = { ...preview.status, state: 'running' };
        logger.info({ jobId, revision: source.revision }, 'preview running');
        void app.exited.then((why) => {
          if (preview.status.state !== 'running') return;
          finish(jobId, preview, 'failed', why);
          void app.stop();
        });
      } catch (error) {
        const message =
          error instanceof AutonomaError ? error.message : 'The preview could not start: an internal error.';
        if (!(error instanceof AutonomaError)) logger.warn({ err: error, jobId }, 'preview failed');
        finish(jobId, preview, 'failed', message);
      }
    })();
    previews.set(jobId, preview);
    return preview;
  };

  const restart = (jobId: string, old: Preview, source: PreviewSource) => {
    finish(jobId, old, 'stopped', 'Restarted on a newer commit.');
    void teardown(old);
    launch(jobId, source);
  };

  return {
    start(jobId, given) {
      // A job's own result names the commit it made; an iteration since then moved the branch on.
      const head = heads.get(given.key);
      const source = head === undefined ? given : { ...given, revision: head };
      const current = previews.get(jobId);
      if (current && isActive(current)) {
        if (current.status.revision === source.revision) return { ok: true, status: current.status };
        restart(jobId, current, source);
        return { ok: true, status: (previews.get(jobId) as Preview).status };
      }
      if (activeCount() >= options.max) {
        const next = Math.min(...[...previews.values()].filter(isActive).map((p) => p.status.expiresAt));
        return {
          ok: false,
          message:
            `${options.max} previews are running already, the most this server runs at once (AUTONOMA_PREVIEW_MAX). ` +
            `The next one ends at ${new Date(next).toISOString().slice(11, 16)} UTC; try again then.`,
        };
      }
      return { ok: true, status: launch(jobId, source).status };
    },
    async stop(jobId, why = 'The preview was stopped.') {
      const preview = previews.get(jobId);
      if (!preview) return;
      finish(jobId, preview, 'stopped', why);
      await teardown(preview);
    },
    status: (jobId) => previews.get(jobId)?.status,
    socketOf(jobId) {
      const preview = previews.get(jobId);
      return preview?.status.state === 'running' ? preview.app?.socketPath : undefined;
    },
    refresh(source) {
      heads.delete(source.key);
      heads.set(source.key, source.revision);
      if (heads.size > MAX_REMEMBERED) heads.delete(heads.keys().next().value as string);
      for (const [jobId, preview] of [...previews]) {
        if (isActive(preview) && preview.key === source.key && preview.status.revision !== source.revision)
          restart(jobId, preview, source);
      }
    },
    get active() {
      return activeCount();
    },
    async close() {
      const all = [...previews.entries()];
      for (const [jobId, preview] of all) finish(jobId, preview, 'stopped', 'The server shut down.');
      await Promise.all(all.map(([, preview]) => teardown(preview)));
    },
  };
}
