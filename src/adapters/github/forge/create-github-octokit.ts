import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../../../core/logger.js';

export type GitHubCredentials =
  { token: string } | { appId: string | number; privateKey: string; installationId: number };

export type GitHubOctokitOptions = GitHubCredentials & {
  /** `config.github.apiUrl`: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  apiUrl: string;
  logger?: Logger;
  /**
   * Milliseconds waited per second of Retry-After (rate limits) and per unit of back-off (5xx):
   * 1000 in production, 0 in tests so retries happen at once.
   */
  waitUnitMs?: number;
  /** How often a 5xx or a secondary rate limit is retried (default 3 and 2). */
  retries?: number;
  /**
   * Queue writes ~1 s apart as GitHub asks of integrations, and retry rate limits (default true). Off,
   * secondary rate limits surface as retryable `rate_limited` errors for the job queue to retry.
   */
  throttle?: boolean;
  /**
   * Told every token the client authenticates with, installation tokens included the moment they are
   * minted, so they can be redacted from everything stored or posted.
   */
  onToken?: (token: string) => void;
};

const GitHubOctokit = Octokit.plugin(retry, throttling);

/** An Octokit for the GitHub forge: token or App installation auth, retries and rate-limit handling built in. */
export function createGitHubOctokit(options: GitHubOctokitOptions): Octokit {
  const logger = options.logger?.child({ component: 'octokit' });
  const waitUnitMs = options.waitUnitMs ?? 1000;
  const retries = options.retries ?? 3;
  const auth =
    'token' in options
      ? { auth: options.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: options.appId,
            privateKey: options.privateKey,
            installationId: options.installationId,
          },
        };
  const octokit = new GitHubOctokit({
    ...auth,
    baseUrl: options.apiUrl.replace(/\/+$/, ''),
    userAgent: 'autonoma',
    log: {
      debug: (message: string) => logger?.debug(message),
      info: (message: string) => logger?.info(message),
      warn: (message: string) => logger?.warn(message),
      error: (message: string) => logger?.error(message),
    },
    // 409 joins the statuses not worth retrying: it answers "this repository is empty", which a retry
    // a second later will not change.
    retry: { retries, retryAfterBaseValue: waitUnitMs, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle:
      options.throttle === false
        ? { enabled: false }
        : {
            retryAfterBaseValue: waitUnitMs,
            onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
              logger?.warn(
                { retryAfter, method: request.method, url: request.url, retryCount },
                'GitHub secondary rate limit; waiting before retrying',
              );
              return retryCount < Math.min(retries, 2);
            },
            onRateLimit: (retryAfter, request, _octokit, retryCount) => {
              logger?.warn(
                { retryAfter, method: request.method, url: request.url },
                'GitHub rate limit reached',
              );
              return retryCount < 1 && retryAfter <= 60;
            },
          },
  }) as Octokit;
  if (options.onToken) {
    if ('token' in options) options.onToken(options.token);
    else reportInstallationTokens(octokit, options.onToken);
  }
  return octokit;
}

/** Routes called with the App's JWT, among them the request that mints installation tokens. */
const APP_JWT_ROUTE = /^\/app(\/|$)|^\/marketplace_listing\/|\/installation$/;

function reportInstallationTokens(octokit: Octokit, onToken: (token: string) => void): void {
  // The auth strategy mints installation tokens inside its own hook, out of reach; asking it first
  // returns the same token from its cache (or mints the one that hook will then reuse).
  octokit.hook.before('request', async (request) => {
    const url = request.url.startsWith(request.baseUrl)
      ? request.url.slice(request.baseUrl.length)
      : request.url;
    if (APP_JWT_ROUTE.test(url.split('?')[0] ?? '')) return;
    const { token } = (await octokit.auth({ type: 'installation' })) as { token: string };
    onToken(token);
  });
}
