import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Redis } from 'ioredis';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { runMcpStdio } from '../../src/mcp-main.js';
import { startPublishingWorker, until } from '../helpers/mcp-fixtures.js';
import { buildAndIterate, expectRefusals, expectToolList } from '../helpers/mcp-scenario.js';
import {
  ensureTestDatabase,
  memoryLogger,
  REPO_ROOT,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testConfig,
  uniquePrefix,
} from '../helpers/test-env.js';

const namespace = uniquePrefix();
const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const bus = createRedisProgressBus({ publisher: redis, namespace });
const { logger } = memoryLogger('silent');
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  await ensureTestDatabase();
  // The worker runs here; the child is only the MCP server, as `autonoma mcp --no-worker` would be.
  stopWorker = await startPublishingWorker({ store, bus, redis, namespace, logger });
});

afterAll(async () => {
  await stopWorker?.();
  await bus.close();
  await redis.quit();
  await prisma.$disconnect();
});

describe('MCP over stdio (autonoma mcp)', () => {
  it('serves the tools to a client that spawned it, keeps stdout for the protocol, and stops when the client leaves', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', path.join(REPO_ROOT, 'tests/helpers/mcp-stdio-child.ts'), namespace],
      cwd: REPO_ROOT,
      env: { ...(process.env as Record<string, string>), NODE_OPTIONS: '' },
      stderr: 'pipe',
    });
    const stderr: string[] = [];
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const client = new Client({ name: 'stdio-test-client', version: '1.0.0' });
    const protocolErrors: Error[] = [];
    client.onerror = (error) => protocolErrors.push(error);
    try {
      await client.connect(transport);
      expect(client.getServerVersion()).toMatchObject({ name: 'autonoma' });
      await expectToolList(client);
      const { buildId } = await buildAndIterate(client);
      await expectRefusals(client, buildId);
      // Over stdio the server saw `initialize`, so requests remember which client asked.
      expect((await store.getRequest(buildId))?.thread).toEqual({
        platform: 'mcp',
        clientName: 'stdio-test-client',
      });
    } finally {
      const closing = Date.now();
      await client.close();
      // The SDK client waits 2 s for the child to exit before sending SIGTERM: it exited by itself.
      expect(Date.now() - closing).toBeLessThan(2000);
    }
    // Info logs were written all along (to stderr): not one reached the protocol stream.
    expect(protocolErrors).toEqual([]);
    await until(
      async () => (stderr.join('').includes('mcp stdio server stopped') ? true : undefined),
      10_000,
    );
    const logs = stderr.join('');
    expect(logs).toContain('mcp stdio server ready');
    expect(logs).toContain('mcp tool call succeeded');
  });

  it('answers requests already sent when the client closes stdin, then stops; close() is idempotent', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const handle = await runMcpStdio(testConfig({ AUTONOMA_QUEUE_PREFIX: namespace }), logger, {
      worker: false,
      stdin,
      stdout,
    });
    const request = (id: number, method: string, params: Record<string, unknown>) =>
      `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
    stdin.write(
      request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'one-shot', version: '1' },
      }),
    );
    stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    stdin.write(request(2, 'tools/call', { name: 'list_jobs', arguments: { limit: 2 } }));
    stdin.end();
    await handle.closed;
    await handle.close();
    const answers = (stdout.read() as Buffer)
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: number; result: Record<string, unknown> });
    expect(answers.map((a) => a.id).sort()).toEqual([1, 2]);
    expect(answers.find((a) => a.id === 2)?.result).toMatchObject({
      structuredContent: { jobs: expect.any(Array) },
    });
  });
});
