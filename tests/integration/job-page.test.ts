/**
 * The job page end to end: `startServer` as `autonoma serve` runs it (real Postgres store, real Redis
 * progress bus, a local forge holding the job's branch), opened in Debian's headless Chromium. The
 * timeline follows progress events published on the bus while the page is open; forged, expired and
 * unknown links are refused; screenshots come from the branch and nothing else does.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type HttpServerHandle,
} from '../../src/adapters/http/index.js';
import { createJobPage, type JobPage } from '../../src/adapters/http/job-page/index.js';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import { ProgressEventSchema, type ProgressEvent } from '../../src/core/domain/progress.js';
import type { GenerationRequest, JobResult } from '../../src/core/domain/request.js';
import { createJobLinks, type JobLinks } from '../../src/core/job-links.js';
import { encodeBinaryFile, SCREENSHOTS_DIR, type RepositoryRef } from '../../src/core/ports/forge.js';
import type { AppGenerator } from '../../src/core/ports/app-generator.js';
import { createRuntime, startOwnBuildWorker, startServer, type Runtime } from '../../src/main.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { ensureTestDatabase, memoryLogger, testConfig, uniquePrefix } from '../helpers/test-env.js';

const CHROMIUM = '/usr/lib/chromium/chromium';
const SECRET = `job-page-test-secret-${'s'.repeat(24)}`;
const BRANCH = 'autonoma/todo-tags';
const { logger } = memoryLogger('warn');

let root: string;
let runtime: Runtime;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let links: JobLinks;
let repo: RepositoryRef;
let screenshotBytes: Buffer;

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

const CODE = 'export const greeting = "</pre><script>window.owned = true</script>";\n';

beforeAll(async () => {
  await ensureTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), 'autonoma-job-page-'));
  const config = testConfig({ AUTONOMA_QUEUE_PREFIX: uniquePrefix(), AUTONOMA_LINK_SECRET: SECRET });
  runtime = await createRuntime({ ...config, http: { ...config.http, host: '127.0.0.1', port: 0 } }, logger);
  const forge = createLocalGitForge({ rootDir: path.join(root, 'repos') });
  repo = (
    await forge.ensureRepository({
      name: 'todo-tags',
      description: 'Todos with tags',
      topics: ['autonoma'],
      private: true,
      requestId: '00000000-0000-4000-8000-000000000000',
    })
  ).repo;
  await forge.ensureInitialCommit(repo, new Map([['README.md', '# Todo\n']]));
  screenshotBytes = png(64, 40);
  await forge.commitFiles({
    repo,
    branch: BRANCH,
    baseBranch: repo.defaultBranch,
    message: 'Add the app',
    files: new Map([
      ['README.md', '# Todo\n'],
      ['src/client/greeting.ts', CODE],
      ['src/server/app.ts', 'export const port = 3000;\n'],
      [`${SCREENSHOTS_DIR}/home-desktop.png`, encodeBinaryFile(screenshotBytes)],
      [`${SCREENSHOTS_DIR}/unlisted.png`, encodeBinaryFile(png(8, 8))],
      [`${SCREENSHOTS_DIR}/notes.png`, 'not a png at all'],
    ]),
  });
  // Previews as configured (AUTONOMA_PREVIEW defaults to on); job-page-preview.test.ts runs them.
  server = await startServer(runtime, [], { forge });
  // The server's own links verify against the same secret; the test signs with a known clock.
  links = createJobLinks({ secret: SECRET, publicUrl: server.url, ttlMs: 7 * 24 * 3600 * 1000 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
  await rm(root, { recursive: true, force: true });
});

async function storedRequest(prompt: string): Promise<GenerationRequest> {
  return (await runtime.store.createRequest(requestInput({ prompt }))).request;
}

async function succeeded(prompt: string, overrides: Partial<JobResult> = {}): Promise<GenerationRequest> {
  const request = await storedRequest(prompt);
  await runtime.store.markRunning(request.id);
  const session = await runtime.store.startAgentRun({
    requestId: request.id,
    agentType: 'frontend',
    attempt: 1,
    model: 'offline',
  });
  await runtime.store.finishAgentRun(session, {
    status: 'succeeded',
    tokensIn: 1234,
    tokensOut: 567,
    costUsd: 0.0421,
  });
  await runtime.store.markSucceeded(
    request.id,
    fakeResult(request, {
      appName: 'Todo <Tags>',
      repository: { forge: 'local', name: repo.fullName, location: repo.location },
      branch: BRANCH,
      pullRequest: { number: 1, url: 'https://example.com/pull/1', title: 'Todo: generated' },
      screenshots: [
        { file: 'home-desktop.png', url: `${repo.fullName}.screenshots/home-desktop.png` },
        { file: 'notes.png', url: 'x' },
      ],
      validation: {
        ok: true,
        syntax: { ok: true, durationMs: 40 },
        test: { ok: true, durationMs: 2100, output: 'PASS tags.test.ts <b>bold?</b>' },
        repairRounds: 1,
      },
      ...overrides,
    }),
  );
  return (await runtime.store.getRequest(request.id)) as GenerationRequest;
}

/** Polls `read` until it gives `expected` (5 s by default), then asserts, so a failure shows the last value. */
async function eventually<T>(read: () => Promise<T> | T, expected: T, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!Object.is(value, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  expect(value).toBe(expected);
}

const event = (requestId: string, fields: Record<string, unknown>): ProgressEvent =>
  ProgressEventSchema.parse({ requestId, at: new Date().toISOString(), percent: 0, ...fields });

async function openPage(url: string): Promise<{ page: Page; status: number; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  // A failed load is reported by URL below; the console only repeats it without one.
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (
      response.status() >= 400 &&
      url.pathname !== '/favicon.ico' &&
      response.request().frame() === page.mainFrame() &&
      response.request().resourceType() !== 'document'
    )
      problems.push(`${response.status()} ${url.pathname}`);
  });
  const response = await page.goto(url);
  return { page, status: response?.status() ?? 0, problems };
}

