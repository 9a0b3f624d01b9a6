import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox, SandboxLimits, SandboxSession } from '../../core/ports/sandbox.js';
import { runCommand } from './run-command.js';
import { sandboxEnv } from './sandbox-env.js';

/**
 * AUTONOMA_SANDBOX=none: commands run as the worker itself, with its network and files. They still
 * get a clean environment (no worker secrets), a private HOME and the time bound; nothing else is
 * contained. Only for trusted use, chosen explicitly.
 */
export function createUnsandboxed(options: { limits: SandboxLimits }): Sandbox {
  return {
    driver: 'none',
    limits: options.limits,
    async open(): Promise<SandboxSession> {
      const home = await mkdtemp(path.join(os.tmpdir(), 'autonoma-home-'));
      const pathDirs = [path.dirname(process.execPath)];
      return {
        uid: undefined,
        async grant() {},
        async revoke() {},
        run(command) {
          const env = {
            ...sandboxEnv(pathDirs, command.env),
            HOME: home,
            TMPDIR: home,
            // The cache mount's path means nothing here: npm uses the host directory itself.
            npm_config_cache: command.cache?.hostDir ?? path.join(home, '.npm'),
          };
          return runCommand(command.command, command.args, {
            cwd: command.workDir,
            env,
            timeoutMs: command.timeoutMs,
            ...(command.signal ? { signal: command.signal } : {}),
            ...(command.tailBytes ? { tailBytes: command.tailBytes } : {}),
          });
        },
        async close() {
          await rm(home, { recursive: true, force: true });
        },
      };
    },
  };
}
