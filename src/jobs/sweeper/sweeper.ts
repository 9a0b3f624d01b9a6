import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { JobStore } from '../../core/ports/job-store.js';
import type { ProgressBus } from '../../core/ports/progress-bus.js';
import type { Lease, StateStore } from '../../core/ports/state-store.js';
import {
  GENERATION_QUEUE,
  generationJobId,
  requestJobIds,
  requestQueueKey,
  retryJobId,
  type GenerationProducer,
} from '../generation-queue.js';
import type { InboxProducer } from '../inbox-queue.js';
import { createJobProgressReporter } from '../progress-reporter.js';
import { recoverInbox, type InboxLedger } from '../recovery-inbox.js';
import type { JobCondition, JobProbe } from './job-probe.js';
import type { RecoveryStore, SweepCandidate, SweepCursor } from './recovery-store.js';

/** The code and message a request gets when its worker is gone for good; every adapter renders it. */
export const WORKER_LOST_CODE = 'upstream_unavailable';
export const WORKER_LOST_MESSAGE =
  'The worker running this job stopped before it finished (it crashed, was restarted, or lost its queue), ' +
  'so it will not finish on its own. Press Retry, or ask again in this thread.';

const LEASE_KEY = 'recovery:sweeper';
const unlockedKey = (requestId: string, jobId: string) => `recovery:unlocked:${requestId}:${jobId}`;

export interface SweeperOptions {
  /** Time between sweeps. */
  intervalMs: number;
  /** How long a job may sit active with nobody holding its lock before its request is failed. */
  stallMs: number;
  /** Requests examined per status per sweep. */
  batch: number;
  /** Requests touched more recently than this are left alone (they are plainly being worked on). */
  graceMs: number;
  /**
   * Requests older than this are left as they are: nobody waits for a week-old build any more, and
   * BullMQ forgets failed jobs after a week. Default 7 days.
   */
  maxAgeMs?: number;
}

export interface SweeperDeps {
  recovery: RecoveryStore;
  /** For the failure's progress event (the same path every adapter renders). */
  store: JobStore;
  bus: ProgressBus;
  probe: JobProbe;
  /** The shared generation queue's producer: lost jobs are queued there again. */
  producer: Pick<GenerationProducer, 'enqueue' | 'requeue' | 'queue'>;
  state: StateStore;
  /** Chat deliveries accepted but not yet handled (see recovery-inbox.ts); skipped without. */
  inbox?: { ledger: InboxLedger; producer: InboxProducer };
  logger: Logger;
  options: SweeperOptions;
  now?: () => Date;
}

export interface SweepReport {
  examined: number;
  /** Queued requests whose job was gone: queued again under the same job id. */
  requeued: string[];
  /** Running requests whose worker was gone for good: failed, and their thread told. */
  failed: string[];
  /** Running requests whose job is active without a lock, not yet past the stall limit. */
  watching: number;
  /** Accepted chat deliveries whose inbox job was gone: queued again (by delivery key). */
  inboxRequeued: string[];
}

export interface Sweeper {
  /** One sweep; undefined when another process holds the sweeper lease. */
  sweepOnce(): Promise<SweepReport | undefined>;
  /** Sweeps every `intervalMs` until stopped. */
  start(): void;
  stop(): Promise<void>;
}

/** Alive: a worker has it or will take it; BullMQ needs no help. */
const ALIVE: ReadonlySet<JobCondition> = new Set(['pending', 'running']);

/**
 * Recovery for what Redis and crashed workers lose: requests Postgres says are queued or running
 * whose BullMQ job no longer exists, or will never finish. One process at a time sweeps (a lease in
 * the StateStore); each sweep examines a bounded batch and moves a cursor, so a large backlog is
 * covered over several sweeps.
 */
