import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createMcpAdapter } from '../../src/adapters/mcp/index.js';
import { ConfigError } from '../../src/core/errors.js';
import { createRuntime, createService, startServer, type Runtime } from '../../src/main.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { startPublishingWorker } from '../helpers/mcp-fixtures.js';
import {
  buildAndIterate,
  callOk,
  callRefused,
  expectRefusals,
  expectToolList,
} from '../helpers/mcp-scenario.js';
import { ensureTestDatabase, memoryLogger, testConfig, uniquePrefix } from '../helpers/test-env.js';

const token = `mcp-test-${randomUUID()}`;
/** Named tokens (MCP_TOKENS): a read-only one and a full one, both limited to tenant "acme". */
const readerSecret = `reader-${randomUUID()}`;
const acmeSecret = `acme-${randomUUID()}`;
const namespace = uniquePrefix();
const { logger, lines } = memoryLogger('info');
const clients: Client[] = [];
let runtime: Runtime;
let server: Awaited<ReturnType<typeof startServer>>;
let stopWorker: () => Promise<void>;
let builtId: string | undefined;

beforeAll(async () => {
  await ensureTestDatabase();
  const config = testConfig({
    AUTONOMA_QUEUE_PREFIX: namespace,
    MCP_BEARER_TOKEN: token,
    MCP_TOKENS: `reader:read:acme:${readerSecret},acme-bot:full:acme:${acmeSecret}`,
  });
  runtime = await createRuntime({ ...config, http: { ...config.http, host: '127.0.0.1', port: 0 } }, logger);
  const service = createService(runtime);
  stopWorker = await startPublishingWorker({ ...runtime, namespace, logger });
  // As main.ts wires it: the adapter exists only when MCP_BEARER_TOKEN is set.
  const adapters = config.mcp.bearerToken
    ? [
        createMcpAdapter({
          service,
          store: runtime.store,
          logger,
          bearerToken: config.mcp.bearerToken,
          tokens: config.mcp.tokens,
        }),
      ]
    : [];
  server = await startServer(runtime, adapters);
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await server?.close();
  await stopWorker?.();
  await runtime?.producer.queue.obliterate({ force: true });
  await runtime?.close();
});

