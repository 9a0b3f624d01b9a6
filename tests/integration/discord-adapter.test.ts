import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import { CancelledError } from '../../src/core/errors.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import type { GenerationService } from '../../src/core/ports/generation-service.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createCancellationRegistry } from '../../src/jobs/cancellation.js';
import { createGenerationProcessor } from '../../src/jobs/generation-processor.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { startGenerationWorker } from '../../src/jobs/generation-worker.js';
import { createProgressFanOut, type ProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { discordKeyPair, DiscordStandIn, sendInteraction } from '../helpers/discord-stand-in.js';
import { fakeResult } from '../helpers/job-fixtures.js';
import {
  ensureTestDatabase,
  memoryLogger,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testConfig,
  uniquePrefix,
} from '../helpers/test-env.js';

const APP = '200000000000000001';
const GUILD = '300000000000000001';
const OTHER_GUILD = '300000000000000999';
const CHANNEL = '400000000000000001';
const PR_URL = 'https://github.com/acme/todo/pull/7';
const LONG_SUMMARY = Array.from(
  { length: 60 },
  (_, i) => `Paragraph ${i + 1}: the reviewer checked the routes, the forms and the tests of this part.`,
).join('\n\n');

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const workerConnection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
const keys = discordKeyPair();
const standIn = new DiscordStandIn();
const prefix = uniquePrefix();
/** Interaction ids unique across runs: the test database keeps earlier runs' idempotency keys. */
let snowflake = BigInt(Date.now()) * 100_000n;

/** The agents, faked: real progress reporter, stage events in quick succession, a PR at the end. */
const runner: GenerationRunner = {
  async run(request, { progress, signal }) {
    // Agents take longer than opening a thread; wait for it so milestones land there.
    await until(async () => {
      const stored = await store.getRequest(request.id);
      return stored?.thread.platform === 'discord' && stored.thread.threadId !== undefined;
    });
    for (const stage of ['requirements', 'architecture', 'frontend', 'backend', 'security'] as const) {
      await progress.stage(stage, 'started', `Working on ${stage}`);
      progress.addCost(0.001);
      await progress.stage(stage, 'completed', `${stage} done`);
    }
    await progress.milestone('requirements', 'Spec ready: Todo with Task and Tag', [
      { label: 'Spec', url: 'https://example.com/spec' },
    ]);
    if (request.prompt.includes('slow')) {
      await new Promise((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    return fakeResult(request, {
      costUsd: 0.0123,
      branch: 'autonoma/todo',
      repository: { forge: 'github', name: 'acme/todo', location: 'https://github.com/acme/todo' },
      pullRequest: { number: 7, url: PR_URL, title: 'Todo' },
      reviewSummary: request.prompt.includes('long summary') ? LONG_SUMMARY : 'Built Todo. Tests pass.',
    });
  },
};

let service: GenerationService;
let adapter: DiscordAdapter;
let fanOut: ProgressFanOut;
let server: http.Server;
let endpoint = '';
let closeQueue: () => Promise<void>;

beforeAll(async () => {
  await ensureTestDatabase();
  await standIn.start();
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1 });
  const cancellations = createCancellationRegistry({
    connection: redis,
    namespace: prefix,
    makeReason: () => new CancelledError('Cancelled at your request.'),
  });
  await cancellations.start();
  const worker = startGenerationWorker({
    connection: workerConnection,
    prefix,
    concurrency: 2,
    processor: createGenerationProcessor({ store, bus, runner, cancellations, logger }),
    logger,
  });
  service = createGenerationService({ store, producer, bus, redis, namespace: prefix });
  const config = testConfig({
    DISCORD_APPLICATION_ID: APP,
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_BOT_TOKEN: 'stand-in-bot-token',
    DISCORD_API_URL: standIn.apiUrl,
    DISCORD_ALLOWED_GUILD_IDS: GUILD,
  });
  adapter = createDiscordAdapter({
    config: config.discord,
    service,
    state: createRedisStateStore({ client: redis, prefix }),
    logger,
    editIntervalMs: 1000,
  });
  fanOut = createProgressFanOut({
    bus,
    store,
    state: createRedisStateStore({ client: redis, prefix }),
    adapters: [adapter],
    logger,
  });
  await fanOut.start();
  const app = express();
  for (const route of adapter.routes ?? []) app.use(route.path, route.handler);
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions`;
  closeQueue = async () => {
    await worker.close({ graceMs: 5000 });
    await cancellations.close();
    await bus.close();
    await producer.queue.obliterate({ force: true });
    await producer.close();
  };
});

afterAll(async () => {
  await fanOut.stop();
  await adapter.stop?.();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await closeQueue();
  await standIn.close();
  await workerConnection.quit();
  await redis.quit();
  await prisma.$disconnect();
});

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

function nextId(): string {
  snowflake += 1n;
  return snowflake.toString();
}

function interaction(type: number, data: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  const id = nextId();
  const token = `token-${id}`;
  standIn.interactionChannels.set(token, CHANNEL);
  return {
    id,
    application_id: APP,
    type,
    token,
    version: 1,
    guild_id: GUILD,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 0 },
    member: { user: { id: '600000000000000001', username: 'ada', global_name: 'Ada' }, roles: [] },
    data,
    ...overrides,
  };
}

function command(sub: string, options: Record<string, string> = {}, overrides: Record<string, unknown> = {}) {
  return interaction(
    2,
    {
      id: '700000000000000001',
      name: 'autonoma',
      type: 1,
      options: [
        {
          name: sub,
          type: 1,
          options: Object.entries(options).map(([name, value]) => ({ name, type: 3, value })),
        },
      ],
    },
    overrides,
  );
}

function send(body: unknown, options?: Parameters<typeof sendInteraction>[3]) {
  return sendInteraction(endpoint, keys.privateKey, body, options);
}

async function requestFor(interactionId: string): Promise<GenerationRequest> {
  const row = await prisma.generationRequest.findUniqueOrThrow({
    where: { idempotencyKey: `discord:${interactionId}` },
  });
  return (await store.getRequest(row.id))!;
}

async function settled(requestId: string, statuses: string[]): Promise<GenerationRequest> {
  await until(async () => statuses.includes((await store.getRequest(requestId))?.status ?? ''));
  await fanOut.idle();
  await adapter.idle();
  return (await store.getRequest(requestId))!;
}

describe('Discord interactions endpoint', () => {
  it('answers PING with PONG', async () => {
    const response = await send({ id: nextId(), application_id: APP, type: 1, token: 't', version: 1 });
    expect(response).toEqual({ status: 200, body: { type: 1 } });
  });

  it('refuses a bad signature, a missing signature and a signature by another key with 401', async () => {
    const ping = { id: nextId(), application_id: APP, type: 1, token: 't', version: 1 };
    expect((await send(ping, { tamper: true })).status).toBe(401);
    expect((await sendInteraction(endpoint, discordKeyPair().privateKey, ping)).status).toBe(401);
    const unsigned = await fetch(endpoint, { method: 'POST', body: JSON.stringify(ping) });
    expect(unsigned.status).toBe(401);
  });

  it('answers help ephemerally and refuses a server outside the allow-list politely', async () => {
    const help = await send(command('help'));
    expect(help.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String((help.body.data as { content: string }).content)).toContain('/autonoma build');

    const outsider = command('build', { prompt: 'a todo app with tags' }, { guild_id: OTHER_GUILD });
    const refused = await send(outsider);
    expect(refused.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((refused.body.data as { content: string }).content).toMatch(/isn't enabled in this server/);
    expect(
      await prisma.generationRequest.count({ where: { idempotencyKey: `discord:${outsider.id}` } }),
    ).toBe(0);
  });

  it('refuses every server by default (no DISCORD_ALLOWED_GUILD_IDS), telling the operator what to set', async () => {
    const config = testConfig({
      DISCORD_APPLICATION_ID: APP,
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_API_URL: standIn.apiUrl,
    });
    const unlisted = createDiscordAdapter({
      config: config.discord,
      service,
      state: createRedisStateStore({ client: redis, prefix }),
      logger,
    });
    const app = express();
    for (const route of unlisted.routes ?? []) app.use(route.path, route.handler);
    const other = http.createServer(app);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/discord/interactions`;
      const build = command('build', { prompt: 'a todo app with tags' });
      const refused = await sendInteraction(url, keys.privateKey, build);
      expect(refused.body).toMatchObject({ type: 4, data: { flags: 64 } });
      expect((refused.body.data as { content: string }).content).toContain(
        `\`${GUILD}\` to DISCORD_ALLOWED_GUILD_IDS (or set DISCORD_ALLOW_ALL_GUILDS=true`,
      );
      expect(await prisma.generationRequest.count({ where: { idempotencyKey: `discord:${build.id}` } })).toBe(
        0,
      );
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
      await unlisted.stop?.();
    }
  });

  it('tells the user what is wrong with a prompt that is too short, without starting anything', async () => {
    const tooShort = command('build', { prompt: 'hi' });
    const response = await send(tooShort);
    expect(response.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((response.body.data as { content: string }).content).toMatch(/Describe the app/);
    expect(
      await prisma.generationRequest.count({ where: { idempotencyKey: `discord:${tooShort.id}` } }),
    ).toBe(0);
  });
});

