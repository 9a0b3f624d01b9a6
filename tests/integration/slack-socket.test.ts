import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACTION_CANCEL } from '../../src/adapters/slack/blocks.js';
import {
  eventEnvelope,
  interactiveEnvelope,
  slashCommandEnvelope,
} from '../helpers/slack-socket-stand-in.js';
import {
  BOT_USER_ID,
  buttonClickBody,
  eventBody,
  slashCommandBody,
  startSlackStack,
  storedRequest,
  type SlackStack,
} from '../helpers/slack-stand-in.js';

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
  return jobWithKey(`slack:cmd:${stack.prefix}-${name}`);
}

async function jobWithKey(idempotencyKey: string) {
  const job = await storedRequest(stack.prisma, idempotencyKey);
  return { ...job, thread: job.threadRef as Record<string, unknown> };
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

  it('starts a build from a mention delivered as an Events API envelope, once when re-delivered', async () => {
    const ts = '1700000100.000100';
    const mention = { type: 'app_mention', user: 'U1', text: `<@${BOT_USER_ID}> build a kanban board`, ts };
    const body = eventBody({ ...mention, channel: 'C2' }, `Ev${stack.prefix}`);
    const first = eventEnvelope(`${stack.prefix}-env-mention`, body);
    // Slack re-delivers an envelope it thinks was not acked, with a new retry_attempt.
    const again = eventEnvelope(`${stack.prefix}-env-mention`, body, 1);
    const acks = [
      await stack.standIn.socketMode.deliver(first),
      await stack.standIn.socketMode.deliver(again),
    ];
    // Events carry nothing back: the ack is the envelope id with an empty payload.
    const ack = { envelope_id: first.envelope_id, payload: {} };
    expect(acks).toEqual([ack, ack]);

    const job = await jobWithKey(`slack:msg:C2:${ts}`);
    expect(job).toMatchObject({ kind: 'build', prompt: 'a kanban board', sourcePlatform: 'slack' });
    await stack.standIn.socketMode.deliver(command('after-mention', 'build a reading list'));
    await jobFor('after-mention');
    const posts = postsAbout('a kanban board');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body).toMatchObject({ channel: 'C2', thread_ts: ts });
    expect(job.thread).toMatchObject({ channelId: 'C2', threadTs: ts, statusMessageTs: posts[0]?.ts });
  });

  it('cancels a queued job from its Cancel button, delivered as an interactive envelope', async () => {
    await stack.standIn.socketMode.deliver(command('to-cancel', 'build a packing list'));
    const job = await jobFor('to-cancel');
    const rootTs = String(job.thread.statusMessageTs);
    const click = interactiveEnvelope(
      `${stack.prefix}-env-cancel`,
      buttonClickBody({
        actionId: ACTION_CANCEL,
        messageTs: rootTs,
        triggerId: `${stack.prefix}-cancel-click`,
        responseUrl: stack.standIn.responseUrl(`${stack.prefix}-cancel`),
      }),
    );
    expect(await stack.standIn.socketMode.deliver(click)).toEqual({
      envelope_id: click.envelope_id,
      payload: {},
    });

    const answer = await stack.standIn.waitFor(
      () => stack.standIn.callsTo('response').find((c) => c.body.responseId === `${stack.prefix}-cancel`),
      10_000,
      'the answer to the click',
    );
    expect(answer.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining(`Cancelled job \`${job.id}\``),
    });
    expect((await stack.service.get(job.id))?.status).toBe('cancelled');
    // The thread's status message shows it, through the same progress events as any job.
    const update = await stack.standIn.waitFor(
      () => stack.standIn.callsTo('chat.update').find((c) => c.body.ts === rootTs),
      10_000,
      'the status message to show the cancel',
    );
    expect(String(update.body.text)).toMatch(/cancel/i);
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
