import { spawn } from 'node:child_process';
import type { SandboxResult } from '../../core/ports/sandbox.js';
import { CancelledError } from '../../core/errors.js';

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Bytes of output kept (the tail); default 4 KiB. */
  tailBytes?: number;
  /** Also run when the tree is killed: what the process group cannot reach (a docker container). */
  onKill?: () => void;
  /**
   * Polled while the command runs; a message ends it like a timeout does (a bound it crossed).
   * Checks never overlap; a failing check is ignored.
   */
  watchdog?: { intervalMs: number; check: () => Promise<WatchdogVerdict | undefined> };
}

export interface WatchdogVerdict {
  limit: NonNullable<SandboxResult['limit']>;
  message: string;
}

export type CommandResult = SandboxResult;

const KILL_GRACE_MS = 2000;
// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Runs a command in its own process group so that a timeout, an abort or a watchdog can kill the
 * whole tree (npm -> node -> workers). Rejects with CancelledError on abort; a timeout or a crossed
 * bound is a failed result that says which.
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
    let stopped: WatchdogVerdict | undefined;
    let aborted = false;
    let finished = false;
    const collect = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      if (buffer.length > keep * 2) buffer = buffer.slice(-keep);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);

    let killTimer: NodeJS.Timeout | undefined;
    const killTree = (): void => {
      if (killTimer) return;
      signalGroup(child.pid, 'SIGTERM');
      try {
        options.onKill?.();
      } catch {
        // Best effort: the process group is killed regardless.
      }
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const stop = (verdict: WatchdogVerdict): void => {
      if (stopped || finished) return;
      stopped = verdict;
      killTree();
    };
    const timer = setTimeout(
      () =>
        stop({
          limit: 'time',
          message: `Timed out after ${Math.round(options.timeoutMs / 1000)} s; the process tree was killed.`,
        }),
      options.timeoutMs,
    );
    let watchTimer: NodeJS.Timeout | undefined;
    const watch = options.watchdog;
    if (watch) {
      const poll = (): void => {
        watchTimer = setTimeout(() => {
          watch
            .check()
            .then((verdict) => (verdict ? stop(verdict) : undefined))
            .catch(() => undefined)
            .finally(() => {
              if (!finished && !stopped) poll();
            });
        }, watch.intervalMs);
      };
      poll();
    }
    const onAbort = (): void => {
      aborted = true;
      killTree();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, error?: Error): void => {
      finished = true;
      clearTimeout(timer);
      if (watchTimer) clearTimeout(watchTimer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (aborted) {
        reject(new CancelledError());
        return;
      }
      let output = tail(stripAnsi(buffer), options.tailBytes ?? 4096);
      if (error) output += `\n${error.message}`;
      if (stopped) output += `\n${stopped.message}`;
      resolve({
        ok: !stopped && !error && exitCode === 0,
        exitCode,
        timedOut: stopped?.limit === 'time',
        ...(stopped ? { limit: stopped.limit } : {}),
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
