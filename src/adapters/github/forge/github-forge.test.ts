import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { createLogger } from '../../../core/logger.js';
import { createSecretRedactor } from '../../../core/secrets/secret-redactor.js';
import { encodeBinaryFile, type RepositoryRef } from '../../../core/ports/forge.js';
import { loadGitHubRestSchema, type GitHubRestSchema } from '../../../../tests/helpers/github-openapi.js';
import { GitHubStandIn } from '../../../../tests/helpers/github-stand-in.js';
import { createGitHubOctokit, type GitHubOctokitOptions } from './create-github-octokit.js';
import { createGitHubForge } from './github-forge.js';
import { BOOTSTRAP_MESSAGE } from './ensure-initial-commit.js';

// A GitHub Enterprise Server style base URL: proves GITHUB_API_URL is honoured everywhere.
const API = 'https://ghe.example.test/api/v3';
const OWNER = 'acme';
const BRANCH = 'autonoma/todo';
const BRANCH_REF = 'heads%2Fautonoma%2Ftodo';

let schema: GitHubRestSchema;
let github: GitHubStandIn;

beforeAll(async () => {
  schema = await loadGitHubRestSchema();
  process.stdout.write(`GitHub REST schema loaded from ${schema.loadedFrom} in ${schema.loadMs} ms\n`);
});
beforeEach(() => {
  nock.disableNetConnect();
  github = new GitHubStandIn(API, schema);
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

const silent = createLogger({ level: 'silent' });

function forge(options: Partial<GitHubOctokitOptions> = {}, ownerType: 'org' | 'user' | 'auto' = 'org') {
  const octokit = createGitHubOctokit({
    apiUrl: API,
    token: 'ghs_test',
    waitUnitMs: 0,
    throttle: false,
    ...options,
  } as GitHubOctokitOptions);
  return createGitHubForge({ octokit, owner: OWNER, ownerType, license: 'MIT', logger: silent });
}

const repoData = (name: string, description: string, topics: string[] = ['autonoma', 'todo']) => ({
  id: 1,
  name,
  full_name: `${OWNER}/${name}`,
  html_url: `https://ghe.example.test/${OWNER}/${name}`,
  default_branch: 'main',
  private: true,
  description,
  topics,
});
const OURS = 'A todo app · autonoma:req-1';
const repo: RepositoryRef = {
  forge: 'github',
  fullName: `${OWNER}/todo`,
  location: `https://ghe.example.test/${OWNER}/todo`,
  defaultBranch: 'main',
};
const repositoryInput = {
  name: 'todo',
  description: 'A todo app',
  topics: ['todo'],
  private: true,
  requestId: 'req-1',
};
const initialFiles = new Map([
  ['README.md', '# Todo\n'],
  ['LICENSE', 'MIT License\n'],
]);
const appFiles = (count: number) =>
  new Map(Array.from({ length: count }, (_, i) => [`src/file-${i}.ts`, `export const n${i} = ${i};\n`]));
const pullData = (overrides: Record<string, unknown> = {}) => ({
  number: 7,
  html_url: `https://ghe.example.test/${OWNER}/todo/pull/7`,
  title: 'Todo app',
  body: 'Body',
  state: 'open',
  merged_at: null,
  head: { ref: BRANCH },
  base: { ref: 'main' },
  labels: [{ name: 'autonoma' }],
  ...overrides,
});
const pullInput = {
  repo,
  branch: BRANCH,
  baseBranch: 'main',
  title: 'Todo app',
  body: 'Body',
  labels: ['autonoma'],
};
const commitInput = (files: ReadonlyMap<string, string>) => ({
  repo,
  branch: BRANCH,
  baseBranch: 'main',
  message: 'Add the todo app',
  files,
});

/** An existing branch at `c1` whose tree is `tree-1`; POST git/trees answers `treeSha`. */
function expectCommitOnExistingBranch(treeSha: string) {
  github
    .expect('GET', `/repos/acme/todo/git/ref/${BRANCH_REF}`, {
      status: 200,
      body: { ref: `refs/heads/${BRANCH}`, object: { sha: 'c1', type: 'commit' } },
    })
    .expect('GET', '/repos/acme/todo/git/commits/c1', {
      status: 200,
      body: { sha: 'c1', message: 'Add', tree: { sha: 'tree-1' } },
    })
    .expect('POST', '/repos/acme/todo/git/trees', { status: 201, body: { sha: treeSha, tree: [] } });
  if (treeSha !== 'tree-1') {
    github
      .expect('POST', '/repos/acme/todo/git/commits', {
        status: 201,
        body: { sha: 'c2', tree: { sha: treeSha } },
      })
      .expect('PATCH', `/repos/acme/todo/git/refs/${BRANCH_REF}`, {
        status: 200,
        body: { ref: `refs/heads/${BRANCH}`, object: { sha: 'c2' } },
      });
  }
}

describe('GitHub forge', () => {
  it('delivers a new app: repository, initial commit, one app commit, pull request, comment', async () => {
    github
      .expect('GET', '/repos/acme/todo', { status: 404, body: { message: 'Not Found' } })
      .expect('POST', '/orgs/acme/repos', { status: 201, body: repoData('todo', OURS, []) })
      .expect('PUT', '/repos/acme/todo/topics', { status: 200, body: { names: ['autonoma', 'todo'] } })
      .expect('GET', '/repos/acme/todo/git/ref/heads%2Fmain', {
        status: 409,
        body: { message: 'Git Repository is empty.' },
      })
      .expect('PUT', '/repos/acme/todo/contents/README.md', {
        status: 201,
        body: { content: {}, commit: { sha: 'boot' } },
      })
      .expect('POST', '/repos/acme/todo/git/trees', { status: 201, body: { sha: 'tree-0', tree: [] } })
      .expect('POST', '/repos/acme/todo/git/commits', {
        status: 201,
        body: { sha: 'init', tree: { sha: 'tree-0' } },
      })
      .expect('PATCH', '/repos/acme/todo/git/refs/heads%2Fmain', {
        status: 200,
        body: { ref: 'refs/heads/main', object: { sha: 'init' } },
      })
      .expect('GET', `/repos/acme/todo/git/ref/${BRANCH_REF}`, {
        status: 404,
        body: { message: 'Not Found' },
      })
      .expect('GET', '/repos/acme/todo/git/ref/heads%2Fmain', {
        status: 200,
        body: { ref: 'refs/heads/main', object: { sha: 'init' } },
      })
      .expect('POST', '/repos/acme/todo/git/trees', { status: 201, body: { sha: 'tree-1', tree: [] } })
      .expect('POST', '/repos/acme/todo/git/commits', {
        status: 201,
        body: { sha: 'c1', tree: { sha: 'tree-1' } },
      })
      .expect('POST', '/repos/acme/todo/git/refs', {
        status: 201,
        body: { ref: `refs/heads/${BRANCH}`, object: { sha: 'c1' } },
      })
      .expect(
        'GET',
        '/repos/acme/todo/pulls',
        { status: 200, body: [] },
        { query: { head: `acme:${BRANCH}`, state: 'open', per_page: 10 } },
      )
      .expect('POST', '/repos/acme/todo/pulls', { status: 201, body: pullData({ labels: [] }) })
      .expect('POST', '/repos/acme/todo/issues/7/labels', { status: 200, body: [{ name: 'autonoma' }] })
      .expect('GET', '/repos/acme/todo/issues/7/comments', { status: 200, body: [] })
      .expect('POST', '/repos/acme/todo/issues/7/comments', { status: 201, body: { id: 99, body: 'Done' } });

    const f = forge();
    const repository = await f.ensureRepository(repositoryInput);
    expect(repository).toEqual({ repo, outcome: 'created' });
    expect(await f.ensureInitialCommit(repository.repo, initialFiles)).toEqual({
      sha: 'init',
      outcome: 'created',
    });
    expect(await f.commitFiles(commitInput(appFiles(3)))).toEqual({ sha: 'c1', outcome: 'created' });
    const pull = await f.ensurePullRequest(pullInput);
    expect(pull).toEqual({
      pullRequest: {
        number: 7,
        url: `https://ghe.example.test/${OWNER}/todo/pull/7`,
        title: 'Todo app',
        branch: BRANCH,
        baseBranch: 'main',
        state: 'open',
      },
      outcome: 'created',
    });
    expect(await f.ensureComment(repo, 7, 'autonoma:status', 'Done')).toEqual({ id: 99, outcome: 'created' });
    github.done();

    const body = (method: string, path: RegExp) =>
      github.calls.filter((c) => c.method === method && path.test(c.path)).map((c) => c.body);
    expect(body('POST', /\/orgs\/acme\/repos$/)[0]).toEqual({
      name: 'todo',
      description: OURS,
      private: true,
      auto_init: false,
    });
    const [initialTree, appTree] = body('POST', /git\/trees$/) as Array<{
      tree: unknown[];
      base_tree?: string;
    }>;
    expect(initialTree!.tree).toHaveLength(2);
    expect(appTree).toEqual({
      tree: [0, 1, 2].map((i) => ({
        path: `src/file-${i}.ts`,
        mode: '100644',
        type: 'blob',
        content: `export const n${i} = ${i};\n`,
      })),
    });
    expect(body('POST', /git\/commits$/)[0]).toEqual({
      message: 'Initial commit',
      tree: 'tree-0',
      parents: [],
    });
    expect(body('PATCH', /refs\/heads\/main$/)[0]).toEqual({ sha: 'init', force: true });
    expect(body('POST', /git\/refs$/)[0]).toEqual({ ref: `refs/heads/${BRANCH}`, sha: 'c1' });
    expect(body('POST', /issues\/7\/comments$/)[0]).toEqual({ body: 'Done\n\n<!-- autonoma:status -->' });
  });

  it('a rerun finds everything in place: no new repository, commit, pull request or comment', async () => {
    github
      .expect('GET', '/repos/acme/todo', { status: 200, body: repoData('todo', OURS) })
      .expect('GET', '/repos/acme/todo/git/ref/heads%2Fmain', {
        status: 200,
        body: { ref: 'refs/heads/main', object: { sha: 'init' } },
      })
      .expect('GET', '/repos/acme/todo/git/commits/init', {
        status: 200,
        body: { sha: 'init', message: 'Initial commit', tree: { sha: 'tree-0' } },
      })
      .expect('GET', '/repos/acme/todo/pulls', { status: 200, body: [pullData()] })
      .expect('GET', '/repos/acme/todo/issues/7/comments', {
        status: 200,
        body: [{ id: 99, body: 'Done\n\n<!-- autonoma:status -->' }],
      });
    expectCommitOnExistingBranch('tree-1');

    const f = forge();
    expect(await f.ensureRepository(repositoryInput)).toEqual({ repo, outcome: 'unchanged' });
    expect(await f.ensureInitialCommit(repo, initialFiles)).toEqual({ sha: 'init', outcome: 'unchanged' });
    expect(await f.commitFiles(commitInput(appFiles(3)))).toEqual({ sha: 'c1', outcome: 'unchanged' });
    expect((await f.ensurePullRequest(pullInput)).outcome).toBe('unchanged');
    expect(await f.ensureComment(repo, 7, 'autonoma:status', 'Done')).toEqual({
      id: 99,
      outcome: 'unchanged',
    });
    github.done();
    expect(github.count('POST', /\/pulls$/)).toBe(0);
    expect(github.count('POST', /git\/commits$/)).toBe(0);
  });

  it('after a crash between pushing the branch and opening the PR, a rerun opens exactly one PR', async () => {
    expectCommitOnExistingBranch('tree-1');
    github
      .expect(
        'GET',
        '/repos/acme/todo/pulls',
        { status: 200, body: [] },
        { query: { head: `acme:${BRANCH}`, state: 'open', per_page: 10 } },
      )
      .expect('POST', '/repos/acme/todo/pulls', { status: 201, body: pullData({ labels: [] }) })
      .expect('POST', '/repos/acme/todo/issues/7/labels', { status: 200, body: [{ name: 'autonoma' }] });

    const f = forge();
    expect(await f.commitFiles(commitInput(appFiles(3)))).toEqual({ sha: 'c1', outcome: 'unchanged' });
    const { pullRequest, outcome } = await f.ensurePullRequest(pullInput);
    expect(outcome).toBe('created');
    expect(pullRequest.number).toBe(7);
    github.done();
    expect(github.count('POST', /\/pulls$/)).toBe(1);
    expect(github.count('POST', /git\/commits$/)).toBe(0);
  });

  it('finishes an initial commit that stopped after the bootstrap commit', async () => {
    github
      .expect('GET', '/repos/acme/todo/git/ref/heads%2Fmain', {
        status: 200,
        body: { ref: 'refs/heads/main', object: { sha: 'boot' } },
      })
      .expect('GET', '/repos/acme/todo/git/commits/boot', {
        status: 200,
        body: { sha: 'boot', message: BOOTSTRAP_MESSAGE, tree: { sha: 't' } },
      })
      .expect('POST', '/repos/acme/todo/git/trees', { status: 201, body: { sha: 'tree-0', tree: [] } })
      .expect('POST', '/repos/acme/todo/git/commits', {
        status: 201,
        body: { sha: 'init', tree: { sha: 'tree-0' } },
      })
      .expect('PATCH', '/repos/acme/todo/git/refs/heads%2Fmain', {
        status: 200,
        body: { ref: 'refs/heads/main', object: { sha: 'init' } },
      });
    expect(await forge().ensureInitialCommit(repo, initialFiles)).toEqual({
      sha: 'init',
      outcome: 'created',
    });
    github.done();
  });

  it('updates an existing pull request in place and adds missing labels', async () => {
    github
      .expect('GET', '/repos/acme/todo/pulls', {
        status: 200,
        body: [pullData({ title: 'Old title', labels: [] })],
      })
      .expect('PATCH', '/repos/acme/todo/pulls/7', { status: 200, body: pullData({ labels: [] }) })
      .expect('POST', '/repos/acme/todo/issues/7/labels', { status: 200, body: [{ name: 'autonoma' }] });
    const result = await forge().ensurePullRequest(pullInput);
    expect(result.outcome).toBe('updated');
    expect(result.pullRequest.number).toBe(7);
    github.done();
    expect(github.count('POST', /\/pulls$/)).toBe(0);
  });

  it('treats "a pull request already exists" from a concurrent run as found', async () => {
    github
      .expect('GET', '/repos/acme/todo/pulls', { status: 200, body: [] })
      .expect('POST', '/repos/acme/todo/pulls', {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [
            {
              resource: 'PullRequest',
              code: 'custom',
              message: `A pull request already exists for acme:${BRANCH}.`,
            },
          ],
        },
      })
      .expect('GET', '/repos/acme/todo/pulls', { status: 200, body: [pullData()] });
    expect((await forge().ensurePullRequest(pullInput)).pullRequest.number).toBe(7);
    github.done();
  });

  it('reuses its own repository when creation reports the name exists (a concurrent retry)', async () => {
    github
      .expect('GET', '/repos/acme/todo', { status: 404, body: { message: 'Not Found' } })
      .expect('POST', '/orgs/acme/repos', {
        status: 422,
        body: {
          message: 'Repository creation failed.',
          errors: [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
        },
      })
      .expect('GET', '/repos/acme/todo', { status: 200, body: repoData('todo', OURS) });
    expect(await forge().ensureRepository(repositoryInput)).toEqual({ repo, outcome: 'unchanged' });
    github.done();
  });

  it("picks the next free name when the name belongs to someone else, and asks GitHub the owner's type", async () => {
    github
      .expect('GET', '/repos/acme/todo', {
        status: 200,
        body: repoData('todo', 'Somebody else’s todo app', []),
      })
      .expect('GET', '/repos/acme/todo-2', { status: 404, body: { message: 'Not Found' } })
      .expect('GET', '/users/acme', { status: 200, body: { login: 'acme', type: 'User' } })
      .expect('POST', '/user/repos', {
        status: 422,
        body: {
          message: 'Repository creation failed.',
          errors: [
            {
              resource: 'Repository',
              code: 'custom',
              field: 'name',
              message: 'name already exists on this account',
            },
          ],
        },
      })
      // Exists but hidden from us: not ours, so move on.
      .expect('GET', '/repos/acme/todo-2', { status: 404, body: { message: 'Not Found' } })
      .expect('GET', '/repos/acme/todo-3', { status: 404, body: { message: 'Not Found' } })
      .expect('POST', '/user/repos', { status: 201, body: repoData('todo-3', OURS, []) })
      .expect('PUT', '/repos/acme/todo-3/topics', { status: 200, body: { names: ['autonoma', 'todo'] } });
    const result = await forge({}, 'auto').ensureRepository(repositoryInput);
    expect(result).toMatchObject({ repo: { fullName: 'acme/todo-3' }, outcome: 'created' });
    github.done();
  });

  it('makes the same number of REST calls for a 5-file and a 200-file app', async () => {
    const counts: number[] = [];
    for (const size of [5, 200]) {
      github = new GitHubStandIn(API, schema);
      expectCommitOnExistingBranch(`tree-${size}`);
      await forge().commitFiles(commitInput(appFiles(size)));
      github.done();
      const tree = github.calls.find((c) => c.path.endsWith('/git/trees'))!.body as { tree: unknown[] };
      expect(tree.tree).toHaveLength(size);
      counts.push(github.calls.length);
    }
    process.stdout.write(`REST calls per commit: 5 files → ${counts[0]}, 200 files → ${counts[1]}\n`);
    expect(counts).toEqual([5, 5]);
  });

  it('uploads a binary file as one blob and references it by sha', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    github.expect('POST', '/repos/acme/todo/git/blobs', { status: 201, body: { sha: 'blob-png', url: 'x' } });
    expectCommitOnExistingBranch('tree-2');
    const files = new Map([...appFiles(5), ['public/logo.png', encodeBinaryFile(png)]]);
    await forge().commitFiles(commitInput(files));
    github.done();
    expect(github.count('POST', /git\/blobs$/)).toBe(1);
    expect(github.calls.find((c) => c.path.endsWith('/git/blobs'))!.body).toEqual({
      content: Buffer.from(png).toString('base64'),
      encoding: 'base64',
    });
    const tree = github.calls.find((c) => c.path.endsWith('/git/trees'))!.body as {
      tree: Array<Record<string, string>>;
    };
    expect(tree.tree.find((e) => e.path === 'public/logo.png')).toEqual({
      path: 'public/logo.png',
      mode: '100644',
      type: 'blob',
      sha: 'blob-png',
    });
  });

  it('explains the missing workflows permission when GitHub refuses a workflow file', async () => {
    github
      .expect('GET', `/repos/acme/todo/git/ref/${BRANCH_REF}`, {
        status: 200,
        body: { ref: `refs/heads/${BRANCH}`, object: { sha: 'c1' } },
      })
      .expect('GET', '/repos/acme/todo/git/commits/c1', {
        status: 200,
        body: { sha: 'c1', message: 'Add', tree: { sha: 'tree-1' } },
      })
      .expect('POST', '/repos/acme/todo/git/trees', { status: 201, body: { sha: 'tree-2', tree: [] } })
      .expect('POST', '/repos/acme/todo/git/commits', {
        status: 201,
        body: { sha: 'c2', tree: { sha: 'tree-2' } },
      })
      .expect('PATCH', `/repos/acme/todo/git/refs/${BRANCH_REF}`, {
        status: 403,
        body: {
          message:
            'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
        },
      });
    const files = new Map([...appFiles(2), ['.github/workflows/ci.yml', 'on: push\n']]);
    await expect(forge().commitFiles(commitInput(files))).rejects.toMatchObject({
      code: 'forbidden',
      retryable: false,
      message: expect.stringContaining("the GitHub App needs the 'workflows: write' permission"),
    });
    github.done();
  });

  it('refuses oversized files with a message saying what to do', async () => {
    const files = new Map([['src/huge.ts', 'x'.repeat(1024 * 1024 + 1)]]);
    await expect(forge().commitFiles(commitInput(files))).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('limited to 1 MB'),
    });
  });

  it('retries a 502 and then succeeds', async () => {
    github
      .expect('GET', '/repos/acme/todo', { status: 502, body: { message: 'Server Error' } })
      .expect('GET', '/repos/acme/todo', { status: 200, body: repoData('todo', OURS) });
    expect((await forge().ensureRepository(repositoryInput)).outcome).toBe('unchanged');
    github.done();
  });

  it('reports a GitHub outage as retryable once retries are exhausted', async () => {
    github.expect('GET', '/repos/acme/todo', { status: 503, body: { message: 'Unavailable' } }, { times: 3 });
    await expect(forge({ retries: 2 }).ensureRepository(repositoryInput)).rejects.toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
    });
    github.done();
  });

  // ~3 s: plugin-throttling spaces writes that notify people (comments) 3 s apart, whatever waitUnitMs is.
  it('waits out a secondary rate limit (403 with retry-after) and retries', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line: string) => lines.push(line) },
    });
    github
      .expect('GET', '/repos/acme/todo/issues/7/comments', { status: 200, body: [] })
      .expect('POST', '/repos/acme/todo/issues/7/comments', {
        status: 403,
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        },
        headers: { 'retry-after': '3' },
      })
      .expect('POST', '/repos/acme/todo/issues/7/comments', { status: 201, body: { id: 5, body: 'x' } });
    const f = forge({ throttle: true, logger });
    expect(await f.ensureComment(repo, 7, 'autonoma:status', 'Hi')).toEqual({ id: 5, outcome: 'created' });
    github.done();
    expect(lines.some((l) => l.includes('secondary rate limit') && l.includes('"retryAfter":3'))).toBe(true);
  });

  it('edits the marked comment in place, searching every page of comments', async () => {
    github
      .expect(
        'GET',
        '/repos/acme/todo/issues/7/comments',
        {
          status: 200,
          body: [{ id: 1, body: 'LGTM' }],
          headers: { link: `<${API}/repos/acme/todo/issues/7/comments?per_page=100&page=2>; rel="next"` },
        },
        { query: { per_page: 100 } },
      )
      .expect(
        'GET',
        '/repos/acme/todo/issues/7/comments',
        { status: 200, body: [{ id: 42, body: 'Building…\n\n<!-- autonoma:status -->' }] },
        { query: { per_page: 100, page: 2 } },
      )
      .expect('PATCH', '/repos/acme/todo/issues/comments/42', { status: 200, body: { id: 42 } });
    expect(await forge().ensureComment(repo, 7, 'autonoma:status', 'Done')).toEqual({
      id: 42,
      outcome: 'updated',
    });
    github.done();
    expect(github.calls.at(-1)!.body).toEqual({ body: 'Done\n\n<!-- autonoma:status -->' });
  });

  it('lists review comments and reviews, replies once, and sets a commit status', async () => {
    const comments = [
      {
        id: 10,
        user: { login: 'rev' },
        body: 'Rename this',
        path: 'src/a.ts',
        line: 3,
        created_at: '2026-01-01T00:00:00Z',
      },
      {
        id: 11,
        user: { login: 'autonoma[bot]' },
        body: 'Done',
        path: 'src/a.ts',
        line: 3,
        in_reply_to_id: 10,
        created_at: '2026-01-01T00:01:00Z',
      },
    ];
    github
      .expect('GET', '/repos/acme/todo/pulls/7/comments', { status: 200, body: comments }, { times: 3 })
      .expect('GET', '/repos/acme/todo/pulls/7/reviews', {
        status: 200,
        body: [
          {
            id: 3,
            user: { login: 'rev' },
            state: 'CHANGES_REQUESTED',
            body: 'Almost',
            submitted_at: '2026-01-01T00:00:00Z',
          },
        ],
      })
      .expect('POST', '/repos/acme/todo/pulls/7/comments/10/replies', { status: 201, body: { id: 12 } })
      .expect('POST', '/repos/acme/todo/statuses/c2', { status: 201, body: { id: 1, state: 'success' } });
    const f = forge();
    expect(await f.listReviewComments(repo, 7)).toEqual([
      {
        id: 10,
        author: 'rev',
        body: 'Rename this',
        path: 'src/a.ts',
        line: 3,
        createdAt: '2026-01-01T00:00:00Z',
      },
      {
        id: 11,
        author: 'autonoma[bot]',
        body: 'Done',
        path: 'src/a.ts',
        line: 3,
        inReplyToId: 10,
        createdAt: '2026-01-01T00:01:00Z',
      },
    ]);
    expect(await f.listReviews(repo, 7)).toEqual([
      {
        id: 3,
        author: 'rev',
        state: 'CHANGES_REQUESTED',
        body: 'Almost',
        submittedAt: '2026-01-01T00:00:00Z',
      },
    ]);
    await f.replyToReviewComment(repo, 7, 10, 'Done'); // already replied: no POST
    await f.replyToReviewComment(repo, 7, 10, 'Renamed in the next commit');
    await f.setCommitStatus({
      repo,
      sha: 'c2',
      name: 'autonoma/validation',
      state: 'success',
      summary: 'typecheck, tests and build passed',
      details: 'https://ghe.example.test/runs/1',
    });
    github.done();
    expect(github.calls.at(-1)!.body).toEqual({
      state: 'success',
      context: 'autonoma/validation',
      description: 'typecheck, tests and build passed',
      target_url: 'https://ghe.example.test/runs/1',
    });
  });

  it('authenticates as a GitHub App installation against the same base URL', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    github
      .expect('POST', '/app/installations/42/access_tokens', {
        status: 201,
        body: {
          token: 'ghs_installation',
          expires_at: '2099-01-01T00:00:00Z',
          permissions: {},
          repository_selection: 'all',
        },
      })
      .expect('GET', '/repos/acme/todo', { status: 200, body: repoData('todo', OURS) }, { times: 2 });
    // The minted token is handed over for redaction, without a second token request.
    const redactor = createSecretRedactor([]);
    const octokit = createGitHubOctokit({
      apiUrl: API,
      appId: 1,
      privateKey,
      installationId: 42,
      waitUnitMs: 0,
      throttle: false,
      onToken: (token) => redactor.add(token),
    });
    const f = createGitHubForge({ octokit, owner: OWNER, ownerType: 'org', license: 'MIT', logger: silent });
    expect((await f.ensureRepository(repositoryInput)).outcome).toBe('unchanged');
    expect((await f.ensureRepository(repositoryInput)).outcome).toBe('unchanged');
    github.done();
    expect(redactor.size).toBe(1);
    expect(redactor.redact('push failed: token ghs_installation')).toBe('push failed: token [REDACTED]');
  });

  it('reads a branch back as a file map, binary files included', async () => {
    const png = Buffer.from([0x89, 0x50, 0x00, 0xff]);
    github
      .expect('GET', `/repos/acme/todo/git/ref/${BRANCH_REF}`, {
        status: 200,
        body: { object: { sha: 'c1' } },
      })
      .expect('GET', '/repos/acme/todo/git/commits/c1', {
        status: 200,
        body: { sha: 'c1', tree: { sha: 'tree-1' } },
      })
      .expect(
        'GET',
        '/repos/acme/todo/git/trees/tree-1',
        {
          status: 200,
          body: {
            sha: 'tree-1',
            truncated: false,
            tree: [
              { path: 'src', type: 'tree', sha: 'dir' },
              { path: 'src/a.ts', type: 'blob', sha: 'b1' },
              { path: 'logo.png', type: 'blob', sha: 'b2' },
            ],
          },
        },
        { query: { recursive: 'true' } },
      )
      .expect('GET', '/repos/acme/todo/git/blobs/b1', {
        status: 200,
        body: { content: Buffer.from('export {};\n').toString('base64'), encoding: 'base64' },
      })
      .expect('GET', '/repos/acme/todo/git/blobs/b2', {
        status: 200,
        body: { content: png.toString('base64'), encoding: 'base64' },
      })
      .expect('GET', '/repos/acme/todo/git/ref/heads%2Fautonoma%2Fmissing', {
        status: 404,
        body: { message: 'Not Found' },
      });
    const f = forge();
    expect(await f.readBranch(repo, BRANCH)).toEqual(
      new Map([
        ['logo.png', encodeBinaryFile(png)],
        ['src/a.ts', 'export {};\n'],
      ]),
    );
    expect(await f.readBranch(repo, 'autonoma/missing')).toBeNull();
    github.done();
  });

  it('maps bad credentials to an error naming the settings to fix', async () => {
    github.expect('GET', '/repos/acme/todo', { status: 401, body: { message: 'Bad credentials' } });
    await expect(forge().ensureRepository(repositoryInput)).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringContaining('GITHUB_TOKEN'),
    });
    github.done();
  });
});
