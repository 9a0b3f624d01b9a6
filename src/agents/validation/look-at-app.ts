/**
 * Run and look: the built app is started in the sandbox and opened in headless Chromium (Debian's,
 * driven by playwright-core; nothing is downloaded) to take screenshots of its home page and of each
 * section its navigation offers, at desktop and phone widths, and to create one record through the
 * UI. Everything the sandbox writes is untrusted: file names, sizes and PNG headers are checked
 * before anything is read, and result.json goes through zod.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LookScreenshotSchema, type AppLookReport } from '../../core/domain/request.js';
import { toolPath, type SandboxDriverName, type SandboxSession } from '../../core/ports/sandbox.js';
import { isBlankPng, pngSize } from './png.js';

export interface Viewport {
  name: 'desktop' | 'phone';
  width: number;
  height: number;
  mobile: boolean;
}

export const VIEWPORTS: readonly Viewport[] = [
  { name: 'desktop', width: 1280, height: 800, mobile: false },
  { name: 'phone', width: 390, height: 844, mobile: true },
];

/** Debian's real binary first: /usr/bin/chromium is a shell wrapper that reads /etc/chromium.d. */
const BROWSER_CANDIDATES = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Flags for a headless Chromium that runs inside our sandbox (which already contains it). */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

const OUT_DIR = '.autonoma-look';
const MAX_PNG_BYTES = 4 * 1024 * 1024;
const MAX_RESULT_BYTES = 256 * 1024;
const SCREENSHOT_NAME = /^([a-z0-9][a-z0-9-]{0,59})-(desktop|phone)\.png$/;

export interface LookAtAppOptions {
  session: SandboxSession;
  driver: SandboxDriverName;
  /** The validated, built copy of the app (its node_modules in place). */
  dir: string;
  /** The app's documented environment (from .env.example), as its scripts saw it. */
  env: Readonly<Record<string, string>>;
  /** Chromium's executable; found among the usual places when not given. */
  browserPath?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Create one record through the UI (data apps). */
  smoke: boolean;
  maxSections?: number;
}

export interface Screenshot {
  file: string;
  name: string;
  viewport: Viewport['name'];
  png: Buffer;
}

export interface AppLook {
  report: AppLookReport;
  screenshots: Screenshot[];
}

/** The first Chromium that exists, or undefined: screenshots then become a notice. */
export function findBrowser(
  configured?: string,
  exists: (p: string) => boolean = existsSync,
): string | undefined {
  if (configured) return exists(configured) ? configured : undefined;
  return BROWSER_CANDIDATES.find((candidate) => exists(candidate));
}

const RunnerResultSchema = z.object({
  started: z.boolean(),
  error: z.string().max(600).optional(),
  appOutput: z.string().max(8000).default(''),
  appExit: z.object({ code: z.number().nullable(), signal: z.string().nullable() }).optional(),
  screenshots: z.array(LookScreenshotSchema.pick({ file: true, name: true, viewport: true })).max(40),
  consoleErrors: z.array(z.string().max(600)).max(20),
  sections: z.array(z.string().max(600)).max(50),
  smoke: z
    .object({
      ok: z.boolean(),
      skipped: z.string().max(200).optional(),
      detail: z.string().max(600).optional(),
      section: z.string().max(600).optional(),
    })
    .optional(),
  durationMs: z.number().nonnegative().optional(),
});
type RunnerResult = z.infer<typeof RunnerResultSchema>;

const runnerDir = fileURLToPath(new URL('./look/', import.meta.url));

function playwrightDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('playwright-core/package.json'));
}

function notice(text: string, started: number): AppLook {
  return {
    report: {
      ok: true,
      durationMs: Date.now() - started,
      notice: text,
      problems: [],
      sections: [],
      screenshots: [],
      consoleErrors: [],
    },
    screenshots: [],
  };
}

async function hasStartScript(dir: string): Promise<boolean> {
  const raw = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => '');
  try {
    const scripts = (JSON.parse(raw) as { scripts?: Record<string, unknown> }).scripts;
    return typeof scripts?.start === 'string';
  } catch {
    return false;
  }
}

