import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { cliEnv, ensureTestDatabase, REPO_ROOT } from '../helpers/test-env.js';

/**
 * The README's first command, for real: a prompt in, a validated app in a git repository with a pull
 * request branch out; then the app's own checks run by hand in a clone of that branch.
 */
let work: string;
beforeAll(async () => {
  await ensureTestDatabase();
  work = await tempDir('autonoma-e2e-');
  // Root runs each sandboxed step as an unprivileged uid, which must be able to enter the data dir.
  await chmod(work, 0o755);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true, maxRetries: 5 });
});

const run = (cwd: string, command: string, args: string[]) => {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, CI: 'true' },
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

it('`autonoma build --json` delivers a repository whose PR branch passes its own install, typecheck, tests and build', async () => {
  const out = path.join(work, 'repos');
  const result = spawnSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'bin/autonoma.js'),
      'build',
      'a recipe app where users rate dishes',
      '--json',
      '--out',
      out,
    ],
    {
      cwd: work,
      encoding: 'utf8',
      timeout: 600_000,
      // The worker's default: the built app is started and photographed in headless Chromium.
      env: cliEnv(path.join(work, 'data'), { AUTONOMA_LOOK: 'auto' }),
    },
  );
  expect(result.stderr).not.toMatch(/"level":50/);
  expect(result.stderr).not.toContain('without a sandbox'); // validated in bubblewrap
  expect(result.status).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const summary = JSON.parse(lines[0]!) as {
    status: string;
    requestId: string;
    entities: string[];
    repository: { forge: string; location: string };
    branch: string;
    pullRequest: { number: number; title: string };
    validation: Record<string, { ok: boolean } | boolean | number>;
    timingsMs: Record<string, number>;
  };
  expect(summary.status).toBe('succeeded');
  expect(summary.entities).toEqual(expect.arrayContaining(['Recipe', 'Rating']));
  expect(summary.repository.forge).toBe('local');
  expect(summary.repository.location.startsWith(out)).toBe(true);
  expect(summary.branch).toMatch(/^autonoma\//);
  expect(summary.pullRequest.number).toBe(1);
  for (const step of ['syntax', 'install', 'lint', 'typecheck', 'test', 'build']) {
    expect(summary.validation[step]).toMatchObject({ ok: true });
  }
  // Seen in Chromium: no console errors, a record created through the UI, real screenshots.
  expect(summary.validation.look).toMatchObject({
    ok: true,
    problems: [],
    consoleErrors: [],
    smoke: { ok: true },
  });
  const look = summary.validation.look as unknown as { screenshots: { file: string; blank: boolean }[] };
  expect(look.screenshots.map((s) => s.file)).toEqual(
    expect.arrayContaining(['home-desktop.png', 'home-phone.png', 'created-desktop.png']),
  );
  expect(look.screenshots.some((s) => s.blank)).toBe(false);
  // …committed on the PR branch, exported beside the bare repository and shown in PULL_REQUEST.md.
  const listed = (summary as unknown as { screenshots: { file: string; url: string }[] }).screenshots;
  expect(listed.map((s) => s.file)).toContain('home-desktop.png');
  const markdown = await readFile(`${summary.repository.location}.PULL_REQUEST.md`, 'utf8');
  const home = listed.find((s) => s.file === 'home-desktop.png')!;
  expect(markdown).toContain(
    `<img src="${path.relative(path.dirname(summary.repository.location), home.url)}"`,
  );
  const exported = await readFile(home.url);
  expect(exported.subarray(1, 4).toString()).toBe('PNG');
  expect(Object.keys(summary.timingsMs)).toEqual(
    expect.arrayContaining(['requirements', 'backend', 'frontend', 'review']),
  );
  expect(await readFile(`${summary.repository.location}.PULL_REQUEST.md`, 'utf8')).toContain(
    'a recipe app where users rate dishes',
  );

  const clone = path.join(work, 'clone');
  execFileSync('git', ['clone', '-q', '-b', summary.branch, summary.repository.location, clone]);
  expect(existsSync(path.join(clone, 'package-lock.json'))).toBe(true);
  run(clone, 'npm', ['ci', '--no-audit', '--no-fund']);
  run(clone, 'npm', ['run', 'typecheck']);
  const tests = run(clone, 'npm', ['test']);
  // eslint-disable-next-line no-control-regex
  expect(tests.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
  run(clone, 'npm', ['run', 'build']);
  expect(existsSync(path.join(clone, 'dist'))).toBe(true);
}, 900_000);
