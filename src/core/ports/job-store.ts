import type { GenerationRequest, JobResult, ValidGenerationRequestInput } from '../domain/request.js';

export interface AgentRunRecord {
  requestId: string;
  agentType: string;
  attempt: number;
  model: string | null;
}

export interface AgentRunFinish {
  status: 'succeeded' | 'failed' | 'cancelled';
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  error?: string;
  results?: unknown;
}

/** One agent run as stored, for the job page's per-agent time, tokens and cost. */
export interface AgentRunSummary {
  agentType: string;
  attempt: number;
  model: string | null;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  startedAt: Date;
  /** Null while the run is still going. */
  durationMs: number | null;
}

export interface ComponentRecord {
  path: string;
  contentHash: string;
  bytes: number;
  agent: string;
}

export interface PullRequestRecord {
  requestId: string;
  forge: string;
  repo: string;
  repoUrl: string;
  number: number;
  url: string;
  title: string;
  body: string;
  branch: string;
  baseBranch: string;
  headSha: string | null;
}

/** Persistence of requests, agent runs and their outputs. */
export interface JobStore {
  /** Stores the request unless one with the same idempotency key exists; returns the stored one. */
  createRequest(
    input: ValidGenerationRequestInput,
  ): Promise<{ request: GenerationRequest; created: boolean }>;
  getRequest(id: string): Promise<GenerationRequest | null>;
  listRequests(options: {
    limit: number;
    status?: GenerationRequest['status'];
    /** Only requests from this workspace, server, installation or MCP tenant. */
    installation?: { platform: GenerationRequest['source']; externalId: string };
  }): Promise<GenerationRequest[]>;
  /** Null when the request was cancelled meanwhile (it must not run). */
  markRunning(id: string): Promise<GenerationRequest | null>;
  updateProgress(id: string, stage: string, percent: number): Promise<void>;
  markSucceeded(id: string, result: JobResult): Promise<void>;
  markFailed(id: string, code: string, message: string): Promise<void>;
  markCancelled(id: string, message: string): Promise<void>;
  /** Cancels the request only if no worker has picked it up yet; false if one has. */
  cancelIfQueued(id: string, message: string): Promise<boolean>;
  /** Back to queued, for a retry requested by a user after a failure. */
  markQueued(id: string): Promise<void>;
  updateThread(id: string, thread: GenerationRequest['thread']): Promise<void>;
  /** Newest request whose stored thread reference contains every given key/value. */
  findRequestByThread(match: Record<string, unknown>): Promise<GenerationRequest | null>;
  startAgentRun(run: AgentRunRecord): Promise<string>;
  finishAgentRun(sessionId: string, finish: AgentRunFinish): Promise<void>;
  /** A request's agent runs, oldest first (at most `limit`, default 500). */
  listAgentRuns(requestId: string, limit?: number): Promise<AgentRunSummary[]>;
  appendAgentLog(sessionId: string, level: string, message: string, data?: unknown): Promise<void>;
  recordComponents(requestId: string, components: ComponentRecord[]): Promise<void>;
  recordPullRequest(record: PullRequestRecord): Promise<void>;
  findPullRequest(forge: string, repo: string, branch: string): Promise<PullRequestRecord | null>;
}
