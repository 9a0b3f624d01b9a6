import { TransientError } from '../errors.js';

/**
 * Which database failures pass by themselves (a restart, a dropped connection, a lost serialization
 * race), and a bounded retry for the writes that must not turn such a blip into a failed job.
 */

/** Prisma's codes for "could not reach / lost the server / pool exhausted / write conflict". */
const PRISMA_TRANSIENT = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
/** PostgreSQL SQLSTATEs: connection exceptions, admin/crash shutdown, serialization and deadlock. */
const POSTGRES_TRANSIENT = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '40001',
  '40P01',
]);
/** The driver adapter's kinds for the same situations (Prisma's `meta.driverAdapterError.cause`). */
const ADAPTER_TRANSIENT_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
]);
const NODE_TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const TRANSIENT_MESSAGE = /connection terminated|server closed the connection|connection reset/i;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function isTransientShape(value: unknown): boolean {
  const code = field(value, 'code');
  if (typeof code === 'string') {
    if (PRISMA_TRANSIENT.has(code) || POSTGRES_TRANSIENT.has(code) || NODE_TRANSIENT.has(code)) return true;
  }
  const errorCode = field(value, 'errorCode'); // PrismaClientInitializationError
  if (typeof errorCode === 'string' && PRISMA_TRANSIENT.has(errorCode)) return true;
  const adapter = field(field(field(value, 'meta'), 'driverAdapterError'), 'cause');
  if (adapter !== undefined) {
    const kind = field(adapter, 'kind');
    const original = field(adapter, 'originalCode') ?? field(adapter, 'code');
    if (typeof kind === 'string' && ADAPTER_TRANSIENT_KINDS.has(kind)) return true;
    if (typeof original === 'string' && POSTGRES_TRANSIENT.has(original)) return true;
  }
  const message = field(value, 'message');
  return typeof message === 'string' && TRANSIENT_MESSAGE.test(message);
}

/** True for a failure worth retrying as is: the error or any of its causes looks transient. */
export function isTransientDbError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    if (isTransientShape(current)) return true;
    current = field(current, 'cause');
  }
  return false;
}

export interface DbRetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Delay before the first retry; each later one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about each transient failure that is retried (for a log line). */
  onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: unknown }) => void;
}

/** About 8 s in all: long enough for a PostgreSQL restart or a failover to finish. */
export const DEFAULT_DB_RETRY: DbRetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 4000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, retrying transient database failures with backoff; anything else is thrown at once,
 * and a failure that outlasts every try becomes a retryable TransientError.
 */
export async function retryTransientDb<T>(
  operation: string,
  work: () => Promise<T>,
  policy: DbRetryPolicy = DEFAULT_DB_RETRY,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isTransientDbError(error)) throw error;
      // Still down: retryable, so the job is retried later instead of failing as an internal error.
      if (attempt >= policy.attempts)
        throw new TransientError(`The database is unavailable (${operation}); the job will be retried.`, {
          cause: error,
        });
      const delayMs = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
      policy.onRetry?.({ operation, attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
