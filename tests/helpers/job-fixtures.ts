import { randomUUID } from 'node:crypto';
import type {
  GenerationRequest,
  JobResult,
  ValidGenerationRequestInput,
} from '../../src/core/domain/request.js';
import { GenerationRequestInputSchema } from '../../src/core/domain/request.js';

export function requestInput(
  overrides: Partial<ValidGenerationRequestInput> = {},
): ValidGenerationRequestInput {
  return GenerationRequestInputSchema.parse({
    kind: 'build',
    prompt: 'a todo app with tags',
    source: 'cli',
    thread: { platform: 'cli' },
    idempotencyKey: `test:${randomUUID()}`,
    ...overrides,
  });
}

export function fakeResult(request: GenerationRequest, overrides: Partial<JobResult> = {}): JobResult {
  return {
    requestId: request.id,
    appName: 'Todo',
    slug: 'todo',
    entities: ['Task', 'Tag'],
    files: 3,
    timingsMs: { requirements: 1 },
    tokens: { input: 10, output: 20 },
    costUsd: 0,
    reviewSummary: 'Built Todo.',
    ...overrides,
  };
}
