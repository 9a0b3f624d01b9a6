/**
 * Screenshots shown where the user asked: a finished job's screenshots, photographed for real (a
 * generated app built and opened in Chromium) and committed on its branch in a local git forge,
 * are read back through the reader main.ts composes and uploaded into the job's Slack thread (the
 * three-step external upload) and attached to the last message of its Discord thread. Once per
 * result; a failed upload leaves the links instead and the job succeeded.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import { withDiscordScreenshots } from '../../src/adapters/discord/screenshot-upload.js';
import { createBranchFiles } from '../../src/adapters/http/job-page/branch-files.js';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import type { ReadScreenshots } from '../../src/core/ports/screenshots.js';
import type { Screenshot } from '../../src/agents/validation/look-at-app.js';
import { isBlankPng, pngSize } from '../../src/agents/validation/png.js';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import type { GenerationRequest, JobResult } from '../../src/core/domain/request.js';
import type { Forge } from '../../src/core/ports/forge.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { createProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { withScreenshots } from '../../src/jobs/screenshot-files.js';
import { createScreenshotReader } from '../../src/main.js';
import { photographGeneratedApp } from '../helpers/app-screenshots.js';
import { DiscordStandIn, discordKeyPair } from '../helpers/discord-stand-in.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import {
  eventBody,
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
  type RecordedCall,
  type SlackStack,
} from '../helpers/slack-stand-in.js';
import {
  ensureTestDatabase,
  memoryLogger,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testConfig,
  uniquePrefix,
} from '../helpers/test-env.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let shots: Screenshot[];
let root: string;
let forge: Forge;
let read: ReadScreenshots;

beforeAll(async () => {
  root = await tempDir('autonoma-chat-shots-');
  forge = createLocalGitForge({ rootDir: path.join(root, 'forge') });
  read = createScreenshotReader(createBranchFiles({ forge, logger: memoryLogger('silent').logger }));
  shots = await photographGeneratedApp('a reading list app to track books with title, author and rating');
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A real PNG of a page of the app: the signature, a few KB, and more than one colour. */
function expectRealScreenshot(bytes: Buffer): void {
  expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(bytes.length).toBeGreaterThan(5_000);
  expect(pngSize(bytes)).toBeDefined();
  expect(isBlankPng(bytes)).toBe(false);
}

let repoSeq = 0;

/** What the runner's publish step does with the screenshots: a commit on the PR branch, listed in the result. */
async function publish(
  request: GenerationRequest,
  pictures: readonly Screenshot[],
  branchOf?: { repoName: string },
): Promise<JobResult> {
  repoSeq += 1;
  const name = branchOf?.repoName ?? `reading-list-${repoSeq}-${request.id.slice(0, 8)}`;
  const { repo } = await forge.ensureRepository({
    name,
    description: 'Reading list',
    topics: [],
    private: true,
    requestId: request.id,
  });
  await forge.ensureInitialCommit(repo, new Map([['README.md', '# Reading list\n']]));
  const branch = 'autonoma/reading-list';
  const commit = await forge.commitFiles({
    repo,
    branch,
    baseBranch: repo.defaultBranch,
    message: `Reading list (${request.kind})`,
    files: withScreenshots(new Map([['README.md', `# Reading list\n\n${request.prompt}\n`]]), pictures),
  });
  return fakeResult(request, {
    repository: { forge: forge.name, name: repo.fullName, location: repo.location },
    branch,
    commitSha: commit.sha,
    pullRequest: { number: 1, url: `https://forge.example/${repo.fullName}/pull/1`, title: 'Reading list' },
    screenshots: pictures.map((shot) => ({
      file: shot.file,
      url: `https://forge.example/${repo.fullName}/raw/${branch}/.autonoma/screenshots/${shot.file}`,
    })),
    reviewSummary: 'Built Reading list.',
  });
}

