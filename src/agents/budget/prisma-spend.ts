import type { PrismaClient } from '../../core/storage/prisma.js';
import { lockKeys } from '../../core/storage/advisory-lock.js';
import type { JobReservation, JobReservationRequest, Spend, SpendSource } from './budget-guard.js';

type Sums = { costUsd: unknown; tokensIn: number | null; tokensOut: number | null };
type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function toSpend(sum: Sums): Spend {
  return { usd: Number(sum.costUsd ?? 0), tokens: (sum.tokensIn ?? 0) + (sum.tokensOut ?? 0) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Sums of decimals compared with a limit: a cent's rounding must not refuse a job that fits exactly. */
const EPSILON = 1e-9;
const TRANSACTION = { maxWait: 10_000, timeout: 10_000 } as const;

/**
 * What a budget pool (an installation, or every job without one) has committed, leaving one job
 * out: its agent runs since `since`, plus what each other queued or running job reserved and has not
 * spent yet. A reservation whose job has been silent for 6 hours is taken to be lost and stops counting.
 */
async function committed(
  db: Pick<Tx, '$queryRaw'>,
  installationId: string | null,
  since: Date,
  excludeRequestId: string | null,
): Promise<Spend> {
  const [row] = await db.$queryRaw<Array<{ usd: number; tokens: number }>>`
    WITH spent AS (
      SELECT COALESCE(sum(a.cost_usd), 0) AS usd, COALESCE(sum(a.tokens_in + a.tokens_out), 0) AS tokens
      FROM agent_sessions a
      JOIN generation_requests g ON g.id = a.request_id
      WHERE a.started_at >= ${since}
        AND g.installation_id IS NOT DISTINCT FROM ${installationId}::uuid
        AND (${excludeRequestId}::uuid IS NULL OR a.request_id <> ${excludeRequestId}::uuid)
    ), open AS (
      SELECT b.usd AS reserved_usd, b.tokens AS reserved_tokens,
             COALESCE(sum(a.cost_usd), 0) AS used_usd, COALESCE(sum(a.tokens_in + a.tokens_out), 0) AS used_tokens
      FROM budget_reservations b
      JOIN generation_requests g ON g.id = b.request_id
      LEFT JOIN agent_sessions a ON a.request_id = b.request_id
      WHERE b.installation_id IS NOT DISTINCT FROM ${installationId}::uuid
        AND (${excludeRequestId}::uuid IS NULL OR b.request_id <> ${excludeRequestId}::uuid)
        AND g.status IN ('queued', 'running')
        AND g.updated_at > now() - interval '6 hours'
      GROUP BY b.request_id, b.usd, b.tokens
    )
    SELECT (spent.usd + COALESCE((SELECT sum(GREATEST(reserved_usd - used_usd, 0)) FROM open), 0))::float8 AS usd,
           (spent.tokens + COALESCE((SELECT sum(GREATEST(reserved_tokens - used_tokens, 0)) FROM open), 0))::float8 AS tokens
    FROM spent`;
  return { usd: row?.usd ?? 0, tokens: row?.tokens ?? 0 };
}

/**
 * Recorded spend from Postgres. It sums agent_sessions (one row per agent run, written as each run
 * ends) rather than generation_requests.cost_usd, which is only written when a job succeeds: failed
 * and still-running jobs count against the daily budget too. Each job also reserves its maximum
 * cost before its first model call (budget_reservations), so jobs running at once cannot together
 * overshoot the daily budget: what a running job has not spent of its reservation counts as
 * committed, and once the job ends (succeeded, failed or cancelled) only what it spent does.
 */
export function createPrismaSpendSource(prisma: PrismaClient): SpendSource {
  const sum = { costUsd: true, tokensIn: true, tokensOut: true } as const;
  const jobStart: SpendSource['jobStart'] = async (requestId) => {
    const [request, spent] = await Promise.all([
      prisma.generationRequest.findUnique({ where: { id: requestId }, select: { installationId: true } }),
      prisma.agentSession.aggregate({ where: { requestId }, _sum: sum }),
    ]);
    return { installationId: request?.installationId ?? null, spent: toSpend(spent._sum) };
  };
  return {
    jobStart,

    spentToday: (installationId, { since, excludeRequestId }) =>
      committed(prisma, installationId, since, excludeRequestId ?? null),

    async reserveJob(requestId: string, ask: JobReservationRequest): Promise<JobReservation> {
      // Only a stored request can hold a reservation (its status says when it ends).
      if (!UUID.test(requestId)) return { ok: true, ...(await jobStart(requestId)) };
      return prisma.$transaction(async (tx) => {
        const [request] = await tx.$queryRaw<Array<{ installation_id: string | null }>>`
          SELECT installation_id::text AS installation_id FROM generation_requests WHERE id = ${requestId}::uuid`;
        if (!request) return { ok: true as const, ...(await jobStart(requestId)) };
        const pool = request.installation_id;
        // One lock per pool: the check below and the insert are one step for every process.
        await lockKeys(tx, 'budget', [`pool:${pool ?? 'none'}`]);
        const others = await committed(tx, pool, ask.since, requestId);
        const own = toSpend((await tx.agentSession.aggregate({ where: { requestId }, _sum: sum }))._sum);
        const needs = {
          usd: Math.max(ask.amount.usd, own.usd),
          tokens: Math.max(ask.amount.tokens, own.tokens),
        };
        if (
          others.usd + needs.usd > ask.daily.usd + EPSILON ||
          others.tokens + needs.tokens > ask.daily.tokens + EPSILON
        ) {
          return { ok: false as const, committed: others };
        }
        await tx.$executeRaw`
          INSERT INTO budget_reservations (request_id, installation_id, usd, tokens, reserved_at)
          VALUES (${requestId}::uuid, ${pool}::uuid, ${ask.amount.usd}, ${BigInt(Math.ceil(ask.amount.tokens))}, now())
          ON CONFLICT (request_id) DO UPDATE
            SET installation_id = EXCLUDED.installation_id, usd = EXCLUDED.usd,
                tokens = EXCLUDED.tokens, reserved_at = now()`;
        return { ok: true as const, installationId: pool, spent: own };
      }, TRANSACTION);
    },
  };
}
