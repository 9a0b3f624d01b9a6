import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from '@jest/globals';
import { removeOrphanedPreviews } from './orphaned-previews.js';

it("removes the previews of servers that are gone, and leaves a live server's and anything else", async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'autonoma-previews-'));
  try {
    for (const name of ['111', '222', 'notes'])
      await mkdir(path.join(root, name, 'preview-abc', 'app'), { recursive: true });
    await writeFile(path.join(root, '111', 'preview-abc', 'app', 'index.js'), '');
    const removed = await removeOrphanedPreviews(root, (pid) => pid === 222);
    expect(removed).toEqual(['111']);
    expect((await readdir(root)).sort()).toEqual(['222', 'notes']);
    // With the real check: this process is alive, a pid past any pid_max is not.
    await rm(path.join(root, '222'), { recursive: true });
    await mkdir(path.join(root, String(process.pid)));
    await mkdir(path.join(root, '9999999999'));
    expect(await removeOrphanedPreviews(root)).toEqual(['9999999999']);
    expect((await readdir(root)).sort()).toEqual([String(process.pid), 'notes'].sort());
    expect(await removeOrphanedPreviews(path.join(root, 'missing'))).toEqual([]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
