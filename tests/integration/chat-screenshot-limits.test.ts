/**
 * The size bounds of the screenshot uploads, against the stand-ins that refuse what the real APIs
 * refuse: Discord's 10 files / 10 MiB per message, and each image at most the look step's 4 MiB.
 * (Real screenshots, the threads they land in and once-only delivery: chat-screenshots.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { webApi } from '@slack/bolt';
import { Redis } from 'ioredis';
import { createDiscordScreenshotSharing } from '../../src/adapters/discord/screenshot-upload.js';
import { createSlackScreenshotSharing } from '../../src/adapters/slack/screenshot-upload.js';
import type { ReadScreenshots, ScreenshotImage } from '../../src/core/ports/screenshots.js';
import { slackClientOptions } from '../../src/adapters/slack/web-client.js';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import type { JobResult, ThreadRef } from '../../src/core/domain/request.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { DiscordStandIn } from '../helpers/discord-stand-in.js';
import { fakeResult } from '../helpers/job-fixtures.js';
import { buildRequest } from '../helpers/pipeline-fixtures.js';
import { startSlackStandIn, type SlackStandIn } from '../helpers/slack-stand-in.js';
import { memoryLogger, TEST_REDIS_URL, testConfig, uniquePrefix } from '../helpers/test-env.js';

const MiB = 2 ** 20;
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const prefix = uniquePrefix();
const state = createRedisStateStore({ client: redis, prefix });
const { logger, lines } = memoryLogger('warn');
const discord = new DiscordStandIn();
let slack: SlackStandIn;

beforeAll(async () => {
  await discord.start();
  slack = await startSlackStandIn();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await discord.close();
  await slack.close();
});

/** A PNG header and `size` bytes in all: only the header and the size matter to the bounds. */
function image(file: string, size: number): ScreenshotImage {
  const png = Buffer.alloc(size, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
  return { file, label: file.replace('.png', ''), png };
}

/** A reader that hands out these images as the branch holds them, honouring the file count only. */
function reader(
  images: ScreenshotImage[],
): ReadScreenshots & { asked: Array<{ maxFiles: number; maxBytes: number }> } {
  const asked: Array<{ maxFiles: number; maxBytes: number }> = [];
  const read = async (_result: JobResult, limits: { maxFiles: number; maxBytes: number }) => {
    asked.push(limits);
    return images.slice(0, limits.maxFiles);
  };
  return Object.assign(read, { asked });
}

function finished(thread: ThreadRef, images: ScreenshotImage[]) {
  const request = buildRequest('a reading list', {
    id: randomUUID(),
    status: 'succeeded',
    thread,
    source: thread.platform === 'discord' ? 'discord' : 'slack',
  });
  request.result = fakeResult(request, {
    commitSha: 'abc1234',
    pullRequest: { number: 1, url: 'https://forge.example/acme/reading/pull/1', title: 'Reading list' },
    screenshots: images.map((i) => ({ file: i.file, url: `https://forge.example/raw/${i.file}` })),
  });
  const event: ProgressEvent = {
    type: 'finished',
    requestId: request.id,
    at: new Date().toISOString(),
    percent: 100,
    status: 'succeeded',
    message: 'Built.',
    links: [],
  };
  return { request, event };
}

it('keeps a Discord message under 10 MiB: images past it, over 4 MiB or oddly named stay out', async () => {
  const images = [
    image('home-desktop.png', 3 * MiB),
    image('../etc-desktop.png', 1000),
    image('books-desktop.png', 5 * MiB),
    image('home-phone.png', 3 * MiB),
    image('books-phone.png', 3 * MiB),
    image('authors-phone.png', 3 * MiB),
  ];
  const read = reader(images);
  const config = testConfig({
    DISCORD_APPLICATION_ID: '200000000000000001',
    DISCORD_PUBLIC_KEY: '0'.repeat(64),
    DISCORD_BOT_TOKEN: 'stand-in-bot-token',
    DISCORD_API_URL: discord.apiUrl,
  }).discord;
  const share = createDiscordScreenshotSharing({ config, state, read, logger, maxFiles: 10 });
  const thread = '500000000000000001';
  const { request, event } = finished(
    {
      platform: 'discord',
      applicationId: '200000000000000001',
      channelId: '400000000000000001',
      threadId: thread,
    },
    images,
  );
  await share(request, event);

  expect(read.asked).toEqual([{ maxFiles: 10, maxBytes: 4 * MiB }]);
  const [message] = discord.messagesIn(thread);
  // 3 × 3 MiB fit; a fourth would pass Discord's 10 MiB, which the stand-in refuses as Discord does.
  expect(message?.attachments?.map((a) => [a.filename, a.size])).toEqual([
    ['home-desktop.png', 3 * MiB],
    ['home-phone.png', 3 * MiB],
    ['books-phone.png', 3 * MiB],
  ]);
  expect(lines).toEqual([]);
});

it('bounds Discord uploads by its own limits whatever the options say', async () => {
  const config = testConfig({
    DISCORD_APPLICATION_ID: '200000000000000001',
    DISCORD_PUBLIC_KEY: '0'.repeat(64),
    DISCORD_BOT_TOKEN: 'stand-in-bot-token',
    DISCORD_API_URL: discord.apiUrl,
  }).discord;
  const read = reader([]);
  const share = createDiscordScreenshotSharing({
    config,
    state,
    read,
    logger,
    maxFiles: 50,
    maxBytes: 50 * MiB,
  });
  const { request, event } = finished(
    {
      platform: 'discord',
      applicationId: '200000000000000001',
      channelId: '400000000000000001',
      threadId: '500000000000000002',
    },
    [image('home-desktop.png', 10)],
  );
  await share(request, event);
  expect(read.asked).toEqual([{ maxFiles: 10, maxBytes: 10 * MiB - 64 * 1024 }]);
});

it('refuses more than 10 MiB on Discord as Discord does (the bound above is what keeps us under it)', async () => {
  const form = new FormData();
  const files = [image('a-desktop.png', 6 * MiB), image('b-desktop.png', 5 * MiB)];
  files.forEach((f, i) => form.append(`files[${i}]`, new Blob([f.png], { type: 'image/png' }), f.file));
  form.append(
    'payload_json',
    JSON.stringify({ attachments: files.map((f, id) => ({ id, filename: f.file })) }),
  );
  const res = await fetch(`${discord.apiUrl}/v10/channels/400000000000000001/messages`, {
    method: 'POST',
    headers: { authorization: 'Bot stand-in-bot-token' },
    body: form,
  });
  expect(res.status).toBe(413);
  expect(await res.json()).toMatchObject({ code: 40005 });
});

it('uploads no Slack image over the per-image bound: the thread gets the links instead', async () => {
  const client = new webApi.WebClient('xoxb-test-token', slackClientOptions(slack.apiUrl));
  const images = [image('home-desktop.png', 5 * MiB), image('home-phone.png', 200_000)];
  const share = createSlackScreenshotSharing({
    client,
    state,
    read: reader(images),
    logger,
    maxBytes: 100_000,
  });
  const { request, event } = finished(
    { platform: 'slack', teamId: 'T1', channelId: 'CLIMITS', threadTs: '1800000000.000001' },
    images,
  );
  await share(request, event);
  expect(slack.callsTo('files.getUploadURLExternal')).toEqual([]);
  expect(slack.sharedFiles).toEqual([]);
  const [links] = slack.callsTo('chat.postMessage');
  expect(links?.body).toMatchObject({ channel: 'CLIMITS', thread_ts: '1800000000.000001' });
  expect(String(links?.body.text)).toContain('<https://forge.example/raw/home-desktop.png|home-desktop.png>');

  // Within the bound, the same job result is not uploaded again: its claim is taken.
  await share(request, event);
  expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
});
