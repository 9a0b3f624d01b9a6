import { callGitHub } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';

/** 👀 on the issue or on a comment: "seen". GitHub answers 200 for a reaction that already exists. */
export async function addEyes(
  app: GitHubAppContext,
  installationId: number,
  where: { owner: string; repo: string; issueNumber?: number; commentId?: number },
): Promise<void> {
  const octokit = app.octokit(installationId);
  const { owner, repo } = where;
  await callGitHub(`reacting in ${owner}/${repo}`, () =>
    where.commentId !== undefined
      ? octokit.rest.reactions.createForIssueComment({
          owner,
          repo,
          comment_id: where.commentId,
          content: 'eyes',
        })
      : octokit.rest.reactions.createForIssue({
          owner,
          repo,
          issue_number: where.issueNumber ?? 0,
          content: 'eyes',
        }),
  );
}
