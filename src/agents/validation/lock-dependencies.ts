import type { SandboxSession } from '../../core/ports/sandbox.js';
import { checkDependencySources, packageJsonInSync } from './dependency-policy.js';
import { resolveLockfile } from './resolve-lockfile.js';

export interface LockContext {
  session: SandboxSession;
  /** Where resolution stages its throw-away folder. */
  workRoot: string;
  registries: readonly string[];
  registry: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export type LockOutcome =
  | {
      ok: true;
      lockfile: string;
      /** Why Autonoma wrote the lockfile, when it did (undefined: the app's own was used). */
      resolvedBecause?: string;
      output: string;
    }
  | { ok: false; output: string };

const bullets = (lines: readonly string[]) => lines.map((line) => `- ${line}`).join('\n');

/**
 * The lockfile to install from. The app's own is used when it is sound (parses, passes the source
 * policy, matches package.json); otherwise Autonoma resolves one from package.json. Only what
 * package.json itself asks for can fail here, with a message naming what to change.
 */
export async function lockDependencies(
  packageJson: string,
  current: string | undefined,
  context: LockContext,
): Promise<LockOutcome> {
  const manifest = checkDependencySources({ packageJson, registries: context.registries });
  if (!manifest.ok)
    return { ok: false, output: `Dependencies refused before install:\n${bullets(manifest.problems)}` };

  let reason = 'package.json has no package-lock.json beside it';
  let previous: string | undefined;
  if (current !== undefined) {
    const sources = checkDependencySources({
      packageJson,
      lockfile: current,
      registries: context.registries,
    });
    const drift = sources.ok ? packageJsonInSync(packageJson, current) : [];
    if (sources.ok && drift.length === 0) return { ok: true, lockfile: current, output: '' };
    if (sources.ok) {
      reason = 'package-lock.json did not match package.json';
      previous = current; // keep the versions it pins
    } else {
      reason = `package-lock.json was unusable (${sources.problems[0] ?? 'invalid'})`;
    }
  }
  return resolve(packageJson, previous, reason, context);
}

/** Resolves from package.json alone, e.g. after the app's own lockfile failed to install. */
export function relockFromScratch(
  packageJson: string,
  reason: string,
  context: LockContext,
): Promise<LockOutcome> {
  return resolve(packageJson, undefined, reason, context);
}

async function resolve(
  packageJson: string,
  previous: string | undefined,
  reason: string,
  context: LockContext,
): Promise<LockOutcome> {
  const resolved = await resolveLockfile(packageJson, {
    session: context.session,
    workRoot: context.workRoot,
    timeoutMs: context.timeoutMs,
    registry: context.registry,
    ...(previous ? { previous } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
  });
  if (!resolved.ok) return { ok: false, output: resolved.output };
  // What the registry returned is checked like any lockfile: a published package may depend on git.
  const sources = checkDependencySources({
    packageJson,
    lockfile: resolved.lockfile,
    registries: context.registries,
  });
  if (!sources.ok)
    return {
      ok: false,
      output: `The dependencies resolved from package.json pull in sources that are not allowed:\n${bullets(sources.problems)}`,
    };
  return {
    ok: true,
    lockfile: resolved.lockfile,
    resolvedBecause: reason,
    output: `Resolved package-lock.json from the registry (${reason}) in ${(resolved.durationMs / 1000).toFixed(1)} s.`,
  };
}
