import { spawn } from 'node:child_process';
import { CancelledError } from '../../core/errors.js';

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Bytes of output kept (the tail); default 4 KiB. */
  tailBytes?: number;
}

export interface CommandResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** The last `tailBytes` of stdout and stderr, interleaved, ANSI escapes removed. */
  output: string;
}

const KILL_GRACE_MS = 2000;
// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Runs a command in its own process group so that a timeout or an abort can kill the whole tree
 * (npm -> node -> workers). Rejects with CancelledError on abort; a timeout is a failed result.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new CancelledError());
  const keep = (options.tailBytes ?? 4096) * 4;
  const started = Date.now();

  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    let timedOut = false;
    let aborted = false;
    const collect = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      if (buffer.length > keep * 2) buffer = buffer.slice(-keep);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);

    let killTimer: NodeJS.Timeout | undefined;
    const killTree = (): void => {
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killTree();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, error?: Error): void => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (aborted) {
        reject(new CancelledError());
        return;
      }
      let output = tail(stripAnsi(buffer), options.tailBytes ?? 4096);
      if (error) output += `\n${error.message}`;
      if (timedOut)
        output += `\nTimed out after ${Math.round(options.timeoutMs / 1000)} s; the process tree was killed.`;
      resolve({
        ok: !timedOut && !error && exitCode === 0,
        exitCode,
        timedOut,
        durationMs: Date.now() - started,
        output,
      });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}

function signalGroup(pid: number | undefined, name: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, name);
  } catch {
    // The group is already gone.
  }
}

function tail(text: string, bytes: number): string {
  const trimmed = text.trimEnd();
  if (Buffer.byteLength(trimmed) <= bytes) return trimmed;
  const sliced = Buffer.from(trimmed).subarray(-bytes).toString('utf8');
  // Drop a partial first line (and any split multi-byte character with it).
  const newline = sliced.indexOf('\n');
  return `…${newline >= 0 ? sliced.slice(newline) : sliced}`;
}
