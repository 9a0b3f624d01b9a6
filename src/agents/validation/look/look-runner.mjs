// Runs INSIDE the sandbox, next to the generated app (untrusted code): starts the built app, waits
// for it to answer, opens it in headless Chromium through playwright-core, takes screenshots of its
// home page and of each section its navigation offers, at desktop and phone widths, and tries to
// create one record through the UI. Writes PNGs and result.json to the output directory; the
// worker treats everything written here as untrusted data.
//
// Configuration comes as JSON in AUTONOMA_LOOK (see look-at-app.ts); plain JavaScript so it needs
// no build step inside the sandbox.
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const config = JSON.parse(process.env.AUTONOMA_LOOK ?? '{}');
const started = Date.now();
const deadline = started + config.timeoutMs;
const remaining = () => Math.max(1, deadline - Date.now());
const result = { started: false, screenshots: [], consoleErrors: [], sections: [], appOutput: '' };

const MAX_CONSOLE_ERRORS = 20;
const MAX_TEXT = 500;
const clip = (text) => String(text).slice(0, MAX_TEXT);

function startApp() {
  const child = spawn(config.start.command, config.start.args, {
    cwd: config.appDir,
    env: { ...process.env, PORT: String(config.port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const keep = (chunk) => {
    result.appOutput = (result.appOutput + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('exit', (code, signal) => {
    result.appExit = { code, signal };
  });
  return child;
}

async function waitForApp(url) {
  const until = Math.min(deadline, Date.now() + config.startTimeoutMs);
  while (Date.now() < until) {
    if (result.appExit) return false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

function slugOf(text, index) {
  const slug = String(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return slug || `section-${index + 1}`;
}

/** The clickable entries of the app's main navigation (buttons or links), home excluded. */
async function navigationEntries(page) {
  const nav = page.locator('nav').first();
  if ((await nav.count()) === 0) return [];
  const entries = nav.locator('a, button');
  const count = Math.min(await entries.count(), config.maxSections);
  const found = [];
  for (let i = 0; i < count; i++) {
    const label = (
      (await entries
        .nth(i)
        .innerText()
        .catch(() => '')) || ''
    ).trim();
    if (!label || /^home$/i.test(label)) continue;
    const href = await entries.nth(i).getAttribute('href');
    if (href && /^(https?:)?\/\//i.test(href) && !href.includes('127.0.0.1')) continue; // leaves the app
    found.push({ index: i, label: clip(label) });
  }
  return found;
}

async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: Math.min(5000, remaining()) }).catch(() => {});
}

async function shoot(page, name, viewport) {
  const file = `${name}-${viewport}.png`;
  await page.screenshot({ path: path.join(config.outDir, file), timeout: Math.min(10000, remaining()) });
  result.screenshots.push({ file, name, viewport });
}

async function openSection(page, entry) {
  await page.goto(config.url, { timeout: remaining() });
  await settle(page);
  const target = page.locator('nav').first().locator('a, button').nth(entry.index);
  await target.click({ timeout: Math.min(5000, remaining()) });
  await settle(page);
}

async function visit(browser, viewport) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    isMobile: viewport.mobile,
    hasTouch: viewport.mobile,
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && result.consoleErrors.length < MAX_CONSOLE_ERRORS)
      result.consoleErrors.push(clip(message.text()));
  });
  page.on('pageerror', (error) => {
    if (result.consoleErrors.length < MAX_CONSOLE_ERRORS) result.consoleErrors.push(clip(error.message));
  });
  await page.goto(config.url, { timeout: remaining() });
  await settle(page);
  await shoot(page, 'home', viewport.name);
  const entries = await navigationEntries(page);
  if (viewport.name === config.viewports[0].name) result.sections = entries.map((e) => e.label);
  for (const [i, entry] of entries.entries()) {
    await openSection(page, entry);
    await shoot(page, slugOf(entry.label, i), viewport.name);
  }
  return { context, page, entries };
}

/** A value an input of this kind accepts; `marker` goes into the first free-text field. */
function valueFor(type, marker, usedMarker) {
  const today = new Date().toISOString().slice(0, 10);
  switch (type) {
    case 'email':
      return 'smoke@example.com';
    case 'url':
      return 'https://example.com/';
    case 'tel':
      return '5550100';
    case 'number':
    case 'range':
      return undefined; // min or 1, below
    case 'date':
      return today;
    case 'datetime-local':
      return `${today}T12:00`;
    case 'time':
      return '12:00';
    case 'month':
      return today.slice(0, 7);
    case 'week':
      return undefined;
    case 'color':
      return '#336699';
    default:
      return usedMarker ? `${marker} note` : marker;
  }
}

/** Fills every field of the form: the first text field gets the marker the list must then show. */
async function fillForm(form, marker) {
  let usedMarker = false;
  const fields = form.locator('input, textarea, select');
  const count = await fields.count();
  const radioGroups = new Set();
  for (let i = 0; i < count; i++) {
    const field = fields.nth(i);
    if (!(await field.isVisible().catch(() => false)) || !(await field.isEditable().catch(() => false)))
      continue;
    const tag = await field.evaluate((el) => el.tagName.toLowerCase());
    const type = tag === 'input' ? ((await field.getAttribute('type')) ?? 'text').toLowerCase() : tag;
    if (['hidden', 'submit', 'button', 'reset', 'file', 'image', 'password'].includes(type)) continue;
    if (type === 'checkbox') continue;
    if (type === 'radio') {
      const group = (await field.getAttribute('name')) ?? `radio-${i}`;
      if (!radioGroups.has(group)) {
        radioGroups.add(group);
        await field.check({ force: true }).catch(() => {});
      }
      continue;
    }
    if (type === 'select') {
      const options = await field
        .locator('option')
        .evaluateAll((nodes) => nodes.map((n) => ({ value: n.value, disabled: n.disabled })));
      const choice = options.find((o) => o.value !== '' && !o.disabled);
      if (choice) await field.selectOption(choice.value).catch(() => {});
      continue;
    }
    let value = valueFor(type, marker, usedMarker);
    if (value === undefined) {
      const min = Number(await field.getAttribute('min'));
      value = String(Number.isFinite(min) && min > 0 ? min : 1);
    }
    if (value.startsWith(marker)) usedMarker = true;
    await field.fill(value).catch(() => {});
  }
  return usedMarker;
}

/** The first form on the page that creates something: not a search form (role, input type or name). */
async function creationForm(page) {
  const forms = page.locator('form');
  const count = await forms.count();
  for (let i = 0; i < count; i++) {
    const form = forms.nth(i);
    if (!(await form.isVisible().catch(() => false))) continue;
    const searchOnly = await form.evaluate((f) => {
      if (f.getAttribute('role') === 'search') return true;
      const fields = [...f.querySelectorAll('input, textarea, select')].filter(
        (el) => !['hidden', 'submit', 'button'].includes(el.getAttribute('type') ?? ''),
      );
      const searchish = (el) =>
        el.getAttribute('type') === 'search' ||
        /^(q|query|search)$/i.test(el.getAttribute('name') ?? '') ||
        /search/i.test(`${el.getAttribute('aria-label') ?? ''} ${el.getAttribute('placeholder') ?? ''}`);
      return fields.length === 0 || fields.every(searchish);
    });
    if (!searchOnly) return form;
  }
  return undefined;
}

/** The fields the browser still finds invalid, by label: what kept a form from being sent. */
async function invalidFields(form) {
  return form.evaluate((f) =>
    [...f.querySelectorAll(':invalid')]
      .filter((el) => el !== f && !(el instanceof HTMLFieldSetElement))
      .map((el) => {
        const label =
          (el.labels && el.labels[0] && el.labels[0].innerText) || el.getAttribute('aria-label') || el.name;
        return String(label || el.tagName)
          .trim()
          .slice(0, 60);
      }),
  );
}

/**
 * Creates one record through the first section whose form the browser considers complete once filled
 * (a form needing a related record that does not exist yet is passed over), and looks for it afterwards.
 */
async function smoke(page, entries) {
  if ((await page.locator('input[type="password"]').count()) > 0)
    return { ok: true, skipped: 'the app asks to sign in first' };
  const marker = `Smoke ${Math.floor(1000 + Math.random() * 9000)}`;
  const blocked = [];
  for (const entry of entries) {
    await openSection(page, entry);
    // A "New …" button opens the creation form; a list page's search box is not one.
    const add = page.getByRole('button', { name: /^\s*(\+\s*)?(new|add|create)\b/i }).first();
    if ((await add.count()) > 0) {
      await add.click({ timeout: Math.min(5000, remaining()) });
      await settle(page);
    }
    const form = await creationForm(page);
    if (!form) continue;
    const usedMarker = await fillForm(form, marker);
    if (!usedMarker) continue;
    const invalid = await invalidFields(form);
    if (invalid.length > 0) {
      blocked.push(`${entry.label} (${invalid.join(', ')})`);
      continue;
    }
    const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
    if ((await submit.count()) > 0) await submit.click({ timeout: Math.min(5000, remaining()) });
    else await form.evaluate((f) => f.requestSubmit());
    await settle(page);
    // The record must show up as text on the page outside any form: not the textarea it was typed
    // into, nor a form still on screen while the request is pending.
    const shown = await page
      .waitForFunction(
        (text) => {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!parent || parent.closest('form, textarea, select, [contenteditable]')) continue;
            if (node.textContent && node.textContent.includes(text)) return true;
          }
          return false;
        },
        marker,
        { timeout: Math.min(8000, remaining()) },
      )
      .then(() => true)
      .catch(() => false);
    await shoot(page, 'created', 'desktop');
    if (shown) return { ok: true, section: entry.label, detail: `created "${marker}" in ${entry.label}` };
    const alerts = await page
      .locator('[role="alert"], .error')
      .allInnerTexts()
      .catch(() => []);
    return {
      ok: false,
      section: entry.label,
      detail: clip(
        `a record created through the ${entry.label} form did not appear` +
          (alerts.length > 0 ? `; the page said: ${alerts.join(' / ')}` : ''),
      ),
    };
  }
  return {
    ok: true,
    skipped: clip(
      blocked.length > 0
        ? `no form could be completed: ${blocked.join('; ')}`
        : 'no section offers a form to create a record',
    ),
  };
}

async function main() {
  await mkdir(config.outDir, { recursive: true });
  const app = startApp();
  let browser;
  try {
    result.started = await waitForApp(config.url);
    if (!result.started) {
      result.error = result.appExit
        ? `the app stopped (exit ${result.appExit.code ?? result.appExit.signal}) before it answered`
        : `the app did not answer on port ${config.port} within ${Math.round(config.startTimeoutMs / 1000)} s`;
      return;
    }
    const { chromium } = await import(pathToFileURL(path.join(config.playwrightDir, 'index.mjs')).href);
    browser = await chromium.launch({
      executablePath: config.browserPath,
      args: config.browserArgs,
      timeout: remaining(),
    });
    let desktop;
    for (const viewport of config.viewports) {
      const visited = await visit(browser, viewport);
      if (viewport === config.viewports[0]) desktop = visited;
      else await visited.context.close();
    }
    if (config.smoke && desktop) result.smoke = await smoke(desktop.page, desktop.entries);
  } catch (error) {
    result.error = clip(error instanceof Error ? error.message : String(error));
  } finally {
    await browser?.close().catch(() => {});
    try {
      process.kill(-app.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    result.durationMs = Date.now() - started;
    await writeFile(path.join(config.outDir, 'result.json'), JSON.stringify(result));
  }
}

await main();
process.exit(0);
