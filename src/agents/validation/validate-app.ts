import type { ValidationReport } from '../../core/domain/request.js';
import { installDependencies } from './dependency-cache.js';
import { runCommand } from './run-command.js';

export type ValidationStepName = 'install' | 'lint' | 'typecheck' | 'test' | 'build';
export type ValidationStepState = 'started' | 'passed' | 'failed';
type Step = ValidationReport['syntax'];

export interface ValidateAppOptions {
  /** A throw-away copy of the generated app (node_modules is replaced by a symlink). */
  dir: string;
  /** Where installed dependency sets are kept, one per lockfile. */
  cacheDir: string;
  /** Limit for each step; the process tree is killed when it is reached. */
  timeoutMs: number;
  signal?: AbortSignal;
  onStep?: (step: ValidationStepName, state: ValidationStepState) => void;
  /** The caller's own syntax check; when it failed nothing else runs. Default: passed, 0 ms. */
  syntax?: Step;
  /** Extra environment for every step. */
  env?: NodeJS.ProcessEnv;
}

export interface AppValidationReport extends ValidationReport {
  /** Which installed dependency set was used, and whether it already existed. */
  dependencies?: { key: string; reused: boolean };
}

const SCRIPTS: readonly Exclude<ValidationStepName, 'install'>[] = ['lint', 'typecheck', 'test', 'build'];

/**
 * Installs (or reuses) the app's dependencies, then runs its own `lint`, `typecheck`, `test` and
 * `build` scripts, stopping at the first failure. Throws CancelledError when `signal` aborts.
 */
export async function validateApp(options: ValidateAppOptions): Promise<AppValidationReport> {
  const syntax = options.syntax ?? { ok: true, durationMs: 0 };
  const report: AppValidationReport = { ok: false, syntax, repairRounds: 0 };
  if (!syntax.ok) return report;
  const env = {
    ...process.env,
    ...options.env,
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    npm_config_update_notifier: 'false',
  };

  options.onStep?.('install', 'started');
  const install = await installDependencies({ ...options, env });
  report.install = step(install);
  report.dependencies = { key: install.key, reused: install.reused };
  options.onStep?.('install', install.ok ? 'passed' : 'failed');
  if (!install.ok) return report;

  for (const script of SCRIPTS) {
    options.onStep?.(script, 'started');
    const result = await runCommand('npm', ['run', script], {
      cwd: options.dir,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      env,
    });
    report[script] = step(result);
    options.onStep?.(script, result.ok ? 'passed' : 'failed');
    if (!result.ok) return report;
  }
  report.ok = true;
  return report;
}

function step(result: { ok: boolean; durationMs: number; output: string }): Step {
  return { ok: result.ok, durationMs: Math.round(result.durationMs), output: result.output };
}
