/**
 * Live previews on the job page, for real: `startServer` as `autonoma serve` runs it, a local forge
 * holding the jobs' branches in real git, each app installed from the validation's dependency cache,
 * built and started in the bubblewrap sandbox (no network: the server reaches it through a unix
 * socket), and the page opened in Debian's Chromium. One generated app (the offline generator's
 * Recipe Box) shows the real thing; tiny hand-written apps fill the cap and stand in for iterations.
 * The manager's clock is the test's, so a preview's half hour passes in an instant.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { renderPackageLock } from '../../src/agents/offline/app/project/package.js';
import { recipeBoxSpec } from '../../src/agents/offline/app/sample-specs.js';
import {
  createPreviewManager,
  type PreviewClock,
  type PreviewManager,
} from '../../src/agents/preview/preview-manager.js';
import { createSandboxPreviewRunner } from '../../src/agents/preview/sandbox-preview.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { ensureDependencies } from '../../src/agents/validation/dependency-cache.js';
import { ProgressEventSchema } from '../../src/core/domain/progress.js';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import { createJobLinks, type JobLinks } from '../../src/core/job-links.js';
import type { RepositoryRef } from '../../src/core/ports/forge.js';
import { createRuntime, startServer, type Runtime } from '../../src/main.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';
import { ensureTestDatabase, memoryLogger, testConfig, uniquePrefix } from '../helpers/test-env.js';

const CHROMIUM = '/usr/lib/chromium/chromium';
const SECRET = `job-page-preview-secret-${'p'.repeat(24)}`;
const LIFETIME_MS = 30 * 60_000;
const { logger } = memoryLogger('warn');

/** Timers that fire only when the test moves time on. */
function manualClock() {
  let now = Date.now();
  const timers = new Set<{ at: number; run: () => void }>();
  const clock: PreviewClock = {
    now: () => now,
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.add(timer);
      return timer;
    },
    clearTimer: (timer) => {
      timers.delete(timer as { at: number; run: () => void });
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of [...timers]) {
      if (timer.at > now) continue;
      timers.delete(timer);
      timer.run();
    }
  };
  return { clock, advance };
}

/** A one-file app: its page loads a script that lists what GET /api/items answers. */
function tinyApp(title: string): Map<string, string> {
  const server = `import http from 'node:http';
const page = '<!doctype html><html><head><title>t</title><link rel="stylesheet" href="/style.css"></head>' +
  '<body><h1>${title}</h1><ul id="items"></ul><script src="/app.js"></script></body></html>';
const script = "fetch('/api/items').then((r) => r.json()).then((items) => { for (const item of items) {" +
  " const li = document.createElement('li'); li.textContent = item; document.getElementById('items').append(li); } });";
http.createServer((req, res) => {
  if (req.url === '/api/items') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(['alpha', 'beta'])); }
  else if (req.url === '/api/env') { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(process.env)); }
  else if (req.url === '/app.js') { res.setHeader('content-type', 'text/javascript'); res.end(script); }
  else if (req.url === '/style.css') { res.setHeader('content-type', 'text/css'); res.end('h1 { color: #036; }'); }
  else { res.setHeader('content-type', 'text/html'); res.end(page); }
}).listen(Number(process.env.PORT), process.env.HOST);
`;
  return new Map([
    [
      'package.json',
      JSON.stringify({ name: 'tiny', private: true, type: 'module', scripts: { start: 'node server.mjs' } }),
    ],
    ['server.mjs', server],
  ]);
}

let root: string;
let previewRoot: string;
let runtime: Runtime;
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let links: JobLinks;
let previews: PreviewManager;
let time: ReturnType<typeof manualClock>;
const forge = () => createLocalGitForge({ rootDir: path.join(root, 'repos') });
let repo: RepositoryRef;
const heads = new Map<string, string>();

async function commit(branch: string, files: Map<string, string>): Promise<string> {
  const { sha } = await forge().commitFiles({
    repo,
    branch,
    baseBranch: repo.defaultBranch,
    message: `Update ${branch}`,
    files,
  });
  heads.set(branch, sha);
  return sha;
}

