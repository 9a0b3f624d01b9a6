import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import type { ProgressEvent } from '../../src/core/domain/progress.js';
import { InvalidInputError } from '../../src/core/errors.js';
import { createLogger } from '../../src/core/logger.js';
import type { JobResult } from '../../src/core/domain/request.js';
import type { GenerationRunner } from '../../src/core/ports/generation-runner.js';
import {
  createSecretRedactor,
  REDACTED,
  type SecretRedactor,
} from '../../src/core/secrets/secret-redactor.js';
import { createPrismaClient } from '../../src/core/storage/prisma.js';
import { createPrismaJobStore } from '../../src/core/storage/prisma-job-store.js';
import { createGenerationProducer, generationJobId } from '../../src/jobs/generation-queue.js';
import { createRedisProgressBus } from '../../src/jobs/redis-progress-bus.js';
import { fakeResult, requestInput } from '../helpers/job-fixtures.js';
import { startTestWorker } from '../helpers/test-worker.js';
import { ensureTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, uniquePrefix } from '../helpers/test-env.js';

const SECRET = 'sk-live-redaction-7c1f0e2d9b8a';
/** Minted while the job runs, like a GitHub installation token (not of GitHub's token shape). */
const RUNTIME_TOKEN = 'v1.runtime-installation-0a9b8c7d';
const LEAKED_FORMS = [
  SECRET,
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(SECRET).toString('hex'),
  RUNTIME_TOKEN,
];

const prisma = createPrismaClient(TEST_DATABASE_URL);
const store = createPrismaJobStore(prisma);
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });

beforeAll(async () => {
  await ensureTestDatabase();
});
afterAll(async () => {
  await redis.quit();
  await prisma.$disconnect();
});

function expectClean(text: string) {
  expect(text).toContain(REDACTED);
  for (const form of LEAKED_FORMS) expect(text).not.toContain(form);
}

/** A real worker whose processor redacts with one redactor, shared with its logger as in main.ts. */
async function harness(
  run: (...args: [...Parameters<GenerationRunner['run']>, SecretRedactor]) => Promise<JobResult>,
) {
  const prefix = uniquePrefix();
  const redactor = createSecretRedactor([SECRET]);
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    redactor,
    destination: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    }),
  });
  const producer = createGenerationProducer({ connection: redis, prefix, attempts: 1, backoffMs: 100 });
  const bus = createRedisProgressBus({ publisher: redis, namespace: prefix });
  const worker = await startTestWorker({
    store,
    bus,
    redis,
    namespace: prefix,
    logger,
    redact: redactor.redact,
    runner: { run: (request, context) => run(request, context, redactor) },
  });
  const { request } = await store.createRequest(requestInput());
  const events: ProgressEvent[] = [];
  const unsubscribe = await bus.subscribe(request.id, (event) => events.push(event));
  await producer.enqueue(request.id, request.idempotencyKey);
  return {
    request,
    events,
    lines,
    producer,
    async finished() {
      for (let i = 0; i < 200 && !events.some((e) => e.type === 'finished'); i += 1) {
        await new Promise((r) => setTimeout(r, 50));
      }
      return { stored: await store.getRequest(request.id), replayed: await bus.replay(request.id) };
    },
    async close() {
      await unsubscribe();
      await worker.close();
      await bus.close();
      await producer.queue.obliterate({ force: true });
      await producer.close();
    },
  };
}

describe('secrets never leave through a job', () => {
  it('redacts a failed job: stored error, progress events, the queue record and the logs', async () => {
    const h = await harness(async (_request, { progress }, redactor) => {
      // Learnt while running (as the forge learns installation tokens), by the worker's redactor.
      redactor.add(RUNTIME_TOKEN);
      await progress.milestone('requirements', `Read the key ${SECRET} from the prompt`, [
        { label: 'Preview', url: `https://preview.test/?key=${encodeURIComponent(SECRET)}` },
      ]);
      await progress.stage('validation', 'failed', `npm ERR! 401 for ${Buffer.from(SECRET).toString('hex')}`);
      throw new InvalidInputError(
        `Login failed with ${SECRET} (Basic ${Buffer.from(SECRET).toString('base64')}, ` +
          `hex ${Buffer.from(SECRET).toString('hex')}, token ${RUNTIME_TOKEN})`,
      );
    });
    try {
      const { stored, replayed } = await h.finished();
      expect(stored?.status).toBe('failed');
      expect(stored?.errorMessage).toBe(
        `Login failed with ${REDACTED} (Basic ${REDACTED}, hex ${REDACTED}, token ${REDACTED})`,
      );
      for (const events of [h.events, replayed]) {
        expect(events.map((e) => e.type)).toEqual(['stage', 'milestone', 'stage', 'finished']);
        expectClean(JSON.stringify(events));
      }
      expect(h.events.find((e) => e.type === 'milestone')).toMatchObject({
        message: `Read the key ${REDACTED} from the prompt`,
        links: [{ label: 'Preview', url: `https://preview.test/?key=${REDACTED}` }],
      });
      const job = await h.producer.queue.getJob(generationJobId(h.request.idempotencyKey));
      expectClean(JSON.stringify({ reason: job?.failedReason, stack: job?.stacktrace }));
      expectClean(h.lines.join(''));
    } finally {
      await h.close();
    }
  });

  it('redacts a succeeded job: the stored result and the finished message', async () => {
    const h = await harness(async (request) =>
      fakeResult(request, {
        reviewSummary: `Built Todo. Set OPENAI_API_KEY=${SECRET} in production.`,
        validation: {
          ok: true,
          repairRounds: 0,
          syntax: { ok: true, durationMs: 1 },
          install: {
            ok: true,
            durationMs: 2,
            output: `npm http fetch ${Buffer.from(SECRET).toString('base64')}`,
          },
        },
      }),
    );
    try {
      const { stored } = await h.finished();
      expect(stored?.status).toBe('succeeded');
      expect(stored?.result?.reviewSummary).toBe(`Built Todo. Set OPENAI_API_KEY=${REDACTED} in production.`);
      expect(stored?.result?.validation?.install?.output).toBe(`npm http fetch ${REDACTED}`);
      expectClean(JSON.stringify(stored));
      expectClean(JSON.stringify(h.events.find((e) => e.type === 'finished')));
    } finally {
      await h.close();
    }
  });
});
