import { describe, expect, it } from '@jest/globals';
import type { ProgressEvent } from '../../../core/domain/progress.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import { escapeHtml, html, linkOrText } from './html.js';
import { buildTimeline, MAX_UPDATES } from './timeline.js';
import { buildRequest } from '../../../../tests/helpers/pipeline-fixtures.js';

const request = (fields: Partial<GenerationRequest> = {}): GenerationRequest =>
  buildRequest('p', { id: 'r1', startedAt: null, ...fields });
const at = '2026-12-03T10:00:00.000Z';
const states = (t: ReturnType<typeof buildTimeline>) =>
  Object.fromEntries(t.stages.filter((s) => s.state !== 'pending').map((s) => [s.stage, s.state]));

describe('buildTimeline', () => {
  it('replays stage events in order, keeps milestones as updates and takes the finished status', () => {
    const events: ProgressEvent[] = [
      {
        type: 'stage',
        requestId: 'r1',
        at,
        percent: 5,
        stage: 'requirements',
        state: 'started',
        message: 'a',
      },
      {
        type: 'stage',
        requestId: 'r1',
        at,
        percent: 15,
        stage: 'requirements',
        state: 'completed',
        message: 'b',
      },
      {
        type: 'milestone',
        requestId: 'r1',
        at,
        percent: 16,
        stage: 'requirements',
        message: 'Spec',
        links: [],
      },
      { type: 'stage', requestId: 'r1', at, percent: 30, stage: 'frontend', state: 'failed', message: 'c' },
      { type: 'finished', requestId: 'r1', at, percent: 30, status: 'failed', message: 'Boom', links: [] },
    ];
    const timeline = buildTimeline(request(), events);
    expect(states(timeline)).toEqual({ requirements: 'completed', frontend: 'failed' });
    expect(timeline.stages.find((s) => s.stage === 'requirements')?.message).toBe('b');
    expect(timeline.updates.map((u) => u.message)).toEqual(['Spec', 'Boom']);
    expect(timeline).toMatchObject({ status: 'failed', percent: 30 });
  });

  it('falls back to the stored stage when the events have expired', () => {
    expect(states(buildTimeline(request({ stage: 'backend', status: 'failed' }), []))).toEqual({
      queued: 'completed',
      requirements: 'completed',
      architecture: 'completed',
      frontend: 'completed',
      backend: 'failed',
    });
    const done = buildTimeline(request({ status: 'succeeded', percent: 90 }), []);
    expect(done.stages.every((s) => s.state === 'completed')).toBe(true);
    expect(done.percent).toBe(100);
  });

  it('keeps the newest updates only', () => {
    const events: ProgressEvent[] = Array.from({ length: MAX_UPDATES + 5 }, (_, i) => ({
      type: 'milestone',
      requestId: 'r1',
      at,
      percent: 1,
      stage: 'frontend',
      message: `m${i}`,
      links: [],
    }));
    const updates = buildTimeline(request(), events).updates;
    expect(updates).toHaveLength(MAX_UPDATES);
    expect(updates.at(-1)?.message).toBe(`m${MAX_UPDATES + 4}`);
  });
});

describe('html', () => {
  it('escapes every interpolated string, nested templates excepted', () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<a title="${name}">${name}</a>`.value).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>',
    );
    // Called by another name: the formatter reflows templates tagged `html`, and the exact output matters here.
    const tag = html;
    expect(tag`<ul>${['<1>', tag`<li>${'<2>'}</li>`]}</ul>`.value).toBe(
      '<ul>&lt;1&gt;<li>&lt;2&gt;</li></ul>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('makes links of http(s) URLs only', () => {
    expect(linkOrText('https://x.example/a?b=1&c=2', 'PR').value).toBe(
      '<a href="https://x.example/a?b=1&amp;c=2" rel="noreferrer">PR</a>',
    );
    expect(linkOrText('javascript:alert(1)', 'PR').value).toBe('PR (javascript:alert(1))');
    expect(linkOrText('/srv/repos/todo', 'Repo').value).toBe('Repo (/srv/repos/todo)');
  });
});
