import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Autonoma's package.json, whether running from src/ (tsx) or dist/src/. */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Cannot find the Autonoma package root (package.json beside prisma/).');
    dir = parent;
  }
}
