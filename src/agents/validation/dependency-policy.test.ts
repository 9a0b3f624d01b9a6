import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  checkDependencySources,
  type DependencyPolicyResult,
  MAX_PROBLEMS,
  packageJsonInSync,
} from './dependency-policy.js';

const TEMPLATE = new URL('../offline/app/template/', import.meta.url);
const templatePackageJson = readFileSync(new URL('package.json', TEMPLATE), 'utf8');
const templateLockfile = readFileSync(new URL('package-lock.json', TEMPLATE), 'utf8');
const REGISTRIES = ['https://registry.npmjs.org/'];
const SHA512 = `sha512-${'A'.repeat(86)}==`;

function manifest(fields: Record<string, unknown>): string {
  return JSON.stringify({ name: 'app', version: '1.0.0', ...fields });
}

function lockWith(packages: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'app',
    lockfileVersion: 3,
    requires: true,
    packages: { '': { name: 'app' }, ...packages },
    ...extra,
  });
}

function problems(result: DependencyPolicyResult): string[] {
  return result.ok ? [] : result.problems;
}

function checkManifest(fields: Record<string, unknown>): string[] {
  return problems(checkDependencySources({ packageJson: manifest(fields), registries: REGISTRIES }));
}

function checkLock(packages: Record<string, unknown>, extra?: Record<string, unknown>): string[] {
  return problems(
    checkDependencySources({
      packageJson: manifest({}),
      lockfile: lockWith(packages, extra),
      registries: REGISTRIES,
    }),
  );
}

describe('checkDependencySources: the app template', () => {
  it('accepts the template package.json and its real lockfile', () => {
    expect(
      checkDependencySources({
        packageJson: templatePackageJson,
        lockfile: templateLockfile,
        registries: REGISTRIES,
      }),
    ).toEqual({ ok: true });
  });

  it('accepts the template with the registry given without a trailing slash', () => {
    const result = checkDependencySources({
      packageJson: templatePackageJson,
      lockfile: templateLockfile,
      registries: ['https://registry.npmjs.org'],
    });
    expect(result).toEqual({ ok: true });
  });

  it('accepts registry tarballs under a registry path prefix', () => {
    const resolved = 'https://npm.example.com/repository/npm/left-pad/-/left-pad-1.3.0.tgz';
    const result = checkDependencySources({
      packageJson: manifest({}),
      lockfile: lockWith({ 'node_modules/left-pad': { version: '1.3.0', resolved, integrity: SHA512 } }),
      registries: ['https://npm.example.com/repository/npm'],
    });
    expect(result).toEqual({ ok: true });
  });
});

