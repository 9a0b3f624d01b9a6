import { getEventListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError, CancelledError } from '../../core/errors.js';
import { createCodeServer, createWorkspaceServer, createWorkspaceTools } from './index.js';
import { connectToolServers } from './tool-client.js';
import type { ToolClient } from './tool-client.js';

let root: string;
let tools: ToolClient;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autonoma-client-'));
  tools = await createWorkspaceTools(root);
});

afterAll(async () => {
  await tools.close();
  await rm(root, { recursive: true, force: true });
});

describe('connectToolServers', () => {
  it('lists the seven tools of both servers with JSON Schemas', async () => {
    const definitions = await tools.listTools();
    expect(definitions.map((tool) => tool.name).sort()).toEqual([
      'check_syntax',
      'delete_file',
      'list_files',
      'outline',
      'read_file',
      'search_files',
      'write_file',
    ]);
    for (const tool of definitions) {
      expect(tool.description.length).toBeGreaterThan(10);
      expect(tool.inputSchema).toMatchObject({ type: 'object', properties: expect.any(Object) });
    }
    const write = definitions.find((tool) => tool.name === 'write_file');
    expect(write?.inputSchema).toMatchObject({
      properties: { path: { type: 'string' }, content: { type: 'string' } },
      required: ['path', 'content'],
    });
  });

  it('routes calls to the server that owns the tool', async () => {
    await tools.callTool('write_file', { path: 'a.ts', content: 'const a = ;' });
    const checked = await tools.callTool('check_syntax', { paths: ['a.ts'] });
    expect(checked.structured).toMatchObject({ ok: false, files: [{ path: 'a.ts', ok: false }] });
  });

  it('answers an unknown tool with an error naming the available ones', async () => {
    const result = await tools.callTool('rm_rf', {});
    expect(result.isError).toBe(true);
    expect(result.content).toContain('Unknown tool "rm_rf"');
    expect(result.content).toContain('write_file');
  });

  it("leaves nothing on the job's signal once a call is done, however many calls a job makes", async () => {
    // The MCP client adds an abort listener to the signal of every request and never removes it.
    const job = new AbortController();
    for (let i = 0; i < 30; i += 1) await tools.callTool('list_files', {}, job.signal);
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
  });

  it('cancels a call in flight when the job is cancelled', async () => {
    const job = new AbortController();
    const call = tools.callTool('list_files', {}, job.signal);
    job.abort();
    await expect(call).rejects.toBeInstanceOf(CancelledError);
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
  });

  it('throws CancelledError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(tools.callTool('list_files', {}, controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });

  it('refuses two servers offering the same tool name', async () => {
    await expect(
      connectToolServers([createWorkspaceServer({ root }), createWorkspaceServer({ root })]),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('closes idempotently', async () => {
    const client = await connectToolServers([createCodeServer({ root })]);
    await client.close();
    await client.close();
  });
});
