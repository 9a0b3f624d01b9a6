import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runProcess } from '../helpers/run-process.js';
import { cliEnv, ensureTestDatabase, REPO_ROOT, uniquePrefix } from '../helpers/test-env.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

/** A GitHub API that answers the App installation lookup with a body that has no id. */
let api: Server;
let apiUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  await ensureTestDatabase();
  api = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.end('{}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  const address = api.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  apiUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

describe('autonoma worker whose start-up check fails', () => {
  it('exits non-zero with a one-line reason instead of idling without taking jobs', async () => {
    const outcome = await runProcess(process.execPath, [path.join(REPO_ROOT, 'bin/autonoma.js'), 'worker'], {
      cwd: REPO_ROOT,
      env: cliEnv(path.join(REPO_ROOT, 'node_modules', '.cache', uniquePrefix()), {
        GITHUB_APP_ID: '12345',
        GITHUB_PRIVATE_KEY: privateKey,
        GITHUB_API_URL: apiUrl,
        GITHUB_WEBHOOK_SECRET: 'test-webhook-secret-0123',
        AUTONOMA_GITHUB_OWNER: 'acme',
        AUTONOMA_SANDBOX: 'none',
        LOG_LEVEL: 'error',
      }),
      // Killed (status null) if it idles: before the fix it never exited.
      timeoutMs: 60_000,
    });
    // On failure, what the worker printed says why.
    expect({ seen, stderr: outcome.stderr, status: outcome.status }).toMatchObject({
      seen: expect.arrayContaining(['GET /orgs/acme/installation']),
      stderr: expect.any(String),
      status: expect.any(Number),
    });
    expect({ status: outcome.status, stderr: outcome.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/^autonoma: .*installation/m),
    });
    expect(outcome.stderr.split('\n').filter((line) => line.startsWith('autonoma: '))).toHaveLength(1);
  });
});
