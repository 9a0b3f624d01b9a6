/**
 * Screenshots reach the pull request: committed under .autonoma/screenshots/ on the branch, shown in
 * the PR body through the forge's image URLs, exported beside the local forge's bare repository, and
 * listed in the job result. The browser itself is exercised in look-at-app.test.ts; here validation
 * hands over real PNG bytes as it would.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { PNG } from 'pngjs';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import type { AppValidator } from '../../src/agents/pipeline/validation-gate.js';
import type { AppScreenshot } from '../../src/core/domain/request.js';
import { silentReporter } from '../../src/core/ports/progress-reporter.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationRunner } from '../../src/jobs/generation-runner.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { passingValidator, tempDir } from '../helpers/pipeline-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { ensureTestDatabase, memoryLogger, TEST_DATABASE_URL } from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
let root: string;
beforeAll(async () => {
  await ensureTestDatabase();
  root = await tempDir('autonoma-shots-');
});
afterAll(async () => {
  await prisma.$disconnect();
  await rm(root, { recursive: true, force: true });
});

/** A small two-colour PNG, different per seed. */
function png(seed: number): Uint8Array {
  const image = new PNG({ width: 8, height: 4 });
  for (let i = 0; i < image.data.length; i += 4) {
    image.data[i] = (i * seed) % 256;
    image.data[i + 1] = seed;
    image.data[i + 2] = 255 - seed;
    image.data[i + 3] = 255;
  }
  return PNG.sync.write(image);
}

const shot = (name: string, viewport: 'desktop' | 'phone', seed: number): AppScreenshot => ({
  file: `${name}-${viewport}.png`,
  name,
  viewport,
  png: png(seed),
});

it('commits the screenshots on the PR branch, shows them in the PR body and lists them in the result', async () => {
  const shots = [shot('home', 'desktop', 1), shot('home', 'phone', 2), shot('tasks', 'desktop', 3)];
  const validator: AppValidator = async (options) => {
    const report = await passingValidator(options);
    return {
      ...report,
      screenshots: shots,
      look: {
        ok: true,
        durationMs: 5,
        problems: [],
        sections: ['Tasks'],
        screenshots: [],
        consoleErrors: [],
      },
    };
  };
  const runner = createGenerationRunner({
    generator: offlineTeam(validator, 0),
    forge: createLocalGitForge({ rootDir: path.join(root, 'forge') }),
    store,
    workspaceRoot: path.join(root, 'workspaces'),
    license: 'MIT',
    privateRepos: true,
    logger: memoryLogger('silent').logger,
  });
  const request = (await store.createRequest(requestInput({ prompt: 'a todo app with tags' }))).request;
  const result = await runner.run(request, {
    signal: new AbortController().signal,
    progress: silentReporter,
    attempt: 1,
  });

  const repoDir = result.repository!.location;
  const branchDir = result.branch!.replace(/[^A-Za-z0-9._-]+/g, '-');
  const committed = execFileSync('git', [
    '-C',
    repoDir,
    'show',
    `${result.branch}:.autonoma/screenshots/home-desktop.png`,
  ]);
  expect(Buffer.compare(committed, Buffer.from(shots[0]!.png))).toBe(0);
  const exported = await readFile(`${repoDir}.screenshots/${branchDir}/tasks-desktop.png`);
  expect(Buffer.compare(exported, Buffer.from(shots[2]!.png))).toBe(0);

  const markdown = await readFile(`${repoDir}.PULL_REQUEST.md`, 'utf8');
  const name = path.basename(repoDir);
  expect(markdown).toContain('## Screenshots');
  expect(markdown).toContain(
    `| Home | <img src="${name}.screenshots/${branchDir}/home-desktop.png" alt="Home, desktop" width="480"> | <img src="${name}.screenshots/${branchDir}/home-phone.png" alt="Home, phone" width="180"> |`,
  );
  expect(markdown).toContain(`| Tasks | <img src="${name}.screenshots/${branchDir}/tasks-desktop.png"`);
  expect(result.screenshots?.map((s) => s.file)).toEqual([
    'home-desktop.png',
    'home-phone.png',
    'tasks-desktop.png',
  ]);
  // Bytes never go into the stored result: only names and where they are shown from.
  expect(JSON.stringify(result)).not.toContain('base64');
}, 120_000);
