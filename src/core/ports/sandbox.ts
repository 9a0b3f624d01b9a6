/**
 * Where code written by a model runs. Generated apps are untrusted: their install scripts, tests and
 * builds run under a driver that keeps the worker's environment, network, files and other jobs out
 * of reach, and bounds what they can consume.
 */
export const SANDBOX_DRIVERS = ['bwrap', 'docker', 'none'] as const;
export type SandboxDriverName = (typeof SANDBOX_DRIVERS)[number];

/** Bounds every sandboxed command gets, whatever the driver. */
export interface SandboxLimits {
  /** Processes and threads of the sandbox user. */
  processes: number;
  openFiles: number;
  /** Largest single file a command may write. */
  fileSizeBytes: number;
  /** Everything written under the work directory during one command. */
  diskBytes: number;
  /** Size of each in-memory /tmp and HOME. */
  tmpBytes: number;
  /** Memory of the whole command, where the driver can enforce it (docker; see README for bwrap). */
  memoryBytes: number;
}

export interface SandboxCommand {
  /** Host directory mounted read-write as the working directory, `/work` inside. */
  workDir: string;
  command: string;
  args: readonly string[];
  /**
   * `none`: no network at all (every app script). `registry`: network for npm's own install with
   * `--ignore-scripts`, whose sources the caller has checked are the registry.
   */
  network: 'none' | 'registry';
  /** Variables on top of PATH, HOME and CI. Never the worker's own environment. */
  env?: Readonly<Record<string, string>>;
  /** A host directory mounted read-write at `path` (the npm download cache for installs). */
  cache?: { hostDir: string; path: string };
  /**
   * Worker-owned tools lent read-only to the command (the browser driver and its script), mounted at
   * `toolPath(driver, name)`; the `none` driver mounts nothing and the command sees `hostDir` itself.
   */
  tools?: readonly { name: string; hostDir: string }[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes of output kept (the tail); default 4 KiB. */
  tailBytes?: number;
}

export interface SandboxResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** Which bound cut the command off, when one did. */
  limit?: 'time' | 'disk' | 'file-size';
  durationMs: number;
  /** The tail of stdout and stderr, interleaved, ANSI escapes removed. */
  output: string;
}

/** One job's use of the sandbox: its own unprivileged user for as long as it is open. */
export interface SandboxSession {
  /** The host uid commands run as, when the driver switches user. */
  readonly uid: number | undefined;
  /** Hands `dir` to the session's user so its commands can write there. */
  grant(dir: string, options?: { directoriesOnly?: boolean }): Promise<void>;
  /** Takes `dir` back: owned by the worker again, so no later command can change it. */
  revoke(dir: string): Promise<void>;
  run(command: SandboxCommand): Promise<SandboxResult>;
  close(): Promise<void>;
}

export interface Sandbox {
  readonly driver: SandboxDriverName;
  readonly limits: SandboxLimits;
  open(): Promise<SandboxSession>;
}

/** Where a lent tool directory appears inside a command of this driver. */
export function toolPath(driver: SandboxDriverName, tool: { name: string; hostDir: string }): string {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(tool.name))
    throw new Error(`A sandbox tool name must be a short kebab-case word, not ${JSON.stringify(tool.name)}.`);
  return driver === 'none' ? tool.hostDir : `/opt/autonoma/${tool.name}`;
}
