/**
 * What an MCP client does with Autonoma, run the same way over every transport: build, poll, list,
 * iterate; and the refusals a client gets for bad arguments (isError results, the server carries on).
 */
import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TERMINAL_STATUSES, type RequestStatus } from '../../src/core/domain/request.js';
import { until } from './mcp-fixtures.js';

interface Submitted {
  requestId: string;
  status: RequestStatus;
  created: boolean;
}
interface Iterated extends Submitted {
  parentRequestId: string;
  pullRequest: { repo: string; number: number; branch: string; url: string };
}
interface Job {
  requestId: string;
  kind: string;
  source: string;
  status: RequestStatus;
  percent: number;
  parentRequestId: string | null;
  pullRequestUrl: string | null;
  error: { code: string; message: string } | null;
  result: {
    repository: { forge: string; name: string; url: string } | null;
    branch: string | null;
    pullRequest: { number: number; url: string } | null;
    validation: { ok: boolean; steps: Array<Record<string, unknown>> } | null;
    costUsd: number;
  } | null;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export async function callOk<T>(client: Client, name: string, args: Record<string, unknown>): Promise<T> {
  const result = await call(client, name, args);
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  expect({ isError: result.isError ?? false, text }).toMatchObject({ isError: false });
  // Structured output is repeated as JSON text for clients that only read text.
  expect(JSON.parse(text)).toEqual(result.structuredContent);
  return result.structuredContent as T;
}

/** The text of an isError result (fails the test if the call succeeded). */
export async function callRefused(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<string> {
  const result = await call(client, name, args);
  expect(result.isError).toBe(true);
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

async function finished(client: Client, requestId: string): Promise<Job> {
  return until(async () => {
    const job = await callOk<Job>(client, 'job_status', { requestId });
    return TERMINAL_STATUSES.has(job.status) ? job : undefined;
  });
}

export async function expectToolList(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(['build_app', 'iterate', 'job_status', 'list_jobs']);
  for (const tool of tools) {
    expect(tool.outputSchema).toMatchObject({ type: 'object' });
    expect(tool.description?.length).toBeGreaterThan(40);
  }
  const build = tools.find((t) => t.name === 'build_app');
  expect(build?.inputSchema).toMatchObject({
    required: ['prompt'],
    properties: { prompt: { type: 'string', maxLength: 4000 } },
  });
}

/** build_app → job_status until succeeded → list_jobs → iterate (by build id, by repo + PR, by iteration id). */
export async function buildAndIterate(client: Client): Promise<{ buildId: string; repo: string }> {
  const key = `scenario-${randomUUID()}`;
  const built = await callOk<Submitted>(client, 'build_app', {
    prompt: '  a todo app with tags  ',
    idempotencyKey: key,
  });
  expect(built).toMatchObject({ status: 'queued', created: true });
  const again = await callOk<Submitted>(client, 'build_app', {
    prompt: 'a todo app with tags',
    idempotencyKey: key,
  });
  expect(again).toMatchObject({ requestId: built.requestId, created: false });

  const job = await finished(client, built.requestId);
  expect(job).toMatchObject({
    requestId: built.requestId,
    kind: 'build',
    source: 'mcp',
    status: 'succeeded',
    percent: 100,
    error: null,
    parentRequestId: null,
    result: {
      branch: 'autonoma/todo',
      pullRequest: { number: 1 },
      validation: {
        ok: true,
        steps: [
          { name: 'syntax', ok: true, durationMs: 3 },
          { name: 'typecheck', ok: true, durationMs: 40 },
          { name: 'test', ok: true, durationMs: 50 },
        ],
      },
      costUsd: 0.0123,
    },
  });
  expect(job.result?.validation?.steps.some((s) => 'output' in s)).toBe(false);
  expect(job.pullRequestUrl).toBe(job.result?.pullRequest?.url);
  const repo = job.result!.repository!.name;

  const recent = await callOk<{ jobs: Job[] }>(client, 'list_jobs', { limit: 50 });
  expect(recent.jobs.length).toBeLessThanOrEqual(50);
  expect(recent.jobs.find((j) => j.requestId === built.requestId)).toMatchObject({
    status: 'succeeded',
    prompt: 'a todo app with tags',
  });
  const succeeded = await callOk<{ jobs: Job[] }>(client, 'list_jobs', { status: 'succeeded', limit: 3 });
  expect(succeeded.jobs.length).toBeGreaterThan(0);
  expect(succeeded.jobs.length).toBeLessThanOrEqual(3);
  expect(succeeded.jobs.every((j) => j.status === 'succeeded')).toBe(true);
  expect((await callOk<{ jobs: Job[] }>(client, 'list_jobs', {})).jobs.length).toBeLessThanOrEqual(10);

  const byId = await callOk<Iterated>(client, 'iterate', {
    requestId: built.requestId,
    changeRequest: 'add a due date to tasks',
  });
  expect(byId).toMatchObject({
    status: 'queued',
    created: true,
    parentRequestId: built.requestId,
    pullRequest: { repo, number: 1, branch: 'autonoma/todo', url: job.result!.pullRequest!.url },
  });
  expect(await finished(client, byId.requestId)).toMatchObject({
    kind: 'iterate',
    source: 'mcp',
    status: 'succeeded',
    parentRequestId: built.requestId,
    result: { pullRequest: { number: 1 } },
  });

  const byPull = await callOk<Iterated>(client, 'iterate', {
    repo,
    pullNumber: 1,
    changeRequest: 'make the title bigger',
    idempotencyKey: key, // scoped per tool: does not collide with the build's key
  });
  expect(byPull).toMatchObject({ created: true, parentRequestId: built.requestId });
  expect(byPull.requestId).not.toBe(built.requestId);
  const fromIteration = await callOk<Iterated>(client, 'iterate', {
    requestId: byId.requestId,
    changeRequest: 'sort tasks by due date',
  });
  expect(fromIteration).toMatchObject({ parentRequestId: built.requestId, pullRequest: { repo } });
  await finished(client, byPull.requestId);
  await finished(client, fromIteration.requestId);
  return { buildId: built.requestId, repo };
}

/** Bad arguments: every one is an isError result with a message saying what to do. */
export async function expectRefusals(client: Client, buildId: string): Promise<void> {
  expect(await callRefused(client, 'build_app', { prompt: 'x' })).toMatch('Describe the app in a few words');
  expect(await callRefused(client, 'build_app', { prompt: 'x'.repeat(4001) })).toMatch(
    'Keep the description under 4000 characters.',
  );
  expect(await callRefused(client, 'build_app', {})).toMatch(/prompt/);
  expect(
    await callRefused(client, 'build_app', { prompt: 'a todo app', idempotencyKey: 'no spaces!' }),
  ).toMatch('Use letters, digits');
  expect(await callRefused(client, 'job_status', { requestId: 'nope' })).toMatch('requestId is the UUID');
  const unknown = randomUUID();
  expect(await callRefused(client, 'job_status', { requestId: unknown })).toMatch(
    `No job with requestId ${unknown}`,
  );
  expect(await callRefused(client, 'list_jobs', { limit: 51 })).toMatch('limit is at most 50');
  expect(await callRefused(client, 'list_jobs', { limit: 0 })).toMatch(/limit/);
  expect(await callRefused(client, 'list_jobs', { status: 'done' })).toMatch(/status/);
  expect(await callRefused(client, 'iterate', { changeRequest: 'add tags' })).toMatch(
    'Say which pull request',
  );
  expect(
    await callRefused(client, 'iterate', {
      requestId: buildId,
      repo: 'x',
      pullNumber: 1,
      changeRequest: 'add tags',
    }),
  ).toMatch('not both');
  expect(
    await callRefused(client, 'iterate', { repo: 'no-such-repo', pullNumber: 7, changeRequest: 'add tags' }),
  ).toMatch('No Autonoma pull request #7 in no-such-repo');
  expect(await callRefused(client, 'iterate', { requestId: buildId, changeRequest: 'x' })).toMatch(
    'in a few words',
  );
  expect(
    await callRefused(client, 'iterate', { requestId: buildId, changeRequest: 'y'.repeat(4001) }),
  ).toMatch('Keep the change request under 4000 characters.');
  // Refusals leave the server working.
  expect((await callOk<{ jobs: Job[] }>(client, 'list_jobs', { limit: 1 })).jobs).toHaveLength(1);
}
