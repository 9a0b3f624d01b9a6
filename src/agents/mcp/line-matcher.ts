import vm from 'node:vm';
import { AutonomaError, InvalidInputError } from '../../core/errors.js';

/** Longer lines are matched on their first characters only: bounds the work per line. */
export const MAX_MATCHED_LINE_CHARS = 2000;

export interface LineMatcherOptions {
  regex: boolean;
  caseSensitive: boolean;
  /** Budget for all regex matching in one search. */
  timeoutMs: number;
}

/** Returns the indices of matching lines, at most `limit`. */
export type LineMatcher = (lines: string[], limit: number) => number[];

// Runs inside a separate V8 context so that `timeout` can interrupt a catastrophically backtracking
// regex (V8 stops RegExp execution on TerminateExecution); a plain call could hang the server.
const MATCH_SCRIPT = new vm.Script(`
  (() => {
    const found = [];
    for (let i = 0; i < lines.length && found.length < limit; i++) {
      if (matcher.test(lines[i])) found.push(i);
    }
    return found.join(',');
  })()
`);

function clip(lines: string[]): string[] {
  return lines.map((line) =>
    line.length > MAX_MATCHED_LINE_CHARS ? line.slice(0, MAX_MATCHED_LINE_CHARS) : line,
  );
}

function substringMatcher(pattern: string, caseSensitive: boolean): LineMatcher {
  const needle = caseSensitive ? pattern : pattern.toLowerCase();
  return (lines, limit) => {
    const found: number[] = [];
    const clipped = clip(lines);
    for (let i = 0; i < clipped.length && found.length < limit; i++) {
      const line = clipped[i] as string;
      if ((caseSensitive ? line : line.toLowerCase()).includes(needle)) found.push(i);
    }
    return found;
  };
}

function regexMatcher(pattern: string, caseSensitive: boolean, timeoutMs: number): LineMatcher {
  const flags = caseSensitive ? '' : 'i';
  try {
    new RegExp(pattern, flags); // compiling is cheap and safe; only matching can run away
  } catch (error) {
    throw new InvalidInputError(`Invalid regular expression: ${(error as Error).message}`);
  }
  const context = vm.createContext({ matcher: undefined, lines: [], limit: 0 });
  vm.runInContext(`matcher = new RegExp(${JSON.stringify(pattern)}, '${flags}');`, context);
  const deadline = Date.now() + timeoutMs;
  return (lines, limit) => {
    const remaining = deadline - Date.now();
    Object.assign(context, { lines: clip(lines), limit });
    try {
      if (remaining <= 0) throw new Error('out of time');
      const found = MATCH_SCRIPT.runInContext(context, { timeout: remaining }) as string;
      return found === '' ? [] : found.split(',').map(Number);
    } catch {
      throw new AutonomaError(
        'timeout',
        `The regular expression took longer than ${timeoutMs} ms; simplify it (avoid nested quantifiers such as (a+)+) or search for a plain substring.`,
      );
    } finally {
      Object.assign(context, { lines: [] });
    }
  };
}

export function createLineMatcher(pattern: string, options: LineMatcherOptions): LineMatcher {
  return options.regex
    ? regexMatcher(pattern, options.caseSensitive, options.timeoutMs)
    : substringMatcher(pattern, options.caseSensitive);
}
