import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type express from 'express';
import pg from 'pg';
import request from 'supertest';
import { AutonomaError, type ErrorCode } from '../../core/errors.js';
import { createLogger, type Logger } from '../../core/logger.js';
import { createHttpApp, type HttpAppDeps } from './app.js';
import { jsonBody, rawBody } from './body.js';
import { createMetrics } from './metrics.js';
import { postgresCheck, type ReadinessCheck } from './readiness.js';
import { startHttpServer } from './server.js';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A logger whose lines land in an array, to assert on what is (not) logged. */
function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'info',
    secrets: ['super-secret-token'],
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

function testApp(overrides: Partial<HttpAppDeps> = {}) {
  const { logger, lines } = memoryLogger();
  const metrics = createMetrics({
    logger,
    collectJobStates: async () => ({ queued: 3, running: 1 }),
    collectQueueDepth: async () => ({ waiting: 2, active: 1, delayed: 0, failed: 4 }),
  });
  const app = createHttpApp({
    logger,
    bodyLimit: '1kb',
    readiness: {},
    metrics,
    mount: (a: express.Express) => {
      a.get('/things/:id', (req, res) => {
        res.json({ id: req.params.id });
      });
      a.post('/echo', jsonBody('1kb'), (req, res) => {
        res.json({ received: req.body as unknown });
      });
      a.post('/raw', rawBody('1kb'), (req, res) => {
        const body = req.body as Buffer;
        res.json({ isBuffer: Buffer.isBuffer(body), text: body.toString('utf8') });
      });
      a.get('/fail/:code', (req) => {
        throw new AutonomaError(req.params.code as ErrorCode, `Failure ${req.params.code}: do X to fix it.`);
      });
      a.get('/teapot', () => {
        throw Object.assign(new Error('Short and stout.'), { status: 418, expose: true });
      });
      a.get('/crash', async () => {
        throw new Error('database password is hunter2 at /srv/app/secret.ts:12');
      });
    },
    ...overrides,
  });
  return { app, lines, metrics };
}

describe('liveness, request ids and logging', () => {
  it('answers /healthz with no dependencies and a generated request id', async () => {
    const { app, lines } = testApp();
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.msg === 'request completed');
    expect(line).toMatchObject({
      level: 30,
      requestId: res.headers['x-request-id'],
      method: 'GET',
      route: '/healthz',
      status: 200,
    });
    expect(typeof line?.ms).toBe('number');
  });

  it('echoes a safe incoming x-request-id and replaces an unsafe one', async () => {
    const { app } = testApp();
    const kept = await request(app).get('/healthz').set('x-request-id', 'abc-123_X.9').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123_X.9');

    for (const bad of ['has space', '<script>', 'a'.repeat(200), 'semi;colon']) {
      const res = await request(app).get('/healthz').set('x-request-id', bad).expect(200);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs one line per request with no bodies, query strings or auth headers', async () => {
    const { app, lines } = testApp();
    const res = await request(app)
      .post('/echo?token=super-secret-query')
      .set('authorization', 'Bearer super-secret-token')
      .send({ password: 'body-secret' })
      .expect(200);
    const requestLines = lines.filter((l) => l.msg === 'request completed');
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({
      requestId: res.headers['x-request-id'],
      method: 'POST',
      route: '/echo',
      status: 200,
    });
    const all = JSON.stringify(lines);
    expect(all).not.toContain('super-secret');
    expect(all).not.toContain('body-secret');
  });
});

