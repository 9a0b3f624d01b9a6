import { chmod, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AGENT_ROLES } from '../../src/agents/pipeline/agent-outputs.js';
import { startModelStandIn, type ModelStandIn } from '../helpers/model-stand-in.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { runProcess } from '../helpers/run-process.js';
import { cliEnv, ensureTestDatabase, REPO_ROOT, TEST_DATABASE_URL } from '../helpers/test-env.js';

/**
 * The done-when: with OPENAI_BASE_URL / ANTHROPIC_BASE_URL pointed at a stand-in that speaks
 * the real wire formats, `autonoma build` runs every agent through the official SDK code paths and
 * delivers the same validated app and pull request as offline, with tokens and cost recorded.
 * Real validation runs (npm ci, typecheck, tests, build of the generated app): both runs share one
 * AUTONOMA_DATA_DIR so the generated app's dependencies are installed once.
 */
const API_KEY = 'sk-standin-e2e-7c1f0a9b3d5e';
const PROMPT = 'a recipe app where users rate dishes';

let work: string;
let standIn: ModelStandIn;
let db: pg.Client;

beforeAll(async () => {
  await ensureTestDatabase();
  work = await tempDir('autonoma-provider-e2e-');
  // Root runs each sandboxed step as an unprivileged uid, which must be able to enter the data dir.
  await chmod(work, 0o755);
  standIn = await startModelStandIn({ apiKey: API_KEY });
  db = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await standIn?.close();
  if (work) await rm(work, { recursive: true, force: true, maxRetries: 5 });
});

interface BuildSummary {
  status: string;
  requestId: string;
  error?: { code: string; message: string };
  entities: string[];
  repository: { forge: string; location: string };
  branch: string;
  pullRequest: { number: number; title: string };
  validation: Record<string, { ok: boolean } | boolean | number>;
  tokens: { input: number; output: number };
  costUsd: number;
}

/** The real CLI, not blocking this process: the stand-in answers from this event loop. */
function build(out: string, env: Record<string, string>) {
  return runProcess(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/autonoma.js'), 'build', PROMPT, '--json', '--out', out],
    {
      cwd: work,
      env: cliEnv(path.join(work, 'data'), env),
      timeoutMs: 600_000,
    },
  );
}

async function expectDelivered(
  provider: 'openai' | 'anthropic',
  env: Record<string, string>,
  expectedModel: RegExp,
): Promise<void> {
  const before = standIn.requests.length;
  const out = path.join(work, `repos-${provider}`);
  const run = await build(out, env);
  process.stdout.write(`autonoma build through ${provider}: ${run.durationMs} ms\n`);
  expect(run.stderr).not.toMatch(/"level":50/);
  expect(run.stderr).not.toContain('without a sandbox'); // validated in bubblewrap
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const summary = JSON.parse(lines[0]!) as BuildSummary;
  expect(summary.error).toBeUndefined();
  expect(run.status).toBe(0);
  expect(summary.status).toBe('succeeded');
  expect(summary.entities).toEqual(expect.arrayContaining(['Recipe', 'Rating']));
  for (const step of ['syntax', 'install', 'lint', 'typecheck', 'test', 'build'])
    expect(summary.validation[step]).toMatchObject({ ok: true });
  expect(summary.repository.forge).toBe('local');
  expect(summary.branch).toMatch(/^autonoma\//);
  expect(summary.pullRequest.number).toBe(1);
  expect(summary.costUsd).toBeGreaterThan(0);
  expect(summary.tokens.input).toBeGreaterThan(0);
  expect(summary.tokens.output).toBeGreaterThan(0);

  // Every agent role went over the wire to this provider's endpoint, with the key, and got a 200.
  // (With an OpenAI key the worker also embeds its templates through /v1/embeddings.)
  const requests = standIn.requests.slice(before);
  const endpoint = provider === 'openai' ? '/v1/chat/completions' : '/v1/messages';
  const seen = requests.filter((r) => r.path !== '/v1/embeddings');
  expect(requests.every((r) => r.status === 200)).toBe(true);
  expect(seen.length).toBeGreaterThanOrEqual(AGENT_ROLES.length);
  expect(seen.every((r) => r.path === endpoint)).toBe(true);
  expect(new Set(seen.map((r) => r.agent))).toEqual(new Set(AGENT_ROLES));
  const headers = seen[0]?.headers ?? {};
  if (provider === 'openai') expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
  else {
    // @anthropic-ai/sdk 1.x sends the key as a bearer token; older versions as x-api-key.
    expect(headers['x-api-key'] === API_KEY || headers.authorization === `Bearer ${API_KEY}`).toBe(true);
    expect(headers['anthropic-version']).toBeTruthy();
  }
  expect(seen.every((r) => String(r.headers['user-agent']).length > 0)).toBe(true);

  // Per-agent tokens and cost as recorded by the worker, matching the usage the stand-in reported.
  const { rows } = await db.query<{
    agent_type: string;
    model: string | null;
    tokens_in: number;
    tokens_out: number;
    cost_usd: string;
  }>(
    `SELECT agent_type, model, tokens_in, tokens_out, cost_usd::text AS cost_usd
     FROM agent_sessions WHERE request_id = $1 AND status = 'succeeded'`,
    [summary.requestId],
  );
  expect(new Set(rows.map((r) => r.agent_type))).toEqual(new Set(AGENT_ROLES));
  for (const row of rows) {
    expect(row.tokens_in).toBeGreaterThan(0);
    expect(row.tokens_out).toBeGreaterThan(0);
    expect(Number(row.cost_usd)).toBeGreaterThan(0);
  }
  const recorded = rows.reduce((sum, r) => sum + r.tokens_in, 0);
  const reported = seen.reduce((sum, r) => sum + (r.usage?.inputTokens ?? 0), 0);
  expect(recorded).toBe(reported);
  expect(summary.tokens.input).toBe(reported);
  const { rows: sessions } = await db.query<{ results: { model?: string } | null }>(
    `SELECT results FROM agent_sessions WHERE request_id = $1 AND status = 'succeeded'`,
    [summary.requestId],
  );
  for (const session of sessions) expect(session.results?.model).toMatch(expectedModel);

  // The cost is shown in the pull request body.
  const body = await readFile(`${summary.repository.location}.PULL_REQUEST.md`, 'utf8');
  expect(body).toContain('## Time and cost');
  expect(body).toContain(`| $${summary.costUsd.toFixed(4)} |`);
  expect(body).not.toContain('| $0.0000 |\n');
}

describe('autonoma build through the real SDKs against a wire-format stand-in', () => {
  it('OpenAI (Chat Completions): chosen because OPENAI_API_KEY is set', async () => {
    await expectDelivered(
      'openai',
      { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: standIn.openaiBaseUrl },
      /^gpt-4\.1-2025-04-14$/,
    );
  }, 900_000);

  it('Anthropic (Messages, final answer through the final_answer tool)', async () => {
    await expectDelivered(
      'anthropic',
      { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: standIn.anthropicBaseUrl },
      /^claude-sonnet-4-6$/,
    );
  }, 900_000);
});
