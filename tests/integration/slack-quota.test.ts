import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import {
  postSigned,
  SIGNING_SECRET,
  slashCommandBody,
  startSlackStack,
  type SlackStack,
} from '../helpers/slack-stand-in.js';

/**
 * A quota reached, seen from Slack: a signed slash command past the user's limit of jobs at once gets
 * the refusal in its own status message (what the limit is, when to try again), and nothing is queued.
 */
let stack: SlackStack;
let release = () => undefined as void;
const held = new Promise<void>((resolve) => (release = resolve));

const runner: GenerationRunner = {
  async run(_request, { progress }) {
    await progress.stage('requirements', 'started', 'Reading the request');
    await held;
    throw new Error('released at the end of the test');
  },
};

beforeAll(async () => {
  stack = await startSlackStack({ runner, env: { AUTONOMA_QUOTA_USER_CONCURRENT: '1' } });
});

afterAll(async () => {
  release();
  await stack.close();
});

async function slash(text: string, channelId: string, userId: string): Promise<void> {
  const res = await postSigned(
    stack.eventsUrl,
    slashCommandBody({
      text,
      triggerId: `${channelId}-trigger`,
      channelId,
      userId,
      responseUrl: stack.standIn.responseUrl(channelId),
    }),
    { secret: SIGNING_SECRET },
  );
  expect(res.status).toBe(200);
}

async function until<T>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it("refuses a user's second job at once in its thread, naming the limit, and queues nothing", async () => {
  const suffix = stack.prefix.replace(/[^a-z0-9]/gi, '').toUpperCase();
  const [first, second, user] = [`CQA${suffix}`, `CQB${suffix}`, `UQ${suffix}`];
  await slash('build a habit tracker', first, user);
  await until(
    async () =>
      (await stack.store.listRequests({ limit: 50 })).find(
        (r) => r.thread.platform === 'slack' && 'channelId' in r.thread && r.thread.channelId === first,
      ),
    'the first job',
  );
  await slash('build a reading list', second, user);
  const refusal = await until(
    () =>
      stack.standIn.calls.find(
        (c) =>
          c.method === 'chat.update' &&
          c.body.channel === second &&
          String(c.body.text).includes('Not started'),
      ),
    'the refusal',
  );
  expect(String(refusal.body.text)).toContain('You already have 1 job queued or running (limit 1)');
  expect(String(refusal.body.text)).toContain('AUTONOMA_QUOTA_USER_CONCURRENT');
  const requests = await stack.store.listRequests({ limit: 200 });
  const inSecond = requests.filter((r) => 'channelId' in r.thread && r.thread.channelId === second);
  expect(inSecond).toHaveLength(0);
});
