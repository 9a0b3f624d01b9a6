import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { AppScreenshot, ValidationReport } from '../../core/domain/request.js';
import { AutonomaError, throwIfAborted } from '../../core/errors.js';
import type { ProgressReporter } from '../../core/ports/progress-reporter.js';
import type { AgentRole } from './agent-outputs.js';
import { suspectsFor } from '../registry.js';
import { checkWorkflows } from '../validation/workflow-policy.js';
import { readAppFiles, writeAppFiles } from './workspace-files.js';
import { excerpt, failureLocations, failureSignature, type CodeExcerpt } from './failure-excerpts.js';

export interface SyntaxIssue {
  path: string;
  ok: boolean;
  errors: Array<{ line: number; column: number; message: string }>;
}
export type SyntaxChecker = (root: string) => Promise<{ files: SyntaxIssue[] }>;

export type ValidationStepName = 'install' | 'lint' | 'typecheck' | 'test' | 'build';
export type AppValidator = (options: {
  dir: string;
  cacheDir: string;
  timeoutMs: number;
  /** Epoch ms by which every round of this job's validation must be over. */
  deadline?: number;
  signal?: AbortSignal;
  onStep?: (step: ValidationStepName, state: 'started' | 'passed' | 'failed') => void;
}) => Promise<ValidationReport & { files?: Record<string, string>; screenshots?: AppScreenshot[] }>;

export interface ValidationGateOptions {
  workspaceDir: string;
  cacheDir: string;
  /** Where throw-away copies are made: on the cache's filesystem, so dependencies can be hard-linked. */
  scratchDir: string;
  timeoutMs: number;
  /** All rounds together; unset: no bound beyond each step's. */
  jobTimeoutMs?: number;
  repairRounds: number;
  checkSyntax: SyntaxChecker;
  validateApp: AppValidator;
  progress: ProgressReporter;
  owners: ReadonlyMap<string, AgentRole>;
  /** Asks the given agents to fix their files, with the failure as data. */
  repair: (roles: AgentRole[], failure: RepairRequest, signal: AbortSignal) => Promise<void>;
  /** What the job has spent so far, for the message when repairs give up. */
  spent?: () => { usd: number; tokens: number };
  signal: AbortSignal;
}

/** A failed step as the repairing agents receive it. */
export interface RepairRequest {
  step: string;
  /** The last lines of the step's output. */
  output: string;
  /** The errors' locations in the agents' files, with the code around each. */
  excerpts?: CodeExcerpt[];
}

const STEP_ORDER = ['workflows', 'install', 'lint', 'typecheck', 'test', 'build'] as const;
/** The steps a repair can be asked for; each agent names the ones it answers for (team/*.ts). */
export type ValidationStep = 'syntax' | (typeof STEP_ORDER)[number];

function isValidationStep(step: string): step is ValidationStep {
  return step === 'syntax' || (STEP_ORDER as readonly string[]).includes(step);
}

export function firstFailure(report: ValidationReport): { step: string; output: string } | undefined {
  if (!report.syntax.ok) return { step: 'syntax', output: report.syntax.output ?? '' };
  const steps = report as unknown as Record<string, { ok: boolean; output?: string } | undefined>;
  for (const name of STEP_ORDER) {
    const step = steps[name];
    if (step && !step.ok) return { step: name, output: step.output ?? '' };
  }
  return undefined;
}

/** Lines of a failed step's output that report a failure (passing tests are listed too). */
const FAILURE_LINE = /error|fail|✗|✕|×|❯|expected|cannot|not found|missing/i;

/**
 * The agents whose files the failure points at, most precise evidence first: files at error
 * locations, then files named on failure lines, then files named anywhere (a test runner lists the
 * passing files too); else the usual suspects for that step.
 */
