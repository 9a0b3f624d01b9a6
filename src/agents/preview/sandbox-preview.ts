/**
 * One preview's app, run in the sandbox: the branch's files written to a fresh directory, its
 * dependencies provided from the validation cache (installed there first when missing), its `build`
 * script run with no network, then its `start` script run by a small bridge (bridge/preview-bridge.mjs)
 * that forwards a unix socket in a bind-mounted directory to the app's loopback port. The host reaches
 * the app only through that socket; the sandbox keeps no network.
 */
import { chmod, lstat, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutonomaError, CancelledError } from '../../core/errors.js';
import type { FileMap } from '../../core/domain/files.js';
import { decodeFileContent } from '../../core/ports/forge.js';
import { toolPath, type Sandbox, type SandboxResult, type SandboxSession } from '../../core/ports/sandbox.js';
import { envFromExample } from '../sandbox/sandbox-env.js';
import { ensureDependencies, readLockfile } from '../validation/dependency-cache.js';
import { provideNodeModules } from '../validation/provide-node-modules.js';

/** A preview that could not start; `message` is shown on the job page as is. */
export class PreviewStartError extends AutonomaError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('agent_failed', message, { ...options, retryable: false });
  }
}

export interface RunningApp {
  /** Host path of the socket that reaches the app (short enough to connect to). */
  readonly socketPath: string;
  /** Settles when the app stops by itself (crash, time bound) with why; never rejects. */
  readonly exited: Promise<string>;
  /** Kills the sandbox's processes and removes the preview's directory. */
  stop(): Promise<void>;
}

export interface PreviewRunner {
  start(files: FileMap, signal: AbortSignal): Promise<RunningApp>;
}

export interface SandboxPreviewOptions {
  sandbox: Sandbox;
  /** Where each preview gets its directory (on the same filesystem as `cacheDir`, for hard links). */
  rootDir: string;
  /** The validation's dependency cache (one installed node_modules per lockfile). */
  cacheDir: string;
  registry?: string;
  /** The app process runs at most this long (the preview's lifetime plus a margin). */
  maxRunMs: number;
  installTimeoutMs?: number;
  buildTimeoutMs?: number;
  startTimeoutMs?: number;
  /** True when a text holds a configured secret: such `.env.example` values are not passed on. */
  isSecret?: (text: string) => boolean;
  redact?: (text: string) => string;
}

const BRIDGE_DIR = fileURLToPath(new URL('./bridge/', import.meta.url));
const SOCKET_MOUNT = '/run/autonoma-preview';
const SOCKET_NAME = 'app.sock';
const APP_PORT = 3000;
const MAX_FILES = 5000;
const MAX_CONNECTIONS = 64;

export function createSandboxPreviewRunner(options: SandboxPreviewOptions): PreviewRunner {
  const redact = options.redact ?? ((text: string) => text);
  return {
    async start(files, signal) {
      await mkdir(options.rootDir, { recursive: true, mode: 0o755 });
      const dir = await mkdtemp(path.join(options.rootDir, 'preview-'));
      await chmod(dir, 0o755); // the sandbox user enters it
      const session = await options.sandbox.open();
      const cleanUp = async () => {
        await session.close();
        await rm(dir, { recursive: true, force: true });
      };
      try {
        const app = await prepare(dir, files, session, options, signal, redact);
        return await launch(app, dir, session, options, signal, redact, cleanUp);
      } catch (error) {
        await cleanUp();
        if (error instanceof AutonomaError) throw error;
        throw new PreviewStartError('The preview could not start: an internal error.', { cause: error });
      }
    },
  };
}

interface PreparedApp {
  appDir: string;
  env: Record<string, string>;
}

async function prepare(
  dir: string,
  files: FileMap,
  session: SandboxSession,
  options: SandboxPreviewOptions,
  signal: AbortSignal,
  redact: (text: string) => string,
): Promise<PreparedApp> {
  const appDir = path.join(dir, 'app');
  await writeFiles(appDir, files);
  const packageJson = await readFile(path.join(appDir, 'package.json'), 'utf8').catch(() => undefined);
  const scripts = scriptsOf(packageJson);
  if (!scripts) throw new PreviewStartError('The branch has no valid package.json to start the app from.');
  if (!scripts.has('start'))
    throw new PreviewStartError('The app has no "start" script in package.json, so it cannot be previewed.');
  const example = await readFile(path.join(appDir, '.env.example'), 'utf8').catch(() => '');
  const env = envFromExample(example.slice(0, 64 * 1024), options.isSecret ?? (() => false));

  const lockfile = await readLockfile(appDir);
  if (lockfile !== undefined) {
    const deps = await ensureDependencies(lockfile, {
      cacheDir: options.cacheDir,
      session,
      timeoutMs: options.installTimeoutMs ?? 600_000,
      signal,
      ...(options.registry ? { registry: options.registry } : {}),
    });
    if (!deps.result.ok)
      throw new PreviewStartError(`Installing the dependencies failed:\n${redact(deps.result.output)}`);
    await session.grant(appDir);
    await provideNodeModules(deps.nodeModules, appDir, session, options.sandbox.driver);
  } else {
    await session.grant(appDir);
  }
  if (scripts.has('build')) {
    const build = await session.run({
      workDir: appDir,
      command: 'npm',
      args: ['run', 'build'],
      network: 'none',
      env,
      timeoutMs: options.buildTimeoutMs ?? 300_000,
      signal,
    });
    if (!build.ok) throw new PreviewStartError(`The app's build failed:\n${redact(build.output)}`);
  }
  return { appDir, env };
}

