import { readFile, rename, writeFile } from 'node:fs/promises';
import type { CommitStatusInput, Review, ReviewComment } from '../../core/ports/forge.js';

export interface StoredComment {
  id: number;
  author: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredPullRequest {
  number: number;
  title: string;
  body: string;
  labels: string[];
  branch: string;
  base: string;
  state: 'open' | 'closed' | 'merged';
  createdAt: string;
  updatedAt: string;
  comments: StoredComment[];
  reviewComments: ReviewComment[];
  reviews: Review[];
}

export interface StoredStatus {
  sha: string;
  name: string;
  state: CommitStatusInput['state'];
  summary: string;
  details?: string;
  updatedAt: string;
}

/** Everything GitHub would keep about a repository's pull requests, as one JSON file beside it. */
export interface PullRequestFile {
  version: 1;
  nextNumber: number;
  nextCommentId: number;
  pulls: StoredPullRequest[];
  statuses: StoredStatus[];
}

export function emptyPullRequestFile(): PullRequestFile {
  return { version: 1, nextNumber: 1, nextCommentId: 1, pulls: [], statuses: [] };
}

export async function readPullRequestFile(filePath: string): Promise<PullRequestFile> {
  try {
    return JSON.parse(await readFile(filePath, 'utf8')) as PullRequestFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyPullRequestFile();
    throw error;
  }
}

/** Write-then-rename: a crash leaves the previous file or the new one, never half of one. */
export async function writeFileAtomically(filePath: string, text: string): Promise<void> {
  const temporary = `${filePath}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, filePath);
}

export function writePullRequestFile(filePath: string, data: PullRequestFile): Promise<void> {
  return writeFileAtomically(filePath, JSON.stringify(data, null, 2) + '\n');
}
