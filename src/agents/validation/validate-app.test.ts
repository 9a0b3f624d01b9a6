import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Spec } from '../../core/domain/spec.js';
import { CancelledError } from '../../core/errors.js';
import { renderApp } from '../offline/app/index.js';
import { projectTrackerSpec, recipeBoxSpec } from '../offline/app/sample-specs.js';
import { createBwrapSandbox } from '../sandbox/bwrap-sandbox.js';
import { stripAnsi } from '../sandbox/run-command.js';
import { lockfileKey } from './dependency-cache.js';
import { type ValidateAppOptions, type ValidationStepName, validateApp as validate } from './validate-app.js';
import { TEMPLATE_DEPS_CACHE } from '../../../tests/helpers/sandbox-fixtures.js';

// Real installs and real builds in the real sandbox: reruns reuse this cache, so only the first run
// pays for `npm ci`. Apps are written beside it (one filesystem), so dependencies are hard-linked.
const cacheDir = TEMPLATE_DEPS_CACHE;
const STEP_TIMEOUT_MS = 120_000;
const sandbox = createBwrapSandbox({
  limits: {
    processes: 512,
    openFiles: 4096,
    fileSizeBytes: 2 ** 30,
    diskBytes: 2 * 2 ** 30,
    tmpBytes: 2 ** 30,
    memoryBytes: 4 * 2 ** 30,
  },
});
const validateApp = (options: Omit<ValidateAppOptions, 'sandbox'>) => validate({ ...options, sandbox });
let workDir: string;

async function writeApp(name: string, spec: Spec): Promise<string> {
  const dir = join(workDir, name);
  for (const [path, content] of renderApp(spec)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

beforeAll(async () => {
  await mkdir(resolve('node_modules/.cache'), { recursive: true });
  workDir = await mkdtemp(resolve('node_modules/.cache/autonoma-validate-'));
  await chmod(workDir, 0o755); // the sandbox user must be able to reach the apps inside
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('lockfileKey', () => {
  it('ignores the app name and version', () => {
    const a = renderApp(projectTrackerSpec).get('package-lock.json') ?? '';
    const b = renderApp(recipeBoxSpec).get('package-lock.json') ?? '';
    expect(a).not.toBe(b);
    expect(lockfileKey(a)).toBe(lockfileKey(b));
  });
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[32m✓\u001b[39m ok')).toBe('✓ ok');
  });
});

describe('validateApp (real npm, tsc, vitest, vite)', () => {
  it('passes every step for an app with every field type, relations and auth', async () => {
    const dir = await writeApp('tracker', projectTrackerSpec);
    const events: string[] = [];
    const report = await validateApp({
      dir,
      cacheDir,
      timeoutMs: STEP_TIMEOUT_MS,
      onStep: (step, state) => events.push(`${step}:${state}`),
    });
    const summary = Object.fromEntries(
      (['install', 'lint', 'typecheck', 'test', 'build'] as const).map((s) => [s, report[s]?.ok]),
    );
    expect({ summary, failure: report.ok ? '' : JSON.stringify(report, null, 2) }).toEqual({
      summary: { install: true, lint: true, typecheck: true, test: true, build: true },
      failure: '',
    });
    expect(report.ok).toBe(true);
    expect(report.syntax).toEqual({ ok: true, durationMs: 0 });
    expect(events).toEqual(
      (['install', 'lint', 'typecheck', 'test', 'build'] as ValidationStepName[]).flatMap((s) => [
        `${s}:started`,
        `${s}:passed`,
      ]),
    );
    expect(report.test?.output).toMatch(/Tests\s+\d+ passed/);
    // Hard links into the shared set: the same files, never a copy and never writable by the app.
    const own = statSync(join(dir, 'node_modules', 'vite', 'package.json'));
    const shared = statSync(
      join(cacheDir, report.dependencies?.key ?? '', 'node_modules', 'vite', 'package.json'),
    );
    expect(own.ino).toBe(shared.ino);
    expect(own.uid).toBe(process.getuid?.());
  }, 300_000);

  it('reuses the installed dependencies for a second app', async () => {
    const dir = await writeApp('recipes', recipeBoxSpec);
    const report = await validateApp({ dir, cacheDir, timeoutMs: STEP_TIMEOUT_MS });
    expect(report.ok).toBe(true);
    expect(report.dependencies?.reused).toBe(true);
    expect(report.install?.durationMs).toBeLessThan(2000);
    expect(report.install?.output).toContain('Reused');
  }, 120_000);

  it('reports the failing step with its output and stops there', async () => {
    const dir = await writeApp('broken', recipeBoxSpec);
    await writeFile(
      join(dir, 'tests/api/health.test.ts'),
      "import { expect, it } from 'vitest';\n\nit('is broken on purpose', () => {\n  expect(1 + 1).toBe(3);\n});\n",
    );
    const report = await validateApp({ dir, cacheDir, timeoutMs: STEP_TIMEOUT_MS });
    expect(report.ok).toBe(false);
    expect(report.typecheck?.ok).toBe(true);
    expect(report.test?.ok).toBe(false);
    expect(report.test?.output).toContain('is broken on purpose');
    expect(report.test?.output).not.toContain('\u001b[');
    expect(report.build).toBeUndefined();
  }, 120_000);

  it('skips everything when the caller’s syntax check failed', async () => {
    const syntax = { ok: false, durationMs: 5, output: 'src/x.ts: unexpected token' };
    const report = await validateApp({ dir: workDir, cacheDir, timeoutMs: 1000, syntax });
    expect(report).toEqual({ ok: false, syntax, repairRounds: 0 });
  });

  it('throws CancelledError and stops the step when aborted', async () => {
    const dir = await writeApp('aborted', recipeBoxSpec);
    const controller = new AbortController();
    const started = Date.now();
    const validation = validateApp({
      dir,
      cacheDir,
      timeoutMs: STEP_TIMEOUT_MS,
      signal: controller.signal,
      onStep: (step, state) => {
        if (step === 'typecheck' && state === 'started') setTimeout(() => controller.abort(), 200);
      },
    });
    await expect(validation).rejects.toBeInstanceOf(CancelledError);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
});