beforeAll(async () => {
  await ensureTestDatabase();
  await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
  root = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'preview-test-'));
  await chmod(root, 0o755); // the sandbox users enter it
  previewRoot = path.join(root, 'previews');
  const config = testConfig({ AUTONOMA_QUEUE_PREFIX: uniquePrefix(), AUTONOMA_LINK_SECRET: SECRET });
  runtime = await createRuntime({ ...config, http: { ...config.http, host: '127.0.0.1', port: 0 } }, logger);
  repo = (
    await forge().ensureRepository({
      name: 'previews',
      description: 'Apps to preview',
      topics: ['autonoma'],
      private: true,
      requestId: '00000000-0000-4000-8000-000000000001',
    })
  ).repo;
  await forge().ensureInitialCommit(repo, new Map([['README.md', '# Previews\n']]));
  await commit('autonoma/recipe-box', renderApp(recipeBoxSpec));
  for (const n of [1, 2, 3]) await commit(`autonoma/tiny-${n}`, tinyApp(`Tiny ${n}`));

  const sandbox = createBwrapSandbox({
    limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
  });
  // The worker installed this set when it validated the app; the preview reuses it.
  const session = await sandbox.open();
  try {
    const deps = await ensureDependencies(renderPackageLock({ slug: 'recipe-box' }), {
      cacheDir: TEMPLATE_DEPS_CACHE,
      session,
      timeoutMs: 300_000,
    });
    if (!deps.result.ok)
      throw new Error(`installing the template's dependencies failed:\n${deps.result.output}`);
  } finally {
    await session.close();
  }
  time = manualClock();
  previews = createPreviewManager({
    runner: createSandboxPreviewRunner({
      sandbox,
      rootDir: previewRoot,
      cacheDir: TEMPLATE_DEPS_CACHE,
      maxRunMs: LIFETIME_MS,
      // The default (90 s): on a busy CI machine with another suite beside it, 30 s was seen to lapse.
    }),
    lifetimeMs: LIFETIME_MS,
    max: 3,
    logger,
    clock: time.clock,
  });
  server = await startServer(runtime, [], { forge: forge(), previews });
  links = createJobLinks({ secret: SECRET, publicUrl: server.url, ttlMs: 7 * 24 * 3600 * 1000 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await runtime?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function job(branch: string, prompt = `preview ${branch}`): Promise<GenerationRequest> {
  const { request } = await runtime.store.createRequest(requestInput({ prompt }));
  await runtime.store.markRunning(request.id);
  await runtime.store.markSucceeded(
    request.id,
    fakeResult(request, {
      appName: branch,
      repository: { forge: 'local', name: repo.fullName, location: repo.location },
      branch,
      commitSha: heads.get(branch) as string,
    }),
  );
  return (await runtime.store.getRequest(request.id)) as GenerationRequest;
}

async function eventually<T>(read: () => Promise<T> | T, expected: T, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!Object.is(value, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  expect(value).toBe(expected);
}

/** Waits while the preview starts; 'running', or its whole status, so a failure shows its message. */
async function started(request: GenerationRequest, ms = 30_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (previews.status(request.id)?.state === 'starting' && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  const status = previews.status(request.id);
  return status?.state === 'running' ? 'running' : JSON.stringify(status);
}

/** Starts a preview as the page's button does, without a browser. */
async function startOver(request: GenerationRequest): Promise<Response> {
  const token = new URL(links.url(request.id)).searchParams.get('t') ?? '';
  return fetch(`${server.url}/jobs/${request.id}/preview?t=${token}`, { method: 'POST', redirect: 'manual' });
}

const previewUrl = (
  request: GenerationRequest,
  token = new URL(links.url(request.id)).searchParams.get('t'),
) => `${server.url}/jobs/${request.id}/preview/${token}/`;

/** Processes whose command line names a preview directory (bwrap's bind mount does). */
async function previewProcesses(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const line = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (line.includes(previewRoot)) found.push(pid);
  }
  return found;
}

async function newPage(): Promise<Page> {
  return browser.newPage();
}

let recipe: GenerationRequest;
let tiny: GenerationRequest[] = [];

describe('the live preview', () => {
  it('shows the generated app in the job page, started from its button', async () => {
    recipe = await job('autonoma/recipe-box', 'a recipe box');
    const page = await newPage();
    await page.goto(links.url(recipe.id));
    expect(await page.locator('#preview').getAttribute('data-state')).toBe('none');
    // Opening the page starts nothing: only the button's POST does.
    expect(previews.active).toBe(0);
    await page.getByRole('button', { name: 'Start preview' }).click();
    await page.locator('#preview[data-state="starting"]').waitFor();
    expect(await started(recipe, 120_000)).toBe('running');
    await page.locator('#preview[data-state="running"]').waitFor();
    const frame = page.frameLocator('#preview-frame');
    await frame.getByRole('heading', { level: 1, name: 'Recipe Box' }).waitFor({ timeout: 20_000 });
    // Its API answers through the proxy: a record made with its form comes back in its list.
    await frame.getByRole('button', { name: 'Ingredients', exact: true }).click();
    await frame.getByText('Nothing here yet.').waitFor();
    await frame.getByRole('button', { name: 'New Ingredient' }).click();
    await frame.getByLabel('Name').fill('Saffron');
    await frame.getByRole('button', { name: 'Create' }).click();
    await frame.getByText('Saffron').first().waitFor();
    expect(await frame.locator('[role="alert"]').count()).toBe(0);
    await page.close();

    const response = await fetch(previewUrl(recipe));
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/^sandbox allow-scripts/);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('x-frame-options')).toBeNull(); // the app's own, replaced by the CSP
  }, 180_000);

  it('refuses a forged or expired link for the preview too, and GET starts nothing', async () => {
    const good = new URL(links.url(recipe.id)).searchParams.get('t') ?? '';
    const forged = `${good.slice(0, -2)}AA`;
    expect((await fetch(previewUrl(recipe, forged))).status).toBe(403);
    const expired = new URL(
      links.url(recipe.id, new Date(Date.now() - 8 * 24 * 3600 * 1000)),
    ).searchParams.get('t');
    const gone = await fetch(previewUrl(recipe, expired));
    expect(gone.status).toBe(410);
    expect(await gone.text()).not.toContain('Recipe Box');
    const other = await job('autonoma/tiny-1');
    expect(
      (await fetch(`${server.url}/jobs/${other.id}/preview?t=${forged}`, { method: 'POST' })).status,
    ).toBe(403);
    expect((await fetch(`${server.url}/jobs/${other.id}/preview?t=${good}`, { method: 'POST' })).status).toBe(
      403,
    );
    expect((await fetch(new URL(links.url(other.id)).href.replace('?', '/preview?'))).status).toBe(404);
    expect(previews.active).toBe(1);
    // No preview of its own yet: nothing to proxy.
    expect((await fetch(previewUrl(other))).status).toBe(404);
  }, 30_000);

  it('runs at most three at once and says so when refusing the fourth', async () => {
    tiny = [await job('autonoma/tiny-1'), await job('autonoma/tiny-2'), await job('autonoma/tiny-3')];
    for (const request of tiny.slice(0, 2)) expect((await startOver(request)).status).toBe(303);
    for (const request of tiny.slice(0, 2)) expect(await started(request)).toBe('running');
    // The tiny app's list comes from its /api through the proxy.
    const page = await newPage();
    await page.goto(links.url(tiny[0]!.id));
    const frame = page.frameLocator('#preview-frame');
    await frame.getByRole('heading', { name: 'Tiny 1' }).waitFor();
    await eventually(() => frame.locator('#items li').count(), 2);
    // The app's whole environment: the sandbox's own and what its .env.example documents, nothing of ours.
    const env = await (await fetch(`${previewUrl(tiny[0]!)}api/env`)).text();
    expect(Object.keys(JSON.parse(env) as object)).toContain('PORT');
    for (const secret of [SECRET, runtime.config.databaseUrl, runtime.config.redisUrl])
      expect(env).not.toContain(secret);

    await page.goto(links.url(tiny[2]!.id));
    await page.getByRole('button', { name: 'Start preview' }).click();
    expect(await page.locator('h1').textContent()).toBe('Too many previews');
    expect(await page.locator('main').textContent()).toMatch(
      /3 previews are running already, the most this server runs at once \(AUTONOMA_PREVIEW_MAX\)/,
    );
    expect(previews.status(tiny[2]!.id)).toBeUndefined();
    await page.close();
  }, 60_000);

  it('restarts a preview on the new head when an iteration commits to its branch', async () => {
    // The page is open on the running preview: it follows the restart by itself.
    const page = await newPage();
    await page.goto(links.url(tiny[0]!.id));
    await page.frameLocator('#preview-frame').getByRole('heading', { name: 'Tiny 1' }).waitFor();
    const head = await commit('autonoma/tiny-1', tinyApp('Tiny 1, iterated'));
    const iteration = await job('autonoma/tiny-1', 'make the heading say iterated');
    expect(iteration.result?.commitSha).toBe(head);
    await runtime.bus.publish(
      ProgressEventSchema.parse({
        requestId: iteration.id,
        at: new Date().toISOString(),
        type: 'finished',
        status: 'succeeded',
        message: 'Done',
        percent: 100,
      }),
    );
    await eventually(() => previews.status(tiny[0]!.id)?.revision, head);
    expect(await started(tiny[0]!)).toBe('running');
    expect(await (await fetch(previewUrl(tiny[0]!))).text()).toContain('Tiny 1, iterated');
    await page.frameLocator('#preview-frame').getByRole('heading', { name: 'Tiny 1, iterated' }).waitFor();
    await page.close();
  }, 60_000);

  it('stops each preview when its time is up: processes and directories gone', async () => {
    expect(await previewProcesses()).not.toEqual([]);
    expect((await readdir(previewRoot)).length).toBe(3);
    time.advance(LIFETIME_MS + 1);
    expect(previews.active).toBe(0);
    await eventually(async () => (await previewProcesses()).length, 0);
    await eventually(async () => (await readdir(previewRoot)).length, 0);
    expect((await fetch(previewUrl(recipe))).status).toBe(404);
    const page = await newPage();
    await page.goto(links.url(recipe.id));
    expect(await page.locator('#preview').getAttribute('data-state')).toBe('stopped');
    expect(await page.locator('#preview').textContent()).toContain(
      'The preview stopped after its time was up',
    );
    await page.close();
  }, 60_000);
});
