import { sortedFiles, type FileMap } from '../../../core/domain/files.js';
import { InvalidInputError } from '../../../core/errors.js';
import { decodeFileContent } from '../../../core/ports/forge.js';
import type { GitHubContext } from './github-context.js';

/** Inline tree content above this is refused: a generated source file this big is a generator bug. */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;
/** GitHub warns above 50 MB and refuses 100 MB; a generated app has no business near either. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export type TreeEntry =
  | { path: string; mode: '100644'; type: 'blob'; content: string }
  | { path: string; mode: '100644'; type: 'blob'; sha: string };

export function assertCommittable(files: FileMap): void {
  for (const [path, content] of files) {
    const { bytes, binary } = decodeFileContent(content);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new InvalidInputError(
        `${path} is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; files over 50 MB cannot be pushed to GitHub. Leave it out of the app or host it elsewhere.`,
      );
    }
    if (!binary && bytes.length > MAX_TEXT_FILE_BYTES) {
      throw new InvalidInputError(
        `${path} is ${(bytes.length / 1024).toFixed(0)} KB of text; generated text files are limited to 1 MB. Split it or generate it at build time.`,
      );
    }
    if (
      path.startsWith('/') ||
      path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')
    ) {
      throw new InvalidInputError(
        `The file path "${path.slice(0, 200)}" must be relative, without '.', '..' or '.git' segments.`,
      );
    }
  }
}

/**
 * The complete tree for POST git/trees: text inline (so one call carries every text file), binary
 * files as blobs uploaded first — one call each, the only calls that grow with the app.
 */
export async function buildTreeEntries(
  ctx: GitHubContext,
  coordinates: { owner: string; repo: string },
  files: FileMap,
): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const { path, content } of sortedFiles(files)) {
    const { bytes, binary } = decodeFileContent(content);
    if (!binary) {
      entries.push({ path, mode: '100644', type: 'blob', content });
      continue;
    }
    const { data } = await ctx.octokit.rest.git.createBlob({
      ...coordinates,
      content: bytes.toString('base64'),
      encoding: 'base64',
    });
    entries.push({ path, mode: '100644', type: 'blob', sha: data.sha });
  }
  return entries;
}
