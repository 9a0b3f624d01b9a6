import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { SandboxCommand, SandboxLimits } from '../../core/ports/sandbox.js';
import { ConfigError } from '../../core/errors.js';
import { bwrapCommandLine, createBwrapSandbox, SANDBOX_NODE_PREFIX } from './bwrap-sandbox.js';
import { bwrapWorks, chooseSandbox, sandboxRefusal } from './create-sandbox.js';
import { envFromExample } from './sandbox-env.js';
import { createUidPool } from './uid-pool.js';

const limits: SandboxLimits = {
  processes: 100,
  openFiles: 200,
  fileSizeBytes: 300,
  diskBytes: 400,
  tmpBytes: 500,
  memoryBytes: 600,
};
const command: SandboxCommand = {
  workDir: '/data/cache/validation/validate-abc',
  command: 'npm',
  args: ['run', 'test'],
  network: 'none',
  env: { APP_NAME: 'demo' },
  timeoutMs: 1000,
};

describe('bwrapCommandLine', () => {
  const line = bwrapCommandLine(command, { uid: 2_000_000_001, limits, nodePrefix: '/usr' });
  const args = line.args;

  it('clears the environment and drops root before bwrap starts', () => {
    expect(line.file).toBe('env');
    expect(args.slice(0, 2)).toEqual(['-i', 'PATH=/usr/local/bin:/usr/bin:/bin']);
    const setpriv = args.indexOf('setpriv');
    const bwrap = args.indexOf('bwrap');
    expect(setpriv).toBeGreaterThan(0);
    expect(setpriv).toBeLessThan(bwrap);
    expect(args.slice(setpriv, setpriv + 7)).toEqual([
      'setpriv',
      '--reuid=2000000001',
      '--regid=2000000001',
      '--clear-groups',
      '--inh-caps=-all',
      '--bounding-set=-all',
      '--no-new-privs',
    ]);
    expect(args).toEqual(
      expect.arrayContaining([
        '--nproc=100',
        '--nofile=200',
        '--fsize=300',
        '--clearenv',
        '--die-with-parent',
      ]),
    );
  });

  it('unshares every namespace, the network included, and mounts only the job copy writable', () => {
    expect(args).toEqual(expect.arrayContaining(['--unshare-all', '--unshare-user', '--disable-userns']));
    expect(args).not.toContain('--share-net');
    const binds = args.flatMap((a, i) => (a === '--bind' ? [`${args[i + 1]} -> ${args[i + 2]}`] : []));
    expect(binds).toEqual(['/data/cache/validation/validate-abc -> /work']);
    expect(args.slice(args.indexOf('--remount-ro'), args.indexOf('--remount-ro') + 2)).toEqual([
      '--remount-ro',
      '/',
    ]);
    expect(args.slice(-3)).toEqual(['npm', 'run', 'test']);
  });

  it('passes only the base variables and the ones asked for, never the worker environment', () => {
    process.env.OPENAI_API_KEY = 'sk-never-in-a-sandbox-0123456789';
    const again = bwrapCommandLine(command, { uid: 2_000_000_001, limits, nodePrefix: '/usr' }).args;
    const variables = again.flatMap((a, i) => (a === '--setenv' ? [again[i + 1]] : []));
    expect(variables.sort()).toEqual(
      [
        'APP_NAME',
        'CI',
        'FORCE_COLOR',
        'HOME',
        'NO_COLOR',
        'PATH',
        'TMPDIR',
        'npm_config_audit',
        'npm_config_cache',
        'npm_config_fund',
        'npm_config_update_notifier',
      ].sort(),
    );
    expect(again.join(' ')).not.toContain('sk-never-in-a-sandbox');
    delete process.env.OPENAI_API_KEY;
  });

  it('shares the network and name resolution only for the registry phase', () => {
    const install = bwrapCommandLine(
      { ...command, network: 'registry', cache: { hostDir: '/data/npm', path: '/npm-cache' } },
      { uid: 7, limits, nodePrefix: '/usr' },
    ).args;
    expect(install).toContain('--share-net');
    expect(install).toEqual(expect.arrayContaining(['--ro-bind-try', '/etc/resolv.conf']));
    expect(install).toEqual(expect.arrayContaining(['--bind', '/data/npm', '/npm-cache']));
  });

  it('mounts a node installed outside /usr read-only and puts it on PATH', () => {
    const nvm = bwrapCommandLine(command, {
      uid: 7,
      limits,
      nodePrefix: '/opt/node-v20',
    }).args;
    expect(nvm).toEqual(expect.arrayContaining(['--ro-bind', '/opt/node-v20', SANDBOX_NODE_PREFIX]));
    const pathValue = nvm[nvm.indexOf('PATH', nvm.indexOf('--clearenv')) + 1];
    expect(pathValue?.startsWith(`${SANDBOX_NODE_PREFIX}/bin:`)).toBe(true);
  });

  it('does not switch user when the worker is not root', () => {
    const unprivileged = bwrapCommandLine(command, { uid: undefined, limits, nodePrefix: '/usr' }).args;
    expect(unprivileged).not.toContain('setpriv');
    expect(unprivileged).toContain('bwrap');
  });
});