describe('/readyz', () => {
  let pool: pg.Pool;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
  });

  // The Redis check (client connection states) is tested next to the connection: src/jobs/redis.test.ts.
  it('is ready when every check answers', async () => {
    const queue: ReadinessCheck = async () => undefined;
    const { app } = testApp({ readiness: { postgres: postgresCheck(pool), queue } });
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { postgres: 'ok', queue: 'ok' } });
  });

  it('is 503 naming the failed check and its reason, the others still ok', async () => {
    const queue: ReadinessCheck = async () => {
      throw new Error('Redis connection is reconnecting');
    };
    const { app } = testApp({ readiness: { postgres: postgresCheck(pool), queue } });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({
      status: 'not_ready',
      checks: { postgres: 'ok', queue: 'failed' },
      errors: { queue: 'Redis connection is reconnecting' },
    });
  });

  it('bounds a check that never answers with the readiness timeout', async () => {
    const hang: ReadinessCheck = () => new Promise<void>(() => undefined);
    const { app } = testApp({
      readiness: { postgres: postgresCheck(pool), slow: hang },
      readinessTimeoutMs: 150,
    });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks).toEqual({ postgres: 'ok', slow: 'failed' });
    expect(res.body.errors.slow).toBe('slow check timed out after 150 ms');
  });

  it('reports a real Postgres failure by name', async () => {
    const broken = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    const { app } = testApp({
      readiness: { postgres: postgresCheck((sql) => broken.query(`${sql} FROM no_such_table`)) },
    });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.errors.postgres).toMatch(/no_such_table/);
    await broken.end();
  });
});

describe('/metrics', () => {
  it('exposes the request histogram by route pattern and the job and queue gauges', async () => {
    const { app } = testApp();
    await request(app).get('/things/42').expect(200);
    await request(app).get('/things/43').expect(200);
    await request(app).get('/nowhere/at/all').expect(404);
    const res = await request(app).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/things\/:id",status="200"\} 2/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/,
    );
    expect(text).not.toContain('/things/42');
    expect(text).not.toContain('/nowhere');
    expect(text).toContain('autonoma_jobs{state="queued"} 3');
    expect(text).toContain('autonoma_jobs{state="running"} 1');
    expect(text).toContain('autonoma_queue_depth{state="waiting"} 2');
    expect(text).toContain('autonoma_queue_depth{state="failed"} 4');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('keeps serving when a collector throws, and counts the failure', async () => {
    const { logger, lines } = memoryLogger();
    const metrics = createMetrics({
      logger,
      collectJobStates: async () => {
        throw new Error('store is down');
      },
      collectQueueDepth: async () => ({ waiting: 5 }),
    });
    const app = createHttpApp({ logger, bodyLimit: '1kb', readiness: {}, metrics });
    const res = await request(app).get('/metrics').expect(200);
    expect(res.text).toContain('autonoma_queue_depth{state="waiting"} 5');
    expect(res.text).not.toMatch(/^autonoma_jobs\{/m);
    expect(res.text).toContain('autonoma_metrics_collect_errors_total{collector="jobs"} 1');
    expect(lines.some((l) => l.msg === 'metrics collector failed' && l.collector === 'jobs')).toBe(true);
  });

  it('keeps separate registries per instance', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.observeRequest({ method: 'GET', route: '/x', status: 200, seconds: 0.01 });
    expect(await a.render()).toContain('route="/x"');
    expect(await b.render()).not.toContain('route="/x"');
  });
});

describe('errors and bodies', () => {
  it('answers unknown routes with JSON 404', async () => {
    const { app } = testApp();
    const res = await request(app).get('/missing?x=1').set('x-request-id', 'req-404').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: { code: 'not_found', message: 'No route for GET /missing.', requestId: 'req-404' },
    });
  });

  it.each([
    ['invalid_input', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['rate_limited', 429],
  ])('maps AutonomaError %s to %i with its message', async (code, status) => {
    const { app } = testApp();
    const res = await request(app).get(`/fail/${code}`).set('x-request-id', 'req-1').expect(status);
    expect(res.body).toEqual({
      error: { code, message: `Failure ${code}: do X to fix it.`, requestId: 'req-1' },
    });
  });

  it('passes through the status and message of an exposed 4xx http-error', async () => {
    const { app } = testApp();
    const res = await request(app).get('/teapot').expect(418);
    expect(res.body.error).toMatchObject({ code: 'client_error', message: 'Short and stout.' });
  });

  it('hides other AutonomaErrors and unknown errors behind a generic 500', async () => {
    const { app, lines } = testApp();
    const ids: unknown[] = [];
    for (const path of ['/fail/upstream_unavailable', '/crash']) {
      const res = await request(app).get(path).expect(500);
      ids.push(res.body.error.requestId);
      expect(res.body.error.code).toBe('internal');
      expect(res.body.error.message).toMatch(/Something went wrong/);
      expect(typeof res.body.error.requestId).toBe('string');
      expect(res.text).not.toContain('hunter2');
      expect(res.text).not.toContain('Failure');
      expect(res.text).not.toContain('.ts:');
    }
    // Handlers' own lines (req.log) carry the request id too.
    expect(lines.filter((l) => l.msg === 'request failed').map((l) => l.requestId)).toEqual(ids);
  });

  it('parses JSON per route and rejects an oversized body with 413', async () => {
    const { app } = testApp();
    const ok = await request(app).post('/echo').send({ hello: 'world' }).expect(200);
    expect(ok.body).toEqual({ received: { hello: 'world' } });

    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ big: 'x'.repeat(2048) }))
      .expect(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.body.error.message).toContain('1kb');
  });

  it('rejects malformed JSON with 400', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/echo')
      .set('content-type', 'application/json')
      .send('{"not json')
      .expect(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_input',
      message: 'The request body is not valid JSON.',
    });
  });

  it('hands raw bytes to routes that verify signatures, with the same limit', async () => {
    const { app } = testApp();
    const res = await request(app)
      .post('/raw')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('a=1&b=2')
      .expect(200);
    expect(res.body).toEqual({ isBuffer: true, text: 'a=1&b=2' });
    await request(app).post('/raw').set('content-type', 'text/plain').send('x'.repeat(2048)).expect(413);
  });
});

