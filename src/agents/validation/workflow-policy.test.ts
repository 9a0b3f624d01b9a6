import { describe, expect, it } from '@jest/globals';
import { renderApp } from '../offline/app/index.js';
import { projectTrackerSpec, recipeBoxSpec } from '../offline/app/sample-specs.js';
import { checkWorkflow, checkWorkflows, isWorkflowPath, MAX_WORKFLOW_BYTES } from './workflow-policy.js';

const PATH = '.github/workflows/ci.yml';

/** A minimal workflow that passes; tests replace one part at a time. */
function workflow(parts: { on?: string; permissions?: string; jobs?: string } = {}): string {
  return [
    parts.on ?? 'on:\n  push:\n    branches: [main]\n  pull_request:',
    parts.permissions ?? 'permissions:\n  contents: read',
    parts.jobs ??
      [
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: npm ci',
      ].join('\n'),
    '',
  ].join('\n');
}

function steps(...lines: string[]): string {
  return [
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...lines.map((l) => `      ${l}`),
  ].join('\n');
}

function messages(text: string): string[] {
  const result = checkWorkflows(new Map([[PATH, text]]));
  if (result.ok) return [];
  for (const problem of result.problems) expect(problem.path).toBe(PATH);
  return result.problems.map((problem) => problem.message);
}

describe('checkWorkflows: what may pass', () => {
  it.each([
    ['project tracker', projectTrackerSpec],
    ['recipe box', recipeBoxSpec],
  ])('accepts the workflow the offline generator renders (%s)', (_name, spec) => {
    const workflows = new Map([...renderApp(spec)].filter(([path]) => path.startsWith('.github/workflows/')));
    expect([...workflows.keys()]).toEqual([PATH]);
    expect(checkWorkflows(workflows)).toEqual({ ok: true });
  });

  it('accepts the minimal workflow, permissions: {}, SHA pins, local actions and GITHUB_TOKEN', () => {
    expect(messages(workflow())).toEqual([]);
    expect(messages(workflow({ permissions: 'permissions: {}' }))).toEqual([]);
    const jobs = steps(
      '- uses: actions/checkout@0123456789abcdef0123456789abcdef01234567',
      '- uses: actions/setup-node@v4.1.2',
      '- uses: github/codeql-action/init@v3',
      '- uses: ./.github/actions/setup',
      `- uses: docker://node@sha256:${'a'.repeat(64)}`,
      '- run: gh pr list',
      '  env:',
      '    GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      "- if: contains(github.event.head_commit.message, 'secrets.NPM_TOKEN }}')",
      '  run: echo "secrets.txt is not an expression"',
      '  with:',
      '    token: ${{ github.token }}',
    );
    expect(messages(workflow({ jobs }))).toEqual([]);
  });

  it('narrowing job permissions and local reusable workflows are fine', () => {
    const jobs = [
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      contents: read',
      '      pull-requests: none',
      '    steps:',
      '      - run: echo ok',
      '  reuse:',
      '    uses: ./.github/workflows/shared.yml',
      '    permissions: {}',
    ].join('\n');
    expect(messages(workflow({ jobs }))).toEqual([]);
  });

  it('only looks at .yml and .yaml files under .github/workflows/', () => {
    expect(isWorkflowPath('.github/workflows/ci.yml')).toBe(true);
    expect(isWorkflowPath('./.github/workflows/release.yaml')).toBe(true);
    expect(isWorkflowPath('.github/workflows/nested/x.YML')).toBe(true);
    expect(isWorkflowPath('.github/dependabot.yml')).toBe(false);
    expect(isWorkflowPath('.github/workflows/README.md')).toBe(false);
    expect(isWorkflowPath('docs/.github/workflows/ci.yml')).toBe(false);
    const files = new Map([
      ['.github/workflows/notes.txt', 'on: pull_request_target'],
      ['render.yaml', 'not: a workflow'],
    ]);
    expect(checkWorkflows(files)).toEqual({ ok: true });
  });
});

