import { execFile } from 'node:child_process';
import { devNull } from 'node:os';
import { AutonomaError } from '../../core/errors.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export const AUTONOMA_GIT_IDENTITY: GitIdentity = { name: 'Autonoma', email: 'autonoma@localhost' };

export interface RunGitOptions {
  /** The repository (`--git-dir`); omitted for commands that make one. */
  gitDir?: string;
  /** Written to the command's stdin. */
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `rev-parse --verify -q`). */
  allowExitCodes?: number[];
}

export interface GitOutput {
  stdout: Buffer;
  exitCode: number;
}

const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

/**
 * The git CLI through execFile (never a shell). The user's global and system git config are ignored so
 * that hooks, signing or templates set there cannot change what the forge writes, and no identity needs
 * to be configured on the machine.
 */
export function runGit(args: string[], options: RunGitOptions = {}): Promise<GitOutput> {
  const fullArgs = options.gitDir === undefined ? args : ['--git-dir', options.gitDir, ...args];
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      { env, encoding: 'buffer', maxBuffer: MAX_OUTPUT_BYTES },
      (error, stdout, stderr) => {
        const exitCode = typeof error?.code === 'number' ? error.code : error ? -1 : 0;
        if (exitCode === 0 || options.allowExitCodes?.includes(exitCode)) {
          resolve({ stdout, exitCode });
          return;
        }
        const detail = stderr.toString('utf8').trim() || error?.message || 'no output';
        reject(
          new AutonomaError(
            'forge_failed',
            `git ${args[0] ?? ''} failed${options.gitDir ? ` in ${options.gitDir}` : ''}: ${detail}. ` +
              'Check that git (2.32 or newer) is installed and the forge directory is writable.',
            { cause: error, details: { args } },
          ),
        );
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

export async function gitText(args: string[], options: RunGitOptions = {}): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf8').trim();
}

export function identityEnv(author: GitIdentity, committer: GitIdentity = AUTONOMA_GIT_IDENTITY) {
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
}
