import type { PrismaClient } from '../../core/storage/prisma.js';
import type { Spend, SpendSource } from './budget-guard.js';

type Sums = { costUsd: unknown; tokensIn: number | null; tokensOut: number | null };

function toSpend(sum: Sums): Spend {
  return { usd: Number(sum.costUsd ?? 0), tokens: (sum.tokensIn ?? 0) + (sum.tokensOut ?? 0) };
}

/**
 * Recorded spend from Postgres. It sums agent_sessions (one row per agent run, written as each run
 * ends) rather than generation_requests.cost_usd, which is only written when a job succeeds: failed
 * and still-running jobs count against the daily budget too.
 */
export function createPrismaSpendSource(prisma: PrismaClient): SpendSource {
  const sum = { costUsd: true, tokensIn: true, tokensOut: true } as const;
  return {
    async jobStart(requestId) {
      const [request, spent] = await Promise.all([
        prisma.generationRequest.findUnique({ where: { id: requestId }, select: { installationId: true } }),
        prisma.agentSession.aggregate({ where: { requestId }, _sum: sum }),
      ]);
      return { installationId: request?.installationId ?? null, spent: toSpend(spent._sum) };
    },
    async spentToday(installationId, { since, excludeRequestId }) {
      const spent = await prisma.agentSession.aggregate({
        where: {
          startedAt: { gte: since },
          request: {
            installationId,
            ...(excludeRequestId === undefined ? {} : { id: { not: excludeRequestId } }),
          },
        },
        _sum: sum,
      });
      return toSpend(spent._sum);
    },
  };
}
