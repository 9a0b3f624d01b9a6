import { lines, mdText } from '../code.js';
import type { AppModel } from '../model.js';
import {
  AUTH_MIDDLEWARE_TS,
  AUTH_ROUTER_TS,
  AUTH_SCHEMA_TS,
  AUTH_SHARED_TS,
  PASSWORDS_TS,
  SESSIONS_TS,
} from './auth.js';
import { starterFile } from '../../../starter/shared-files.js';
import { BODY_LIMIT_TS, HEADERS_TS, RATE_LIMIT_TS, VALIDATION_TS } from './server.js';
import { renderAuthTest, renderSecurityTest } from './tests.js';

export function renderSecurityPart(model: AppModel): Map<string, string> {
  const files = new Map<string, string>([
    ['src/server/security/headers.ts', HEADERS_TS],
    ['src/server/security/rate-limit.ts', RATE_LIMIT_TS],
    ['src/server/security/body-limit.ts', BODY_LIMIT_TS],
    ['src/server/security/validation.ts', VALIDATION_TS],
    ['tests/api/security.test.ts', renderSecurityTest(model)],
    ['.npmrc', starterFile('.npmrc')],
    ['SECURITY.md', renderSecurityDoc(model)],
  ]);
  if (model.features.auth) {
    files.set('src/shared/auth.ts', AUTH_SHARED_TS);
    files.set('src/server/auth/schema.ts', AUTH_SCHEMA_TS);
    files.set('src/server/auth/passwords.ts', PASSWORDS_TS);
    files.set('src/server/auth/sessions.ts', SESSIONS_TS);
    files.set('src/server/auth/middleware.ts', AUTH_MIDDLEWARE_TS);
    files.set('src/server/auth/router.ts', AUTH_ROUTER_TS);
    files.set('tests/api/auth.test.ts', renderAuthTest(model));
  }
  return files;
}

function renderSecurityDoc(model: AppModel): string {
  const auth = model.features.auth;
  return lines(
    `# Security — ${mdText(model.appName)}`,
    '',
    '## Reporting a vulnerability',
    'Please open a private security advisory on this repository rather than a public issue.',
    '',
    '## Authentication',
    auth
      ? lines(
          '- Accounts: `POST /api/auth/register` and `POST /api/auth/login` with `{ email, password }` return',
          '  `{ token, user }`. Send the token as `Authorization: Bearer <token>`; `POST /api/auth/logout` ends',
          '  the session and `GET /api/auth/me` returns the current user.',
          '- Passwords are hashed with scrypt and a per-user random salt; only a SHA-256 digest of each session',
          '  token is stored, so a copy of the database cannot be replayed as sessions.',
          '- Sessions expire after `SESSION_TTL_HOURS` (default 7 days). Every `/api` route except',
          '  `/api/health` and `/api/auth/*` requires a session.',
          '- All signed-in users share the same data; add an owner column to the entities for per-user data.',
          '- The UI keeps the token in `localStorage`; the strict Content-Security-Policy (no inline or',
          '  third-party scripts) is what protects it from injected scripts.',
        )
      : lines(
          'This app has **no authentication**: anyone who can reach it can read and change all data. Run it',
          'on a private network, or put it behind an authenticating proxy (e.g. Cloudflare Access,',
          'oauth2-proxy) before exposing it to the internet.',
        ),
    '',
    '## Defences in place',
    '- **Input validation**: every request body is parsed by its zod schema (`src/shared/entities/*.ts`);',
    '  invalid input answers 400 with per-field issues, unknown keys are dropped, references are checked.',
    '- **SQL injection**: all values are bound parameters; table, column and sort names come from',
    '  fixed allow-lists, never from the request.',
    "- **Headers**: helmet sets a Content-Security-Policy (`script-src 'self'`), `X-Content-Type-Options`,",
    '  `X-Frame-Options`, `Strict-Transport-Security`, `Referrer-Policy` and hides `X-Powered-By`.',
    '- **Abuse**: `/api` is rate limited per IP (`RATE_LIMIT_PER_MINUTE`, default 300)' +
      (auth ? ', sign-in and sign-up to 30 attempts per 15 minutes' : '') +
      ';',
    '  JSON bodies are capped at 100 KB. Behind a proxy set `TRUST_PROXY_HOPS=1` so limits see real IPs.',
    '- **Links**: URL fields accept only `http:` and `https:` URLs, so stored links cannot run scripts.',
    '- **Errors**: unexpected errors answer a generic 500; details go to the server log only.',
    '',
    '## Dependencies',
    '- Versions are pinned exactly in `package.json` and locked in `package-lock.json`; install with `npm ci`.',
    '- Run `npm audit` regularly (`.npmrc` sets `audit-level=high`, so only high and critical advisories fail',
    '  it) and enable Dependabot or Renovate on the repository.',
    '',
  );
}
