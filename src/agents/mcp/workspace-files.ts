import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Folders no tool lists, searches or counts: dependencies are installed by the pipeline, Git is off limits. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

export interface WorkspaceFile {
  /** POSIX path relative to the workspace root. */
  relative: string;
  absolute: string;
}

export interface FileWalk {
  files: WorkspaceFile[];
  /** True when the walk stopped at `maxEntries`. */
  truncated: boolean;
}

/**
 * Lists regular files under a folder, sorted by relative path. Symbolic links are not followed or listed,
 * so a walk never leaves the root.
 */
export async function walkFiles(
  absoluteDir: string,
  relativeDir: string,
  maxEntries = Number.POSITIVE_INFINITY,
): Promise<FileWalk> {
  const files: WorkspaceFile[] = [];
  let truncated = false;
  const visit = async (absolute: string, relative: string): Promise<void> => {
    const entries = await readdir(absolute, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (truncated) return;
      const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const childAbsolute = path.join(absolute, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await visit(childAbsolute, childRelative);
      } else if (entry.isFile()) {
        if (files.length >= maxEntries) {
          truncated = true;
          return;
        }
        files.push({ relative: childRelative, absolute: childAbsolute });
      }
    }
  };
  await visit(absoluteDir, relativeDir);
  // Depth-first order differs from plain string order ("a/b" vs "a-c"); callers expect the latter.
  files.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return { files, truncated };
}

export interface WorkspaceUsage {
  fileCount: number;
  totalBytes: number;
}

/** Counts files and bytes now on disk; measured afresh for each write because the pipeline writes too. */
export async function measureWorkspace(rootReal: string): Promise<WorkspaceUsage> {
  const { files } = await walkFiles(rootReal, '');
  // A file removed between the walk and the stat simply counts for nothing.
  const sizes = await Promise.all(
    files.map((file) =>
      stat(file.absolute).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  return { fileCount: files.length, totalBytes: sizes.reduce((sum, size) => sum + size, 0) };
}