describe('checkDependencySources: package.json specs', () => {
  it.each([
    ['^1.3.0'],
    ['1.3.0'],
    ['~1.3'],
    ['>=1.2.3 <2.0.0'],
    ['>= 1.2.3 < 2'],
    ['1.2.3 - 2.3.4'],
    ['1.x || ^2.0.0-beta.1'],
    ['*'],
    [''],
    ['latest'],
    ['next'],
    ['npm:left-pad@^1.3.0'],
    ['npm:@scope/pkg@1.0.0'],
    ['npm:left-pad'],
  ])('allows %p', (spec) => {
    expect(checkManifest({ dependencies: { 'left-pad': spec } })).toEqual([]);
  });

  it.each([
    ['git+https://github.com/left-pad/left-pad.git', 'a git source'],
    ['git+ssh://git@github.com/left-pad/left-pad.git#v1.3.0', 'a git source'],
    ['git://github.com/left-pad/left-pad.git', 'a git source'],
    ['github:left-pad/left-pad', 'a git source'],
    ['gitlab:left-pad/left-pad', 'a git source'],
    ['bitbucket:left-pad/left-pad', 'a git source'],
    ['gist:11081aaa281', 'a git source'],
    ['left-pad/left-pad', 'a git source'],
    ['left-pad/left-pad#semver:^1.3.0', 'a git source'],
    ['git@github.com:left-pad/left-pad.git', 'a git source'],
    ['file:../left-pad', 'a local path'],
    ['link:../left-pad', 'a local path'],
    ['portal:../left-pad', 'a local path'],
    ['../left-pad', 'a local path'],
    ['~/left-pad', 'a local path'],
    ['/tmp/left-pad', 'a local path'],
    ['left-pad-1.3.0.tgz', 'a local path'],
    ['https://example.com/left-pad-1.3.0.tgz', 'a tarball URL'],
    ['http://example.com/left-pad.tgz', 'a tarball URL'],
    ['workspace:*', 'a workspace reference'],
    ['ssh://example.com/left-pad', 'an unsupported protocol'],
    ['npm:left-pad@git+https://github.com/x/left-pad.git', 'a git source'],
    ['npm:left-pad@file:../x', 'a local path'],
    ['npm:other@npm:left-pad@1.0.0', 'not a version range or dist-tag'],
    ['not a range!', 'not a version range or dist-tag'],
  ])('refuses %p as %s', (spec, kind) => {
    const found = checkManifest({ dependencies: { 'left-pad': spec } });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`"left-pad": ${JSON.stringify(spec)} is ${kind}`);
    expect(found[0]).toMatch(/instead/);
  });

  it('suggests the version a git tag or tarball names', () => {
    const [problem] = checkManifest({
      dependencies: { 'left-pad': 'git+https://github.com/x/left-pad.git#v1.3.0' },
    });
    expect(problem).toBe(
      'package.json dependencies: "left-pad": "git+https://github.com/x/left-pad.git#v1.3.0" is a git source; ' +
        'depend on a version from the npm registry instead (e.g. "^1.3.0")',
    );
  });

  it.each(['devDependencies', 'optionalDependencies', 'peerDependencies', 'resolutions'])(
    'checks %s',
    (field) => {
      const found = checkManifest({ [field]: { 'left-pad': 'github:x/left-pad' } });
      expect(found).toEqual([expect.stringContaining(`package.json ${field}: "left-pad"`)]);
    },
  );

  it('checks overrides, nested ones included, and allows $references', () => {
    const found = checkManifest({
      dependencies: { react: '^19.0.0' },
      overrides: {
        react: '$react',
        'left-pad': 'file:../left-pad',
        express: {
          '.': 'https://example.com/express.tgz',
          'body-parser': { qs: 'github:evil/qs' },
          debug: '4.3.0',
        },
      },
    });
    expect(found).toHaveLength(3);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('package.json overrides: "left-pad": "file:../left-pad" is a local path'),
        expect.stringContaining(
          'package.json overrides › "express": "express": "https://example.com/express.tgz"',
        ),
        expect.stringContaining(
          'overrides › "express" › "body-parser": "qs": "github:evil/qs" is a git source',
        ),
      ]),
    );
  });

  it('refuses non-string specs and non-object dependency maps', () => {
    expect(checkManifest({ dependencies: { 'left-pad': { version: '1.0.0' } } })).toEqual([
      'package.json dependencies: "left-pad" must be a version range string, not object',
    ]);
    expect(checkManifest({ dependencies: ['left-pad'] })).toEqual([
      'package.json "dependencies" must be an object mapping package names to version ranges',
    ]);
  });

  it('refuses overrides nested past any real tree', () => {
    let overrides: Record<string, unknown> = { x: 'github:a/b' };
    for (let i = 0; i < 40; i += 1) overrides = { [`p${i}`]: overrides };
    expect(checkManifest({ overrides })).toEqual([expect.stringContaining('nested too deeply')]);
  });

  it('shortens long specs in messages', () => {
    const [problem] = checkManifest({ dependencies: { x: `https://example.com/${'a'.repeat(5000)}.tgz` } });
    expect(problem!.length).toBeLessThan(300);
  });
});

