import { describe, expect, it } from '@jest/globals';
import {
  PULL_REQUEST_BODY_MAX,
  renderPullRequestBody,
  type PullRequestBodyInput,
} from './pull-request-body.js';

const base: PullRequestBodyInput = {
  prompt: 'a todo app with tags',
  source: 'slack',
  threadUrl: 'https://acme.slack.com/archives/C1/p123',
  appName: 'Todo',
  entities: [{ name: 'Todo', fields: ['title', 'done', 'tags'] }],
  endpoints: ['GET /api/todos', 'POST /api/todos'],
  pages: ['/', '/todos/:id'],
  files: ['package.json', 'src/server/app.ts', 'src/server/routes/todos.ts', 'src/client/App.tsx'],
  validation: {
    ok: false,
    syntax: { ok: true, durationMs: 120 },
    typecheck: { ok: true, durationMs: 4200 },
    test: { ok: false, durationMs: 3100, output: 'FAIL todos.test.ts\n```\n</details>' },
    repairRounds: 1,
  },
  agents: [
    { agent: 'planner', durationMs: 1500, tokensIn: 1200, tokensOut: 300, costUsd: 0.0021 },
    { agent: 'coder', durationMs: 9000, tokensIn: 22000, tokensOut: 8000, costUsd: 0.05 },
  ],
  reviewChecklist: ['Tags are stored lower-case', 'Deleting a todo removes its tags'],
};

const count = (text: string, needle: string) => text.split(needle).length - 1;

