/**
 * Validation of one generated app in the bubblewrap sandbox vs with no sandbox, in the same run:
 * the same offline app, the same installed dependency set (made once, up front), fresh copies each
 * time, rounds alternating which driver goes first. Judged on the median total (goal ≤ 1.2×).
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderApp } from '../src/agents/offline/app/index.js';
import { recipeBoxSpec } from '../src/agents/offline/app/sample-specs.js';
import { createBwrapSandbox } from '../src/agents/sandbox/bwrap-sandbox.js';
import { createUnsandboxed } from '../src/agents/sandbox/unsandboxed.js';
import { validateApp, type AppValidationReport } from '../src/agents/validation/validate-app.js';
import type { Sandbox, SandboxLimits } from '../src/core/ports/sandbox.js';

const ROUNDS = Number(process.env.BENCH_SANDBOX_ROUNDS ?? 5);
const GOAL = 1.2;
const STEPS = ['install', 'lint', 'typecheck', 'test', 'build'] as const;
/** Generous limits, so a benchmark measures the sandbox and not a limit. */
export const BENCH_LIMITS: SandboxLimits = {
  processes: 512,
  openFiles: 4096,
  fileSizeBytes: 2 ** 30,
  diskBytes: 2 * 2 ** 30,
  tmpBytes: 2 ** 30,
  memoryBytes: 4 * 2 ** 30,
};

type Timings = Record<(typeof STEPS)[number] | 'total', number>;

async function writeCopy(root: string): Promise<string> {
  const dir = await mkdtemp(path.join(root, 'app-'));
  for (const [file, content] of renderApp(recipeBoxSpec)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

async function timed(sandbox: Sandbox, root: string, cacheDir: string): Promise<Timings> {
  const dir = await writeCopy(root);
  const started = performance.now();
  try {
    const report: AppValidationReport = await validateApp({ dir, cacheDir, sandbox, timeoutMs: 300_000 });
    const total = performance.now() - started;
    if (!report.ok)
      throw new Error(`${sandbox.driver}: validation failed:\n${JSON.stringify(report, null, 2)}`);
    const timings = { total } as Timings;
    for (const step of STEPS) timings[step] = report[step]?.durationMs ?? 0;
    return timings;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export async function run(): Promise<void> {
  const root = path.resolve('node_modules/.cache/autonoma-bench-sandbox');
  const cacheDir = path.join(root, 'deps');
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);
  const bwrap = createBwrapSandbox({ limits: BENCH_LIMITS });
  const none = createUnsandboxed({ limits: BENCH_LIMITS });
  console.log(`recipe box app (${renderApp(recipeBoxSpec).size} files), ${ROUNDS} rounds; warming up…`);
  // The dependency set is installed once (in the sandbox); every measured run reuses it.
  await timed(bwrap, root, cacheDir);
  await timed(none, root, cacheDir);

  const results: Record<'none' | 'bwrap', Timings[]> = { none: [], bwrap: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['none', 'bwrap'] as const) : (['bwrap', 'none'] as const);
    for (const driver of order)
      results[driver].push(await timed(driver === 'none' ? none : bwrap, root, cacheDir));
    const last = (d: 'none' | 'bwrap') => (results[d].at(-1)!.total / 1000).toFixed(1);
    console.log(`  round ${round + 1}: none ${last('none')} s, bwrap ${last('bwrap')} s`);
  }

  const rows = [...STEPS, 'total' as const].map((step) => {
    const plain = median(results.none.map((t) => t[step]));
    const boxed = median(results.bwrap.map((t) => t[step]));
    return { step, plain, boxed, ratio: plain > 0 ? boxed / plain : Number.NaN };
  });
  console.log('\n| step | no sandbox (median ms) | bwrap (median ms) | ratio |');
  console.log('| --- | --- | --- | --- |');
  for (const r of rows)
    console.log(
      `| ${r.step} | ${r.plain.toFixed(0)} | ${r.boxed.toFixed(0)} | ${Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '—'} |`,
    );
  const total = rows.at(-1)!;
  console.log(
    `\nSandboxed validation: ${(total.boxed / 1000).toFixed(1)} s vs ${(total.plain / 1000).toFixed(1)} s unsandboxed = ` +
      `${total.ratio.toFixed(2)}× (goal ≤ ${GOAL}×): ${total.ratio <= GOAL ? 'met' : 'NOT met'}`,
  );
  await rm(root, { recursive: true, force: true });
}
