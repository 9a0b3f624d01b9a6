/**
 * Deterministic fixes before the checks, in the real sandbox with the offline template's real
 * Biome: slips it fixes safely cost no repair round and reach the workspace; a slip it cannot fix
 * safely still fails lint; a fixer that crashes, hangs or reaches outside the app never fails the
 * build nor leaks a file.
 */
import { chmod, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { checkSyntax } from '../../src/agents/mcp/index.js';
import { renderApp } from '../../src/agents/offline/app/index.js';
import { recipeBoxSpec } from '../../src/agents/offline/app/sample-specs.js';
import { validateWithRepairs } from '../../src/agents/pipeline/validation-gate.js';
import { writeAppFiles } from '../../src/agents/pipeline/workspace-files.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { runAutofix } from '../../src/agents/validation/autofix.js';
import { type AppValidationReport, validateApp } from '../../src/agents/validation/validate-app.js';
import { recordingContext, tempDir } from '../helpers/pipeline-fixtures.js';
import { SANDBOX_TEST_ROOT, TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';

const sandbox = createBwrapSandbox({
  limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
});
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const recipeBox = renderApp(recipeBoxSpec);
const ERRORS = 'src/server/http/errors.ts';
const FORMAT = 'src/client/lib/format.ts';
const UI_TEST = 'tests/ui/app.test.tsx';

/** Replaces one exact piece of a generated file, failing loudly if the generator changed. */
function edit(files: Map<string, string>, file: string, from: string, to: string): void {
  const text = files.get(file) ?? '';
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  files.set(file, text.replace(from, to));
}

/**
 * Slips Biome fixes safely under the app's own biome.json. The type imported without `type` fails
 * `tsc` (TS1484 under verbatimModuleSyntax) and so does the unused import (TS6133 under
 * noUnusedLocals; the app's biome.json makes its removal a safe fix): without the fixes each would
 * cost a repair round.
 */
function withFixableSlips(files: Map<string, string>): Map<string, string> {
  const slipped = new Map(files);
  edit(
    slipped,
    UI_TEST,
    "import { render, screen } from '@testing-library/react';",
    "import { fireEvent, render, screen } from '@testing-library/react';",
  );
  edit(
    slipped,
    ERRORS,
    "import type { ErrorRequestHandler, RequestHandler } from 'express';",
    "import { ErrorRequestHandler, RequestHandler } from 'express';",
  );
  edit(slipped, FORMAT, "value ? 'Yes' : 'No'", "!!value ? 'Yes' : 'No'");
  edit(
    slipped,
    FORMAT,
    "return value === null ? '' : new Date(value).toLocaleString();",
    "let shown = value === null ? '' : new Date(value).toLocaleString();\n  return shown;",
  );
  return slipped;
}
/** What `biome check --write` makes of them. */
const FIXED = {
  [UI_TEST]: recipeBox.get(UI_TEST),
  [ERRORS]: recipeBox.get(ERRORS),
  [FORMAT]: recipeBox
    .get(FORMAT)
    ?.replace(
      "return value === null ? '' : new Date(value).toLocaleString();",
      "const shown = value === null ? '' : new Date(value).toLocaleString();\n  return shown;",
    ),
};

/** A directory beside the dependency cache (hard links), reachable by the sandbox user. */
async function appDir(files: ReadonlyMap<string, string>): Promise<string> {
  await mkdir(SANDBOX_TEST_ROOT, { recursive: true });
  const dir = await mkdtemp(path.join(SANDBOX_TEST_ROOT, 'autofix-'));
  dirs.push(dir);
  await chmod(dir, 0o755);
  await writeAppFiles(dir, files);
  return dir;
}

describe('autofix in validation (real bwrap sandbox, the app’s own Biome)', () => {
  it('fixes what Biome fixes safely before the checks, and the gate writes it back with no repair round', async () => {
    const workspaceDir = await tempDir('autonoma-autofix-');
    dirs.push(workspaceDir);
    await writeAppFiles(workspaceDir, withFixableSlips(recipeBox));
    let validated: AppValidationReport | undefined;
    const repairs: string[] = [];
    const context = recordingContext();
    const report = await validateWithRepairs({
      workspaceDir,
      cacheDir: TEMPLATE_DEPS_CACHE,
      scratchDir: path.join(SANDBOX_TEST_ROOT, 'autofix-scratch'),
      timeoutMs: 120_000,
      repairRounds: 1,
      checkSyntax: (root) => checkSyntax(root),
      validateApp: async (options) => (validated = await validateApp({ ...options, sandbox })),
      progress: context.progress,
      owners: new Map(),
      repair: async (_roles, failure) => {
        repairs.push(failure.step);
      },
      signal: new AbortController().signal,
    });

    expect({ ok: validated?.ok, failure: validated?.ok ? '' : JSON.stringify(validated, null, 2) }).toEqual({
      ok: true,
      failure: '',
    });
    expect(validated?.lint?.ok).toBe(true);
    expect(validated?.typecheck?.ok).toBe(true);
    expect(validated?.autofix).toEqual({
      ok: true,
      durationMs: expect.any(Number),
      tool: 'biome',
      files: [FORMAT, ERRORS, UI_TEST],
    });
    expect(validated?.files).toEqual(FIXED);
    // The gate: no repair round, the fixed files in the workspace, the fixes counted in its report.
    expect(repairs).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      repairRounds: 0,
      autofix: { tool: 'biome', files: [FORMAT, ERRORS, UI_TEST] },
    });
    expect(report).not.toHaveProperty('files');
    for (const [file, content] of Object.entries(FIXED))
      expect(await readFile(path.join(workspaceDir, file), 'utf8')).toBe(content);
  }, 120_000);

  it('leaves a slip it cannot fix safely to fail lint, and still ships what it fixed', async () => {
    const files = withFixableSlips(recipeBox);
    // noDoubleEquals is an error whose fix (=== for ==) Biome marks unsafe: never applied here.
    edit(files, 'src/client/lib/form-values.ts', "value === ''", "value == ''");
    const before = files.get('src/client/lib/form-values.ts');
    const dir = await appDir(files);
    const report = await validateApp({ dir, cacheDir: TEMPLATE_DEPS_CACHE, sandbox, timeoutMs: 120_000 });
    expect(report.ok).toBe(false);
    expect(report.lint?.ok).toBe(false);
    expect(report.lint?.output).toMatch(
      /src\/client\/lib\/form-values\.ts:\d+:\d+ lint\/suspicious\/noDoubleEquals/,
    );
    expect(report.typecheck).toBeUndefined();
    expect(report.autofix?.files).toEqual([FORMAT, ERRORS, UI_TEST]);
    expect(report.files).toEqual(FIXED);
    expect(await readFile(path.join(dir, 'src/client/lib/form-values.ts'), 'utf8')).toBe(before);
  }, 120_000);

  it('formats and organizes imports when the app’s biome.json enables them, and keeps package.json’s meaning', async () => {
    const tiny = new Map([
      [
        'package.json',
        packageJsonWith({
          lint: 'biome lint .',
          typecheck: 'node -e 0',
          test: 'node -e 0',
          build: 'node -e 0',
        }),
      ],
      ['package-lock.json', recipeBox.get('package-lock.json') ?? ''],
      // Biome's defaults: recommended lint rules, the formatter (tabs) and import organizing on.
      ['biome.json', '{}\n'],
      [
        'src/load.ts',
        "import { z } from 'zod';\nimport { readFile } from 'node:fs/promises';\nexport const Name = z.string(  )\nexport async function load(p: string) { return Name.parse(await readFile(p,'utf8')) }\n",
      ],
    ]);
    const dir = await appDir(tiny);
    const report = await validateApp({ dir, cacheDir: TEMPLATE_DEPS_CACHE, sandbox, timeoutMs: 60_000 });
    expect({ ok: report.ok, failure: report.ok ? '' : JSON.stringify(report, null, 2) }).toEqual({
      ok: true,
      failure: '',
    });
    // package.json was reindented with tabs: the same JSON, so it is the app's formatting now.
    expect(report.autofix?.files).toEqual(['package.json', 'src/load.ts']);
    expect(report.files?.['src/load.ts']).toBe(
      'import { readFile } from "node:fs/promises";\nimport { z } from "zod";\nexport const Name = z.string();\nexport async function load(p: string) {\n\treturn Name.parse(await readFile(p, "utf8"));\n}\n',
    );
    expect(report.files?.['package.json']).toContain('\n\t"name": "recipe-box",\n');
    expect(JSON.parse(report.files?.['package.json'] ?? '')).toEqual(
      JSON.parse(tiny.get('package.json') ?? ''),
    );
    expect(report.files?.['package-lock.json']).toBeUndefined();
  }, 60_000);
});

