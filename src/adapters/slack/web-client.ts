import { webApi } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';
import { toBoltLogger } from './bolt-logger.js';

/** One set of Web API client options for the Bolt app (web tier) and the worker tier's client. */
export function slackClientOptions(apiUrl: string): webApi.WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    // 429s come back to us (replies.ts and start-job.ts wait Retry-After themselves).
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 2000 },
  };
}

export function createSlackWebClient(botToken: string, apiUrl: string, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(botToken, { ...slackClientOptions(apiUrl), logger: toBoltLogger(logger) });
}
