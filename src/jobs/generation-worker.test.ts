import { afterAll, expect, it } from '@jest/globals';
import { memoryLogger, TEST_REDIS_URL, uniquePrefix } from '../../tests/helpers/test-env.js';
import { startGenerationWorker } from './generation-worker.js';

const { logger, lines } = memoryLogger('info');
const worker = startGenerationWorker({
  connection: { url: TEST_REDIS_URL },
  prefix: uniquePrefix(),
  concurrency: 1,
  processor: async () => null,
  logger,
});
afterAll(async () => {
  await worker.close({ graceMs: 1000 });
});

it("logs BullMQ's lapsed-lock notice as a warning and real worker errors as errors", () => {
  worker.worker.emit('error', new Error('could not renew lock for job gen-1'));
  worker.worker.emit('error', new Error('Connection is closed.'));
  const levels = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  expect(levels).toEqual([
    expect.objectContaining({ level: 40, msg: 'job lock not renewed; the job will be checked for a stall' }),
    expect.objectContaining({ level: 50, msg: 'worker error' }),
  ]);
});
