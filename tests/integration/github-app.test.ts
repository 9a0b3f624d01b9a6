import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync, randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import nock from 'nock';
import { createGitHubAppAdapter, CHECK_NAME } from '../../src/adapters/github/app/index.js';
import { createGitHubOctokit } from '../../src/adapters/github/forge/index.js';
import { createHttpApp, createMetrics, startHttpServer } from '../../src/adapters/http/index.js';
import type { GenerationRequest, JobResult } from '../../src/core/domain/request.js';
import type { ChatAdapter } from '../../src/core/ports/chat-adapter.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer } from '../../src/jobs/generation-queue.js';
import { createGenerationService } from '../../src/jobs/generation-service.js';
import { startTestWorker } from '../helpers/test-worker.js';
import { createProgressFanOut } from '../../src/jobs/progress-fan-out.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { createRedisStateStore } from '../../src/jobs/redis-state-store.js';
import { loadGitHubRestSchema, type GitHubRestSchema } from '../helpers/github-openapi.js';
import { GitHubStandIn } from '../helpers/github-stand-in.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import {
  ensureTestDatabase,
  memoryLogger,
  REPO_ROOT,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  testConfig,
  uniquePrefix,
} from '../helpers/test-env.js';

// GitHub Enterprise Server style: proves GITHUB_API_URL reaches every call, App auth included.
const API = 'https://ghe.example.test/api/v3';
const WEB = 'https://ghe.example.test';
const SECRET = 'webhook-secret-for-tests';
const OWNER = 'Codertocat';
const INSTALLATION = 1;
const BRANCH = 'autonoma/todo';
const BUILD_SHA = 'a'.repeat(40);
const ITERATION_SHA = 'b'.repeat(40);

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
const { logger } = memoryLogger('silent');
const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let schema: GitHubRestSchema;

beforeAll(async () => {
  await ensureTestDatabase();
  schema = await loadGitHubRestSchema();
});

afterAll(async () => {
  await redis.quit();
  await prisma.$disconnect();
});

/** The parts of a fixture the tests touch; the rest travels as recorded. */
interface Payload {
  repository: { id: number; name: string; full_name: string };
  review: { id: number };
  sender: Record<string, unknown>;
  comment: { id: number; body: string; user: unknown };
  [field: string]: unknown;
}

async function fixture(name: string): Promise<Payload> {
  const file = path.join(REPO_ROOT, 'tests/fixtures/github', `${name}.json`);
  return JSON.parse(await readFile(file, 'utf8')) as Payload;
}

/** A fixture pointed at a repository of this run (fresh ids keep runs on one database apart). */
async function payloadFor(name: string, repo: { id: number; name: string }): Promise<Payload> {
  const payload = await fixture(name);
  payload.repository.id = repo.id;
  payload.repository.name = repo.name;
  payload.repository.full_name = `${OWNER}/${repo.name}`;
  return payload;
}

const validation = {
  ok: true,
  syntax: { ok: true, durationMs: 5 },
  install: { ok: true, durationMs: 900 },
  typecheck: { ok: true, durationMs: 1200 },
  test: { ok: true, durationMs: 2100 },
  build: { ok: true, durationMs: 800 },
  repairRounds: 0,
};

