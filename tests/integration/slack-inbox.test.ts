import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { TransientError } from '../../src/core/errors.js';
import type { GenerationService } from '../../src/core/ports/generation-service.js';
import { createInboxProducer, type InboxProducer } from '../../src/jobs/inbox-queue.js';
import {
  eventBody,
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
  type RecordedCall,
  type SlackStack,
} from '../helpers/slack-stand-in.js';

/**
 * The worker tier's half of a Slack build (inbox handler): what happens when Slack or the database
 * fails after the ack. Nothing is lost silently: a transient failure is retried in the same thread,
 * and a failure no retry can fix reaches the person who asked.
 */
let stack: SlackStack;
/** Channel → submits still to fail (scripted database outages, per test). */
const failingSubmits = new Map<string, number>();
let seq = 0;

beforeAll(async () => {
  stack = await startSlackStack({
    wrapService: (service): GenerationService => ({
      ...service,
      async submit(input) {
        const channel = input.thread.platform === 'slack' ? input.thread.channelId : '';
        const left = failingSubmits.get(channel) ?? 0;
        if (left > 0) {
          failingSubmits.set(channel, left - 1);
          throw new TransientError('connection to Postgres lost');
        }
        return service.submit(input);
      },
    }),
  });
});

afterAll(async () => {
  await stack.close();
});

function channel(): string {
  seq += 1;
  return `C${stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase()}I${seq}`;
}

const inChannel = (ch: string) => stack.standIn.calls.filter((c) => c.body.channel === ch);

async function slash(text: string, ch: string): Promise<{ ack: string; responseId: string }> {
  const responseId = `${ch}-response`;
  const res = await postSigned(
    stack.eventsUrl,
    slashCommandBody({
      text,
      triggerId: `${ch}-trigger`,
      channelId: ch,
      responseUrl: stack.standIn.responseUrl(responseId),
    }),
    { secret: SIGNING_SECRET },
  );
  expect(res.status).toBe(200);
  return { ack: (JSON.parse(res.body) as { text: string }).text, responseId };
}

const jobsIn = (ch: string) =>
  stack.prisma.generationRequest.findMany({ where: { threadRef: { path: ['channelId'], equals: ch } } });

const answerTo = (responseId: string) =>
  stack.standIn.waitFor(
    () => stack.standIn.calls.find((c) => c.method === 'response' && c.body.responseId === responseId),
    15_000,
    'the answer on the response_url',
  );

