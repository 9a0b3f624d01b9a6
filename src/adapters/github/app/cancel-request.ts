import type { GitHubAppContext } from './app-context.js';
import { canTrigger } from './check-permission.js';

/**
 * Cancels the newest request of an issue or pull request, for someone with write access. The progress
 * comment then reports the cancellation (the worker or the service publishes it).
 */
export async function cancelThreadRequest(
  app: GitHubAppContext,
  where: { installationId: number; owner: string; repo: string; issueNumber: number },
  login: string,
): Promise<'cancelled' | 'nothing' | 'refused'> {
  if (!(await canTrigger(app, where.installationId, where.owner, where.repo, login))) return 'refused';
  const request = await app.service.findByThread({
    platform: 'github',
    owner: where.owner,
    repo: where.repo,
    issueNumber: where.issueNumber,
  });
  if (!request) return 'nothing';
  const outcome = await app.service.cancel(request.id);
  app.logger.info({ requestId: request.id, outcome, login }, 'cancel requested from GitHub');
  return outcome === 'cancelled' || outcome === 'cancelling' ? 'cancelled' : 'nothing';
}