describe('a fixer that misbehaves (real bwrap sandbox, stand-in tools)', () => {
  /** An app whose `node_modules/.bin/prettier` is the given shell script. */
  async function appWithPrettier(script: string): Promise<string> {
    const dir = await appDir(
      new Map([
        ['package.json', JSON.stringify({ name: 'app', devDependencies: { prettier: '3.0.0' } }, null, 2)],
        ['src/a.ts', 'export const a=1\n'],
        ['src/b.ts', 'export const b = 2;\n'],
        ['.github/workflows/ci.yml', 'on: push\n'],
        ['node_modules/.bin/prettier', `#!/bin/sh\n${script}\n`],
      ]),
    );
    await chmod(path.join(dir, 'node_modules/.bin/prettier'), 0o755);
    return dir;
  }

  async function autofix(dir: string, timeoutMs = 20_000) {
    const session = await sandbox.open();
    try {
      await session.grant(dir);
      return await runAutofix({ session, dir, env: {}, timeoutMs });
    } finally {
      await session.close();
    }
  }

  it('keeps what it fixed before a crash, follows no symlink, and puts back what install and the policy checked', async () => {
    const dir = await appWithPrettier(
      [
        "printf 'export const a = 1;\\n' > src/a.ts",
        'rm src/b.ts && ln -s /etc/hostname src/b.ts', // a file swapped for a link out of the app
        'ln -s /etc src/etc', // a directory link: never entered
        'printf \'{"name":"app","scripts":{"lint":"true"}}\' > package.json', // a meaning change
        "printf 'on: pull_request_target\\n' > .github/workflows/ci.yml",
        'echo "internal error" >&2; exit 2',
      ].join('\n'),
    );
    const outcome = await autofix(dir);
    expect(outcome).toMatchObject({ ok: false, tool: 'prettier', files: ['src/a.ts'] });
    expect(outcome?.contents).toEqual({ 'src/a.ts': 'export const a = 1;\n' });
    expect(outcome?.note).toMatch(
      /^prettier --write \. exited with code 2; what it changed before that is kept\.\ninternal error$/,
    );
    expect(JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))).toEqual({
      name: 'app',
      devDependencies: { prettier: '3.0.0' },
    });
    expect(await readFile(path.join(dir, '.github/workflows/ci.yml'), 'utf8')).toBe('on: push\n');
  });

  it('counts a non-zero exit with fixes as a normal end, and a hang as a note', async () => {
    const fixed = await autofix(await appWithPrettier("printf 'export const a = 1;\\n' > src/a.ts; exit 1"));
    expect(fixed).toMatchObject({ ok: true, files: ['src/a.ts'] });
    expect(fixed).not.toHaveProperty('note');

    const hung = await autofix(await appWithPrettier('sleep 30'), 1000);
    expect(hung).toMatchObject({ ok: false, files: [] });
    expect(hung?.note).toMatch(/^prettier --write \. was stopped after \d+ s \(time limit\)/);
  });

  it('does nothing for an app without a fixer it installed itself', async () => {
    const dir = await appDir(
      new Map([['package.json', '{"name":"app","devDependencies":{"prettier":"3.0.0"}}']]),
    );
    expect(await autofix(dir)).toBeUndefined();
  });
});

function packageJsonWith(scripts: Record<string, string>): string {
  const manifest = JSON.parse(recipeBox.get('package.json') ?? '{}') as Record<string, unknown>;
  return `${JSON.stringify({ ...manifest, scripts }, null, 2)}\n`;
}
