import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { discordKeyPair, DiscordStandIn } from '../helpers/discord-stand-in.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
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
const CHANNEL = '400000000000000001';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
const standIn = new DiscordStandIn();
const prefix = uniquePrefix();
const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1 });
const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
let adapter: DiscordAdapter;
let snowflake = BigInt(Date.now()) * 100_000n;

const ADA = '600000000000000001';
const ADMIN = '600000000000000009';
const nextId = () => (snowflake += 1n).toString();

beforeAll(async () => {
  await ensureTestDatabase();
  await standIn.start({ gateway: true });
  const service = createGenerationService({ store, producer, bus, redis, namespace: prefix });
  const config = testConfig({
    DISCORD_APPLICATION_ID: APP,
    DISCORD_PUBLIC_KEY: discordKeyPair().publicKeyHex,
    DISCORD_BOT_TOKEN: 'stand-in-bot-token',
    DISCORD_API_URL: standIn.apiUrl,
    DISCORD_MODE: 'gateway',
    DISCORD_ALLOWED_GUILD_IDS: GUILD,
    AUTONOMA_ADMINS: `discord:${ADMIN}`,
  });
  const state = createRedisStateStore({ client: redis, prefix });
  adapter = createDiscordAdapter({ config: config.discord, service, state, logger });
  await adapter.start?.();
});

afterAll(async () => {
  await adapter.stop?.();
  await standIn.close();
  await bus.close();
  await producer.queue.obliterate({ force: true });
  await producer.close();
  await redis.quit();
  await prisma.$disconnect();
});

/** A finished build whose thread is `threadId`, as the HTTP flow leaves it; Ada asked for it. */
async function finishedBuild(threadId: string) {
  const { request } = await store.createRequest(
    requestInput({
      source: 'discord',
      requester: { platform: 'discord', externalId: ADA, displayName: 'Ada' },
      thread: {
        platform: 'discord',
        applicationId: APP,
        guildId: GUILD,
        channelId: CHANNEL,
        threadId,
        messageId: threadId,
      },
    }),
  );
  await store.markRunning(request.id);
  await store.markSucceeded(
    request.id,
    fakeResult(request, {
      branch: 'autonoma/todo',
      repository: { forge: 'github', name: 'acme/todo', location: 'https://github.com/acme/todo' },
      pullRequest: { number: 7, url: 'https://github.com/acme/todo/pull/7', title: 'Todo' },
    }),
  );
  return request;
}

function message(threadId: string, content: string, overrides: Record<string, unknown> = {}) {
  return {
    id: nextId(),
    channel_id: threadId,
    guild_id: GUILD,
    type: 0,
    content,
    author: { id: ADA, username: 'ada', global_name: 'Ada' },
    member: { roles: [] },
    ...overrides,
  };
}

describe('Discord gateway', () => {
  it('identifies with the bot token and the message content intent', () => {
    expect(standIn.identified).toHaveLength(1);
    expect(standIn.identified[0]).toMatchObject({ token: 'stand-in-bot-token' });
    const intents = Number(standIn.identified[0]!.intents);
    expect(intents & (1 << 15)).toBeTruthy(); // MESSAGE_CONTENT
    expect(intents & (1 << 9)).toBeTruthy(); // GUILD_MESSAGES
  });

  it('turns a message in a finished job’s thread into one iteration on its pull request, however often it arrives', async () => {
    const threadId = nextId();
    const parent = await finishedBuild(threadId);
    const change = message(threadId, 'add a due date to tasks');
    standIn.dispatch('MESSAGE_CREATE', change);
    standIn.dispatch('MESSAGE_CREATE', change);
    await waitFor(async () => (await count(change.id)) === 1 && standIn.messagesIn(threadId).length > 0);
    await adapter.idle();
    expect(await count(change.id)).toBe(1);

    const row = await prisma.generationRequest.findUniqueOrThrow({
      where: { idempotencyKey: `discord:message:${change.id}` },
    });
    const iteration = (await store.getRequest(row.id))!;
    expect(iteration).toMatchObject({
      kind: 'iterate',
      prompt: 'add a due date to tasks',
      parentRequestId: parent.id,
      target: { forge: 'github', repo: 'acme/todo', number: 7, branch: 'autonoma/todo' },
    });
    // Delivered again once its iteration is stored: still nothing more (not a "still running" reply).
    standIn.dispatch('MESSAGE_CREATE', change);
    await new Promise((r) => setTimeout(r, 200));
    await adapter.idle();
    const status = standIn.messagesIn(threadId);
    expect(status).toHaveLength(1);
    expect(status[0]!.content).toContain('Updating the pull request');
    expect(iteration.thread).toEqual({
      platform: 'discord',
      applicationId: APP,
      guildId: GUILD,
      channelId: threadId,
      threadId,
      messageId: status[0]!.id,
    });
  });

  it('refuses a change from anyone but the requester or an admin, and takes the admin’s', async () => {
    const threadId = nextId();
    const parent = await finishedBuild(threadId);
    const fromEve = message(threadId, 'make it all purple', {
      author: { id: '600000000000000002', username: 'eve' },
    });
    standIn.dispatch('MESSAGE_CREATE', fromEve);
    await waitFor(() => standIn.messagesIn(threadId).length > 0);
    await adapter.idle();
    expect(standIn.messagesIn(threadId)[0]!.content).toBe(
      'Only <@600000000000000001> or a workspace admin can change this app.',
    );
    expect(await count(fromEve.id)).toBe(0);

    const fromAdmin = message(threadId, 'add a due date to tasks', {
      author: { id: ADMIN, username: 'root' },
    });
    standIn.dispatch('MESSAGE_CREATE', fromAdmin);
    await waitFor(async () => (await count(fromAdmin.id)) === 1);
    await adapter.idle();
    const row = await prisma.generationRequest.findUniqueOrThrow({
      where: { idempotencyKey: `discord:message:${fromAdmin.id}` },
    });
    expect(row).toMatchObject({ kind: 'iterate', parentRequestId: parent.id });
  });

  it('ignores bots (itself included) and channels that are not job threads', async () => {
    const threadId = nextId();
    await finishedBuild(threadId);
    const fromBot = message(threadId, 'add tags', {
      author: { id: '100000000000000001', username: 'autonoma', bot: true },
    });
    const elsewhere = message(nextId(), 'add tags please');
    standIn.dispatch('MESSAGE_CREATE', fromBot);
    standIn.dispatch('MESSAGE_CREATE', elsewhere);
    await new Promise((r) => setTimeout(r, 300));
    await adapter.idle();
    expect(await count(fromBot.id)).toBe(0);
    expect(await count(elsewhere.id)).toBe(0);
    expect(standIn.messagesIn(threadId)).toHaveLength(0);
  });

  it('says why when the job has no pull request to change yet', async () => {
    const threadId = nextId();
    const { request } = await store.createRequest(
      requestInput({
        source: 'discord',
        requester: { platform: 'discord', externalId: ADA },
        thread: { platform: 'discord', applicationId: APP, guildId: GUILD, channelId: CHANNEL, threadId },
      }),
    );
    await store.markRunning(request.id);
    const early = message(threadId, 'make the header blue');
    standIn.dispatch('MESSAGE_CREATE', early);
    await waitFor(() => standIn.messagesIn(threadId).length > 0);
    expect(standIn.messagesIn(threadId)[0]!.content).toMatch(/still running/);
    expect(await count(early.id)).toBe(0);
  });
});

function count(messageId: string): Promise<number> {
  return prisma.generationRequest.count({ where: { idempotencyKey: `discord:message:${messageId}` } });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
