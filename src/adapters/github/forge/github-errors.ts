import { AutonomaError } from '../../../core/errors.js';

/** The parts of an Octokit RequestError we read, without depending on its class. */
interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

export function httpStatus(error: unknown): number | undefined {
  const status = (error as HttpErrorLike | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** GitHub's own explanation: `message`, plus any `errors[].message`/`code` (422s put the detail there). */
export function githubMessage(error: unknown): string {
  const data = (error as HttpErrorLike | null)?.response?.data as
    | { message?: string; errors?: Array<{ message?: string; code?: string; field?: string } | string> }
    | undefined;
  const details = (data?.errors ?? [])
    .map((e) => (typeof e === 'string' ? e : (e.message ?? [e.field, e.code].filter(Boolean).join(' '))))
    .filter(Boolean);
  const base = data?.message ?? String((error as HttpErrorLike | null)?.message ?? error);
  return details.length > 0 ? `${base} (${details.join('; ')})` : base;
}

function isRateLimited(error: unknown): boolean {
  const headers = (error as HttpErrorLike | null)?.response?.headers ?? {};
  return headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(githubMessage(error));
}

/**
 * Turns whatever Octokit threw into an AutonomaError that says what failed and what to do about it;
 * network failures, 5xx and rate limits are retryable, the rest are not.
 */
export function toForgeError(error: unknown, action: string): AutonomaError {
  if (error instanceof AutonomaError) return error;
  const status = httpStatus(error);
  const said = githubMessage(error);
  const options = { cause: error, details: { status, action } };
  if (status === undefined || status >= 500) {
    return new AutonomaError(
      'upstream_unavailable',
      `GitHub did not answer while ${action} (${status ?? 'no response'}: ${said}). ` +
        'This is usually temporary and the job will be retried; check GITHUB_API_URL if it persists.',
      { ...options, retryable: true },
    );
  }
  if ((status === 403 || status === 429) && isRateLimited(error)) {
    return new AutonomaError(
      'rate_limited',
      `GitHub's rate limit was reached while ${action}. The job will be retried once the limit resets.`,
      { ...options, retryable: true },
    );
  }
  switch (status) {
    case 401:
      return new AutonomaError(
        'unauthorized',
        `GitHub rejected the credentials while ${action}. Check GITHUB_TOKEN, or GITHUB_APP_ID and ` +
          'GITHUB_PRIVATE_KEY and that the App is installed on the owner.',
        options,
      );
    case 403:
      return new AutonomaError(
        'forbidden',
        `GitHub refused ${action}: ${said}. Give the token or GitHub App the permission this needs ` +
          '(Administration to create repositories; Contents, Pull requests, Issues and Commit statuses: write).',
        options,
      );
    case 404:
      return new AutonomaError(
        'not_found',
        `GitHub answered 404 while ${action}: ${said}. Check AUTONOMA_GITHUB_OWNER and that the token or ` +
          'App can see the repository (a missing permission also shows as 404).',
        options,
      );
    case 409:
      return new AutonomaError(
        'conflict',
        `GitHub reported a conflict while ${action}: ${said}. Another change landed at the same time; retrying will pick it up.`,
        { ...options, retryable: true },
      );
    default:
      return new AutonomaError('forge_failed', `GitHub rejected ${action} (${status}): ${said}.`, options);
  }
}

/** Runs one GitHub call, turning its failure into an AutonomaError that names `action`. */
export async function callGitHub<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toForgeError(error, action);
  }
}

/** For find-first lookups: the call's result, or null when GitHub answers one of `statuses` (404…). */
export async function findOnGitHub<T>(
  action: string,
  call: () => Promise<T>,
  statuses = [404],
): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (statuses.includes(httpStatus(error) ?? 0)) return null;
    throw toForgeError(error, action);
  }
}
