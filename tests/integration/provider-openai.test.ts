import { getEventListeners } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { runAgent, type AgentTask } from '../../src/agents/pipeline/agent-runner.js';
import { WorkOutputSchema, type WorkOutput } from '../../src/agents/pipeline/agent-outputs.js';
import { createModelProvider } from '../../src/agents/providers/create-model-provider.js';
import { createPriceBook } from '../../src/agents/providers/model-prices.js';
import { createOpenAIProvider } from '../../src/agents/providers/openai-provider.js';
import { AutonomaError, CancelledError, ConfigError } from '../../src/core/errors.js';
import type { ModelProvider } from '../../src/core/ports/model-provider.js';
import { OPENAI_TEST_URL, replay } from '../fixtures/providers/replay.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { testConfig } from '../helpers/test-env.js';

const API_KEY = 'sk-test-openai-0123456789abcdef';
const dirs: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  nock.abortPendingRequests();
  nock.cleanAll();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(() => nock.enableNetConnect());

function provider(overrides: Partial<Parameters<typeof createOpenAIProvider>[0]> = {}): ModelProvider {
  return createOpenAIProvider({
    apiKey: API_KEY,
    baseURL: OPENAI_TEST_URL,
    defaultModel: 'gpt-4.1',
    agentModels: { review: 'gpt-4.1-mini' },
    prices: createPriceBook(),
    ...overrides,
  });
}

/** A writer-agent task over a real MCP workspace, as the pipeline runs it. */
async function writerRun(model: ModelProvider, signal = new AbortController().signal) {
  const dir = await tempDir();
  dirs.push(dir);
  const tools = await createWorkspaceTools(dir);
  try {
    const task: AgentTask<WorkOutput> = {
      agent: 'backend',
      system: 'You write the backend of a web app with the workspace tools.',
      instruction: 'Write a greeting helper.',
      input: { prompt: 'a greeting helper' },
      output: WorkOutputSchema,
      tools: (await tools.listTools()).filter((t) => t.name === 'write_file'),
      requestId: '00000000-0000-4000-8000-0000000000aa',
    };
    const outcome = await runAgent(model, tools, task, signal);
    return { outcome, dir };
  } finally {
    await tools.close();
  }
}