const stageState = (page: Page, stage: string) =>
  page.locator(`#timeline li[data-stage="${stage}"]`).getAttribute('data-state');

describe('the job page in Chromium', () => {
  it('updates the timeline live as progress events arrive on the bus', async () => {
    const request = await storedRequest('a todo app with tags');
    await runtime.store.markRunning(request.id);
    await runtime.bus.publish(
      event(request.id, {
        type: 'stage',
        stage: 'queued',
        state: 'completed',
        message: 'Picked up',
        percent: 2,
      }),
    );
    const { page, status, problems } = await openPage(links.url(request.id));
    expect(status).toBe(200);
    expect(await stageState(page, 'queued')).toBe('completed');
    expect(await stageState(page, 'requirements')).toBe('pending');
    expect(await page.locator('#job-status').textContent()).toBe('Running');
    // Following the event stream: its snapshot has been applied.
    await page.locator('#job[data-live="connected"]').waitFor();

    await runtime.bus.publish(
      event(request.id, {
        type: 'stage',
        stage: 'requirements',
        state: 'started',
        message: 'Reading the prompt',
        percent: 10,
      }),
    );
    await eventually(() => stageState(page, 'requirements'), 'started');
    expect(await page.locator('#timeline li[data-stage="requirements"] .message').textContent()).toBe(
      'Reading the prompt',
    );
    expect(await page.locator('#job-percent').getAttribute('value')).toBe('10');

    await runtime.bus.publish(
      event(request.id, {
        type: 'stage',
        stage: 'requirements',
        state: 'completed',
        message: 'Spec ready',
        percent: 20,
      }),
    );
    await runtime.bus.publish(
      event(request.id, {
        type: 'milestone',
        stage: 'requirements',
        message: 'Spec understood: <img src=x onerror=alert(1)>',
        links: [
          { label: 'Evil', url: 'javascript:alert(1)' },
          { label: 'Docs', url: 'https://example.com/docs' },
        ],
        percent: 22,
      }),
    );
    await eventually(() => stageState(page, 'requirements'), 'completed');
    await eventually(() => page.locator('#updates li').count(), 1);
    const update = page.locator('#updates li').first();
    expect(await update.textContent()).toContain('Spec understood: <img src=x onerror=alert(1)>');
    expect(await page.locator('#updates img').count()).toBe(0);
    expect(await update.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      'https://example.com/docs',
    ]);

    await runtime.bus.publish(
      event(request.id, { type: 'finished', status: 'succeeded', message: 'Done', percent: 100 }),
    );
    await eventually(() => page.locator('#job-status').textContent(), 'Succeeded');
    expect(await page.locator('#job-finished').isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('updates the timeline live during a build: queue, worker, agents and publish', async () => {
    // The offline agent team (validation stood in for), held after its requirements stage until the
    // page has shown it live: everything else is the real path from the worker to the page.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const team = offlineTeam();
    const generator: AppGenerator = {
      generate: (input) =>
        team.generate({
          ...input,
          progress: {
            ...input.progress,
            stage: async (stage, state, message) => {
              await input.progress.stage(stage, state, message);
              if (stage === 'requirements' && state === 'completed') await held;
            },
          },
        }),
    };
    const own = await startOwnBuildWorker(runtime, { generator, outDir: path.join(root, 'built') });
    try {
      const { request } = await own.service.submit(requestInput({ prompt: 'a reading list with authors' }));
      const { page, problems } = await openPage(links.url(request.id));
      await page.locator('#job[data-live="connected"]').waitFor();
      await eventually(() => stageState(page, 'requirements'), 'completed');
      expect(await page.locator('#job-status').textContent()).toBe('Running');
      expect(await stageState(page, 'publish')).toBe('pending');
      release();
      await eventually(() => stageState(page, 'publish'), 'completed', 60_000);
      await eventually(() => page.locator('#job-status').textContent(), 'Succeeded');
      expect(await page.locator('#job-percent').getAttribute('value')).toBe('100');
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      release();
      await own.close(5_000);
    }
  }, 120_000);

  it('shows the finished job: prompt, agents, validation log, screenshots, file tree and escaped code', async () => {
    const request = await succeeded('todos with <script>alert("tags")</script> & more');
    const url = `${links.url(request.id)}&file=${encodeURIComponent('src/client/greeting.ts')}`;
    const { page, status, problems } = await openPage(url);
    expect(status).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Todo <Tags>');
    expect(await page.locator('blockquote.prompt').textContent()).toBe(
      'todos with <script>alert("tags")</script> & more',
    );
    expect(await page.locator('#agents tbody tr').first().textContent()).toMatch(
      /frontend.*1,234.*567.*\$0\.04/s,
    );
    expect(await page.locator('#agents tfoot').textContent()).toMatch(/Total.*1,234.*567.*\$0\.04/s);
    const testStep = page.locator('#validation details').filter({ hasText: 'Tests: passed' });
    expect(await testStep.locator('pre').textContent()).toBe('PASS tags.test.ts <b>bold?</b>');
    // The code view shows the file as text: its markup never became elements.
    expect(await page.locator('#code pre').textContent()).toBe(CODE);
    expect(await page.evaluate('typeof window.owned')).toBe('undefined');
    expect(await page.locator('nav.files a[aria-current="page"]').textContent()).toBe('greeting.ts');
    expect(await page.locator('nav.files a').allTextContents()).toEqual(
      expect.arrayContaining(['README.md', 'app.ts', 'home-desktop.png']),
    );
    // The listed screenshot loads from the branch through the server (CSP allows only 'self').
    const image = page.locator('img[alt="Screenshot: home desktop"]');
    await eventually(
      () => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      64,
    );
    expect(await stageState(page, 'publish')).toBe('completed');
    // A branch to preview: the button is offered, and opening the page started nothing.
    expect(await page.locator('#preview').getAttribute('data-state')).toBe('none');
    expect(await page.getByRole('button', { name: 'Start preview' }).isVisible()).toBe(true);
    // The only failed load: the listed "screenshot" that is not a PNG, refused.
    expect(problems).toEqual(['404 /jobs/' + request.id + '/screenshots/notes.png']);
    await page.close();
  }, 60_000);

  it('refuses forged and expired links, and says how to get a new one', async () => {
    const request = await succeeded('a todo app');
    const good = new URL(links.url(request.id));
    const forged = new URL(good);
    forged.searchParams.set('t', `${good.searchParams.get('t')?.slice(0, -2)}AA`);
    const forgedPage = await openPage(forged.href);
    expect(forgedPage.status).toBe(403);
    expect(await forgedPage.page.locator('h1').textContent()).toBe('This link is not valid');
    await forgedPage.page.close();

    const expired = links.url(request.id, new Date(Date.now() - 8 * 24 * 3600 * 1000));
    const expiredPage = await openPage(expired);
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.page.locator('main').textContent()).toContain(`/autonoma status ${request.id}`);
    expect(await expiredPage.page.locator('main').textContent()).not.toContain('a todo app');
    await expiredPage.page.close();
  }, 30_000);
});

describe('job page routes over HTTP', () => {
  it('answers 403 without a token, 404 for an unknown job, and sends the security headers', async () => {
    const request = await succeeded('headers');
    expect((await fetch(`${server.url}/jobs/${request.id}`)).status).toBe(403);
    const other = await storedRequest('someone else');
    const otherToken = new URL(links.url(other.id)).searchParams.get('t') ?? '';
    expect((await fetch(`${server.url}/jobs/${request.id}?t=${otherToken}`)).status).toBe(403);
    const unknown = '7d2b5a4e-1c3f-4e6a-8b9c-0d1e2f3a4b5c';
    expect((await fetch(links.url(unknown))).status).toBe(404);
    const response = await fetch(links.url(request.id));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('serves a listed PNG from the branch and refuses path tricks', async () => {
    const request = await succeeded('screenshots');
    const token = new URL(links.url(request.id)).searchParams.get('t') ?? '';
    const shot = (file: string, t = token) =>
      fetch(`${server.url}/jobs/${request.id}/screenshots/${file}?t=${t}`);
    const ok = await shot('home-desktop.png');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await ok.arrayBuffer()).equals(screenshotBytes)).toBe(true);
    for (const trick of [
      'unlisted.png', // on the branch, not in the job's list
      'notes.png', // listed, but not a PNG
      '..%2F..%2FREADME.md',
      '..%2Fscreenshots%2Fhome-desktop.png',
      '.%2Fhome-desktop.png',
      'home-desktop.png%00.txt',
      encodeURIComponent('src/server/app.ts'),
    ]) {
      const response = await shot(trick);
      expect([trick, response.status]).toEqual([trick, 404]);
    }
    expect((await shot('home-desktop.png', 'forged.token')).status).toBe(403);
  });
});

describe('event streams', () => {
  let handle: HttpServerHandle;
  let jobPage: JobPage;

  beforeAll(async () => {
    jobPage = createJobPage({
      links,
      store: runtime.store,
      progress: runtime.bus,
      logger,
      maxStreams: 1,
      heartbeatMs: 50,
    });
    const app = createHttpApp({
      logger,
      bodyLimit: '1mb',
      metrics: createMetrics({ logger }),
      readiness: {},
      mount: (express) => express.use(jobPage.router),
    });
    handle = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    jobPage?.close();
    await handle?.close();
  });

  async function readUntil(body: ReadableStreamDefaultReader<Uint8Array>, pattern: RegExp): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    while (!pattern.test(text)) {
      const { value, done } = await body.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  }

  it('sends the state first, then events and heartbeats; bounds streams; unsubscribes on close', async () => {
    const request = await storedRequest('streams');
    await runtime.store.markRunning(request.id);
    const path = new URL(links.url(request.id));
    const streamUrl = `${handle.url}/jobs/${request.id}/events${path.search}`;
    const controller = new AbortController();
    const response = await fetch(streamUrl, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await readUntil(reader, /event: snapshot\ndata: .*\n\n/);
    expect(JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(first)?.[1] ?? '{}')).toMatchObject({
      status: 'running',
    });
    expect(jobPage.openStreams).toBe(1);

    // One stream at most here: the next is refused until this one closes.
    expect((await fetch(streamUrl)).status).toBe(503);

    await runtime.bus.publish(
      event(request.id, {
        type: 'stage',
        stage: 'frontend',
        state: 'started',
        message: 'Pages',
        percent: 40,
      }),
    );
    const more = await readUntil(reader, /event: progress\ndata: .*"frontend".*\n\n[\s\S]*: keep-alive/);
    expect(more).toContain('"message":"Pages"');
    expect(more).toContain(': keep-alive');

    controller.abort();
    await eventually(() => jobPage.openStreams, 0);
    const again = await fetch(streamUrl);
    expect(again.status).toBe(200);
    await again.body?.cancel();
    await eventually(() => jobPage.openStreams, 0);
  });

  it('ends open streams when the job page closes, so a shutdown does not wait for them', async () => {
    const request = await storedRequest('shutdown');
    await runtime.store.markRunning(request.id);
    const search = new URL(links.url(request.id)).search;
    const response = await fetch(`${handle.url}/jobs/${request.id}/events${search}`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, /event: snapshot/);
    expect(jobPage.openStreams).toBe(1);
    jobPage.close();
    expect(jobPage.openStreams).toBe(0);
    let done = false;
    while (!done) done = (await reader.read()).done;
  });

  it('ends the stream of a finished job after its snapshot', async () => {
    const request = await succeeded('finished stream');
    const path = new URL(links.url(request.id));
    const response = await fetch(`${handle.url}/jobs/${request.id}/events${path.search}`);
    const text = await response.text();
    expect(text).toMatch(/^retry: 5000\nevent: snapshot\n/);
    expect(JSON.parse(/data: (.*)\n/.exec(text)?.[1] ?? '{}')).toMatchObject({
      status: 'succeeded',
      percent: 100,
    });
  });
});
