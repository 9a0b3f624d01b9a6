import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type {
  Sandbox,
  SandboxCommand,
  SandboxLimits,
  SandboxResult,
  SandboxSession,
} from '../../core/ports/sandbox.js';
import { toolPath } from '../../core/ports/sandbox.js';
import { fileSizeVerdict } from './bwrap-sandbox.js';
import { diskWatchdog } from './disk-usage.js';
import { sessionOwnership } from './ownership.js';
import { runCommand } from './run-command.js';
import { SANDBOX_HOME, sandboxEnv } from './sandbox-env.js';
import { createUidPool, type UidPool } from './uid-pool.js';

export interface DockerSandboxOptions {
  limits: SandboxLimits;
  /** The image every command runs in; pulled by the daemon on first use. */
  image?: string;
  /** The docker CLI. */
  docker?: string;
  /** The Docker network of the registry phase (`network: 'registry'`); every other command has none. */
  network?: string;
  /** The worker runs as root: each session then runs as its own unprivileged uid. */
  asRoot?: boolean;
  uids?: UidPool;
  /** How often the work directory's size is checked against `limits.diskBytes`. */
  diskCheckMs?: number;
}

export const DEFAULT_SANDBOX_IMAGE = 'node:24-bookworm-slim';
export const DOCKER_UNREACHABLE =
  'Docker is not reachable from the worker: mount /var/run/docker.sock or choose AUTONOMA_SANDBOX=bwrap';

const DAEMON_ERROR =
  /Cannot connect to the Docker daemon|permission denied while trying to connect to the Docker daemon/i;
/** What the docker CLI itself may read: where the daemon is, and its own config. Nothing else. */
const CLIENT_ENV = [
  'PATH',
  'HOME',
  'DOCKER_HOST',
  'DOCKER_CONTEXT',
  'DOCKER_CONFIG',
  'DOCKER_CERT_PATH',
  'DOCKER_TLS_VERIFY',
];
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CLEANUP_TIMEOUT_MS = 30_000;

/**
 * The arguments after `docker` for one sandboxed command. The container gets exactly the variables
 * listed here: every one is `--env K=V`, never a bare `--env NAME` (which copies the CLI's own value)
 * nor `--env-file`.
 */
export function dockerRunArgs(
  command: SandboxCommand,
  context: { uid: number; limits: SandboxLimits; image: string; name: string; network: string },
): string[] {
  const { limits, uid } = context;
  const env = sandboxEnv([], command.env);
  for (const key of Object.keys(env)) {
    if (!ENV_KEY.test(key)) throw new Error(`Refusing the sandbox variable name ${JSON.stringify(key)}.`);
  }
  // Docker's tmpfs defaults to noexec; `exec` keeps parity with bwrap (npx runs packages from the
  // npm cache in /tmp). It adds nothing an attacker lacks: /work is writable and executable anyway.
  const tmpfs = `rw,exec,nosuid,nodev,size=${limits.tmpBytes}`;
  return [
    'run',
    '--rm',
    '--name',
    context.name,
    // A real pid 1 that reaps orphans and forwards signals to the command.
    '--init',
    '--network',
    command.network === 'registry' ? context.network : 'none',
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--pids-limit',
    String(limits.processes),
    // Equal memory and memory+swap: no swap on top of the memory bound.
    '--memory',
    `${limits.memoryBytes}b`,
    '--memory-swap',
    `${limits.memoryBytes}b`,
    '--ulimit',
    `nofile=${limits.openFiles}:${limits.openFiles}`,
    // Docker passes size ulimits to setrlimit(2) unchanged, so fsize is in bytes (not the 512-byte
    // or 1 KiB blocks `ulimit -f` shows): docker/cli docs, container_run.md "--ulimit", PR #7115.
    '--ulimit',
    `fsize=${limits.fileSizeBytes}:${limits.fileSizeBytes}`,
    '--ulimit',
    'core=0',
    '--user',
    `${uid}:${uid}`,
    '--tmpfs',
    `/tmp:${tmpfs}`,
    '--tmpfs',
    `${SANDBOX_HOME}:${tmpfs}`,
    '--mount',
    bindMount(command.workDir, '/work'),
    ...(command.cache ? ['--mount', bindMount(command.cache.hostDir, command.cache.path)] : []),
    ...(command.tools ?? []).flatMap((tool) => [
      '--mount',
      `${bindMount(tool.hostDir, toolPath('docker', tool))},readonly`,
    ]),
    '--workdir',
    '/work',
    '--hostname',
    'sandbox',
    // Output reaches us through the attached streams; a json-file log would copy it, unbounded, to
    // the host's disk until the container is removed.
    '--log-driver',
    'none',
    '--label',
    'autonoma.sandbox=1',
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    context.image,
    command.command,
    ...command.args,
  ];
}

/**
 * `--mount` is a comma-separated list of key=value fields (read as CSV), so a comma, a quote or a
 * line break in a path could add fields of its own; `-v` would split on colons instead.
 */
