import { pathToFileURL } from 'node:url';
import { AutonomaError } from '../../core/errors.js';
import {
  commentBodyWithMarker,
  type CommitStatusInput,
  type EnsureOutcome,
  type EnsurePullRequestInput,
  type Forge,
  type PullRequestRef,
  type RepositoryRef,
} from '../../core/ports/forge.js';
import {
  readPullRequestFile,
  writeFileAtomically,
  writePullRequestFile,
  type PullRequestFile,
  type StoredPullRequest,
} from './pull-request-store.js';
import { renderPullRequestMarkdown } from './render-pull-request-markdown.js';

const BOT_AUTHOR = 'autonoma';

interface LocalPullRequestDeps {
  repoDir: (repo: RepositoryRef) => string;
  locked: <T>(repo: RepositoryRef, work: () => Promise<T>) => Promise<T>;
  branchExists: (repo: RepositoryRef, branch: string) => Promise<boolean>;
}

type PullRequestMethods = Pick<
  Forge,
  | 'ensurePullRequest'
  | 'ensureComment'
  | 'listReviewComments'
  | 'listReviews'
  | 'replyToReviewComment'
  | 'setCommitStatus'
>;

export const pullRequestFilePath = (repoDir: string) => `${repoDir}.pulls.json`;
export const pullRequestMarkdownPath = (repoDir: string) => `${repoDir}.PULL_REQUEST.md`;

