/**
 * Generator correctness by construction: random valid specs (every field type, ranges, relations
 * both ways, names that clash with the generated code's own) render apps that type-check and lint
 * clean, all of them in one tsc program and one Biome run with the template's real toolchain. A
 * failure is shrunk by fast-check (one app per check) and printed with its diagnostics.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { renderPackageLock } from '../../src/agents/offline/app/project/package.js';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { ensureDependencies } from '../../src/agents/validation/dependency-cache.js';
import type { Spec } from '../../src/core/domain/spec.js';
import { checkApps, writeApps } from '../helpers/generated-apps.js';
import { TEMPLATE_DEPS_CACHE, TEST_LIMITS } from '../helpers/sandbox-fixtures.js';
import { specArbitrary } from '../helpers/spec-arbitrary.js';

const SEED = 20_250_611;
const RUNS = 30;
/** Shrinking compiles one app per candidate: bounded, and only ever spent on a failure. */
const SHRINK_MS = 180_000;

// Biome skips anything under a node_modules directory, so the apps live in the system temp dir.
let root = '';
let nodeModules = '';

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autonoma-generated-apps-'));
  const sandbox = createBwrapSandbox({
    limits: { ...TEST_LIMITS, diskBytes: 2 * 2 ** 30, fileSizeBytes: 2 ** 30 },
  });
  const session = await sandbox.open();
  try {
    const deps = await ensureDependencies(renderPackageLock({ slug: 'generated-apps' }), {
      cacheDir: TEMPLATE_DEPS_CACHE,
      session,
      timeoutMs: 300_000,
    });
    if (!deps.result.ok)
      throw new Error(`installing the template's dependencies failed:\n${deps.result.output}`);
    nodeModules = deps.nodeModules;
  } finally {
    await session.close();
  }
}, 400_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

it(`type-checks and lints ${RUNS} apps rendered from random specs`, async () => {
  const specs = fc.sample(specArbitrary, { seed: SEED, numRuns: RUNS });
  await writeApps(path.join(root, 'batch'), nodeModules, specs);
  const problems = await checkApps(path.join(root, 'batch'), specs.length);
  const failing = new Map(problems.map((p) => [JSON.stringify(specs[p.index]), p.diagnostics]));
  if (failing.size === 0) return;

  // The same seed replays the same specs (already checked together); any other spec is a shrink
  // candidate and is checked on its own.
  const batch = new Set(specs.map((spec) => JSON.stringify(spec)));
  let candidates = 0;
  const diagnosticsOf = async (spec: Spec): Promise<string[]> => {
    const key = JSON.stringify(spec);
    if (batch.has(key)) return failing.get(key) ?? [];
    const dir = path.join(root, `shrink-${candidates++}`);
    await writeApps(dir, nodeModules, [spec]);
    const [found] = await checkApps(dir, 1);
    await rm(dir, { recursive: true, force: true });
    return found?.diagnostics ?? [];
  };
  let lastDiagnostics: string[] = [];
  const result = await fc.check(
    fc.asyncProperty(specArbitrary, async (spec) => {
      const diagnostics = await diagnosticsOf(spec);
      if (diagnostics.length > 0) lastDiagnostics = diagnostics;
      return diagnostics.length === 0;
    }),
    { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: SHRINK_MS },
  );
  const shrunk = result.counterexample?.[0] ?? specs[problems[0]?.index ?? 0];
  expect({
    failingApps: `${problems.length} of ${RUNS}`,
    shrunkSpec: shrunk,
    diagnostics: lastDiagnostics.length > 0 ? lastDiagnostics : problems[0]?.diagnostics,
  }).toEqual({ failingApps: `0 of ${RUNS}` });
}, 600_000);
