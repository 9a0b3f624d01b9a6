import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Link, Stage } from '../../src/core/domain/progress.js';
import type { GenerationRequest, ValidationReport } from '../../src/core/domain/request.js';
import type { GenerateInput } from '../../src/core/ports/app-generator.js';
import type { AgentRunFinish, AgentRunRecord } from '../../src/core/ports/job-store.js';
import type { ProgressReporter } from '../../src/core/ports/progress-reporter.js';
import type { AppValidator } from '../../src/agents/pipeline/validation-gate.js';

export function buildRequest(prompt: string, overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'build',
    prompt,
    source: 'cli',
    thread: { platform: 'cli' },
    idempotencyKey: 'test:1',
    status: 'running',
    stage: null,
    percent: 0,
    errorCode: null,
    errorMessage: null,
    result: null,
    attempts: 1,
    parentRequestId: null,
    target: null,
    createdAt: new Date(0),
    startedAt: new Date(0),
    finishedAt: null,
    ...overrides,
  };
}

/** Keeps agent runs and progress in memory so a test can read what the pipeline recorded. */
export function recordingContext() {
  const runs: Array<AgentRunRecord & { id: string; finish?: AgentRunFinish }> = [];
  const logs: Array<{ sessionId: string; level: string; message: string }> = [];
  const events: Array<{
    kind: 'stage' | 'milestone';
    stage: Stage;
    state?: string;
    message: string;
    links?: Link[];
  }> = [];
  let cost = 0;
  const recorder: GenerateInput['recorder'] = {
    async startAgentRun(run) {
      const id = `run-${runs.length + 1}`;
      runs.push({ ...run, id });
      return id;
    },
    async finishAgentRun(id, finish) {
      const run = runs.find((r) => r.id === id);
      if (run) run.finish = finish;
    },
    async appendAgentLog(sessionId, level, message) {
      logs.push({ sessionId, level, message });
    },
  };
  const progress: ProgressReporter = {
    async stage(stage, state, message) {
      events.push({ kind: 'stage', stage, state, message });
    },
    async milestone(stage, message, links) {
      events.push({ kind: 'milestone', stage, message, ...(links ? { links } : {}) });
    },
    addCost(usd) {
      cost += usd;
    },
  };
  return { runs, logs, events, recorder, progress, cost: () => cost };
}

/** Skips npm: for tests about the pipeline's flow, not about the generated app (tested for real elsewhere). */
export const passingValidator: AppValidator = async () => {
  const step = { ok: true, durationMs: 1 };
  const report: ValidationReport = {
    ok: true,
    syntax: step,
    install: step,
    typecheck: step,
    test: step,
    build: step,
    repairRounds: 0,
  };
  return report;
};

export function tempDir(prefix = 'autonoma-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}
