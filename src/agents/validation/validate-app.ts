import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ValidationReport } from '../../core/domain/request.js';
import type { Sandbox, SandboxResult, SandboxSession } from '../../core/ports/sandbox.js';
import { envFromExample } from '../sandbox/sandbox-env.js';
import { runAutofix } from './autofix.js';
import { ensureDependencies, readLockfile } from './dependency-cache.js';
import { lockDependencies, relockFromScratch, type LockContext } from './lock-dependencies.js';
import { lookAtApp, type Screenshot } from './look-at-app.js';
import { provideNodeModules } from './provide-node-modules.js';

export type ValidationStepName = 'install' | 'lint' | 'typecheck' | 'test' | 'build';
export type ValidationStepState = 'started' | 'passed' | 'failed';
type Step = ValidationReport['syntax'];

export const NPM_REGISTRY = 'https://registry.npmjs.org/';

export interface ValidateAppOptions {
  /** A throw-away copy of the generated app, on the same filesystem as `cacheDir`. */
  dir: string;
  /** Where installed dependency sets are kept, one per lockfile. */
  cacheDir: string;
  /** Where every command of the app runs. */
  sandbox: Sandbox;
  /** Limit for each step; the process tree is killed when it is reached. */
  timeoutMs: number;
  /** Epoch ms by which the whole validation must be over (the job's share); steps get what is left. */
  deadline?: number;
  signal?: AbortSignal;
  onStep?: (step: ValidationStepName, state: ValidationStepState) => void;
  /** The caller's own syntax check; when it failed nothing else runs. Default: passed, 0 ms. */
  syntax?: Step;
  /** The registry npm installs from; lockfile sources must be under it (or registry.npmjs.org). */
  registry?: string;
  /** True when a text holds a configured secret: such `.env.example` values are not passed on. */
  isSecret?: (text: string) => boolean;
  /** Applied to every step's output before it is reported. */
  redact?: (text: string) => string;
  /** After a passing build: start the app and look at it in headless Chromium (screenshots, smoke). */
  look?: {
    browserPath?: string;
    /** Create one record through the UI (apps with data). */
    smoke: boolean;
    timeoutMs: number;
  };
}

export interface AppValidationReport extends ValidationReport {
  /** Which installed dependency set was used, and whether it already existed. */
  dependencies?: { key: string; reused: boolean };
  /** Files validation produced that belong in the app (the lockfile Autonoma resolved, autofixed files). */
  files?: Record<string, string>;
  /** PNGs of the running app (see `look` in the report for what each shows). */
  screenshots?: Screenshot[];
}

const SCRIPTS: readonly Exclude<ValidationStepName, 'install'>[] = ['lint', 'typecheck', 'test', 'build'];
/** What `npm ci` runs for the root package; run here in the sandbox with no network. */
const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/**
 * Installs (or reuses) the app's dependencies, applies its own formatter's and linter's safe fixes,
 * then runs its own `lint`, `typecheck`, `test` and `build` scripts in the sandbox, stopping at the
 * first failure. Throws CancelledError when `signal` aborts.
 */
export async function validateApp(options: ValidateAppOptions): Promise<AppValidationReport> {
  const syntax = options.syntax ?? { ok: true, durationMs: 0 };
  const report: AppValidationReport = { ok: false, syntax, repairRounds: 0 };
  if (!syntax.ok) return report;
  const redact = options.redact ?? ((text: string) => text);
  const session = await options.sandbox.open();
  try {
    options.onStep?.('install', 'started');
    // Read once, before any app code runs: every script sees what the app documents.
    const env = await appEnv(options.dir, options.isSecret ?? (() => false));
    const install = await installStep(session, options, env);
    report.install = step(install.result, redact);
    if (install.dependencies) report.dependencies = install.dependencies;
    if (install.lockfile) {
      report.lockfile = { resolved: true, reason: install.lockfile.reason };
      report.files = { 'package-lock.json': install.lockfile.content };
    }
    options.onStep?.('install', install.result.ok ? 'passed' : 'failed');
    if (!install.result.ok) return report;

    // Not a step of its own: it never fails, and what it fixes the checks below then see.
    const autofix = await autofixStep(session, options, env);
    if (autofix) {
      const { contents, note, ...rest } = autofix;
      report.autofix = { ...rest, ...(note === undefined ? {} : { note: redact(note) }) };
      if (autofix.files.length > 0) report.files = { ...report.files, ...contents };
    }

    for (const script of SCRIPTS) {
      options.onStep?.(script, 'started');
      const result = await runScript(session, options, script, env);
      report[script] = step(result, redact);
      options.onStep?.(script, result.ok ? 'passed' : 'failed');
      if (!result.ok) return report;
    }
    report.ok = true;
    if (options.look) await lookStep(session, options, options.look, env, report);
    return report;
  } finally {
    await session.close();
  }
}

/**
 * Not a gate: what the browser saw goes into the report (and a failed look into the repair loop's
 * view later), but an app that passed its own checks is not failed for it here.
 */
