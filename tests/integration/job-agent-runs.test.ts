/** JobStore.listAgentRuns on real Postgres: what the job page shows per agent. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { ensureTestDatabase, TEST_DATABASE_URL } from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
beforeAll(async () => {
  await ensureTestDatabase();
});
afterAll(async () => {
  await prisma.$disconnect();
});

it("lists a request's agent runs oldest first, finished ones with tokens, cost and duration", async () => {
  const { request } = await store.createRequest(requestInput());
  const { request: other } = await store.createRequest(requestInput());
  const first = await store.startAgentRun({
    requestId: request.id,
    agentType: 'requirements',
    attempt: 1,
    model: 'm1',
  });
  await store.finishAgentRun(first, { status: 'succeeded', tokensIn: 120, tokensOut: 80, costUsd: 0.012345 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  await store.startAgentRun({ requestId: request.id, agentType: 'frontend', attempt: 2, model: null });
  await store.startAgentRun({ requestId: other.id, agentType: 'backend', attempt: 1, model: null });

  const runs = await store.listAgentRuns(request.id);
  expect(runs.map((r) => [r.agentType, r.status, r.attempt])).toEqual([
    ['requirements', 'succeeded', 1],
    ['frontend', 'running', 2],
  ]);
  expect(runs[0]).toMatchObject({ model: 'm1', tokensIn: 120, tokensOut: 80, costUsd: 0.012345 });
  expect(runs[0]?.durationMs).toEqual(expect.any(Number));
  expect(runs[1]).toMatchObject({ tokensIn: 0, costUsd: 0, durationMs: null });
  expect(await store.listAgentRuns(request.id, 1)).toHaveLength(1);
  expect(await store.listAgentRuns('not-a-uuid')).toEqual([]);
});
