/**
 * The GitHub webhook route reads at most REQUEST_BODY_LIMIT before anything else happens: a declared
 * or streamed body past it is a 413 that never reaches Probot, and a bad signature is refused without
 * its payload in the log. Real Probot, real HTTP server, real signatures.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createNodeMiddleware, Probot } from 'probot';
import { webhookRoute } from '../../src/adapters/github/app/webhook-route.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type HttpServerHandle,
} from '../../src/adapters/http/index.js';
import { memoryLogger } from '../helpers/test-env.js';

const PATH = '/api/github/webhooks';
const SECRET = 'bounds-secret';
const MARKER = 'payload-marker-7f3a';
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const received: string[] = [];
const { logger, lines } = memoryLogger('debug');
let server: HttpServerHandle;

beforeAll(async () => {
  const probot = new Probot({ appId: 1, privateKey, secret: SECRET, log: logger as never });
  const middleware = createNodeMiddleware(
    (app) => {
      app.on('issues', async (context) => {
        received.push(JSON.stringify(context.payload));
      });
    },
    { probot, webhooksPath: PATH },
  );
  const app = createHttpApp({
    logger,
    bodyLimit: '64kb',
    metrics: createMetrics(),
    readiness: {},
    mount: (express) => {
      const route = webhookRoute(PATH, middleware);
      express.use(route.path, route.handler);
    },
  });
  server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close();
});

function signed(body: string, secret = SECRET): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'issues',
    'x-github-delivery': `d-${Math.random()}`,
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
}

/** A raw request, so the test controls Content-Length and chunking. */
function send(headers: Record<string, string>, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${PATH}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => {
      // The server may close the connection once it has answered a body it will not read.
      if (
        (error as NodeJS.ErrnoException).code === 'EPIPE' ||
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      )
        resolve({ status: -1, body: '' });
      else reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

it('delivers a signed event whose body Probot verifies from the bytes read under the limit', async () => {
  const body = JSON.stringify({
    action: 'opened',
    issue: { number: 1, title: MARKER },
    repository: { id: 1 },
  });
  const response = await send({ ...signed(body), 'content-length': String(Buffer.byteLength(body)) }, [
    Buffer.from(body),
  ]);
  expect(response.status).toBe(200);
  expect(received.some((payload) => payload.includes(MARKER))).toBe(true);
});

it('answers 413 to a declared body past the limit without reading it', async () => {
  const before = received.length;
  const response = await send({ ...signed('{}'), 'content-length': String(256 * 1024 * 1024) }, [
    Buffer.alloc(1024, 0x20),
  ]);
  expect(response.status).toBe(413);
  expect(response.body).toContain('payload_too_large');
  expect(received.length).toBe(before);
});

it('answers 413 to a chunked body that streams past the limit', async () => {
  const before = received.length;
  const chunks = Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 0x20));
  const response = await send({ ...signed('{}'), 'transfer-encoding': 'chunked' }, chunks);
  expect([413, -1]).toContain(response.status);
  expect(received.length).toBe(before);
});

it('refuses a bad signature without writing the payload to the log', async () => {
  const before = received.length;
  const body = JSON.stringify({ action: 'opened', issue: { number: 2, title: `${MARKER}-bad` } });
  const response = await send(
    { ...signed(body, 'wrong-secret'), 'content-length': String(Buffer.byteLength(body)) },
    [Buffer.from(body)],
  );
  expect(response.status).toBe(400);
  expect(received.length).toBe(before);
  expect(lines.join('\n')).not.toContain(`${MARKER}-bad`);
});