async function launch(
  app: PreparedApp,
  dir: string,
  session: SandboxSession,
  options: SandboxPreviewOptions,
  signal: AbortSignal,
  redact: (text: string) => string,
  cleanUp: () => Promise<void>,
): Promise<RunningApp> {
  const driver = options.sandbox.driver;
  const socketDir = path.join(dir, 'socket');
  await mkdir(socketDir, { mode: 0o755 });
  await session.grant(socketDir);
  const socketPath = path.join(socketDir, SOCKET_NAME);
  // A socket's path may be at most 107 bytes, and a data directory can be deep: through an open
  // handle of its directory the path stays short, and names the directory we made, not a swapped one.
  const socketDirHandle = await open(socketDir, 'r');
  const hostSocket =
    Buffer.byteLength(socketPath) <= 100 ? socketPath : `/proc/self/fd/${socketDirHandle.fd}/${SOCKET_NAME}`;
  const tool = { name: 'preview-bridge', hostDir: BRIDGE_DIR };
  const stopper = new AbortController();
  const config = {
    appDir: driver === 'none' ? app.appDir : '/work',
    socket: driver === 'none' ? socketPath : `${SOCKET_MOUNT}/${SOCKET_NAME}`,
    port: driver === 'none' ? await freePort() : APP_PORT,
    start: { command: 'npm', args: ['run', '--silent', 'start'] },
    maxConnections: MAX_CONNECTIONS,
  };
  const run: Promise<SandboxResult | 'stopped'> = session
    .run({
      workDir: app.appDir,
      command: 'node',
      args: [path.posix.join(toolPath(driver, tool), 'preview-bridge.mjs')],
      network: 'none',
      env: { ...app.env, AUTONOMA_PREVIEW: JSON.stringify(config) },
      tools: [tool],
      cache: { hostDir: socketDir, path: driver === 'none' ? socketDir : SOCKET_MOUNT },
      timeoutMs: options.maxRunMs,
      signal: stopper.signal,
      tailBytes: 8192,
    })
    .catch((error: unknown) => {
      if (error instanceof CancelledError) return 'stopped' as const;
      throw error;
    });
  const exited = run.then(
    (result) =>
      result === 'stopped'
        ? 'The preview was stopped.'
        : result.timedOut
          ? 'The preview reached its time limit.'
          : `The app stopped:\n${redact(result.output)}`,
    (error: unknown) => `The app stopped: ${error instanceof Error ? error.message : String(error)}`,
  );
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopper.abort();
      await run.catch(() => undefined);
      await socketDirHandle.close();
      await cleanUp();
    })();
    return stopping;
  };
  const onAbort = () => void stop();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await waitUntilAnswering(hostSocket, exited, options.startTimeoutMs ?? 90_000, signal);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  // From now on the sandbox cannot swap the socket for a link to something else on the host.
  await session.revoke(socketDir);
  return { socketPath: hostSocket, exited, stop };
}

/** Waits for any HTTP answer through the socket; the app's own exit or the time bound end the wait. */
async function waitUntilAnswering(
  socketPath: string,
  exited: Promise<string>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  let stoppedWith: string | undefined;
  void exited.then((why) => {
    stoppedWith = why;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal.aborted) throw new CancelledError('The preview was stopped.');
    if (stoppedWith !== undefined) throw new PreviewStartError(stoppedWith);
    if (await isSocket(socketPath)) {
      if (await answers(socketPath)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new PreviewStartError(
    `The app did not answer within ${Math.round(timeoutMs / 1000)} s of starting (npm start).`,
  );
}

async function isSocket(file: string): Promise<boolean> {
  const info = await lstat(file).catch(() => undefined);
  return info?.isSocket() ?? false;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(
      { socketPath, path: '/', method: 'GET', headers: { host: 'preview' }, timeout: 2000 },
      (response) => {
        response.resume();
        resolve(true);
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
    request.end();
  });
}

/** The branch's files, each checked to stay inside `root` (they come from a forge, written by a model). */
async function writeFiles(root: string, files: FileMap): Promise<void> {
  if (files.size > MAX_FILES)
    throw new PreviewStartError(`The branch has ${files.size} files; a preview takes at most ${MAX_FILES}.`);
  await mkdir(root, { mode: 0o755 });
  for (const [name, content] of files) {
    const normal = path.posix.normalize(name);
    if (
      name.includes('\0') ||
      path.posix.isAbsolute(normal) ||
      normal.startsWith('../') ||
      normal === '..' ||
      normal.split('/').includes('.git') ||
      normal.startsWith('.autonoma/')
    )
      continue;
    const target = path.join(root, normal);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, decodeFileContent(content).bytes);
  }
}

function scriptsOf(packageJson: string | undefined): Set<string> | undefined {
  if (packageJson === undefined) return undefined;
  try {
    const scripts = (JSON.parse(packageJson) as { scripts?: unknown }).scripts;
    return new Set(scripts && typeof scripts === 'object' ? Object.keys(scripts) : []);
  } catch {
    return undefined;
  }
}

/** A free loopback port, for the `none` driver where the app shares the host's network. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : APP_PORT));
    });
  });
}
