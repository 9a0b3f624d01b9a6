import { callGitHub } from '../forge/index.js';
import type { GitHubAppContext } from './app-context.js';
import { addEyes } from './add-reaction.js';
import { cancelThreadRequest } from './cancel-request.js';
import { isBot } from './is-bot.js';
import { IssueCommentEventSchema, parsePayload, type IssueCommentEvent } from './payloads.js';
import { buildPrompt, mentions, parseCommand } from './prompts.js';
import { startBuild } from './start-build.js';
import { startIteration } from './start-iteration.js';

/**
 * `issue_comment.created`: `/autonoma build [extra]` and `/autonoma cancel` on issues, `/autonoma
 * cancel` on pull requests, and (policy permitting) a comment mentioning `@<app slug>` on a pull request
 * Autonoma opened starts an iteration. Edited and deleted comments do nothing.
 */
export async function onIssueComment(app: GitHubAppContext, payload: unknown): Promise<void> {
  const event = parsePayload(IssueCommentEventSchema, payload, 'issue_comment');
  if (event.action !== 'created' || isBot(app, event.sender) || isBot(app, event.comment.user)) return;
  const command = parseCommand(event.comment.body);
  const onPullRequest = event.issue.pull_request !== undefined;
  const where = {
    installationId: event.installation.id,
    owner: event.repository.owner.login,
    repo: event.repository.name,
    issueNumber: event.issue.number,
  };
  if (command?.verb === 'cancel') {
    await addEyes(app, where.installationId, { ...where, commentId: event.comment.id });
    await cancelThreadRequest(app, where, event.sender);
    return;
  }
  if (command?.verb === 'build' && !onPullRequest) {
    await startBuild(app, {
      installationId: where.installationId,
      repository: { id: event.repository.id, owner: where.owner, name: where.repo },
      issueNumber: where.issueNumber,
      prompt: buildPrompt(event.issue, command.extra),
      sender: event.sender,
      commentId: event.comment.id,
      // Each command comment is its own request; a redelivery of it is not.
      idempotencyKey: `github:${event.repository.id}:comment:${event.comment.id}:build`,
    });
    return;
  }
  if (
    onPullRequest &&
    app.config.iterationPolicy !== 'review' &&
    mentions(event.comment.body, app.config.appSlug)
  ) {
    await iterateFromMention(app, event);
  }
}

async function iterateFromMention(app: GitHubAppContext, event: IssueCommentEvent): Promise<void> {
  const owner = event.repository.owner.login;
  const repo = event.repository.name;
  const octokit = app.octokit(event.installation.id);
  const { data: pull } = await callGitHub(
    `reading pull request #${event.issue.number} of ${owner}/${repo}`,
    () => octokit.rest.pulls.get({ owner, repo, pull_number: event.issue.number }),
  );
  await startIteration(app, {
    installationId: event.installation.id,
    repository: { id: event.repository.id, owner, name: repo, fullName: event.repository.full_name },
    pull: { number: pull.number, branch: pull.head.ref, headSha: pull.head.sha },
    sender: event.sender,
    notes: [{ author: event.comment.user.login, body: event.comment.body }],
    reactTo: event.comment.id,
    idempotencyKey: `github:${event.repository.id}:comment:${event.comment.id}:iterate`,
  });
}
