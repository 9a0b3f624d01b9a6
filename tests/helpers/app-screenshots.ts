/**
 * Real screenshots of a generated app for the chat upload tests: the offline generator's app for a
 * prompt, its locked dependencies hard-linked from the shared template cache, built, started in the
 * bubblewrap sandbox and photographed in Chromium by the look step, as validation does after a
 * passing build (without the lint, typecheck and test steps, which other suites cover).
 */
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { parsePromptToSpec } from '../../src/agents/offline/requirements/index.js';
import { writeAppFiles } from '../../src/agents/pipeline/workspace-files.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { ensureDependencies } from '../../src/agents/validation/dependency-cache.js';
import { lookAtApp, type Screenshot } from '../../src/agents/validation/look-at-app.js';
import { provideNodeModules } from '../../src/agents/validation/provide-node-modules.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from './sandbox-fixtures.js';

export async function photographGeneratedApp(prompt: string): Promise<Screenshot[]> {
  await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
  const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'shots-'));
  await chmod(dir, 0o755); // the sandbox user must be able to reach the app
  const sandbox = createBwrapSandbox({
    limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
  });
  const session = await sandbox.open();
  try {
    await writeAppFiles(dir, renderApp(parsePromptToSpec(prompt)));
    const lockfile = await readFile(path.join(dir, 'package-lock.json'), 'utf8');
    const deps = await ensureDependencies(lockfile, {
      cacheDir: TEMPLATE_DEPS_CACHE,
      session,
      timeoutMs: 300_000,
    });
    if (!deps.result.ok) throw new Error(`install failed:\n${deps.result.output.slice(-2000)}`);
    await session.grant(dir);
    await provideNodeModules(deps.nodeModules, dir, session, sandbox.driver);
    const build = await session.run({
      workDir: dir,
      command: 'npm',
      args: ['run', 'build'],
      network: 'none',
      env: {},
      timeoutMs: 120_000,
    });
    if (!build.ok) throw new Error(`build failed:\n${build.output.slice(-2000)}`);
    const look = await lookAtApp({
      session,
      driver: sandbox.driver,
      dir,
      env: {},
      timeoutMs: 60_000,
      smoke: false,
    });
    if (look.screenshots.length === 0) throw new Error(`no screenshots: ${JSON.stringify(look.report)}`);
    return look.screenshots;
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}