interface Harness {
  url: string;
  prefix: string;
  github: GitHubStandIn;
  runs: GenerationRequest[];
  adapter: ChatAdapter;
  deliver(event: string, payload: unknown, options?: { id?: string; secret?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real service, queue, worker, progress fan-out and HTTP app on Postgres and Redis; a fake runner
 * that reports progress through the real reporter and returns a published result; GitHub at nock.
 */
async function harness(
  generatedRepo: string,
  slowRunner?: GenerationRunner,
  env: Record<string, string> = {},
): Promise<Harness> {
  const prefix = uniquePrefix();
  const github = new GitHubStandIn(API, schema);
  github.expect('POST', `/app/installations/${INSTALLATION}/access_tokens`, {
    status: 201,
    body: { token: 'ghs_installation', expires_at: new Date(Date.now() + 3600_000).toISOString() },
  });
  const runs: GenerationRequest[] = [];
  const runner: GenerationRunner = {
    async run(request, context): Promise<JobResult> {
      const { progress } = context;
      runs.push(request);
      if (slowRunner) return slowRunner.run(request, context);
      const iterate = request.kind === 'iterate';
      await progress.stage('requirements', 'started', 'Reading the request');
      await progress.stage('requirements', 'completed', 'Two entities');
      progress.addCost(0.0123);
      await progress.stage('validation', 'started', 'Installing, type-checking, testing, building');
      await progress.stage('validation', 'completed', 'All checks passed');
      await progress.stage('publish', 'started', 'Publishing');
      const sha = iterate ? ITERATION_SHA : BUILD_SHA;
      await store.recordPullRequest({
        requestId: request.parentRequestId ?? request.id,
        forge: 'github',
        repo: `${OWNER}/${generatedRepo}`,
        repoUrl: `${WEB}/${OWNER}/${generatedRepo}`,
        number: 2,
        url: `${WEB}/${OWNER}/${generatedRepo}/pull/2`,
        title: 'Todo: generated by Autonoma',
        body: 'Body',
        branch: BRANCH,
        baseBranch: 'main',
        headSha: sha,
      });
      await progress.stage('publish', 'completed', 'Pull request #2 opened');
      return fakeResult(request, {
        repository: {
          forge: 'github',
          name: `${OWNER}/${generatedRepo}`,
          location: `${WEB}/${OWNER}/${generatedRepo}`,
        },
        branch: BRANCH,
        commitSha: sha,
        pullRequest: {
          number: 2,
          url: `${WEB}/${OWNER}/${generatedRepo}/pull/2`,
          title: 'Todo: generated by Autonoma',
        },
        validation,
        costUsd: 0.0123,
        reviewSummary: iterate
          ? `Renamed the page heading and fixed the README typo.\n\nCommitted ${sha.slice(0, 7)} to ${BRANCH}.`
          : 'Built Todo with tasks and tags.',
      });
    },
  };
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1, backoffMs: 100 });
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  const worker = await startTestWorker({
    store,
    bus,
    redis,
    namespace: prefix,
    runner,
    logger,
    concurrency: 1,
  });
  const service = createGenerationService({ store, producer, bus, redis, namespace: prefix });
  const config = testConfig({
    GITHUB_APP_ID: '12345',
    GITHUB_PRIVATE_KEY: privateKey,
    GITHUB_WEBHOOK_SECRET: SECRET,
    GITHUB_API_URL: API,
    GITHUB_WEB_URL: WEB,
    GITHUB_ALLOWED_USERS: '',
    GITHUB_MAX_ITERATIONS: '2',
    ...env,
  }).github;
  const adapter = createGitHubAppAdapter({
    config,
    service,
    store,
    state: createRedisStateStore({ client: redis, prefix }),
    logger,
    octokitFactory: (installationId) =>
      createGitHubOctokit({
        apiUrl: API,
        appId: config.appId!,
        privateKey: config.privateKey!,
        installationId,
        waitUnitMs: 0,
        retries: 0,
        throttle: false,
      }),
  });
  const fanOut = createProgressFanOut({
    bus,
    store,
    state: createRedisStateStore({ client: redis, prefix }),
    adapters: [adapter],
    logger,
  });
  await fanOut.start();
  await adapter.start?.();
  const app = createHttpApp({
    logger,
    bodyLimit: '1mb',
    metrics: createMetrics(),
    readiness: {},
    mount: (express) => {
      for (const route of adapter.routes ?? []) express.use(route.path, route.handler);
    },
  });
  const server = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  return {
    url: server.url,
    prefix,
    github,
    runs,
    adapter,
    deliver(event, payload, options = {}) {
      const body = JSON.stringify(payload);
      const signature = createHmac('sha256', options.secret ?? SECRET)
        .update(body)
        .digest('hex');
      return fetch(`${server.url}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': options.id ?? randomUUID(),
          'x-hub-signature-256': `sha256=${signature}`,
        },
        body,
      });
    },
    async close() {
      await server.close();
      await fanOut.stop();
      await worker.close();
      await bus.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
    },
  };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function callsTo(github: GitHubStandIn, method: string, pattern: RegExp) {
  return github.calls.filter((c) => c.method === method && pattern.test(c.path));
}

const permission = (level: string) => ({
  status: 200,
  body: { permission: level, role_name: level, user: { login: OWNER } },
});

/** The build request that opened pull request #2 on `autonoma/todo` in `Codertocat/<name>`. */
async function openedPullRequest(name: string): Promise<GenerationRequest> {
  const full = `${OWNER}/${name}`;
  const { request } = await store.createRequest(requestInput({ prompt: 'a todo app' }));
  await store.recordPullRequest({
    requestId: request.id,
    forge: 'github',
    repo: full,
    repoUrl: `${WEB}/${full}`,
    number: 2,
    url: `${WEB}/${full}/pull/2`,
    title: 'Todo: generated by Autonoma',
    body: 'Body',
    branch: BRANCH,
    baseBranch: 'main',
    headSha: BUILD_SHA,
  });
  return request;
}

/** GitHub's answer to `GET /repos/{owner}/{repo}/pulls/2`, the fields the adapter reads. */
const pullRequest = {
  status: 200,
  body: { number: 2, state: 'open', head: { ref: BRANCH, sha: BUILD_SHA } },
};

/** The same comment fixture as another comment (its own id and words), as a new comment would be. */
function anotherComment(payload: Payload, id: number, body: string): Payload {
  return { ...payload, comment: { ...payload.comment, id, body } };
}

/** A runner that reports one stage, then waits until the job is cancelled. */
const untilCancelled: GenerationRunner = {
  run: async (_request, { progress, signal }) => {
    await progress.stage('requirements', 'started', 'Reading the request');
    return new Promise((_resolve, reject) => {
      if (signal.aborted) reject(signal.reason as Error);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    });
  },
};

const bodyOf = (call: { body: unknown } | undefined) => (call?.body as { body: string }).body;

let h: Harness | undefined;

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});

afterEach(async () => {
  await h?.close();
  h = undefined;
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('GitHub App adapter', () => {
  it('builds from a labelled issue: one job, one comment edited in place, a check run; redeliveries add nothing', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    const generated = `todo-${randomUUID().slice(0, 8)}`;
    h = await harness(generated);
    const issue = `/repos/${OWNER}/${repo.name}/issues/1`;
    h.github
      .expect('POST', `${issue}/reactions`, { status: 201, body: { id: 1, content: 'eyes' } }, { times: 2 })
      .expect('GET', `/repos/${OWNER}/${repo.name}/collaborators/${OWNER}/permission`, permission('write'), {
        times: 2,
      })
      .expect('GET', `${issue}/comments`, { status: 200, body: [] })
      .expect('POST', `${issue}/comments`, { status: 201, body: { id: 555, body: '' } })
      .expect(
        'PATCH',
        `/repos/${OWNER}/${repo.name}/issues/comments/555`,
        { status: 200, body: { id: 555 } },
        { times: 30 },
      )
      .expect(
        'GET',
        `/repos/${OWNER}/${generated}/commits/${BUILD_SHA}/check-runs`,
        { status: 200, body: { total_count: 0, check_runs: [] } },
        { query: { check_name: CHECK_NAME, filter: 'latest', per_page: 10 } },
      )
      .expect('POST', `/repos/${OWNER}/${generated}/check-runs`, { status: 201, body: { id: 9 } });

    const payload = await payloadFor('issues.labeled', repo);
    const delivery = randomUUID();
    const first = await h.deliver('issues', payload, { id: delivery });
    expect(first.status).toBe(200);
    await waitFor('the check run', () => callsTo(h!.github, 'POST', /check-runs$/).length === 1);

    // The same delivery again, then the same label added a second time (a new delivery).
    expect((await h.deliver('issues', payload, { id: delivery })).status).toBe(200);
    expect((await h.deliver('issues', payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));

    const key = `github:${repo.id}:issue:1:build`;
    expect(await prisma.generationRequest.count({ where: { idempotencyKey: key } })).toBe(1);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]).toMatchObject({
      kind: 'build',
      source: 'github',
      thread: {
        platform: 'github',
        installationId: INSTALLATION,
        owner: OWNER,
        repo: repo.name,
        issueNumber: 1,
      },
    });
    expect(h.runs[0]!.prompt).toContain('Spelling error in the README file');
    expect(callsTo(h.github, 'POST', /reactions$/).map((c) => c.body)).toEqual([
      { content: 'eyes' },
      { content: 'eyes' },
    ]);

    // One comment, then edits of that same comment; the last one carries the outcome.
    expect(callsTo(h.github, 'POST', /issues\/1\/comments$/)).toHaveLength(1);
    const edits = callsTo(h.github, 'PATCH', /issues\/comments\/555$/);
    expect(edits.length).toBeGreaterThanOrEqual(2);
    const final = (edits.at(-1)!.body as { body: string }).body;
    const requestId = h.runs[0]!.id;
    expect(final).toContain(`<!-- autonoma:progress:${requestId} -->`);
    expect(final).toContain('Your app is ready');
    expect(final).toContain(`[Pull request #2](${WEB}/${OWNER}/${generated}/pull/2)`);
    expect(final).toContain('- ✅ Validation\n');
    expect(final).toContain('$0.0123');
    expect(final).toContain('Built Todo with tasks and tags');
    const stored = await store.getRequest(requestId);
    expect(stored?.thread).toMatchObject({ commentId: 555 });

    const [check] = callsTo(h.github, 'POST', /check-runs$/);
    expect(check!.body).toMatchObject({
      name: CHECK_NAME,
      head_sha: BUILD_SHA,
      status: 'completed',
      conclusion: 'success',
      details_url: `${WEB}/${OWNER}/${repo.name}/issues/1`,
      output: { title: 'Typecheck, tests and build passed' },
    });
    expect((check!.body as { output: { summary: string } }).output.summary).toContain(
      '| typecheck | ✅ passed |',
    );
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('refuses, once, someone without write access', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    h = await harness('unused');
    const issue = `/repos/${OWNER}/${repo.name}/issues/1`;
    const marker = `<!-- autonoma:refusal:${OWNER.toLowerCase()} -->`;
    h.github
      .expect('POST', `${issue}/reactions`, { status: 201, body: { id: 1, content: 'eyes' } }, { times: 2 })
      .expect('GET', `/repos/${OWNER}/${repo.name}/collaborators/${OWNER}/permission`, permission('read'), {
        times: 2,
      })
      .expect('GET', `${issue}/comments`, { status: 200, body: [] })
      .expect(
        'POST',
        `${issue}/comments`,
        { status: 201, body: { id: 600, body: '' } },
        {
          respond: (body) => ({ status: 201, body: { id: 600, ...(body as object) } }),
        },
      );
    const payload = await payloadFor('issues.labeled', repo);
    expect((await h.deliver('issues', payload)).status).toBe(200);
    const [refusal] = callsTo(h.github, 'POST', /issues\/1\/comments$/);
    const body = (refusal!.body as { body: string }).body;
    expect(body).toContain('Only people with write access');
    expect(body).toContain(marker);

    // Asked again (a new delivery): the refusal is already there, so nothing is posted.
    h.github.expect('GET', `${issue}/comments`, { status: 200, body: [{ id: 600, body }] });
    expect((await h.deliver('issues', payload)).status).toBe(200);
    expect(callsTo(h.github, 'POST', /issues\/1\/comments$/)).toHaveLength(1);
    expect(
      await prisma.generationRequest.count({ where: { idempotencyKey: `github:${repo.id}:issue:1:build` } }),
    ).toBe(0);
    h.github.done();
  });

  it('iterates on a review: one commit, a reply in each thread, a check run; repeated notes start nothing', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `todo-${randomUUID().slice(0, 8)}` };
    h = await harness(repo.name);
    const full = `${OWNER}/${repo.name}`;
    // The build that opened the pull request.
    const { request: parent } = await store.createRequest(requestInput({ prompt: 'a todo app' }));
    await store.recordPullRequest({
      requestId: parent.id,
      forge: 'github',
      repo: full,
      repoUrl: `${WEB}/${full}`,
      number: 2,
      url: `${WEB}/${full}/pull/2`,
      title: 'Todo: generated by Autonoma',
      body: 'Body',
      branch: BRANCH,
      baseBranch: 'main',
      headSha: BUILD_SHA,
    });
    const payload = await payloadFor('pull_request_review.submitted', repo);
    const reviewId = payload.review.id;
    const reviewComments = [
      {
        id: 11,
        body: 'Rename the page heading to "My tasks".',
        path: 'src/App.tsx',
        line: 3,
        user: { login: OWNER, type: 'User' },
      },
      {
        id: 12,
        in_reply_to_id: 10,
        body: 'Also fix the typo in the README.',
        path: 'README.md',
        line: 1,
        user: { login: OWNER, type: 'User' },
      },
    ];
    const pulls = `/repos/${full}/pulls/2`;
    h.github
      .expect(
        'GET',
        `${pulls}/reviews/${reviewId}/comments`,
        { status: 200, body: reviewComments },
        { times: 2 },
      )
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('admin'), { times: 2 })
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect('POST', `/repos/${full}/issues/2/comments`, { status: 201, body: { id: 777, body: '' } })
      .expect(
        'PATCH',
        `/repos/${full}/issues/comments/777`,
        { status: 200, body: { id: 777 } },
        { times: 30 },
      )
      .expect('GET', `${pulls}/comments`, { status: 200, body: [] }, { times: 2 })
      .expect('POST', `${pulls}/comments/11/replies`, { status: 201, body: { id: 21 } })
      .expect('POST', `${pulls}/comments/10/replies`, { status: 201, body: { id: 22 } })
      .expect('GET', `/repos/${full}/commits/${ITERATION_SHA}/check-runs`, {
        status: 200,
        body: { total_count: 0, check_runs: [] },
      })
      .expect('POST', `/repos/${full}/check-runs`, { status: 201, body: { id: 10 } });

    expect((await h.deliver('pull_request_review', payload)).status).toBe(200);
    await waitFor('the check run', () => callsTo(h!.github, 'POST', /check-runs$/).length === 1);

    expect(h.runs).toHaveLength(1);
    const run = h.runs[0]!;
    expect(run).toMatchObject({
      kind: 'iterate',
      parentRequestId: parent.id,
      target: { forge: 'github', repo: full, number: 2, branch: BRANCH },
      thread: { platform: 'github', owner: OWNER, repo: repo.name, issueNumber: 2 },
    });
    expect(run.prompt).toContain(
      '@Codertocat on src/App.tsx line 3:\n> Rename the page heading to "My tasks".',
    );
    expect(run.prompt).toContain('> Also fix the typo in the README.');

    const replies = callsTo(h.github, 'POST', /\/replies$/);
    expect(replies.map((r) => r.path)).toEqual([
      `${pulls}/comments/11/replies`,
      `${pulls}/comments/10/replies`,
    ]);
    for (const reply of replies) {
      expect((reply.body as { body: string }).body).toBe(
        `Fixed in ${ITERATION_SHA}: Renamed the page heading and fixed the README typo\\.`,
      );
    }
    expect(callsTo(h.github, 'POST', /check-runs$/)[0]!.body).toMatchObject({
      head_sha: ITERATION_SHA,
      conclusion: 'success',
    });
    const final = (callsTo(h.github, 'PATCH', /comments\/777$/).at(-1)!.body as { body: string }).body;
    expect(final).toContain('Iteration pushed');
    expect(final).toContain(`Commit ${ITERATION_SHA.slice(0, 7)}`);

    // A second review repeating the same notes: no new job.
    payload.review.id = reviewId + 1;
    h.github.expect('GET', `${pulls}/reviews/${reviewId + 1}/comments`, {
      status: 200,
      body: reviewComments,
    });
    expect((await h.deliver('pull_request_review', payload)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.runs).toHaveLength(1);
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('takes review changes only from the requester or an admin: GITHUB_ALLOWED_USERS alone is not enough', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `todo-${randomUUID().slice(0, 8)}` };
    // Codertocat may start builds (GITHUB_ALLOWED_USERS) but has read access only; hubot is an admin.
    h = await harness(repo.name, undefined, {
      GITHUB_ALLOWED_USERS: OWNER,
      AUTONOMA_ADMINS: 'github:hubot',
    });
    const full = `${OWNER}/${repo.name}`;
    const pulls = `/repos/${full}/pulls/2`;
    // Alice asked for the build that opened the pull request.
    const { request: parent } = await store.createRequest(
      requestInput({
        prompt: 'a todo app',
        requester: { platform: 'github', externalId: '999', displayName: 'alice' },
      }),
    );
    await store.recordPullRequest({
      requestId: parent.id,
      forge: 'github',
      repo: full,
      repoUrl: `${WEB}/${full}`,
      number: 2,
      url: `${WEB}/${full}/pull/2`,
      title: 'Todo: generated by Autonoma',
      body: 'Body',
      branch: BRANCH,
      baseBranch: 'main',
      headSha: BUILD_SHA,
    });
    const payload = await payloadFor('pull_request_review.submitted', repo);
    const reviewId = payload.review.id;
    const note = (id: number, login: string, body: string) => ({
      id,
      body,
      path: 'src/App.tsx',
      line: 3,
      user: { login, type: 'User' },
    });
    h.github
      .expect('GET', `${pulls}/reviews/${reviewId}/comments`, {
        status: 200,
        body: [note(31, OWNER, 'Make it all purple.')],
      })
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('read'))
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect('POST', `/repos/${full}/issues/2/comments`, { status: 201, body: { id: 620, body: '' } });
    expect((await h.deliver('pull_request_review', payload)).status).toBe(200);
    const refusal = bodyOf(callsTo(h.github, 'POST', /issues\/2\/comments$/)[0]);
    expect(refusal).toContain(`@${OWNER}: Only @alice or a workspace admin can change this app.`);
    expect(refusal).toContain(`<!-- autonoma:change-refusal:iterate:${OWNER.toLowerCase()} -->`);
    expect(h.runs).toEqual([]);
    expect(await prisma.generationRequest.count({ where: { parentRequestId: parent.id } })).toBe(0);
    h.github.done();

    // The admin's review (read access too) starts the iteration.
    const hubot = { ...payload.sender, login: 'hubot', id: 77 };
    const fromAdmin = {
      ...payload,
      sender: hubot,
      review: { ...payload.review, id: reviewId + 1, user: hubot },
    };
    h.github
      .expect('GET', `${pulls}/reviews/${reviewId + 1}/comments`, {
        status: 200,
        body: [note(32, 'hubot', 'Add a due date to tasks.')],
      })
      .expect('GET', `/repos/${full}/collaborators/hubot/permission`, permission('read'))
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect('POST', `/repos/${full}/issues/2/comments`, { status: 201, body: { id: 621, body: '' } })
      .expect(
        'PATCH',
        `/repos/${full}/issues/comments/621`,
        { status: 200, body: { id: 621 } },
        { times: 30 },
      )
      .expect('GET', `${pulls}/comments`, { status: 200, body: [] }, { times: 2 })
      .expect('POST', `${pulls}/comments/32/replies`, { status: 201, body: { id: 41 } })
      .expect('GET', `/repos/${full}/commits/${ITERATION_SHA}/check-runs`, {
        status: 200,
        body: { total_count: 0, check_runs: [] },
      })
      .expect('POST', `/repos/${full}/check-runs`, { status: 201, body: { id: 11 } });
    expect((await h.deliver('pull_request_review', fromAdmin)).status).toBe(200);
    await waitFor('the check run', () => callsTo(h!.github, 'POST', /check-runs$/).length === 1);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]).toMatchObject({ kind: 'iterate', parentRequestId: parent.id });
    expect(h.runs[0]!.prompt).toContain('Add a due date to tasks.');
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('builds on `/autonoma build` and cancels when the label is removed', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    h = await harness('unused', {
      run: async (_request, { progress, signal }) => {
        await progress.stage('requirements', 'started', 'Reading the request');
        return new Promise((_resolve, reject) => {
          if (signal.aborted) reject(signal.reason as Error);
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        });
      },
    });
    const comment = await payloadFor('issue_comment.created', repo);
    const commentId = (comment.comment as unknown as { id: number }).id;
    const issue = `/repos/${OWNER}/${repo.name}/issues/1`;
    h.github
      .expect('POST', `/repos/${OWNER}/${repo.name}/issues/comments/${commentId}/reactions`, {
        status: 201,
        body: { id: 1, content: 'eyes' },
      })
      .expect(
        'GET',
        `/repos/${OWNER}/${repo.name}/collaborators/${OWNER}/permission`,
        permission('maintain'),
        {
          times: 2,
        },
      )
      .expect('GET', `${issue}/comments`, { status: 200, body: [] })
      .expect('POST', `${issue}/comments`, { status: 201, body: { id: 800, body: '' } })
      .expect(
        'PATCH',
        `/repos/${OWNER}/${repo.name}/issues/comments/800`,
        { status: 200, body: { id: 800 } },
        { times: 30 },
      );
    expect((await h.deliver('issue_comment', comment)).status).toBe(200);
    await waitFor('the job to start', () => h!.runs.length === 1);
    expect(h.runs[0]!.prompt).toContain('Additional instructions: with a dark theme');
    expect(h.runs[0]!.idempotencyKey).toBe(`github:${repo.id}:comment:${commentId}:build`);

    expect((await h.deliver('issues', await payloadFor('issues.unlabeled', repo))).status).toBe(200);
    await waitFor(
      'the cancellation',
      async () => (await store.getRequest(h!.runs[0]!.id))?.status === 'cancelled',
    );
    await waitFor('the cancelled comment', () =>
      callsTo(h!.github, 'PATCH', /comments\/800$/).some((c) =>
        (c.body as { body: string }).body.includes('Cancelled'),
      ),
    );
    expect(callsTo(h.github, 'POST', /issues\/1\/comments$/)).toHaveLength(1);
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('iterates on a comment mentioning @autonoma (policy "mention"), where a review starts nothing', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `todo-${randomUUID().slice(0, 8)}` };
    h = await harness(repo.name, undefined, { GITHUB_ITERATION_POLICY: 'mention' });
    const full = `${OWNER}/${repo.name}`;
    const parent = await openedPullRequest(repo.name);

    // Under the "mention" policy a review is not a trigger: GitHub is not even asked for its comments.
    const review = await payloadFor('pull_request_review.submitted', repo);
    expect((await h.deliver('pull_request_review', review)).status).toBe(200);
    expect(h.github.calls).toEqual([]);

    const payload = await payloadFor('issue_comment.created.mention', repo);
    const commentId = payload.comment.id;
    h.github
      .expect('GET', `/repos/${full}/pulls/2`, pullRequest)
      .expect('POST', `/repos/${full}/issues/comments/${commentId}/reactions`, {
        status: 201,
        body: { id: 1, content: 'eyes' },
      })
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('write'))
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect('POST', `/repos/${full}/issues/2/comments`, { status: 201, body: { id: 901, body: '' } })
      .expect(
        'PATCH',
        `/repos/${full}/issues/comments/901`,
        { status: 200, body: { id: 901 } },
        { times: 30 },
      )
      .expect('GET', `/repos/${full}/commits/${ITERATION_SHA}/check-runs`, {
        status: 200,
        body: { total_count: 0, check_runs: [] },
      })
      .expect('POST', `/repos/${full}/check-runs`, { status: 201, body: { id: 11 } });

    const delivery = randomUUID();
    expect((await h.deliver('issue_comment', payload, { id: delivery })).status).toBe(200);
    await waitFor('the check run', () => callsTo(h!.github, 'POST', /check-runs$/).length === 1);

    expect(h.runs).toHaveLength(1);
    const run = h.runs[0]!;
    expect(run).toMatchObject({
      kind: 'iterate',
      parentRequestId: parent.id,
      idempotencyKey: `github:${repo.id}:comment:${commentId}:iterate`,
      target: { forge: 'github', repo: full, number: 2, branch: BRANCH },
      thread: { platform: 'github', owner: OWNER, repo: repo.name, issueNumber: 2 },
    });
    expect(run.prompt).toContain('@Codertocat:\n> @autonoma please rename the page heading to "My tasks".');
    expect(callsTo(h.github, 'POST', /reactions$/).map((c) => c.body)).toEqual([{ content: 'eyes' }]);
    // A mention is not a review thread: the answer is the progress comment, with the commit.
    expect(callsTo(h.github, 'POST', /\/replies$/)).toEqual([]);
    expect(callsTo(h.github, 'POST', /issues\/2\/comments$/)).toHaveLength(1);
    const final = bodyOf(callsTo(h.github, 'PATCH', /comments\/901$/).at(-1));
    expect(final).toContain('Iteration pushed');
    expect(final).toContain(`Commit ${ITERATION_SHA.slice(0, 7)}`);
    expect(callsTo(h.github, 'POST', /check-runs$/)[0]!.body).toMatchObject({
      head_sha: ITERATION_SHA,
      conclusion: 'success',
    });

    // A redelivery of the mention starts nothing.
    const before = h.github.calls.length;
    expect((await h.deliver('issue_comment', payload, { id: delivery })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.runs).toHaveLength(1);
    expect(h.github.calls).toHaveLength(before);
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('neither iterates nor cancels for a commenter without write access, and refuses once', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `todo-${randomUUID().slice(0, 8)}` };
    h = await harness(repo.name, untilCancelled);
    const full = `${OWNER}/${repo.name}`;
    await openedPullRequest(repo.name);
    const mention = await payloadFor('issue_comment.created.mention', repo);
    const again = anotherComment(mention, mention.comment.id + 1, '@autonoma and make the footer grey.');
    const marker = `<!-- autonoma:change-refusal:iterate:${OWNER.toLowerCase()} -->`;
    h.github
      .expect('GET', `/repos/${full}/pulls/2`, pullRequest, { times: 2 })
      .expect('POST', `/repos/${full}/issues/comments/${mention.comment.id}/reactions`, {
        status: 201,
        body: { id: 1, content: 'eyes' },
      })
      .expect('POST', `/repos/${full}/issues/comments/${again.comment.id}/reactions`, {
        status: 201,
        body: { id: 2, content: 'eyes' },
      })
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('read'), { times: 2 })
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect(
        'POST',
        `/repos/${full}/issues/2/comments`,
        { status: 201, body: { id: 610, body: '' } },
        { respond: (body) => ({ status: 201, body: { id: 610, ...(body as object) } }) },
      );
    expect((await h.deliver('issue_comment', mention)).status).toBe(200);
    const refusal = bodyOf(callsTo(h.github, 'POST', /issues\/2\/comments$/)[0]);
    expect(refusal).toContain(
      `@${OWNER}: Only the person who asked for it or a workspace admin can change this app.`,
    );
    expect(refusal).toContain(marker);

    // Mentioned again in a new comment: the refusal is already there, so nothing more is posted.
    h.github.expect('GET', `/repos/${full}/issues/2/comments`, {
      status: 200,
      body: [{ id: 610, body: refusal }],
    });
    expect((await h.deliver('issue_comment', again)).status).toBe(200);
    expect(callsTo(h.github, 'POST', /issues\/2\/comments$/)).toHaveLength(1);
    expect(h.runs).toEqual([]);
    expect(
      await prisma.generationRequest.count({
        where: { idempotencyKey: { startsWith: `github:${repo.id}:` } },
      }),
    ).toBe(0);
    h.github.done();

    // A running build on an issue, then `/autonoma cancel` from someone who is not a collaborator.
    const issue = `/repos/${full}/issues/1`;
    h.github
      .expect('POST', `${issue}/reactions`, { status: 201, body: { id: 3, content: 'eyes' } })
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('write'))
      .expect('GET', `${issue}/comments`, { status: 200, body: [] })
      .expect('POST', `${issue}/comments`, { status: 201, body: { id: 611, body: '' } })
      .expect(
        'PATCH',
        `/repos/${full}/issues/comments/611`,
        { status: 200, body: { id: 611 } },
        { times: 30 },
      );
    expect((await h.deliver('issues', await payloadFor('issues.labeled', repo))).status).toBe(200);
    await waitFor(
      'the progress comment',
      () => callsTo(h!.github, 'POST', /issues\/1\/comments$/).length === 1,
    );
    const build = h.runs[0]!;