function bindMount(source: string, destination: string): string {
  for (const dir of [source, destination]) {
    if (/[,"\r\n]/.test(dir))
      throw new Error(
        `Cannot mount ${JSON.stringify(dir)} into the sandbox: the path holds a comma, quote or line break.`,
      );
    if (!path.isAbsolute(dir))
      throw new Error(`Cannot mount ${JSON.stringify(dir)} into the sandbox: it is not absolute.`);
  }
  return `type=bind,src=${source},dst=${destination}`;
}

/**
 * Docker: each command in a fresh container of a fixed image, with no network (the registry phase
 * excepted), a read-only root, no capabilities, bounded processes, memory, open files and file size,
 * in-memory /tmp and HOME, and only the job's own directory mounted. The daemon resolves mount paths
 * on the host: a worker in a container needs its data directory at the same path on both sides.
 */
export function createDockerSandbox(options: DockerSandboxOptions): Sandbox {
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  const uids = options.uids ?? createUidPool();
  const docker = options.docker ?? 'docker';
  const image = options.image ?? DEFAULT_SANDBOX_IMAGE;
  const network = options.network ?? 'bridge';
  const worker = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const clientEnv = dockerClientEnv();

  return {
    driver: 'docker',
    limits: options.limits,
    async open(): Promise<SandboxSession> {
      const uid = asRoot ? uids.acquire() : undefined;
      // Not root: the container runs as the worker's own uid, which already owns the job's files.
      const runAs = uid ?? worker.uid;
      let open = true;
      return {
        uid,
        ...sessionOwnership(uid),
        async run(command): Promise<SandboxResult> {
          if (!open) throw new Error('This sandbox session is closed.');
          const name = `autonoma-sbx-${randomBytes(8).toString('hex')}`;
          const args = dockerRunArgs(command, { uid: runAs, limits: options.limits, image, name, network });
          // Killing the CLI leaves the container running: the daemon has to be told.
          let killing: Promise<unknown> | undefined;
          const client = { docker, env: clientEnv };
          const check = await diskWatchdog(command.workDir, runAs, options.limits.diskBytes);
          let result: SandboxResult;
          try {
            result = await runCommand(docker, args, {
              cwd: command.workDir,
              env: clientEnv,
              timeoutMs: command.timeoutMs,
              ...(command.signal ? { signal: command.signal } : {}),
              ...(command.tailBytes ? { tailBytes: command.tailBytes } : {}),
              onKill: () => {
                killing ??= dockerCommand(client, ['kill', name]);
              },
              watchdog: { intervalMs: options.diskCheckMs ?? 1000, check },
            });
          } catch (error) {
            await settle(client, name, killing, true);
            throw error;
          }
          // A container killed (137) or left behind by a killed CLI (no exit code) may still run.
          await settle(client, name, killing, result.exitCode === 137 || result.exitCode === null);
          return explain(result, options.limits);
        },
        async close() {
          if (!open) return;
          open = false;
          if (uid !== undefined) uids.release(uid);
        },
      };
    },
  };
}

/** Waits for a `docker kill` under way, then removes the container if it may still be there. */
async function settle(
  client: { docker: string; env: NodeJS.ProcessEnv },
  name: string,
  killing: Promise<unknown> | undefined,
  mayRemain: boolean,
): Promise<void> {
  await killing;
  if (killing || mayRemain) await dockerCommand(client, ['rm', '--force', name]);
}

function dockerCommand(client: { docker: string; env: NodeJS.ProcessEnv }, args: string[]): Promise<unknown> {
  return runCommand(client.docker, args, {
    cwd: os.tmpdir(),
    env: client.env,
    timeoutMs: CLEANUP_TIMEOUT_MS,
  }).catch(() => undefined);
}

/** Says what went wrong when it was Docker rather than the command. */
function explain(result: SandboxResult, limits: SandboxLimits): SandboxResult {
  if (result.ok || result.limit) return result;
  const unreachable =
    (result.exitCode === null && /\bENOENT\b/.test(result.output)) ||
    (result.exitCode === 125 && DAEMON_ERROR.test(result.output));
  if (unreachable) return { ...result, output: `${DOCKER_UNREACHABLE}.\n${result.output}` };
  if (result.exitCode === 137) {
    return {
      ...result,
      output: `${result.output}\nKilled (exit 137): most likely the sandbox's memory limit of ${Math.round(limits.memoryBytes / 2 ** 20)} MiB.`,
    };
  }
  return fileSizeVerdict(result);
}

/** The docker CLI's environment: it never sees the worker's secrets, so it cannot pass them on. */
function dockerClientEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const picked: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin' };
  for (const key of CLIENT_ENV) if (env[key] !== undefined) picked[key] = env[key];
  return picked;
}

/** Whether a Docker daemon answers through this CLI, and why not when it does not. */
export async function dockerAvailable(
  docker = 'docker',
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const result = await runCommand(docker, ['version', '--format', '{{.Server.Version}}'], {
    cwd: os.tmpdir(),
    env: dockerClientEnv(),
    timeoutMs: 5000,
  });
  if (result.ok) return { ok: true };
  if (result.exitCode === null && /\bENOENT\b/.test(result.output))
    return { ok: false, reason: `the docker CLI (${docker}) is not installed` };
  if (result.timedOut) return { ok: false, reason: 'the Docker daemon did not answer within 5 s' };
  if (DAEMON_ERROR.test(result.output)) {
    const line = result.output.split('\n').find((l) => DAEMON_ERROR.test(l)) ?? '';
    return { ok: false, reason: `the Docker daemon is not reachable (${line.trim()})` };
  }
  const last = result.output.trim().split('\n').pop();
  return { ok: false, reason: last || `docker version exited with ${result.exitCode}` };
}
