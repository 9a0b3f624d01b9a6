import { threadLink } from '../../core/domain/thread-link.js';
import type { GenerationService } from '../../core/ports/generation-service.js';
import { jobSummary } from './blocks.js';
import { isJobId } from './commands.js';
import { changeRefusal, type SlackConfig } from './access.js';
import { jobInTeam } from './job-lookup.js';

export interface Where {
  teamId: string;
  channelId: string;
}

function notFound(jobId: string): string {
  return isJobId(jobId)
    ? `I can't find job \`${jobId}\` in this workspace.`
    : `\`${jobId.slice(0, 60)}\` isn't a job id. Job ids look like \`0f8c…-…\` and are shown under each job's status message.`;
}

/** `status [job]`: the given job, else the latest in this conversation. */
export async function statusReply(service: GenerationService, where: Where, jobId?: string): Promise<string> {
  const request = jobId
    ? await jobInTeam(service, where.teamId, jobId)
    : await service.findByThread({ platform: 'slack', teamId: where.teamId, channelId: where.channelId });
  if (!request) {
    return jobId ? notFound(jobId) : 'No jobs in this conversation yet. Start one with `/autonoma build …`.';
  }
  return jobSummary(request, threadLink(request.thread));
}

/** `cancel <job>`: only by the job's requester or an admin (AUTONOMA_ADMINS). */
export async function cancelReply(
  deps: { service: GenerationService; config: Pick<SlackConfig, 'admins'> },
  where: Where & { userId: string },
  jobId: string | undefined,
  command = '/autonoma',
): Promise<string> {
  const { service } = deps;
  if (!jobId) {
    return `Which job? \`${command} cancel <job>\` — the id is under the job's status message (or press its *Cancel* button).`;
  }
  const request = await jobInTeam(service, where.teamId, jobId);
  if (!request) return notFound(jobId);
  const refused = await changeRefusal(deps, where.userId, request, 'cancel');
  if (refused) return refused;
  return cancelOutcomeText(await service.cancel(request.id), request.id);
}

export function cancelOutcomeText(outcome: string, jobId: string): string {
  switch (outcome) {
    case 'cancelled':
      return `🛑 Cancelled job \`${jobId}\` before it started.`;
    case 'cancelling':
      return `🛑 Cancelling job \`${jobId}\`; its thread will say when it has stopped.`;
    case 'already_finished':
      return `Job \`${jobId}\` has already finished; there is nothing to cancel.`;
    default:
      return notFound(jobId);
  }
}