describe('Slack builds after the ack', () => {
  it('tells the user privately, and stores nothing, when Autonoma is not in the channel', async () => {
    const ch = channel();
    stack.standIn.failNext('chat.postMessage', { error: 'not_in_channel' });
    const { ack, responseId } = await slash('build a todo app', ch);
    expect(ack).toContain('On it');
    const answer = await answerTo(responseId);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toContain('Invite me first (`/invite @Autonoma`)');
    expect(inChannel(ch).filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(await jobsIn(ch)).toHaveLength(0);
  });

  it('retries a Slack outage on the status message, then posts one thread and stores one job', async () => {
    const ch = channel();
    // The WebClient tries each call three times itself; the fourth answer comes on the inbox's retry.
    for (let i = 0; i < 3; i += 1) stack.standIn.failNext('chat.postMessage', { status: 503 });
    await slash('build a recipe app where users rate dishes', ch);
    const root = await stack.standIn.waitFor(
      () => inChannel(ch).find((c): c is RecordedCall & { ts: string } => Boolean(c.ts)),
      20_000,
      'the status message',
    );
    const stored = await waitForJobs(ch, 1);
    expect(stored[0]?.threadRef).toMatchObject({ statusMessageTs: root.ts, threadTs: root.ts });
    expect(inChannel(ch).filter((c) => c.method === 'chat.postMessage' && c.ts)).toHaveLength(1);
    expect(inChannel(ch).filter((c) => c.method === 'chat.postMessage')).toHaveLength(4);
  });

  it('keeps the same thread when storing the job fails once and is retried', async () => {
    const ch = channel();
    failingSubmits.set(ch, 1);
    await slash('build a habit tracker', ch);
    const stored = await waitForJobs(ch, 1);
    const posts = inChannel(ch).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(stored[0]?.threadRef).toMatchObject({ statusMessageTs: posts[0]?.ts });
    expect(inChannel(ch).filter((c) => c.method === 'chat.delete')).toHaveLength(0);
    expect(failingSubmits.get(ch)).toBe(0);
  });

  it('after the last attempt, marks the status message and tells the user what to do', async () => {
    const ch = channel();
    failingSubmits.set(ch, 99);
    const { responseId } = await slash('build a habit tracker', ch);
    const answer = await answerTo(responseId);
    expect(String(answer.body.text)).toContain('could not queue this job');
    expect(String(answer.body.text)).toContain('Try again in a minute');
    const posts = inChannel(ch).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    const marked = inChannel(ch).find((c) => c.method === 'chat.update');
    expect(marked?.body).toMatchObject({ ts: posts[0]?.ts });
    expect(String(marked?.body.text)).toContain('❌ Not started');
    expect(await jobsIn(ch)).toHaveLength(0);
    // Three attempts (the stack's inbox), each one submit.
    expect(failingSubmits.get(ch)).toBe(96);
  });
});

describe('Slack builds from messages', () => {
  it('starts a build from a direct message, its status message replying to that message', async () => {
    const dm = `D${channel().slice(1)}`;
    const ts = '1700000200.000100';
    const res = await postSigned(
      stack.eventsUrl,
      eventBody(
        {
          type: 'message',
          channel: dm,
          channel_type: 'im',
          user: 'U1',
          text: 'build a reading list app',
          ts,
        },
        `Ev${dm}`,
      ),
      { secret: SIGNING_SECRET, json: true },
    );
    expect(res.status).toBe(200);
    const [job] = await waitForJobs(dm, 1);
    const posts = inChannel(dm).filter((c) => c.method === 'chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.thread_ts).toBe(ts);
    expect(job?.threadRef).toMatchObject({ threadTs: ts, statusMessageTs: posts[0]?.ts });
    expect(job?.prompt).toBe('a reading list app');
  });

  it('answers a mention in a channel Autonoma is not in with a private message to whoever asked', async () => {
    const ch = channel();
    stack.standIn.failNext('chat.postMessage', { error: 'not_in_channel' });
    const ts = '1700000300.000100';
    await postSigned(
      stack.eventsUrl,
      eventBody(
        { type: 'app_mention', channel: ch, user: 'U7', text: '<@UAUTONOMA> build a todo app', ts },
        `Ev${ch}`,
      ),
      { secret: SIGNING_SECRET, json: true },
    );
    const refusal = await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => c.method === 'chat.postEphemeral'),
      15_000,
      'the private answer',
    );
    expect(refusal.body).toMatchObject({ user: 'U7' });
    expect(String(refusal.body.text)).toContain('Invite me first');
    expect(await jobsIn(ch)).toHaveLength(0);
  });
});

describe('Slack builds when the queue is down', () => {
  let down: SlackStack;
  let deadRedis: Redis;
  let deadInbox: InboxProducer;
  let stopRetrying = false;

  beforeAll(async () => {
    // Nothing listens on port 1: every command fails, as during a Redis outage.
    deadRedis = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 1,
      retryStrategy: () => (stopRetrying ? null : 200),
      lazyConnect: true,
    });
    deadRedis.on('error', () => undefined);
    deadInbox = createInboxProducer({ connection: deadRedis, prefix: 'dead' });
    deadInbox.queue.on('error', () => undefined);
    down = await startSlackStack({ inbox: deadInbox, inboxWorker: false });
  });

  afterAll(async () => {
    await down.close();
    await deadInbox.close().catch(() => undefined);
    // disconnect() between retries arms a 2 s timer on the socket that already closed (ioredis#1247),
    // so let the next failed attempt end the client instead.
    stopRetrying = true;
    if (deadRedis.status !== 'wait' && deadRedis.status !== 'end') {
      await new Promise((resolve) => deadRedis.once('end', resolve));
    }
  });

  it('acks at once, then tells the user on the response_url that the build could not be queued', async () => {
    const started = Date.now();
    const responseId = `${down.prefix}-down-response`;
    const res = await postSigned(
      down.eventsUrl,
      slashCommandBody({
        text: 'build a todo app',
        triggerId: `${down.prefix}-down`,
        responseUrl: down.standIn.responseUrl(responseId),
      }),
      { secret: SIGNING_SECRET },
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect((JSON.parse(res.body) as { text: string }).text).toContain('On it');
    const answer = await down.standIn.waitFor(
      () => down.standIn.calls.find((c) => c.method === 'response' && c.body.responseId === responseId),
      10_000,
      'the answer on the response_url',
    );
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toMatch(/queue is (unavailable|slow to answer)/);
    expect(String(answer.body.text)).toMatch(/try again/i);
  });
});

async function waitForJobs(ch: string, count: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const jobs = await jobsIn(ch);
    if (jobs.length >= count) return jobs;
    if (Date.now() > deadline) throw new Error(`only ${jobs.length} of ${count} jobs stored in ${ch}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
