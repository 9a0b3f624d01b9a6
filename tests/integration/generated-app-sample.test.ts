/**
 * A sample of random specs fully validated in the real sandbox: install (a hard link from the shared
 * template dependency cache), lint, typecheck, the app's own API and UI tests, and the build.
 * generated-apps.test.ts type-checks and lints many more; this catches what only running shows.
 * The second app runs on the Node LTS line generated apps deploy on (APP_NODE_MAJOR), the first on
 * the worker's own Node (Autonoma's minimum): the one dependency set must work on both.
 */
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { APP_NODE_MAJOR } from '../../src/agents/offline/app/deployment/node-lts.js';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { writeAppFiles } from '../../src/agents/pipeline/workspace-files.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import type { Sandbox } from '../../src/core/ports/sandbox.js';
import { validateApp } from '../../src/agents/validation/validate-app.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';
import { nodeLtsPrefix } from '../helpers/node-lts.js';
import { specArbitrary } from '../helpers/spec-arbitrary.js';

/** Both specs of this seed carry derived values (grouped, a streak, a flag), so their own tests run here. */
const SEED = 7_365;
const SAMPLE = fc.sample(specArbitrary, { seed: SEED, numRuns: 2 });

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const NODES = ['worker', 'lts'] as const;

it.each(SAMPLE.map((spec, index) => [index, NODES[index % NODES.length]!, spec] as const))(
  'random spec %i validates on the %s Node: install, lint, typecheck, test, build',
  async (_index, node, spec) => {
    await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
    const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'generated-'));
    dirs.push(dir);
    await chmod(dir, 0o755); // the sandbox user must be able to reach the app
    await writeAppFiles(dir, renderApp(spec));
    const sandbox = createBwrapSandbox({
      limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
      ...(node === 'lts' ? { nodePrefix: await nodeLtsPrefix() } : {}),
    });
    if (node === 'lts') expect(await nodeMajorIn(sandbox, dir)).toBe(APP_NODE_MAJOR);
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

/** The Node major a command in this sandbox really runs (the PATH it sees, not the host's). */
async function nodeMajorIn(sandbox: Sandbox, dir: string): Promise<number> {
  const session = await sandbox.open();
  try {
    const result = await session.run({
      workDir: dir,
      command: 'node',
      args: ['-p', 'process.versions.node'],
      network: 'none',
      timeoutMs: 30_000,
    });
    return Number(result.output.trim().split('.')[0]);
  } finally {
    await session.close();
  }
}
