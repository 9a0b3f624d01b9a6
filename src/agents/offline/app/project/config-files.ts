import { htmlText, lines } from '../code.js';
import type { AppModel } from '../model.js';

export function renderIndexHtml(model: AppModel): string {
  return lines(
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />',
    `    <meta name="description" content="${htmlText(model.description)}" />`,
    `    <title>${htmlText(model.appName)}</title>`,
    '  </head>',
    '  <body>',
    '    <div id="root"></div>',
    '    <script type="module" src="/src/client/main.tsx"></script>',
    '  </body>',
    '</html>',
    '',
  );
}

export function renderEnvExample(model: AppModel): string {
  return lines(
    '# Copy to .env and adjust; every variable is optional.',
    'PORT=3000',
    'HOST=0.0.0.0',
    "# SQLite database file (':memory:' keeps data in memory only).",
    'DATABASE_FILE=data/app.sqlite',
    '# Requests per minute per client IP on /api.',
    'RATE_LIMIT_PER_MINUTE=300',
    '# Reverse proxies in front of the app (1 on Fly.io and Render), so rate limits see client IPs.',
    'TRUST_PROXY_HOPS=0',
    model.features.auth && '# How long a sign-in stays valid.',
    model.features.auth && 'SESSION_TTL_HOURS=168',
    '',
  );
}
