/**
 * A sample of random specs fully validated in the real sandbox: install (a hard link from the shared
 * template dependency cache), lint, typecheck, the app's own API and UI tests, and the build.
 * generated-apps.test.ts type-checks and lints many more; this catches what only running shows.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { writeAppFiles } from '../../src/agents/pipeline/workspace-files.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { validateApp } from '../../src/agents/validation/validate-app.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';
import { specArbitrary } from '../helpers/spec-arbitrary.js';

/** Both specs of this seed carry derived values (grouped, a streak, a flag), so their own tests run here. */
const SEED = 7_365;
const SAMPLE = fc.sample(specArbitrary, { seed: SEED, numRuns: 2 });

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it.each(SAMPLE.map((spec, index) => [index, spec] as const))(
  'random spec %i validates: install, lint, typecheck, test, build',
  async (_index, spec) => {
    await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
    const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'generated-'));
    dirs.push(dir);
    await chmod(dir, 0o755); // the sandbox user must be able to reach the app
    await writeAppFiles(dir, renderApp(spec));
    const sandbox = createBwrapSandbox({
      limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
    });
    const report = await validateApp({ dir, cacheDir: TEMPLATE_DEPS_CACHE, sandbox, timeoutMs: 300_000 });
    const summary = Object.fromEntries(
      (['install', 'lint', 'typecheck', 'test', 'build'] as const).map((s) => [s, report[s]?.ok]),
    );
    expect({
      summary,
      spec: report.ok ? null : spec,
      failure: report.ok ? '' : JSON.stringify(report, null, 2),
    }).toEqual({
      summary: { install: true, lint: true, typecheck: true, test: true, build: true },
      spec: null,
      failure: '',
    });
    // Nothing for the autofix to do: the generator writes lint-clean code.
    expect(report.files).toBeUndefined();
  },
  900_000,
);
