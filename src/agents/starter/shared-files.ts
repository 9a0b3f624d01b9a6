import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the starter's real files live (the Docker build copies them beside the compiled code). */
export const STARTER_DIR = fileURLToPath(new URL('./files/', import.meta.url));

/**
 * A starter file the offline generator also writes, unchanged for every spec (configs, the test
 * setup, the bundle budget): one copy, the real file, linted and validated with the starter.
 */
export function starterFile(relative: string): string {
  return readFileSync(path.join(STARTER_DIR, relative), 'utf8');
}
