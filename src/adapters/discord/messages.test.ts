import { describe, expect, it } from '@jest/globals';
import {
  finalMessages,
  LIMITS,
  milestoneMessages,
  parseCustomId,
  customId,
  statusMessage,
} from './messages.js';
import { preview, splitText } from './split-text.js';

const id = '0f8c2a5e-1b2c-4d3e-8f90-123456789abc';

describe('splitText', () => {
  it('keeps every word, cutting at paragraph, line and word boundaries within the limit', () => {
    const text = Array.from({ length: 50 }, (_, i) => `Line ${i} ${'x'.repeat(i)}`).join('\n');
    const parts = splitText(text, 200);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(200);
    expect(parts.join('\n')).toBe(text);
  });

  it('cuts inside a word only when there is no other way', () => {
    expect(splitText('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
  });

  it('says how much a preview left out', () => {
    expect(preview('one two three four', 7)).toBe('one two… (+11 more characters)');
    expect(preview('short', 10)).toBe('short');
  });
});

describe('messages', () => {
  it('keeps the status message within 2,000 characters, even with the longest prompt', () => {
    const body = statusMessage({
      requestId: id,
      kind: 'build',
      prompt: 'p'.repeat(4000),
      status: 'running',
      stages: { requirements: 'completed', architecture: 'started' },
      percent: 12,
      elapsedMs: 65_000,
      costUsd: 0.01234,
      note: 'n'.repeat(3000),
    });
    expect(body.content.length).toBeLessThanOrEqual(LIMITS.content);
    expect(body.content).toContain('1m 05s elapsed');
    expect(body.content).toContain('✅ Requirements');
    expect(body.content).toContain('⏳ Architecture');
    expect(body.content).toMatch(/more characters\)/);
  });

  it('puts a 20,000-character summary in the embed and an attachment, never losing text', () => {
    const summary = Array.from({ length: 400 }, (_, i) => `Sentence number ${i} about the app.`).join(' ');
    const { main, overflow } = finalMessages({
      requestId: id,
      kind: 'build',
      prompt: 'a todo app',
      status: 'succeeded',
      summary,
      links: [{ label: 'Pull request', url: 'https://github.com/acme/todo/pull/1' }],
      elapsedMs: 1000,
      costUsd: 0,
    });
    const embed = main.embeds![0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(JSON.stringify(embed).length).toBeLessThan(LIMITS.embedTotal);
    expect(overflow).toHaveLength(1);
    const shown = embed.description!.replace(/\s*\*\(continued below\)\*$/, '');
    expect(`${shown} ${overflow[0]!.attachment!.text}`).toBe(summary);
  });

  it('shows Retry after a failure and a local repository path as text, not a link', () => {
    const { main } = finalMessages({
      requestId: id,
      kind: 'build',
      prompt: 'a todo app',
      status: 'failed',
      summary: 'Validation failed: 2 tests.',
      links: [{ label: 'Repository', url: '/srv/autonoma/repos/todo' }],
      elapsedMs: 1000,
      costUsd: 0,
    });
    expect(JSON.stringify(main.components)).toContain(customId('retry', id));
    expect(JSON.stringify(main.components)).not.toContain('Open PR');
    expect(JSON.stringify(main.embeds)).toContain('`/srv/autonoma/repos/todo`');
  });

  it('splits a long milestone into messages under 2,000 characters', () => {
    const parts = milestoneMessages('m '.repeat(2500), [{ label: 'Spec', url: 'https://example.com' }]);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(part.content.length).toBeLessThanOrEqual(LIMITS.content);
  });

  it('reads back only its own button ids', () => {
    expect(parseCustomId(customId('cancel', id))).toEqual({ action: 'cancel', requestId: id });
    expect(parseCustomId('autonoma:delete:' + id)).toBeUndefined();
  });
});
