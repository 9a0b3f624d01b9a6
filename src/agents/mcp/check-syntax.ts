import { readFile } from 'node:fs/promises';
import { AutonomaError } from '../../core/errors.js';
import { describeToolFailure } from './tool-registration.js';
import { walkFiles } from './workspace-files.js';
import { createWorkspaceJail } from './workspace-jail.js';
import { findSyntaxProblems, languageForPath } from './syntax.js';
import type { SyntaxLanguage, SyntaxProblem } from './syntax.js';

export interface FileSyntaxReport {
  path: string;
  language: SyntaxLanguage | 'unknown';
  ok: boolean;
  /** True when the file was not parsed: unknown language, or too large. */
  skipped: boolean;
  errors: SyntaxProblem[];
}

export interface SyntaxReport {
  /** True when no checked file has a syntax error. */
  ok: boolean;
  files: FileSyntaxReport[];
}

// Generous: a lockfile can pass 1 MiB. Beyond this a file is reported as skipped rather than parsed.
const MAX_CHECKED_BYTES = 8 * 1024 * 1024;

async function checkFile(relative: string, absolute: string): Promise<FileSyntaxReport> {
  const language = languageForPath(relative);
  if (language === undefined)
    return { path: relative, language: 'unknown', ok: true, skipped: true, errors: [] };
  const content = await readFile(absolute).catch((error: unknown) => {
    throw new AutonomaError('invalid_input', describeToolFailure(error, relative), { cause: error });
  });
  if (content.length > MAX_CHECKED_BYTES)
    return { path: relative, language, ok: true, skipped: true, errors: [] };
  const errors = await findSyntaxProblems(language, content.toString('utf8'));
  return { path: relative, language, ok: errors.length === 0, skipped: false, errors };
}

/**
 * Parses workspace files with tree-sitter and reports syntax errors: the named files (through the same
 * jail as the tools), or every file of a known language when `paths` is omitted.
 */
export async function checkSyntax(root: string, paths?: string[]): Promise<SyntaxReport> {
  const jail = createWorkspaceJail(root);
  const targets =
    paths === undefined
      ? (await walkFiles(await jail.root(), '')).files.filter(
          (file) => languageForPath(file.relative) !== undefined,
        )
      : await Promise.all(paths.map(async (requested) => jail.resolve(requested)));
  const files: FileSyntaxReport[] = [];
  // One file at a time: parsing is synchronous anyway, and this bounds memory on large workspaces.
  for (const target of targets) files.push(await checkFile(target.relative, target.absolute));
  return { ok: files.every((file) => file.ok), files };
}