describe('Slack', () => {
  /** Iterations commit only the phone screenshots, so their upload is told apart from the build's. */
  const phoneShots = () => shots.filter((s) => s.viewport === 'phone');
  const repos = new Map<string, string>();
  const runner: GenerationRunner = {
    async run(request, { progress }) {
      await progress.stage('requirements', 'completed', 'Spec ready');
      const parent = request.parentRequestId ? repos.get(request.parentRequestId) : undefined;
      const result = await publish(
        request,
        parent ? phoneShots() : shots,
        parent ? { repoName: parent } : undefined,
      );
      repos.set(request.id, result.repository!.name.split('/').pop()!);
      await progress.stage('publish', 'completed', 'Pull request #1 opened');
      return result;
    },
  };
  let stack: SlackStack;
  let seq = 0;
  beforeAll(async () => {
    stack = await startSlackStack({ runner, screenshots: (result, limits) => read(result, limits) });
  });
  afterAll(async () => {
    await stack.close();
  });

  const channel = () => `C${stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase()}S${(seq += 1)}`;
  const inChannel = (id: string) => stack.standIn.calls.filter((c) => c.body.channel === id);

  async function build(ch: string): Promise<{ root: RecordedCall; request: GenerationRequest }> {
    const res = await postSigned(
      stack.eventsUrl,
      slashCommandBody({
        text: 'build a reading list app to track books',
        triggerId: `${ch}-t`,
        channelId: ch,
        responseUrl: stack.standIn.responseUrl(ch),
      }),
      { secret: SIGNING_SECRET },
    );
    expect(res.status).toBe(200);
    const root = await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => c.method === 'chat.postMessage' && !c.body.thread_ts),
      10_000,
      'the root status message',
    );
    await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => String(c.body.text).startsWith('✅ Done')),
      20_000,
      'the closing reply',
    );
    await stack.fanOut.idle();
    let request: GenerationRequest | null = null;
    for (let i = 0; i < 100 && !request; i += 1) {
      request = await stack.service.findByThread({
        platform: 'slack',
        channelId: ch,
        statusMessageTs: root.ts!,
      });
      if (!request) await new Promise((r) => setTimeout(r, 50));
    }
    return { root, request: request! };
  }

  it("uploads the screenshots into the job's thread once, through the external upload API", async () => {
    const ch = channel();
    const { root, request } = await build(ch);
    expect(request.status).toBe('succeeded');
    const shared = stack.standIn.sharedFiles.filter((f) => f.channel === ch);
    expect(shared.map((f) => f.filename)).toEqual(shots.slice(0, 4).map((s) => s.file));
    for (const [index, file] of shared.entries()) {
      expect(file.threadTs).toBe(root.ts);
      expectRealScreenshot(file.bytes);
      expect(file.bytes.equals(shots[index]!.png)).toBe(true);
    }
    expect(shared[0]).toMatchObject({
      title: 'Home, desktop',
      altText: expect.stringContaining('Home, desktop'),
    });
    expect(shared[0]!.initialComment).toContain('Home, desktop');
    // The three steps, in order, and never the retired files.upload.
    const methods = stack.standIn.calls.map((c) => c.method);
    expect(methods).not.toContain('files.upload');
    const started = stack.standIn.callsTo('files.getUploadURLExternal');
    expect(started.length).toBeGreaterThanOrEqual(shared.length);
    expect(stack.standIn.callsTo('files.completeUploadExternal').at(-1)?.body).toMatchObject({
      channel_id: ch,
      thread_ts: root.ts,
    });
    // After the closing reply: the screenshots are the thread's last word.
    const doneAt = inChannel(ch).find((c) => String(c.body.text).startsWith('✅ Done'))!.at;
    expect(stack.standIn.callsTo('files.completeUploadExternal').at(-1)!.at).toBeGreaterThanOrEqual(doneAt);

    // The final event delivered again (a retried publish, another replica): nothing more is uploaded.
    const finished: ProgressEvent = {
      type: 'finished',
      requestId: request.id,
      at: new Date().toISOString(),
      percent: 100,
      status: 'succeeded',
      message: 'Built Reading list.',
      links: [],
    };
    const completes = stack.standIn.callsTo('files.completeUploadExternal').length;
    await stack.adapter.replyProgress((await stack.store.getRequest(request.id))!, finished);
    expect(stack.standIn.callsTo('files.completeUploadExternal')).toHaveLength(completes);
    expect(stack.standIn.sharedFiles.filter((f) => f.channel === ch)).toHaveLength(shared.length);
  });

  it('uploads an iteration’s fresh screenshots in the same thread', async () => {
    const ch = channel();
    const { root } = await build(ch);
    // From the person who asked for the build: only they (or an admin) may change it.
    const reply = { type: 'message', channel: ch, channel_type: 'channel', user: 'U1', thread_ts: root.ts };
    const res = await postSigned(
      stack.eventsUrl,
      eventBody({ ...reply, text: 'show the rating as stars', ts: '1800009100.000001' }, `${ch}-iterate`),
      { secret: SIGNING_SECRET, json: true },
    );
    expect(res.status).toBe(200);
    const phones = phoneShots();
    const fresh = await stack.standIn.waitFor(
      () => {
        const files = stack.standIn.sharedFiles.filter((f) => f.channel === ch);
        return files.length >= 4 + phones.length && files.slice(4);
      },
      30_000,
      'the iteration’s screenshots',
    );
    expect(fresh.map((f) => f.filename)).toEqual(phones.map((s) => s.file));
    for (const [index, file] of fresh.entries()) {
      expect(file.threadTs).toBe(root.ts);
      expect(file.bytes.equals(phones[index]!.png)).toBe(true);
    }
  });

  it('posts the links instead when the upload fails, and the job still succeeds', async () => {
    const ch = channel();
    stack.standIn.failNext('files.completeUploadExternal', { error: 'internal_error' });
    const { root, request } = await build(ch);
    const links = await stack.standIn.waitFor(
      () =>
        inChannel(ch).find(
          (c) => c.method === 'chat.postMessage' && String(c.body.text).includes('could not be attached'),
        ),
      10_000,
      'the links message',
    );
    expect(links.body.thread_ts).toBe(root.ts);
    expect(String(links.body.text)).toContain(`|${shots[0]!.file}>`);
    expect(stack.standIn.sharedFiles.filter((f) => f.channel === ch)).toEqual([]);
    expect((await stack.store.getRequest(request.id))?.status).toBe('succeeded');
  });
});

