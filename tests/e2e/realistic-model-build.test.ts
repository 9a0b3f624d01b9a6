import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startModelStandIn } from '../helpers/model-stand-in.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { runProcess } from '../helpers/run-process.js';
import { GAME_FILE, GAME_TEST_FILE, TIC_TAC_TOE } from '../helpers/realistic-game-app.js';
import { API_TEST_FILE, FIRST_DRAFT, MISTAKES, ROUTES_FILE } from '../helpers/realistic-model-app.js';
import { createRealisticModel, type RealisticModel } from '../helpers/realistic-model.js';
import { cliEnv, ensureTestDatabase, REPO_ROOT } from '../helpers/test-env.js';

/**
 * Issue #15's done-when: a model that is not Autonoma's offline generator — its own file layout, a
 * package.json with `^` ranges and no lockfile, one type error and one failing test on its first
 * draft — goes through `autonoma build` over the real OpenAI and Anthropic wire formats. Autonoma
 * resolves the lockfile, validates in the sandbox, sends each failure to the agent that wrote the
 * file, and delivers a pull request whose branch, cloned fresh, passes the app's own checks. A model
 * that never fixes its mistake ends the job within the repair limit with the step, file, error and
 * spend. Every run shares one AUTONOMA_DATA_DIR, so the dependency set is installed once.
 */
const API_KEY = 'sk-standin-realistic-4d2b8e61a0c9';
const PROMPT = 'a bookmarks app: save links with a title, notes and tags, search them and filter by tag';
const GAME_PROMPT = 'tic tac toe for two players on the same screen';
const [TYPE_ERROR, WRONG_TEST] = MISTAKES as [(typeof MISTAKES)[number], (typeof MISTAKES)[number]];

let work: string;

beforeAll(async () => {
  await ensureTestDatabase();
  work = await tempDir('autonoma-realistic-e2e-');
  // Root runs each sandboxed step as an unprivileged uid, which must be able to enter the data dir.
  await chmod(work, 0o755);
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true, maxRetries: 5 });
});

interface BuildSummary {
  status: string;
  error?: { code: string; message: string };
  entities?: string[];
  outline?: string;
  repository?: { forge: string; location: string };
  branch?: string;
  pullRequest?: { number: number };
  validation?: Record<string, unknown> & {
    ok: boolean;
    repairRounds: number;
    lockfile?: { resolved: boolean; reason: string };
  };
  costUsd?: number;
}

/** The real CLI, not blocking this process: the stand-in answers from this event loop. */
async function build(
  provider: 'openai' | 'anthropic',
  model: RealisticModel,
  prompt = PROMPT,
): Promise<{
  summary: BuildSummary;
  status: number | null;
  requests: Array<{ path: string; status: number }>;
}> {
  const standIn = await startModelStandIn({ apiKey: API_KEY, provider: model.provider });
  try {
    const env =
      provider === 'openai'
        ? { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: standIn.openaiBaseUrl }
        : { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: standIn.anthropicBaseUrl };
    const result = await runProcess(
      process.execPath,
      [
        path.join(REPO_ROOT, 'bin/autonoma.js'),
        'build',
        prompt,
        '--json',
        '--out',
        path.join(work, `repos-${provider}`),
      ],
      {
        cwd: work,
        env: cliEnv(path.join(work, 'data'), env),
      },
    );
    process.stdout.write(
      `autonoma build through ${provider} with the realistic model: ${result.durationMs} ms\n`,
    );
    expect(result.stderr).not.toContain('without a sandbox'); // validated in bubblewrap
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    return {
      summary: JSON.parse(lines[0]!) as BuildSummary,
      status: result.status,
      requests: standIn.requests.map((r) => ({ path: r.path, status: r.status })),
    };
  } finally {
    await standIn.close();
  }
}

async function clone(location: string, branch: string, name: string): Promise<string> {
  const dir = path.join(work, `clone-${name}`);
  const git = await runProcess('git', ['clone', '--quiet', '-b', branch, location, dir], {
    cwd: work,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp' },
  });
  expect(git.stderr).toBe('');
  expect(git.status).toBe(0);
  return dir;
}

/** The app's own checks in a fresh clone, the way a reviewer (or CI) would run them. */
async function runAppChecks(dir: string, name: string): Promise<void> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/tmp', CI: 'true', NO_COLOR: '1' };
  for (const args of [
    ['ci', '--no-audit', '--no-fund'],
    ['run', 'lint'],
    ['run', 'typecheck'],
    ['test'],
    ['run', 'build'],
  ]) {
    const step = await runProcess('npm', args, { cwd: dir, env });
    process.stdout.write(`fresh clone (${name}): npm ${args.join(' ')}: ${step.durationMs} ms\n`);
    if (step.status !== 0)
      throw new Error(`npm ${args.join(' ')} failed in the clone:\n${step.stdout}\n${step.stderr}`);
  }
}

