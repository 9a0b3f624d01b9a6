import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxResult, SandboxSession } from '../../core/ports/sandbox.js';

/**
 * Deterministic fixes before the checks: the app's own formatter and linter, with their safe fixes
 * only, so a slip a tool can fix (a type-only import, a `let` that is a `const`, formatting) costs
 * no repair round. Only a tool the app itself declares AND has installed runs; nothing is downloaded.
 */
export type AutofixTool = 'biome' | 'eslint+prettier' | 'eslint' | 'prettier';

export interface Fixer {
  tool: AutofixTool;
  /** Run in order from the app's root, each as `node_modules/.bin/<bin> ...args`. */
  commands: ReadonlyArray<{ bin: string; args: readonly string[] }>;
}

// `check` is lint fixes, formatting and import organizing, as the app's biome.json enables them.
// `--write` applies safe fixes only; `--unsafe` (which may change behaviour) is never passed.
const BIOME = { bin: 'biome', args: ['check', '--write', '.'] };
const ESLINT = { bin: 'eslint', args: ['--fix', '.'] };
const PRETTIER = { bin: 'prettier', args: ['--write', '.'] };

/**
 * Install and the workflow policy checked these before the fixer ran: it may reformat the manifests
 * (the same JSON) but change nothing they mean, and may not touch the others.
 */
const MANIFESTS = new Set(['package.json', 'package-lock.json']);
const isCheckedBefore = (file: string) =>
  MANIFESTS.has(file) || file === '.npmrc' || file.startsWith('.github/');
const sameMeaning = (file: string, before: string, after: string) =>
  MANIFESTS.has(file) && sameJson(before, after);

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage']);
/** Beyond these the app is not what a generator writes: no fixer runs, rather than half a count. */
export const AUTOFIX_MAX_FILES = 5000;
export const AUTOFIX_MAX_BYTES = 64 * 2 ** 20;

/** Which fixer the app has: Biome, else ESLint (then Prettier), else Prettier; declared and installed. */
export function chooseFixer(packageJson: string, installedBins: ReadonlySet<string>): Fixer | undefined {
  const declared = declaredPackages(packageJson);
  const has = (pkg: string, bin: string) => declared.has(pkg) && installedBins.has(bin);
  if (has('@biomejs/biome', 'biome')) return { tool: 'biome', commands: [BIOME] };
  const eslint = has('eslint', 'eslint');
  const prettier = has('prettier', 'prettier');
  if (eslint && prettier) return { tool: 'eslint+prettier', commands: [ESLINT, PRETTIER] };
  if (eslint) return { tool: 'eslint', commands: [ESLINT] };
  if (prettier) return { tool: 'prettier', commands: [PRETTIER] };
  return undefined;
}

export interface AutofixOptions {
  /** Open, with `dir` granted to it and node_modules provided. */
  session: SandboxSession;
  dir: string;
  env: Record<string, string>;
  /** For every fixer command together (the hashing around them is bounded by file count and size). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AutofixOutcome {
  /** False when a fixer crashed, was stopped, or could not run; the checks go on regardless. */
  ok: boolean;
  durationMs: number;
  tool: AutofixTool;
  /** App files the fixer changed, sorted. */
  files: string[];
  /** Their new contents, to go back into the app. */
  contents: Record<string, string>;
  note?: string;
}

/**
 * Runs the app's fixer in the sandbox with no network, and reports which files it changed. Never
 * fails validation: a fixer that exits non-zero (diagnostics it cannot fix) still counts what it
 * changed, and a crash or timeout is a note. Undefined when the app has no fixer.
 */
