import { AutonomaError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type {
  CompletionRequest,
  CompletionResponse,
  ModelProvider,
  TokenUsage,
} from '../../core/ports/model-provider.js';

export interface BudgetLimits {
  jobUsd: number;
  jobTokens: number;
  dailyUsd: number;
  dailyTokens: number;
}

export interface Spend {
  usd: number;
  tokens: number;
}

export interface JobReservationRequest {
  /** The most the job may spend (the per-job budget). */
  amount: Spend;
  /** The daily budget of the job's pool. */
  daily: Spend;
  /** Start of the UTC day. */
  since: Date;
}

export type JobReservation =
  | { ok: true; installationId: string | null; spent: Spend }
  /** It does not fit: `committed` is what the pool's other jobs spent today or hold reserved. */
  | { ok: false; committed: Spend };

/** Recorded spend (agent_sessions in Postgres; see createPrismaSpendSource). */
export interface SpendSource {
  /** A job's installation (null for CLI/MCP jobs) and what earlier attempts of it already spent. */
  jobStart(requestId: string): Promise<{ installationId: string | null; spent: Spend }>;
  /**
   * What an installation's jobs spent since `since` (start of the UTC day), leaving out one job;
   * with reservations, plus what other running jobs reserved and have not spent yet.
   */
  spentToday(
    installationId: string | null,
    options: { since: Date; excludeRequestId?: string },
  ): Promise<Spend>;
  /**
   * Reserves a job's maximum cost against its pool's daily budget before its first model call, as one
   * atomic step across processes (then used instead of jobStart). Not ok when the pool's committed
   * spend plus `amount` would go over `daily`.
   */
  reserveJob?(requestId: string, request: JobReservationRequest): Promise<JobReservation>;
}

export interface BudgetGuardOptions {
  limits: BudgetLimits;
  /** Without it, daily budgets count what this process spent today (per installation unknown: one pool). */
  spend?: SpendSource;
  /** The model a role's calls go to, to price the next call before it is made. */
  modelFor?: (agent: string) => string;
  /** Output tokens expected of a call that sets no maxOutputTokens (most answers are far below the maximum). Default 1024. */
  outputReserveTokens?: number;
  now?: () => Date;
  logger?: Logger;
}

export interface BudgetGuard extends ModelProvider {
  /** What a job has spent so far (this process's view, including earlier attempts). */
  spentOnJob(requestId: string): Spend;
}

interface JobState {
  ready: Promise<{ installationId: string | null }>;
  spent: Spend;
  /** Estimates of calls in flight: concurrent agents of one job cannot overshoot together. */
  reserved: Spend;
  lastUsed: number;
}

const UNSCOPED = '(no job id)';
const DAY_MS = 86_400_000;

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const add = (a: Spend, b: Spend): Spend => ({ usd: a.usd + b.usd, tokens: a.tokens + b.tokens });
const sub = (a: Spend, b: Spend): Spend => ({ usd: a.usd - b.usd, tokens: a.tokens - b.tokens });
const tokens = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

function estimateCallTokens(request: CompletionRequest, outputReserve: number): TokenUsage {
  const chars =
    request.system.length +
    JSON.stringify(request.tools).length +
    request.messages.reduce(
      (sum, m) => sum + m.content.length + (m.role === 'assistant' ? JSON.stringify(m.toolCalls).length : 0),
      0,
    );
  return { inputTokens: Math.ceil(chars / 4), outputTokens: request.maxOutputTokens ?? outputReserve };
}

/**
 * Wraps any provider with budgets that fail closed: before each call, the job's spend and its
 * installation's spend today plus an estimate of the call must stay within every limit, else the
 * call is refused with a non-retryable `budget_exceeded` naming the limit and its variable. If the
 * recorded spend cannot be read, the call is refused too (retryable): never a silent continue.
 * With a source that reserves (SpendSource.reserveJob), a job's first call first sets its whole job
 * budget aside against the daily budget; a job that does not fit is refused before any model call.
 */
export function createBudgetGuard(inner: ModelProvider, options: BudgetGuardOptions): BudgetGuard {
  const { limits } = options;
  const now = options.now ?? (() => new Date());
  const outputReserve = options.outputReserveTokens ?? 1024;
  const jobs = new Map<string, JobState>();
  /** Without a spend source: what this process spent per UTC day. */
  const days = new Map<number, Spend>();
  let warnedUnscoped = false;

  const usageSpend = (model: string, usage: TokenUsage): Spend => ({
    usd: inner.cost(model, usage),
    tokens: usage.inputTokens + usage.outputTokens,
  });

  function jobState(requestId: string): JobState {
    const time = now().getTime();
    for (const [id, job] of jobs) if (time - job.lastUsed > DAY_MS) jobs.delete(id);
    let job = jobs.get(requestId);
    if (!job) {
      const state: JobState = {
        ready: Promise.resolve({ installationId: null }),
        spent: { usd: 0, tokens: 0 },
        reserved: { usd: 0, tokens: 0 },
        lastUsed: time,
      };
      if (options.spend && requestId !== UNSCOPED) {
        state.ready = startJob(options.spend, requestId).then((start) => {
          state.spent = add(state.spent, start.spent);
          return { installationId: start.installationId };
        });
        // A failed lookup is retried on the next call rather than cached.
        state.ready.catch(() => jobs.delete(requestId));
      }
      job = state;
      jobs.set(requestId, job);
    }
    job.lastUsed = time;
    return job;
  }

  async function spentTodayExcept(installationId: string | null, requestId: string): Promise<Spend> {
    const today = startOfUtcDay(now());
    if (!options.spend) return days.get(today.getTime()) ?? { usd: 0, tokens: 0 };
    return options.spend.spentToday(installationId, {
      since: today,
      ...(requestId === UNSCOPED ? {} : { excludeRequestId: requestId }),
    });
  }

  function refuse(scope: 'job' | 'daily', kind: 'usd' | 'tokens', spent: Spend, next: Spend): never {
    const envVar = `AUTONOMA_${scope === 'job' ? 'JOB' : 'DAILY'}_BUDGET_${kind === 'usd' ? 'USD' : 'TOKENS'}`;
    const limit =
      scope === 'job'
        ? kind === 'usd'
          ? limits.jobUsd
          : limits.jobTokens
        : kind === 'usd'
          ? limits.dailyUsd
          : limits.dailyTokens;
    const format = kind === 'usd' ? usd : (n: number) => `${tokens(n)} tokens`;
    const what = scope === 'job' ? 'This job' : "Today's model use for this workspace";
    const reset = scope === 'daily' ? ' The daily budget resets at 00:00 UTC.' : '';
    throw new AutonomaError(
      'budget_exceeded',
      `${what} would go over its ${kind === 'usd' ? 'cost' : 'token'} budget: ${format(spent[kind])} used of ${format(limit)}, ` +
        `and the next model call needs about ${format(next[kind])} more, so the job was stopped.${reset} ` +
        `Raise ${envVar} (now ${limit}) to allow more.`,
      {
        retryable: false,
        details: { scope, limit: envVar, limitValue: limit, spent: spent[kind], next: next[kind] },
      },
    );
  }

  /**
   * Where the source reserves: the job's whole per-job budget is set aside against the daily budget
   * before its first call, so jobs running at once cannot overshoot it together.
   */
  async function startJob(spend: SpendSource, requestId: string) {
    if (!spend.reserveJob) return spend.jobStart(requestId);
    const amount = { usd: limits.jobUsd, tokens: limits.jobTokens };
    const reservation = await spend.reserveJob(requestId, {
      amount,
      daily: { usd: limits.dailyUsd, tokens: limits.dailyTokens },
      since: startOfUtcDay(now()),
    });
    if (!reservation.ok) refuseReservation(reservation.committed, amount);
    return reservation;
  }

  function refuseReservation(committed: Spend, amount: Spend): never {
    const kind: 'usd' | 'tokens' = committed.usd + amount.usd > limits.dailyUsd ? 'usd' : 'tokens';
    const format = kind === 'usd' ? usd : (n: number) => `${tokens(n)} tokens`;
    const daily = kind === 'usd' ? limits.dailyUsd : limits.dailyTokens;
    const dailyVar = `AUTONOMA_DAILY_BUDGET_${kind === 'usd' ? 'USD' : 'TOKENS'}`;
    const jobVar = `AUTONOMA_JOB_BUDGET_${kind === 'usd' ? 'USD' : 'TOKENS'}`;
    throw new AutonomaError(
      'budget_exceeded',
      `Today's model budget for this workspace cannot cover another job: other jobs have spent or reserved ` +
        `${format(committed[kind])} of ${format(daily)}, and a job sets aside up to ${format(amount[kind])} ` +
        `(${jobVar}) before it starts, so this one stopped before its first model call. Try again when a ` +
        `running job finishes, or after 00:00 UTC when the daily budget resets; whoever runs Autonoma can ` +
        `raise ${dailyVar} (now ${daily}).`,
      {
        retryable: false,
        details: {
          scope: 'daily',
          reservation: true,
          limit: dailyVar,
          limitValue: daily,
          committed: committed[kind],
          next: amount[kind],
        },
      },
    );
  }

  return {
    name: inner.name,
    cost: (model, usage) => inner.cost(model, usage),
    spentOnJob(requestId) {
      const job = jobs.get(requestId);
      return job ? { ...job.spent } : { usd: 0, tokens: 0 };
    },
    async complete(request): Promise<CompletionResponse> {
      const requestId = request.job?.requestId ?? UNSCOPED;
      if (requestId === UNSCOPED && !warnedUnscoped) {
        warnedUnscoped = true;
        options.logger?.warn(
          {},
          'model calls carry no job id: the per-job budget counts all of them together (pass requestId to runAgent)',
        );
      }
      const job = jobState(requestId);
      let installationId: string | null;
      let today: Spend;
      try {
        ({ installationId } = await job.ready);
        today = await spentTodayExcept(installationId, requestId);
      } catch (error) {
        // The job's reservation did not fit: already a refusal the user can read.
        if (error instanceof AutonomaError && error.code === 'budget_exceeded') throw error;
        throw new AutonomaError(
          'upstream_unavailable',
          `Could not read the recorded model spend to check the budgets (${(error as Error).message}); no model call was made.`,
          { cause: error, retryable: true },
        );
      }
      const model = options.modelFor?.(request.agent) ?? '';
      const next = usageSpend(model, estimateCallTokens(request, outputReserve));
      const jobSpent = add(job.spent, job.reserved);
      const dailySpent = options.spend ? add(today, jobSpent) : add(today, job.reserved);
      if (jobSpent.tokens + next.tokens > limits.jobTokens) refuse('job', 'tokens', jobSpent, next);
      if (jobSpent.usd + next.usd > limits.jobUsd) refuse('job', 'usd', jobSpent, next);
      if (dailySpent.tokens + next.tokens > limits.dailyTokens) refuse('daily', 'tokens', dailySpent, next);
      if (dailySpent.usd + next.usd > limits.dailyUsd) refuse('daily', 'usd', dailySpent, next);

      job.reserved = add(job.reserved, next);
      try {
        const response = await inner.complete(request);
        const actual = usageSpend(response.model, response.usage);
        job.spent = add(job.spent, actual);
        const day = startOfUtcDay(now()).getTime();
        days.set(day, add(days.get(day) ?? { usd: 0, tokens: 0 }, actual));
        for (const key of days.keys()) if (key < day) days.delete(key);
        return response;
      } finally {
        job.reserved = sub(job.reserved, next);
      }
    },
  };
}
