import type { FileMap } from '../../../core/domain/files.js';

/**
 * What the job page needs of the preview manager (agents/preview/preview-manager.ts, wired in
 * main.ts): the adapter names the shape, the agent provides it.
 */
export interface PreviewStatusView {
  state: 'starting' | 'running' | 'failed' | 'stopped';
  revision: string;
  startedAt: number;
  expiresAt: number;
  message?: string;
}

export interface PreviewSourceInput {
  /** Names the branch (forge, repository, branch). */
  key: string;
  /** Its head commit as far as this job knows. */
  revision: string;
  /** The branch's files at `revision` (the manager may ask for a newer head than the job's own). */
  load(revision: string): Promise<FileMap | undefined>;
}

export interface JobPreviews {
  start(
    jobId: string,
    source: PreviewSourceInput,
  ): { ok: true; status: PreviewStatusView } | { ok: false; message: string };
  stop(jobId: string, why?: string): Promise<void>;
  status(jobId: string): PreviewStatusView | undefined;
  socketOf(jobId: string): string | undefined;
  refresh(source: PreviewSourceInput): void;
  close(): Promise<void>;
}