describe('checkWorkflows: structure and size', () => {
  it('refuses invalid YAML, naming the file', () => {
    const result = checkWorkflows(new Map([['.github/workflows/bad.yaml', 'on: [push\njobs:\n']]));
    expect(result).toEqual({
      ok: false,
      problems: [
        { path: '.github/workflows/bad.yaml', message: expect.stringMatching(/^is not valid YAML: /) },
      ],
    });
  });

  it('refuses duplicate keys, which could hide a second definition', () => {
    expect(messages(`${workflow()}permissions: write-all\n`)).toEqual([
      expect.stringMatching(/^is not valid YAML: Map keys must be unique/),
    ]);
  });

  it('refuses alias bombs instead of expanding them', () => {
    const row = (name: string, of: string) => `${name}: &${name} [${Array(9).fill(of).join(',')}]`;
    const bomb = [row('a', 'x'), row('b', '*a'), row('c', '*b'), row('d', '*c'), row('e', '*d')];
    expect(messages(`${workflow()}${bomb.join('\n')}\n`)).toEqual([
      expect.stringMatching(/^is not valid YAML/),
    ]);
  });

  it('requires a mapping with on and jobs', () => {
    for (const text of ['- a\n- b\n', 'jobs: {}\n', 'on: push\n', 'just text\n']) {
      expect(messages(text)).toEqual(['must be a YAML mapping with "on" (the triggers) and "jobs"']);
    }
    expect(messages(workflow({ jobs: 'jobs: []' }))).toEqual(['"jobs" must be a mapping of job ids to jobs']);
  });

  it('refuses other spellings of the keys the checks read', () => {
    const jobs = steps('- Uses: actions/checkout@main').replace(
      '    steps:',
      '    Permissions: write-all\n    steps:',
    );
    expect(messages(`${workflow({ jobs })}Permissions: write-all\n`)).toEqual([
      'the workflow has the key "Permissions"; write it as "permissions"',
      'job "build" has the key "Permissions"; write it as "permissions"',
      'job "build" step 1 has the key "Uses"; write it as "uses"',
    ]);
  });

  it('refuses a file over 64 KB without parsing it', () => {
    const big = `${workflow()}# ${'x'.repeat(MAX_WORKFLOW_BYTES)}\n`;
    expect(messages(big)).toEqual([expect.stringMatching(/^is \d+ bytes, more than the 65536 allowed/)]);
  });

  it('reports every bad file, each under its own path', () => {
    const result = checkWorkflows(
      new Map([
        ['.github/workflows/a.yml', workflow({ on: 'on: pull_request_target' })],
        ['.github/workflows/b.yml', workflow()],
        ['.github/workflows/c.yaml', 'on: [push\n'],
      ]),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((problem) => problem.path)).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/c.yaml',
    ]);
  });
});

describe('checkWorkflows: triggers', () => {
  it.each([
    ['on: pull_request_target', 'pull_request_target'],
    ['on: [push, pull_request_target]', 'pull_request_target'],
    ['on:\n  pull_request_target:\n    types: [opened]', 'pull_request_target'],
    ['on: workflow_run', 'workflow_run'],
    ['on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]', 'workflow_run'],
    ['"on": [Workflow_Run]', 'workflow_run'],
  ])('refuses %p', (on, event) => {
    expect(messages(workflow({ on }))).toEqual([
      expect.stringContaining(`must not be triggered by ${event}:`),
    ]);
  });

  it('refuses an "on" that is not an event, a list or a mapping', () => {
    expect(messages(workflow({ on: 'on: 5' }))).toEqual([
      expect.stringContaining('"on" must be an event name'),
    ]);
  });
});

