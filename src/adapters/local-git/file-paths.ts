import type { FileMap } from '../../core/domain/files.js';
import { InvalidInputError } from '../../core/errors.js';

/** Relative POSIX paths that stay inside the app and can be written to a git tree. */
export function assertSafeFilePaths(files: FileMap): void {
  for (const filePath of files.keys()) {
    const segments = filePath.split('/');
    const unsafe =
      filePath.length === 0 ||
      /[\0\n\r\\]/.test(filePath) ||
      segments.some((s) => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git');
    if (unsafe) {
      throw new InvalidInputError(
        `The file path "${filePath.slice(0, 200)}" cannot be committed: paths must be relative, use '/', ` +
          "and contain no empty, '.', '..' or '.git' segments.",
      );
    }
  }
}