async function lookStep(
  session: SandboxSession,
  options: ValidateAppOptions,
  look: NonNullable<ValidateAppOptions['look']>,
  env: Record<string, string>,
  report: AppValidationReport,
): Promise<void> {
  const timeoutMs = Math.min(look.timeoutMs, stepTimeout(options));
  if (timeoutMs < 10_000) return;
  const result = await lookAtApp({
    session,
    driver: options.sandbox.driver,
    dir: options.dir,
    env,
    ...(look.browserPath ? { browserPath: look.browserPath } : {}),
    timeoutMs,
    smoke: look.smoke,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const redact = options.redact ?? ((text: string) => text);
  report.look = {
    ...result.report,
    problems: result.report.problems.map(redact),
    consoleErrors: result.report.consoleErrors.map(redact),
  };
  if (result.screenshots.length > 0) report.screenshots = result.screenshots;
}

/** The app's own formatter and linter fixes, before lint; skipped when the job's time is up. */
function autofixStep(session: SandboxSession, options: ValidateAppOptions, env: Record<string, string>) {
  const timeoutMs = stepTimeout(options);
  if (timeoutMs <= 0) return Promise.resolve(undefined);
  return runAutofix({
    session,
    dir: options.dir,
    env,
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

interface InstallOutcome {
  result: SandboxResult;
  dependencies?: { key: string; reused: boolean };
  /** The lockfile Autonoma resolved for the app, and why. */
  lockfile?: { content: string; reason: string };
}

/** npm ci failures that mean the lockfile itself is wrong, not package.json. */
const STALE_LOCK = /EINTEGRITY|ETARGET|E404|integrity checksum failed|No matching version|404 Not Found/;

async function installStep(
  session: SandboxSession,
  options: ValidateAppOptions,
  env: Record<string, string>,
): Promise<InstallOutcome> {
  const started = Date.now();
  const refuse = (output: string): InstallOutcome => ({
    result: { ok: false, exitCode: null, timedOut: false, durationMs: Date.now() - started, output },
  });
  const packageJson = await readFile(join(options.dir, 'package.json'), 'utf8').catch(() => undefined);
  if (packageJson === undefined) return refuse('package.json is missing: the app needs one at its root.');
  const registry = options.registry ?? NPM_REGISTRY;
  const timeoutMs = stepTimeout(options);
  if (timeoutMs <= 0) return refuse(outOfTime(options));
  const context: LockContext = {
    session,
    workRoot: options.cacheDir,
    registries: [...new Set([registry, NPM_REGISTRY])],
    registry,
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let locked = await lockDependencies(packageJson, await readLockfile(options.dir), context);
  if (!locked.ok) return refuse(locked.output);
  const install = (lockfile: string) =>
    ensureDependencies(lockfile, {
      cacheDir: options.cacheDir,
      session,
      timeoutMs: stepTimeout(options),
      registry,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  let cached = await install(locked.lockfile);
  if (!cached.result.ok && locked.resolvedBecause === undefined && STALE_LOCK.test(cached.result.output)) {
    // The app's own lockfile names tarballs or hashes the registry does not have (a model's guess).
    const relocked = await relockFromScratch(packageJson, 'package-lock.json did not install', context);
    if (!relocked.ok) return refuse(relocked.output);
    locked = relocked;
    cached = await install(locked.lockfile);
  }
  if (locked.resolvedBecause !== undefined) {
    await writeFile(join(options.dir, 'package-lock.json'), locked.lockfile);
  }
  const lockfile =
    locked.resolvedBecause === undefined
      ? undefined
      : { content: locked.lockfile, reason: locked.resolvedBecause };
  const dependencies = { key: cached.key, reused: cached.reused };
  if (!cached.result.ok) return { result: cached.result, dependencies };
  const prefix = locked.output ? `${locked.output}\n` : '';

  await session.grant(options.dir);
  await provideNodeModules(cached.nodeModules, options.dir, session, options.sandbox.driver);
  let output = prefix + cached.result.output;
  const scripts = scriptsOf(packageJson);
  for (const name of LIFECYCLE_SCRIPTS.filter((s) => scripts.has(s))) {
    const result = await runScript(session, options, name, env, true);
    output += `\n${result.output}`;
    if (!result.ok)
      return {
        result: { ...result, output: `The app's own "${name}" script failed:\n${result.output}` },
        dependencies,
        ...(lockfile ? { lockfile } : {}),
      };
  }
  return {
    result: { ...cached.result, durationMs: Date.now() - started, output },
    dependencies,
    ...(lockfile ? { lockfile } : {}),
  };
}

function runScript(
  session: SandboxSession,
  options: ValidateAppOptions,
  script: string,
  env: Record<string, string>,
  /** Only this script, not its pre/post scripts (npm ci's own order runs each lifecycle once). */
  alone = false,
): Promise<SandboxResult> {
  const timeoutMs = stepTimeout(options);
  if (timeoutMs <= 0)
    return Promise.resolve({
      ok: false,
      exitCode: null,
      timedOut: true,
      limit: 'time',
      durationMs: 0,
      output: outOfTime(options),
    });
  return session.run({
    workDir: options.dir,
    command: 'npm',
    args: alone ? ['run', '--ignore-scripts', script] : ['run', script],
    network: 'none',
    env,
    timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function stepTimeout(options: ValidateAppOptions): number {
  return options.deadline === undefined
    ? options.timeoutMs
    : Math.min(options.timeoutMs, options.deadline - Date.now());
}

function outOfTime(options: ValidateAppOptions): string {
  return `The job's validation time ran out before this step could start (each step may take up to ${Math.round(options.timeoutMs / 1000)} s).`;
}

async function appEnv(dir: string, isSecret: (text: string) => boolean): Promise<Record<string, string>> {
  const example = await readFile(join(dir, '.env.example'), 'utf8').catch(() => '');
  return envFromExample(example.slice(0, 64 * 1024), isSecret);
}

function scriptsOf(packageJson: string): Set<string> {
  try {
    const scripts = (JSON.parse(packageJson) as { scripts?: unknown }).scripts;
    return new Set(scripts && typeof scripts === 'object' ? Object.keys(scripts) : []);
  } catch {
    return new Set();
  }
}

function step(result: SandboxResult, redact: (text: string) => string): Step {
  return { ok: result.ok, durationMs: Math.round(result.durationMs), output: redact(result.output) };
}
