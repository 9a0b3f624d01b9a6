import { describe, expect, it, beforeEach, afterEach } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeBinaryFile, type Forge, type RepositoryRef } from '../../core/ports/forge.js';
import { createLocalGitForge } from './local-git-forge.js';
import { readPullRequestFile, writePullRequestFile } from './pull-request-store.js';

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

const initialFiles = new Map([
  ['README.md', '# Todo app\n'],
  ['LICENSE', 'MIT License\n'],
]);
const appFiles = new Map([
  ['package.json', '{ "name": "todo" }\n'],
  ['src/server.ts', 'export const port = 3000;\n'],
  ['src/client/App.tsx', 'export function App() { return null; }\n'],
  ['README.md', '# Todo app\n\nRun `npm ci && npm run dev`.\n'],
  ['LICENSE', 'MIT License\n'],
]);
const BRANCH = 'autonoma/todo';

async function deliver(forge: Forge, files: ReadonlyMap<string, string> = appFiles, requestId = 'req-1') {
  const repository = await forge.ensureRepository({
    name: 'todo',
    description: 'A todo app',
    topics: ['autonoma'],
    private: true,
    requestId,
  });
  const initial = await forge.ensureInitialCommit(repository.repo, initialFiles);
  const commit = await forge.commitFiles({
    repo: repository.repo,
    branch: BRANCH,
    baseBranch: 'main',
    message: 'Add the todo app',
    files,
  });
  const pull = await forge.ensurePullRequest({
    repo: repository.repo,
    branch: BRANCH,
    baseBranch: 'main',
    title: 'Todo app',
    body: 'What was asked: a todo app',
    labels: ['autonoma'],
  });
  const comment = await forge.ensureComment(
    repository.repo,
    pull.pullRequest.number,
    'autonoma:status',
    'Done',
  );
  return { repository, initial, commit, pull, comment };
}

