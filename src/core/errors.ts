/**
 * One error base class for the whole service. `code` is stable and machine-readable; `message` is
 * written for the person who has to act on it; `cause` keeps the original error.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'cancelled'
  | 'timeout'
  | 'budget_exceeded'
  | 'quota_exceeded'
  | 'rate_limited'
  | 'upstream_unavailable'
  | 'validation_failed'
  | 'agent_failed'
  | 'forge_failed'
  | 'internal';

export interface AutonomaErrorOptions {
  cause?: unknown;
  /** Retrying the same work may succeed (network blips, 5xx, rate limits). */
  retryable?: boolean;
  details?: Record<string, unknown>;
}

export class AutonomaError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AutonomaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

/** Bad input from a user or a platform: never retried, reported as is. */
export class InvalidInputError extends AutonomaError {
  constructor(message: string, options: Omit<AutonomaErrorOptions, 'retryable'> = {}) {
    super('invalid_input', message, { ...options, retryable: false });
  }
}

/** A failure that is expected to pass if the same work is tried again later. */
export class TransientError extends AutonomaError {
  constructor(message: string, options: Omit<AutonomaErrorOptions, 'retryable'> = {}) {
    super('upstream_unavailable', message, { ...options, retryable: true });
  }
}

export class CancelledError extends AutonomaError {
  constructor(message = 'The job was cancelled.', options: Omit<AutonomaErrorOptions, 'retryable'> = {}) {
    super('cancelled', message, { ...options, retryable: false });
  }
}

export class ConfigError extends AutonomaError {
  constructor(message: string, options: Omit<AutonomaErrorOptions, 'retryable'> = {}) {
    super('config_invalid', message, { ...options, retryable: false });
  }
}

/**
 * A user or workspace is at one of its limits (builds per hour, jobs at once): never retried, and
 * the message names the limit and when a slot frees up.
 */
export class QuotaExceededError extends AutonomaError {
  constructor(message: string, options: Omit<AutonomaErrorOptions, 'retryable'> = {}) {
    super('quota_exceeded', message, { ...options, retryable: false });
  }
}

/** Refusals whose message is written for the person who asked: shown to them as is. */
export const USER_FACING_CODES: ReadonlySet<ErrorCode> = new Set([
  'invalid_input',
  'quota_exceeded',
  'budget_exceeded',
]);

/** The message to show the user when `error` is a refusal written for them; undefined otherwise. */
export function userFacingMessage(error: unknown): string | undefined {
  return error instanceof AutonomaError && !error.retryable && USER_FACING_CODES.has(error.code)
    ? error.message
    : undefined;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof AutonomaError ? error.retryable : false;
}

/** Turns anything thrown into an AutonomaError, keeping the original as `cause`. */
export function toAutonomaError(error: unknown, fallbackCode: ErrorCode = 'internal'): AutonomaError {
  if (error instanceof AutonomaError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AutonomaError(fallbackCode, message, { cause: error });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    throw reason instanceof AutonomaError ? reason : new CancelledError();
  }
}
