import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { slashCommandEnvelope } from '../helpers/slack-socket-stand-in.js';
import { slashCommandBody, startSlackStack, type SlackStack } from '../helpers/slack-stand-in.js';

/**
 * Socket Mode (SLACK_APP_TOKEN set): the adapter opens a websocket via `apps.connections.open` at
 * SLACK_API_URL and gets commands as envelopes, acked over the same socket (no worker: jobs stay queued).
 */
let stack: SlackStack;

beforeAll(async () => {
  stack = await startSlackStack({ env: { SLACK_APP_TOKEN: 'xapp-1-A1-1-test' } });
});

afterAll(async () => {
  await stack.close();
});

const command = (name: string, text: string) =>
  slashCommandEnvelope(
    `${stack.prefix}-env-${name}`,
    slashCommandBody({
      text,
      triggerId: `${stack.prefix}-${name}`,
      responseUrl: stack.standIn.responseUrl(name),
    }),
  );

const ephemeral = (text: string) => ({ response_type: 'ephemeral', text: expect.stringContaining(text) });

/** Polls for the job a command stored (it is started after the ack). */
async function jobFor(name: string) {
  const idempotencyKey = `slack:cmd:${stack.prefix}-${name}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const job = await stack.prisma.generationRequest.findUnique({ where: { idempotencyKey } });
    if (job) return { ...job, thread: job.threadRef as Record<string, unknown> };
    if (Date.now() > deadline) throw new Error(`no job stored for ${idempotencyKey}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const postsAbout = (prompt: string) =>
  stack.standIn.callsTo('chat.postMessage').filter((c) => String(c.body.text).includes(prompt));

describe('Slack adapter in Socket Mode', () => {
  it('opened one socket with the app token, at SLACK_API_URL, and serves no HTTP route', () => {
    expect(stack.adapter.mode).toBe('socket');
    expect(stack.adapter.routes).toEqual([]);
    expect(stack.standIn.callsTo('auth.test')).toHaveLength(1);
    expect(stack.standIn.callsTo('apps.connections.open')).toHaveLength(1);
    expect(stack.standIn.socketMode.connections).toBe(1);
  });

  it('answers /autonoma help with its usage text in the ack payload', async () => {
    const envelope = command('help', 'help');
    const ack = await stack.standIn.socketMode.deliver(envelope);
    expect(ack).toEqual({
      envelope_id: envelope.envelope_id,
      payload: ephemeral('`/autonoma build <description>`'),
    });
  });

  it('acks a build with "On it", then posts the thread root and stores the job', async () => {
    const envelope = command('build', 'build a todo app with tags');
    const ack = await stack.standIn.socketMode.deliver(envelope);
    expect(ack).toEqual({ envelope_id: envelope.envelope_id, payload: ephemeral('On it') });

    const job = await jobFor('build');
    expect(job).toMatchObject({ kind: 'build', prompt: 'a todo app with tags', sourcePlatform: 'slack' });
    const [root, ...more] = postsAbout('a todo app with tags');
    expect(more).toHaveLength(0);
    expect(root?.body.channel).toBe('C1');
    expect(root?.body.thread_ts).toBeUndefined();
    expect(job.thread).toEqual({
      platform: 'slack',
      teamId: 'T1',
      channelId: 'C1',
      threadTs: root?.ts,
      statusMessageTs: root?.ts,
    });
  });

  it('makes one job of an envelope delivered twice', async () => {
    const retried = command('retried', 'build a recipe box');
    const acks = [
      await stack.standIn.socketMode.deliver(retried),
      await stack.standIn.socketMode.deliver(retried),
    ];
    for (const ack of acks) expect(ack.payload).toEqual(ephemeral('On it'));
    // A later command is the barrier: deliveries are handled in order and dropping a retry is less work
    // than starting a job, so once the later job is stored the retry has been dealt with too.
    await stack.standIn.socketMode.deliver(command('barrier', 'build a habit tracker'));
    const [job] = await Promise.all([jobFor('retried'), jobFor('barrier')]);

    const posts = postsAbout('a recipe box');
    expect(posts.map((p) => p.ts)).toEqual([job.thread.threadTs]);
    expect(stack.standIn.callsTo('chat.delete')).toHaveLength(0);
    const rows = await stack.prisma.generationRequest.count({
      where: { idempotencyKey: { startsWith: `slack:cmd:${stack.prefix}-retried` } },
    });
    expect(rows).toBe(1);
  });

  it('closes its socket cleanly on stop and does not reconnect', async () => {
    await stack.adapter.stop?.();
    const closes = await stack.standIn.waitFor(
      () => stack.standIn.socketMode.closes.length > 0 && stack.standIn.socketMode.closes,
      5_000,
      'the socket to close',
    );
    expect(closes).toEqual([1000]);
    expect(stack.standIn.socketMode.connections).toBe(1);
    expect(stack.standIn.callsTo('apps.connections.open')).toHaveLength(1);
  });
});
