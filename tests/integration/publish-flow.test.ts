import { execFileSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalGitForge } from '../../src/adapters/local-git/index.js';
import type { GenerationRequest } from '../../src/core/domain/request.js';
import type { Forge } from '../../src/core/ports/forge.js';
import { silentReporter } from '../../src/core/ports/progress-reporter.js';
import { createSecretRedactor } from '../../src/core/secrets/secret-redactor.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationRunner } from '../../src/jobs/generation-runner.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { ensureTestDatabase, memoryLogger, TEST_DATABASE_URL } from '../helpers/test-env.js';

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const { logger } = memoryLogger('silent');
let root: string;

beforeAll(async () => {
  await ensureTestDatabase();
  root = await tempDir('autonoma-publish-');
});
afterAll(async () => {
  await prisma.$disconnect();
  await rm(root, { recursive: true, force: true });
});

const generator = offlineTeam();

function runnerWith(forge: Forge, redact?: (text: string) => string) {
  return createGenerationRunner({
    generator,
    forge,
    store,
    workspaceRoot: path.join(root, 'workspaces'),
    license: 'MIT',
    privateRepos: true,
    logger,
    redact,
    now: () => new Date('2026-01-01T00:00:00Z'),
  });
}

const context = () => ({ signal: new AbortController().signal, progress: silentReporter, attempt: 1 });
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
/** Pull requests the local forge recorded for a repository (its `<repo>.pulls.json`). */
const countPulls = async (repoDir: string) =>
  (JSON.parse(await readFile(`${repoDir}.pulls.json`, 'utf8')) as { pulls: unknown[] }).pulls.length;

async function storedRequest(overrides: Parameters<typeof requestInput>[0] = {}): Promise<GenerationRequest> {
  return (await store.createRequest(requestInput(overrides))).request;
}

describe('publishing through the local forge', () => {
  it('lands the app as a repository with main, one commit on autonoma/<slug>, and one pull request; a rerun changes nothing', async () => {
    const forgeRoot = path.join(root, 'forge-a');
    const runner = runnerWith(createLocalGitForge({ rootDir: forgeRoot }));
    const request = await storedRequest({ prompt: 'a todo app with tags' });
    const first = await runner.run(request, context());
    const repoDir = first.repository!.location;
    expect(first.branch).toBe(`autonoma/${first.slug}`);
    expect(first.pullRequest!.number).toBe(1);
    expect(git(repoDir, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(repoDir, 'rev-list', '--count', `main..${first.branch}`)).toBe('1');
    const changed = git(repoDir, 'diff', '--name-only', `main...${first.branch}`).split('\n');
    expect(changed).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', '.github/workflows/ci.yml']),
    );
    expect(git(repoDir, 'ls-tree', '-r', '--name-only', first.branch!)).toContain('LICENSE');
    const record = await store.findPullRequest('local', first.repository!.name, first.branch!);
    expect(record).toMatchObject({ number: 1, headSha: first.commitSha });
    expect(await readFile(`${repoDir}.PULL_REQUEST.md`, 'utf8')).toContain('a todo app with tags');
    // Tokens per agent and per build, in the result and in the thread's last message.
    expect(Object.keys(first.agentTokens ?? {})).toEqual(
      expect.arrayContaining(['requirements', 'backend', 'review']),
    );
    const perAgent = Object.values(first.agentTokens ?? {});
    expect(perAgent.reduce((sum, t) => sum + t.input, 0)).toBe(first.tokens.input);
    expect(first.reviewSummary).toContain(
      `Spent ${first.tokens.input.toLocaleString('en-US')} input and ${first.tokens.output.toLocaleString('en-US')} output tokens`,
    );

    const again = await runner.run(request, context());
    expect(again.commitSha).toBe(first.commitSha);
    expect(again.pullRequest!.number).toBe(1);
    expect(git(repoDir, 'rev-list', '--count', `main..${first.branch}`)).toBe('1');
    expect(await countPulls(repoDir)).toBe(1);
  });

  it('redacts secrets from the pull request body before it is published or stored', async () => {
    const secret = 'sk-live-publish-0123456789';
    const runner = runnerWith(
      createLocalGitForge({ rootDir: path.join(root, 'forge-secret') }),
      createSecretRedactor([secret]).redact,
    );
    const request = await storedRequest({ prompt: `a todo app with tags; our API key is ${secret}` });
    const result = await runner.run(request, context());
    const record = await store.findPullRequest('local', result.repository!.name, result.branch!);
    const published = await readFile(`${result.repository!.location}.PULL_REQUEST.md`, 'utf8');
    for (const body of [record!.body, published]) {
      expect(body).toMatch(/our API key is \\?\[REDACTED\\?\]/);
      // Markdown escapes removed: the prompt is rendered escaped (sk\-live\-…).
      expect(body.replace(/\\/g, '')).not.toContain(secret);
    }
  });

  it('opens exactly one pull request after a crash between pushing the branch and opening the PR', async () => {
    const forgeRoot = path.join(root, 'forge-b');
    const real = createLocalGitForge({ rootDir: forgeRoot });
    let crashed = false;
    const crashing: Forge = {
      ...real,
      name: real.name,
      ensurePullRequest: async (input) => {
        if (!crashed) {
          crashed = true;
          throw new Error('worker killed');
        }
        return real.ensurePullRequest(input);
      },
    };
    const request = await storedRequest({ prompt: 'a blog with posts and comments' });
    await expect(runnerWith(crashing).run(request, context())).rejects.toThrow('worker killed');
    const retried = await runnerWith(createLocalGitForge({ rootDir: forgeRoot })).run(request, context());
    expect(retried.pullRequest!.number).toBe(1);
    expect(await countPulls(retried.repository!.location)).toBe(1);
    expect(git(retried.repository!.location, 'rev-list', '--count', `main..${retried.branch}`)).toBe('1');
  });

  it('iterates: a change request becomes one new commit on the same pull request branch', async () => {
    const forgeRoot = path.join(root, 'forge-c');
    const runner = runnerWith(createLocalGitForge({ rootDir: forgeRoot }));
    const build = await storedRequest({ prompt: 'a todo app to track tasks' });
    const built = await runner.run(build, context());
    const iteration = await storedRequest({
      kind: 'iterate',
      prompt: 'add a budget field to tasks',
      parentRequestId: build.id,
      target: {
        forge: 'local',
        repo: built.repository!.name,
        number: built.pullRequest!.number,
        branch: built.branch!,
      },
    });
    const iterated = await runner.run(iteration, context());
    const repoDir = built.repository!.location;
    expect(iterated.pullRequest!.number).toBe(built.pullRequest!.number);
    expect(git(repoDir, 'rev-parse', `${iterated.commitSha}^`)).toBe(built.commitSha);
    const diff = git(repoDir, 'diff', built.commitSha!, iterated.commitSha!);
    expect(diff).toMatch(/budget/i);
    expect(await countPulls(repoDir)).toBe(1);
    expect(iterated.reviewSummary).toMatch(/budget/i);
  });
});
