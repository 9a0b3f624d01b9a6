import { describe, expect, it } from '@jest/globals';
import { STAGE_LABELS, type ProgressEvent } from '../domain/progress.js';
import type { GenerationRequest, JobResult } from '../domain/request.js';
import {
  applyEvent,
  checklistRows,
  initialView,
  MAX_MILESTONES,
  pullRequestUrl,
  stageLabel,
  type StatusView,
} from './status-view.js';
import { buildRequest } from '../../../tests/helpers/pipeline-fixtures.js';

const request: GenerationRequest = buildRequest('a todo app', {
  id: '0f8c3f8e-0000-4000-8000-000000000000',
  source: 'slack',
  thread: { platform: 'slack', teamId: 'T1', channelId: 'C1', threadTs: '1.1', statusMessageTs: '1.1' },
  idempotencyKey: 'slack:cmd:1',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:00:10Z'),
});
const at = '2026-01-01T00:01:15Z';
const base = { requestId: request.id, at };

const stage = (
  s: Extract<ProgressEvent, { type: 'stage' }>['stage'],
  state: Extract<ProgressEvent, { type: 'stage' }>['state'],
  message: string,
  percent = 10,
  costUsd?: number,
): ProgressEvent => ({
  ...base,
  type: 'stage',
  stage: s,
  state,
  message,
  percent,
  ...(costUsd === undefined ? {} : { costUsd }),
});

const fold = (events: ProgressEvent[], start: StatusView = initialView(request), req = request) =>
  events.reduce((view, event) => applyEvent(view, event, req), start);

const result: JobResult = {
  requestId: request.id,
  appName: 'Todo',
  slug: 'todo',
  entities: ['Task'],
  files: 3,
  timingsMs: {},
  tokens: { input: 0, output: 0 },
  costUsd: 0.5,
  reviewSummary: 'The whole review summary, longer than the event copy.',
  pullRequest: { number: 7, url: 'https://forge.example/acme/todo/pull/7', title: 'Todo' },
  repository: { forge: 'github', name: 'acme/todo', location: 'https://forge.example/acme/todo' },
};

describe('initialView', () => {
  it('starts a new request queued, with nothing marked', () => {
    const view = initialView({ kind: 'build', prompt: 'a todo app' });
    expect(view).toMatchObject({ status: 'queued', stages: {}, percent: 0, costUsd: 0, links: [] });
    expect(view.requestId).toBeUndefined();
  });

  it('after a restart marks every stage before the stored one completed, and the stored one started', () => {
    const view = initialView({ ...request, stage: 'frontend', percent: 40 });
    expect(view.stages).toEqual({
      queued: 'completed',
      requirements: 'completed',
      architecture: 'completed',
      frontend: 'started',
    });
    expect(view.currentStage).toBe('frontend');
    expect(view.percent).toBe(40);
  });

  it('marks nothing for a queued request, whatever stage is stored', () => {
    expect(initialView({ ...request, status: 'queued', stage: 'frontend' }).stages).toEqual({});
  });

  it('shows a finished request as stored: summary, links, cost and time', () => {
    const view = initialView({
      ...request,
      status: 'succeeded',
      stage: 'publish',
      result,
      finishedAt: new Date('2026-01-01T00:02:10Z'),
    });
    expect(view.stages.publish).toBe('completed');
    expect(view.finalMessage).toBe(result.reviewSummary);
    expect(view.costUsd).toBe(0.5);
    expect(view.percent).toBe(100);
    expect(view.elapsedMs).toBe(120_000);
    expect(pullRequestUrl(view)).toBe('https://forge.example/acme/todo/pull/7');
  });

  it('shows a stored failure with its error and code, the stored stage failed', () => {
    const view = initialView({
      ...request,
      status: 'failed',
      stage: 'validation',
      errorCode: 'validation_failed',
      errorMessage: 'Tests failed',
    });
    expect(view.stages.validation).toBe('failed');
    expect(view).toMatchObject({ finalMessage: 'Tests failed', errorCode: 'validation_failed' });
  });
});

