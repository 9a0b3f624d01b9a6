import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileMap } from '../../core/domain/files.js';
import { renderPackageJson, renderPackageLock } from '../offline/app/project/package.js';
import { STARTER_DIR } from './shared-files.js';

export { STARTER_DIR };

/**
 * The starter every build begins from: a working Express 5 + React 19 app on the offline generator's
 * stack, already locked, so a model that keeps its dependencies makes Autonoma resolve nothing and
 * reuse one installed dependency set. Its files live beside this module (the Docker build copies
 * them next to the compiled code, TypeScript included); package.json and package-lock.json are not
 * among them but rendered from the offline template, the one locked dependency set.
 */

/** Sanity bounds: the starter is a skeleton, never an app. */
const MAX_FILES = 64;
const MAX_BYTES = 256 * 1024;
const DERIVED = new Set(['package.json', 'package-lock.json']);
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The starter's files for an app named `slug`: relative POSIX path -> text, in sorted path order. */
export async function loadStarterFiles(slug: string, dir: string = STARTER_DIR): Promise<FileMap> {
  if (!SLUG.test(slug)) throw new Error(`The starter needs a kebab-case app slug, not "${slug}".`);
  const found: Array<[string, string]> = [];
  let bytes = 0;
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
    for (const entry of entries) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(file);
        continue;
      }
      if (!entry.isFile()) throw new Error(`The starter holds ${file}, which is not a regular file.`);
      if (DERIVED.has(file))
        throw new Error(`The starter must not hold ${file}: it is rendered from the offline template.`);
      const content = await readFile(path.join(dir, file), 'utf8');
      bytes += Buffer.byteLength(content);
      found.push([file, content]);
      if (found.length > MAX_FILES || bytes > MAX_BYTES)
        throw new Error(`The starter in ${dir} is over ${MAX_FILES} files or ${MAX_BYTES} bytes.`);
    }
  };
  await walk('').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new Error(
      `The starter app is missing from ${dir}: copy src/agents/starter/files there (the Docker build does).`,
      { cause: error },
    );
  });
  found.push(
    ['package.json', renderPackageJson({ slug })],
    ['package-lock.json', renderPackageLock({ slug })],
  );
  return new Map(found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