describe('checkDependencySources: lockfile entries', () => {
  const good = { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' };

  it('accepts a registry tarball with a sha512 hash (also alongside a sha1 one)', () => {
    expect(checkLock({ 'node_modules/left-pad': { ...good, integrity: SHA512 } })).toEqual([]);
    expect(
      checkLock({ 'node_modules/left-pad': { ...good, integrity: `${SHA512} sha1-${'A'.repeat(27)}=` } }),
    ).toEqual([]);
  });

  it("refuses an entry that fetches another package's tarball from the registry", () => {
    const swapped = {
      version: '1.3.0',
      resolved: 'https://registry.npmjs.org/evil/-/evil-6.6.6.tgz',
      integrity: SHA512,
    };
    expect(checkLock({ 'node_modules/left-pad': swapped })).toEqual([
      expect.stringContaining('which is not the tarball of left-pad@1.3.0'),
    ]);
    const scoped = {
      version: '7.0.0',
      resolved: 'https://registry.npmjs.org/@babel/core/-/core-7.0.0.tgz',
      integrity: SHA512,
    };
    expect(checkLock({ 'node_modules/x/node_modules/@babel/core': scoped })).toEqual([]);
    // An alias installs another package under its own folder name.
    const alias = { ...good, name: 'left-pad', integrity: SHA512 };
    expect(checkLock({ 'node_modules/pad': alias })).toEqual([]);
  });

  it('refuses link entries', () => {
    const found = checkLock({ 'node_modules/left-pad': { resolved: '../left-pad', link: true } });
    expect(found).toEqual([
      expect.stringContaining('packages["node_modules/left-pad"] is a link to "../left-pad"'),
    ]);
  });

  it.each([
    ['https://evil.example/left-pad-1.3.0.tgz', 'a tarball URL'],
    ['http://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', 'a tarball URL'],
    ['https://registry.npmjs.org.evil.example/left-pad/-/left-pad-1.3.0.tgz', 'a tarball URL'],
    ['https://user:pw@registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', 'a tarball URL'],
    [
      'git+ssh://git@github.com/left-pad/left-pad.git#0123456789abcdef0123456789abcdef01234567',
      'a git source',
    ],
    ['file:../left-pad-1.3.0.tgz', 'a local path'],
  ])('refuses resolved %p', (resolved, kind) => {
    const found = checkLock({ 'node_modules/left-pad': { version: '1.3.0', resolved, integrity: SHA512 } });
    expect(found).toEqual([
      expect.stringContaining(
        `resolves to ${JSON.stringify(resolved)}, ${kind} outside the allowed registries`,
      ),
    ]);
  });

  it.each([
    ['git+https://github.com/left-pad/left-pad.git#abc', 'a git source'],
    ['file:../left-pad', 'a local path'],
    ['https://example.com/left-pad.tgz', 'a tarball URL'],
    ['latest', 'not a registry version'],
  ])('refuses version %p', (version, kind) => {
    const found = checkLock({ 'node_modules/left-pad': { version, integrity: SHA512 } });
    expect(found).toEqual([expect.stringContaining(`has version ${JSON.stringify(version)}, ${kind}`)]);
  });

  it.each([
    [undefined, 'has no integrity hash'],
    [`sha1-${'A'.repeat(27)}=`, 'has integrity "sha1-'],
    ['sha256-abc', 'has integrity "sha256-abc"'],
    ['sha512-short', 'has integrity "sha512-short"'],
  ])('refuses integrity %p for a resolved tarball', (integrity, message) => {
    const found = checkLock({ 'node_modules/left-pad': { ...good, integrity } });
    expect(found).toEqual([expect.stringContaining(message)]);
    expect(found[0]).toContain('sha512');
  });

  it('refuses paths outside node_modules (workspaces, traversal)', () => {
    for (const key of ['packages/a', 'node_modules/../../etc', 'node_modules/a/../b']) {
      expect(checkLock({ [key]: { version: '1.0.0' } })).toEqual([
        expect.stringContaining('is not a node_modules path'),
      ]);
    }
  });

  it('refuses malformed entries', () => {
    expect(checkLock({ 'node_modules/a': { version: 1 } })).toEqual([
      expect.stringContaining('is malformed'),
    ]);
    expect(checkLock({ 'node_modules/a': 'x' })).toEqual([expect.stringContaining('is malformed')]);
  });

  it('checks the root entry specs of the lockfile too', () => {
    const found = checkLock({ '': { name: 'app', dependencies: { 'left-pad': 'github:x/left-pad' } } });
    expect(found).toEqual([
      expect.stringContaining('package-lock.json packages[""] dependencies: "left-pad"'),
    ]);
  });

  it('checks the legacy dependencies tree, nested entries included', () => {
    const found = checkLock(
      { 'node_modules/left-pad': { ...good, integrity: SHA512 } },
      {
        lockfileVersion: 2,
        dependencies: {
          a: { version: '1.0.0', resolved: good.resolved, integrity: SHA512 },
          b: { version: 'npm:left-pad@1.3.0', integrity: SHA512 },
          c: {
            version: '1.0.0',
            integrity: SHA512,
            dependencies: {
              d: { version: 'github:evil/d#abc' },
              e: { version: '1.0.0', resolved: 'file:e.tgz' },
            },
          },
        },
      },
    );
    expect(found).toEqual([
      expect.stringContaining('dependencies["c" › "d"] has version "github:evil/d#abc", a git source'),
      expect.stringContaining('dependencies["c" › "e"] resolves to "file:e.tgz", a local path'),
      expect.stringContaining('dependencies["c" › "e"] has no integrity hash'),
    ]);
  });

  it('refuses lockfile versions other than 2 and 3, and a missing packages map', () => {
    expect(checkLock({}, { lockfileVersion: 1 })).toEqual([expect.stringContaining('lockfileVersion "1"')]);
    expect(checkLock({}, { packages: undefined })).toEqual([expect.stringContaining('no "packages" object')]);
  });

  it('caps the number of problems', () => {
    const packages = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [
        `node_modules/p${i}`,
        { version: '1.0.0', resolved: `https://x.example/${i}` },
      ]),
    );
    const found = checkLock(packages);
    expect(found).toHaveLength(MAX_PROBLEMS + 1);
    expect(found.at(-1)).toMatch(/^…and \d+ more problems/);
  });
});

