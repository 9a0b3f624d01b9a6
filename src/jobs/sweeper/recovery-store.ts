import type { PrismaClient } from '../../core/storage/prisma.js';
import { retryTransientDb } from '../../core/storage/transient-db-errors.js';

/** What recovery needs to know of a request that may be stuck. */
export interface SweepCandidate {
  id: string;
  idempotencyKey: string;
  attempts: number;
  createdAt: Date;
}

/** Where a scan stopped; the next batch starts after it. */
export interface SweepCursor {
  createdAt: Date;
  id: string;
}

export interface RecoveryStore {
  /**
   * Up to `limit` requests in `status` created after `createdAfter` and not touched since
   * `updatedBefore`, oldest first after `after`.
   */
  listCandidates(options: {
    status: 'queued' | 'running';
    createdAfter: Date;
    updatedBefore: Date;
    after?: SweepCursor;
    limit: number;
  }): Promise<SweepCandidate[]>;
  /**
   * Fails the request only if it is still running the same attempt: a worker that finished it
   * meanwhile wins, and nothing is overwritten. True if it was failed.
   */
  failIfStillRunning(id: string, attempts: number, code: string, message: string): Promise<boolean>;
}

export function createPrismaRecoveryStore(prisma: PrismaClient): RecoveryStore {
  return {
    async listCandidates({ status, createdAfter, updatedBefore, after, limit }) {
      const rows = await prisma.generationRequest.findMany({
        where: {
          status,
          updatedAt: { lt: updatedBefore },
          createdAt: { gt: createdAfter },
          ...(after
            ? {
                OR: [
                  { createdAt: { gt: after.createdAt } },
                  { createdAt: after.createdAt, id: { gt: after.id } },
                ],
              }
            : {}),
        },
        select: { id: true, idempotencyKey: true, attempts: true, createdAt: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: limit,
      });
      return rows;
    },

    async failIfStillRunning(id, attempts, code, message) {
      const { count } = await retryTransientDb('failIfStillRunning', () =>
        prisma.generationRequest.updateMany({
          where: { id, status: 'running', attempts },
          data: { status: 'failed', errorCode: code, errorMessage: message, finishedAt: new Date() },
        }),
      );
      return count === 1;
    },
  };
}
