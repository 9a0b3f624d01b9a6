/**
 * The real `autonoma build` (bin/autonoma.js, a child process) with a wrong API key against the model
 * stand-in: the terminal gets the progress and one readable error naming the fix; the logs, stacks
 * included, go to the file that error names (or to stderr with --verbose). Another client's job,
 * waiting in the same queue all along, is left alone.
 */
import { existsSync } from 'node:fs';
import { chmod, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generationJobId } from '../../src/jobs/generation-queue.js';
import { createRuntime, createService, type Runtime } from '../../src/main.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { startModelStandIn, type ModelStandIn } from '../helpers/model-stand-in.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { runProcess } from '../helpers/run-process.js';
import { cliEnv, ensureTestDatabase, memoryLogger, REPO_ROOT, testConfig } from '../helpers/test-env.js';

const WRONG_KEY = 'sk-wrong-4f1e9c2a7b3d';

let work: string;
let standIn: ModelStandIn;
let env: Record<string, string | undefined>;
let runtime: Runtime;

beforeAll(async () => {
  await ensureTestDatabase();
  work = await tempDir('autonoma-cli-errors-');
  // Root runs each sandboxed step as an unprivileged uid, which must be able to enter the data dir.
  await chmod(work, 0o755);
  standIn = await startModelStandIn({ apiKey: 'sk-right-8d2c5a1f6e0b' });
  env = cliEnv(path.join(work, 'data'), {
    OPENAI_API_KEY: WRONG_KEY,
    OPENAI_BASE_URL: standIn.openaiBaseUrl,
  });
  runtime = await createRuntime(
    testConfig({ AUTONOMA_QUEUE_PREFIX: env.AUTONOMA_QUEUE_PREFIX! }),
    memoryLogger('silent').logger,
  );
});

afterAll(async () => {
  await runtime?.producer.queue.obliterate({ force: true });
  await runtime?.close();
  await standIn?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const build = (...args: string[]) =>
  runProcess(
    process.execPath,
    [path.join(REPO_ROOT, 'bin/autonoma.js'), 'build', 'a todo app with tags', ...args],
    { cwd: work, env, timeoutMs: 120_000 },
  );

describe('autonoma build with a wrong API key', () => {
  it("prints progress and one short error naming the fix and the log file; another client's queued job is untouched", async () => {
    const other = await createService(runtime).submit(
      requestInput({ prompt: 'a habit tracker', source: 'mcp', thread: { platform: 'mcp' } }),
    );
    const otherJob = generationJobId(other.request.idempotencyKey);

    const run = await build();

    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('[  2%] Requirements: started');
    expect(run.stderr).toContain(
      '✖ Failed: The requirements stage failed: OPENAI_API_KEY was rejected by OpenAI',
    );
    expect(run.stderr).toContain('Check the key, or OPENAI_BASE_URL');
    // No log lines, no stacks: the error is said once, and the secret is nowhere.
    expect(run.stderr.split('OPENAI_API_KEY was rejected')).toHaveLength(2);
    expect(run.stderr).not.toContain('{"level"');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toContain(WRONG_KEY);
    expect(run.stderr.length).toBeLessThan(1200);

    const logFile = /Details:\s+(\S+\.log)$/m.exec(run.stderr)?.[1];
    expect(logFile && path.dirname(logFile)).toBe(path.join(work, 'data', 'logs'));
    expect(existsSync(logFile!)).toBe(true);
    const log = await readFile(logFile!, 'utf8');
    expect(log).toContain('"msg":"generation failed"');
    expect(log).toContain('"stack":"AutonomaError: The requirements stage failed');
    expect(log).not.toContain(WRONG_KEY);

    expect(await runtime.producer.queue.getJobState(otherJob)).toBe('waiting');
    expect((await runtime.store.getRequest(other.request.id))?.status).toBe('queued');
  }, 150_000);

  it('with --verbose prints the logs on stderr instead, and writes no file', async () => {
    const logs = () => readdir(path.join(work, 'data', 'logs')).catch(() => []);
    const before = await logs();
    const run = await build('--verbose');
    expect(run.status).toBe(1);
    expect(await logs()).toEqual(before);
    expect(run.stderr).toContain('"msg":"generation failed"');
    expect(run.stderr).not.toContain('Details:');
    expect(run.stderr).not.toContain(WRONG_KEY);
  }, 150_000);
});
