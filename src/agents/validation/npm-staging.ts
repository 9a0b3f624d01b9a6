import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SandboxResult, SandboxSession } from '../../core/ports/sandbox.js';

/** npm run by Autonoma itself (never an app's script) in a staging folder, in the sandbox. */
export interface NpmStaging {
  dir: string;
  /**
   * `npm <args>` with registry access and npm's download cache on disk (a few hundred packuments
   * or tarballs can outgrow the in-memory /tmp); `network: 'none'` for build scripts.
   */
  npm(
    args: string[],
    options: { network: 'registry' | 'none'; tailBytes?: number; failFast?: boolean },
  ): Promise<SandboxResult>;
}

/**
 * A corrupt tarball (a made-up integrity hash) is retried for ~2 min by default: an install that
 * the caller follows with a fresh lockfile should fail in seconds instead.
 */
const FAIL_FAST = {
  npm_config_fetch_retries: '1',
  npm_config_fetch_retry_mintimeout: '1000',
  npm_config_fetch_retry_maxtimeout: '3000',
};

export interface NpmStagingOptions {
  session: SandboxSession;
  /** Made beside these, on the same filesystem: `<prefix><random>`. */
  prefix: string;
  files: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  registry?: string;
}

/** Creates the staging folder with `files`, hands it to the session, runs `work`, then removes it. */
export async function withNpmStaging<T>(
  options: NpmStagingOptions,
  work: (staging: NpmStaging) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(options.prefix);
  const downloads = await mkdtemp(`${options.prefix}downloads-`);
  const { session } = options;
  try {
    for (const [name, content] of Object.entries(options.files)) await writeFile(join(dir, name), content);
    await session.grant(dir);
    await session.grant(downloads);
    return await work({
      dir,
      npm: (args, run) =>
        session.run({
          workDir: dir,
          command: 'npm',
          args,
          network: run.network,
          cache: { hostDir: downloads, path: '/npm-cache' },
          env: {
            npm_config_cache: '/npm-cache',
            ...(run.failFast ? FAIL_FAST : {}),
            ...(options.registry ? { npm_config_registry: options.registry } : {}),
          },
          timeoutMs: options.timeoutMs,
          ...(run.tailBytes ? { tailBytes: run.tailBytes } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(downloads, { recursive: true, force: true });
  }
}
