import type { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../core/logger.js';
import type { InboxEntry } from '../core/ports/inbox.js';
import type { PrismaClient } from '../core/storage/prisma.js';
import { retryTransientDb } from '../core/storage/transient-db-errors.js';
import { INBOX_QUEUE, inboxJobId, type InboxProducer } from './inbox-queue.js';
import type { JobProbe } from './sweeper/job-probe.js';

/**
 * The inbox's ledger in Postgres: a chat delivery accepted on a webhook is written here as well as
 * to the (Redis) inbox queue, so a Redis that loses its data does not lose the build a user asked
 * for. Recovery (recoverInbox) puts lost entries back, and forgets those whose job has finished.
 */
export interface InboxLedger {
  record(entry: InboxEntry): Promise<void>;
  forget(key: string): Promise<void>;
  /** Up to `limit` entries accepted before `acceptedBefore`, oldest first. */
  pending(acceptedBefore: Date, limit: number): Promise<InboxEntry[]>;
}

export function createPrismaInboxLedger(prisma: PrismaClient): InboxLedger {
  return {
    async record(entry) {
      // The same delivery twice (a platform retry) is one row.
      await retryTransientDb('recordInboxEntry', () =>
        prisma.pendingInboxEntry.createMany({
          data: [
            {
              key: entry.key,
              handler: entry.handler,
              payload: (entry.payload ?? null) as Prisma.InputJsonValue,
            },
          ],
          skipDuplicates: true,
        }),
      );
    },
    async forget(key) {
      await prisma.pendingInboxEntry.deleteMany({ where: { key } });
    },
    async pending(acceptedBefore, limit) {
      const rows = await prisma.pendingInboxEntry.findMany({
        where: { createdAt: { lt: acceptedBefore } },
        orderBy: { createdAt: 'asc' },
        take: limit,
      });
      return rows.map((row) => ({ key: row.key, handler: row.handler, payload: row.payload }));
    },
  };
}

/** The inbox producer, with each accepted entry written to the ledger first. */
export function withInboxLedger(inner: InboxProducer, ledger: InboxLedger): InboxProducer {
  return {
    queue: inner.queue,
    async accept(entry) {
      await ledger.record(entry);
      await inner.accept(entry);
    },
    close: () => inner.close(),
  };
}

export interface InboxRecoveryReport {
  /** Entries whose queue job was gone: queued again under the same job id. */
  requeued: string[];
  /** Entries whose job finished: no longer kept. */
  forgotten: number;
}

/**
 * One pass over the ledger: an entry whose job finished is forgotten; one whose job is gone is
 * queued again (the same job id, so twice is once). Entries younger than `graceMs` are left alone:
 * their webhook may still be adding the job.
 */
export async function recoverInbox(deps: {
  ledger: InboxLedger;
  probe: JobProbe;
  /** The plain producer (the entry is in the ledger already). */
  inbox: InboxProducer;
  logger: Logger;
  now: () => Date;
  graceMs: number;
  limit: number;
}): Promise<InboxRecoveryReport> {
  const report: InboxRecoveryReport = { requeued: [], forgotten: 0 };
  const entries = await deps.ledger.pending(new Date(deps.now().getTime() - deps.graceMs), deps.limit);
  for (const entry of entries) {
    const condition = await deps.probe.condition(INBOX_QUEUE, inboxJobId(entry.key));
    if (condition === 'completed' || condition === 'failed') {
      await deps.ledger.forget(entry.key);
      report.forgotten += 1;
    } else if (condition === 'missing') {
      await deps.inbox.accept(entry);
      report.requeued.push(entry.key);
      deps.logger.warn(
        { handler: entry.handler, jobId: inboxJobId(entry.key) },
        'accepted chat delivery had lost its inbox job; queued it again',
      );
    }
  }
  return report;
}
