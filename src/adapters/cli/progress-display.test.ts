import { describe, expect, it } from '@jest/globals';
import type { ProgressEvent } from '../../core/domain/progress.js';
import { createProgressDisplay } from './progress-display.js';

const at = '2026-01-01T00:00:00.000Z';
const events: ProgressEvent[] = [
  {
    type: 'stage',
    requestId: 'r',
    at,
    percent: 2,
    stage: 'queued',
    state: 'completed',
    message: 'Picked up',
  },
  {
    type: 'stage',
    requestId: 'r',
    at,
    percent: 8,
    stage: 'backend',
    state: 'started',
    message: 'Writing the backend part',
  },
  {
    type: 'milestone',
    requestId: 'r',
    at,
    percent: 8,
    stage: 'requirements',
    message: 'Spec understood: **Todo**',
    links: [],
  },
  {
    type: 'finished',
    requestId: 'r',
    at,
    percent: 100,
    status: 'succeeded',
    message: 'Built **Todo**\nmore',
    links: [],
  },
];

describe('terminal progress display', () => {
  it('prints one plain line per event when not on a TTY', () => {
    let out = '';
    const display = createProgressDisplay({ write: (t) => (out += t), isTTY: false });
    for (const event of events) display.update(event);
    expect(out.split('\n').filter(Boolean)).toEqual([
      '[  2%] Queued: completed — Picked up',
      '[  8%] Backend: started — Writing the backend part',
      '[  8%] Spec understood: Todo',
      '[100%] succeeded: Built Todo',
    ]);
  });

  it("leaves a failure's reason out of the progress lines: the outcome says it once, after them", () => {
    let out = '';
    const display = createProgressDisplay({ write: (t) => (out += t), isTTY: false });
    const reason = 'OPENAI_API_KEY was rejected by OpenAI (401). Check the key.';
    display.update({
      type: 'stage',
      requestId: 'r',
      at,
      percent: 2,
      stage: 'requirements',
      state: 'failed',
      message: reason,
    });
    display.update({
      type: 'finished',
      requestId: 'r',
      at,
      percent: 2,
      status: 'failed',
      message: reason,
      links: [],
      errorCode: 'unauthorized',
    });
    expect(out).toBe('[  2%] Requirements: failed\n[  2%] failed\n');

    let screen = '';
    const checklist = createProgressDisplay({ write: (t) => (screen += t), isTTY: true });
    checklist.update({
      type: 'stage',
      requestId: 'r',
      at,
      percent: 2,
      stage: 'requirements',
      state: 'failed',
      message: reason,
    });
    expect(screen).toMatch(/ {2}✖ Requirements *\n/);
    expect(screen).not.toContain('OPENAI_API_KEY');
  });

  it('redraws a checklist in place on a TTY, with elapsed time', () => {
    let out = '';
    let now = 0;
    const display = createProgressDisplay({ write: (t) => (out += t), isTTY: true }, () => now);
    display.update(events[0]!);
    now = 65_000;
    display.update(events[1]!);
    const frames = out.split('\x1b[');
    expect(out).toContain('Autonoma    8%  1m05s');
    expect(out).toContain('  ✔ Queued              Picked up');
    expect(out).toContain('  … Backend             Writing the backend part');
    expect(out).toContain('  · Pull request');
    expect(frames.length).toBeGreaterThan(1); // cursor moved up to redraw
  });
});
