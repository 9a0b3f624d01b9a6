import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { runAgent, type AgentTask } from '../../src/agents/pipeline/agent-runner.js';
import { WorkOutputSchema, type WorkOutput } from '../../src/agents/pipeline/agent-outputs.js';
import { createAnthropicProvider, FINAL_ANSWER_TOOL } from '../../src/agents/providers/anthropic-provider.js';
import { createModelProvider } from '../../src/agents/providers/create-model-provider.js';
import { createPriceBook } from '../../src/agents/providers/model-prices.js';
import { CancelledError, ConfigError } from '../../src/core/errors.js';
import type { ModelProvider } from '../../src/core/ports/model-provider.js';
import { ANTHROPIC_TEST_URL, replay } from '../fixtures/providers/replay.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { testConfig } from '../helpers/test-env.js';

const API_KEY = 'sk-ant-test-0123456789abcdef';
const REQUEST_ID = '00000000-0000-4000-8000-0000000000bb';
const dirs: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  nock.abortPendingRequests();
  nock.cleanAll();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(() => nock.enableNetConnect());

function provider(overrides: Partial<Parameters<typeof createAnthropicProvider>[0]> = {}): ModelProvider {
  return createAnthropicProvider({
    apiKey: API_KEY,
    baseURL: ANTHROPIC_TEST_URL,
    defaultModel: 'claude-sonnet-4-6',
    agentModels: { requirements: 'claude-haiku-4-5' },
    // not in the built-in table: priced the way AUTONOMA_MODEL_PRICES would
    prices: createPriceBook({ overrides: { 'claude-sonnet-4-6': { input: 3, output: 15 } } }),
    ...overrides,
  });
}

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
      requestId: REQUEST_ID,
    };
    const outcome = await runAgent(model, tools, task, signal);
    return { outcome, dir };
  } finally {
    await tools.close();
  }
}

const simpleRequest = {
  agent: 'requirements',
  system: 'Turn the description into a spec.',
  messages: [{ role: 'user' as const, content: 'a greeting helper' }],
  tools: [],
};

