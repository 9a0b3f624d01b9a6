import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileMap } from '../../core/domain/files.js';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage']);

/** Reads every file of an app directory (skipping installed and built output), sorted by path. */
export async function readAppFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) await walk(relative);
      } else if (entry.isFile()) {
        files.set(relative, await readFile(path.join(root, relative), 'utf8'));
      }
    }
  };
  await walk('');
  return files;
}

/** Writes files under root, creating folders; the caller has validated the paths. */
export async function writeAppFiles(root: string, files: FileMap): Promise<void> {
  for (const [relative, content] of files) {
    const target = path.join(root, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

export async function resetDirectory(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
