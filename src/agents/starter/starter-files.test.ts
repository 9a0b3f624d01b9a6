import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SpecSchema, type Spec } from '../../core/domain/spec.js';
import { renderApp } from '../offline/app/index.js';
import * as sampleSpecs from '../offline/app/sample-specs.js';
import { lockfileKey } from '../validation/dependency-cache.js';
import { packageJsonInSync } from '../validation/dependency-policy.js';
import { loadStarterFiles } from './starter-files.js';

/** Every sample spec, so a new one is covered the day it is added. */
const specs = Object.entries(sampleSpecs as Record<string, unknown>).filter(
  (entry): entry is [string, Spec] => SpecSchema.safeParse(entry[1]).success,
);
/** Files whose text the offline generator renders the same for every spec: the starter copies them. */
const SHARED_WITH_OFFLINE = [
  '.gitignore',
  '.npmrc',
  'biome.json',
  'scripts/check-bundle-size.mjs',
  'src/client/main.tsx',
  'tests/setup.ts',
  'tsconfig.json',
  'vite.config.ts',
  'vitest.config.ts',
];

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function starterDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autonoma-starter-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

describe('the starter app', () => {
  it.each(specs)(
    'is overwritten file by file when the offline generator builds %s on it',
    async (_name, spec) => {
      const starter = await loadStarterFiles(spec.slug);
      const offline = renderApp(spec);
      expect([...starter.keys()].filter((file) => !offline.has(file))).toEqual([]);
    },
  );

  it('has the skeleton: server, client, an API and a UI test, on the scripts of the template', async () => {
    const starter = await loadStarterFiles('my-app');
    for (const file of [
      'src/server/app.ts',
      'src/server/main.ts',
      'src/client/main.tsx',
      'src/client/app.tsx',
      'tests/api/health.test.ts',
      'tests/ui/app.test.tsx',
      'README.md',
      '.env.example',
      'index.html',
    ])
      expect(starter.has(file)).toBe(true);
    expect(starter.get('src/server/app.ts')).toContain("app.get('/api/health'");
  });

  it('is locked with the offline template: package.json and lockfile named after the app, in sync', async () => {
    const starter = await loadStarterFiles('my-app');
    const [, spec] = specs[0]!;
    const offline = renderApp(spec);
    const manifest = JSON.parse(starter.get('package.json') ?? '{}');
    const offlineManifest = JSON.parse(offline.get('package.json') ?? '{}');
    expect(manifest.name).toBe('my-app');
    expect(manifest.scripts).toEqual(offlineManifest.scripts);
    expect(manifest.dependencies).toEqual(offlineManifest.dependencies);
    expect(manifest.devDependencies).toEqual(offlineManifest.devDependencies);
    const lock = starter.get('package-lock.json') ?? '';
    expect(JSON.parse(lock).packages[''].name).toBe('my-app');
    expect(lockfileKey(lock)).toBe(lockfileKey(offline.get('package-lock.json') ?? ''));
    expect(packageJsonInSync(starter.get('package.json') ?? '', lock)).toEqual([]);
  });

  it.each(SHARED_WITH_OFFLINE)('has the offline stack’s own %s', async (file) => {
    const starter = await loadStarterFiles('my-app');
    for (const [, spec] of specs) expect(starter.get(file)).toBe(renderApp(spec).get(file));
  });

  it('is deterministic and sorted by path', async () => {
    const a = await loadStarterFiles('my-app');
    const b = await loadStarterFiles('my-app');
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()]).toEqual([...a.keys()].sort());
  });
});

describe('loadStarterFiles', () => {
  it('refuses a slug that is not a package name', async () => {
    await expect(loadStarterFiles('My App')).rejects.toThrow(/kebab-case app slug/);
  });

  it('refuses a package.json of its own: the template is the one dependency set', async () => {
    const dir = await starterDir({ 'README.md': '# x\n', 'package.json': '{}' });
    await expect(loadStarterFiles('my-app', dir)).rejects.toThrow(/must not hold package\.json/);
  });

  it('is bounded', async () => {
    const files = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`f${i}.txt`, 'x']));
    await expect(loadStarterFiles('my-app', await starterDir(files))).rejects.toThrow(/is over 64 files/);
  });

  it('says where the files should be when they are missing', async () => {
    const dir = path.join(await starterDir({}), 'missing');
    await expect(loadStarterFiles('my-app', dir)).rejects.toThrow(
      /starter app is missing from .*: copy src\/agents\/starter\/files there/,
    );
  });
});
