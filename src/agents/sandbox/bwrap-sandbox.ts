import path from 'node:path';
import type {
  Sandbox,
  SandboxCommand,
  SandboxLimits,
  SandboxResult,
  SandboxSession,
} from '../../core/ports/sandbox.js';
import { toolPath } from '../../core/ports/sandbox.js';
import { diskWatchdog } from './disk-usage.js';
import { sessionOwnership } from './ownership.js';
import { runCommand } from './run-command.js';
import { SANDBOX_HOME, sandboxEnv } from './sandbox-env.js';
import { createUidPool, type UidPool } from './uid-pool.js';

export interface BwrapSandboxOptions {
  limits: SandboxLimits;
  /** Where node and npm are installed (`<prefix>/bin/node`): mounted read-only when outside /usr. */
  nodePrefix?: string;
  /** The worker runs as root: each session then runs as its own unprivileged uid (setpriv). */
  asRoot?: boolean;
  uids?: UidPool;
  bwrap?: string;
  /** How often the work directory's size is checked against `limits.diskBytes`. */
  diskCheckMs?: number;
}

const SYSTEM_DIRS = ['/usr', '/bin', '/lib'];
/**
 * Where a node installed outside the system directories appears: a fixed path, because its host
 * path could lie under another mount (a prefix below /work would be hidden by the work directory).
 */
export const SANDBOX_NODE_PREFIX = '/opt/autonoma-node';
const OPTIONAL_SYSTEM_DIRS = [
  '/lib64',
  '/lib32',
  '/sbin',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/alternatives',
  // Fonts and Debian's Chromium wrapper settings, for screenshots of the app.
  '/etc/fonts',
  '/etc/chromium.d',
];
/** Name resolution, for the registry phase only. */
const NETWORK_FILES = [
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/host.conf',
  '/etc/gai.conf',
];

/** The node install prefix of this process (`/usr` for Debian's node, `~/.nvm/versions/node/vX` for nvm). */
export function nodePrefixOf(execPath = process.execPath): string {
  return path.dirname(path.dirname(execPath));
}

/**
 * The full command line for one sandboxed command. Privileges and the environment are dropped
 * BEFORE bwrap starts: bwrap's own reaper keeps its parent's environment in /proc/1/environ, and a
 * sandbox uid mapped from root could still read root-only files.
 */
export function bwrapCommandLine(
  command: SandboxCommand,
  context: { uid: number | undefined; limits: SandboxLimits; nodePrefix: string; bwrap?: string },
): { file: string; args: string[] } {
  const { limits, uid } = context;
  const prefix = context.nodePrefix;
  const outsideSystem = !SYSTEM_DIRS.some((dir) => prefix === dir || prefix.startsWith(`${dir}/`));
  const env = sandboxEnv(outsideSystem ? [path.join(SANDBOX_NODE_PREFIX, 'bin')] : [], command.env);
  const dropPrivileges =
    uid === undefined
      ? []
      : [
          'setpriv',
          `--reuid=${uid}`,
          `--regid=${uid}`,
          '--clear-groups',
          '--inh-caps=-all',
          '--bounding-set=-all',
          '--no-new-privs',
        ];
  const bounds = [
    'prlimit',
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    '--core=0',
    '--',
  ];
  const mounts = [
    ...SYSTEM_DIRS.flatMap((dir) => ['--ro-bind', dir, dir]),
    ...OPTIONAL_SYSTEM_DIRS.flatMap((dir) => ['--ro-bind-try', dir, dir]),
    ...(outsideSystem ? ['--ro-bind', prefix, SANDBOX_NODE_PREFIX] : []),
    ...(command.network === 'registry' ? NETWORK_FILES.flatMap((f) => ['--ro-bind-try', f, f]) : []),
    '--size',
    String(limits.tmpBytes),
    '--tmpfs',
    '/tmp',
    '--size',
    String(limits.tmpBytes),
    '--tmpfs',
    '/home',
    '--dir',
    SANDBOX_HOME,
    '--bind',
    command.workDir,
    '/work',
    ...(command.cache ? ['--bind', command.cache.hostDir, command.cache.path] : []),
    ...(command.tools ?? []).flatMap((tool) => ['--ro-bind', tool.hostDir, toolPath('bwrap', tool)]),
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    // bwrap's own root (where /etc, /home… are created) is an unbounded tmpfs: read-only once built.
    '--remount-ro',
    '/',
  ];
  const bwrap = [
    context.bwrap ?? 'bwrap',
    '--unshare-all',
    ...(command.network === 'registry' ? ['--share-net'] : []),
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    ...mounts,
    '--chdir',
    '/work',
    '--clearenv',
    ...Object.entries(env).flatMap(([key, value]) => ['--setenv', key, value]),
    '--',
    command.command,
    ...command.args,
  ];
  return {
    file: 'env',
    args: ['-i', 'PATH=/usr/local/bin:/usr/bin:/bin', ...dropPrivileges, ...bounds, ...bwrap],
  };
}

