/**
 * Run and look, for real: apps started in the bubblewrap sandbox (no network but loopback) and
 * opened in Debian's Chromium through playwright-core. Small hand-written apps show each way an app
 * can fail to be seen. A generated app installed, built, photographed and given one record is the
 * README's first command, tests/e2e/cli-build.test.ts, which checks the look and its screenshots.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { lookAtApp, type AppLook } from '../../src/agents/validation/look-at-app.js';
import { isBlankPng, pngSize } from '../../src/agents/validation/png.js';
import { SANDBOX_TEST_ROOT, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';

const sandbox = createBwrapSandbox({
  limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
});
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function appDir(files: Record<string, string>): Promise<string> {
  await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
  const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'look-'));
  dirs.push(dir);
  await chmod(dir, 0o755);
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** A one-file server app: `html` is what every GET answers. */
function serverApp(html: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: 'tiny',
      private: true,
      type: 'module',
      scripts: { start: 'node server.mjs' },
    }),
    'server.mjs': `import http from 'node:http';
const html = ${JSON.stringify(html)};
http.createServer((req, res) => { res.setHeader('content-type', 'text/html'); res.end(html); })
  .listen(Number(process.env.PORT), process.env.HOST);`,
    ...extra,
  };
}

async function look(dir: string, options: { smoke?: boolean; browserPath?: string } = {}): Promise<AppLook> {
  const session = await sandbox.open();
  try {
    await session.grant(dir);
    return await lookAtApp({
      session,
      driver: sandbox.driver,
      dir,
      env: {},
      timeoutMs: 60_000,
      smoke: options.smoke ?? false,
      ...(options.browserPath ? { browserPath: options.browserPath } : {}),
    });
  } finally {
    await session.close();
  }
}

describe('looking at hand-written apps', () => {
  it('photographs a page at desktop and phone widths and finds nothing wrong', async () => {
    const dir = await appDir(
      serverApp('<h1 style="color:#036">Plant log</h1><p>Three plants need water.</p>'),
    );
    const seen = await look(dir);
    expect(seen.report.problems).toEqual([]);
    expect(seen.report.ok).toBe(true);
    expect(seen.screenshots.map((s) => s.file).sort()).toEqual(['home-desktop.png', 'home-phone.png']);
    const desktop = seen.screenshots.find((s) => s.viewport === 'desktop')!;
    expect(pngSize(desktop.png)).toEqual({ width: 1280, height: 800 });
    expect(isBlankPng(desktop.png)).toBe(false);
    const phone = PNG.sync.read(seen.screenshots.find((s) => s.viewport === 'phone')!.png);
    expect(phone.width).toBe(390);
  }, 120_000);

  it('reports a page that throws while rendering: console error and a blank home page', async () => {
    const dir = await appDir(
      serverApp(
        '<div id="root"></div><script>throw new Error("Cannot read properties of undefined")</script>',
      ),
    );
    const seen = await look(dir);
    expect(seen.report.ok).toBe(false);
    expect(seen.report.consoleErrors.join('\n')).toMatch(/Cannot read properties of undefined/);
    expect(seen.report.problems.join('\n')).toMatch(/rendered blank/);
    expect(seen.report.screenshots.find((s) => s.file === 'home-desktop.png')?.blank).toBe(true);
  }, 120_000);

  it('says why an app that stops at start-up could not be seen, with its own last words', async () => {
    const dir = await appDir({
      'package.json': JSON.stringify({ name: 'dies', private: true, scripts: { start: 'node crash.js' } }),
      'crash.js': 'console.error("DATABASE_URL is not set"); process.exit(3);',
    });
    const seen = await look(dir);
    expect(seen.report.ok).toBe(false);
    expect(seen.report.problems.join('\n')).toMatch(/stopped \(exit \d+\) before it answered/);
    expect(seen.report.problems.join('\n')).toMatch(/DATABASE_URL is not set/);
    expect(seen.screenshots).toEqual([]);
  }, 120_000);

  it('fails the smoke check when a created record never shows up', async () => {
    const page = `<nav><a href="#">Home</a><button type="button" id="notes">Notes</button></nav>
<main><form onsubmit="event.preventDefault()"><label>Title <input name="title" required></label>
<button type="submit">Save</button></form><ul id="list"></ul></main>`;
    const dir = await appDir(serverApp(page));
    const seen = await look(dir, { smoke: true });
    expect(seen.report.sections).toEqual(['Notes']);
    expect(seen.report.smoke).toEqual({
      ok: false,
      detail: expect.stringMatching(/created through the Notes form did not appear/) as unknown as string,
    });
    expect(seen.report.ok).toBe(false);
  }, 120_000);

  it('opens the creation form past a search box, and does not count the text typed into it', async () => {
    // A list page: a search form first, a "New note" button revealing a form whose submit saves nothing.
    const page = `<nav><button type="button">Notes</button></nav>
<main><form role="search" id="s"><input name="q" placeholder="Search…"><button>Search</button></form>
<button type="button" id="new">New note</button>
<form id="f" hidden><label>Body <textarea name="body" required></textarea></label><button type="submit">Save</button></form>
<script>document.getElementById('new').onclick = () => { document.getElementById('f').hidden = false; };
document.getElementById('f').onsubmit = (e) => e.preventDefault();
// Like React's controlled textarea, the typed text also becomes the element's text content.
document.querySelector('textarea').oninput = (e) => { e.target.textContent = e.target.value; };
// A search echoes the query outside the form: typing the marker there must not count as creating it.
document.getElementById('s').onsubmit = (e) => { e.preventDefault();
  const p = document.createElement('p'); p.textContent = 'No notes match ' + e.target.q.value; document.querySelector('main').append(p); };</script></main>`;
    const dir = await appDir(serverApp(page));
    const seen = await look(dir, { smoke: true });
    expect(seen.report.smoke).toMatchObject({ ok: false });
    expect(seen.report.smoke?.detail).toMatch(/created through the Notes form did not appear/);
  }, 120_000);

  it('passes the smoke check when the list shows what the form created', async () => {
    const page = `<nav><button type="button">Notes</button></nav>
<main><form id="f"><label>Title <input name="title" required></label><label>Pages <input name="pages" type="number" min="1"></label>
<label>Due <input name="due" type="date"></label><button type="submit">Save</button></form><ul id="list"></ul></main>
<script>document.getElementById('f').addEventListener('submit', (e) => { e.preventDefault();
  const li = document.createElement('li'); li.textContent = e.target.title.value + ' (' + e.target.pages.value + ' pages)';
  document.getElementById('list').append(li); });</script>`;
    const dir = await appDir(serverApp(page));
    const seen = await look(dir, { smoke: true });
    expect(seen.report.smoke?.ok).toBe(true);
    expect(seen.report.smoke?.detail).toMatch(/^created "Smoke \d{4}" in Notes$/);
    expect(seen.screenshots.map((s) => s.file)).toContain('created-desktop.png');
    expect(seen.report.ok).toBe(true);
  }, 120_000);

  it('turns a missing browser into a notice, not a failure', async () => {
    const dir = await appDir(serverApp('<p>hi</p>'));
    const seen = await look(dir, { browserPath: '/nonexistent/chromium' });
    expect(seen.report).toMatchObject({
      ok: true,
      notice: expect.stringMatching(/no Chromium found/) as unknown as string,
    });
    expect(seen.screenshots).toEqual([]);
  });
});
