import { readFile, stat } from 'node:fs/promises';
import { compileGlob } from './glob.js';
import { createLineMatcher } from './line-matcher.js';
import type { WorkspaceFile } from './workspace-files.js';

export interface SearchMatch {
  path: string;
  /** 1-based line number. */
  line: number;
  text: string;
}

export interface SearchQuery {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  glob?: string | undefined;
}

export interface SearchBounds {
  maxMatches: number;
  /** Larger files are not searched (they are refused by read_file too). */
  maxFileBytes: number;
  regexTimeoutMs: number;
}

const SHOWN_LINE_CHARS = 240;
const BINARY_PROBE_BYTES = 8000;

function looksBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE_BYTES).includes(0);
}

/** Searches files line by line; stops at `maxMatches` and says so with `truncated`. */
export async function searchFiles(
  files: WorkspaceFile[],
  query: SearchQuery,
  bounds: SearchBounds,
  signal?: AbortSignal,
): Promise<{ matches: SearchMatch[]; truncated: boolean }> {
  const inScope = query.glob === undefined ? () => true : compileGlob(query.glob);
  const match = createLineMatcher(query.pattern, {
    regex: query.regex,
    caseSensitive: query.caseSensitive,
    timeoutMs: bounds.regexTimeoutMs,
  });
  const matches: SearchMatch[] = [];
  for (const file of files) {
    signal?.throwIfAborted();
    if (!inScope(file.relative)) continue;
    if ((await stat(file.absolute)).size > bounds.maxFileBytes) continue;
    const content = await readFile(file.absolute);
    if (looksBinary(content)) continue;
    const lines = content.toString('utf8').split(/\r?\n/);
    // Ask for one more than room remains, to know whether anything was left out.
    for (const index of match(lines, bounds.maxMatches - matches.length + 1)) {
      if (matches.length === bounds.maxMatches) return { matches, truncated: true };
      matches.push({
        path: file.relative,
        line: index + 1,
        text: (lines[index] as string).slice(0, SHOWN_LINE_CHARS),
      });
    }
  }
  return { matches, truncated: false };
}