describe('Discord', () => {
  const APP = '200000000000000001';
  const GUILD = '300000000000000001';
  const CHANNEL = '400000000000000001';
  const standIn = new DiscordStandIn();
  const prisma = createPrismaClient(TEST_DATABASE_URL);
  const store = createPrismaJobStore(prisma);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = uniquePrefix();
  const { logger, lines } = memoryLogger('warn');
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  const state = createRedisStateStore({ client: redis, prefix });
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1 });
  let fanOut: ReturnType<typeof createProgressFanOut>;
  let adapter: DiscordAdapter;

  beforeAll(async () => {
    await ensureTestDatabase();
    await standIn.start();
    const config = testConfig({
      DISCORD_APPLICATION_ID: APP,
      DISCORD_PUBLIC_KEY: discordKeyPair().publicKeyHex,
      DISCORD_BOT_TOKEN: 'stand-in-bot-token',
      DISCORD_API_URL: standIn.apiUrl,
      DISCORD_ALLOWED_GUILD_IDS: GUILD,
    });
    const service = createGenerationService({ store, producer, bus, redis, namespace: prefix });
    // As main.ts composes it: the adapter, wrapped to attach screenshots read from the branch.
    adapter = withDiscordScreenshots(
      createDiscordAdapter({ config: config.discord, service, state, logger, editIntervalMs: 50 }),
      { config: config.discord, state, read, logger },
    );
    fanOut = createProgressFanOut({ bus, store, state, adapters: [adapter], logger });
    await fanOut.start();
  });
  afterAll(async () => {
    await fanOut.stop();
    await adapter.stop?.();
    await bus.close();
    await producer.queue.obliterate({ force: true });
    await producer.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await prisma.$disconnect();
    await standIn.close();
  });

  /** A finished Discord job: its status message and thread on the stand-in, its result stored, its final event sent. */
  async function finish(options: { failUpload?: boolean } = {}) {
    const status = await fetch(`${standIn.apiUrl}/v10/channels/${CHANNEL}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bot stand-in-bot-token' },
      body: JSON.stringify({ content: 'Queued' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await fetch(`${standIn.apiUrl}/v10/channels/${CHANNEL}/messages/${status.id}/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bot stand-in-bot-token' },
      body: JSON.stringify({ name: 'Reading list' }),
    });
    const { request } = await store.createRequest(
      requestInput({
        prompt: 'a reading list app to track books',
        source: 'discord',
        thread: {
          platform: 'discord',
          applicationId: APP,
          guildId: GUILD,
          channelId: CHANNEL,
          threadId: status.id,
          messageId: status.id,
        },
      }),
    );
    const result = await publish(request, shots);
    await store.markSucceeded(request.id, result);
    // Not a 5xx, which @discordjs/rest retries: a refusal it passes on.
    if (options.failUpload) standIn.failNextUpload(413, { code: 40005, message: 'Request entity too large' });
    const event: ProgressEvent = {
      type: 'finished',
      requestId: request.id,
      at: new Date().toISOString(),
      percent: 100,
      status: 'succeeded',
      message: result.reviewSummary,
      links: [{ label: 'Pull request', url: result.pullRequest!.url }],
    };
    return { thread: status.id, event, request };
  }

  it("attaches the screenshots to the last message of the job's thread, the first in an embed", async () => {
    const { thread, event } = await finish();
    await bus.publish(event);
    const last = await until(() => {
      const message = standIn.messagesIn(thread).at(-1);
      return message?.attachments ? message : undefined;
    });
    expect(standIn.messagesIn(thread).map((m) => [...(m.content ?? '')][0])).toEqual(['✅', '📸']);
    expect(last.attachments!.map((a) => a.filename)).toEqual(shots.slice(0, 4).map((s) => s.file));
    for (const [index, attachment] of last.attachments!.entries()) {
      expect(attachment.content_type).toBe('image/png');
      expectRealScreenshot(attachment.bytes);
      expect(attachment.bytes.equals(shots[index]!.png)).toBe(true);
    }
    expect(last.attachments![0]!.description).toContain('Home, desktop');
    expect(last.embeds).toEqual([
      expect.objectContaining({ title: 'Home, desktop', image: { url: `attachment://${shots[0]!.file}` } }),
    ]);
    const upload = standIn.find('POST', new RegExp(`^/channels/${thread}/messages$`)).at(-1)!;
    expect(upload.uploads.map((f) => f.key)).toEqual(['files[0]', 'files[1]', 'files[2]', 'files[3]']);
    expect(upload.body?.attachments).toEqual(
      shots.slice(0, 4).map((s, id) => expect.objectContaining({ id, filename: s.file })),
    );

    // The same final event again (a retried publish, another replica): nothing more is attached.
    const before = standIn.calls.length;
    await bus.publish({ ...event, at: new Date().toISOString() });
    await until(() => (standIn.calls.length > before ? true : undefined));
    await fanOut.idle();
    const uploads = standIn
      .find('POST', new RegExp(`^/channels/${thread}/messages$`))
      .filter((c) => c.files.length > 0);
    expect(uploads).toHaveLength(1);
  });

  it('posts the links instead when Discord refuses the upload, with a warning logged', async () => {
    const { thread, event, request } = await finish({ failUpload: true });
    await bus.publish(event);
    const links = await until(() =>
      standIn.messagesIn(thread).find((m) => (m.content ?? '').includes('could not be attached')),
    );
    expect(links.content).toContain(`[${shots[0]!.file}](<https://forge.example/`);
    expect(standIn.messagesIn(thread).some((m) => m.attachments)).toBe(false);
    expect(lines.join('')).toContain('discord screenshots not attached');
    expect((await store.getRequest(request.id))?.status).toBe('succeeded');
  });
});

async function until<T>(find: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
