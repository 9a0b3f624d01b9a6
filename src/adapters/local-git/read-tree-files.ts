import { encodeBinaryFile } from '../../core/ports/forge.js';
import { runGit } from './run-git.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A blob as a FileMap value: UTF-8 text as is, anything else (or text with NUL) as encoded binary. */
function blobToContent(bytes: Buffer): string {
  if (!bytes.includes(0)) {
    try {
      return utf8.decode(bytes);
    } catch {
      // not UTF-8: fall through to binary
    }
  }
  return encodeBinaryFile(bytes);
}

/** Every file of a commit's tree: `ls-tree -r` for the paths, one `cat-file --batch` for the contents. */
export async function readTreeFiles(gitDir: string, commit: string): Promise<Map<string, string>> {
  const listing = (await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], { gitDir })).stdout
    .toString('utf8')
    .split('\0')
    .filter((line) => line.length > 0)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [, type, sha] = line.slice(0, tab).split(' ');
      return { type, sha: sha ?? '', path: line.slice(tab + 1) };
    })
    .filter((entry) => entry.type === 'blob');
  const files = new Map<string, string>();
  if (listing.length === 0) return files;
  const batch = (
    await runGit(['cat-file', '--batch'], { gitDir, input: listing.map((e) => e.sha).join('\n') + '\n' })
  ).stdout;
  let offset = 0;
  for (const entry of listing) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const size = Number(batch.toString('utf8', offset, headerEnd).split(' ')[2]);
    const start = headerEnd + 1;
    files.set(entry.path, blobToContent(batch.subarray(start, start + size)));
    offset = start + size + 1;
  }
  return files;
}
