import { describe, expect, it } from '@jest/globals';
import { Prisma } from '../../generated/prisma/client.js';
import { AutonomaError } from '../errors.js';
import { isTransientDbError, retryTransientDb } from './transient-db-errors.js';

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError(`failed (${code})`, {
    code,
    clientVersion: Prisma.prismaVersion.client,
    ...(meta ? { meta } : {}),
  });
/** Raw query errors from the pg driver adapter, as Prisma 6 reports them. */
const adapter = (cause: Record<string, unknown>) =>
  known('P2010', { driverAdapterError: { name: 'DriverAdapterError', cause } });
const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('isTransientDbError', () => {
  it.each([
    ['P1001 (cannot reach the server)', known('P1001')],
    ['P1017 (server closed the connection)', known('P1017')],
    ['P2024 (connection pool timeout)', known('P2024')],
    ['57P01 via the driver adapter', adapter({ kind: 'postgres', code: '57P01', originalCode: '57P01' })],
    ['40001 via the driver adapter', adapter({ kind: 'TransactionWriteConflict', originalCode: '40001' })],
    ['an unreachable server via the driver adapter', adapter({ kind: 'DatabaseNotReachable' })],
    ['40P01 (deadlock) from pg', pgError('40P01')],
    ['ECONNRESET', pgError('ECONNRESET')],
    ['ECONNREFUSED as a cause', new Error('query failed', { cause: pgError('ECONNREFUSED') })],
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
  ])('retries %s', (_label, error) => {
    expect(isTransientDbError(error)).toBe(true);
  });

  it.each([
    ['a unique violation (P2002)', known('P2002')],
    ['a missing record (P2025)', known('P2025')],
    ['a check violation via the driver adapter', adapter({ kind: 'postgres', code: '23514' })],
    ['a plain bug', new TypeError('x is undefined')],
    ['not an error', 'P1001'],
  ])('does not retry %s', (_label, error) => {
    expect(isTransientDbError(error)).toBe(false);
  });
});

describe('retryTransientDb', () => {
  const policy = (sleeps: number[]) => ({
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 250,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  });

  it('retries transient failures with doubling, capped delays and returns the result', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await retryTransientDb(
      'markRunning',
      async () => {
        calls += 1;
        if (calls < 4) throw known('P1017');
        return 'ok';
      },
      policy(sleeps),
    );
    expect({ result, calls, sleeps }).toEqual({ result: 'ok', calls: 4, sleeps: [100, 200, 250] });
  });

  it('gives up after the last try with a retryable error that keeps the cause', async () => {
    const sleeps: number[] = [];
    const cause = known('P1001');
    const thrown = await retryTransientDb('markFailed', () => Promise.reject(cause), policy(sleeps)).catch(
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(AutonomaError);
    expect(thrown).toMatchObject({ code: 'upstream_unavailable', retryable: true, cause });
    expect((thrown as Error).message).toContain('markFailed');
    expect(sleeps).toHaveLength(3);
  });

  it('throws anything else at once, unchanged', async () => {
    const sleeps: number[] = [];
    const unique = known('P2002');
    await expect(
      retryTransientDb('recordPullRequest', () => Promise.reject(unique), policy(sleeps)),
    ).rejects.toBe(unique);
    expect(sleeps).toEqual([]);
  });
});
