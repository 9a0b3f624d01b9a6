import type { GenerationRequest, PullRequestTarget } from '../../core/domain/request.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import { isJobId } from './commands.js';

/** A job by id, only if it belongs to this Slack workspace (ids are not secrets, but threads are). */
export async function jobInTeam(
  service: GenerationService,
  teamId: string,
  jobId: string,
): Promise<GenerationRequest | null> {
  if (!isJobId(jobId)) return null;
  const request = await service.get(jobId);
  return request?.thread.platform === 'slack' && request.thread.teamId === teamId ? request : null;
}

/** The job a button belongs to: by the id in its value, else by the status message it sits on. */
export async function jobForButton(
  service: GenerationService,
  where: { teamId: string; channelId: string; messageTs: string | undefined; value: string | undefined },
): Promise<GenerationRequest | null> {
  if (where.value && isJobId(where.value)) return jobInTeam(service, where.teamId, where.value);
  if (!where.messageTs) return null;
  return service.findByThread({
    platform: 'slack',
    teamId: where.teamId,
    channelId: where.channelId,
    statusMessageTs: where.messageTs,
  });
}

/** The pull request an iteration commits to: the parent's result, else the parent's own target. */
export function iterationTarget(request: GenerationRequest): PullRequestTarget | undefined {
  const result = request.result;
  if (result?.repository && result.pullRequest && result.branch) {
    return {
      forge: result.repository.forge,
      repo: result.repository.name,
      number: result.pullRequest.number,
      branch: result.branch,
    };
  }
  return request.target ?? undefined;
}

/** Iterations hang off the original build, however many changes came before. */
export function rootRequestId(request: GenerationRequest): string {
  return request.kind === 'iterate' ? (request.parentRequestId ?? request.id) : request.id;
}
