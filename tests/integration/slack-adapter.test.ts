import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import { AutonomaError } from '../../src/core/errors.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { fakeResult } from '../helpers/job-fixtures.js';
import {
  buttonClickBody,
  eventBody,
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
  type RecordedCall,
  type SlackStack,
} from '../helpers/slack-stand-in.js';

/**
 * Whole jobs through Slack: signed requests in, a real queue and worker (with a scripted runner that
 * reports through the real progress reporter), progress fan-out to the adapter, and the stand-in's
 * record of what Slack would show.
 */
const runs = new Map<string, number>();
/** Jobs whose prompt says "held" wait here after their first stage, until a test lets them go. */
let releaseHeld = () => undefined as void;
const held = new Promise<void>((resolve) => (releaseHeld = resolve));

const runner: GenerationRunner = {
  async run(request, { progress, signal }) {
    const attempt = (runs.get(request.id) ?? 0) + 1;
    runs.set(request.id, attempt);
    if (request.prompt.includes('slow')) {
      await progress.stage('requirements', 'started', 'Reading the request');
      return new Promise((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason as Error);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    }
    await progress.stage('requirements', 'started', 'Reading the request');
    if (request.prompt.includes('held')) await held;
    await progress.milestone('requirements', 'Todo: a web app to manage tasks and tags.');
    await progress.stage('requirements', 'completed', 'Spec ready');
    if (request.prompt.includes('broken') || (request.prompt.includes('flaky') && attempt === 1)) {
      await progress.stage('validation', 'started', 'Running the tests');
      throw new AutonomaError('validation_failed', 'Tests failed: 2 of 7 (tasks.test.ts).');
    }
    for (const stage of ['architecture', 'frontend', 'backend', 'testing'] as const) {
      progress.addCost(0.01);
      await progress.stage(stage, 'started', `${stage} agent working`);
      await progress.stage(stage, 'completed', `${stage} done`);
    }
    await progress.stage('validation', 'completed', 'All checks passed');
    await progress.milestone('validation', 'Validation passed: install, lint, typecheck, 7 tests, build.');
    const pr = { number: 7, url: 'https://forge.example/acme/todo/pull/7', title: 'Todo app' };
    await progress.stage('publish', 'completed', 'Pull request #7 opened');
    await progress.milestone('publish', 'Pull request #7 opened: Todo app', [
      { label: 'Pull request', url: pr.url },
      { label: 'Repository', url: 'https://forge.example/acme/todo' },
    ]);
    return fakeResult(request, {
      repository: { forge: 'local', name: 'acme/todo', location: 'https://forge.example/acme/todo' },
      branch: 'autonoma/todo',
      pullRequest: pr,
      costUsd: 0.04,
      reviewSummary: 'Built Todo: tasks and tags, 7 tests passing.',
    });
  },
};

let stack: SlackStack;
let seq = 0;

beforeAll(async () => {
  // UADMIN may change anyone's job; everyone else only their own (core authorizeChange).
  stack = await startSlackStack({ runner, env: { AUTONOMA_ADMINS: 'slack:UADMIN,discord:123' } });
});

afterAll(async () => {
  await stack.close();
});

/** A fresh channel per test, so each test reads only its own calls. */
function channel(): string {
  seq += 1;
  return `C${stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase()}${seq}`;
}

const inChannel = (id: string) => stack.standIn.calls.filter((c) => c.body.channel === id);
const textOf = (call: RecordedCall | undefined) =>
  `${String(call?.body.text ?? '')} ${JSON.stringify(call?.body.blocks ?? '')}`;

async function slash(text: string, channelId: string, trigger = `${channelId}-${Date.now()}`) {
  const res = await postSigned(
    stack.eventsUrl,
    slashCommandBody({
      text,
      triggerId: trigger,
      channelId,
      responseUrl: stack.standIn.responseUrl(channelId),
    }),
    { secret: SIGNING_SECRET },
  );
  expect(res.status).toBe(200);
  return res;
}

async function click(actionId: string, channelId: string, messageTs: string, trigger: string, userId = 'U1') {
  const res = await postSigned(
    stack.eventsUrl,
    buttonClickBody({
      actionId,
      channelId,
      messageTs,
      userId,
      triggerId: trigger,
      responseUrl: stack.standIn.responseUrl(`${channelId}-${trigger}`),
    }),
    { secret: SIGNING_SECRET },
  );
  expect(res.status).toBe(200);
}

async function rootOf(channelId: string): Promise<RecordedCall> {
  return stack.standIn.waitFor(
    () => inChannel(channelId).find((c) => c.method === 'chat.postMessage' && !c.body.thread_ts),
    10_000,
    'the root status message',
  );
}

async function requestFor(channelId: string, ts: string): Promise<GenerationRequest> {
  // The status message is posted just before the request is stored: allow for that instant.
  for (let i = 0; i < 100; i += 1) {
    const request = await stack.service.findByThread({ platform: 'slack', channelId, statusMessageTs: ts });
    if (request) return request;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no request for ${channelId}/${ts}`);
}

async function finalReply(channelId: string, rootTs: string, marker: string): Promise<RecordedCall> {
  return stack.standIn.waitFor(
    () =>
      inChannel(channelId).find(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.body.thread_ts === rootTs &&
          String(c.body.text).startsWith(marker),
      ),
    20_000,
    `a thread reply starting with ${marker}`,
  );
}

describe('a Slack build, start to finish', () => {
  it('acks at once, roots a thread, edits the status in place at most once a second, and ends with the PR', async () => {
    const ch = channel();
    const ack = await slash('build a todo app with tags', ch);
    expect(JSON.parse(ack.body)).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^On it/),
    });
    expect(ack.ms).toBeLessThan(3000);
    const root = await rootOf(ch);
    expect(textOf(root)).toContain('Queued');
    const done = await finalReply(ch, root.ts!, '✅ Done');
    await stack.fanOut.idle();

    const calls = inChannel(ch);
    // Everything after the root is either an edit of the root or a reply in its thread.
    for (const call of calls.slice(1)) {
      if (call.method === 'chat.update') expect(call.body.ts).toBe(root.ts);
      else expect(call).toMatchObject({ method: 'chat.postMessage', body: { thread_ts: root.ts } });
    }
    const replies = calls.filter((c) => c.method === 'chat.postMessage' && c.body.thread_ts === root.ts);
    expect(replies.map((r) => [...String(r.body.text)][0])).toEqual(['🧭', '🧪', '🔀', '✅']);
    expect(replies[0]?.body.text).toContain('Spec understood: Todo: a web app to manage tasks and tags.');
    expect(replies[2]?.body.text).toContain('<https://forge.example/acme/todo/pull/7|Pull request>');
    expect(done.body.text).toContain('https://forge.example/acme/todo/pull/7');

    const updates = calls.filter((c) => c.method === 'chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    // ~17 progress events became a handful of edits, never two within the same second.
    expect(updates.length).toBeLessThan(6);
    for (let i = 1; i < updates.length; i += 1) {
      expect(updates[i]!.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(950);
    }
    const last = textOf(updates.at(-1));
    expect(last).toContain('✅ Built');
    expect(last).toContain('100%');
    expect(last).toContain('Built Todo: tasks and tags, 7 tests passing.');
    expect(last).toContain('"action_id":"autonoma_open_pr"');
    expect(last).toContain('"url":"https://forge.example/acme/todo/pull/7"');
    expect(last).not.toContain('autonoma_cancel');

    const request = await requestFor(ch, root.ts!);
    expect(request).toMatchObject({ status: 'succeeded', source: 'slack', kind: 'build' });
    expect(request.thread).toEqual({
      platform: 'slack',
      teamId: 'T1',
      channelId: ch,
      threadTs: root.ts,
      statusMessageTs: root.ts,
    });
    expect(request.idempotencyKey).toMatch(/^slack:cmd:/);
  });

  it('keeps replying in the same thread when the server restarts mid-job', async () => {
    const ch = channel();
    await slash('build a held todo app', ch);
    const root = await rootOf(ch);
    const request = await requestFor(ch, root.ts!);
    // The first server has shown the job running: it holds the job's replies when it stops.
    await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => c.method === 'chat.update' && c.body.ts === root.ts),
      10_000,
      'the status message to show the job running',
    );
    await stack.fanOut.idle();
    // A new web tier: new adapter, new fan-out, nothing in memory but what Postgres and Redis hold.
    await stack.restartWebTier();
    releaseHeld();
    const done = await finalReply(ch, root.ts!, '✅ Done');
    await stack.fanOut.idle();

    const calls = inChannel(ch);
    expect(calls.filter((c) => c.method === 'chat.postMessage' && !c.body.thread_ts)).toEqual([root]);
    for (const call of calls.slice(1)) {
      if (call.method === 'chat.update') expect(call.body.ts).toBe(root.ts);
      else expect(call).toMatchObject({ method: 'chat.postMessage', body: { thread_ts: root.ts } });
    }
    expect(done.body.text).toContain('https://forge.example/acme/todo/pull/7');
    const last = calls.filter((c) => c.method === 'chat.update').at(-1);
    expect(textOf(last)).toContain('✅ Built');
    // The new server answers commands about the job too.
    const status = JSON.parse((await slash('status', ch)).body) as { text: string };
    expect(status.text).toContain(request.id);
  });

  it('reports a failed job in the thread with what failed, what to do, and a Retry button that works once on a double click', async () => {
    const ch = channel();
    await slash('build a flaky todo app', ch);
    const root = await rootOf(ch);
    const failed = await finalReply(ch, root.ts!, '❌ Failed');
    expect(failed.body.text).toContain('during *Validation*');
    expect(failed.body.text).toContain('Tests failed: 2 of 7 (tasks.test.ts).');
    expect(failed.body.text).toContain('*What to do:*');
    await stack.fanOut.idle();
    const lastUpdate = inChannel(ch)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    expect(textOf(lastUpdate)).toContain('❌ Failed');
    expect(textOf(lastUpdate)).toContain('"action_id":"autonoma_retry"');
    expect(textOf(lastUpdate)).not.toContain('autonoma_cancel');
    const request = await requestFor(ch, root.ts!);
    expect(request).toMatchObject({ status: 'failed', errorCode: 'validation_failed' });

    // Two clicks, two trigger ids, one retry.
    await Promise.all([
      click('autonoma_retry', ch, root.ts!, `${ch}-r1`),
      click('autonoma_retry', ch, root.ts!, `${ch}-r2`),
    ]);
    await finalReply(ch, root.ts!, '✅ Done');
    await stack.fanOut.idle();
    expect(runs.get(request.id)).toBe(2);
    const retryNotes = inChannel(ch).filter((c) => String(c.body.text).startsWith('🔁'));
    expect(retryNotes).toHaveLength(1);
    expect(retryNotes[0]?.body.thread_ts).toBe(root.ts);
    expect((await requestFor(ch, root.ts!)).status).toBe('succeeded');
  });

  it('cancels a running job from its Cancel button', async () => {
    const ch = channel();
    await slash('build a slow todo app', ch);
    const root = await rootOf(ch);
    const request = await requestFor(ch, root.ts!);
    for (let i = 0; i < 100 && (await stack.service.get(request.id))?.status !== 'running'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Someone else in the channel presses Cancel: told privately who can, and the job runs on.
    await click('autonoma_cancel', ch, root.ts!, `${ch}-c0`, 'U9');
    const refused = await stack.standIn.waitFor(
      () =>
        stack.standIn.calls.find((c) => c.method === 'response' && c.body.responseId === `${ch}-${ch}-c0`),
      10_000,
      'the refusal of a stranger’s click',
    );
    expect(refused.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Only <@U1> or a workspace admin can cancel this job.',
    });
    expect((await stack.service.get(request.id))?.status).toBe('running');
    await click('autonoma_cancel', ch, root.ts!, `${ch}-c1`);
    const answer = await stack.standIn.waitFor(
      () =>
        stack.standIn.calls.find((c) => c.method === 'response' && c.body.responseId === `${ch}-${ch}-c1`),
      10_000,
      'the ephemeral answer to the click',
    );
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toContain('Cancelling job');
    const cancelled = await finalReply(ch, root.ts!, '🛑 Cancelled');
    expect(cancelled.body.text).toContain('Retry');
    await stack.fanOut.idle();
    expect((await stack.service.get(request.id))?.status).toBe('cancelled');
    const lastUpdate = inChannel(ch)
      .filter((c) => c.method === 'chat.update')
      .at(-1);
    expect(textOf(lastUpdate)).toContain('🛑 Cancelled');
    expect(textOf(lastUpdate)).toContain('"action_id":"autonoma_retry"');
  });

  it("starts an iteration on the job's pull request from a reply in its thread, and ignores bots and edits", async () => {
    const ch = channel();
    await slash('build a todo app with tags', ch);
    const root = await rootOf(ch);
    await finalReply(ch, root.ts!, '✅ Done');
    const parent = await requestFor(ch, root.ts!);
    const send = (event: Record<string, unknown>, id: string) =>
      postSigned(
        stack.eventsUrl,
        eventBody({ type: 'message', channel: ch, channel_type: 'channel', ...event }, id),
        {
          secret: SIGNING_SECRET,
          json: true,
        },
      );

    // Not requests: another bot in the thread, our own post, an edit, a top-level channel message.
    await send({ bot_id: 'BOTHER', text: 'beep', ts: '1800009000.000001', thread_ts: root.ts }, `${ch}-e1`);
    await send({ user: 'UAUTONOMA', text: 'echo', ts: '1800009000.000002', thread_ts: root.ts }, `${ch}-e2`);
    await send(
      {
        subtype: 'message_changed',
        message: { text: 'edited' },
        ts: '1800009000.000003',
        thread_ts: root.ts,
      },
      `${ch}-e3`,
    );
    await send({ user: 'U2', text: 'lunch?', ts: '1800009000.000004' }, `${ch}-e4`);

    // Someone other than the requester (U1) replies: a private refusal, and nothing is queued.
    await send(
      { user: 'U2', text: 'make it all purple', ts: '1800009000.000006', thread_ts: root.ts },
      `${ch}-e6`,
    );
    const refusal = await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => c.method === 'chat.postEphemeral' && c.body.user === 'U2'),
      10_000,
      'the refusal of a stranger’s reply',
    );
    expect(refusal.body).toMatchObject({
      thread_ts: root.ts,
      text: 'Only <@U1> or a workspace admin can change this app.',
    });
    expect(await stack.prisma.generationRequest.count({ where: { parentRequestId: parent.id } })).toBe(0);

    const replyTs = '1800009000.000005';
    await send({ user: 'U1', text: 'also add a due date', ts: replyTs, thread_ts: root.ts }, `${ch}-e5`);
    const iterationStatus = await stack.standIn.waitFor(
      () =>
        inChannel(ch).find(
          (c) =>
            c.method === 'chat.postMessage' && c.body.thread_ts === root.ts && textOf(c).includes('change:'),
        ),
      10_000,
      'the iteration status message',
    );
    const iteration = await requestFor(ch, iterationStatus.ts!);
    // The same reply delivered again once its iteration is stored (the thread's latest job is now
    // the one it started): nothing more is said or started.
    await send(
      { user: 'U1', text: 'also add a due date', ts: replyTs, thread_ts: root.ts },
      `${ch}-e5-again`,
    );
    expect(iteration).toMatchObject({
      kind: 'iterate',
      prompt: 'also add a due date',
      parentRequestId: parent.id,
      target: { forge: 'local', repo: 'acme/todo', number: 7, branch: 'autonoma/todo' },
      idempotencyKey: `slack:msg:${ch}:${replyTs}`,
    });
    expect(iteration.thread).toMatchObject({ threadTs: root.ts, statusMessageTs: iterationStatus.ts });
    const iterations = await stack.prisma.generationRequest.count({ where: { parentRequestId: parent.id } });
    expect(iterations).toBe(1);
    // The iteration's own progress edits its own status message, in the same thread.
    await stack.standIn.waitFor(
      () => inChannel(ch).find((c) => c.method === 'chat.update' && c.body.ts === iterationStatus.ts),
      20_000,
      'an edit of the iteration status',
    );
    await stack.standIn.waitFor(
      () => inChannel(ch).filter((c) => String(c.body.text).startsWith('✅ Done')).length === 2,
      20_000,
      'the iteration to finish',
    );
    expect(inChannel(ch).filter((c) => textOf(c).includes('still working'))).toEqual([]);

    // An admin may change it too, although the thread's latest job is U1's iteration.
    await send(
      { user: 'UADMIN', text: 'add a dark mode', ts: '1800009000.000007', thread_ts: root.ts },
      `${ch}-e7`,
    );
    const adminStatus = await stack.standIn.waitFor(
      () =>
        inChannel(ch).find(
          (c) =>
            c.method === 'chat.postMessage' && textOf(c).includes('change:') && textOf(c).includes('dark'),
        ),
      10_000,
      'the admin’s iteration status message',
    );
    expect(await requestFor(ch, adminStatus.ts!)).toMatchObject({
      kind: 'iterate',
      parentRequestId: parent.id,
    });
    const all = await stack.prisma.generationRequest.findMany({
      where: { parentRequestId: parent.id },
      select: { prompt: true },
    });
    expect(all.map((r) => r.prompt).sort()).toEqual(['add a dark mode', 'also add a due date']);
    await stack.standIn.waitFor(
      () => inChannel(ch).filter((c) => String(c.body.text).startsWith('✅ Done')).length === 3,
      20_000,
      'the admin’s iteration to finish',
    );
    await stack.fanOut.idle();
  });

  it('waits out a 429 from chat.update for the time Slack asks', async () => {
    const ch = channel();
    stack.standIn.failNext('chat.update', { status: 429, retryAfterSeconds: 1 });
    await slash('build a todo app with tags', ch);
    const root = await rootOf(ch);
    await finalReply(ch, root.ts!, '✅ Done');
    await stack.fanOut.idle();
    const updates = inChannel(ch).filter((c) => c.method === 'chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[1]!.at - updates[0]!.at).toBeGreaterThanOrEqual(950);
    expect(textOf(updates.at(-1))).toContain('✅ Built');
  });
});
