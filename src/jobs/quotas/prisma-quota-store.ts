import { randomUUID } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Platform, ValidGenerationRequestInput } from '../../core/domain/request.js';
import { QuotaExceededError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { QuotaLimits, QuotaStore, QuotaTicket } from '../../core/ports/quota-store.js';
import { lockKeys } from '../../core/storage/advisory-lock.js';
import type { PrismaClient } from '../../core/storage/prisma.js';
import { quotaMessage, QUOTA_ENV, type QuotaRefusalReason } from './quota-messages.js';
import { quotaSubject, type QuotaSubject } from './quota-subject.js';

export interface PrismaQuotaStoreOptions {
  limits: QuotaLimits;
  logger?: Logger;
}

type Tx = Prisma.TransactionClient;
type Kind = 'build' | 'iterate' | 'retry';

/**
 * A reservation not yet tied to its request counts for this long: the submit stores and queues the
 * request within it, or crashed (and the slot comes back on its own).
 */
const PENDING = '2 minutes';
/**
 * A request still queued or running this long after its reservation is taken to be lost (its queue
 * job gone, its worker dead): it stops holding a slot, so nobody is blocked for good.
 */
const STALE = '6 hours';
const TRANSACTION = { maxWait: 10_000, timeout: 10_000 } as const;

/** What a user and a tenant hold now: jobs queued or running, and when each build of the last hour began. */
interface Usage {
  /** A request or reservation with this key exists: the same submit again, nothing to reserve. */
  known: boolean;
  active: Record<'user' | 'tenant', number>;
  /** Epoch ms, oldest first (read as the timestamps were written). */
  builds: Record<'user' | 'tenant', number[]>;
}

/**
 * One statement, after the locks: a job counts once however many slots it took (a retry takes
 * another), while its request is queued or running or its slot is still pending.
 */
async function usage(
  tx: Tx,
  subject: QuotaSubject,
  key: string,
  idempotencyKey: string | null,
): Promise<Usage> {
  const [row] = await tx.$queryRaw<
    Array<{
      known: number;
      user_active: number;
      tenant_active: number;
      user_builds: number[];
      tenant_builds: number[];
    }>
  >`
    WITH active AS (
      SELECT q.user_key, q.tenant_key, COALESCE(q.request_id, q.id) AS job
      FROM quota_reservations q
      LEFT JOIN generation_requests g ON g.id = q.request_id
      WHERE (q.user_key = ${subject.userKey} OR q.tenant_key = ${subject.tenantKey})
        AND q.created_at > now() - ${STALE}::interval
        AND (q.pending_until > now() OR g.status IN ('queued', 'running'))
    ), builds AS (
      SELECT user_key, tenant_key, (extract(epoch FROM created_at::timestamptz) * 1000)::float8 AS at
      FROM quota_reservations
      WHERE (user_key = ${subject.userKey} OR tenant_key = ${subject.tenantKey})
        AND kind = 'build' AND created_at > now() - interval '1 hour'
    )
    SELECT
      ((SELECT count(*) FROM quota_reservations WHERE key = ${key})
        + (SELECT count(*) FROM generation_requests WHERE idempotency_key = ${idempotencyKey}))::int AS known,
      (SELECT count(DISTINCT job) FROM active WHERE user_key = ${subject.userKey})::int AS user_active,
      (SELECT count(DISTINCT job) FROM active WHERE tenant_key = ${subject.tenantKey})::int AS tenant_active,
      ARRAY(SELECT at FROM builds WHERE user_key = ${subject.userKey} ORDER BY at) AS user_builds,
      ARRAY(SELECT at FROM builds WHERE tenant_key = ${subject.tenantKey} ORDER BY at) AS tenant_builds`;
  return {
    known: (row?.known ?? 0) > 0,
    active: { user: row?.user_active ?? 0, tenant: row?.tenant_active ?? 0 },
    builds: { user: (row?.user_builds ?? []).map(Number), tenant: (row?.tenant_builds ?? []).map(Number) },
  };
}

/**
 * Checks and reserves quota slots in one Postgres transaction per request, under an advisory lock
 * per user and per tenant: however many servers submit at once, each sees the slots the others took.
 */
export function createPrismaQuotaStore(prisma: PrismaClient, options: PrismaQuotaStoreOptions): QuotaStore {
  const { limits } = options;
  const log = options.logger?.child({ component: 'quotas' });

  const scopes = (subject: QuotaSubject) =>
    [
      {
        scope: 'user' as const,
        key: subject.userKey,
        concurrent: limits.userConcurrent,
        hourly: limits.userBuildsPerHour,
      },
      {
        scope: 'tenant' as const,
        key: subject.tenantKey,
        concurrent: limits.workspaceConcurrent,
        hourly: limits.workspaceBuildsPerHour,
      },
    ].filter((s): s is typeof s & { key: string } => s.key !== null && (s.concurrent > 0 || s.hourly > 0));

  function firstLimitReached(subject: QuotaSubject, kind: Kind, now: Usage): QuotaRefusalReason | undefined {
    for (const { scope, concurrent, hourly } of scopes(subject)) {
      const count = now.active[scope];
      if (concurrent > 0 && count >= concurrent) {
        return { reason: `${scope}_concurrent`, count, limit: concurrent, tenantKey: subject.tenantKey };
      }
      // Iterations and retries run again what exists: they hold a slot but are not new builds.
      const times = now.builds[scope];
      if (hourly > 0 && kind === 'build' && times.length >= hourly) {
        return {
          reason: `${scope}_hourly`,
          count: times.length,
          limit: hourly,
          nextSlotAt: new Date(times[times.length - hourly]! + 3_600_000),
          tenantKey: subject.tenantKey,
        };
      }
    }
    return undefined;
  }

  async function recordRefusal(
    tx: Tx,
    refusal: QuotaRefusalReason,
    message: string,
    entry: {
      key: string;
      kind: Kind;
      source: Platform;
      input: unknown;
      subject: QuotaSubject;
      requestId?: string;
    },
  ): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO quota_refusals
        (id, idempotency_key, request_id, kind, source_platform, input, user_key, tenant_key, reason, message, updated_at)
      VALUES
        (gen_random_uuid(), ${entry.key}, ${entry.requestId ?? null}::uuid, ${entry.kind}, ${entry.source}::"Platform",
         ${JSON.stringify(entry.input)}::jsonb, ${entry.subject.userKey}, ${entry.subject.tenantKey},
         ${refusal.reason}, ${message}, now())
      ON CONFLICT (idempotency_key) DO UPDATE
        SET refusals = quota_refusals.refusals + 1, reason = EXCLUDED.reason,
            message = EXCLUDED.message, updated_at = now()`;
  }

  /** One transaction: lock, skip if already reserved, check, then reserve or record the refusal. */
  async function reserveSlot(entry: {
    key: string;
    kind: Kind;
    source: Platform;
    input: unknown;
    subject: QuotaSubject;
    requestId?: string;
    /** Set for submits: a request stored under this key needs no second slot. */
    idempotencyKey?: string;
  }): Promise<QuotaTicket | null> {
    const { subject } = entry;
    if (scopes(subject).length === 0) return null;
    const outcome = await prisma.$transaction(async (tx) => {
      await lockKeys(
        tx,
        'quota',
        [
          subject.userKey && `user:${subject.userKey}`,
          subject.tenantKey && `tenant:${subject.tenantKey}`,
        ].filter((k): k is string => Boolean(k)),
      );
      const now = await usage(tx, subject, entry.key, entry.idempotencyKey ?? null);
      if (now.known) return { kind: 'known' as const };
      const refusal = firstLimitReached(subject, entry.kind, now);
      if (refusal) {
        const message = quotaMessage(refusal);
        await recordRefusal(tx, refusal, message, entry);
        return { kind: 'refused' as const, refusal, message };
      }
      await tx.$executeRaw`
        INSERT INTO quota_reservations (id, key, request_id, kind, user_key, tenant_key, pending_until)
        VALUES (gen_random_uuid(), ${entry.key}, ${entry.requestId ?? null}::uuid, ${entry.kind},
                ${subject.userKey}, ${subject.tenantKey}, now() + ${PENDING}::interval)`;
      return { kind: 'reserved' as const };
    }, TRANSACTION);
    if (outcome.kind === 'known') return null;
    if (outcome.kind === 'refused') {
      const { refusal, message } = outcome;
      log?.info(
        { reason: refusal.reason, count: refusal.count, limit: refusal.limit, kind: entry.kind },
        'request refused: quota reached',
      );
      throw new QuotaExceededError(message, {
        details: {
          reason: refusal.reason,
          limit: QUOTA_ENV[refusal.reason],
          limitValue: refusal.limit,
          count: refusal.count,
          ...(refusal.nextSlotAt ? { nextSlotAt: refusal.nextSlotAt.toISOString() } : {}),
        },
      });
    }
    return { key: entry.key };
  }

  return {
    reserve(input: ValidGenerationRequestInput) {
      return reserveSlot({
        key: input.idempotencyKey,
        idempotencyKey: input.idempotencyKey,
        kind: input.kind,
        source: input.source,
        input,
        subject: quotaSubject(input),
      });
    },

    async reserveRetry(requestId) {
      const [row] = await prisma.$queryRaw<
        Array<{
          source: Platform;
          user_platform: Platform | null;
          user_id: string | null;
          tenant_platform: Platform | null;
          tenant_id: string | null;
        }>
      >`
        SELECT g.source_platform::text AS source,
               pi.platform::text AS user_platform, pi.external_id AS user_id,
               i.platform::text AS tenant_platform, i.external_id AS tenant_id
        FROM generation_requests g
        LEFT JOIN platform_identities pi ON pi.id = g.requester_id
        LEFT JOIN installations i ON i.id = g.installation_id
        WHERE g.id = ${requestId}::uuid`;
      if (!row) return null;
      const subject = quotaSubject({
        requester:
          row.user_platform && row.user_id ? { platform: row.user_platform, externalId: row.user_id } : null,
        installation:
          row.tenant_platform && row.tenant_id
            ? { platform: row.tenant_platform, externalId: row.tenant_id }
            : null,
      });
      return reserveSlot({
        key: `retry:${requestId}:${randomUUID()}`,
        kind: 'retry',
        source: row.source,
        input: { retryOf: requestId },
        subject,
        requestId,
      });
    },

    async confirm(ticket, requestId) {
      await prisma.$executeRaw`
        UPDATE quota_reservations SET request_id = ${requestId}::uuid, pending_until = NULL
        WHERE key = ${ticket.key}`;
    },

    async release(ticket) {
      await prisma.$executeRaw`DELETE FROM quota_reservations WHERE key = ${ticket.key}`;
    },
  };
}
