import { type AutonomaError, userFacingMessage } from '../../../core/errors.js';
import type { GitHubAppContext } from './app-context.js';
import { addEyes } from './add-reaction.js';
import { mayChange } from './authorize-change.js';
import { forgeFor } from './github-forge-for.js';
import { claimNote, countIteration, releaseNote, saveIterationRecord } from './iteration-record.js';
import { iterationPrompt, type ReviewNote } from './prompts.js';
import { repositoryRef } from './repository-ref.js';

export interface IterationTrigger {
  installationId: number;
  repository: { id: number; owner: string; name: string; fullName: string };
  pull: { number: number; branch: string; headSha: string };
  sender: { login: string; id: number };
  notes: Array<ReviewNote & { threadId?: number }>;
  idempotencyKey: string;
  /** A comment to acknowledge with 👀 once the pull request is known to be Autonoma's. */
  reactTo?: number;
}

/**
 * Starts an iteration on a pull request Autonoma opened: only for its requester, an admin or people
 * with write access (see mayChange), only for
 * notes not seen before on this pull request, and only below the per-PR iteration cap (announced once
 * when reached). The iteration commits to the PR branch; its progress is one comment on the PR.
 */
export async function startIteration(app: GitHubAppContext, trigger: IterationTrigger): Promise<void> {
  const { installationId, repository, pull } = trigger;
  const log = app.logger.child({ repository: repository.fullName, pull: pull.number });
  const record = await app.store.findPullRequest('github', repository.fullName, pull.branch);
  if (!record) {
    log.debug({ branch: pull.branch }, 'not an Autonoma pull request; ignored');
    return;
  }
  if (trigger.reactTo !== undefined) {
    await addEyes(app, installationId, {
      owner: repository.owner,
      repo: repository.name,
      commentId: trigger.reactTo,
    });
  }
  const where = { installationId, owner: repository.owner, repo: repository.name, issueNumber: pull.number };
  const parent = /^[0-9a-f-]{36}$/i.test(record.requestId) ? record.requestId : undefined;
  const build = parent ? await app.service.get(parent) : null;
  if (!(await mayChange(app, where, trigger.sender, build, 'iterate'))) return;
  const prKey = { repositoryId: repository.id, number: pull.number };
  const fresh: IterationTrigger['notes'] = [];
  for (const note of trigger.notes) {
    if (await claimNote(app, prKey, note.body, trigger.idempotencyKey)) fresh.push(note);
  }
  if (fresh.length === 0) {
    log.info({ notes: trigger.notes.length }, 'only repeated notes; no iteration');
    return;
  }
  const count = await countIteration(app, prKey, 1);
  if (count > app.config.maxIterations) {
    await countIteration(app, prKey, -1);
    await announceCap(app, where);
    log.info({ max: app.config.maxIterations }, 'iteration cap reached');
    return;
  }
  await saveIterationRecord(app, trigger.idempotencyKey, {
    installationId,
    owner: repository.owner,
    repo: repository.name,
    pullNumber: pull.number,
    previousHeadSha: record.headSha ?? pull.headSha,
    threads: [...new Set(fresh.flatMap((n) => (n.threadId !== undefined ? [n.threadId] : [])))],
  });
  try {
    const { request, created } = await app.service.submit({
      kind: 'iterate',
      prompt: iterationPrompt(fresh),
      source: 'github',
      thread: { platform: 'github', ...where },
      idempotencyKey: trigger.idempotencyKey,
      requester: {
        platform: 'github',
        externalId: String(trigger.sender.id),
        displayName: trigger.sender.login,
      },
      installation: { platform: 'github', externalId: String(installationId) },
      ...(parent ? { parentRequestId: parent } : {}),
      target: { forge: 'github', repo: repository.fullName, number: pull.number, branch: pull.branch },
    });
    if (!created) await countIteration(app, prKey, -1);
    log.info({ requestId: request.id, created, iteration: count }, 'iteration queued');
  } catch (error) {
    await countIteration(app, prKey, -1);
    if (!userFacingMessage(error)) throw error;
    log.warn({ code: (error as AutonomaError).code }, 'iteration refused');
    // Nothing started: the notes stay new for the next review, and the reviewer is told why.
    for (const note of fresh) await releaseNote(app, prKey, note.body, trigger.idempotencyKey);
    await explainRefusal(app, where, trigger, error as AutonomaError);
  }
}

async function explainRefusal(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
  trigger: IterationTrigger,
  error: AutonomaError,
): Promise<void> {
  await forgeFor(app, where.installationId, where.owner).ensureComment(
    repositoryRef(app, where.owner, where.repo),
    where.issueNumber,
    `<!-- autonoma:refused:${trigger.idempotencyKey} -->`,
    `@${trigger.sender.login} I could not start this change: ${error.message} Your review notes were not ` +
      'used; submit them again to try again.',
  );
}

async function announceCap(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
): Promise<void> {
  const max = app.config.maxIterations;
  await forgeFor(app, where.installationId, where.owner).ensureComment(
    repositoryRef(app, where.owner, where.repo),
    where.issueNumber,
    '<!-- autonoma:iteration-cap -->',
    `This pull request has had ${max} Autonoma ${max === 1 ? 'iteration' : 'iterations'}, the limit set for this ` +
      'deployment (GITHUB_MAX_ITERATIONS), so further reviews will not start new ones. Make the remaining ' +
      'changes by hand, or open a new issue for a fresh build.',
  );
}