export function createSweeper(deps: SweeperDeps): Sweeper {
  const { options } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'recovery-sweeper' });
  const owner = randomUUID();
  const leaseMs = Math.max(options.intervalMs * 3, 30_000);
  const cursors: Partial<Record<'queued' | 'running', SweepCursor>> = {};
  let lease: Lease | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function candidates(status: 'queued' | 'running'): Promise<SweepCandidate[]> {
    const after = cursors[status];
    const rows = await deps.recovery.listCandidates({
      status,
      createdAfter: new Date(now().getTime() - (options.maxAgeMs ?? 7 * 24 * 3600_000)),
      updatedBefore: new Date(now().getTime() - options.graceMs),
      ...(after ? { after } : {}),
      limit: options.batch,
    });
    // A short batch reached the end: the next sweep starts from the oldest again.
    const last = rows.at(-1);
    if (rows.length < options.batch || !last) delete cursors[status];
    else cursors[status] = { createdAt: last.createdAt, id: last.id };
    return rows;
  }

  /** The queue the request's job went to: a private one if the producer noted it, else the shared one. */
  async function queueOf(requestId: string): Promise<string> {
    return (await deps.state.get(requestQueueKey(requestId))) ?? GENERATION_QUEUE;
  }

  /** Each job id the request may have had, with where it stands. */
  async function conditions(queue: string, request: SweepCandidate) {
    const ids = requestJobIds(request);
    return Promise.all(
      ids.map(async (jobId) => ({ jobId, condition: await deps.probe.condition(queue, jobId) })),
    );
  }

  async function recoverQueued(request: SweepCandidate): Promise<boolean> {
    const queue = await queueOf(request.id);
    const jobs = await conditions(queue, request);
    if (jobs.some((j) => ALIVE.has(j.condition) || j.condition === 'unlocked')) return false;
    // The id it was queued under (first run, or the user's latest Retry): adding it again is a no-op
    // if another sweeper or the service got there first.
    const expected =
      request.attempts === 0
        ? generationJobId(request.idempotencyKey)
        : retryJobId(request.idempotencyKey, request.attempts + 1);
    const finished = queue === GENERATION_QUEUE && jobs.find((j) => j.jobId === expected)?.condition;
    // A finished job under that id (it ended without running the request) would swallow the add.
    if (finished === 'completed' || finished === 'failed') await deps.producer.queue.remove(expected);
    if (request.attempts === 0) await deps.producer.enqueue(request.id, request.idempotencyKey);
    else await deps.producer.requeue(request.id, request.idempotencyKey, request.attempts + 1);
    log.warn(
      { requestId: request.id, jobId: expected, queue, found: jobs.map((j) => j.condition) },
      'queued request had lost its job; queued it again',
    );
    return true;
  }

  /** 'failed' when it was failed, 'watching' while an unlocked job is within the stall limit. */
  async function recoverRunning(request: SweepCandidate): Promise<'failed' | 'watching' | 'alive'> {
    const queue = await queueOf(request.id);
    const jobs = await conditions(queue, request);
    if (jobs.some((j) => ALIVE.has(j.condition))) return 'alive';
    const unlocked = jobs.find((j) => j.condition === 'unlocked');
    if (unlocked) {
      const key = unlockedKey(request.id, unlocked.jobId);
      const at = String(now().getTime());
      await deps.state.setIfAbsent(key, at, Math.max(options.stallMs * 3, 60_000));
      const since = Number((await deps.state.get(key)) ?? at);
      if (now().getTime() - since < options.stallMs) return 'watching';
    }
    const failed = await deps.recovery.failIfStillRunning(
      request.id,
      request.attempts,
      WORKER_LOST_CODE,
      WORKER_LOST_MESSAGE,
    );
    if (!failed) return 'alive'; // it moved on meanwhile (finished, cancelled, picked up again)
    // A stall check must not run it after all: the thread has been told it failed.
    if (unlocked && queue === GENERATION_QUEUE)
      await deps.producer.queue.remove(unlocked.jobId).catch((error: unknown) => {
        log.warn({ err: error, jobId: unlocked.jobId }, 'could not remove the abandoned job');
      });
    const reporter = createJobProgressReporter({
      requestId: request.id,
      bus: deps.bus,
      store: deps.store,
      logger: log,
    });
    await reporter.finished('failed', WORKER_LOST_MESSAGE, [], WORKER_LOST_CODE);
    log.warn(
      { requestId: request.id, queue, found: jobs.map((j) => j.condition) },
      'running request had lost its worker; failed it and told its thread',
    );
    return 'failed';
  }

  async function sweep(): Promise<SweepReport> {
    const report: SweepReport = { examined: 0, requeued: [], failed: [], watching: 0, inboxRequeued: [] };
    // Deliveries first: an entry queued again now may become a queued request the next pass sees.
    if (deps.inbox) {
      const inbox = await recoverInbox({
        ledger: deps.inbox.ledger,
        probe: deps.probe,
        inbox: deps.inbox.producer,
        logger: log,
        now,
        graceMs: options.graceMs,
        limit: options.batch,
      });
      report.inboxRequeued = inbox.requeued;
    }
    for (const request of await candidates('queued')) {
      report.examined += 1;
      if (await recoverQueued(request)) report.requeued.push(request.id);
    }
    for (const request of await candidates('running')) {
      report.examined += 1;
      const outcome = await recoverRunning(request);
      if (outcome === 'failed') report.failed.push(request.id);
      if (outcome === 'watching') report.watching += 1;
    }
    return report;
  }

  async function sweepOnce(): Promise<SweepReport | undefined> {
    lease = await deps.state.acquireLease(LEASE_KEY, leaseMs, owner);
    if (!lease) return undefined;
    const started = now().getTime();
    const report = await sweep();
    const summary = {
      examined: report.examined,
      requeued: report.requeued.length,
      failed: report.failed.length,
      watching: report.watching,
      inboxRequeued: report.inboxRequeued.length,
      durationMs: now().getTime() - started,
    };
    if (report.requeued.length + report.failed.length + report.inboxRequeued.length > 0)
      log.info(summary, 'recovery sweep');
    else log.debug(summary, 'recovery sweep');
    return report;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepOnce()
        .catch((error: unknown) => log.warn({ err: error }, 'recovery sweep failed; next one will retry'))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }

  return {
    sweepOnce,
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      if (lease) await deps.state.releaseLease(lease).catch(() => undefined);
    },
  };
}
