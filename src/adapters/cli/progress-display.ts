import {
  applyEvent,
  checklistRows,
  initialView,
  type ChecklistRow,
} from '../../core/conversation/status-view.js';
import { STAGE_LABELS, type ProgressEvent } from '../../core/domain/progress.js';

const SYMBOL: Record<ChecklistRow['state'], string> = {
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

const LABEL_WIDTH = Math.max(...Object.values(STAGE_LABELS).map((label) => label.length)) + 1;

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
  // The events carry no prompt, and the terminal does not show one.
  let view = initialView({ kind: 'build', prompt: '' });
  let drawnLines = 0;

  const render = () => {
    const lines = [
      `Autonoma  ${String(Math.round(view.percent)).padStart(3)}%  ${formatElapsed(now() - started)}`,
      ...checklistRows(view, { includeQueued: true }).map(({ label, state, message = '' }) => {
        const shown = state === 'failed' ? '' : plainText(message).slice(0, 90);
        return `  ${SYMBOL[state]} ${label.padEnd(LABEL_WIDTH)}${shown ? ` ${shown}` : ''}`;
      }),
      ...view.milestones.slice(-4).map((n) => `  ▸ ${plainText(n).slice(0, 110)}`),
    ];
    const clear = drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : '';
    target.write(`${clear}${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };

  const plain = (event: ProgressEvent) => {
    const head = `[${String(event.percent).padStart(3)}%]`;
    if (event.type === 'stage')
      target.write(
        `${head} ${STAGE_LABELS[event.stage]}: ${event.state}${event.state === 'failed' ? '' : ` — ${plainText(event.message)}`}\n`,
      );
    else if (event.type === 'milestone') target.write(`${head} ${plainText(event.message)}\n`);
    else
      target.write(
        `${head} ${event.status}${event.status === 'succeeded' ? `: ${plainText(event.message)}` : ''}\n`,
      );
  };

  return {
    update(event) {
      view = applyEvent(view, event);
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
