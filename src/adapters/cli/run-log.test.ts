import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { tempDir } from '../../../tests/helpers/pipeline-fixtures.js';
import { openRunLog } from './run-log.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('openRunLog', () => {
  it('writes each run to a new file named by command and time, creating the folder', async () => {
    dir = await tempDir('autonoma-run-log-');
    const logs = path.join(dir, 'logs');
    const log = openRunLog(logs, { command: 'build', now: () => new Date('2026-12-03T16:39:49.123Z') });
    log.write('{"msg":"one"}\n');
    log.write('{"msg":"two"}\n');
    log.close();
    log.write('{"msg":"after close"}\n');
    expect(log.path).toBe(path.join(logs, 'build-2026-12-03T16-39-49.123Z.log'));
    expect(await readFile(log.path, 'utf8')).toBe('{"msg":"one"}\n{"msg":"two"}\n');
  });

  it("keeps the newest runs' files and removes older ones, leaving other files alone", async () => {
    dir = await tempDir('autonoma-run-log-');
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    await writeFile(path.join(dir, 'worker-2020-01-01T00-00-00.000Z.log'), '');
    for (let day = 1; day <= 4; day++) {
      const now = () => new Date(`2026-01-0${day}T00:00:00.000Z`);
      openRunLog(dir, { command: 'build', keep: 3, now }).close();
    }
    expect((await readdir(dir)).sort()).toEqual([
      'build-2026-01-02T00-00-00.000Z.log',
      'build-2026-01-03T00-00-00.000Z.log',
      'build-2026-01-04T00-00-00.000Z.log',
      'notes.txt',
      'worker-2020-01-01T00-00-00.000Z.log',
    ]);
  });
});