/** A fresh clone of the bookmarks branch: the model's own manifest, Autonoma's lockfile, the fixes. */
async function checkClone(location: string, branch: string, name: string): Promise<void> {
  const dir = await clone(location, branch, name);
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  expect(manifest.dependencies).toEqual({ express: '^5.1.0', zod: '^4.0.0' });
  expect(Object.values(manifest.devDependencies).every((range) => range.startsWith('^'))).toBe(true);
  const lock = JSON.parse(await readFile(path.join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  expect(lock.packages['node_modules/express']?.version).toMatch(/^5\./);
  expect(await readFile(path.join(dir, ROUTES_FILE), 'utf8')).toContain(TYPE_ERROR.fixed);
  expect(await readFile(path.join(dir, API_TEST_FILE), 'utf8')).toContain(WRONG_TEST.fixed);
  // The model replaced the starter: none of the starter's files it did not use is left behind.
  await expect(readFile(path.join(dir, 'vite.config.ts'), 'utf8')).rejects.toThrow(/ENOENT/);
  await runAppChecks(dir, name);
  await expect(readFile(path.join(dir, 'dist', 'server.js'), 'utf8')).resolves.toContain('createApp');
}

async function expectRepairedAndDelivered(provider: 'openai' | 'anthropic'): Promise<void> {
  const model = createRealisticModel({ fixesMistakes: true });
  const { summary, status, requests } = await build(provider, model);
  expect(summary.error).toBeUndefined();
  expect(status).toBe(0);
  expect(summary.status).toBe('succeeded');
  expect(summary.entities).toEqual(['Bookmark']);
  const endpoint = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const chat = requests.filter((r) => r.path !== '/v1/embeddings');
  expect(chat.every((r) => r.path === endpoint && r.status === 200)).toBe(true);

  // Typecheck failed first (the backend's type error), then the tests (the wrong expectation).
  const validation = summary.validation!;
  expect(validation.ok).toBe(true);
  expect(validation.repairRounds).toBe(2);
  for (const step of ['syntax', 'workflows', 'install', 'lint', 'typecheck', 'test', 'build'])
    expect(validation[step]).toMatchObject({ ok: true });

  // Each repair went to the agent that wrote the failing file, showing it the error and the code.
  expect(model.repairs.map((r) => [r.agent, r.repair.step])).toEqual([
    ['backend', 'typecheck'],
    ['testing', 'test'],
  ]);
  const [typecheck, test] = model.repairs.map((r) => r.repair);
  expect(typecheck!.output).toContain(`${ROUTES_FILE}(14,`);
  expect(typecheck!.output).toMatch(TYPE_ERROR.symptom);
  expect(typecheck!.excerpts?.[0]).toMatchObject({ file: ROUTES_FILE, line: 14 });
  expect(typecheck!.excerpts?.[0]?.code).toContain(`>   14 | ${TYPE_ERROR.broken}`);
  expect(test!.output).toMatch(WRONG_TEST.symptom);
  expect(test!.output).toContain(API_TEST_FILE);
  expect(test!.excerpts?.[0]).toMatchObject({ file: API_TEST_FILE });
  expect(test!.excerpts?.[0]?.code).toContain(WRONG_TEST.broken);
  // The tool loop, turn by turn: architecture looks, replaces the starter, answers; a repair reads, writes, answers.
  expect(Object.fromEntries(model.calls)).toMatchObject({ architecture: 3, backend: 5, testing: 5 });
  expect(model.repairWrites).toEqual([
    { agent: 'backend', file: ROUTES_FILE, changed: true },
    { agent: 'testing', file: API_TEST_FILE, changed: true },
  ]);

  expect(summary.repository?.forge).toBe('local');
  expect(summary.pullRequest?.number).toBe(1);
  expect(summary.costUsd).toBeGreaterThan(0);
  await checkClone(summary.repository!.location, summary.branch!, provider);

  // The model never wrote a lockfile: the one on the branch is Autonoma's, and the result says so.
  expect(
    Object.values(FIRST_DRAFT)
      .flat()
      .map(([file]) => file),
  ).not.toContain('package-lock.json');
  expect(validation.lockfile).toMatchObject({
    resolved: true,
    reason: expect.stringContaining('no package-lock.json'),
  });
  const body = await readFile(`${summary.repository!.location}.PULL_REQUEST.md`, 'utf8');
  expect(body).toContain('`package-lock.json` was resolved by Autonoma from `package.json`');
}

async function expectGameDelivered(provider: 'openai' | 'anthropic'): Promise<void> {
  const model = createRealisticModel({ fixesMistakes: true, app: TIC_TAC_TOE });
  const { summary, status, requests } = await build(provider, model, GAME_PROMPT);
  expect(summary.error).toBeUndefined();
  const endpoint = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const chat = requests.filter((r) => r.path !== '/v1/embeddings');
  expect(chat.length).toBeGreaterThan(0);
  expect(chat.every((r) => r.path === endpoint && r.status === 200)).toBe(true);
  expect(status).toBe(0);
  expect(summary.status).toBe('succeeded');
  // No entities: the game is described by its page, component and rules.
  expect(summary.entities).toEqual([]);
  expect(summary.outline).toBe('1 page: Game (/); 1 component: GameBoard; 5 behaviours');
  const validation = summary.validation!;
  expect(validation.ok).toBe(true);
  expect(validation.repairRounds).toBe(2);
  // Built on the locked starter with no new dependency: Autonoma resolved nothing.
  expect(validation.lockfile).toBeUndefined();
  expect(model.repairs.map((r) => [r.agent, r.repair.step])).toEqual([
    ['frontend', 'typecheck'],
    ['testing', 'test'],
  ]);
  const [typecheck] = model.repairs.map((r) => r.repair);
  expect(typecheck!.excerpts?.[0]).toMatchObject({ file: GAME_FILE });
  // Architecture looked at the workspace, read the starter, wrote its README, answered.
  expect(model.calls.get('architecture')).toBe(4);

  const dir = await clone(summary.repository!.location, summary.branch!, `game-${provider}`);
  const [winLine, expectation] = TIC_TAC_TOE.mistakes;
  expect(await readFile(path.join(dir, GAME_FILE), 'utf8')).toContain(winLine!.fixed);
  expect(await readFile(path.join(dir, GAME_TEST_FILE), 'utf8')).toContain(expectation!.fixed);
  await runAppChecks(dir, `game-${provider}`);
  await expect(readFile(path.join(dir, 'dist', 'client', 'index.html'), 'utf8')).resolves.toContain(
    '<div id="root">',
  );
  const body = await readFile(`${summary.repository!.location}.PULL_REQUEST.md`, 'utf8');
  expect(body).toContain('**What it does**');
  expect(body).toContain('Three marks in a row, column or diagonal win and end the game');
  expect(body).toContain('GameBoard');
  expect(body).not.toContain('| Entity | Fields |');
}

describe('autonoma build with a realistic model (own scaffold, ranges, no lockfile, two mistakes)', () => {
  it('OpenAI wire format: repaired in two rounds and delivered; the branch passes npm ci, lint, typecheck, test, build', async () => {
    await expectRepairedAndDelivered('openai');
  }, 600_000);

  // The Anthropic wire format goes through the same path with the game below (a second bookmarks
  // build over Anthropic cost CI ~90 s and checked nothing the two builds here do not).
  it('Anthropic wire format, a non-CRUD app (tic-tac-toe) built on the starter: repaired twice, delivered, the branch passes its checks', async () => {
    await expectGameDelivered('anthropic');
  }, 600_000);

  it('a model that never fixes its type error: the job fails within the repair limit naming step, file, error and spend', async () => {
    const model = createRealisticModel({ fixesMistakes: false });
    const { summary, status } = await build('openai', model);
    expect(status).not.toBe(0);
    expect(summary.status).toBe('failed');
    expect(summary.pullRequest).toBeUndefined();
    expect(model.repairs.map((r) => [r.agent, r.repair.step])).toEqual([['backend', 'typecheck']]);
    expect(model.repairWrites).toEqual([{ agent: 'backend', file: ROUTES_FILE, changed: false }]);
    const message = summary.error?.message ?? '';
    expect(summary.error?.code).toBe('validation_failed');
    expect(message).toMatch(
      /failed validation at the typecheck step in src\/bookmarks\/routes\.ts:14 and repair round 1 by backend changed no file, so no pull request was opened \(spent \$\d+\.\d{2}, \d+ tokens\)/,
    );
    expect(message).toMatch(TYPE_ERROR.symptom);
  }, 600_000);
});
