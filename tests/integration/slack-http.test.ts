import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  eventBody,
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
  storedRequest,
  type SlackStack,
} from '../helpers/slack-stand-in.js';

/** The HTTP edge: signatures, timestamps, acks, retries and bursts (no worker: jobs stay queued). */
let stack: SlackStack;

beforeAll(async () => {
  stack = await startSlackStack({ env: { SLACK_ALLOWED_TEAM_IDS: 'T1' } });
});

afterAll(async () => {
  await stack.close();
});

const countJobs = (keyPrefix: string) =>
  stack.prisma.generationRequest.count({ where: { idempotencyKey: { startsWith: keyPrefix } } });

describe('Slack requests on POST /slack/events', () => {
  it('checked auth.test at start-up against SLACK_API_URL', () => {
    expect(stack.standIn.callsTo('auth.test')).toHaveLength(1);
  });

  it('refuses a bad signature with 401 and starts nothing', async () => {
    const trigger = `${stack.prefix}-badsig`;
    const body = slashCommandBody({ text: 'build a todo app', triggerId: trigger });
    const res = await postSigned(stack.eventsUrl, body, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(await countJobs(`slack:cmd:${trigger}`)).toBe(0);
  });

  it('refuses a correctly signed request with a stale timestamp', async () => {
    const trigger = `${stack.prefix}-stale`;
    const body = slashCommandBody({ text: 'build a todo app', triggerId: trigger });
    const res = await postSigned(stack.eventsUrl, body, {
      secret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(res.status).toBe(401);
    expect(await countJobs(`slack:cmd:${trigger}`)).toBe(0);
  });

  it('answers help, unknown commands and bad prompts with an ephemeral message in the ack', async () => {
    const post = (text: string, n: string) =>
      postSigned(stack.eventsUrl, slashCommandBody({ text, triggerId: `${stack.prefix}-${n}` }), {
        secret: SIGNING_SECRET,
      });
    const help = JSON.parse((await post('help', 'help')).body) as { response_type: string; text: string };
    expect(help.response_type).toBe('ephemeral');
    expect(help.text).toContain('/autonoma build <description>');
    const unknown = JSON.parse((await post('deploy everything', 'unknown')).body) as { text: string };
    expect(unknown.text).toContain("I don't know `deploy`");
    const empty = JSON.parse((await post('build   ', 'empty')).body) as { text: string };
    expect(empty.text).toContain('Tell me what to build');
    expect(empty.text).toContain('4,000 characters');
    const long = JSON.parse((await post(`build ${'x'.repeat(4001)}`, 'long')).body) as { text: string };
    expect(long.text).toContain('the limit is 4,000');
    expect(await countJobs(`slack:cmd:${stack.prefix}-`)).toBe(0);
    expect(stack.standIn.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('politely refuses a workspace that is not allowed', async () => {
    const trigger = `${stack.prefix}-team`;
    const body = slashCommandBody({ text: 'build a todo app', triggerId: trigger, teamId: 'T999' });
    const res = await postSigned(stack.eventsUrl, body, { secret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining("isn't enabled for this workspace"),
    });
    expect(await countJobs(`slack:cmd:${trigger}`)).toBe(0);
  });

  it('creates no second job when Slack retries an event delivery (x-slack-retry-num)', async () => {
    const ts = '1700000100.000100';
    const channel = `C${stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
    const mention = {
      type: 'app_mention',
      user: 'U1',
      text: '<@UAUTONOMA> build a todo app with tags',
      ts,
      channel,
    };
    const first = await postSigned(stack.eventsUrl, eventBody(mention, 'EvFIRST1'), {
      secret: SIGNING_SECRET,
      json: true,
    });
    const retried = await postSigned(stack.eventsUrl, eventBody(mention, 'EvFIRST1'), {
      secret: SIGNING_SECRET,
      json: true,
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    // Slack also sends a `message` event (another event id) for the same mention.
    const asMessage = await postSigned(
      stack.eventsUrl,
      eventBody({ ...mention, type: 'message', channel_type: 'channel' }, 'EvMSG1'),
      { secret: SIGNING_SECRET, json: true },
    );
    expect([first.status, retried.status, asMessage.status]).toEqual([200, 200, 200]);
    const key = `slack:msg:${channel}:${ts}`;
    await stack.standIn.waitFor(() =>
      stack.standIn.callsTo('chat.postMessage').some((c) => c.body.channel === channel),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await countJobs(key)).toBe(1);
    const posts = stack.standIn.callsTo('chat.postMessage').filter((c) => c.body.channel === channel);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.thread_ts).toBe(ts);
    const request = await stack.service.findByThread({ platform: 'slack', channelId: channel, threadTs: ts });
    expect(request?.thread).toEqual({
      platform: 'slack',
      teamId: 'T1',
      channelId: channel,
      threadTs: ts,
      statusMessageTs: posts[0]?.ts,
    });
  });

  it("answers status and cancel for the channel's latest job or a job by id, only within the workspace", async () => {
    const channelId = `CJOBS${stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
    const say = async (text: string, n: string) => {
      const body = slashCommandBody({ text, triggerId: `${stack.prefix}-${n}`, channelId });
      const res = await postSigned(stack.eventsUrl, body, { secret: SIGNING_SECRET });
      expect(res.status).toBe(200);
      return (JSON.parse(res.body) as { response_type: string; text: string }).text;
    };
    expect(await say('status', 'status-none')).toContain('No jobs in this conversation yet');
    await say('build a plant watering log', 'jobs-build');
    const job = await storedRequest(stack.prisma, `slack:cmd:${stack.prefix}-jobs-build`);

    const latest = await say('status', 'status-latest');
    expect(latest).toContain('*a plant watering log*');
    expect(latest).toContain(`\`${job.id}\` — queued`);
    expect(await say(`status ${job.id}`, 'status-id')).toContain(`\`${job.id}\` — queued`);
    expect(await say('status tomorrow', 'status-word')).toContain("`tomorrow` isn't a job id");
    // Another workspace's job is not found from here, whoever knows its id.
    const { request: elsewhere } = await stack.service.submit({
      prompt: 'a secret roadmap',
      source: 'slack',
      thread: { platform: 'slack', teamId: 'T2', channelId: 'C9', threadTs: '1700000000.000900' },
      idempotencyKey: `slack:cmd:${stack.prefix}-elsewhere`,
    });
    expect(await say(`status ${elsewhere.id}`, 'status-other')).toContain(
      `I can't find job \`${elsewhere.id}\``,
    );
    expect(await say(`cancel ${elsewhere.id}`, 'cancel-other')).toContain(
      `I can't find job \`${elsewhere.id}\``,
    );
    expect((await stack.service.get(elsewhere.id))?.status).toBe('queued');

    expect(await say('cancel', 'cancel-none')).toContain('Which job?');
    expect(await say(`cancel ${job.id}`, 'cancel-id')).toContain(
      `Cancelled job \`${job.id}\` before it started`,
    );
    expect(await say(`cancel ${job.id}`, 'cancel-again')).toContain('has already finished');
    expect(await say(`status ${job.id}`, 'status-cancelled')).toContain(`\`${job.id}\` — cancelled`);
  });

  it('creates no second job when the same slash command is delivered twice', async () => {
    const trigger = `${stack.prefix}-twice`;
    const body = slashCommandBody({
      text: 'build a recipe app where users rate dishes',
      triggerId: trigger,
      channelId: 'CTWICE',
    });
    const results = await Promise.all([
      postSigned(stack.eventsUrl, body, { secret: SIGNING_SECRET }),
      postSigned(stack.eventsUrl, body, { secret: SIGNING_SECRET, headers: { 'x-slack-retry-num': '1' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await stack.standIn.waitFor(() =>
      stack.standIn.callsTo('chat.postMessage').some((c) => c.body.channel === 'CTWICE'),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await countJobs(`slack:cmd:${trigger}`)).toBe(1);
    expect(stack.standIn.callsTo('chat.postMessage').filter((c) => c.body.channel === 'CTWICE')).toHaveLength(
      1,
    );
  });

  it('turns a burst of 100 distinct commands into exactly 100 jobs and 100 threads', async () => {
    const channel = 'CBURST';
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        postSigned(
          stack.eventsUrl,
          slashCommandBody({
            text: `build a todo app number ${i}`,
            triggerId: `${stack.prefix}-burst-${i}`,
            channelId: channel,
          }),
          { secret: SIGNING_SECRET },
        ),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.every((r) => JSON.parse(r.body).text.startsWith('On it'))).toBe(true);
    const roots = () =>
      stack.standIn
        .callsTo('chat.postMessage')
        .filter((c) => c.body.channel === channel && !c.body.thread_ts);
    await stack.standIn.waitFor(() => roots().length >= 100, 30_000, '100 root messages');
    let jobs = 0;
    for (let i = 0; i < 100 && jobs < 100; i += 1) {
      jobs = await countJobs(`slack:cmd:${stack.prefix}-burst-`);
      if (jobs < 100) await new Promise((r) => setTimeout(r, 100));
    }
    expect(jobs).toBe(100);
    expect(roots()).toHaveLength(100);
    expect(new Set(roots().map((c) => c.ts)).size).toBe(100);
    const rows = await stack.prisma.generationRequest.findMany({
      where: { idempotencyKey: { startsWith: `slack:cmd:${stack.prefix}-burst-` } },
      select: { threadRef: true },
    });
    const threads = new Set(rows.map((r) => (r.threadRef as { threadTs: string }).threadTs));
    expect(threads.size).toBe(100);
  });
});
