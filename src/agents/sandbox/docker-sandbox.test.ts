import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SandboxCommand, SandboxLimits } from '../../core/ports/sandbox.js';
import { createDockerSandbox, dockerAvailable, dockerRunArgs, DOCKER_UNREACHABLE } from './docker-sandbox.js';
import { createUidPool } from './uid-pool.js';

const MIB = 2 ** 20;
const limits: SandboxLimits = {
  processes: 256,
  openFiles: 2048,
  fileSizeBytes: 512 * MIB,
  diskBytes: 1024 * MIB,
  tmpBytes: 128 * MIB,
  memoryBytes: 2048 * MIB,
};
const context = {
  uid: 2_000_000_123,
  limits,
  image: 'node:24-bookworm-slim',
  name: 'autonoma-sbx-abc',
  network: 'bridge',
};

function command(overrides: Partial<SandboxCommand> = {}): SandboxCommand {
  return {
    workDir: '/data/jobs/1',
    command: 'npm',
    args: ['test'],
    network: 'none',
    timeoutMs: 1000,
    ...overrides,
  };
}

/** The value after each occurrence of `flag`. */
function values(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag ? [args[i + 1] as string] : []));
}

describe('dockerRunArgs', () => {
  it('bounds and isolates the container', () => {
    const args = dockerRunArgs(command(), context);
    expect(args.slice(0, 4)).toEqual(['run', '--rm', '--name', 'autonoma-sbx-abc']);
    expect(args).toContain('--init');
    expect(args).toContain('--read-only');
    expect(values(args, '--network')).toEqual(['none']);
    expect(values(args, '--cap-drop')).toEqual(['ALL']);
    expect(values(args, '--security-opt')).toEqual(['no-new-privileges']);
    expect(values(args, '--pids-limit')).toEqual(['256']);
    expect(values(args, '--memory')).toEqual([`${2048 * MIB}b`]);
    expect(values(args, '--memory-swap')).toEqual([`${2048 * MIB}b`]);
    expect(values(args, '--ulimit')).toEqual([
      'nofile=2048:2048',
      `fsize=${512 * MIB}:${512 * MIB}`,
      'core=0',
    ]);
    expect(values(args, '--user')).toEqual(['2000000123:2000000123']);
    expect(values(args, '--tmpfs')).toEqual([
      `/tmp:rw,exec,nosuid,nodev,size=${128 * MIB}`,
      `/home/sandbox:rw,exec,nosuid,nodev,size=${128 * MIB}`,
    ]);
    expect(values(args, '--mount')).toEqual(['type=bind,src=/data/jobs/1,dst=/work']);
    expect(values(args, '--workdir')).toEqual(['/work']);
    expect(values(args, '--hostname')).toEqual(['sandbox']);
    expect(values(args, '--label')).toEqual(['autonoma.sandbox=1']);
    expect(args).not.toContain('-v');
    expect(args).not.toContain('--volume');
    expect(args).not.toContain('--privileged');
    expect(args.slice(-3)).toEqual(['node:24-bookworm-slim', 'npm', 'test']);
  });

  it('gives the registry phase the configured network', () => {
    expect(values(dockerRunArgs(command({ network: 'registry' }), context), '--network')).toEqual(['bridge']);
    const custom = { ...context, network: 'autonoma-registry' };
    expect(values(dockerRunArgs(command({ network: 'registry' }), custom), '--network')).toEqual([
      'autonoma-registry',
    ]);
    expect(values(dockerRunArgs(command({ network: 'none' }), custom), '--network')).toEqual(['none']);
  });

  it('passes exactly the base variables and the command own, never the worker environment', () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-test-worker-secret-123';
    try {
      const args = dockerRunArgs(command({ env: { APP_TITLE: 'Todo', PATH: '/evil' } }), context);
      const env = values(args, '--env');
      expect(env.sort()).toEqual(
        [
          'APP_TITLE=Todo',
          'PATH=/usr/local/bin:/usr/bin:/bin',
          'HOME=/home/sandbox',
          'TMPDIR=/tmp',
          'CI=true',
          'NO_COLOR=1',
          'FORCE_COLOR=0',
          'npm_config_cache=/tmp/.npm',
          'npm_config_update_notifier=false',
          'npm_config_fund=false',
          'npm_config_audit=false',
        ].sort(),
      );
      expect(env.every((entry) => entry.includes('='))).toBe(true);
      expect(args).not.toContain('-e');
      expect(args.some((arg) => arg.startsWith('--env-file') || arg.startsWith('--env='))).toBe(false);
      const joined = args.join('\n');
      expect(joined).not.toContain('OPENAI_API_KEY');
      expect(joined).not.toContain('sk-test-worker-secret-123');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  it('mounts the cache where asked', () => {
    const args = dockerRunArgs(
      command({ cache: { hostDir: '/data/npm:cache', path: '/tmp/.npm' } }),
      context,
    );
    expect(values(args, '--mount')).toEqual([
      'type=bind,src=/data/jobs/1,dst=/work',
      'type=bind,src=/data/npm:cache,dst=/tmp/.npm',
    ]);
  });

  it('lends worker tools read-only at their fixed path, and refuses odd tool names', () => {
    const args = dockerRunArgs(
      command({ tools: [{ name: 'playwright-core', hostDir: '/srv/pw' }] }),
      context,
    );
    expect(values(args, '--mount')).toContain(
      'type=bind,src=/srv/pw,dst=/opt/autonoma/playwright-core,readonly',
    );
    expect(() =>
      dockerRunArgs(command({ tools: [{ name: '../etc', hostDir: '/srv/pw' }] }), context),
    ).toThrow(/kebab-case/);
  });

  it('refuses paths that would inject mount fields', () => {
    expect(() => dockerRunArgs(command({ workDir: '/data/a,dst=/etc' }), context)).toThrow(/comma/);
    expect(() => dockerRunArgs(command({ workDir: '/data/a\nb' }), context)).toThrow(/line break/);
    expect(() =>
      dockerRunArgs(command({ cache: { hostDir: '/c,readonly=false', path: '/tmp/.npm' } }), context),
    ).toThrow(/comma/);
    expect(() => dockerRunArgs(command({ workDir: 'relative/dir' }), context)).toThrow(/absolute/);
    expect(() => dockerRunArgs(command({ env: { 'A=B': 'x' } }), context)).toThrow(/variable name/);
  });
});

describe('createDockerSandbox with a stand-in docker', () => {
  let dir: string;
  let docker: string;
  let log: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'autonoma-docker-test-'));
    docker = path.join(dir, 'docker');
    log = path.join(dir, 'calls.log');
    // Records each call; `run` runs what follows the image with only the --env variables, as a
    // container would; `version` answers or fails like a daemon that is down, per FAKE_DOCKER_DOWN.
    await writeFile(
      docker,
      `#!/bin/bash
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
env >> ${JSON.stringify(path.join(dir, 'cli-env.log'))}
if [ -f ${JSON.stringify(path.join(dir, 'down'))} ]; then
  echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2
  [ "$1" = run ] && exit 125
  exit 1
fi
case "$1" in
  version) echo 27.5.1; exit 0 ;;
  kill|rm) exit 0 ;;
  run)
    shift
    envs=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --rm|--init|--read-only) shift ;;
        --env) envs+=("$2"); shift 2 ;;
        --*) shift 2 ;;
        *) shift; break ;;
      esac
    done
    exec env -i "\${envs[@]}" "$@" ;;
esac
exit 2
`,
    );
    await chmod(docker, 0o755);
  });

  afterEach(async () => {
    await rm(log, { force: true });
    await rm(path.join(dir, 'cli-env.log'), { force: true });
    await rm(path.join(dir, 'down'), { force: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function calls(): Promise<string[]> {
    const text = await readFile(log, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean);
  }

  async function session() {
    const work = await mkdtemp(path.join(dir, 'work-'));
    const sandbox = createDockerSandbox({ limits, docker, uids: createUidPool({ pid: 7 }) });
    const opened = await sandbox.open();
    await opened.grant(work);
    return { sandbox, session: opened, work };
  }

  it('runs the command and reports its result, without the worker environment', async () => {
    process.env.OPENAI_API_KEY = 'sk-test-worker-secret-456';
    const { sandbox, session: s, work } = await session();
    try {
      expect(sandbox.driver).toBe('docker');
      const result = await s.run({
        workDir: work,
        command: process.execPath,
        args: [
          '-e',
          'console.log(process.env.HOME, process.env.APP, process.env.OPENAI_API_KEY ?? "no-key")',
        ],
        env: { APP: 'todo' },
        network: 'none',
        timeoutMs: 20_000,
      });
      expect(result).toMatchObject({ ok: true, exitCode: 0, timedOut: false });
      expect(result.output).toBe('/home/sandbox todo no-key');
      const failed = await s.run({
        workDir: work,
        command: process.execPath,
        args: ['-e', 'console.error("boom"); process.exit(3)'],
        network: 'none',
        timeoutMs: 20_000,
      });
      expect(failed).toMatchObject({ ok: false, exitCode: 3 });
      expect(failed.output).toContain('boom');
      const runs = (await calls()).filter((line) => line.startsWith('run '));
      expect(runs).toHaveLength(2);
      expect(runs[0]).toContain(`--user ${s.uid}:${s.uid}`);
      expect(runs[0]).toMatch(/--name autonoma-sbx-[0-9a-f]{16} /);
      expect(runs[0]?.match(/--name (\S+)/)?.[1]).not.toBe(runs[1]?.match(/--name (\S+)/)?.[1]);
      expect((await calls()).join('\n')).not.toContain('sk-test-worker-secret-456');
      // Nor the docker CLI itself, which could otherwise hand it on (`--env NAME`, a plugin, a log).
      const cliEnv = await readFile(path.join(dir, 'cli-env.log'), 'utf8');
      expect(cliEnv).toMatch(/^PATH=/m);
      expect(cliEnv).not.toContain('OPENAI_API_KEY');
    } finally {
      delete process.env.OPENAI_API_KEY;
      await s.close();
    }
  });

  it('kills the container by name when the command times out', async () => {
    const { session: s, work } = await session();
    try {
      const result = await s.run({
        workDir: work,
        command: process.execPath,
        args: ['-e', 'setTimeout(() => {}, 60_000)'],
        network: 'none',
        timeoutMs: 500,
      });
      expect(result).toMatchObject({ ok: false, timedOut: true, limit: 'time' });
      expect(result.output).toContain('Timed out');
      const log = await calls();
      const name = log.find((line) => line.startsWith('run '))?.match(/--name (\S+)/)?.[1];
      expect(name).toMatch(/^autonoma-sbx-/);
      expect(log).toContain(`kill ${name}`);
      expect(log).toContain(`rm --force ${name}`);
    } finally {
      await s.close();
    }
  });

  it('kills the container when the command writes past the disk bound', async () => {
    const work = await mkdtemp(path.join(dir, 'work-'));
    // Not root: the stand-in "container" writes as the worker's own uid, which is then the one counted.
    const sandbox = createDockerSandbox({
      limits: { ...limits, diskBytes: MIB },
      docker,
      asRoot: false,
      diskCheckMs: 50,
    });
    const s = await sandbox.open();
    try {
      const result = await s.run({
        workDir: work,
        command: process.execPath,
        args: [
          '-e',
          'require("fs").writeFileSync("big", Buffer.alloc(16 * 2 ** 20, 1)); setTimeout(() => {}, 60_000)',
        ],
        network: 'none',
        timeoutMs: 30_000,
      });
      expect(result).toMatchObject({ ok: false, timedOut: false, limit: 'disk' });
      const name = (await calls()).find((line) => line.startsWith('run '))?.match(/--name (\S+)/)?.[1];
      expect(await calls()).toContain(`kill ${name}`);
    } finally {
      await s.close();
    }
  });

  it('says so clearly when the daemon is unreachable', async () => {
    await writeFile(path.join(dir, 'down'), '');
    const { session: s, work } = await session();
    try {
      const result = await s.run({
        workDir: work,
        command: 'true',
        args: [],
        network: 'none',
        timeoutMs: 20_000,
      });
      expect(result).toMatchObject({ ok: false, exitCode: 125 });
      expect(result.output).toContain(DOCKER_UNREACHABLE);
      expect(result.output).toContain('Cannot connect to the Docker daemon');
    } finally {
      await s.close();
    }
  });

  it('says so clearly when the docker CLI is missing', async () => {
    const work = await mkdtemp(path.join(dir, 'work-'));
    const sandbox = createDockerSandbox({ limits, docker: path.join(dir, 'no-such-docker'), asRoot: false });
    const s = await sandbox.open();
    try {
      const result = await s.run({
        workDir: work,
        command: 'true',
        args: [],
        network: 'none',
        timeoutMs: 20_000,
      });
      expect(result).toMatchObject({ ok: false, exitCode: null });
      expect(result.output).toContain(DOCKER_UNREACHABLE);
    } finally {
      await s.close();
    }
  });

  it('dockerAvailable answers from `docker version`', async () => {
    await expect(dockerAvailable(docker)).resolves.toEqual({ ok: true });
    expect(await calls()).toContain('version --format {{.Server.Version}}');
    await writeFile(path.join(dir, 'down'), '');
    const down = await dockerAvailable(docker);
    expect(down.ok).toBe(false);
    expect(!down.ok && down.reason).toMatch(/Docker daemon is not reachable/);
    const missing = await dockerAvailable(path.join(dir, 'no-such-docker'));
    expect(!missing.ok && missing.reason).toMatch(/not installed/);
  });
});
