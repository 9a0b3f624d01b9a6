/**
 * `autonoma build` as wired by the CLI, on real Postgres and Redis under a queue prefix of its own:
 * its in-process worker runs only the request it submitted (another client's job in the same queue is
 * left waiting), `--no-worker` waits for a real worker, Ctrl-C cancels, and a failure is one readable
 * error while refusals are logged as answers, not faults.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runBuild, type BuildDeps } from '../../src/adapters/cli/run-build.js';
import { AutonomaError, InvalidInputError } from '../../src/core/errors.js';
import type { AppGenerator } from '../../src/core/ports/app-generator.js';
import { generationJobId } from '../../src/jobs/generation-queue.js';
import {
  createRuntime,
  createService,
  startOwnBuildWorker,
  startWorker,
  type Runtime,
} from '../../src/main.js';
import { requestInput } from '../helpers/job-fixtures.js';
import { tempDir } from '../helpers/pipeline-fixtures.js';
import { offlineTeam } from '../helpers/offline-team.js';
import { ensureTestDatabase, memoryLogger, testConfig, uniquePrefix } from '../helpers/test-env.js';

/** The offline agent team without npm: this file is about the build's wiring, not the app. */
const offlineTeamNoNpm: AppGenerator = offlineTeam();

/** A team that works until it is told to stop. */
const untilCancelled: AppGenerator = {
  generate: ({ signal }) =>
    new Promise((_, reject) => {
      // The cancel may land while the runner is still setting up, before this is called.
      if (signal.aborted) reject(signal.reason as Error);
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
    }),
};

const failingWith = (error: Error): AppGenerator => ({
  generate: () => Promise.reject(error),
});

let work: string;
let runtime: Runtime;
let prefix: string;
const memory = memoryLogger('info');

beforeAll(async () => {
  await ensureTestDatabase();
  work = await tempDir('autonoma-cli-build-');
  prefix = uniquePrefix();
  runtime = await createRuntime(
    testConfig({ AUTONOMA_QUEUE_PREFIX: prefix, AUTONOMA_DATA_DIR: path.join(work, 'data') }),
    memory.logger,
  );
});

afterAll(async () => {
  await runtime.producer.queue.obliterate({ force: true });
  await runtime.close();
  await rm(work, { recursive: true, force: true });
});

function terminal() {
  const out = { stdout: '', stderr: '' };
  const io: BuildDeps['terminal'] = {
    stdout: (text) => (out.stdout += text),
    stderr: (text) => (out.stderr += text),
    isTTY: false,
  };
  return { out, io };
}

