/**
 * The model path's first wall: a model writes package.json with `^` ranges and no lockfile. The
 * agent team (offline decisions, with the architect's output reshaped the way a model writes it)
 * goes through the real sandboxed validation, and the app it returns carries the lockfile Autonoma
 * resolved, so its branch installs with `npm ci`.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, expect, it } from '@jest/globals';
import { checkSyntax, createWorkspaceTools } from '../../src/agents/mcp/index.js';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { createAgentPipeline, type AgentPipelineDeps } from '../../src/agents/pipeline/app-pipeline.js';
import { createOfflineProvider } from '../../src/agents/providers/offline-provider.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { loadStarterFiles } from '../../src/agents/starter/starter-files.js';
import { validateApp } from '../../src/agents/validation/validate-app.js';
import type { ModelProvider } from '../../src/core/ports/model-provider.js';
import { buildRequest, recordingContext, tempDir } from '../helpers/pipeline-fixtures.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';

const cacheDir = path.join(SANDBOX_TEST_ROOT, 'model-lockfile-deps');
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** What a model does with a project manifest: ranges, not pins, and no lockfile at all. */
function withoutLockfile(inner: ModelProvider): ModelProvider {
  return {
    name: inner.name,
    cost: (model, usage) => inner.cost(model, usage),
    async complete(request) {
      const response = await inner.complete(request);
      response.toolCalls = response.toolCalls.filter(
        (c) => !(c.name === 'write_file' && c.arguments.path === 'package-lock.json'),
      );
      const manifest = response.toolCalls.find(
        (c) => c.name === 'write_file' && c.arguments.path === 'package.json',
      );
      if (manifest) {
        const json = JSON.parse(String(manifest.arguments.content)) as Record<string, Record<string, string>>;
        for (const field of ['dependencies', 'devDependencies'])
          for (const [name, version] of Object.entries(json[field] ?? {})) json[field]![name] = `^${version}`;
        manifest.arguments = { ...manifest.arguments, content: `${JSON.stringify(json, null, 2)}\n` };
      }
      return response;
    },
  };
}

/** "a todo app with tags" through the agent team and the real sandboxed validation, no repairs. */
async function buildTodoApp(
  workspaceDir: string,
  deps: Pick<AgentPipelineDeps, 'provider'> & Partial<Pick<AgentPipelineDeps, 'cacheDir' | 'starter'>>,
) {
  const sandbox = createBwrapSandbox({
    limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
  });
  const context = recordingContext();
  return createAgentPipeline({
    connectTools: (dir) => createWorkspaceTools(dir),
    checkSyntax: (root) => checkSyntax(root),
    validateApp: (options) => validateApp({ ...options, sandbox }),
    cacheDir,
    scratchDir: path.join(SANDBOX_TEST_ROOT, 'model-lockfile-scratch'),
    validationTimeoutMs: 300_000,
    repairRounds: 0,
    sleep: async () => undefined,
    ...deps,
  }).generate({
    request: buildRequest('a todo app with tags'),
    workspaceDir,
    signal: new AbortController().signal,
    progress: context.progress,
    recorder: context.recorder,
  });
}

it('validates an app whose package.json has no lockfile and returns it with the resolved one', async () => {
  const workspaceDir = await tempDir();
  dirs.push(workspaceDir);
  const output = await buildTodoApp(workspaceDir, { provider: withoutLockfile(createOfflineProvider()) });
  expect({
    ok: output.validation.ok,
    install: output.validation.install?.output?.slice(0, 300),
  }).toMatchObject({
    ok: true,
  });
  expect(output.validation.lockfile).toEqual({
    resolved: true,
    reason: 'package.json has no package-lock.json beside it',
  });
  const lock = JSON.parse(output.files.get('package-lock.json') ?? '{}');
  const manifest = JSON.parse(output.files.get('package.json') ?? '{}');
  expect(lock.packages[''].dependencies).toEqual(manifest.dependencies);
  expect(lock.packages['node_modules/react']?.integrity).toMatch(/^sha512-/);
}, 400_000);

it('builds on the locked starter and resolves nothing: the offline app validates end to end', async () => {
  const workspaceDir = await tempDir();
  dirs.push(workspaceDir);
  const output = await buildTodoApp(workspaceDir, {
    provider: createOfflineProvider(),
    cacheDir: TEMPLATE_DEPS_CACHE,
    starter: loadStarterFiles,
  });
  expect({
    ok: output.validation.ok,
    failure: output.validation.ok ? '' : JSON.stringify(output.validation, null, 2).slice(0, 2000),
  }).toEqual({ ok: true, failure: '' });
  expect(output.validation.lockfile).toBeUndefined();
  // The offline agents rewrote every starter file, the lockfile included: nothing of the starter is left.
  const offline = renderApp(output.spec);
  for (const file of (await loadStarterFiles(output.spec.slug)).keys())
    expect({ file, current: output.files.get(file) === offline.get(file) }).toEqual({ file, current: true });
}, 400_000);
