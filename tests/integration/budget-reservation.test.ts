import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBudgetGuard, createPrismaSpendSource } from '../../src/agents/budget/index.js';
import { AutonomaError } from '../../src/core/errors.js';
import type { CompletionRequest, ModelProvider } from '../../src/core/ports/model-provider.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { ensureTestDatabase, TEST_DATABASE_URL } from '../helpers/test-env.js';

// Three clients, three connection pools: as three workers sharing one Postgres.
const prismas = [0, 1, 2].map(() => createPrismaClient(TEST_DATABASE_URL));
const prisma = prismas[0]!;
const KEY_PREFIX = `budget-reservation-test:${randomUUID().slice(0, 8)}`;
const installationIds: string[] = [];

beforeAll(() => ensureTestDatabase());
afterAll(async () => {
  await prisma.$executeRaw`
    DELETE FROM budget_reservations WHERE request_id IN
      (SELECT id FROM generation_requests WHERE idempotency_key LIKE ${`${KEY_PREFIX}%`})`;
  await prisma.generationRequest.deleteMany({ where: { idempotencyKey: { startsWith: KEY_PREFIX } } });
  await prisma.installation.deleteMany({ where: { id: { in: installationIds } } });
  await Promise.all(prismas.map((p) => p.$disconnect()));
});

async function pool(): Promise<string> {
  const installation = await prisma.installation.create({
    data: { platform: 'slack', externalId: `T-budget-${randomUUID()}` },
  });
  installationIds.push(installation.id);
  return installation.id;
}

async function runningJob(installationId: string): Promise<string> {
  const row = await prisma.generationRequest.create({
    data: {
      prompt: 'a todo app',
      sourcePlatform: 'slack',
      idempotencyKey: `${KEY_PREFIX}:${randomUUID()}`,
      installationId,
      status: 'running',
    },
  });
  return row.id;
}

/** A model that counts the calls that reached it; each costs a fraction of a cent. */
function fakeModel() {
  const calls: string[] = [];
  const model: ModelProvider = {
    name: 'fake',
    cost: (_model, u) => (u.inputTokens * 2 + u.outputTokens * 8) / 1e6,
    async complete(request) {
      calls.push(request.job?.requestId ?? '');
      await new Promise((r) => setTimeout(r, 5));
      return {
        content: '{}',
        toolCalls: [],
        stopReason: 'end',
        usage: { inputTokens: 1000, outputTokens: 100 },
        model: 'gpt-4.1',
      };
    },
  };
  return { model, calls };
}

const call = (requestId: string): CompletionRequest => ({
  agent: 'requirements',
  system: 'Work.',
  messages: [{ role: 'user', content: 'Go.' }],
  tools: [],
  job: { requestId },
});

const today = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
};

/** Unspent reservations of a pool's active jobs plus what they spent: what is committed now. */
async function committedNow(installationId: string) {
  return createPrismaSpendSource(prisma).spentToday(installationId, { since: today() });
}

describe('budget reservations (real Postgres)', () => {
  it('never commits more than the daily budget when 10 jobs start at once on three workers', async () => {
    const installationId = await pool();
    const jobs = await Promise.all(Array.from({ length: 10 }, () => runningJob(installationId)));
    const { model, calls } = fakeModel();
    // One guard per job, spread over three connection pools: no shared memory between them.
    const guards = jobs.map((_, i) =>
      createBudgetGuard(model, {
        limits: { jobUsd: 2, jobTokens: 100_000, dailyUsd: 7, dailyTokens: 10_000_000 },
        spend: createPrismaSpendSource(prismas[i % prismas.length]!),
        modelFor: () => 'gpt-4.1',
      }),
    );
    const outcomes = await Promise.allSettled(jobs.map((id, i) => guards[i]!.complete(call(id))));

    const started = jobs.filter((_, i) => outcomes[i]!.status === 'fulfilled');
    expect(started).toHaveLength(3);
    // Refused before any model call: only the three that fit reached the model.
    expect(calls.sort()).toEqual([...started].sort());
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      const error = (outcome as PromiseRejectedResult).reason as AutonomaError;
      expect(error).toBeInstanceOf(AutonomaError);
      expect(error).toMatchObject({ code: 'budget_exceeded', retryable: false });
      expect(error.message).toMatch(
        /^Today's model budget for this workspace cannot cover another job: other jobs have spent or reserved \$6\.\d\d of \$7\.00, and a job sets aside up to \$2\.00 \(AUTONOMA_JOB_BUDGET_USD\) before it starts, so this one stopped before its first model call\. .*raise AUTONOMA_DAILY_BUDGET_USD \(now 7\)\.$/,
      );
    }
    const [reserved] = await prisma.$queryRaw<Array<{ usd: number; n: number }>>`
      SELECT COALESCE(sum(usd), 0)::float8 AS usd, count(*)::int AS n
      FROM budget_reservations WHERE installation_id = ${installationId}::uuid`;
    expect(reserved).toEqual({ usd: 6, n: 3 });
    expect((await committedNow(installationId)).usd).toBeLessThanOrEqual(7);
  });

  it('charges what a job spent and gives back the rest when it succeeds, fails or is cancelled', async () => {
    const installationId = await pool();
    const source = createPrismaSpendSource(prisma);
    const ask = {
      amount: { usd: 2, tokens: 1_000 },
      daily: { usd: 5.5, tokens: 1_000_000 },
      since: today(),
    };
    const [a, b, c, d, e] = await Promise.all([1, 2, 3, 4, 5].map(() => runningJob(installationId)));
    await expect(source.reserveJob!(a!, ask)).resolves.toMatchObject({ ok: true, installationId });
    await expect(source.reserveJob!(b!, ask)).resolves.toMatchObject({ ok: true });
    // $4 reserved of $5.50: a third job does not fit.
    await expect(source.reserveJob!(c!, ask)).resolves.toEqual({
      ok: false,
      committed: { usd: 4, tokens: 2_000 },
    });

    // An agent of A finishes having spent $1.50: charged, and A still holds the other $0.50.
    await prisma.agentSession.create({
      data: {
        requestId: a!,
        agentType: 'requirements',
        status: 'succeeded',
        tokensIn: 300,
        tokensOut: 100,
        costUsd: 1.5,
      },
    });
    expect(await committedNow(installationId)).toEqual({ usd: 4, tokens: 2_000 });
    await expect(source.reserveJob!(c!, ask)).resolves.toMatchObject({ ok: false });

    // A succeeds: its unspent $0.50 comes back, its $1.50 stays spent today.
    await prisma.generationRequest.update({ where: { id: a! }, data: { status: 'succeeded' } });
    expect(await committedNow(installationId)).toEqual({ usd: 3.5, tokens: 1_400 });
    await expect(source.reserveJob!(c!, ask)).resolves.toMatchObject({ ok: true });
    await expect(source.reserveJob!(d!, ask)).resolves.toMatchObject({ ok: false });

    // B fails having spent nothing: its whole reservation comes back.
    await prisma.generationRequest.update({ where: { id: b! }, data: { status: 'failed' } });
    await expect(source.reserveJob!(d!, ask)).resolves.toMatchObject({ ok: true });
    await expect(source.reserveJob!(e!, ask)).resolves.toMatchObject({ ok: false });

    // C is cancelled: the same.
    await prisma.generationRequest.update({ where: { id: c! }, data: { status: 'cancelled' } });
    await expect(source.reserveJob!(e!, ask)).resolves.toMatchObject({ ok: true });
    expect(await committedNow(installationId)).toEqual({ usd: 5.5, tokens: 2_400 });
  });
});
