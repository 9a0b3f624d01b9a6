import type { FileMap } from '../domain/files.js';

/**
 * Binary (non-UTF-8) files travel inside a FileMap as this prefix followed by base64: a text file never
 * starts with NUL, so the two cannot be confused, and `readBranch` returns binaries the same way.
 */
export const BINARY_FILE_PREFIX = '\u0000base64:';

export function encodeBinaryFile(bytes: Uint8Array): string {
  return BINARY_FILE_PREFIX + Buffer.from(bytes).toString('base64');
}

/** The bytes a FileMap entry stands for, and whether it is a binary file. */
export function decodeFileContent(content: string): { bytes: Buffer; binary: boolean } {
  return content.startsWith(BINARY_FILE_PREFIX)
    ? { bytes: Buffer.from(content.slice(BINARY_FILE_PREFIX.length), 'base64'), binary: true }
    : { bytes: Buffer.from(content, 'utf8'), binary: false };
}

/** `ensureComment` bodies always contain their marker, hidden as an HTML comment when not already in it. */
export function commentBodyWithMarker(body: string, marker: string): string {
  if (body.includes(marker)) return body;
  return `${body}\n\n${marker.startsWith('<!--') ? marker : `<!-- ${marker} -->`}`;
}

/** What an idempotent `ensure*` write did: found it as wanted, created it, or updated it. */
export type EnsureOutcome = 'unchanged' | 'created' | 'updated';

export interface RepositoryRef {
  forge: string;
  /** `owner/name` on GitHub; the directory name for the local forge. */
  fullName: string;
  /** Browser URL on GitHub; absolute path for the local forge. */
  location: string;
  defaultBranch: string;
}

export interface EnsureRepositoryInput {
  name: string;
  description: string;
  topics: string[];
  private: boolean;
  /** Marker stored with the repository proving Autonoma created it (e.g. in its description/topics). */
  requestId: string;
}

export interface CommitInput {
  repo: RepositoryRef;
  branch: string;
  /** Branch the new branch starts from, when it does not exist yet. */
  baseBranch: string;
  message: string;
  /** The complete tree of the app: files absent here are deleted from the branch. */
  files: FileMap;
  author?: { name: string; email: string };
}

export interface CommitResult {
  sha: string;
  outcome: EnsureOutcome;
}

export interface PullRequestRef {
  number: number;
  url: string;
  title: string;
  branch: string;
  baseBranch: string;
  state: 'open' | 'closed' | 'merged';
}

export interface EnsurePullRequestInput {
  repo: RepositoryRef;
  branch: string;
  baseBranch: string;
  title: string;
  body: string;
  labels: string[];
}

export interface ReviewComment {
  id: number;
  author: string;
  body: string;
  path?: string;
  line?: number;
  inReplyToId?: number;
  createdAt: string;
}

export interface Review {
  id: number;
  author: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  body: string;
  submittedAt: string;
}

export interface CommitStatusInput {
  repo: RepositoryRef;
  sha: string;
  name: string;
  state: 'pending' | 'success' | 'failure';
  summary: string;
  details?: string;
}

/**
 * Where finished apps land. Every write is idempotent (find first, then create or update), so a job
 * retried after a crash at any point ends with the same repository, branch and pull request.
 */
export interface Forge {
  readonly name: string;
  ensureRepository(input: EnsureRepositoryInput): Promise<{ repo: RepositoryRef; outcome: EnsureOutcome }>;
  ensureInitialCommit(repo: RepositoryRef, files: FileMap): Promise<{ sha: string; outcome: EnsureOutcome }>;
  commitFiles(input: CommitInput): Promise<CommitResult>;
  /** Current files of a branch (for iterations), or null if the branch does not exist. */
  readBranch(repo: RepositoryRef, branch: string): Promise<FileMap | null>;
  ensurePullRequest(
    input: EnsurePullRequestInput,
  ): Promise<{ pullRequest: PullRequestRef; outcome: EnsureOutcome }>;
  /** Create or edit in place the single comment on `issueNumber` whose body contains `marker`. */
  ensureComment(
    repo: RepositoryRef,
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<{ id: number; outcome: EnsureOutcome }>;
  listReviewComments(repo: RepositoryRef, pullNumber: number): Promise<ReviewComment[]>;
  listReviews(repo: RepositoryRef, pullNumber: number): Promise<Review[]>;
  replyToReviewComment(
    repo: RepositoryRef,
    pullNumber: number,
    commentId: number,
    body: string,
  ): Promise<void>;
  setCommitStatus(input: CommitStatusInput): Promise<void>;
  /**
   * Where an image committed at `path` on `branch` is shown from the pull request body (screenshots):
   * a web URL on GitHub, a path beside the PULL_REQUEST.md for the local forge.
   */
  imageUrl(repo: RepositoryRef, branch: string, path: string): string;
}

/** Where the running app's screenshots are committed on the pull request branch. */
export const SCREENSHOTS_DIR = '.autonoma/screenshots';
