import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { checkSyntax, createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { createAgentPipeline } from '../../src/agents/pipeline/app-pipeline.js';
import { createModelProvider } from '../../src/agents/providers/create-model-provider.js';
import { createOfflineProvider } from '../../src/agents/providers/offline-provider.js';
import { assertNoSecrets } from '../../src/agents/providers/secret-scan.js';
import type { ModelProvider } from '../../src/core/ports/model-provider.js';
import { OPENAI_TEST_URL, replay } from '../fixtures/providers/replay.js';
import { buildRequest, passingValidator, recordingContext, tempDir } from '../helpers/pipeline-fixtures.js';
import { testConfig } from '../helpers/test-env.js';
import { TEMPLATE_DEPS_CACHE } from '../helpers/sandbox-fixtures.js';

const API_KEY = 'sk-test-openai-pipeline-0123456789';
const dirs: string[] = [];

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
afterAll(() => nock.enableNetConnect());

describe('the agent pipeline through the OpenAI provider', () => {
  it('runs the requirements agent over the SDK (with an answer corrected once) and builds the app', async () => {
    // The requirements agent talks to "OpenAI" (nock); the other agents stay offline, so one
    // recorded conversation proves the SDK path inside runAgent without recording a whole team.
    const { scope, requests } = replay('openai', ['requirements-prose', 'requirements-spec']);
    const config = testConfig({
      AUTONOMA_PROVIDER: 'openai',
      OPENAI_API_KEY: API_KEY,
      OPENAI_BASE_URL: OPENAI_TEST_URL,
    });
    const openai = createModelProvider(config);
    const offline = createOfflineProvider();
    const provider: ModelProvider = {
      name: 'openai',
      cost: (model, usage) => openai.cost(model, usage),
      complete: (request) =>
        request.agent === 'requirements' ? openai.complete(request) : offline.complete(request),
    };
    const workspaceDir = await tempDir();
    dirs.push(workspaceDir);
    const context = recordingContext();
    const output = await createAgentPipeline({
      provider,
      connectTools: (dir) => createWorkspaceTools(dir),
      checkSyntax: (root) => checkSyntax(root),
      validateApp: passingValidator,
      cacheDir: TEMPLATE_DEPS_CACHE,
      validationTimeoutMs: 60_000,
      repairRounds: 1,
      sleep: async () => undefined,
    }).generate({
      request: buildRequest('a todo app where tasks have tags'),
      workspaceDir,
      signal: new AbortController().signal,
      progress: context.progress,
      recorder: context.recorder,
    });

    expect(scope.isDone()).toBe(true);
    expect(output.spec.appName).toBe('Tagged Todos');
    expect(output.spec.entities.map((e) => e.name)).toEqual(['Task', 'Tag']);
    expect(output.files.has('package.json')).toBe(true);

    // the user's prompt travels as quoted data in the user message, never in the system prompt
    const first = requests[0]?.body.messages as Array<{ role: string; content: string }>;
    expect(first[0]?.role).toBe('system');
    expect(first[0]?.content).not.toContain('tasks have tags');
    expect(first[1]?.content).toMatch(
      /<task-input>[\s\S]*a todo app where tasks have tags[\s\S]*<\/task-input>/,
    );
    // the prose answer went back with the correction request
    const second = requests[1]?.body.messages as Array<{ role: string; content: string }>;
    expect(second.slice(2).map((m) => m.role)).toEqual(['assistant', 'user']);
    expect(second[3]?.content).toMatch(/The final answer must be a single JSON document/);

    // usage and cost recorded for the run, priced from the table (gpt-4.1: $2 / $8 per M)
    const requirements = output.agentRuns.find((r) => r.agent === 'requirements');
    expect(requirements).toMatchObject({
      status: 'succeeded',
      model: 'gpt-4.1-2025-04-14',
      tokensIn: 2210 + 2301,
      tokensOut: 27 + 412,
    });
    const expectedCost = ((2210 + 2301) * 2 + (27 + 412) * 8) / 1e6;
    expect(requirements?.costUsd).toBeCloseTo(expectedCost, 9);
    expect(context.cost()).toBeCloseTo(expectedCost, 9);
    expect(context.runs.find((r) => r.agentType === 'requirements')?.finish?.costUsd).toBeCloseTo(
      expectedCost,
      9,
    );

    // and nothing configured as a secret ended up in the generated app
    expect(config.secrets).toContain(API_KEY);
    expect(() => assertNoSecrets(output.files, config.secrets)).not.toThrow();
  });
});
