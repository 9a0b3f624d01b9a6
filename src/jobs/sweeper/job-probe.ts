import type { Redis } from 'ioredis';

/**
 * Where a BullMQ job stands, read straight from its keys (one round trip):
 * - `missing`: no such job (never added, removed, or Redis lost its data);
 * - `pending`: waiting, delayed or prioritized: a worker will take it;
 * - `running`: active and its worker still renews the lock;
 * - `unlocked`: active but nobody holds the lock (its worker died and no stall check moved it yet);
 * - `completed` / `failed`: finished; BullMQ will not run it again.
 */
export type JobCondition = 'missing' | 'pending' | 'running' | 'unlocked' | 'completed' | 'failed';

export interface JobProbe {
  condition(queueName: string, jobId: string): Promise<JobCondition>;
}

/** `prefix`: the queues' BullMQ prefix (AUTONOMA_QUEUE_PREFIX); key names follow BullMQ's layout. */
export function createJobProbe(redis: Redis, prefix: string): JobProbe {
  return {
    async condition(queueName, jobId) {
      const base = `${prefix}:${queueName}`;
      const key = `${base}:${jobId}`;
      const replies = await redis
        .multi()
        .exists(key)
        .exists(`${key}:lock`)
        .lpos(`${base}:active`, jobId)
        .hget(key, 'finishedOn')
        .zscore(`${base}:failed`, jobId)
        .exec();
      if (!replies) throw new Error('Redis discarded the job probe transaction.');
      for (const [error] of replies) if (error) throw error;
      const [exists, locked, activeAt, finishedOn, failedScore] = replies.map(([, value]) => value);
      if (exists === 0) return 'missing';
      if (locked === 1) return 'running';
      if (activeAt !== null) return 'unlocked';
      if (finishedOn !== null) return failedScore !== null ? 'failed' : 'completed';
      return 'pending';
    },
  };
}