export function responsibleAgents(
  failure: { step: string; output: string },
  owners: ReadonlyMap<string, AgentRole>,
): AgentRole[] {
  const ownersOf = (files: Iterable<string>) =>
    new Set([...files].flatMap((file) => (owners.has(file) ? [owners.get(file)!] : [])));
  const mentionedIn = (text: string) => [...owners.keys()].filter((file) => text.includes(file));
  const failureLines = failure.output
    .split('\n')
    .filter((line) => FAILURE_LINE.test(line))
    .join('\n');
  for (const candidates of [
    () => failureLocations(failure.output, (file) => owners.has(file)).map((l) => l.file),
    () => mentionedIn(failureLines),
    () => mentionedIn(failure.output),
  ]) {
    const named = ownersOf(candidates());
    if (named.size > 0) return [...named].sort();
  }
  // A failure at no known step (a report without details) goes to the prime suspect of the tests.
  return isValidationStep(failure.step) ? suspectsFor(failure.step) : suspectsFor('test').slice(0, 1);
}

/** Workflows run with the repository's token: only ones that pass the policy are published. */
function workflowStep(files: ReadonlyMap<string, string>): NonNullable<ValidationReport['workflows']> {
  const started = Date.now();
  const result = checkWorkflows(files);
  return result.ok
    ? { ok: true, durationMs: Date.now() - started }
    : {
        ok: false,
        durationMs: Date.now() - started,
        output: result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'),
      };
}

async function runSyntaxCheck(checkSyntax: SyntaxChecker, dir: string): Promise<ValidationReport['syntax']> {
  const started = Date.now();
  const report = await checkSyntax(dir);
  const broken = report.files.filter((f) => !f.ok);
  const output = broken
    .flatMap((f) => f.errors.slice(0, 5).map((e) => `${f.path}:${e.line}:${e.column} ${e.message}`))
    .join('\n');
  return { ok: broken.length === 0, durationMs: Date.now() - started, ...(output ? { output } : {}) };
}

function tail(text: string, lines: number): string {
  return text.split('\n').filter(Boolean).slice(-lines).join('\n');
}

/**
 * Nothing reaches a pull request unvalidated: every file must parse, then the app's own install,
 * lint, typecheck, tests and build must pass in a scratch copy. Failures go back to the agents that
 * wrote the failing files for a bounded number of repair rounds.
 */
/** The report, and the screenshots of the round it describes (kept out of the stored report). */
export type GateReport = ValidationReport & { screenshots?: AppScreenshot[] };

