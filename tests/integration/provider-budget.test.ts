import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createBudgetGuard,
  createPrismaSpendSource,
  type SpendSource,
} from '../../src/agents/budget/index.js';
import { checkSyntax, createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { createAgentPipeline } from '../../src/agents/pipeline/app-pipeline.js';
import { createModelProvider } from '../../src/agents/providers/create-model-provider.js';
import { AutonomaError } from '../../src/core/errors.js';
import type { CompletionRequest, ModelProvider } from '../../src/core/ports/model-provider.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { buildRequest, passingValidator, recordingContext, tempDir } from '../helpers/pipeline-fixtures.js';
import { ensureTestDatabase, TEST_DATABASE_URL, testConfig } from '../helpers/test-env.js';
import { TEMPLATE_DEPS_CACHE } from '../helpers/sandbox-fixtures.js';

const LIMITS = { jobUsd: 1, jobTokens: 100_000, dailyUsd: 10, dailyTokens: 1_000_000 };
const NOW = new Date('2026-03-14T15:09:26Z');

/** A model that answers every call with the same usage and counts the calls that reached it. */
function fakeModel(usage = { inputTokens: 1000, outputTokens: 100 }) {
  const calls: CompletionRequest[] = [];
  const model: ModelProvider = {
    name: 'fake',
    cost: (_model, u) => (u.inputTokens * 2 + u.outputTokens * 8) / 1e6,
    async complete(request) {
      calls.push(request);
      await new Promise((r) => setTimeout(r, 5));
      return { content: '{}', toolCalls: [], stopReason: 'end', usage, model: 'gpt-4.1' };
    },
  };
  return { model, calls };
}

const call = (requestId: string, agent = 'backend'): CompletionRequest => ({
  agent,
  system: 'Work.',
  messages: [{ role: 'user', content: 'Go.' }],
  tools: [],
  job: { requestId },
});

describe('BudgetGuard', () => {
  it('stops a job at its daily installation budget, reading recorded spend through the source', async () => {
    const { model, calls } = fakeModel();
    const asked: Array<{ installationId: string | null; since: Date; excludeRequestId?: string }> = [];
    const spend: SpendSource = {
      jobStart: async () => ({ installationId: 'inst-1', spent: { usd: 0, tokens: 0 } }),
      spentToday: async (installationId, options) => {
        asked.push({ installationId, ...options });
        return { usd: 9.995, tokens: 5_000 };
      },
    };
    const guard = createBudgetGuard(model, {
      limits: LIMITS,
      spend,
      now: () => NOW,
      modelFor: () => 'gpt-4.1',
    });
    const attempt = guard.complete(call('job-1'));
    await expect(attempt).rejects.toMatchObject({ code: 'budget_exceeded', retryable: false });
    await expect(attempt).rejects.toThrow(
      /Today's model use for this workspace would go over its cost budget: \$9\.99 used of \$10\.00.*resets at 00:00 UTC\. Raise AUTONOMA_DAILY_BUDGET_USD \(now 10\)/s,
    );
    expect(calls).toHaveLength(0);
    expect(asked[0]).toEqual({
      installationId: 'inst-1',
      since: new Date('2026-03-14T00:00:00Z'),
      excludeRequestId: 'job-1',
    });
  });

  it('counts what earlier attempts of the job spent', async () => {
    const { model, calls } = fakeModel();
    const spend: SpendSource = {
      jobStart: async () => ({ installationId: null, spent: { usd: 0.2, tokens: 99_000 } }),
      spentToday: async () => ({ usd: 0, tokens: 0 }),
    };
    const guard = createBudgetGuard(model, { limits: LIMITS, spend });
    await expect(guard.complete(call('job-2'))).rejects.toThrow(/AUTONOMA_JOB_BUDGET_TOKENS/);
    expect(calls).toHaveLength(0);
  });

  it('fails closed when the recorded spend cannot be read', async () => {
    const { model, calls } = fakeModel();
    const spend: SpendSource = {
      jobStart: async () => ({ installationId: null, spent: { usd: 0, tokens: 0 } }),
      spentToday: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      },
    };
    const attempt = createBudgetGuard(model, { limits: LIMITS, spend }).complete(call('job-3'));
    await expect(attempt).rejects.toMatchObject({ code: 'upstream_unavailable', retryable: true });
    await expect(attempt).rejects.toThrow(/Could not read the recorded model spend.*no model call was made/);
    expect(calls).toHaveLength(0);
  });

  it('reserves in-flight calls, so concurrent agents of one job cannot overshoot together', async () => {
    const { model, calls } = fakeModel();
    // each call is estimated at ~1,030 tokens (input + 1,024 reserved output)
    const guard = createBudgetGuard(model, { limits: { ...LIMITS, jobTokens: 2_500 } });
    const results = await Promise.allSettled([1, 2, 3].map(() => guard.complete(call('job-4'))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(calls).toHaveLength(2);
    expect(guard.spentOnJob('job-4')).toEqual({ usd: expect.closeTo(0.0056, 9), tokens: 2_200 });
    // and one job's spend does not count against another's job budget
    await expect(guard.complete(call('job-5'))).resolves.toMatchObject({ content: '{}' });
  });

  it('without a spend source, counts this process’s spend today across jobs', async () => {
    const { model } = fakeModel({ inputTokens: 4_000, outputTokens: 0 });
    const guard = createBudgetGuard(model, { limits: { ...LIMITS, dailyTokens: 9_000 } });
    await guard.complete(call('a'));
    await guard.complete(call('b'));
    await expect(guard.complete(call('c'))).rejects.toThrow(/AUTONOMA_DAILY_BUDGET_TOKENS/);
  });
});

describe('Prisma spend source (agent_sessions in Postgres)', () => {
  const prisma = createPrismaClient(TEST_DATABASE_URL);
  const installationIds: string[] = [];
  beforeAll(() => ensureTestDatabase());
  afterAll(async () => {
    await prisma.installation.deleteMany({ where: { id: { in: installationIds } } });
    await prisma.generationRequest.deleteMany({ where: { idempotencyKey: { startsWith: 'budget-test:' } } });
    await prisma.$disconnect();
  });

  async function request(installationId: string | null) {
    return prisma.generationRequest.create({
      data: {
        prompt: 'a todo app',
        sourcePlatform: 'slack',
        idempotencyKey: `budget-test:${randomUUID()}`,
        installationId,
      },
    });
  }

  it('sums today’s agent runs of an installation, and a job’s earlier attempts', async () => {
    const [mine, theirs] = await Promise.all(
      ['mine', 'theirs'].map((name) =>
        prisma.installation.create({ data: { platform: 'slack', externalId: `T-${name}-${randomUUID()}` } }),
      ),
    );
    installationIds.push(mine!.id, theirs!.id);
    const [current, earlier, other] = await Promise.all([
      request(mine!.id),
      request(mine!.id),
      request(theirs!.id),
    ]);
    const today = new Date();
    const yesterday = new Date(today.getTime() - 86_400_000 * 2);
    await prisma.agentSession.createMany({
      data: [
        { requestId: current.id, agentType: 'requirements', tokensIn: 100, tokensOut: 10, costUsd: 0.01 },
        { requestId: earlier.id, agentType: 'frontend', tokensIn: 2000, tokensOut: 500, costUsd: 0.25 },
        { requestId: earlier.id, agentType: 'backend', tokensIn: 1000, tokensOut: 200, costUsd: 0.125 },
        {
          requestId: earlier.id,
          agentType: 'review',
          tokensIn: 9999,
          tokensOut: 9999,
          costUsd: 9,
          startedAt: yesterday,
        },
        { requestId: other.id, agentType: 'frontend', tokensIn: 7777, tokensOut: 7777, costUsd: 7 },
      ],
    });
    const source = createPrismaSpendSource(prisma);
    const since = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    expect(await source.spentToday(mine!.id, { since, excludeRequestId: current.id })).toEqual({
      usd: 0.375,
      tokens: 3700,
    });
    expect(await source.spentToday(mine!.id, { since })).toEqual({ usd: 0.385, tokens: 3810 });
    expect(await source.jobStart(current.id)).toEqual({
      installationId: mine!.id,
      spent: { usd: 0.01, tokens: 110 },
    });
  });

  it('groups jobs without an installation (CLI, MCP) together', async () => {
    const cli = await request(null);
    await prisma.agentSession.create({
      data: { requestId: cli.id, agentType: 'requirements', tokensIn: 5, tokensOut: 5, costUsd: 0 },
    });
    const source = createPrismaSpendSource(prisma);
    const spent = await source.spentToday(null, { since: new Date(Date.now() - 60_000) });
    expect(spent.tokens).toBeGreaterThanOrEqual(10);
    expect((await source.jobStart(cli.id)).installationId).toBeNull();
  });
});

describe('a budget stop inside the pipeline', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('fails the job with a clear message in the stage that hit it, never continuing', async () => {
    const provider = createModelProvider(testConfig({ AUTONOMA_JOB_BUDGET_TOKENS: '3000' }));
    const workspaceDir = await tempDir();
    dirs.push(workspaceDir);
    const context = recordingContext();
    const attempt = createAgentPipeline({
      provider,
      connectTools: (dir) => createWorkspaceTools(dir),
      checkSyntax: (root) => checkSyntax(root),
      validateApp: passingValidator,
      cacheDir: TEMPLATE_DEPS_CACHE,
      validationTimeoutMs: 60_000,
      repairRounds: 1,
      sleep: async () => undefined,
    }).generate({
      request: buildRequest('a recipe app where users rate dishes'),
      workspaceDir,
      signal: new AbortController().signal,
      progress: context.progress,
      recorder: context.recorder,
    });
    await expect(attempt).rejects.toBeInstanceOf(AutonomaError);
    await expect(attempt).rejects.toMatchObject({ code: 'budget_exceeded', retryable: false });
    await expect(attempt).rejects.toThrow(
      /stage failed: This job would go over its token budget.*AUTONOMA_JOB_BUDGET_TOKENS/s,
    );
    const failed = context.events.find((e) => e.kind === 'stage' && e.state === 'failed');
    expect(failed?.message).toMatch(/AUTONOMA_JOB_BUDGET_TOKENS/);
    expect(context.events.some((e) => e.stage === 'review')).toBe(false);
  });

  it('lets a whole offline build through the default budgets', async () => {
    const provider = createModelProvider(testConfig());
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
      request: buildRequest('a recipe app where users rate dishes'),
      workspaceDir,
      signal: new AbortController().signal,
      progress: context.progress,
      recorder: context.recorder,
    });
    expect(output.agentRuns.every((r) => r.status === 'succeeded')).toBe(true);
  });
});