/**
 * Bubblewrap: new user, pid, network, ipc and uts namespaces; the system read-only; only the job's
 * own directory writable; in-memory /tmp and HOME of bounded size; no environment but PATH, HOME,
 * CI and what the caller passes. When the step ends or is killed, its pid namespace dies with it,
 * `setsid` and `nohup` children included.
 */
export function createBwrapSandbox(options: BwrapSandboxOptions): Sandbox {
  const asRoot = options.asRoot ?? process.getuid?.() === 0;
  const uids = options.uids ?? createUidPool();
  const nodePrefix = options.nodePrefix ?? nodePrefixOf();
  const worker = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

  return {
    driver: 'bwrap',
    limits: options.limits,
    async open(): Promise<SandboxSession> {
      const uid = asRoot ? uids.acquire() : undefined;
      let open = true;
      return {
        uid,
        ...sessionOwnership(uid),
        async run(command): Promise<SandboxResult> {
          if (!open) throw new Error('This sandbox session is closed.');
          const line = bwrapCommandLine(command, {
            uid,
            limits: options.limits,
            nodePrefix,
            ...(options.bwrap ? { bwrap: options.bwrap } : {}),
          });
          const check = await diskWatchdog(command.workDir, uid ?? worker.uid, options.limits.diskBytes);
          return runCommand(line.file, line.args, {
            cwd: command.workDir,
            env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
            timeoutMs: command.timeoutMs,
            ...(command.signal ? { signal: command.signal } : {}),
            ...(command.tailBytes ? { tailBytes: command.tailBytes } : {}),
            watchdog: { intervalMs: options.diskCheckMs ?? 1000, check },
          }).then((result) => explainUnreachable(fileSizeVerdict(result), uid));
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

/** SIGXFSZ (exit 153 from a shell, or npm's report of it) means the file-size bound was hit. */
export function fileSizeVerdict(result: SandboxResult): SandboxResult {
  if (result.ok || result.limit) return result;
  if (result.exitCode === 128 + 25 || /SIGXFSZ|File size limit exceeded|EFBIG/.test(result.output)) {
    return {
      ...result,
      limit: 'file-size',
      output: `${result.output}\nStopped: a file grew past the sandbox's file size limit.`,
    };
  }
  return result;
}

/** bwrap resolves the work directory as the sandbox user: a parent it cannot enter stops it cold. */
function explainUnreachable(result: SandboxResult, uid: number | undefined): SandboxResult {
  const match = /bwrap: Can't find source path (.+): Permission denied/.exec(result.output);
  if (!match) return result;
  return {
    ...result,
    output:
      `${result.output}\nThe sandbox user (uid ${uid ?? 'of the worker'}) cannot reach ${match[1]}: every parent ` +
      'directory must be enterable by others (chmod o+x), or set AUTONOMA_DATA_DIR to a directory that is.',
  };
}