async function connect(bearer: string | undefined): Promise<Client> {
  const client = new Client({ name: 'mcp-http-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const initialize = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const post = (headers: Record<string, string>, body = initialize) =>
  fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });

describe('MCP over Streamable HTTP (POST /mcp)', () => {
  it('refuses a missing or wrong bearer token with 401, a JSON error and WWW-Authenticate', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${token}x` },
      { authorization: token },
    ];
    for (const headers of attempts) {
      const response = await post(headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.json()).toMatchObject({
        error: { code: 'unauthorized', message: expect.stringContaining('MCP_BEARER_TOKEN') },
      });
    }
    await expect(connect(undefined)).rejects.toMatchObject({ code: 401 });
    await expect(connect('wrong-token-of-some-length')).rejects.toMatchObject({ code: 401 });
    expect(lines.join('')).not.toContain(token);
  });

  it('answers GET and DELETE with 405 (stateless: no stream, no session), and a raw initialize with JSON', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${server.url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    }
    const response = await post({ authorization: `bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(await response.json()).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'autonoma' }, capabilities: { tools: {} } },
    });
    expect((await post({ authorization: `Bearer ${token}` }, '{"jsonrpc":')).status).toBe(400);
    const tooLarge = await post(
      { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      'x'.repeat(300_000),
    );
    expect(tooLarge.status).toBe(413);
    const notJson = await post(
      { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      initialize,
    );
    expect(notJson.status).toBe(415);
  });

  it('lists the four tools with input and output schemas', async () => {
    await expectToolList(await connect(token));
  });

  it('builds an app, reports its status until it succeeds, lists it, and iterates on its pull request', async () => {
    const client = await connect(token);
    const { buildId } = await buildAndIterate(client);
    builtId = buildId;
    const build = await runtime.store.getRequest(buildId);
    expect(build).toMatchObject({ source: 'mcp', thread: { platform: 'mcp' } });
    expect(build?.idempotencyKey).toMatch(/^mcp:build:scenario-/);
  });

  it('refuses build_app and iterate to a read-only token, and shows a tenant’s token only its tenant’s jobs', async () => {
    if (!builtId) throw new Error('runs after the build test');
    const reader = await connect(readerSecret);
    const key = `ro-${randomUUID()}`;
    expect(await callRefused(reader, 'build_app', { prompt: 'a todo app', idempotencyKey: key })).toBe(
      'The MCP token "reader" is read-only: it may call job_status and list_jobs, not build_app. Ask whoever ' +
        'runs Autonoma for a token with scope "full" (MCP_TOKENS) to build or change apps.',
    );
    expect(await callRefused(reader, 'iterate', { requestId: builtId, changeRequest: 'add tags' })).toMatch(
      'is read-only',
    );
    expect(
      await runtime.prisma.generationRequest.count({ where: { idempotencyKey: `mcp:build:${key}` } }),
    ).toBe(0);

    // The default token's build belongs to no tenant: acme's tokens neither see nor change it.
    expect(await callRefused(reader, 'job_status', { requestId: builtId })).toMatch(`No job with requestId`);
    const acme = await connect(acmeSecret);
    expect(await callRefused(acme, 'iterate', { requestId: builtId, changeRequest: 'add tags' })).toMatch(
      'No job with requestId',
    );
    const { requestId } = await callOk<{ requestId: string }>(acme, 'build_app', {
      prompt: 'a recipe app for acme',
      idempotencyKey: `acme-${randomUUID()}`,
    });
    expect(await runtime.store.getRequest(requestId)).toMatchObject({
      installation: { platform: 'mcp', externalId: 'acme' },
    });
    const seen = await callOk<{ jobs: Array<{ requestId: string }> }>(reader, 'list_jobs', { limit: 50 });
    expect(seen.jobs.map((j) => j.requestId)).toContain(requestId);
    expect(seen.jobs.map((j) => j.requestId)).not.toContain(builtId);
    for (const job of seen.jobs) {
      expect(await runtime.store.getRequest(job.requestId)).toMatchObject({
        installation: { platform: 'mcp', externalId: 'acme' },
      });
    }
    expect(await callOk<{ requestId: string }>(reader, 'job_status', { requestId })).toMatchObject({
      requestId,
    });
    const everything = await callOk<{ jobs: Array<{ requestId: string }> }>(
      await connect(token),
      'list_jobs',
      {
        limit: 50,
      },
    );
    expect(everything.jobs.map((j) => j.requestId)).toEqual(expect.arrayContaining([requestId, builtId]));
    // Tool calls are logged under the token's name, never its secret.
    const log = lines.join('');
    expect(log).toContain('"tokenName":"reader"');
    expect(log).not.toContain(readerSecret);
    expect(log).not.toContain(acmeSecret);
  });

  it('turns bad arguments into isError results, including an iteration on a build that has not finished', async () => {
    const client = await connect(token);
    if (!builtId) throw new Error('runs after the build test');
    await expectRefusals(client, builtId);
    // Stored without being queued: it stays queued, with no pull request yet.
    const { request } = await runtime.store.createRequest(
      requestInput({ source: 'mcp', thread: { platform: 'mcp' } }),
    );
    expect(
      await callRefused(client, 'iterate', { requestId: request.id, changeRequest: 'add tags' }),
    ).toMatch(`Job ${request.id} is queued; ask for changes once it has succeeded`);
  });

  it('hides internal failures behind a generic message and logs them', async () => {
    const service = createService(runtime);
    const broken = createMcpAdapter({
      service: { ...service, get: () => Promise.reject(new Error('connection to db lost at 10.0.0.7')) },
      store: runtime.store,
      logger,
      bearerToken: token,
    });
    const other = await startServer(runtime, [broken]);
    try {
      const client = new Client({ name: 'mcp-http-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${other.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      const text = await callRefused(client, 'job_status', { requestId: randomUUID() });
      expect(text).toMatch('problem on its side');
      expect(text).not.toContain('10.0.0.7');
      expect(lines.join('')).toContain('connection to db lost');
      await client.close();
    } finally {
      await other.close();
    }
  });

  it('is not created without a token', () => {
    expect(() =>
      createMcpAdapter({ service: createService(runtime), store: runtime.store, logger, bearerToken: '' }),
    ).toThrow(ConfigError);
  });
});
