/**
 * Small generated apps for sandbox tests: a package.json whose scripts are the attack, files beside
 * it, and a lockfile (none, or one tiny registry package) so installs take a second, not a minute.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SandboxLimits } from '../../src/core/ports/sandbox.js';
import { REPO_ROOT } from './test-env.js';

/** Every sandbox test works here: on the repository's filesystem, so dependencies hard-link. */
export const SANDBOX_TEST_ROOT = path.join(REPO_ROOT, 'node_modules', '.cache', 'autonoma-sandbox-test');

/** One dependency cache for every test that installs the offline template's locked set: it installs once. */
export const TEMPLATE_DEPS_CACHE = path.join(SANDBOX_TEST_ROOT, 'template-deps');

export const TEST_LIMITS: SandboxLimits = {
  processes: 256,
  openFiles: 1024,
  fileSizeBytes: 64 * 2 ** 20,
  diskBytes: 128 * 2 ** 20,
  tmpBytes: 64 * 2 ** 20,
  memoryBytes: 2 * 2 ** 30,
};

/** Values shaped like the worker's real secrets; a test puts them in process.env and config. */
export function fakeSecrets() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    OPENAI_API_KEY: 'sk-proj-sandboxtest0123456789abcdefABCDEF',
    SLACK_BOT_TOKEN: 'xoxb-1111-2222-sandboxtestTOKENvalue',
    GITHUB_PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    DATABASE_PASSWORD: 'pg-sandbox-test-password-42',
  };
}

const EMPTY_LOCK = (name: string) => ({
  name,
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name, version: '1.0.0' } },
});

/** One real, tiny, script-free package from the registry. */
const IS_NUMBER_LOCK = (name: string) => ({
  name,
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name, version: '1.0.0', dependencies: { 'is-number': '7.0.0' } },
    'node_modules/is-number': {
      version: '7.0.0',
      resolved: 'https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz',
      integrity:
        'sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==',
      license: 'MIT',
      engines: { node: '>=0.12.0' },
    },
  },
});

export interface AppSpec {
  /** Scripts by name; lint, typecheck, test and build default to a no-op. */
  scripts?: Record<string, string>;
  files?: Record<string, string>;
  withDependency?: boolean;
  /** package.json dependencies, instead of the locked `is-number`. */
  dependencies?: Record<string, string>;
  /** The lockfile's text; `null` for none (as a model writes an app). Default: a matching one. */
  lockfile?: string | null;
}

export async function writeApp(parent: string, spec: AppSpec): Promise<string> {
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(path.join(parent, 'app-'));
  const name = 'attack-app';
  const noop = 'node -e 0';
  const manifest = {
    name,
    version: '1.0.0',
    private: true,
    scripts: { lint: noop, typecheck: noop, test: noop, build: noop, ...spec.scripts },
    ...(spec.withDependency ? { dependencies: { 'is-number': '7.0.0' } } : {}),
    ...(spec.dependencies ? { dependencies: spec.dependencies } : {}),
  };
  await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const lock = spec.withDependency ? IS_NUMBER_LOCK(name) : EMPTY_LOCK(name);
  if (spec.lockfile !== null)
    await writeFile(path.join(dir, 'package-lock.json'), spec.lockfile ?? JSON.stringify(lock, null, 2));
  for (const [file, content] of Object.entries(spec.files ?? {})) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

/** An HTTP listener on loopback that records every request and connection an attack makes. */
export async function startListener(): Promise<{
  port: number;
  hits: string[];
  close(): Promise<void>;
}> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString('utf8')}`);
      res.end('ok');
    });
  });
  server.on('connection', () => hits.push('connection'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