/** Pull requests, comments, reviews and statuses kept in `<repo>.pulls.json`, rendered to `<repo>.PULL_REQUEST.md`. */
export function createLocalPullRequests(deps: LocalPullRequestDeps): PullRequestMethods {
  const now = () => new Date().toISOString();

  const read = (repo: RepositoryRef) => readPullRequestFile(pullRequestFilePath(deps.repoDir(repo)));

  /** Read-modify-write under the repository's lock; files are rewritten only when `change` says it changed them. */
  function update<T>(
    repo: RepositoryRef,
    change: (data: PullRequestFile) => { result: T; changed: boolean },
  ): Promise<T> {
    return deps.locked(repo, async () => {
      const dir = deps.repoDir(repo);
      const data = await read(repo);
      const { result, changed } = change(data);
      if (changed) {
        await writePullRequestFile(pullRequestFilePath(dir), data);
        await writeFileAtomically(pullRequestMarkdownPath(dir), renderPullRequestMarkdown(dir, data));
      }
      return result;
    });
  }

  function findPull(data: PullRequestFile, repo: RepositoryRef, number: number): StoredPullRequest {
    const pull = data.pulls.find((p) => p.number === number);
    if (!pull) {
      throw new AutonomaError('not_found', `Pull request #${number} does not exist in ${repo.fullName}.`);
    }
    return pull;
  }

  const toRef = (repo: RepositoryRef, pull: StoredPullRequest): PullRequestRef => ({
    number: pull.number,
    url: `${pathToFileURL(pullRequestMarkdownPath(deps.repoDir(repo))).href}#${pull.number}`,
    title: pull.title,
    branch: pull.branch,
    baseBranch: pull.base,
    state: pull.state,
  });

  async function ensurePullRequest(input: EnsurePullRequestInput) {
    if (!(await deps.branchExists(input.repo, input.branch))) {
      throw new AutonomaError(
        'conflict',
        `Branch ${input.branch} does not exist in ${input.repo.fullName}: commit the files before opening the pull request.`,
      );
    }
    return update(input.repo, (data) => {
      const existing = data.pulls.find((p) => p.state === 'open' && p.branch === input.branch);
      if (!existing) {
        const pull: StoredPullRequest = {
          number: data.nextNumber,
          title: input.title,
          body: input.body,
          labels: [...new Set(input.labels)],
          branch: input.branch,
          base: input.baseBranch,
          state: 'open',
          createdAt: now(),
          updatedAt: now(),
          comments: [],
          reviewComments: [],
          reviews: [],
        };
        data.nextNumber += 1;
        data.pulls.push(pull);
        return {
          result: { pullRequest: toRef(input.repo, pull), outcome: 'created' as EnsureOutcome },
          changed: true,
        };
      }
      const labels = [...new Set([...existing.labels, ...input.labels])];
      const changed =
        existing.title !== input.title ||
        existing.body !== input.body ||
        existing.base !== input.baseBranch ||
        labels.length !== existing.labels.length;
      if (changed) {
        Object.assign(existing, { title: input.title, body: input.body, base: input.baseBranch, labels });
        existing.updatedAt = now();
      }
      const outcome: EnsureOutcome = changed ? 'updated' : 'unchanged';
      return { result: { pullRequest: toRef(input.repo, existing), outcome }, changed };
    });
  }

  function ensureComment(repo: RepositoryRef, issueNumber: number, marker: string, body: string) {
    const fullBody = commentBodyWithMarker(body, marker);
    return update(repo, (data) => {
      const pull = findPull(data, repo, issueNumber);
      const existing = pull.comments.find((c) => c.body.includes(marker));
      if (existing && existing.body === fullBody) {
        return { result: { id: existing.id, outcome: 'unchanged' as EnsureOutcome }, changed: false };
      }
      if (existing) {
        Object.assign(existing, { body: fullBody, updatedAt: now() });
        return { result: { id: existing.id, outcome: 'updated' as EnsureOutcome }, changed: true };
      }
      const comment = {
        id: data.nextCommentId,
        author: BOT_AUTHOR,
        body: fullBody,
        createdAt: now(),
        updatedAt: now(),
      };
      data.nextCommentId += 1;
      pull.comments.push(comment);
      return { result: { id: comment.id, outcome: 'created' as EnsureOutcome }, changed: true };
    });
  }

  async function listReviewComments(repo: RepositoryRef, pullNumber: number) {
    return findPull(await read(repo), repo, pullNumber).reviewComments;
  }

  async function listReviews(repo: RepositoryRef, pullNumber: number) {
    return findPull(await read(repo), repo, pullNumber).reviews;
  }

  /** Replying twice with the same text to the same comment (a retried job) leaves one reply. */
  async function replyToReviewComment(
    repo: RepositoryRef,
    pullNumber: number,
    commentId: number,
    body: string,
  ) {
    await update(repo, (data) => {
      const pull = findPull(data, repo, pullNumber);
      const parent = pull.reviewComments.find((c) => c.id === commentId);
      if (!parent) {
        throw new AutonomaError('not_found', `Review comment ${commentId} does not exist on #${pullNumber}.`);
      }
      const replied = pull.reviewComments.some(
        (c) => c.inReplyToId === commentId && c.author === BOT_AUTHOR && c.body === body,
      );
      if (replied) return { result: undefined, changed: false };
      pull.reviewComments.push({
        id: data.nextCommentId,
        author: BOT_AUTHOR,
        body,
        path: parent.path,
        line: parent.line,
        inReplyToId: commentId,
        createdAt: now(),
      });
      data.nextCommentId += 1;
      return { result: undefined, changed: true };
    });
  }

  async function setCommitStatus(input: CommitStatusInput) {
    await update(input.repo, (data) => {
      const status = {
        sha: input.sha,
        name: input.name,
        state: input.state,
        summary: input.summary,
        ...(input.details === undefined ? {} : { details: input.details }),
        updatedAt: now(),
      };
      const index = data.statuses.findIndex((s) => s.sha === input.sha && s.name === input.name);
      if (index >= 0) data.statuses[index] = status;
      else data.statuses.push(status);
      return { result: undefined, changed: true };
    });
  }

  return {
    ensurePullRequest,
    ensureComment,
    listReviewComments,
    listReviews,
    replyToReviewComment,
    setCommitStatus,
  };
}
