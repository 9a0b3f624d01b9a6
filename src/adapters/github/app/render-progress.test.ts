import { describe, expect, it } from '@jest/globals';
import { applyEvent, initialView } from '../../../core/conversation/status-view.js';
import { STAGE_LABELS, type ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import { fakeResult } from '../../../../tests/helpers/job-fixtures.js';
import { buildRequest } from '../../../../tests/helpers/pipeline-fixtures.js';
import { renderProgress } from './render-progress.js';

const request: GenerationRequest = buildRequest('a todo app', {
  id: '0f8c3f8e-0000-4000-8000-000000000000',
  source: 'github',
  thread: { platform: 'github', installationId: 1, owner: 'acme', repo: 'todo', issueNumber: 3 },
  idempotencyKey: 'github:1:issue:3:build',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:00:00Z'),
});
const at = '2026-01-01T00:01:05Z';

const render = (events: ProgressEvent[], req: GenerationRequest = request) =>
  renderProgress({
    request: req,
    view: events.reduce((view, event) => applyEvent(view, event, req), initialView(req)),
  });

describe('progress comment', () => {
  it('shows the latest note, the checklist with the shared labels, time and cost while running', () => {
    const body = render([
      {
        type: 'stage',
        requestId: request.id,
        at,
        percent: 20,
        stage: 'requirements',
        state: 'completed',
        message: 'ok',
        costUsd: 0.01,
      },
      {
        type: 'stage',
        requestId: request.id,
        at,
        percent: 30,
        stage: 'security',
        state: 'skipped',
        message: 'n/a',
      },
      {
        type: 'milestone',
        requestId: request.id,
        at,
        percent: 30,
        stage: 'requirements',
        message: 'Spec understood: Todo',
        links: [],
      },
    ]);
    expect(body).toContain('### 🛠️ Autonoma is building an app from this issue');
    expect(body).toContain('_Spec understood: Todo_');
    expect(body).toContain(`- ✅ ${STAGE_LABELS.requirements}\n`);
    expect(body).toContain(`- ⏭️ ${STAGE_LABELS.security} (skipped)`);
    expect(body).toContain(`- ⬜ ${STAGE_LABELS.publish}`);
    expect(body).not.toContain(STAGE_LABELS.queued);
    expect(body).toContain('⏱️ 1 min 5 s · 💵 $0.0100');
  });

  it('ends a failed iteration with the error, its stage failed, and only the stages it ran', () => {
    const iterate = { ...request, kind: 'iterate' as const };
    const body = render(
      [
        {
          type: 'stage',
          requestId: request.id,
          at,
          percent: 50,
          stage: 'frontend',
          state: 'started',
          message: 'pages',
        },
        {
          type: 'finished',
          requestId: request.id,
          at,
          percent: 50,
          status: 'failed',
          message: 'Typecheck failed',
          links: [],
        },
      ],
      iterate,
    );
    expect(body).toContain('### ❌ The iteration failed');
    expect(body).toContain('Typecheck failed');
    expect(body).toContain(`- ❌ ${STAGE_LABELS.frontend}`);
    expect(body).not.toContain(STAGE_LABELS.publish);
  });

  it('on success links the pull request and folds the review summary away', () => {
    const done = { ...request, status: 'succeeded' as const, finishedAt: new Date('2026-01-01T00:02:00Z') };
    const result = fakeResult(done, {
      pullRequest: { number: 2, url: 'https://github.com/acme/todo/pull/2', title: 'Todo' },
      reviewSummary: 'Built Todo.',
      costUsd: 0.5,
    });
    const body = render(
      [
        {
          type: 'finished',
          requestId: request.id,
          at,
          percent: 100,
          status: 'succeeded',
          message: 'Built Todo.',
          links: [],
        },
      ],
      { ...done, result },
    );
    expect(body).toContain('### ✅ Your app is ready');
    expect(body).toContain('[Pull request #2](https://github.com/acme/todo/pull/2)');
    expect(body).toContain('<details><summary>Review summary</summary>');
    expect(body).toContain('⏱️ 2 min 0 s · 💵 $0.5000');
  });

  it('embeds the home page screenshots from the PR branch, and nothing from elsewhere', () => {
    const base = 'https://github.com/acme/todo/blob/autonoma/todo/.autonoma/screenshots';
    const done = { ...request, status: 'succeeded' as const, finishedAt: new Date('2026-01-01T00:02:00Z') };
    const result = fakeResult(done, {
      screenshots: [
        { file: 'home-desktop.png', url: `${base}/home-desktop.png?raw=true` },
        { file: 'home-phone.png', url: 'https://evil.example.com/home-phone.png?raw=true' },
        { file: 'tasks-desktop.png', url: `${base}/tasks-desktop.png?raw=true` },
      ],
    });
    const finished: ProgressEvent = {
      type: 'finished',
      requestId: request.id,
      at,
      percent: 100,
      status: 'succeeded',
      message: 'Built Todo.',
      links: [],
    };
    const body = render([finished], { ...done, result });
    expect(body).toContain(
      `<img src="${base}/home-desktop.png?raw=true" alt="Home page, desktop" height="240">`,
    );
    expect(body).not.toContain('evil.example.com');
    expect(body).not.toContain('tasks-desktop');
    // A local forge's file paths are not embedded.
    const local = fakeResult(done, {
      screenshots: [{ file: 'home-desktop.png', url: '/srv/x.screenshots/home-desktop.png' }],
    });
    expect(render([finished], { ...done, result: local })).not.toContain('<img');
  });
});
