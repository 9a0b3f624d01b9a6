/**
 * `autonoma eval`: every prompt of the evaluation set through the offline pipeline, with a report of
 * entities found, files, validation per step and seconds. Heavy by design: not part of CI.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from './core/config.js';
import type { GenerationRequest } from './core/domain/request.js';
import { toAutonomaError } from './core/errors.js';
import { packageRoot } from './core/package-root.js';
import type { JobStore } from './core/ports/job-store.js';
import { silentReporter } from './core/ports/progress-reporter.js';
import { createGenerator, resolveSandbox } from './main.js';
import { createOfflineProvider } from './agents/providers/offline-provider.js';

const PromptsSchema = z.array(z.object({ prompt: z.string(), expectEntities: z.array(z.string()) }));

interface Row {
  prompt: string;
  entities: string[];
  missing: string[];
  files: number;
  steps: Record<string, boolean>;
  ok: boolean;
  seconds: number;
  error?: string;
}

const recorder: Pick<JobStore, 'startAgentRun' | 'finishAgentRun' | 'appendAgentLog'> = {
  startAgentRun: async () => 'eval',
  finishAgentRun: async () => undefined,
  appendAgentLog: async () => undefined,
};

function syntheticRequest(prompt: string, index: number): GenerationRequest {
  return {
    id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    kind: 'build',
    prompt,
    source: 'cli',
    thread: { platform: 'cli' },
    idempotencyKey: `eval:${index}`,
    status: 'running',
    stage: null,
    percent: 0,
    errorCode: null,
    errorMessage: null,
    result: null,
    attempts: 1,
    parentRequestId: null,
    target: null,
    createdAt: new Date(),
    startedAt: new Date(),
    finishedAt: null,
  };
}

export async function runEvaluation(
  config: Config,
  options: { file?: string; limit?: number; json: boolean },
): Promise<number> {
  const file = options.file ?? path.join(packageRoot(), 'tests', 'fixtures', 'prompts.json');
  const prompts = PromptsSchema.parse(JSON.parse(await readFile(file, 'utf8'))).slice(0, options.limit);
  const sandbox = await resolveSandbox(config, (line) => process.stderr.write(`${line}\n`));
  const generator = createGenerator(config, createOfflineProvider(), sandbox);
  const rows: Row[] = [];
  for (const [index, item] of prompts.entries()) {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'autonoma-eval-'));
    const started = Date.now();
    try {
      const output = await generator.generate({
        request: syntheticRequest(item.prompt, index),
        workspaceDir: workspace,
        signal: new AbortController().signal,
        progress: silentReporter,
        recorder,
      });
      const names = output.spec.entities.map((e) => e.name);
      const missing = item.expectEntities.filter((e) => !names.includes(e));
      const report = output.validation as unknown as Record<string, { ok: boolean } | undefined>;
      rows.push({
        prompt: item.prompt,
        entities: names,
        missing,
        files: output.files.size,
        steps: Object.fromEntries(
          ['syntax', 'install', 'lint', 'typecheck', 'test', 'build'].flatMap((s) =>
            report[s] ? [[s, report[s].ok]] : [],
          ),
        ),
        ok: output.validation.ok && missing.length === 0,
        seconds: (Date.now() - started) / 1000,
      });
    } catch (error) {
      rows.push({
        prompt: item.prompt,
        entities: [],
        missing: item.expectEntities,
        files: 0,
        steps: {},
        ok: false,
        seconds: (Date.now() - started) / 1000,
        error: toAutonomaError(error).message.split('\n').slice(0, 3).join(' '),
      });
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
    const row = rows[rows.length - 1];
    if (row && !options.json) {
      const steps = Object.entries(row.steps)
        .map(([s, ok]) => `${s}:${ok ? 'ok' : 'FAIL'}`)
        .join(' ');
      process.stdout.write(
        `${row.ok ? 'PASS' : 'FAIL'} ${row.seconds.toFixed(1).padStart(5)}s  ${row.files} files  [${row.entities.join(', ')}]` +
          `${row.missing.length ? ` missing: ${row.missing.join(', ')}` : ''}  ${steps}${row.error ? `  error: ${row.error}` : ''}\n` +
          `      ${item.prompt.slice(0, 100)}\n`,
      );
    }
  }
  const passed = rows.filter((r) => r.ok).length;
  const entityHits = rows.filter((r) => r.missing.length === 0).length;
  const summary = {
    prompts: rows.length,
    passed,
    passRate: rows.length ? passed / rows.length : 0,
    validationPassed: rows.filter(
      (r) => Object.values(r.steps).length > 0 && Object.values(r.steps).every(Boolean),
    ).length,
    expectedEntitiesFound: entityHits,
    totalSeconds: rows.reduce((s, r) => s + r.seconds, 0),
    medianSeconds: [...rows].sort((a, b) => a.seconds - b.seconds)[Math.floor(rows.length / 2)]?.seconds ?? 0,
  };
  if (options.json) process.stdout.write(`${JSON.stringify({ summary, rows }, null, 2)}\n`);
  else {
    process.stdout.write(
      `\n${passed}/${rows.length} prompts passed (${(summary.passRate * 100).toFixed(1)}%); validation passed ${summary.validationPassed}/${rows.length}; ` +
        `expected entities found ${entityHits}/${rows.length}; total ${summary.totalSeconds.toFixed(0)} s, median ${summary.medianSeconds.toFixed(1)} s per prompt.\n`,
    );
  }
  return summary.passRate >= 0.95 ? 0 : 1;
}
