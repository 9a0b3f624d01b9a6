/**
 * The starter every build begins from is a working app as it stands: it installs from its own
 * lockfile (nothing resolved), and its lint, typecheck, tests and build pass in the real sandbox.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { writeAppFiles } from '../../src/agents/pipeline/workspace-files.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { loadStarterFiles } from '../../src/agents/starter/starter-files.js';
import { validateApp } from '../../src/agents/validation/validate-app.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it('validates as it stands, installing from its own lockfile', async () => {
  await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
  const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'starter-'));
  dirs.push(dir);
  await chmod(dir, 0o755); // the sandbox user must be able to reach the app
  await writeAppFiles(dir, await loadStarterFiles('starter-check'));
  const sandbox = createBwrapSandbox({
    limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
  });
  const report = await validateApp({ dir, cacheDir: TEMPLATE_DEPS_CACHE, sandbox, timeoutMs: 300_000 });
  const summary = Object.fromEntries(
    (['install', 'lint', 'typecheck', 'test', 'build'] as const).map((s) => [s, report[s]?.ok]),
  );
  expect({ summary, failure: report.ok ? '' : JSON.stringify(report, null, 2) }).toEqual({
    summary: { install: true, lint: true, typecheck: true, test: true, build: true },
    failure: '',
  });
  expect(report.lockfile).toBeUndefined();
  expect(report.files).toBeUndefined();
  expect(report.test?.output).toMatch(/Tests +3 passed/);
}, 400_000);
