import { withTimeout } from './timeout.js';

/** Resolves when a dependency is usable, rejects with a reason when it is not. */
export type ReadinessCheck = () => Promise<void>;

export type SqlQuery = (sql: string) => Promise<unknown>;

/** `SELECT 1` through a pg Pool/Client, or any query function (e.g. `(s) => prisma.$queryRawUnsafe(s)`). */
export function postgresCheck(target: { query(sql: string): Promise<unknown> } | SqlQuery): ReadinessCheck {
  const query: SqlQuery = typeof target === 'function' ? target : (sql) => target.query(sql);
  return async () => {
    await query('SELECT 1');
  };
}

export interface ReadinessReport {
  ready: boolean;
  /** 'ok' or 'failed' per check. */
  checks: Record<string, 'ok' | 'failed'>;
  /** The reason of each failed check. */
  errors: Record<string, string>;
}

const MAX_REASON_LENGTH = 300;

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const entries = Object.entries(checks);
  const outcomes = await Promise.allSettled(
    // `then` so a check that throws synchronously still becomes a rejection.
    entries.map(([name, check]) => withTimeout(Promise.resolve().then(check), timeoutMs, `${name} check`)),
  );
  const report: ReadinessReport = { ready: true, checks: {}, errors: {} };
  outcomes.forEach((outcome, index) => {
    const [name] = entries[index] as [string, ReadinessCheck];
    if (outcome.status === 'fulfilled') {
      report.checks[name] = 'ok';
      return;
    }
    const reason: unknown = outcome.reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    report.ready = false;
    report.checks[name] = 'failed';
    report.errors[name] = message.slice(0, MAX_REASON_LENGTH) || 'failed without a message';
  });
  return report;
}