    const cancel = await payloadFor('issue_comment.created.cancel', repo);
    const outsider = { ...cancel.sender, login: 'outsider', id: 4242 };
    cancel.sender = outsider;
    cancel.comment.user = outsider;
    h.github
      .expect('POST', `/repos/${full}/issues/comments/${cancel.comment.id}/reactions`, {
        status: 201,
        body: { id: 4, content: 'eyes' },
      })
      .expect('GET', `/repos/${full}/collaborators/outsider/permission`, {
        status: 404,
        body: { message: 'Not Found' },
      })
      .expect('GET', `${issue}/comments`, { status: 200, body: [{ id: 611, body: 'progress' }] })
      .expect('POST', `${issue}/comments`, { status: 201, body: { id: 612, body: '' } });
    expect((await h.deliver('issue_comment', cancel)).status).toBe(200);
    await waitFor('the refusal', () => callsTo(h!.github, 'POST', /issues\/1\/comments$/).length === 2);
    expect((await store.getRequest(build.id))?.status).toBe('running');
    // The build was asked for by the maintainer who labelled the issue: the refusal names them.
    expect(bodyOf(callsTo(h.github, 'POST', /issues\/1\/comments$/)[1])).toContain(
      `@outsider: Only @${OWNER} or a workspace admin can cancel this job.`,
    );