export async function runAutofix(options: AutofixOptions): Promise<AutofixOutcome | undefined> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const packageJson = await readFile(path.join(options.dir, 'package.json'), 'utf8').catch(() => '');
  const fixer = chooseFixer(packageJson, await installedBins(options.dir));
  if (!fixer) return undefined;
  const outcome = (files: string[], contents: Record<string, string>, note?: string): AutofixOutcome => ({
    ok: note === undefined,
    durationMs: Date.now() - started,
    tool: fixer.tool,
    files,
    contents,
    ...(note === undefined ? {} : { note }),
  });

  const root = await realpath(options.dir);
  const before = await snapshot(root, isCheckedBefore);
  if (!before.complete)
    return outcome(
      [],
      {},
      `Not run: the app has more than ${AUTOFIX_MAX_FILES} files or ${AUTOFIX_MAX_BYTES / 2 ** 20} MiB outside node_modules, dist and .git.`,
    );
  const problems: string[] = [];
  for (const command of fixer.commands) {
    const line = [command.bin, ...command.args].join(' ');
    const timeoutMs = deadline - Date.now();
    if (timeoutMs <= 0) {
      problems.push(`${line} did not run: the step's time ran out.`);
      break;
    }
    const result = await options.session.run({
      workDir: options.dir,
      command: `node_modules/.bin/${command.bin}`,
      args: command.args,
      network: 'none',
      env: options.env,
      timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const problem = crashed(line, result);
    if (problem) problems.push(problem);
  }

  const after = await snapshot(root, () => true);
  const files: string[] = [];
  const contents: Record<string, string> = {};
  for (const [file, was] of before.hashes) {
    const now = after.hashes.get(file);
    if (now?.hash === was.hash) continue;
    const reformatted =
      was.content !== undefined && now?.content !== undefined && sameMeaning(file, was.content, now.content);
    if (isCheckedBefore(file) && !reformatted) {
      // Put back, so the checks see what the pull request will hold.
      if (!(await restore(root, file, was.content)))
        problems.push(`${file} was changed and could not be restored.`);
      continue;
    }
    if (now?.content === undefined) continue; // gone, or no longer a plain file: not the fixer's to ship
    files.push(file);
    contents[file] = now.content;
  }
  return outcome(files.sort(), contents, problems.length > 0 ? problems.join('\n') : undefined);
}

/** Exit 0 or 1 is a fixer's normal end (1: diagnostics it cannot fix); anything else is a crash. */
function crashed(line: string, result: SandboxResult): string | undefined {
  if (result.ok || (result.exitCode === 1 && !result.timedOut && !result.limit)) return undefined;
  const why = result.timedOut
    ? `was stopped after ${Math.round(result.durationMs / 1000)} s (${result.limit ?? 'time'} limit)`
    : result.exitCode === null
      ? `was stopped by the sandbox${result.limit ? ` (${result.limit} limit)` : ''}`
      : `exited with code ${result.exitCode}`;
  const tail = result.output.trim().split('\n').slice(-10).join('\n').slice(-1500);
  return `${line} ${why}; what it changed before that is kept.${tail ? `\n${tail}` : ''}`;
}

interface Entry {
  hash: string;
  /** The text, for the files `keep` names. */
  content?: string;
}

/**
 * Every plain file of the app, hashed. Directories are entered only when they are real directories
 * and files are opened with O_NOFOLLOW: a symlink (one a tool made, or any) never leads outside.
 */
async function snapshot(
  root: string,
  keep: (file: string) => boolean,
): Promise<{ hashes: Map<string, Entry>; complete: boolean }> {
  const hashes = new Map<string, Entry>();
  let bytes = 0;
  const walk = async (relative: string): Promise<boolean> => {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !(await walk(file))) return false;
        continue;
      }
      if (!entry.isFile()) continue;
      if (hashes.size >= AUTOFIX_MAX_FILES) return false;
      const content = await readPlainFile(path.join(root, file), AUTOFIX_MAX_BYTES - bytes);
      if (content === 'too-large') return false;
      if (content === undefined) continue;
      bytes += content.length;
      const hash = createHash('sha256').update(content).digest('hex');
      hashes.set(file, keep(file) ? { hash, content: content.toString('utf8') } : { hash });
    }
    return true;
  };
  return { hashes, complete: await walk('') };
}

async function readPlainFile(file: string, maxBytes: number): Promise<Buffer | 'too-large' | undefined> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return undefined;
    if (stat.size > maxBytes) return 'too-large';
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Writes a file's earlier content back, through real directories only. */
async function restore(root: string, file: string, content: string | undefined): Promise<boolean> {
  if (content === undefined) return false;
  const target = path.join(root, file);
  try {
    // A directory a tool removed or swapped for a symlink is not recreated: nothing is written outside.
    if ((await realpath(path.dirname(target))) !== path.dirname(target)) return false;
    await rm(target, { force: true });
    await writeFile(target, content, {
      flag: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      mode: 0o644,
    });
    return true;
  } catch {
    return false;
  }
}

function sameJson(a: string, b: string): boolean {
  try {
    return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
  } catch {
    return false;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

async function installedBins(dir: string): Promise<Set<string>> {
  const names = await readdir(path.join(dir, 'node_modules', '.bin')).catch(() => []);
  return new Set(names);
}

function declaredPackages(packageJson: string): Set<string> {
  try {
    const manifest = JSON.parse(packageJson) as Record<string, unknown>;
    return new Set(
      ['dependencies', 'devDependencies'].flatMap((field) => {
        const deps = manifest[field];
        return deps && typeof deps === 'object' ? Object.keys(deps) : [];
      }),
    );
  } catch {
    return new Set();
  }
}