async function waitForStatus(id: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await runtime.store.getRequest(id))?.status !== status) {
    if (Date.now() > deadline) throw new Error(`request ${id} never became ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs one build with its own worker, as `autonoma build` does, and stops the worker after. */
async function buildWithOwnWorker(
  generator: AppGenerator,
  prompt: string,
  options: { interrupt?: AbortSignal; logFile?: string } = {},
) {
  const own = await startOwnBuildWorker(runtime, { generator, outDir: path.join(work, 'repos') });
  const { out, io } = terminal();
  try {
    const code = await runBuild(
      {
        input: requestInput({ prompt }),
        json: false,
        inProcess: true,
        ...(options.logFile ? { logFile: options.logFile } : {}),
      },
      {
        service: own.service,
        bus: runtime.bus,
        terminal: io,
        pollMs: 200,
        ...(options.interrupt ? { interrupt: options.interrupt } : {}),
      },
    );
    return { code, ...out };
  } finally {
    await own.close(5_000);
  }
}

const requestIdIn = (stderr: string) => /Request ([0-9a-f-]{36}) queued/.exec(stderr)?.[1] ?? '';

describe('autonoma build with its in-process worker', () => {
  it("runs only its own request: another client's job waiting in the same queue is left alone", async () => {
    const other = await createService(runtime).submit(
      requestInput({
        prompt: 'a habit tracker',
        source: 'mcp',
        thread: { platform: 'mcp', clientName: 'another client' },
      }),
    );
    const otherJob = generationJobId(other.request.idempotencyKey);
    expect(await runtime.producer.queue.getJobState(otherJob)).toBe('waiting');

    const build = await buildWithOwnWorker(offlineTeamNoNpm, 'a todo app with tags');

    expect(build.code).toBe(0);
    expect(build.stdout).toContain('is ready');
    expect((await runtime.store.getRequest(requestIdIn(build.stderr)))?.status).toBe('succeeded');
    // The other client's job: never picked up, still first in line for a real worker.
    expect(await runtime.producer.queue.getJobState(otherJob)).toBe('waiting');
    expect((await runtime.store.getRequest(other.request.id))?.status).toBe('queued');
    expect(await runtime.producer.queue.getWaitingCount()).toBe(1);
    // The build's own queue went with it.
    expect(await runtime.redis.keys(`${prefix}:generation-own-*`)).toEqual([]);
    await runtime.producer.queue.remove(otherJob);
  }, 60_000);

  it('cancels the build on Ctrl-C and ends once the worker has stopped it', async () => {
    const interrupt = new AbortController();
    const prompt = `a reading list ${randomUUID()}`;
    const pending = buildWithOwnWorker(untilCancelled, prompt, { interrupt: interrupt.signal });
    // Wait until the worker runs it, then press Ctrl-C.
    const deadline = Date.now() + 20_000;
    let id: string | undefined;
    while (!id && Date.now() < deadline) {
      const running = await runtime.prisma.generationRequest.findFirst({
        where: { prompt, status: 'running' },
      });
      id = running?.id;
      if (!id) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(id).toBeDefined();
    interrupt.abort();
    const build = await pending;
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('Cancelling…');
    expect(build.stderr).toContain('– Cancelled: Cancelled at your request.');
    expect((await runtime.store.getRequest(id!))?.status).toBe('cancelled');
  }, 60_000);

  it('ends a failure with the reason once and where the details are; the progress lines leave it out', async () => {
    const reason = 'The requirements stage failed: the model provider is down for maintenance.';
    const build = await buildWithOwnWorker(
      failingWith(new AutonomaError('agent_failed', reason)),
      'a plant watering log',
      { logFile: '/var/log/autonoma-build.log' },
    );
    expect(build.code).toBe(1);
    expect(build.stdout).toBe('');
    expect(build.stderr.split(reason)).toHaveLength(2);
    expect(build.stderr).toContain(`✖ Failed: ${reason}\n`);
    expect(build.stderr).toContain('  Details:    /var/log/autonoma-build.log\n');
    expect(build.stderr).toMatch(/\[\s*\d+%\] failed\n/);
    // A real failure is logged as one, with its stack.
    const id = requestIdIn(build.stderr);
    const logged = memory.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const failure = logged.find((l) => l.requestId === id && l.msg === 'generation failed');
    expect(failure?.level).toBe(50);
    expect(JSON.stringify(failure?.err)).toContain('"stack"');
  }, 60_000);

  it('logs a refusal of the request as a warning without a stack, not as an error, and names no log', async () => {
    const refusal = 'Offline mode builds data apps; "tic tac toe" is a game: set OPENAI_API_KEY.';
    const build = await buildWithOwnWorker(failingWith(new InvalidInputError(refusal)), 'tic tac toe', {
      logFile: '/var/log/autonoma-build.log',
    });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain(`✖ Failed: ${refusal}`);
    expect(build.stderr).not.toContain('Details:'); // the reason is all there is to know
    const id = requestIdIn(build.stderr);
    const lines = memory.lines
      .filter((l) => l.includes(id))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const refused = lines.find((l) => l.msg === 'generation refused');
    expect(refused).toMatchObject({ level: 40, code: 'invalid_input', reason: refusal });
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(lines.some((l) => JSON.stringify(l).includes('"stack"'))).toBe(false);
  }, 60_000);
});

describe('autonoma build --no-worker', () => {
  it('queues on the shared queue and waits for a real `autonoma worker`', async () => {
    const { out, io } = terminal();
    const pending = runBuild(
      { input: requestInput({ prompt: 'a book club with meetings' }), json: true, inProcess: false },
      { service: createService(runtime), bus: runtime.bus, terminal: io, pollMs: 200 },
    );
    // Nothing runs it until a worker on the shared queue starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runtime.producer.queue.getWaitingCount()).toBe(1);
    const worker = await startWorker(runtime, {
      concurrency: 1,
      generator: offlineTeamNoNpm,
      outDir: path.join(work, 'repos'),
    });
    try {
      expect(await pending).toBe(0);
    } finally {
      await worker.close(5_000);
    }
    const summary = JSON.parse(out.stdout) as { status: string; requestId: string };
    expect(summary.status).toBe('succeeded');
    await waitForStatus(summary.requestId, 'succeeded');
  }, 60_000);
});