    // The maintainer removes the label: that cancel is honoured.
    h.github.expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('write'));
    expect((await h.deliver('issues', await payloadFor('issues.unlabeled', repo))).status).toBe(200);
    await waitFor('the cancellation', async () => (await store.getRequest(build.id))?.status === 'cancelled');
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('cancels a running build on `/autonoma cancel`, in the same progress comment', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    h = await harness('unused', untilCancelled);
    const issue = `/repos/${OWNER}/${repo.name}/issues/1`;
    const cancel = await payloadFor('issue_comment.created.cancel', repo);
    h.github
      .expect('POST', `${issue}/reactions`, { status: 201, body: { id: 1, content: 'eyes' } })
      .expect('POST', `/repos/${OWNER}/${repo.name}/issues/comments/${cancel.comment.id}/reactions`, {
        status: 201,
        body: { id: 2, content: 'eyes' },
      })
      .expect('GET', `/repos/${OWNER}/${repo.name}/collaborators/${OWNER}/permission`, permission('write'), {
        times: 2,
      })
      .expect('GET', `${issue}/comments`, { status: 200, body: [] })
      .expect('POST', `${issue}/comments`, { status: 201, body: { id: 810, body: '' } })
      .expect(
        'PATCH',
        `/repos/${OWNER}/${repo.name}/issues/comments/810`,
        { status: 200, body: { id: 810 } },
        { times: 30 },
      );
    expect((await h.deliver('issues', await payloadFor('issues.labeled', repo))).status).toBe(200);
    await waitFor(
      'the progress comment',
      () => callsTo(h!.github, 'POST', /issues\/1\/comments$/).length === 1,
    );
    const build = h.runs[0]!;
    expect((await store.getRequest(build.id))?.status).toBe('running');

    expect((await h.deliver('issue_comment', cancel)).status).toBe(200);
    await waitFor('the cancellation', async () => (await store.getRequest(build.id))?.status === 'cancelled');
    await waitFor('the cancelled comment', () =>
      callsTo(h!.github, 'PATCH', /comments\/810$/).some((c) => bodyOf(c).includes('Cancelled')),
    );
    expect(h.runs).toHaveLength(1);
    expect(callsTo(h.github, 'POST', /issues\/1\/comments$/)).toHaveLength(1);
    expect(
      await prisma.generationRequest.count({
        where: { idempotencyKey: { startsWith: `github:${repo.id}:` } },
      }),
    ).toBe(1);
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('enforces the per-PR iteration cap and announces it once', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `todo-${randomUUID().slice(0, 8)}` };
    h = await harness(repo.name, undefined, { GITHUB_MAX_ITERATIONS: '1' });
    const full = `${OWNER}/${repo.name}`;
    await openedPullRequest(repo.name);
    const first = await payloadFor('issue_comment.created.mention', repo);
    const second = anotherComment(first, first.comment.id + 1, '@autonoma now make the footer grey.');
    const third = anotherComment(first, first.comment.id + 2, '@autonoma and add a dark theme.');
    const reaction = (comment: Payload) =>
      [
        'POST',
        `/repos/${full}/issues/comments/${comment.comment.id}/reactions`,
        { status: 201, body: { id: comment.comment.id, content: 'eyes' } },
      ] as const;
    h.github
      .expect('GET', `/repos/${full}/pulls/2`, pullRequest, { times: 3 })
      .expect(...reaction(first))
      .expect(...reaction(second))
      .expect(...reaction(third))
      .expect('GET', `/repos/${full}/collaborators/${OWNER}/permission`, permission('admin'), { times: 3 })
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect('POST', `/repos/${full}/issues/2/comments`, { status: 201, body: { id: 920, body: '' } })
      .expect(
        'PATCH',
        `/repos/${full}/issues/comments/920`,
        { status: 200, body: { id: 920 } },
        { times: 30 },
      )
      .expect('GET', `/repos/${full}/commits/${ITERATION_SHA}/check-runs`, {
        status: 200,
        body: { total_count: 0, check_runs: [] },
      })
      .expect('POST', `/repos/${full}/check-runs`, { status: 201, body: { id: 12 } });

    // The one iteration allowed runs to the end.
    expect((await h.deliver('issue_comment', first)).status).toBe(200);
    await waitFor('the check run', () => callsTo(h!.github, 'POST', /check-runs$/).length === 1);
    expect(h.runs).toHaveLength(1);

    // The next one is over the cap: no job, and a comment that says why.
    h.github
      .expect('GET', `/repos/${full}/issues/2/comments`, { status: 200, body: [] })
      .expect(
        'POST',
        `/repos/${full}/issues/2/comments`,
        { status: 201, body: { id: 921, body: '' } },
        { respond: (body) => ({ status: 201, body: { id: 921, ...(body as object) } }) },
      );
    expect((await h.deliver('issue_comment', second)).status).toBe(200);
    const posted = callsTo(h.github, 'POST', /issues\/2\/comments$/);
    expect(posted).toHaveLength(2);
    const announcement = bodyOf(posted[1]);
    expect(announcement).toContain('<!-- autonoma:iteration-cap -->');
    expect(announcement).toContain('This pull request has had 1 Autonoma iteration,');
    expect(announcement).toContain('GITHUB_MAX_ITERATIONS');

    // Asked once more: still no job, and the announcement is not repeated.
    h.github.expect('GET', `/repos/${full}/issues/2/comments`, {
      status: 200,
      body: [{ id: 921, body: announcement }],
    });
    expect((await h.deliver('issue_comment', third)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.runs).toHaveLength(1);
    expect(callsTo(h.github, 'POST', /issues\/2\/comments$/)).toHaveLength(2);
    expect(
      await prisma.generationRequest.count({
        where: { idempotencyKey: { startsWith: `github:${repo.id}:` }, kind: 'iterate' },
      }),
    ).toBe(1);
    expect(h.github.schemaProblems).toEqual([]);
  });

  it('ignores the bot’s own comments', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    h = await harness('unused');
    const payload = await payloadFor('issue_comment.created', repo);
    payload.sender = { ...payload.sender, login: 'autonoma[bot]', type: 'Bot' };
    payload.comment.user = payload.sender;
    expect((await h.deliver('issue_comment', payload)).status).toBe(200);
    expect(h.github.calls).toEqual([]);
  });

  it('answers 400 to a bad signature and does nothing', async () => {
    const repo = { id: randomInt(1e9, 2e9), name: `hello-${randomUUID().slice(0, 8)}` };
    h = await harness('unused');
    const response = await h.deliver('issues', await payloadFor('issues.labeled', repo), {
      secret: 'not-the-secret',
    });
    expect(response.status).toBe(400);
    expect(h.github.calls).toEqual([]);
    expect(
      await prisma.generationRequest.count({ where: { idempotencyKey: `github:${repo.id}:issue:1:build` } }),
    ).toBe(0);
  });
});
