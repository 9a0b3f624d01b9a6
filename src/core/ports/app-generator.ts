import type { FileMap } from '../domain/files.js';
import type { AppScreenshot, GenerationRequest, ValidationReport } from '../domain/request.js';
import type { Spec } from '../domain/spec.js';
import type { JobStore } from './job-store.js';
import type { ProgressReporter } from './progress-reporter.js';

export interface AgentRunSummary {
  agent: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  durationMs: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  model: string;
  attempts: number;
}

export interface GenerationOutput {
  spec: Spec;
  files: FileMap;
  validation: ValidationReport;
  agentRuns: AgentRunSummary[];
  api: string[];
  pages: string[];
  reviewSummary: string;
  reviewChecklist: string[];
  /** Which agent wrote each file. */
  fileOwners: Record<string, string>;
  /** For iterations: what the change request changed, and what it could not do. */
  change?: { applied: string[]; unhandled: string[] };
  /** The running app as headless Chromium saw it in the last validation round (when a browser was found). */
  screenshots?: AppScreenshot[];
}

export interface GenerateInput {
  request: GenerationRequest;
  /** Empty directory the agents work in (their tools are jailed to it). */
  workspaceDir: string;
  /** For iterations: the app as it is on the pull request branch. */
  baseFiles?: FileMap;
  signal: AbortSignal;
  progress: ProgressReporter;
  recorder: Pick<JobStore, 'startAgentRun' | 'finishAgentRun' | 'appendAgentLog'>;
}

/** The agent team: prompt (or app + change request) in, validated files out. */
export interface AppGenerator {
  generate(input: GenerateInput): Promise<GenerationOutput>;
}
