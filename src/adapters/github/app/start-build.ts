import { type AutonomaError, userFacingMessage } from '../../../core/errors.js';
import type { GitHubAppContext } from './app-context.js';
import { addEyes } from './add-reaction.js';
import { canTrigger } from './check-permission.js';
import { forgeFor } from './github-forge-for.js';
import { postRefusal } from './post-refusal.js';
import { repositoryRef } from './repository-ref.js';

export interface BuildTrigger {
  installationId: number;
  repository: { id: number; owner: string; name: string };
  issueNumber: number;
  prompt: string;
  sender: { login: string; id: number };
  /** Stable across redeliveries and repeats of the same trigger (see the callers). */
  idempotencyKey: string;
  /** The comment that asked (`/autonoma build`), reacted to instead of the issue. */
  commentId?: number;
}

/**
 * React, check the sender's access, then submit the build. The same key twice returns the stored
 * request (no second job, and the progress comment is keyed by the request); a failed or cancelled
 * one is queued again, so re-adding the label after a cancel starts over in the same comment.
 */
export async function startBuild(app: GitHubAppContext, trigger: BuildTrigger): Promise<void> {
  const { installationId, repository, issueNumber } = trigger;
  const owner = repository.owner;
  const log = app.logger.child({ repository: `${owner}/${repository.name}`, issue: issueNumber });
  await addEyes(app, installationId, {
    owner,
    repo: repository.name,
    issueNumber,
    ...(trigger.commentId !== undefined ? { commentId: trigger.commentId } : {}),
  });
  if (!(await canTrigger(app, installationId, owner, repository.name, trigger.sender.login))) {
    log.info({ login: trigger.sender.login }, 'build refused: no write access');
    await postRefusal(
      app,
      { installationId, owner, repo: repository.name, issueNumber },
      trigger.sender.login,
    );
    return;
  }
  try {
    const { request, created } = await app.service.submit({
      kind: 'build',
      prompt: trigger.prompt,
      source: 'github',
      thread: { platform: 'github', installationId, owner, repo: repository.name, issueNumber },
      idempotencyKey: trigger.idempotencyKey,
      requester: {
        platform: 'github',
        externalId: String(trigger.sender.id),
        displayName: trigger.sender.login,
      },
      installation: { platform: 'github', externalId: String(installationId) },
    });
    if (!created && (request.status === 'failed' || request.status === 'cancelled')) {
      await app.service.retry(request.id);
      log.info({ requestId: request.id }, 'build queued again');
    } else {
      log.info({ requestId: request.id, created }, created ? 'build queued' : 'build already known');
    }
  } catch (error) {
    if (!userFacingMessage(error)) throw error;
    await explain(
      app,
      { installationId, owner, repo: repository.name, issueNumber },
      trigger,
      error as AutonomaError,
    );
  }
}

/** A refusal written for the user (an empty issue, a quota reached…): say why in the issue, once per trigger. */
async function explain(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
  trigger: BuildTrigger,
  error: AutonomaError,
): Promise<void> {
  await forgeFor(app, where.installationId, where.owner).ensureComment(
    repositoryRef(app, where.owner, where.repo),
    where.issueNumber,
    `<!-- autonoma:invalid:${trigger.idempotencyKey} -->`,
    error.code === 'invalid_input'
      ? `I could not start a build from this issue: ${error.message} Edit the issue, then add the ` +
          `\`${app.config.triggerLabel}\` label again or comment \`/autonoma build\`.`
      : `I could not start a build from this issue: ${error.message} Comment \`/autonoma build\` ` +
          `to try again then.`,
  );
}
