import { spawn, spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  ensureTestDatabase,
  REPO_ROOT,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  uniquePrefix,
} from '../helpers/test-env.js';

function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/autonoma.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('autonoma start-up', () => {
  it('exits non-zero with one clear message for a bad DATABASE_URL', () => {
    const result = runCli(['worker'], { DATABASE_URL: 'not-a-url' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Invalid configuration (1 problem)');
    expect(result.stderr).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(result.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('exits non-zero when a required secret is missing, naming it', () => {
    const result = runCli(['serve'], { DISCORD_APPLICATION_ID: '123456789012345678' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('DISCORD_PUBLIC_KEY: is required when DISCORD_APPLICATION_ID is set');
  });

  it('exits non-zero with a clear message when PostgreSQL is unreachable', () => {
    const result = runCli(['db:migrate'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/autonoma' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Cannot reach PostgreSQL at 127.0.0.1:1');
    expect(result.stderr).toContain('set DATABASE_URL');
  });

  it('refuses an empty prompt with the reason', () => {
    const result = runCli(['build', '  '], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Describe the app in a few words');
  });
});

describe('autonoma worker', () => {
  it('runs at the configured lower CPU priority, and shuts down cleanly on SIGTERM: stops taking jobs, closes its connections, exits 0', async () => {
    await ensureTestDatabase();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/autonoma.js'), 'worker'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DATABASE_URL: TEST_DATABASE_URL,
        REDIS_URL: TEST_REDIS_URL,
        AUTONOMA_DATA_DIR: path.join(REPO_ROOT, 'node_modules', '.cache', uniquePrefix()),
        WORKER_NICE: '7',
        AUTONOMA_QUEUE_PREFIX: uniquePrefix(),
        // With Slack configured, the worker also starts Slack builds handed over by `serve`.
        SLACK_BOT_TOKEN: 'xoxb-test-token',
        SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const started = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('autonoma worker started')) resolve();
      });
      child.once('exit', () => reject(new Error(`worker exited early: ${stderr}`)));
    });
    await started;
    expect(stderr).toContain('"chatInbox":true');
    // Builds it starts inherit this, so the web tier on the same host keeps its acks fast.
    expect(getPriority(child.pid)).toBe(7);
    const exited = new Promise<number | string | null>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? signal)),
    );
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    // On failure, show what the worker printed: the exit code alone does not say why.
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(stderr).toContain('worker stopping');
  });
});