describe('checkWorkflows: permissions', () => {
  it.each([
    ['', 'has no top-level permissions'],
    ['permissions: write-all', 'top-level permissions are "write-all"'],
    ['permissions: read-all', 'top-level permissions are "read-all"'],
    ['permissions:\n  contents: write', 'top-level permissions are {"contents":"write"}'],
    [
      'permissions:\n  contents: read\n  packages: write',
      'top-level permissions are {"contents":"read","packages":"write"}',
    ],
  ])('refuses top-level %p', (permissions, message) => {
    const found = messages(workflow({ permissions }));
    expect(found).toEqual([expect.stringContaining(message)]);
    expect(found[0]).toContain('"permissions: { contents: read }"');
  });

  it.each([
    ['contents: write', 'job "build" permissions grant "contents: write"'],
    ['id-token: write', 'job "build" permissions grant "id-token: write"'],
  ])('refuses job-level %p', (scope, message) => {
    const jobs = [
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      `      ${scope}`,
    ].join('\n');
    expect(messages(workflow({ jobs: `${jobs}\n    steps:\n      - run: echo` }))).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it.each(['write-all', 'read-all'])('refuses job-level permissions: %s', (level) => {
    const jobs = `jobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions: ${level}\n    steps:\n      - run: echo`;
    expect(messages(workflow({ jobs }))).toEqual([
      `job "build" permissions "${level}" are not allowed; give each scope read or none, e.g. { contents: read }`,
    ]);
  });
});

describe('checkWorkflows: uses pins', () => {
  it.each([
    ['actions/checkout@main', 'uses the moving ref "@main"'],
    ['actions/checkout@master', 'uses the moving ref "@master"'],
    ['actions/checkout@HEAD', 'uses the moving ref "@HEAD"'],
    ['actions/checkout@v4-beta', 'uses the moving ref "@v4-beta"'],
    ['actions/checkout@0123abc', 'uses the moving ref "@0123abc"'],
    ['actions/checkout', 'has no version'],
    ['docker://alpine:3.20', 'must pin the image by digest'],
    ['docker://alpine@sha256:abc', 'must pin the image by digest'],
    ['actions@v4', 'must name an action as owner/repo[/path]@ref'],
    ['actions/../evil@v4', 'must name an action as owner/repo[/path]@ref'],
  ])('refuses step uses %p', (uses, message) => {
    const found = messages(workflow({ jobs: steps('- name: Check out', `  uses: ${uses}`) }));
    expect(found).toEqual([
      expect.stringContaining(`job "build" step 1 ("Check out"): "uses: ${uses}" ${message}`),
    ]);
  });

  it('numbers steps, naming them by id when they have no name', () => {
    const jobs = steps(
      '- run: echo',
      '- uses: actions/checkout@main',
      '- id: setup',
      '  uses: actions/setup-node@main',
    );
    expect(messages(workflow({ jobs }))).toEqual([
      expect.stringMatching(/^job "build" step 2: "uses: actions\/checkout@main" uses the moving ref/),
      expect.stringMatching(
        /^job "build" step 3 \("setup"\): "uses: actions\/setup-node@main" uses the moving ref/,
      ),
    ]);
  });

  it('refuses unpinned reusable workflows at job level', () => {
    const jobs = 'jobs:\n  release:\n    uses: octo/workflows/.github/workflows/release.yml@main';
    expect(messages(workflow({ jobs }))).toEqual([
      expect.stringMatching(
        /^job "release": "uses: octo\/workflows\/.github\/workflows\/release.yml@main" uses the moving ref/,
      ),
    ]);
  });
});

describe('checkWorkflows: secrets', () => {
  it.each([
    ['run: npm publish --token ${{ secrets.NPM_TOKEN }}', 'secrets.NPM_TOKEN', 'step 1 ("Publish") at run'],
    [
      'with:\n          token: ${{ secrets.NPM_TOKEN }}',
      'secrets.NPM_TOKEN',
      'step 1 ("Publish") at with.token',
    ],
    ['env:\n          ALL: ${{ toJSON(secrets) }}', 'secrets', 'at env.ALL'],
    ["env:\n          X: ${{ secrets['NPM_TOKEN'] }}", "secrets['NPM_TOKEN']", 'at env.X'],
    ['env:\n          X: ${{ SECRETS.npm_token }}', 'SECRETS.npm_token', 'at env.X'],
    ['env:\n          X: ${{ secrets.GITHUB_TOKEN_2 }}', 'secrets.GITHUB_TOKEN_2', 'at env.X'],
    ["env:\n          X: ${{ format('}}', secrets.NPM_TOKEN) }}", 'secrets.NPM_TOKEN', 'at env.X'],
    ["if: secrets.NPM_TOKEN != ''\n        run: echo", 'secrets.NPM_TOKEN', 'at if'],
    ["env:\n          X: ${{ format('it''s }}', secrets.NPM_TOKEN) }}", 'secrets.NPM_TOKEN', 'at env.X'],
  ])('refuses %p', (stepBody, read, where) => {
    const found = messages(workflow({ jobs: steps('- name: Publish', `  ${stepBody}`) }));
    expect(found).toEqual([
      expect.stringContaining(`reads ${JSON.stringify(read)}; generated workflows may not use`),
    ]);
    expect(found[0]).toContain(`job "build" `);
    expect(found[0]).toContain(where);
  });

  it('finds secrets outside jobs too (top-level env, keys)', () => {
    const text = `${workflow()}env:\n  TOKEN: \${{ secrets.DEPLOY_KEY }}\n  \${{ secrets.KEY_NAME }}: x\n`;
    expect(messages(text)).toEqual([
      expect.stringMatching(/^at env\.TOKEN reads "secrets\.DEPLOY_KEY"/),
      expect.stringMatching(/^at env\.\$\{\{ secrets\.KEY_NAME \}\} reads "secrets\.KEY_NAME"/),
    ]);
  });

  it('refuses secrets: inherit and secrets passed explicitly to reusable workflows', () => {
    const jobs = [
      'jobs:',
      '  deploy:',
      '    uses: octo/workflows/.github/workflows/deploy.yml@v1',
      '    secrets: inherit',
      '  release:',
      '    uses: ./.github/workflows/release.yml',
      '    secrets:',
      '      token: ${{ secrets.RELEASE_TOKEN }}',
    ].join('\n');
    expect(messages(workflow({ jobs }))).toEqual([
      'job "deploy": "secrets: inherit" passes every repository secret to the called workflow; remove it',
      expect.stringMatching(/^job "release" at secrets\.token reads "secrets\.RELEASE_TOKEN"/),
    ]);
  });

  it('sees secrets merged in through anchors and << keys', () => {
    const text = `${workflow()}x-defaults: &defaults\n  TOKEN: \${{ secrets.HIDDEN }}\nenv:\n  <<: *defaults\n`;
    const found = messages(text);
    expect(found).toEqual([
      expect.stringMatching(/^at x-defaults\.TOKEN reads "secrets\.HIDDEN"/),
      expect.stringMatching(/^at env\.TOKEN reads "secrets\.HIDDEN"/),
    ]);
  });
});

describe('checkWorkflow', () => {
  it('caps problems per file', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `- uses: actions/a${i}@main`);
    const result = checkWorkflows(new Map([[PATH, workflow({ jobs: steps(...lines) })]]));
    expect(result.ok ? [] : result.problems).toHaveLength(21);
    expect(checkWorkflow(workflow({ jobs: steps(...lines) }))).toHaveLength(40);
  });
});
