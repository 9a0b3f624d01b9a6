/**
 * Fail closed, for real: a data directory the sandbox user cannot enter makes bubblewrap unusable
 * (and there is no Docker here), which is what a machine without a sandbox looks like to the worker.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cliEnv, ensureTestDatabase, REPO_ROOT } from '../helpers/test-env.js';

let locked: string;
beforeAll(async () => {
  await ensureTestDatabase();
  locked = await mkdtemp(path.join(os.tmpdir(), 'autonoma-locked-'));
  await chmod(locked, 0o700);
});
afterAll(async () => {
  await rm(locked, { recursive: true, force: true });
});

const baseEnv = () => cliEnv(path.join(locked, 'data'));

describe('a worker with no working sandbox', () => {
  it('refuses to start when it would run code from a model, saying what is missing and the way out', () => {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/autonoma.js'), 'worker'], {
      cwd: REPO_ROOT,
      env: {
        ...baseEnv(),
        OPENAI_API_KEY: 'sk-startup-test-0123456789abcdef',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/No sandbox for generated code: .*cannot reach/);
    expect(result.stderr).toContain('takes work from a model provider (openai)');
    expect(result.stderr).toContain('Set AUTONOMA_SANDBOX=none to accept that risk explicitly');
    expect(result.stderr).not.toContain('sk-startup-test');
  });

  it('refuses AUTONOMA_SANDBOX=bwrap that cannot work here, instead of silently running without it', () => {
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/autonoma.js'), 'worker'], {
      cwd: REPO_ROOT,
      env: { ...baseEnv(), AUTONOMA_SANDBOX: 'bwrap' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUTONOMA_SANDBOX=bwrap, but the bubblewrap sandbox does not work here');
  });

  it('still builds offline from the command line, with one line saying what is missing', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin/autonoma.js'),
        'build',
        'a todo app with tags',
        '--out',
        path.join(locked, 'repos'),
      ],
      { cwd: REPO_ROOT, env: baseEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const warned = await new Promise<boolean>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/Request \S+ queued/.test(stderr)) resolve(true);
      });
      child.once('exit', () => resolve(false));
    });
    child.kill('SIGKILL');
    expect({ warned, stderr }).toMatchObject({ warned: true });
    const notices = stderr.split('\n').filter((line) => line.includes('without a sandbox'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Generated apps are validated without a sandbox: .*install bubblewrap/);
  }, 60_000);
});