/** Starts the built app in the sandbox and looks at it; never throws for what the app does. */
export async function lookAtApp(options: LookAtAppOptions): Promise<AppLook> {
  const started = Date.now();
  const browserPath = findBrowser(options.browserPath);
  if (!browserPath)
    return notice(
      'Screenshots skipped: no Chromium found (install Debian’s chromium package or set AUTONOMA_BROWSER_PATH).',
      started,
    );
  if (!(await hasStartScript(options.dir)))
    return notice('Screenshots skipped: package.json has no "start" script to run the built app.', started);

  const tools = [
    { name: 'look', hostDir: runnerDir },
    { name: 'playwright-core', hostDir: playwrightDir() },
  ];
  const [look, playwright] = tools.map((tool) => toolPath(options.driver, tool)) as [string, string];
  const outDir = path.join(options.dir, OUT_DIR);
  await rm(outDir, { recursive: true, force: true });
  // The sandbox has its own network namespace (loopback only), so any port is free there; with the
  // `none` driver the app shares the host's, hence a port derived from the clock rather than a fixed one.
  const port = 20000 + (started % 20000);
  const config = {
    appDir: options.driver === 'none' ? options.dir : '/work',
    outDir: options.driver === 'none' ? outDir : `/work/${OUT_DIR}`,
    start: { command: 'npm', args: ['run', '--silent', 'start'] },
    port,
    url: `http://127.0.0.1:${port}/`,
    timeoutMs: Math.max(5000, options.timeoutMs - 5000),
    startTimeoutMs: Math.min(30000, options.timeoutMs / 2),
    viewports: VIEWPORTS,
    maxSections: options.maxSections ?? 8,
    smoke: options.smoke,
    browserPath,
    browserArgs: BROWSER_ARGS,
    playwrightDir: playwright,
  };
  const run = await options.session.run({
    workDir: options.dir,
    command: 'node',
    args: [path.posix.join(look, 'look-runner.mjs')],
    network: 'none',
    env: { ...options.env, AUTONOMA_LOOK: JSON.stringify(config) },
    tools,
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const result = await readResult(outDir);
    if (!result) {
      const why = run.timedOut ? 'it ran out of time' : `it stopped: ${run.output.slice(-300)}`;
      return failed(`Could not look at the app: ${why}`, started);
    }
    const screenshots = await readScreenshots(outDir, result);
    return { report: await summarize(result, screenshots, started), screenshots };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

function failed(problem: string, started: number): AppLook {
  return {
    report: {
      ok: false,
      durationMs: Date.now() - started,
      problems: [problem.slice(0, 600)],
      sections: [],
      screenshots: [],
      consoleErrors: [],
    },
    screenshots: [],
  };
}

async function readResult(outDir: string): Promise<RunnerResult | undefined> {
  const file = path.join(outDir, 'result.json');
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > MAX_RESULT_BYTES) return undefined;
  try {
    return RunnerResultSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Only regular files with the names the runner reported and a real PNG header, each bounded. */
async function readScreenshots(outDir: string, result: RunnerResult): Promise<Screenshot[]> {
  const present = new Set(await readdir(outDir).catch(() => [] as string[]));
  const shots: Screenshot[] = [];
  for (const entry of result.screenshots) {
    const match = SCREENSHOT_NAME.exec(entry.file);
    if (!match || !present.has(entry.file)) continue;
    const file = path.join(outDir, entry.file);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.size === 0 || info.size > MAX_PNG_BYTES) continue;
    const png = await readFile(file);
    if (!pngSize(png)) continue;
    shots.push({ file: entry.file, name: match[1] as string, viewport: match[2] as Viewport['name'], png });
  }
  return shots;
}

async function summarize(result: RunnerResult, shots: Screenshot[], started: number): Promise<AppLookReport> {
  const problems: string[] = [];
  if (!result.started) problems.push(result.error ?? 'The app did not start.');
  else if (result.error) problems.push(`The browser stopped: ${result.error}`);
  if (!result.started && result.appOutput.trim())
    problems.push(`The app said: ${result.appOutput.trim().slice(-400)}`);
  const screenshots = shots.map((shot) => {
    const size = pngSize(shot.png) ?? { width: 1, height: 1 };
    return {
      file: shot.file,
      name: shot.name,
      viewport: shot.viewport,
      width: size.width,
      height: size.height,
      bytes: shot.png.length,
      blank: isBlankPng(shot.png),
    };
  });
  const home = screenshots.find((s) => s.name === 'home' && s.viewport === 'desktop');
  if (home?.blank) problems.push('The home page rendered blank (nothing but one colour).');
  if (result.consoleErrors.length > 0)
    problems.push(`The browser console showed ${result.consoleErrors.length} error(s).`);
  if (result.smoke && !result.smoke.ok && result.smoke.detail) problems.push(result.smoke.detail);
  return {
    ok: problems.length === 0,
    durationMs: Date.now() - started,
    problems: problems.map((p) => p.slice(0, 600)),
    sections: result.sections.map((s) => s.slice(0, 200)),
    screenshots,
    consoleErrors: result.consoleErrors,
    ...(result.smoke
      ? {
          smoke: {
            ok: result.smoke.ok,
            ...(result.smoke.detail ? { detail: result.smoke.detail } : {}),
            ...(result.smoke.skipped ? { skipped: result.smoke.skipped } : {}),
          },
        }
      : {}),
  };
}
