import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sortedFiles, type FileMap } from '../../core/domain/files.js';
import { decodeFileContent } from '../../core/ports/forge.js';
import { gitText } from './run-git.js';

const WRITE_SLICE = 64;

/**
 * Writes the files as blobs and returns the sha of the tree holding exactly them, with plumbing only:
 * one `hash-object --stdin-paths` for every blob, a throw-away index (`GIT_INDEX_FILE`) filled by one
 * `update-index --index-info`, then `write-tree`. Three git processes whatever the number of files,
 * and no working tree to check out.
 */
export async function writeTree(gitDir: string, files: FileMap): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'autonoma-tree-'));
  try {
    const entries = sortedFiles(files);
    const blobPaths = entries.map((_, index) => path.join(scratch, `blob-${index}`));
    // In slices, so a very large app does not open thousands of files at once (EMFILE).
    for (let start = 0; start < entries.length; start += WRITE_SLICE) {
      await Promise.all(
        entries
          .slice(start, start + WRITE_SLICE)
          .map((entry, offset) =>
            writeFile(blobPaths[start + offset]!, decodeFileContent(entry.content).bytes),
          ),
      );
    }
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index') };
    if (entries.length > 0) {
      const shas = (
        await gitText(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
          gitDir,
          input: blobPaths.join('\n') + '\n',
        })
      ).split('\n');
      const indexInfo = entries.map((entry, index) => `100644 ${shas[index]}\t${entry.path}\n`).join('');
      await gitText(['update-index', '--add', '--index-info'], { gitDir, env, input: indexInfo });
    }
    return await gitText(['write-tree'], { gitDir, env });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
