import type { GitHubAppContext } from './app-context.js';
import { mayChange } from './authorize-change.js';

/**
 * Cancels the newest request of an issue or pull request, for its requester, an admin or someone with
 * write access (see mayChange). The progress comment then reports the cancellation (the worker or the
 * service publishes it).
 */
export async function cancelThreadRequest(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
  sender: { login: string; id: number },
): Promise<'cancelled' | 'nothing' | 'refused'> {
  const request = await app.service.findByThread({
    platform: 'github',
    owner: where.owner,
    repo: where.repo,
    issueNumber: where.issueNumber,
  });
  if (!request) return 'nothing';
  if (!(await mayChange(app, where, sender, request, 'cancel'))) return 'refused';
  const outcome = await app.service.cancel(request.id);
  app.logger.info({ requestId: request.id, outcome, login: sender.login }, 'cancel requested from GitHub');
  return outcome === 'cancelled' || outcome === 'cancelling' ? 'cancelled' : 'nothing';
}
