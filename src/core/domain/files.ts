import { createHash } from 'node:crypto';

/** A generated file: a path relative to the app root (POSIX separators) and its UTF-8 text. */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** Files keyed by relative path; insertion order is irrelevant, output is always sorted. */
export type FileMap = ReadonlyMap<string, string>;

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function sortedFiles(files: FileMap): GeneratedFile[] {
  return [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => ({ path, content }));
}

export type FileChange =
  | { kind: 'added'; path: string; content: string }
  | { kind: 'modified'; path: string; content: string; previous: string }
  | { kind: 'deleted'; path: string; previous: string };

/** The change set between two versions of an app, sorted by path. */
export function diffFiles(before: FileMap, after: FileMap): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, content] of after) {
    const previous = before.get(path);
    if (previous === undefined) changes.push({ kind: 'added', path, content });
    else if (previous !== content) changes.push({ kind: 'modified', path, content, previous });
  }
  for (const [path, previous] of before) {
    if (!after.has(path)) changes.push({ kind: 'deleted', path, previous });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