describe('OpenAI provider (Chat Completions over the official SDK)', () => {
  it('runs a multi-turn tool loop: write_file, its result, then the final JSON', async () => {
    const { scope, requests } = replay('openai', ['tool-call-write-file', 'final-answer']);
    const model = provider();
    const job = new AbortController();
    const { outcome, dir } = await writerRun(model, job.signal);
    expect(scope.isDone()).toBe(true);
    // Two model calls and a tool call later, nothing is left hanging on the job's signal.
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
    expect(outcome.output).toEqual({ files: ['src/hello.ts'], notes: 'Added a typed greeting helper.' });
    expect(outcome.usage).toEqual({ inputTokens: 1187 + 1342, outputTokens: 61 + 24 });
    expect(outcome.model).toBe('gpt-4.1-2025-04-14');
    expect(await readFile(path.join(dir, 'src/hello.ts'), 'utf8')).toContain('Hello, ${name}!');
    // gpt-4.1 list price: $2 / $8 per million tokens, found for the dated snapshot
    expect(model.cost(outcome.model, outcome.usage)).toBeCloseTo((2529 * 2 + 85 * 8) / 1e6, 9);

    const [first, second] = requests;
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first?.body).toMatchObject({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'You write the backend of a web app with the workspace tools.' },
        { role: 'user', content: expect.stringContaining('<task-input>') },
      ],
      tools: [{ type: 'function', function: { name: 'write_file', parameters: { type: 'object' } } }],
      response_format: { type: 'json_schema', json_schema: { name: 'backend_result', strict: false } },
    });
    const format = (first?.body.response_format as { json_schema: { schema: Record<string, unknown> } })
      .json_schema.schema;
    expect(format).toMatchObject({ type: 'object', required: ['files', 'notes'] });
    expect(format.$schema).toBeUndefined();
    const history = second?.body.messages as Array<Record<string, unknown>>;
    expect(history.slice(2)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_Qm3pX8vT2kLw9nRb4cYd1sEf',
            type: 'function',
            function: { name: 'write_file', arguments: expect.stringContaining('"path":"src/hello.ts"') },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_Qm3pX8vT2kLw9nRb4cYd1sEf',
        content: expect.stringContaining('src/hello.ts'),
      },
    ]);
  });

  it('returns malformed tool arguments to the model as a tool error, and the model corrects them', async () => {
    const { scope, requests } = replay('openai', [
      'tool-call-malformed',
      'tool-call-corrected',
      'final-answer',
    ]);
    const { outcome, dir } = await writerRun(provider());
    expect(scope.isDone()).toBe(true);
    expect(outcome.toolCalls).toBe(2);
    expect(await readFile(path.join(dir, 'src/hello.ts'), 'utf8')).toContain('export function hello');
    const history = requests[1]?.body.messages as Array<Record<string, unknown>>;
    const [assistant, toolResult] = history.slice(2);
    // the raw arguments go back verbatim, so the model sees what it sent
    expect(assistant).toMatchObject({
      tool_calls: [{ function: { arguments: expect.not.stringMatching(/}$/) } }],
    });
    expect(toolResult).toMatchObject({
      role: 'tool',
      tool_call_id: 'call_Zr8wD1fG6hJk3mNp0qRs5tUv',
      content: expect.stringMatching(/^Error: The tool was not run: its arguments must be one JSON object/),
    });
  });

  it('retries a 429 after the retry-after the API asks for, then succeeds', async () => {
    const { scope, requests } = replay('openai', ['error-429', 'final-answer']);
    const started = Date.now();
    const response = await provider().complete({
      agent: 'review',
      system: 'Summarise.',
      messages: [{ role: 'user', content: 'Summarise the app.' }],
      tools: [],
    });
    expect(scope.isDone()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // retry-after: 1
    expect(requests.map((r) => r.body.model)).toEqual(['gpt-4.1-mini', 'gpt-4.1-mini']); // per-role model
    expect(requests[1]?.headers['x-stainless-retry-count']).toBe('1');
    expect(response.stopReason).toBe('end');
  });

  it('retries a 500 with backoff, then succeeds', async () => {
    const { scope } = replay('openai', ['error-500', 'final-answer']);
    const response = await provider().complete({
      agent: 'backend',
      system: 'Work.',
      messages: [{ role: 'user', content: 'Go.' }],
      tools: [],
    });
    expect(scope.isDone()).toBe(true);
    expect(JSON.parse(response.content)).toEqual({
      files: ['src/hello.ts'],
      notes: 'Added a typed greeting helper.',
    });
  });

  it('reports a retryable upstream error when 5xx outlasts the retries', async () => {
    const { scope } = replay('openai', ['error-500', 'error-500']);
    const attempt = provider({ maxRetries: 1 }).complete({
      agent: 'backend',
      system: 'Work.',
      messages: [{ role: 'user', content: 'Go.' }],
      tools: [],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'upstream_unavailable', retryable: true });
    await expect(attempt).rejects.toThrow(/OpenAI is unavailable \(500: The server had an error/);
    expect(scope.isDone()).toBe(true);
  });

  it('turns a 401 into a clear, non-retryable error naming OPENAI_API_KEY, without retrying', async () => {
    const { requests } = replay('openai', ['error-401', 'final-answer']);
    const attempt = provider().complete({
      agent: 'backend',
      system: 'Work.',
      messages: [{ role: 'user', content: 'Go.' }],
      tools: [],
    });
    await expect(attempt).rejects.toBeInstanceOf(AutonomaError);
    await expect(attempt).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
    await expect(attempt).rejects.toThrow(/^OPENAI_API_KEY was rejected by OpenAI \(401: Incorrect API key/);
    expect(requests).toHaveLength(1);
  });

  it('stops the job when its token budget would be exceeded, before calling the API', async () => {
    const { scope, requests } = replay('openai', ['tool-call-write-file', 'final-answer']);
    const config = testConfig({
      AUTONOMA_PROVIDER: 'openai',
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: OPENAI_TEST_URL,
      AUTONOMA_JOB_BUDGET_TOKENS: '2000',
    });
    const guarded = createModelProvider(config);
    const attempt = writerRun(guarded);
    await expect(attempt).rejects.toMatchObject({ code: 'budget_exceeded', retryable: false });
    await expect(attempt).rejects.toThrow(
      /This job would go over its token budget: 1,248 tokens used of 2,000 tokens.*Raise AUTONOMA_JOB_BUDGET_TOKENS/s,
    );
    expect(requests).toHaveLength(1); // the second call never left
    expect(scope.pendingMocks()).toHaveLength(1);
    expect(guarded.spentOnJob('00000000-0000-4000-8000-0000000000aa')).toEqual({
      usd: expect.closeTo((1187 * 2 + 61 * 8) / 1e6, 9),
      tokens: 1248,
    });
  });

  it('stops the job when its cost budget would be exceeded', async () => {
    replay('openai', ['tool-call-write-file', 'final-answer']);
    const config = testConfig({
      AUTONOMA_PROVIDER: 'openai',
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: OPENAI_TEST_URL,
      // gpt-4.1 at $2/$8 per M: the first call costs ~$0.0029; the next, with 1024 output tokens
      // reserved, would take the job past $0.01
      AUTONOMA_JOB_BUDGET_USD: '0.01',
    });
    await expect(writerRun(createModelProvider(config))).rejects.toThrow(
      /This job would go over its cost budget: \$0\.0029 used of \$0\.0100.*Raise AUTONOMA_JOB_BUDGET_USD/s,
    );
  });

  it('gives up a call when the job is cancelled, as a CancelledError', async () => {
    nock(new URL(OPENAI_TEST_URL).origin).post('/v1/chat/completions').delay(5_000).reply(200, {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError('Cancelled at your request.')), 50);
    const attempt = provider().complete({
      agent: 'backend',
      system: 'Work.',
      messages: [{ role: 'user', content: 'Go.' }],
      tools: [],
      signal: controller.signal,
    });
    await expect(attempt).rejects.toThrow('Cancelled at your request.');
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
  });

  it('times out a call that hangs, as a retryable timeout (through an injected fetch)', async () => {
    // A fetch that never answers. (Through nock under jest's VM realm the SDK cannot recognise the
    // AbortError, a DOMException from another realm, and reports a connection error instead.)
    const calls: string[] = [];
    const hangingFetch: typeof fetch = async (input, init) => {
      calls.push(String(input));
      return new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })),
        ),
      );
    };
    const attempt = provider({ timeoutMs: 100, maxRetries: 0, fetch: hangingFetch }).complete({
      agent: 'backend',
      system: 'Work.',
      messages: [{ role: 'user', content: 'Go.' }],
      tools: [],
    });
    await expect(attempt).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(calls).toEqual([`${OPENAI_TEST_URL}/chat/completions`]);
  });

  it('names both the option and OPENAI_API_KEY when no key is given', () => {
    expect(() =>
      createOpenAIProvider({ defaultModel: 'gpt-4.1', prices: createPriceBook(), env: {} }),
    ).toThrow(ConfigError);
    expect(() =>
      createOpenAIProvider({ defaultModel: 'gpt-4.1', prices: createPriceBook(), env: {} }),
    ).toThrow(/pass `apiKey` to createOpenAIProvider or set OPENAI_API_KEY/);
  });
});