describe('checkDependencySources: unreadable input', () => {
  it('names the file that is not valid JSON', () => {
    expect(problems(checkDependencySources({ packageJson: '{', registries: REGISTRIES }))).toEqual([
      expect.stringMatching(/^package\.json is not valid JSON/),
    ]);
    expect(
      problems(
        checkDependencySources({ packageJson: manifest({}), lockfile: '{"a":', registries: REGISTRIES }),
      ),
    ).toEqual([expect.stringMatching(/^package-lock\.json is not valid JSON/)]);
    expect(problems(checkDependencySources({ packageJson: '[]', registries: REGISTRIES }))).toEqual([
      'package.json must contain a JSON object',
    ]);
  });

  it('refuses oversized files without parsing them', () => {
    const bigManifest = `{"description":"${'a'.repeat(300 * 1024)}"}`;
    expect(problems(checkDependencySources({ packageJson: bigManifest, registries: REGISTRIES }))).toEqual([
      expect.stringMatching(/^package\.json is \d+ bytes, more than the 262144 allowed/),
    ]);
    const bigLock = ' '.repeat(21 * 1024 * 1024); // not JSON at all: size is checked first
    expect(
      problems(
        checkDependencySources({ packageJson: manifest({}), lockfile: bigLock, registries: REGISTRIES }),
      ),
    ).toEqual([expect.stringMatching(/^package-lock\.json is \d+ bytes, more than the 20971520 allowed/)]);
  });

  it('throws on a registry that is not an https URL (a configuration error)', () => {
    expect(() =>
      checkDependencySources({ packageJson: '{}', registries: ['http://registry.npmjs.org/'] }),
    ).toThrow(/must be an https URL/);
  });
});

describe('packageJsonInSync', () => {
  it('finds the template in sync', () => {
    expect(packageJsonInSync(templatePackageJson, templateLockfile)).toEqual([]);
  });

  it('names added, removed and changed packages', () => {
    const template = JSON.parse(templatePackageJson) as Record<string, Record<string, string>>;
    const changed = {
      ...template,
      dependencies: { ...template.dependencies, zod: '^4.0.0', 'left-pad': '^1.3.0' },
      devDependencies: { ...template.devDependencies, vitest: undefined },
    };
    const found = packageJsonInSync(JSON.stringify(changed), templateLockfile);
    expect(found).toEqual([
      expect.stringContaining(
        'dependencies "zod" is "^4.0.0" in package.json but "4.6.7" in package-lock.json',
      ),
      expect.stringContaining('dependencies "left-pad" is missing from package-lock.json'),
      expect.stringContaining('devDependencies "vitest" is not in package.json'),
    ]);
    expect(found[0]).toMatch(
      /^package\.json and package-lock\.json are out of sync.*npm install --package-lock-only/,
    );
  });

  it('names the first few differences only', () => {
    const dependencies = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, '1.0.0']));
    const found = packageJsonInSync(manifest({ dependencies }), lockWith({}));
    expect(found).toHaveLength(6);
    expect(found.at(-1)).toContain('…and 4 more packages differ');
  });

  it('reports unreadable files and a lockfile without a root entry', () => {
    expect(packageJsonInSync('nope', templateLockfile)).toEqual([
      expect.stringMatching(/^package\.json is not valid/),
    ]);
    expect(packageJsonInSync(templatePackageJson, '{"lockfileVersion":1,"dependencies":{}}')).toEqual([
      'package-lock.json has no root entry packages[""]; regenerate it with npm 9 or later',
    ]);
  });
});