describe('/autonoma build', () => {
  it('defers, starts a thread on the status message, edits it as the job runs and ends with the final embed', async () => {
    const build = command('build', { prompt: 'a todo app with tags' });
    const response = await send(build);
    expect(response).toEqual({ status: 200, body: { type: 5 } });
    await adapter.idle();

    const request = await requestFor(build.id);
    const original = standIn.original(build.token)!;
    expect(request.thread).toEqual({
      platform: 'discord',
      applicationId: APP,
      guildId: GUILD,
      channelId: CHANNEL,
      threadId: original.id,
      messageId: original.id,
    });
    expect(
      standIn.find('POST', new RegExp(`^/channels/${CHANNEL}/messages/${original.id}/threads$`)),
    ).toHaveLength(1);
    const threadCall = standIn.find('POST', /\/threads$/).at(-1)!;
    expect(threadCall.body).toMatchObject({ name: 'a todo app with tags' });
    expect(threadCall.authorized).toBe(true);

    const done = await settled(request.id, ['succeeded']);
    expect(done.result?.pullRequest?.url).toBe(PR_URL);
    const edits = standIn.find('PATCH', new RegExp(`^/webhooks/${APP}/${build.token}/messages/@original$`));
    expect(edits.every((c) => !c.authorized)).toBe(true);
    // The first edits show the running status with a Cancel button …
    const running = edits.find((c) => String(c.body?.content).includes('Building'))!;
    expect(running.body?.content).toMatch(/%/);
    expect(running.body?.content).toMatch(/elapsed/);
    expect(JSON.stringify(running.body?.components)).toContain(`autonoma:cancel:${request.id}`);
    // … coalesced: 11 stage events, far fewer edits …
    expect(edits.length).toBeLessThan(8);
    // … and the last one is the final embed with links, summary, and an Open PR button.
    const final = standIn.original(build.token)!;
    const embed = (final.embeds as Array<Record<string, unknown>>)[0]!;
    expect(embed).toMatchObject({ title: '✅ Done', url: PR_URL, description: 'Built Todo. Tests pass.' });
    expect(JSON.stringify(embed.fields)).toContain('https://github.com/acme/todo');
    expect(final.components).toEqual([
      { type: 1, components: [{ type: 2, style: 5, label: 'Open PR', url: PR_URL }] },
    ]);

    const thread = standIn.messagesIn(original.id).map((m) => m.content ?? '');
    expect(thread[0]).toMatch(/milestones here/);
    expect(thread.some((c) => c.includes('Spec ready: Todo with Task and Tag'))).toBe(true);
    expect(thread.at(-1)).toContain(PR_URL);
  });

  it('makes one job when the same interaction is delivered twice', async () => {
    const build = command('build', { prompt: 'a notes app with folders' });
    const [first, second] = await Promise.all([send(build), send(build)]);
    expect(first.body).toEqual({ type: 5 });
    expect(second.body).toEqual({ type: 5 });
    await adapter.idle();
    expect(await prisma.generationRequest.count({ where: { idempotencyKey: `discord:${build.id}` } })).toBe(
      1,
    );
    const request = await requestFor(build.id);
    await settled(request.id, ['succeeded']);
    const original = standIn.original(build.token)!;
    const intro = standIn
      .messagesIn(original.id)
      .filter((m) => String(m.content).includes('milestones here'));
    expect(intro).toHaveLength(1);
    expect(
      standIn.find('POST', new RegExp(`/messages/${original.id}/threads$`)).length,
    ).toBeGreaterThanOrEqual(1);
  });

  it('cancels through the Cancel button, then offers Retry, which queues the job again', async () => {
    const build = command('build', { prompt: 'a slow inventory app' });
    await send(build);
    await adapter.idle();
    const request = await requestFor(build.id);
    await until(async () => (await store.getRequest(request.id))?.status === 'running');
    const original = standIn.original(build.token)!;

    const press = (customId: string, member?: Record<string, unknown>) =>
      interaction(
        3,
        { custom_id: customId, component_type: 2 },
        { message: { id: original.id, channel_id: CHANNEL }, ...(member ? { member } : {}) },
      );
    // Someone else in the server presses Cancel: told privately who can, and the job runs on.
    const stranger = { user: { id: '600000000000000002', username: 'eve' }, roles: [] };
    const refused = await send(press(`autonoma:cancel:${request.id}`, stranger));
    expect(refused.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: 'Only <@600000000000000001> or a workspace admin can cancel this job.' },
    });
    expect((await store.getRequest(request.id))?.status).toBe('running');
    const cancel = await send(press(`autonoma:cancel:${request.id}`));
    expect(cancel.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((cancel.body.data as { content: string }).content).toMatch(/Cancelling/);

    await settled(request.id, ['cancelled']);
    const final = standIn.original(build.token)!;
    expect((final.embeds as Array<{ title: string }>)[0]!.title).toBe('🛑 Cancelled');
    expect(JSON.stringify(final.components)).toContain(`autonoma:retry:${request.id}`);

    const retryPress = press(`autonoma:retry:${request.id}`);
    const retry = await send(retryPress);
    expect(retry.body).toEqual({ type: 6 });
    await adapter.idle();
    await until(async () => (await store.getRequest(request.id))?.status === 'running');
    // The retry's own token now edits the message the button is on.
    expect(
      standIn.find('PATCH', new RegExp(`/webhooks/${APP}/${retryPress.token}/messages/@original$`)).length,
    ).toBeGreaterThan(0);
    expect(await service.cancel(request.id)).toBe('cancelling');
    await settled(request.id, ['cancelled']);
  });

  it('answers /autonoma status in the job thread and refuses ids from another server', async () => {
    const build = command('build', { prompt: 'a recipe app with ratings' });
    await send(build);
    await adapter.idle();
    const request = await requestFor(build.id);
    await settled(request.id, ['succeeded']);
    const threadId = standIn.original(build.token)!.id;
    const status = await send(
      command(
        'status',
        {},
        { channel_id: threadId, channel: { id: threadId, type: 11, parent_id: CHANNEL } },
      ),
    );
    expect(status.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((status.body.data as { content: string }).content).toContain('**succeeded**');
    expect((status.body.data as { content: string }).content).toContain(PR_URL);

    const elsewhere = await send(command('status', { id: request.id }, { channel_id: '400000000000000777' }));
    expect((elsewhere.body.data as { content: string }).content).toContain(`Request \`${request.id}\``);
  });

  it('keeps a long review summary whole: embed first, the rest in thread messages under 2,000 characters', async () => {
    const build = command('build', { prompt: 'a library app, long summary please' });
    await send(build);
    await adapter.idle();
    const request = await requestFor(build.id);
    const finished = await settled(request.id, ['succeeded']);
    expect(finished.result?.reviewSummary).toBe(LONG_SUMMARY);
    const original = standIn.original(build.token)!;
    const embed = (original.embeds as Array<{ description: string }>)[0]!;
    expect(embed.description.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/\*\(continued below\)\*$/);
    const rest = standIn
      .messagesIn(original.id)
      .map((m) => m.content ?? '')
      .filter((c) => c.startsWith('Paragraph'));
    expect(rest.length).toBeGreaterThan(0);
    for (const part of rest) expect(part.length).toBeLessThanOrEqual(2000);
    const shown = embed.description.replace(/\s*\*\(continued below\)\*$/, '');
    const rebuilt = [shown, ...rest].join('\n\n').replace(/\s+/g, ' ');
    expect(rebuilt).toBe(LONG_SUMMARY.replace(/\s+/g, ' '));
  });
});
