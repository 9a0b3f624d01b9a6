import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { CompletionRequest, ModelProvider } from '../../core/ports/model-provider.js';
import { createWorkspaceTools } from '../mcp/index.js';
import { renderTaskMessage, runAgent } from './agent-runner.js';
import { boundToolResult, compactToolCall } from './conversation-budget.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const BIG = `${'export const line = "0123456789";\n'.repeat(200)}`;

/** A model that writes one large file, reads a long one back, then answers; it keeps every request. */
function scriptedWriter(): { provider: ModelProvider; requests: CompletionRequest[] } {
  const requests: CompletionRequest[] = [];
  const provider: ModelProvider = {
    name: 'scripted',
    cost: () => 0,
    async complete(request) {
      requests.push(structuredClone({ ...request, signal: undefined, output: undefined }) as never);
      const turn = requests.length;
      const usage = { inputTokens: 1, outputTokens: 1 };
      if (turn === 1)
        return {
          content: '',
          toolCalls: [{ id: 'w1', name: 'write_file', arguments: { path: 'src/big.ts', content: BIG } }],
          stopReason: 'tool_calls',
          usage,
          model: 'm',
        };
      if (turn === 2)
        return {
          content: '',
          toolCalls: [{ id: 'r1', name: 'read_file', arguments: { path: 'src/big.ts' } }],
          stopReason: 'tool_calls',
          usage,
          model: 'm',
        };
      return { content: '{"done":true}', toolCalls: [], stopReason: 'end', usage, model: 'm' };
    },
  };
  return { provider, requests };
}

describe('runAgent keeps the conversation small', () => {
  it('keeps written content out of later turns and cuts long tool results with a note', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'autonoma-runner-'));
    dirs.push(root);
    const tools = await createWorkspaceTools(root);
    const { provider, requests } = scriptedWriter();
    try {
      const outcome = await runAgent(
        provider,
        tools,
        {
          agent: 'backend',
          system: 'system',
          input: { spec: 'x' },
          instruction: 'Write it.',
          output: z.object({ done: z.boolean() }),
          tools: await tools.listTools(),
          maxToolResultChars: 1_000,
        },
        new AbortController().signal,
      );
      expect(outcome.output).toEqual({ done: true });
    } finally {
      await tools.close();
    }
    // The file on disk is whole: only the history is shortened.
    expect(await readFile(path.join(root, 'src/big.ts'), 'utf8')).toBe(BIG);
    const second = JSON.stringify(requests[1]!.messages);
    expect(second).not.toContain('0123456789');
    expect(second).toContain(`[${BIG.length} characters, 201 lines written; read_file shows the file`);
    const third = requests[2]!.messages.at(-1)!;
    expect(third).toMatchObject({ role: 'tool', name: 'read_file', isError: false });
    const read = (third as { content: string }).content;
    expect(read.length).toBeLessThan(1_200);
    expect(read).toMatch(/\[… \d+ more characters not shown: call read_file with startLine and endLine/);
    // Earlier turns are never rewritten: each request extends the previous one.
    expect(JSON.stringify(requests[2]!.messages).startsWith(second.slice(0, -1))).toBe(true);
  });

  it('sends task data as compact JSON between the markers', () => {
    const message = renderTaskMessage('Do it.', { spec: { appName: 'A', entities: [] } });
    expect(message).toContain('{"spec":{"appName":"A","entities":[]}}');
  });
});

describe('conversation budget helpers', () => {
  it('leaves small writes, failed writes and other tools as they are', () => {
    const small = { id: '1', name: 'write_file', arguments: { path: 'a.ts', content: 'x' } };
    const big = { id: '2', name: 'write_file', arguments: { path: 'a.ts', content: BIG } };
    expect(compactToolCall(small, true)).toBe(small);
    expect(compactToolCall(big, false)).toBe(big);
    const read = { id: '3', name: 'read_file', arguments: { path: 'a.ts' } };
    expect(compactToolCall(read, true)).toBe(read);
    expect(compactToolCall(big, true).arguments).toEqual({
      path: 'a.ts',
      content: expect.stringMatching(/^\[\d+ characters, 201 lines written/),
    });
  });

  it('cuts only results over the limit, and says how to narrow other tools', () => {
    expect(boundToolResult('list_files', 'short', 10)).toBe('short');
    expect(boundToolResult('search_files', 'x'.repeat(30), 10)).toBe(
      `${'x'.repeat(10)}\n[… 20 more characters not shown: narrow the request (a folder, a pattern) to see the rest]`,
    );
  });
});