describe('Anthropic provider (Messages over the official SDK)', () => {
  it('runs a multi-turn tool loop: tool_use write_file, its tool_result, then final_answer', async () => {
    const { scope, requests } = replay('anthropic', ['tool-use-write-file', 'final-answer']);
    const model = provider();
    const { outcome, dir } = await writerRun(model);
    expect(scope.isDone()).toBe(true);
    expect(outcome.output).toEqual({ files: ['src/hello.ts'], notes: 'Added a typed greeting helper.' });
    expect(outcome.usage).toEqual({ inputTokens: 1524 + 1710, outputTokens: 96 + 52 });
    expect(outcome.model).toBe('claude-sonnet-4-6');
    expect(await readFile(path.join(dir, 'src/hello.ts'), 'utf8')).toContain('Hello, ${name}!');
    // $3 / $15 per million tokens
    expect(model.cost(outcome.model, outcome.usage)).toBeCloseTo((3234 * 3 + 148 * 15) / 1e6, 9);

    const [first, second] = requests;
    // this SDK generation sends the API key as a bearer token
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first?.headers['anthropic-version']).toBeDefined();
    expect(first?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      max_tokens: 16000,
      system: expect.stringMatching(/^You write the backend.*call the final_answer tool/s),
      messages: [
        { role: 'user', content: [{ type: 'text', text: expect.stringContaining('<task-input>') }] },
      ],
    });
    // write_file, plus the final answer as a tool whose input_schema is the output schema
    const tools = first?.body.tools as Array<{ name: string; input_schema: Record<string, unknown> }>;
    expect(tools.map((t) => t.name)).toEqual(['write_file', FINAL_ANSWER_TOOL]);
    expect(tools[1]?.input_schema).toMatchObject({ type: 'object', required: ['files', 'notes'] });
    expect(first?.body.tool_choice).toBeUndefined(); // the model may work with tools first
    expect((second?.body.messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: "I'll add the greeting helper." },
          {
            type: 'tool_use',
            id: 'toolu_01A09q90qw90lq917835lq9x',
            name: 'write_file',
            input: { path: 'src/hello.ts', content: expect.stringContaining('export function hello') },
          },
        ],
      },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_01A09q90qw90lq917835lq9x',
            content: expect.stringContaining('src/hello.ts'),
          },
        ],
      },
    ]);
  });

  it('returns an invalid tool input to the model as an is_error tool_result, and the model corrects it', async () => {
    const { scope, requests } = replay('anthropic', [
      'tool-use-missing-content',
      'tool-use-corrected',
      'final-answer',
    ]);
    const { outcome, dir } = await writerRun(provider());
    expect(scope.isDone()).toBe(true);
    expect(outcome.toolCalls).toBe(2);
    expect(await readFile(path.join(dir, 'src/hello.ts'), 'utf8')).toContain('export function hello');
    const toolResult = (requests[1]?.body.messages as Array<{ content: unknown[] }>)[2]?.content[0];
    expect(toolResult).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'toolu_01Bx7Yd2Qe5Rf8Tg1Uh4Vi7W',
      is_error: true,
      content: expect.stringMatching(/content/),
    });
  });

  it('forces final_answer when there are no other tools, and retries a 429 after retry-after', async () => {
    const { scope, requests } = replay('anthropic', ['error-429', 'final-answer']);
    const started = Date.now();
    const response = await provider().complete({
      ...simpleRequest,
      output: {
        name: 'requirements_result',
        schema: WorkOutputSchema,
        jsonSchema: { type: 'object', properties: { files: {}, notes: {} } },
      },
    });
    expect(scope.isDone()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950); // retry-after: 1
    expect(requests[0]?.body).toMatchObject({
      model: 'claude-haiku-4-5', // per-role model
      tool_choice: { type: 'tool', name: FINAL_ANSWER_TOOL },
    });
    expect(requests[1]?.headers['x-stainless-retry-count']).toBe('1');
    expect(response).toMatchObject({ stopReason: 'end', toolCalls: [] });
    expect(JSON.parse(response.content)).toEqual({
      files: ['src/hello.ts'],
      notes: 'Added a typed greeting helper.',
    });
  });

  it('retries a 529 (overloaded) and a 500 with backoff, then succeeds', async () => {
    const { scope } = replay('anthropic', ['error-529', 'error-500', 'final-answer']);
    const response = await provider().complete(simpleRequest);
    expect(scope.isDone()).toBe(true);
    expect(response.usage).toEqual({ inputTokens: 1710, outputTokens: 52 });
  });

  it('reports a retryable upstream error when overload outlasts the retries', async () => {
    const { scope } = replay('anthropic', ['error-529', 'error-529']);
    const attempt = provider({ maxRetries: 1 }).complete(simpleRequest);
    await expect(attempt).rejects.toMatchObject({ code: 'upstream_unavailable', retryable: true });
    await expect(attempt).rejects.toThrow('Anthropic is unavailable (529: Overloaded).');
    expect(scope.isDone()).toBe(true);
  });

  it('turns a 401 into a clear, non-retryable error naming ANTHROPIC_API_KEY, without retrying', async () => {
    const { requests } = replay('anthropic', ['error-401', 'final-answer']);
    const attempt = provider().complete(simpleRequest);
    await expect(attempt).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
    await expect(attempt).rejects.toThrow(
      /^ANTHROPIC_API_KEY was rejected by Anthropic \(401: invalid x-api-key\)\. Check the key, or ANTHROPIC_BASE_URL/,
    );
    expect(requests).toHaveLength(1);
  });

  it('stops the job when its token budget would be exceeded, before calling the API', async () => {
    const { requests } = replay('anthropic', ['tool-use-write-file', 'final-answer']);
    const config = testConfig({
      AUTONOMA_PROVIDER: 'anthropic',
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_BASE_URL: ANTHROPIC_TEST_URL,
      ANTHROPIC_MODEL: 'claude-sonnet-4-6',
      AUTONOMA_JOB_BUDGET_TOKENS: '2500',
    });
    const guarded = createModelProvider(config);
    const attempt = writerRun(guarded);
    await expect(attempt).rejects.toMatchObject({ code: 'budget_exceeded', retryable: false });
    await expect(attempt).rejects.toThrow(
      /This job would go over its token budget: 1,620 tokens used of 2,500 tokens.*Raise AUTONOMA_JOB_BUDGET_TOKENS/s,
    );
    expect(requests).toHaveLength(1);
    expect(guarded.spentOnJob(REQUEST_ID).tokens).toBe(1620);
  });

  it('gives up a call when the job is cancelled', async () => {
    nock(ANTHROPIC_TEST_URL).post('/v1/messages').delay(5_000).reply(200, {});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const attempt = provider().complete({ ...simpleRequest, signal: controller.signal });
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
  });

  it('names both the option and ANTHROPIC_API_KEY when no key is given', () => {
    expect(() =>
      createAnthropicProvider({ defaultModel: 'claude-sonnet-4-6', prices: createPriceBook(), env: {} }),
    ).toThrow(ConfigError);
    expect(() =>
      createAnthropicProvider({ defaultModel: 'claude-sonnet-4-6', prices: createPriceBook(), env: {} }),
    ).toThrow(/pass `apiKey` to createAnthropicProvider or set ANTHROPIC_API_KEY/);
  });
});