describe('applyEvent', () => {
  it('folds stage events: marks, messages, current stage, percent never going back, cost, elapsed', () => {
    const view = fold([
      stage('requirements', 'completed', 'Two entities', 20, 0.25),
      stage('frontend', 'started', 'Writing pages', 15),
    ]);
    expect(view.stages).toEqual({ requirements: 'completed', frontend: 'started' });
    expect(view.messages).toEqual({ requirements: 'Two entities', frontend: 'Writing pages' });
    expect(view).toMatchObject({
      currentStage: 'frontend',
      note: 'Writing pages',
      percent: 20,
      costUsd: 0.25,
    });
    expect(view.elapsedMs).toBe(65_000);
    expect(view.requestId).toBe(request.id);
  });

  it('does not change the view it is given', () => {
    const start = initialView(request);
    applyEvent(start, stage('frontend', 'started', 'x'), request);
    expect(start.stages).toEqual({});
  });

  it('moves a queued request to running when a worker picks it up, and a new attempt starts a fresh checklist', () => {
    const queued = initialView({ ...request, status: 'queued' });
    const picked = applyEvent(queued, stage('queued', 'completed', 'Picked up'), request);
    expect(picked.status).toBe('running');
    const retried = fold(
      [stage('frontend', 'failed', 'boom'), stage('queued', 'completed', 'Picked up again')],
      picked,
    );
    expect(retried.stages).toEqual({ queued: 'completed' });
  });

  it('keeps milestones, their links one per URL, and the latest one as the note', () => {
    const pr = { label: 'Pull request', url: 'https://forge.example/pr/7' };
    const milestone = (message: string, links = [pr]): ProgressEvent => ({
      ...base,
      type: 'milestone',
      stage: 'publish',
      percent: 90,
      message,
      links,
    });
    const view = fold([milestone('Spec understood', []), milestone('PR opened'), milestone('PR again')]);
    expect(view.milestones).toEqual(['Spec understood', 'PR opened', 'PR again']);
    expect(view.links).toEqual([pr]);
    expect(view.note).toBe('PR again');
    const many = fold(Array.from({ length: MAX_MILESTONES + 3 }, (_, i) => milestone(`m${i}`, [])));
    expect(many.milestones).toHaveLength(MAX_MILESTONES);
    expect(many.milestones.at(-1)).toBe(`m${MAX_MILESTONES + 2}`);
  });

  it('on success: 100 %, the stored whole review summary, every link and the final cost', () => {
    const view = fold(
      [
        stage('publish', 'completed', 'done', 95, 0.1),
        {
          ...base,
          type: 'finished',
          status: 'succeeded',
          percent: 100,
          message: 'The whole review…',
          links: [{ label: 'Repository', url: 'https://forge.example/acme/todo' }],
        },
      ],
      initialView(request),
      { ...request, result },
    );
    expect(view).toMatchObject({ status: 'succeeded', percent: 100, costUsd: 0.5 });
    expect(view.finalMessage).toBe(result.reviewSummary);
    expect(view.links.map((l) => l.label)).toEqual(['Repository']);
  });

  it('on failure: the error and its code, and the running stage marked failed', () => {
    const view = fold([
      stage('validation', 'started', 'tests', 60),
      {
        ...base,
        type: 'finished',
        status: 'failed',
        percent: 60,
        message: 'Tests failed',
        links: [],
        errorCode: 'validation_failed',
      },
    ]);
    expect(view).toMatchObject({ status: 'failed', percent: 60, finalMessage: 'Tests failed' });
    expect(view.errorCode).toBe('validation_failed');
    expect(view.stages.validation).toBe('failed');
  });

  it('follows events without a stored request (the CLI): no id, no elapsed time from the fold', () => {
    const view = [stage('frontend', 'started', 'x', 30)].reduce(
      (v, e) => applyEvent(v, e),
      initialView({ kind: 'build', prompt: 'p' }),
    );
    expect(view.requestId).toBeUndefined();
    expect(view.elapsedMs).toBe(0);
    expect(view.percent).toBe(30);
  });
});

describe('checklistRows', () => {
  it('lists the stages in order with the shared labels, without queued unless asked', () => {
    const view = fold([stage('requirements', 'completed', 'ok'), stage('frontend', 'started', 'pages')]);
    const rows = checklistRows(view);
    expect(rows[0]).toEqual({
      stage: 'requirements',
      label: STAGE_LABELS.requirements,
      state: 'completed',
      current: false,
      message: 'ok',
    });
    expect(rows.find((r) => r.stage === 'frontend')).toMatchObject({ state: 'started', current: true });
    expect(rows.find((r) => r.stage === 'publish')).toEqual({
      stage: 'publish',
      label: STAGE_LABELS.publish,
      state: 'pending',
      current: false,
    });
    expect(rows.some((r) => r.stage === 'queued')).toBe(false);
    expect(checklistRows(view, { includeQueued: true })[0]?.stage).toBe('queued');
  });

  it('names a stored stage by its label, and an unknown one as it is', () => {
    expect(stageLabel('review')).toBe(STAGE_LABELS.review);
    expect(stageLabel('warp-drive')).toBe('warp-drive');
  });
});