export async function validateWithRepairs(options: ValidationGateOptions): Promise<GateReport> {
  const { progress, signal } = options;
  const deadline = options.jobTimeoutMs === undefined ? undefined : Date.now() + options.jobTimeoutMs;
  await mkdir(options.scratchDir, { recursive: true, mode: 0o755 });
  let previousSignature: string | undefined;
  let resolvedLockfile: ValidationReport['lockfile'];
  let autofix: ValidationReport['autofix'];
  for (let round = 0; ; round += 1) {
    throwIfAborted(signal);
    await progress.stage(
      'validation',
      'started',
      round === 0 ? 'Checking syntax…' : `Re-validating after repair round ${round}…`,
    );
    const syntax = await runSyntaxCheck(options.checkSyntax, options.workspaceDir);
    const files = await readAppFiles(options.workspaceDir);
    /** The workspace as the repair agents find it (with what validation added). */
    let snapshot: ReadonlyMap<string, string> = files;
    const workflows = workflowStep(files);
    let report: GateReport = { ok: false, syntax, workflows, repairRounds: round };
    if (syntax.ok && workflows.ok) {
      const scratch = await mkdtemp(path.join(options.scratchDir, 'validate-'));
      try {
        await writeAppFiles(scratch, files);
        const steps = await options.validateApp({
          dir: scratch,
          cacheDir: options.cacheDir,
          timeoutMs: options.timeoutMs,
          ...(deadline === undefined ? {} : { deadline }),
          signal,
          onStep: (step, state) => {
            if (state === 'started') void progress.stage('validation', 'started', `Running ${step}…`);
          },
        });
        const { files: produced, ...rest } = steps;
        // Files validation made for the app (the lockfile Autonoma resolved, files its own tools
        // fixed) join the workspace: the pull request holds them and repairs start from them.
        if (produced) {
          await writeAppFiles(options.workspaceDir, new Map(Object.entries(produced)));
          snapshot = new Map([...files, ...Object.entries(produced)]);
        }
        // A lockfile Autonoma resolved in an earlier round is the app's from then on: still say so.
        resolvedLockfile = rest.lockfile ?? resolvedLockfile;
        autofix = mergeAutofix(autofix, rest.autofix);
        report = {
          ...rest,
          syntax,
          workflows,
          repairRounds: round,
          ...(resolvedLockfile ? { lockfile: resolvedLockfile } : {}),
          ...(autofix ? { autofix } : {}),
        };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    const failure = firstFailure(report);
    if (!failure && report.ok) {
      await progress.stage(
        'validation',
        'completed',
        round === 0
          ? 'Install, lint, typecheck, tests and build passed'
          : `Passed after ${round} repair round(s)`,
      );
      return report;
    }
    const what = failure ?? { step: 'validation', output: 'validation reported a failure without details' };
    // Line numbers are those of the files as checked: autofixed ones included.
    const located = failureLocations(what.output, (file) => snapshot.has(file));
    const where = located[0] ? ` in ${located[0].file}:${located[0].line}` : '';
    const firstError = located[0]?.message ?? firstErrorLine(what.output);
    const signature = failureSignature(what.step, what.output);
    const giveUp = async (why: string): Promise<never> => {
      await progress.stage('validation', 'failed', `${what.step} failed`);
      const spent = options.spent?.();
      throw new AutonomaError(
        'validation_failed',
        `The generated app failed validation at the ${what.step} step${where}${why}, so no pull request was opened` +
          `${spent ? ` (spent $${spent.usd.toFixed(2)}, ${spent.tokens} tokens)` : ''}.\n${firstError && !tail(what.output, 15).includes(firstError) ? `${firstError}\n` : ''}${tail(what.output, 15)}`,
        { details: { report } },
      );
    };
    if (round >= options.repairRounds) await giveUp(round > 0 ? ` after ${round} repair round(s)` : '');
    if (round > 0 && signature === previousSignature)
      await giveUp(` again after repair round ${round} (the same error: the repair did not converge)`);
    previousSignature = signature;

    const roles = responsibleAgents(what, options.owners);
    await progress.milestone(
      'validation',
      `Validation failed at ${what.step}${where}; repair round ${round + 1} of ${options.repairRounds} by ${roles.join(', ')}.` +
        (firstError ? `\n${firstError.slice(0, 300)}` : ''),
    );
    const excerpts = located.map((l) => excerpt(l, snapshot.get(l.file) ?? ''));
    const request: RepairRequest = {
      step: what.step,
      output: tail(what.output, 60),
      ...(excerpts.length ? { excerpts } : {}),
    };
    await options.repair(roles, request, signal);
    if (sameFiles(snapshot, await readAppFiles(options.workspaceDir))) {
      await giveUp(` and repair round ${round + 1} by ${roles.join(', ')} changed no file`);
    }
  }
}

/** Every round's fixes are in the workspace, so the report counts them all; the latest run's rest. */
function mergeAutofix(
  earlier: ValidationReport['autofix'],
  latest: ValidationReport['autofix'],
): ValidationReport['autofix'] {
  if (!earlier || !latest) return latest ?? earlier;
  return { ...latest, files: [...new Set([...earlier.files, ...latest.files])].sort() };
}

function sameFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): boolean {
  if (before.size !== after.size) return false;
  for (const [file, content] of before) if (after.get(file) !== content) return false;
  return true;
}

function firstErrorLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /error|fail|✕|×|cannot|not found|missing|refused/i.test(line))
    ?.slice(0, 300);
}
