/**
 * `autonoma eval`: the fidelity eval (issue #16). Every prompt of the evaluation set goes through
 * the offline builder; the report says how much of what each prompt asks for landed in the app
 * (entities, fields, relations, ranges), whether the app validates, and whether out-of-scope
 * prompts were refused. `--no-validate` only parses prompts (seconds); the full run installs, lints,
 * typechecks, tests and builds every app in the sandbox (minutes). Heavy by design: not part of CI.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './core/config.js';
import type { GenerationRequest } from './core/domain/request.js';
import { SpecSchema } from './core/domain/spec.js';
import { toAutonomaError } from './core/errors.js';
import { packageRoot } from './core/package-root.js';
import type { JobStore } from './core/ports/job-store.js';
import { silentReporter } from './core/ports/progress-reporter.js';
import { parseEvalDataset, type EvalCase } from './eval/dataset.js';
import { meetsTargets, scorePrompt, summarize, type Outcome, type PromptScore } from './eval/metrics.js';
import { formatFailures, formatTotals } from './eval/report.js';

export interface EvalOptions {
  file?: string;
  limit?: number;
  json: boolean;
  /** Which prompts: `tune` while iterating on the parser, `holdout` only at the end. Default all. */
  split?: 'tune' | 'holdout' | 'all';
  /** false: parse prompts only, no generation or sandbox. Default true. */
  validate?: boolean;
}

const VALIDATION_STEPS = ['syntax', 'install', 'lint', 'typecheck', 'test', 'build'] as const;

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

/**
 * Parse-only: what the offline requirements step answers for the prompt (the same call the offline
 * provider makes, scope check included), or its refusal.
 */
async function parseOnly(item: EvalCase): Promise<Outcome> {
  const { decideOfflineAction } = await import('./agents/providers/offline-policies.js');
  try {
    const action = decideOfflineAction('requirements', { prompt: item.prompt }, undefined);
    if (action.kind !== 'answer') throw new Error('the offline requirements step answered with tool calls');
    return { kind: 'built', spec: SpecSchema.parse(action.value) };
  } catch (error) {
    return failed(error);
  }
}

/** A refusal is the builder saying "not this prompt" (invalid input); anything else is a crash. */
function failed(error: unknown): Outcome {
  const autonoma = toAutonomaError(error);
  const message = autonoma.message.split('\n').slice(0, 3).join(' ');
  return autonoma.code === 'invalid_input'
    ? { kind: 'refused', message }
    : { kind: 'crashed', message: `${autonoma.code}: ${message}` };
}

function stepsOf(report: unknown): Record<string, boolean> {
  const steps = (report ?? {}) as Record<string, { ok?: unknown } | undefined>;
  return Object.fromEntries(
    VALIDATION_STEPS.flatMap((s) => (typeof steps[s]?.ok === 'boolean' ? [[s, steps[s].ok] as const] : [])),
  );
}

/**
 * The pipeline throws when an app still fails validation after its repairs. That app was built from
 * the spec the requirements step answers deterministically, so it is scored from that spec.
 */
async function validationFailure(item: EvalCase, error: unknown): Promise<Outcome | undefined> {
  const autonoma = toAutonomaError(error);
  if (autonoma.code !== 'validation_failed') return undefined;
  const parsed = await parseOnly(item);
  if (parsed.kind !== 'built') return undefined;
  const failure = autonoma.message.split('\n')[0] ?? autonoma.message;
  return { ...parsed, validation: { ok: false, steps: stepsOf(autonoma.details?.report), failure } };
}

type Generate = (item: EvalCase, index: number) => Promise<Outcome>;

/** The offline pipeline with real validation in the sandbox, as `autonoma build` runs it. */
async function createPipeline(config: Config): Promise<Generate> {
  const { createGenerator, resolveSandbox } = await import('./main.js');
  const { createOfflineProvider } = await import('./agents/providers/offline-provider.js');
  const sandbox = await resolveSandbox(config, (line) => process.stderr.write(`${line}\n`));
  const generator = createGenerator(config, createOfflineProvider(), sandbox);
  return async (item, index) => {
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'autonoma-eval-'));
    try {
      const output = await generator.generate({
        request: syntheticRequest(item.prompt, index),
        workspaceDir: workspace,
        signal: new AbortController().signal,
        progress: silentReporter,
        recorder,
      });
      return {
        kind: 'built',
        spec: output.spec,
        validation: { ok: output.validation.ok, steps: stepsOf(output.validation) },
      };
    } catch (error) {
      return (await validationFailure(item, error)) ?? failed(error);
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  };
}

function progressLine(score: PromptScore, outcome: Outcome, seconds: number): string {
  const steps =
    outcome.kind === 'built' && outcome.validation
      ? Object.entries(outcome.validation.steps)
          .map(([s, ok]) => `${s}:${ok ? 'ok' : 'FAIL'}`)
          .join(' ')
      : '';
  const verdict = score.crash
    ? 'CRASH'
    : score.outOfScope
      ? score.built
        ? 'BUILT'
        : 'REFUSED'
      : score.validated
        ? 'VALID'
        : 'FAIL';
  return (
    `${verdict.padEnd(7)} ${seconds.toFixed(1).padStart(5)}s  ${score.id}  [${score.actualEntities.join(', ')}]  ` +
    `fields ${score.fields.found}/${score.fields.expected}  ${steps}\n`
  );
}

export async function runEvaluation(config: Config, options: EvalOptions): Promise<number> {
  const file = options.file ?? path.join(packageRoot(), 'tests', 'fixtures', 'eval-prompts.json');
  const split = options.split ?? 'all';
  const cases = parseEvalDataset(JSON.parse(await readFile(file, 'utf8')))
    .filter((c) => split === 'all' || c.split === split)
    .slice(0, options.limit);
  const validate = options.validate ?? true;
  const generate: Generate = validate ? await createPipeline(config) : parseOnly;
  const scores: PromptScore[] = [];
  const started = Date.now();
  for (const [index, item] of cases.entries()) {
    const itemStarted = Date.now();
    const outcome = await generate(item, index);
    const score = scorePrompt(item, outcome);
    scores.push(score);
    if (validate && !options.json)
      process.stdout.write(progressLine(score, outcome, (Date.now() - itemStarted) / 1000));
  }
  const totals = summarize(scores, validate);
  const columns = [{ name: split, totals }];
  if (split === 'all')
    for (const name of ['tune', 'holdout'] as const) {
      const part = scores.filter((s) => s.split === name);
      if (part.length) columns.push({ name, totals: summarize(part, validate) });
    }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ totals: Object.fromEntries(columns.map((c) => [c.name, c.totals])), scores }, null, 2)}\n`,
    );
  } else {
    const failures = formatFailures(scores);
    process.stdout.write(
      `${failures ? `\nFailures:\n${failures}\n` : ''}\nFidelity (${file}, split ${split}, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s):\n${formatTotals(columns)}\n`,
    );
  }
  return meetsTargets(totals) ? 0 : 1;
}
