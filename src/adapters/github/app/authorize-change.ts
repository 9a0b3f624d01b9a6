import { authorizeChange, refusalText, type ChangeAction } from '../../../core/conversation/authorize.js';
import { jobOwners } from '../../../core/conversation/job-owners.js';
import type { GenerationRequest } from '../../../core/domain/request.js';
import type { GitHubAppContext } from './app-context.js';
import { hasWriteAccess } from './check-permission.js';
import { forgeFor } from './github-forge-for.js';
import { repositoryRef } from './repository-ref.js';

export interface ChangeWhere {
  installationId: number;
  owner: string;
  repo: string;
  issueNumber: number;
}

/**
 * Whether `sender` may iterate on or cancel `request` (see core authorizeChange): its requester, the
 * requester of the build it changes, a GitHub login or id on AUTONOMA_ADMINS, or a collaborator with
 * write, maintain or admin permission. Anyone else gets one polite comment (per person and action)
 * and false; nothing is queued or cancelled.
 */
export async function mayChange(
  app: GitHubAppContext,
  where: ChangeWhere,
  sender: { login: string; id: number },
  request: GenerationRequest | null,
  action: ChangeAction,
): Promise<boolean> {
  const decision = authorizeChange({
    actor: {
      platform: 'github',
      id: String(sender.id),
      names: [sender.login],
      designated: await hasWriteAccess(app, where.installationId, where.owner, where.repo, sender.login),
    },
    owners: request ? await jobOwners(app.service, request) : [],
    action,
    admins: app.config.admins,
  });
  if (decision.allowed) return true;
  app.logger.info(
    { repository: `${where.owner}/${where.repo}`, issue: where.issueNumber, login: sender.login, action },
    'github change refused: not the requester, an admin or a collaborator with write access',
  );
  const owner = decision.owner?.displayName;
  await forgeFor(app, where.installationId, where.owner).ensureComment(
    repositoryRef(app, where.owner, where.repo),
    where.issueNumber,
    `<!-- autonoma:change-refusal:${action}:${sender.login.toLowerCase()} -->`,
    `@${sender.login}: ${refusalText(action, owner ? `@${owner}` : undefined)} ` +
      `(Collaborators with write access to ${where.owner}/${where.repo} count as admins here.)`,
  );
  return false;
}
