/**
 * The job page's signed link reaches the user without any chat adapter knowing about it: on the
 * first milestone of the thread, on the pull request milestone, and in the pull request body's footer.
 */
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import type { Link, Stage } from '../../src/core/domain/progress.js';
import { createJobLinks } from '../../src/core/job-links.js';
import type { ProgressReporter } from '../../src/core/ports/progress-reporter.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationRunner } from '../../src/jobs/generation-runner.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { ensureTestDatabase, memoryLogger, TEST_DATABASE_URL } from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
let root: string;
beforeAll(async () => {
  await ensureTestDatabase();
  root = await tempDir('autonoma-job-link-');
});
afterAll(async () => {
  await prisma.$disconnect();
  await rm(root, { recursive: true, force: true });
});

it('links the job page on the first milestone, the pull request milestone and the PR footer', async () => {
  const links = createJobLinks({
    secret: 'j'.repeat(40),
    publicUrl: 'https://autonoma.example.com/',
    ttlMs: 24 * 3600 * 1000,
  });
  const runner = createGenerationRunner({
    generator: offlineTeam(),
    forge: createLocalGitForge({ rootDir: path.join(root, 'forge') }),
    store,
    workspaceRoot: path.join(root, 'workspaces'),
    license: 'MIT',
    privateRepos: true,
    logger: memoryLogger('silent').logger,
    jobPageUrl: (id) => links.url(id),
  });
  const milestones: Array<{ stage: Stage; message: string; links: Link[] }> = [];
  const progress: ProgressReporter = {
    stage: async () => undefined,
    milestone: async (stage, message, given = []) => {
      milestones.push({ stage, message, links: given });
    },
    addCost: () => undefined,
  };
  const { request } = await store.createRequest(requestInput({ prompt: 'a reading list with authors' }));
  const result = await runner.run(request, { signal: new AbortController().signal, progress, attempt: 1 });

  const url = new URL(links.url(request.id));
  const isJobPage = (link: Link) => {
    if (link.label !== 'Job page') return false;
    const given = new URL(link.url);
    return (
      given.pathname === `/jobs/${request.id}` &&
      links.verify(request.id, given.searchParams.get('t') ?? '') === 'ok'
    );
  };
  expect(milestones.length).toBeGreaterThan(1);
  expect(milestones[0]?.links.filter(isJobPage)).toHaveLength(1);
  // Said once early, then again with the pull request, not on every milestone in between.
  expect(milestones.slice(1, -1).every((m) => !m.links.some(isJobPage))).toBe(true);
  const publish = milestones.at(-1);
  expect(publish?.stage).toBe('publish');
  expect(publish?.links.filter(isJobPage)).toHaveLength(1);

  const record = await store.findPullRequest('local', result.repository!.name, result.branch!);
  const footer = record!.body.slice(record!.body.lastIndexOf('\n---\n'));
  expect(footer).toContain(`[Job page](${url.origin}${url.pathname}?t=`);
}, 120_000);
