import { describe, expect, it } from '@jest/globals';
import type { GenerationRequest } from '../../core/domain/request.js';
import { finishedText, statusMessage } from './blocks.js';
import { applyEvent, initialView } from '../../core/conversation/status-view.js';

const request: GenerationRequest = {
  id: '0f8c3f8e-0000-4000-8000-000000000000',
  kind: 'build',
  prompt: 'a todo app <script>',
  source: 'slack',
  thread: { platform: 'slack', teamId: 'T1', channelId: 'C1', threadTs: '1.1', statusMessageTs: '1.1' },
  idempotencyKey: 'slack:cmd:1',
  status: 'running',
  stage: null,
  percent: 0,
  errorCode: null,
  errorMessage: null,
  result: null,
  attempts: 1,
  parentRequestId: null,
  target: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  startedAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: null,
};
const at = '2026-01-01T00:01:05Z';

describe('status message', () => {
  it('shows the checklist, percent, elapsed time and cost, escapes the prompt, and offers Cancel while running', () => {
    let view = initialView(request);
    view = applyEvent(
      view,
      {
        type: 'stage',
        requestId: request.id,
        at,
        percent: 20,
        stage: 'requirements',
        state: 'completed',
        message: 'ok',
        costUsd: 0.25,
      },
      request,
    );
    view = applyEvent(
      view,
      {
        type: 'stage',
        requestId: request.id,
        at,
        percent: 20,
        stage: 'frontend',
        state: 'started',
        message: 'Writing pages',
      },
      request,
    );
    const text = JSON.stringify(statusMessage(view).blocks);
    expect(text).toContain('✅ Requirements');
    expect(text).toContain('⏳ *Frontend* — Writing pages');
    expect(text).toContain('20%');
    expect(text).toContain('1m 05s');
    expect(text).toContain('$0.25');
    expect(text).toContain('a todo app &lt;script&gt;');
    expect(text).toContain('autonoma_cancel');
    expect(text).not.toContain('autonoma_retry');
  });

  it('ends a failure with what failed, what to do and Retry', () => {
    let view = initialView(request);
    view = applyEvent(
      view,
      {
        type: 'stage',
        requestId: request.id,
        at,
        percent: 50,
        stage: 'validation',
        state: 'started',
        message: 'tests',
      },
      request,
    );
    view = applyEvent(
      view,
      {
        type: 'finished',
        requestId: request.id,
        at,
        percent: 50,
        status: 'failed',
        message: 'Tests failed',
        links: [],
        errorCode: 'validation_failed',
      },
      request,
    );
    const text = JSON.stringify(statusMessage(view).blocks);
    expect(text).toContain('❌ Validation');
    expect(text).toContain('*What failed:* Tests failed');
    expect(text).toContain('*What to do:*');
    expect(text).toContain('autonoma_retry');
    expect(finishedText(view)).toContain('❌ Failed during *Validation*: Tests failed');
  });
});
