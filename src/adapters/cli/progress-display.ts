import { STAGES, type ProgressEvent, type Stage } from '../../core/domain/progress.js';

type StageState = 'pending' | 'started' | 'completed' | 'failed' | 'skipped';

const SYMBOL: Record<StageState, string> = {
  pending: '·',
  started: '…',
  completed: '✔',
  failed: '✖',
  skipped: '–',
};

export interface ProgressDisplay {
  update(event: ProgressEvent): void;
  /** Redraws the elapsed time on a TTY so a long stage never looks hung. */
  tick(): void;
  stop(): void;
}

export interface DisplayTarget {
  write(text: string): void;
  isTTY: boolean;
}

/** Progress text is written for chat (Markdown); a terminal shows it plain. */
const plainText = (text: string) => (text.split('\n')[0] ?? '').replaceAll('**', '').replaceAll('`', '');

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * Follows a job in the terminal: on a TTY a live checklist redrawn in place (stage, state, message,
 * percent, elapsed time); otherwise one plain line per event, for logs and CI. A failure's reason is
 * left out: the CLI prints it once, with the outcome, after the progress.
 */
export function createProgressDisplay(target: DisplayTarget, now: () => number = Date.now): ProgressDisplay {
  const started = now();
  const states = new Map<Stage, { state: StageState; message: string }>(
    STAGES.map((s) => [s, { state: 'pending', message: '' }]),
  );
  const notes: string[] = [];
  let percent = 0;
  let drawnLines = 0;

  const render = () => {
    const lines = [
      `Autonoma  ${String(percent).padStart(3)}%  ${formatElapsed(now() - started)}`,
      ...STAGES.map((stage) => {
        const s = states.get(stage) ?? { state: 'pending', message: '' };
        const message = s.state === 'failed' ? '' : plainText(s.message).slice(0, 90);
        return `  ${SYMBOL[s.state]} ${stage.padEnd(13)}${message ? ` ${message}` : ''}`;
      }),
      ...notes.slice(-4).map((n) => `  ▸ ${plainText(n).slice(0, 110)}`),
    ];
    const clear = drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : '';
    target.write(`${clear}${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };

  const plain = (event: ProgressEvent) => {
    const head = `[${String(event.percent).padStart(3)}%]`;
    if (event.type === 'stage')
      target.write(
        `${head} ${event.stage}: ${event.state}${event.state === 'failed' ? '' : ` — ${plainText(event.message)}`}\n`,
      );
    else if (event.type === 'milestone') target.write(`${head} ${plainText(event.message)}\n`);
    else
      target.write(
        `${head} ${event.status}${event.status === 'succeeded' ? `: ${plainText(event.message)}` : ''}\n`,
      );
  };

  return {
    update(event) {
      percent = Math.max(percent, Math.round(event.percent));
      if (event.type === 'stage') states.set(event.stage, { state: event.state, message: event.message });
      if (event.type === 'milestone') notes.push(event.message);
      if (target.isTTY) render();
      else plain(event);
    },
    tick() {
      if (target.isTTY && drawnLines > 0) render();
    },
    stop() {
      if (target.isTTY && drawnLines > 0) render();
    },
  };
}
