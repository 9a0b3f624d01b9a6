/** `src/server/security/*`: headers, rate limits, body limits and request validation. */

export const HEADERS_TS = `import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Helmet's defaults (CSP with script-src 'self', nosniff, frame denial, HSTS, no X-Powered-By),
 * without upgrade-insecure-requests so the app also works over plain http on localhost.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
}
`;

export const RATE_LIMIT_TS = `import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

const ONE_MINUTE = 60_000;

/** Per-IP limit on every /api request (in memory: use a shared store when running several instances). */
export function apiRateLimit(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: ONE_MINUTE,
    limit: limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: { message: 'Too many requests; try again in a minute.' } },
  });
}

/** A stricter limit for sign-in and sign-up, which are password-guessing targets. */
export function authRateLimit(): RequestHandler {
  return rateLimit({
    windowMs: 15 * ONE_MINUTE,
    limit: 30,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: { message: 'Too many sign-in attempts; try again in 15 minutes.' } },
  });
}
`;

export const BODY_LIMIT_TS = `import express, { type RequestHandler } from 'express';

/** Larger JSON bodies are rejected with 413 before they are parsed. */
export const JSON_BODY_LIMIT = '100kb';

export function jsonBody(): RequestHandler {
  return express.json({ limit: JSON_BODY_LIMIT });
}
`;

export const VALIDATION_TS = `import type { z } from 'zod';
import { badRequest, issuesOf } from '../http/errors';

/** Every request body goes through its zod schema; unknown keys are dropped, bad ones answer 400. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw badRequest('Invalid request body', issuesOf(result.error));
  return result.data;
}

export function parseId(raw: string): number {
  const id = Number(raw);
  if (!/^[1-9][0-9]*$/.test(raw) || !Number.isSafeInteger(id)) {
    throw badRequest('Invalid id', [{ path: ['id'], message: 'Must be a positive integer' }]);
  }
  return id;
}
`;
