/**
 * A model writes package.json and cannot write a lockfile (it cannot know integrity hashes):
 * Autonoma resolves one from the registry in the sandbox, and what package.json gets wrong comes
 * back as an install failure naming the package, for the agent that owns package.json to fix.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createBwrapSandbox } from '../../src/agents/sandbox/bwrap-sandbox.js';
import {
  DEPRECATION_CHECK,
  deprecatedDirectDependencies,
} from '../../src/agents/validation/resolve-lockfile.js';
import { validateApp } from '../../src/agents/validation/validate-app.js';
import { SANDBOX_TEST_ROOT, TEST_LIMITS, writeApp } from '../helpers/sandbox-fixtures.js';

const root = path.join(SANDBOX_TEST_ROOT, `lockfiles-${process.pid}`);
const cacheDir = path.join(root, 'deps');
const appsDir = path.join(root, 'apps');
const sandbox = createBwrapSandbox({ limits: TEST_LIMITS });
const USES_IS_NUMBER = 'node -e "if (!require(\'is-number\')(5)) process.exit(1)"';

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function validate(spec: Parameters<typeof writeApp>[1]) {
  const dir = await writeApp(appsDir, spec);
  const report = await validateApp({ dir, cacheDir, sandbox, timeoutMs: 120_000 });
  return { dir, report };
}

describe('package.json without a lockfile', () => {
  it('gets a lockfile resolved from the registry, installs, runs, and hands the lockfile back', async () => {
    const { dir, report } = await validate({
      dependencies: { 'is-number': '^7.0.0' },
      scripts: { test: USES_IS_NUMBER },
      lockfile: null,
    });
    expect({ ok: report.ok, install: report.install?.output }).toMatchObject({ ok: true });
    expect(report.lockfile).toEqual({
      resolved: true,
      reason: 'package.json has no package-lock.json beside it',
    });
    expect(report.install?.output).toMatch(/Resolved package-lock\.json from the registry/);
    const lock = JSON.parse(report.files?.['package-lock.json'] ?? '{}');
    expect(lock.packages['node_modules/is-number']).toMatchObject({
      version: expect.stringMatching(/^7\./),
      resolved: expect.stringMatching(/^https:\/\/registry\.npmjs\.org\/is-number\/-\/is-number-7\./),
      integrity: expect.stringMatching(/^sha512-/),
    });
    expect(await readFile(path.join(dir, 'package-lock.json'), 'utf8')).toBe(
      report.files?.['package-lock.json'],
    );
  }, 120_000);

  it('replaces a lockfile a model made up (hashes the registry does not have)', async () => {
    const invented = {
      name: 'attack-app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'attack-app', version: '1.0.0', dependencies: { 'is-number': '^7.0.0' } },
        'node_modules/is-number': {
          version: '7.0.0',
          resolved: 'https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz',
          integrity: `sha512-${'A'.repeat(86)}==`,
        },
      },
    };
    const { report } = await validate({
      dependencies: { 'is-number': '^7.0.0' },
      scripts: { test: USES_IS_NUMBER },
      lockfile: JSON.stringify(invented),
    });
    expect({ ok: report.ok, install: report.install?.output }).toMatchObject({ ok: true });
    expect(report.lockfile?.reason).toBe('package-lock.json did not install');
    expect(report.files?.['package-lock.json']).not.toContain('A'.repeat(86));
  }, 120_000);

  it('names a package that does not exist, so the owner of package.json can fix it', async () => {
    const { report } = await validate({
      dependencies: { 'autonoma-no-such-package-7f3c1a': '^1.0.0' },
      lockfile: null,
    });
    expect(report.ok).toBe(false);
    expect(report.install?.ok).toBe(false);
    expect(report.install?.output).toContain(
      'package.json: "autonoma-no-such-package-7f3c1a@^1.0.0" does not exist on the npm registry',
    );
    expect(report.lint).toBeUndefined();
  }, 120_000);

  it('names a version range nothing matches', async () => {
    const { report } = await validate({ dependencies: { 'is-number': '^99.0.0' }, lockfile: null });
    expect(report.install?.ok).toBe(false);
    expect(report.install?.output).toMatch(/no published version matches is-number@\^99\.0\.0/);
  }, 120_000);

  it('finds deprecated direct dependencies from the registry metadata of the resolved versions', async () => {
    // This machine's registry mirror carries no deprecation notices: a stand-in serves the metadata.
    const registry = createServer((req, res) => {
      const versions =
        req.url === '/request'
          ? {
              '2.88.2': {
                deprecated: 'request has been deprecated, see https://github.com/request/request/issues/3142',
              },
            }
          : { '7.0.0': {} };
      res.setHeader('content-type', 'application/vnd.npm.install-v1+json');
      res.end(JSON.stringify({ name: req.url?.slice(1), versions }));
    });
    await new Promise<void>((done) => registry.listen(0, '127.0.0.1', done));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'autonoma-deprecated-'));
    const manifest = {
      name: 'x',
      version: '1.0.0',
      dependencies: { request: '^2.88.0', 'is-number': '^7.0.0' },
    };
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': manifest,
        'node_modules/request': { version: '2.88.2' },
        'node_modules/is-number': { version: '7.0.0' },
        'node_modules/har-validator': { version: '5.1.5' },
      },
    };
    await writeFile(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
    const port = (registry.address() as AddressInfo).port;
    // Not execFileSync: the stand-in answers from this process's event loop.
    const { stdout: output } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', DEPRECATION_CHECK],
      {
        cwd: dir,
        env: { PATH: process.env.PATH, REGISTRY: `http://127.0.0.1:${port}/` },
        encoding: 'utf8',
      },
    );
    registry.close();
    await rm(dir, { recursive: true, force: true });
    expect(deprecatedDirectDependencies(JSON.stringify(manifest), output)).toEqual([
      'request@2.88.2: request has been deprecated, see https://github.com/request/request/issues/3142',
    ]);
  });

  it('refuses a git dependency before asking the registry anything', async () => {
    const { report } = await validate({
      dependencies: { 'is-number': 'github:jonschlinkert/is-number' },
      lockfile: null,
    });
    expect(report.install?.output).toMatch(/Dependencies refused before install[\s\S]*"is-number".*git/);
    expect(report.install?.durationMs).toBeLessThan(1000);
  }, 60_000);
});
