import { describe, expect, it } from '@jest/globals';
import type { FileMap } from '../../core/domain/files.js';
import { createLogger } from '../../core/logger.js';
import { createPreviewManager, type PreviewClock, type PreviewSource } from './preview-manager.js';
import { PreviewStartError, type PreviewRunner, type RunningApp } from './sandbox-preview.js';

const logger = createLogger({ level: 'silent' });
const LIFETIME = 30 * 60_000;

function manualClock() {
  let now = Date.parse('2026-01-01T12:00:00Z');
  const timers = new Set<{ at: number; run: () => void }>();
  const clock: PreviewClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.add(timer);
      return timer;
    },
    clearTimer: (timer) => void timers.delete(timer as { at: number; run: () => void }),
  };
  return {
    clock,
    pending: () => timers.size,
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers])
        if (timer.at <= now) {
          timers.delete(timer);
          timer.run();
        }
    },
  };
}

/** A runner whose apps are records: which files each started with, and whether it was stopped. */
function recordingRunner(fail?: string) {
  const apps: Array<{ files: FileMap; stopped: boolean; exit(why: string): void }> = [];
  const runner: PreviewRunner = {
    async start(files) {
      if (fail) throw new PreviewStartError(fail);
      let exit: (why: string) => void = () => undefined;
      const exited = new Promise<string>((resolve) => {
        exit = resolve;
      });
      const record = { files, stopped: false, exit };
      apps.push(record);
      const app: RunningApp = {
        socketPath: `/tmp/preview-${apps.length}.sock`,
        exited,
        stop: async () => {
          record.stopped = true;
        },
      };
      return app;
    },
  };
  return { runner, apps };
}

const source = (branch: string, revision: string): PreviewSource => ({
  key: `local\nrepo\n${branch}`,
  revision,
  load: async (at) => new Map([['rev', at]]),
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the preview manager', () => {
  it('runs one preview per job, stops it when its time is up, and refuses past the cap', async () => {
    const time = manualClock();
    const { runner, apps } = recordingRunner();
    const previews = createPreviewManager({
      runner,
      lifetimeMs: LIFETIME,
      max: 2,
      logger,
      clock: time.clock,
    });
    expect(previews.start('a', source('one', 'r1'))).toMatchObject({
      ok: true,
      status: { state: 'starting' },
    });
    await settle();
    expect(previews.status('a')?.state).toBe('running');
    expect(previews.socketOf('a')).toBe('/tmp/preview-1.sock');
    // Asking again on the same head keeps the running one.
    expect(previews.start('a', source('one', 'r1'))).toMatchObject({
      ok: true,
      status: { state: 'running' },
    });
    expect(apps).toHaveLength(1);

    time.advance(10 * 60_000);
    previews.start('b', source('two', 'r1'));
    await settle();
    const refused = previews.start('c', source('three', 'r1'));
    expect(refused).toEqual({
      ok: false,
      message:
        '2 previews are running already, the most this server runs at once (AUTONOMA_PREVIEW_MAX). ' +
        'The next one ends at 12:30 UTC; try again then.',
    });
    expect(previews.status('c')).toBeUndefined();

    time.advance(20 * 60_000);
    await settle();
    expect(previews.status('a')).toMatchObject({
      state: 'stopped',
      message: expect.stringMatching(/time was up/),
    });
    expect(apps[0]?.stopped).toBe(true);
    expect(previews.socketOf('a')).toBeUndefined();
    expect(previews.active).toBe(1);
    expect(previews.start('c', source('three', 'r1')).ok).toBe(true);
    await previews.close();
    expect(apps.every((app) => app.stopped)).toBe(true);
    expect(time.pending()).toBe(0);
  });

  it('restarts on a newer head of the branch, and starts later ones there too', async () => {
    const { runner, apps } = recordingRunner();
    const previews = createPreviewManager({
      runner,
      lifetimeMs: LIFETIME,
      max: 3,
      logger,
      clock: manualClock().clock,
    });
    previews.start('a', source('one', 'r1'));
    previews.start('b', source('two', 'r1'));
    await settle();
    previews.refresh(source('one', 'r2'));
    await settle();
    expect(previews.status('a')).toMatchObject({ state: 'running', revision: 'r2' });
    expect(previews.status('b')).toMatchObject({ state: 'running', revision: 'r1' });
    expect(apps.map((app) => [app.files.get('rev'), app.stopped])).toEqual([
      ['r1', true],
      ['r1', false],
      ['r2', false],
    ]);
    // A job whose own result names the older commit still gets the newer head.
    await previews.stop('a');
    previews.start('a', source('one', 'r1'));
    await settle();
    expect(previews.status('a')?.revision).toBe('r2');
    await previews.close();
  });

  it('says why a preview failed: at start, or when the app stopped by itself', async () => {
    const failing = createPreviewManager({
      runner: recordingRunner("The app's build failed:\nerror TS2304").runner,
      lifetimeMs: LIFETIME,
      max: 1,
      logger,
      clock: manualClock().clock,
    });
    failing.start('a', source('one', 'r1'));
    await settle();
    expect(failing.status('a')).toMatchObject({
      state: 'failed',
      message: "The app's build failed:\nerror TS2304",
    });
    expect(failing.active).toBe(0);

    const { runner, apps } = recordingRunner();
    const previews = createPreviewManager({
      runner,
      lifetimeMs: LIFETIME,
      max: 1,
      logger,
      clock: manualClock().clock,
    });
    previews.start('a', source('one', 'r1'));
    await settle();
    apps[0]?.exit('The app stopped:\nError: listen EADDRINUSE');
    await settle();
    expect(previews.status('a')).toMatchObject({
      state: 'failed',
      message: 'The app stopped:\nError: listen EADDRINUSE',
    });
    expect(apps[0]?.stopped).toBe(true);
    expect(previews.start('b', source('two', 'r1')).ok).toBe(true);
    await previews.close();
  });
});