describe('local git forge', () => {
  let rootDir: string;
  beforeEach(async () => {
    rootDir = await mkdtemp(path.join(tmpdir(), 'autonoma-local-forge-'));
  });
  afterEach(async () => {
    await rm(rootDir, { recursive: true, force: true });
  });

  it('delivers the app as one commit on a branch off an initial commit, with a pull request beside the repo', async () => {
    const forge = createLocalGitForge({ rootDir });
    const result = await deliver(forge);
    const dir = result.repository.repo.location;

    expect(forge.name).toBe('local');
    expect(dir).toBe(path.join(rootDir, 'todo'));
    expect(result.repository.outcome).toBe('created');
    expect(result.initial.outcome).toBe('created');
    expect(result.commit.outcome).toBe('created');
    expect(result.pull.outcome).toBe('created');
    expect(result.comment.outcome).toBe('created');

    expect(git(dir, 'rev-list', '--count', 'main')).toBe('1');
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(['LICENSE', 'README.md']);
    expect(git(dir, 'rev-list', '--count', `main..${BRANCH}`)).toBe('1');
    expect(git(dir, 'rev-parse', BRANCH)).toBe(result.commit.sha);
    const stat = git(dir, 'diff', `main...${BRANCH}`, '--stat');
    for (const file of ['package.json', 'src/server.ts', 'src/client/App.tsx', 'README.md']) {
      expect(stat).toContain(file);
    }
    expect(stat).not.toContain('LICENSE');
    expect(git(dir, 'log', '-1', '--format=%an <%ae>|%s', BRANCH)).toBe(
      'Autonoma <autonoma@localhost>|Add the todo app',
    );

    const pulls = await readPullRequestFile(`${dir}.pulls.json`);
    expect(pulls.pulls).toHaveLength(1);
    expect(pulls.pulls[0]).toMatchObject({ number: 1, branch: BRANCH, base: 'main', labels: ['autonoma'] });
    const markdown = await readFile(`${dir}.PULL_REQUEST.md`, 'utf8');
    expect(markdown).toContain('# Todo app (#1)');
    expect(markdown).toContain('What was asked: a todo app');
    expect(markdown).toContain(`git -C ${dir} diff main...${BRANCH}`);
    expect(existsSync(path.join(dir, 'PULL_REQUEST.md'))).toBe(false);
    expect(await forge.readBranch(result.repository.repo, BRANCH)).toEqual(appFiles);
    expect(await forge.readBranch(result.repository.repo, 'autonoma/missing')).toBeNull();
  });

  it('reads a branch where the job recorded its repository, under another root (build --out)', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'autonoma-local-forge-out-'));
    try {
      const delivered = await deliver(createLocalGitForge({ rootDir: elsewhere }));
      const server = createLocalGitForge({ rootDir });
      expect(await server.readBranch(delivered.repository.repo, BRANCH)).toEqual(appFiles);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('a rerun of the same sequence changes nothing', async () => {
    const forge = createLocalGitForge({ rootDir });
    const first = await deliver(forge);
    const second = await deliver(forge);
    expect(second.repository).toEqual({ repo: first.repository.repo, outcome: 'unchanged' });
    expect(second.initial).toEqual({ sha: first.initial.sha, outcome: 'unchanged' });
    expect(second.commit).toEqual({ sha: first.commit.sha, outcome: 'unchanged' });
    expect(second.pull).toEqual({ pullRequest: first.pull.pullRequest, outcome: 'unchanged' });
    expect(second.comment).toEqual({ id: first.comment.id, outcome: 'unchanged' });
    const dir = first.repository.repo.location;
    expect(git(dir, 'rev-list', '--count', BRANCH)).toBe('2');
    expect((await readPullRequestFile(`${dir}.pulls.json`)).pulls).toHaveLength(1);
  });

  it('a job that crashed after committing, rerun by a new forge instance, opens exactly one pull request', async () => {
    const crashed = createLocalGitForge({ rootDir });
    const { repo } = await crashed.ensureRepository({
      name: 'todo',
      description: 'A todo app',
      topics: ['autonoma'],
      private: true,
      requestId: 'req-1',
    });
    await crashed.ensureInitialCommit(repo, initialFiles);
    const committed = await crashed.commitFiles({
      repo,
      branch: BRANCH,
      baseBranch: 'main',
      message: 'Add the todo app',
      files: appFiles,
    });

    const rerun = await deliver(createLocalGitForge({ rootDir }));
    expect(rerun.repository.outcome).toBe('unchanged');
    expect(rerun.commit).toEqual({ sha: committed.sha, outcome: 'unchanged' });
    expect(rerun.pull.outcome).toBe('created');
    expect((await readPullRequestFile(`${repo.location}.pulls.json`)).pulls).toHaveLength(1);
  });

  it('an iteration commits the complete tree on the same branch: parent is the previous tip, missing files are deleted', async () => {
    const forge = createLocalGitForge({ rootDir });
    const first = await deliver(forge);
    const repo = first.repository.repo;
    const next = new Map(appFiles);
    next.delete('src/client/App.tsx');
    next.set('src/server.ts', 'export const port = 4000;\n');
    const iteration = await forge.commitFiles({
      repo,
      branch: BRANCH,
      baseBranch: 'main',
      message: 'Use port 4000',
      files: next,
    });
    expect(iteration.outcome).toBe('updated');
    expect(git(repo.location, 'rev-parse', `${iteration.sha}^`)).toBe(first.commit.sha);
    const files = await forge.readBranch(repo, BRANCH);
    expect(files?.has('src/client/App.tsx')).toBe(false);
    expect(files?.get('src/server.ts')).toBe('export const port = 4000;\n');
  });

  it('edits the marked comment in place', async () => {
    const forge = createLocalGitForge({ rootDir });
    const { repository, pull, comment } = await deliver(forge);
    const edited = await forge.ensureComment(
      repository.repo,
      pull.pullRequest.number,
      'autonoma:status',
      'Deployed',
    );
    expect(edited).toEqual({ id: comment.id, outcome: 'updated' });
    const other = await forge.ensureComment(
      repository.repo,
      pull.pullRequest.number,
      'autonoma:cost',
      '$0.10',
    );
    expect(other.outcome).toBe('created');
    const stored = (await readPullRequestFile(`${repository.repo.location}.pulls.json`)).pulls[0]!;
    expect(stored.comments.map((c) => c.body)).toEqual([
      'Deployed\n\n<!-- autonoma:status -->',
      '$0.10\n\n<!-- autonoma:cost -->',
    ]);
  });

  it('two jobs ensuring the pull request at once open one', async () => {
    const forge = createLocalGitForge({ rootDir });
    const { repository } = await deliver(forge);
    const input = {
      repo: repository.repo,
      branch: 'autonoma/other',
      baseBranch: 'main',
      title: 'Other',
      body: 'Body',
      labels: ['autonoma'],
    };
    await forge.commitFiles({ ...input, message: 'Other', files: appFiles });
    const results = await Promise.all([
      forge.ensurePullRequest(input),
      createLocalGitForge({ rootDir }).ensurePullRequest(input),
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'unchanged']);
    expect(results[0].pullRequest.number).toBe(results[1].pullRequest.number);
    const pulls = (await readPullRequestFile(`${repository.repo.location}.pulls.json`)).pulls;
    expect(pulls.filter((p) => p.branch === 'autonoma/other')).toHaveLength(1);
  });

  it('gives another request a free name instead of reusing a repository it does not own', async () => {
    const forge = createLocalGitForge({ rootDir });
    await deliver(forge, appFiles, 'req-1');
    const other = await forge.ensureRepository({
      name: 'todo',
      description: 'Another todo app',
      topics: [],
      private: true,
      requestId: 'req-2',
    });
    expect(other).toMatchObject({ repo: { fullName: 'todo-2' }, outcome: 'created' });
    const again = await forge.ensureRepository({
      name: 'todo',
      description: 'Another todo app',
      topics: [],
      private: true,
      requestId: 'req-2',
    });
    expect(again).toEqual({ repo: other.repo, outcome: 'unchanged' });
  });

  it('round-trips binary files and rejects paths that escape the app', async () => {
    const forge = createLocalGitForge({ rootDir });
    const { repository } = await deliver(forge);
    const icon = encodeBinaryFile(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]));
    const files = new Map([...appFiles, ['public/favicon.png', icon]]);
    await forge.commitFiles({
      repo: repository.repo,
      branch: BRANCH,
      baseBranch: 'main',
      message: 'Icon',
      files,
    });
    expect((await forge.readBranch(repository.repo, BRANCH))?.get('public/favicon.png')).toBe(icon);
    await expect(
      forge.commitFiles({
        repo: repository.repo,
        branch: BRANCH,
        baseBranch: 'main',
        message: 'Escape',
        files: new Map([['../outside.txt', 'x']]),
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('lists review comments and reviews, and replies once to a comment', async () => {
    const forge = createLocalGitForge({ rootDir });
    const { repository, pull } = await deliver(forge);
    const repo: RepositoryRef = repository.repo;
    const file = `${repo.location}.pulls.json`;
    const data = await readPullRequestFile(file);
    data.pulls[0]!.reviewComments.push({
      id: 100,
      author: 'reviewer',
      body: 'Use a constant here',
      path: 'src/server.ts',
      line: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    data.pulls[0]!.reviews.push({
      id: 200,
      author: 'reviewer',
      state: 'CHANGES_REQUESTED',
      body: 'Almost',
      submittedAt: '2026-01-01T00:00:00.000Z',
    });
    await writePullRequestFile(file, data);

    expect(await forge.listReviews(repo, pull.pullRequest.number)).toHaveLength(1);
    await forge.replyToReviewComment(repo, pull.pullRequest.number, 100, 'Done in the next commit');
    await forge.replyToReviewComment(repo, pull.pullRequest.number, 100, 'Done in the next commit');
    const comments = await forge.listReviewComments(repo, pull.pullRequest.number);
    expect(comments).toHaveLength(2);
    expect(comments[1]).toMatchObject({ inReplyToId: 100, path: 'src/server.ts', author: 'autonoma' });
    await forge.setCommitStatus({
      repo,
      sha: pull.pullRequest.branch,
      name: 'validation',
      state: 'success',
      summary: 'ok',
    });
  });

  it('commits a 200-file app quickly', async () => {
    const forge = createLocalGitForge({ rootDir });
    const { repo } = await forge.ensureRepository({
      name: 'big',
      description: 'Big',
      topics: [],
      private: true,
      requestId: 'req-big',
    });
    await forge.ensureInitialCommit(repo, initialFiles);
    const files = new Map(
      Array.from({ length: 200 }, (_, i) => [
        `src/module-${i % 10}/file-${i}.ts`,
        `export const n${i} = ${i};\n`,
      ]),
    );
    const started = performance.now();
    const commit = await forge.commitFiles({
      repo,
      branch: BRANCH,
      baseBranch: 'main',
      message: 'Big',
      files,
    });
    const elapsed = performance.now() - started;
    process.stdout.write(`local commit of 200 files: ${elapsed.toFixed(0)} ms\n`);
    expect(commit.outcome).toBe('created');
    expect(git(repo.location, 'ls-tree', '-r', '--name-only', BRANCH).split('\n')).toHaveLength(200);
    expect(elapsed).toBeLessThan(5000);
  });
});