describe('envFromExample', () => {
  const secret = 'sk-live-abcdef0123456789';
  const isSecret = (value: string) => value.includes(secret);

  it('passes documented variables with their example values', () => {
    const text = [
      '# Server',
      'PORT=3000',
      'export DATABASE_FILE="./data/app.db"',
      "APP_NAME='Recipe Box' # shown in the header",
      'EMPTY=',
    ].join('\n');
    expect(envFromExample(text, isSecret)).toEqual({
      PORT: '3000',
      DATABASE_FILE: './data/app.db',
      APP_NAME: 'Recipe Box',
      EMPTY: '',
    });
  });

  it('drops variables that steer node, npm, the shell or the linker, and configured secrets', () => {
    const text = [
      'NODE_OPTIONS=--require /work/evil.js',
      'LD_PRELOAD=/work/evil.so',
      'PATH=/work/bin',
      'NPM_CONFIG_REGISTRY=http://attacker',
      'HTTPS_PROXY=http://attacker',
      'BASH_ENV=/work/evil.sh',
      `OPENAI_API_KEY=${secret}`,
      '1BAD=x',
      'OK=yes',
    ].join('\n');
    expect(envFromExample(text, isSecret)).toEqual({ OK: 'yes' });
  });

  it('bounds how much it takes', () => {
    const many = Array.from({ length: 200 }, (_, i) => `V${i}=x`).join('\n');
    expect(Object.keys(envFromExample(many, isSecret))).toHaveLength(64);
    expect(envFromExample(`LONG=${'x'.repeat(5000)}`, isSecret)).toEqual({});
  });
});

describe('uid pool', () => {
  it('gives each open session its own uid, and reuses released ones', () => {
    const pool = createUidPool({ base: 1000, pid: 3, size: 2 });
    const a = pool.acquire();
    const b = pool.acquire();
    expect(a).not.toBe(b);
    expect(a).toBe(1000 + 3 * 64);
    expect(() => pool.acquire()).toThrow(/All 2 sandbox users are in use/);
    pool.release(a);
    expect(pool.acquire()).toBe(a);
  });
});

describe('choosing a sandbox', () => {
  const settings = { driver: undefined, image: 'node:24', network: 'bridge', limits, workRoot: os.tmpdir() };
  const broken = async () => ({ ok: false as const, reason: 'bubblewrap (bwrap) is not installed' });
  const working = async () => ({ ok: true as const });

  it('picks bwrap, then docker, and falls back to none only when neither works', async () => {
    expect((await chooseSandbox(settings, { bwrap: working, docker: working })).sandbox.driver).toBe('bwrap');
    expect((await chooseSandbox(settings, { bwrap: broken, docker: working })).sandbox.driver).toBe('docker');
    const fallback = await chooseSandbox(settings, { bwrap: broken, docker: broken });
    expect(fallback).toMatchObject({ fallback: true, sandbox: { driver: 'none' } });
    expect(fallback.missing).toMatch(
      /not installed; install bubblewrap \(Debian\/Ubuntu: apt-get install bubblewrap/,
    );
  });

  it('fails closed for a worker that runs code from models or chat, unless none is explicit', async () => {
    const fallback = await chooseSandbox(settings, { bwrap: broken, docker: broken });
    expect(() => sandboxRefusal(fallback, ['a model provider (openai)', 'Slack'])).toThrow(ConfigError);
    expect(() => sandboxRefusal(fallback, ['Slack'])).toThrow(
      /No sandbox for generated code: .*install bubblewrap.*takes work from Slack.*AUTONOMA_SANDBOX=none/,
    );
    // An offline build on a laptop goes on, with one line saying what is missing.
    expect(sandboxRefusal(fallback, [])).toMatch(
      /^Generated apps are validated without a sandbox: .*apt-get install bubblewrap/,
    );
    const explicit = await chooseSandbox({ ...settings, driver: 'none' }, { bwrap: broken, docker: broken });
    expect(explicit.fallback).toBe(false);
    expect(sandboxRefusal(explicit, ['Slack'])).toBeUndefined();
  });

  it('refuses a configured driver that does not work here', async () => {
    await expect(chooseSandbox({ ...settings, driver: 'bwrap' }, { bwrap: broken })).rejects.toThrow(
      /AUTONOMA_SANDBOX=bwrap, but the bubblewrap sandbox does not work here: .*not installed/,
    );
    await expect(
      chooseSandbox(
        { ...settings, driver: 'docker' },
        { docker: async () => ({ ok: false, reason: 'no socket' }) },
      ),
    ).rejects.toThrow(/AUTONOMA_SANDBOX=docker, but Docker is not reachable: no socket/);
  });

  it('probes the real bubblewrap on this machine, in the directory work will happen in', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'autonoma-probe-test-'));
    await chmod(root, 0o755);
    try {
      expect(await bwrapWorks(limits, root)).toEqual({ ok: true });
      const missing = createBwrapSandbox({ limits, bwrap: '/nonexistent/bwrap' });
      const session = await missing.open();
      const result = await session.run({ ...command, workDir: root, command: 'true', args: [] });
      await session.close();
      expect(result.ok).toBe(false);
      expect(result.exitCode).toBe(127);
      await chmod(root, 0o700); // the sandbox user can no longer enter it: the probe says so
      const unreachable = await bwrapWorks(limits, root);
      expect(unreachable.ok).toBe(false);
      expect(unreachable.ok || unreachable.reason).toMatch(/cannot reach .*chmod o\+x/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
