import { describe, expect, it } from '@jest/globals';
import { createProgressDisplay } from '../../src/adapters/cli/progress-display.js';
import { renderProgress } from '../../src/adapters/github/app/render-progress.js';
import { finishedText, statusMessage } from '../../src/adapters/slack/blocks.js';
import { AGENTS } from '../../src/agents/registry.js';
import { applyEvent, initialView, type StatusView } from '../../src/core/conversation/status-view.js';
import { STAGE_LABELS, STAGES, type ProgressEvent, type Stage } from '../../src/core/domain/progress.js';
import { buildRequest } from '../helpers/pipeline-fixtures.js';

/**
 * Every stage of the table, and so every agent of the registry, shows up by its label on each
 * surface through the one status view: no surface keeps a list of its own.
 */
const request = buildRequest('a todo app', {
  createdAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:00:00Z'),
});
const at = '2026-01-01T00:01:00Z';

const stageEvent = (stage: Stage, state: 'started' | 'completed' | 'failed'): ProgressEvent => ({
  type: 'stage',
  requestId: request.id,
  at,
  percent: 10,
  stage,
  state,
  message: `${stage} ${state}`,
});

const fold = (events: ProgressEvent[]): StatusView =>
  events.reduce((view, event) => applyEvent(view, event, request), initialView(request));

const everyStageCompleted = STAGES.map((stage) => stageEvent(stage, 'completed'));

describe('agent stages on every surface', () => {
  it('has a distinct label for every stage, and every agent runs in a labelled stage', () => {
    expect(new Set(STAGES.map((s) => STAGE_LABELS[s])).size).toBe(STAGES.length);
    for (const agent of AGENTS) expect(STAGES).toContain(agent.stage);
  });

  it('lists every stage after queued in the Slack message and the GitHub comment', () => {
    const view = fold(everyStageCompleted);
    const slack = JSON.stringify(statusMessage(view).blocks);
    const github = renderProgress({ request, view });
    for (const stage of STAGES.filter((s) => s !== 'queued')) {
      expect(slack).toContain(`✅ ${STAGE_LABELS[stage]}`);
      expect(github).toContain(`- ✅ ${STAGE_LABELS[stage]}\n`);
    }
  });

  it('lists every stage in the terminal checklist, and names it in a plain line', () => {
    let screen = '';
    const tty = createProgressDisplay({ write: (t) => (screen += t), isTTY: true }, () => 0);
    let lines = '';
    const plain = createProgressDisplay({ write: (t) => (lines += t), isTTY: false }, () => 0);
    for (const event of everyStageCompleted) {
      tty.update(event);
      plain.update(event);
    }
    const lastDraw = screen.slice(screen.lastIndexOf('Autonoma'));
    for (const stage of STAGES) {
      expect(lastDraw).toMatch(new RegExp(`✔ ${STAGE_LABELS[stage]}\\s`));
      expect(lines).toContain(`${STAGE_LABELS[stage]}: completed`);
    }
  });

  it("names each agent's stage when the build fails there", () => {
    for (const agent of AGENTS) {
      const view = fold([
        stageEvent(agent.stage, 'started'),
        {
          type: 'finished',
          requestId: request.id,
          at,
          percent: 10,
          status: 'failed',
          message: `The ${agent.stage} stage failed: boom`,
          links: [],
        },
      ]);
      expect(finishedText(view)).toContain(`during *${STAGE_LABELS[agent.stage]}*`);
      expect(renderProgress({ request, view })).toContain(`- ❌ ${STAGE_LABELS[agent.stage]}\n`);
    }
  });
});
