import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Sandbox, SandboxDriverName, SandboxLimits } from '../../core/ports/sandbox.js';
import { ConfigError } from '../../core/errors.js';
import { createBwrapSandbox } from './bwrap-sandbox.js';
import { createDockerSandbox, dockerAvailable } from './docker-sandbox.js';
import { createUnsandboxed } from './unsandboxed.js';

export interface SandboxSettings {
  /** Undefined: the strongest driver that works here. */
  driver: SandboxDriverName | undefined;
  image: string;
  network: string;
  limits: SandboxLimits;
  /** Where sandboxed work will happen; the probe runs there, so an unreachable parent shows now. */
  workRoot: string;
}

export interface SandboxChoice {
  sandbox: Sandbox;
  /** True when nothing was chosen and no real sandbox works here (so `none` was not asked for). */
  fallback: boolean;
  /** What is missing for a real sandbox, and how to get one (set with `fallback`). */
  missing?: string;
}

export const BWRAP_INSTALL_HINT =
  'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) ' +
  'or set AUTONOMA_SANDBOX=docker';

/** Runs `true` in a real bwrap sandbox: bwrap may be installed yet unable to create namespaces. */
export async function bwrapWorks(
  limits: SandboxLimits,
  workRoot = os.tmpdir(),
): Promise<{ ok: true } | { ok: false; reason: string }> {
  await mkdir(workRoot, { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(path.join(workRoot, 'probe-'));
  const sandbox = createBwrapSandbox({ limits });
  const session = await sandbox.open();
  try {
    await session.grant(dir);
    const result = await session.run({
      workDir: dir,
      command: 'true',
      args: [],
      network: 'none',
      timeoutMs: 10_000,
    });
    if (result.ok) return { ok: true };
    const why = result.output.trim().split('\n').filter(Boolean).pop() ?? `exit code ${result.exitCode}`;
    // `env` answers 127 when it cannot find what it should run: bwrap, setpriv or prlimit.
    return { ok: false, reason: result.exitCode === 127 ? `a sandbox tool is not installed (${why})` : why };
  } finally {
    await session.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The configured driver, checked to work; or, when none is configured, the strongest that works. */
export async function chooseSandbox(
  settings: SandboxSettings,
  probes: {
    bwrap?: typeof bwrapWorks;
    docker?: () => ReturnType<typeof dockerAvailable>;
  } = {},
): Promise<SandboxChoice> {
  const probeBwrap = probes.bwrap ?? bwrapWorks;
  const probeDocker = probes.docker ?? (() => dockerAvailable());
  const { limits } = settings;
  const bwrap = () => createBwrapSandbox({ limits });
  const docker = () => createDockerSandbox({ limits, image: settings.image, network: settings.network });

  if (settings.driver === 'none') return { sandbox: createUnsandboxed({ limits }), fallback: false };
  if (settings.driver === 'bwrap') {
    const probe = await probeBwrap(limits, settings.workRoot);
    if (!probe.ok)
      throw new ConfigError(
        `AUTONOMA_SANDBOX=bwrap, but the bubblewrap sandbox does not work here: ${probe.reason}. ` +
          `To fix: ${BWRAP_INSTALL_HINT}.`,
      );
    return { sandbox: bwrap(), fallback: false };
  }
  if (settings.driver === 'docker') {
    const probe = await probeDocker();
    if (!probe.ok)
      throw new ConfigError(
        `AUTONOMA_SANDBOX=docker, but Docker is not reachable: ${probe.reason}. ` +
          'Mount /var/run/docker.sock into the worker, or set AUTONOMA_SANDBOX=bwrap.',
      );
    return { sandbox: docker(), fallback: false };
  }
  const bwrapProbe = await probeBwrap(limits, settings.workRoot);
  if (bwrapProbe.ok) return { sandbox: bwrap(), fallback: false };
  const dockerProbe = await probeDocker();
  if (dockerProbe.ok) return { sandbox: docker(), fallback: false };
  return {
    sandbox: createUnsandboxed({ limits }),
    fallback: true,
    missing: `${bwrapProbe.reason}; ${BWRAP_INSTALL_HINT}`,
  };
}

/**
 * Fail closed: code from a model, or from prompts anyone in a chat or on GitHub can write, never
 * runs unsandboxed unless AUTONOMA_SANDBOX=none says so. Returns the one line to print otherwise.
 */
export function sandboxRefusal(
  choice: SandboxChoice,
  untrustedSources: readonly string[],
): string | undefined {
  if (!choice.fallback) return undefined;
  if (untrustedSources.length > 0) {
    throw new ConfigError(
      `No sandbox for generated code: ${choice.missing}. This worker takes work from ${untrustedSources.join(', ')}, ` +
        'so it will not run that code with its own secrets, network and files. ' +
        'Set AUTONOMA_SANDBOX=none to accept that risk explicitly.',
    );
  }
  return `Generated apps are validated without a sandbox: ${choice.missing}.`;
}