describe('startHttpServer', () => {
  it('serves on an ephemeral port and lets in-flight requests finish on close', async () => {
    const { app } = testApp({
      mount: (a) => {
        a.get('/slow', (_req, res) => {
          setTimeout(() => res.json({ done: true }), 300);
        });
      },
    });
    const handle = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${handle.url}/healthz`);
    expect(health.status).toBe(200);

    const slow = fetch(`${handle.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const closed = handle.close();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(fetch(`${handle.url}/healthz`)).rejects.toThrow();
  });

  it("creates requests and responses with the app's prototypes, so express never re-parents them", async () => {
    const { app } = testApp({
      mount: (a) => {
        a.post('/echo/:id', jsonBody('1kb'), (req, res) => {
          // Everything express adds is still there: req.get, req.params, req.app, res.status().json().
          res.status(201).json({
            id: req.params.id,
            agent: req.get('x-test'),
            body: req.body as unknown,
            sameApp: req.app === a && res.app === a,
          });
        });
      },
    });
    const handle = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    const seen: Array<[object | null, object | null]> = [];
    // Runs before express: what the server created, before express has touched it.
    handle.server.prependListener('request', (req, res) => {
      seen.push([Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object]);
    });
    try {
      const res = await fetch(`${handle.url}/echo/42`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-test': 'yes' },
        body: JSON.stringify({ a: 1 }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ id: '42', agent: 'yes', body: { a: 1 }, sameApp: true });
      expect(seen).toEqual([[app.request, app.response]]);
      // A server built without these classes (supertest's) still gets express's request methods.
      const viaSupertest = await request(app).post('/echo/7').set('x-test', 'st').send({ b: 2 });
      expect(viaSupertest.body).toEqual({ id: '7', agent: 'st', body: { b: 2 }, sameApp: true });
    } finally {
      await handle.close();
    }
  });

  it('cuts connections still busy after the shutdown bound', async () => {
    const { app } = testApp({
      mount: (a) => {
        a.get('/hang', () => undefined);
      },
    });
    const handle = await startHttpServer(app, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 200 });
    const hanging = fetch(`${handle.url}/hang`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await handle.close();
    expect(Date.now() - started).toBeLessThan(1500);
    // fetch rejects with a TypeError from another realm than jest's, so no instanceof.
    expect(await hanging).toHaveProperty('name', 'TypeError');
  });
});