describe('renderPullRequestBody', () => {
  it('renders every section', () => {
    const body = renderPullRequestBody(base);
    for (const heading of [
      '## What was asked',
      '## What was built',
      '## How to run it',
      '## Validation',
      '## Time and cost',
      '## What to check',
    ]) {
      expect(body).toContain(heading);
    }
    expect(body).toContain('> a todo app with tags');
    expect(body).toContain('<summary>Files (4)</summary>');
    expect(body).toContain('    routes/\n      todos.ts');
    expect(body).toContain('| test | ❌ failed | 3.1 s |');
    expect(body).toContain('| **Total** | 10.5 s | 23,200 | 8,300 | $0.0521 |');
    expect(body).toContain('- [ ] Tags are stored lower\\-case');
    expect(body).toContain('[this conversation](https://acme.slack.com/archives/C1/p123)');
  });

  it('makes a hostile prompt inert: no fences, HTML, mentions or links escape the quote', () => {
    const prompt = [
      'Build it```',
      '</details><script>alert(1)</script><details open><summary>pwned',
      '@octocat please review #1 [click](javascript:alert(1)) ![img](https://evil.test/x.png)',
      '# Heading',
      '$x$ ===',
    ].join('\n');
    const body = renderPullRequestBody({
      ...base,
      prompt,
      validation: undefined,
      threadUrl: 'javascript:alert(1)',
    });
    const asked = body.slice(0, body.indexOf('## What was built'));
    expect(asked).not.toMatch(/<\/?(script|details|summary)/i);
    expect(asked).not.toContain('```');
    expect(asked).not.toContain('@octocat');
    expect(asked).not.toContain('](');
    expect(asked).toContain('&lt;script&gt;');
    expect(asked.split('\n').filter((l) => l.startsWith('> '))).toHaveLength(5);
    expect(count(body, '<details>')).toBe(count(body, '</details>'));
    expect(body).not.toContain('this conversation');
  });

  it('links the job page in the footer, and only an http(s) URL', () => {
    const url = 'https://autonoma.example.com/jobs/6f1c2a9e?t=1767225600.abc_DEF-123';
    const footer = (jobPageUrl: string | undefined) => {
      const body = renderPullRequestBody({ ...base, ...(jobPageUrl === undefined ? {} : { jobPageUrl }) });
      return body.slice(body.lastIndexOf('\n---\n'));
    };
    expect(footer(url)).toContain(`[Job page](${url})`);
    expect(footer(url)).toContain('[this conversation](https://acme.slack.com/archives/C1/p123)');
    expect(footer(undefined)).not.toContain('Job page');
    expect(footer('javascript:alert(1)')).not.toContain('Job page');
    // Nothing in the URL can close the Markdown link early.
    expect(footer('https://h.example/jobs/x?t=a)b (c)')).toContain(
      '[Job page](https://h.example/jobs/x?t=a%29b%20%28c%29)',
    );
  });

  it('keeps a code fence closed when file names or outputs contain backticks', () => {
    const body = renderPullRequestBody({ ...base, files: ['src/```weird.ts', 'a/````b.ts'] });
    expect(body).toContain('`````text\na/\n  ````b.ts');
    // The failing test's output holds ``` and </details>: its fence is longer, so both stay literal.
    expect(body).toContain('````text\nFAIL todos.test.ts\n```\n</details>\n````\n\n</details>');
  });

  it('stays below the GitHub body limit whatever the input size', () => {
    const huge = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
    const body = renderPullRequestBody({
      ...base,
      prompt: '&<@`'.repeat(50_000) + '😀'.repeat(10_000),
      entities: huge(5_000, (i) => ({ name: `Entity${i}`, fields: huge(50, (j) => `field_${j}`) })),
      endpoints: huge(5_000, (i) => `GET /api/things/${i}`),
      pages: huge(5_000, (i) => `/page/${i}`),
      files: huge(20_000, (i) => `src/module-${i % 100}/deeply/nested/file-${i}.ts`),
      agents: huge(2_000, (i) => ({
        agent: `agent-${i}`,
        durationMs: 1,
        tokensIn: 1,
        tokensOut: 1,
        costUsd: 0,
      })),
      reviewChecklist: huge(2_000, (i) => `Check item ${i}`),
      validation: { ...base.validation!, test: { ok: false, durationMs: 1, output: 'x'.repeat(20_000) } },
    });
    expect(body.length).toBeLessThanOrEqual(PULL_REQUEST_BODY_MAX);
    expect(body).toContain('more lines._');
    expect(body).toContain('## What to check');
    expect(count(body, '<details>')).toBe(count(body, '</details>'));
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("says what the app's own fixer fixed before the checks, and nothing when it fixed nothing", () => {
    const autofix = { ok: true, durationMs: 300, tool: 'biome', files: ['src/a.ts', 'src/b.ts', 'src/c.ts'] };
    const body = renderPullRequestBody({ ...base, validation: { ...base.validation!, autofix } });
    expect(body).toContain(
      '| test | ❌ failed | 3.1 s |\n\nAutofix (biome): 3 files fixed — no repair round needed',
    );
    const none = { ...autofix, files: [] };
    expect(
      renderPullRequestBody({ ...base, validation: { ...base.validation!, autofix: none } }),
    ).not.toContain('Autofix');
  });

  it('says what the browser saw of the running app: pages, the record created, and every problem', () => {
    const shot = (name: string, viewport: 'desktop' | 'phone') => ({
      file: `${name}-${viewport}.png`,
      name,
      viewport,
      width: 1280,
      height: 800,
      bytes: 30_000,
      blank: false,
    });
    const seen = {
      ok: true,
      durationMs: 9000,
      problems: [],
      sections: ['Recipes'],
      consoleErrors: [],
      screenshots: [
        shot('home', 'desktop'),
        shot('home', 'phone'),
        shot('recipes', 'desktop'),
        shot('recipes', 'phone'),
        shot('created', 'desktop'),
      ],
      smoke: { ok: true, detail: 'created "Smoke 1234" in Recipes' },
    };
    const body = renderPullRequestBody({ ...base, validation: { ...base.validation!, look: seen } });
    expect(body).toContain(
      'Seen running in Chromium: 2 pages at desktop and phone width (5 screenshots), no console errors.',
    );
    expect(body).toContain('Smoke check: created "Smoke 1234" in Recipes.');

    const broken = { ...seen, ok: false, smoke: { ok: false }, problems: ['The home page rendered <blank>'] };
    const failed = renderPullRequestBody({ ...base, validation: { ...base.validation!, look: broken } });
    expect(failed).toContain('with problems.');
    expect(failed).toContain('- The home page rendered &lt;blank&gt;');

    const notice = { ...seen, screenshots: [], notice: 'Screenshots skipped: no Chromium found.' };
    expect(renderPullRequestBody({ ...base, validation: { ...base.validation!, look: notice } })).toContain(
      'Screenshots skipped: no Chromium found.',
    );
  });
});
