import type { GenerationRequest, JobResult } from '../domain/request.js';
import type { ProgressReporter } from './progress-reporter.js';

export interface RunContext {
  signal: AbortSignal;
  progress: ProgressReporter;
  attempt: number;
}

/** Turns a stored request into a published result (agents, validation, forge), wired in main.ts. */
export interface GenerationRunner {
  run(request: GenerationRequest, context: RunContext): Promise<JobResult>;
}
