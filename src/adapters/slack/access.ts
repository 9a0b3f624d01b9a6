import type { Config } from '../../core/config.js';
import { authorizeChange, refusalText, type ChangeAction } from '../../core/conversation/authorize.js';
import { jobOwners } from '../../core/conversation/job-owners.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import type { GenerationService } from '../../core/ports/generation-service.js';

export type SlackConfig = Config['slack'];

export interface AccessSubject {
  teamId: string | undefined;
  channelId: string | undefined;
}

/**
 * Allowed workspaces and (optionally) channels from config; empty lists allow everything. Returns a
 * polite refusal for the user, or undefined when the request may go ahead.
 */
export function refusal(
  config: Pick<SlackConfig, 'allowedTeamIds' | 'allowedChannelIds'>,
  subject: AccessSubject,
): string | undefined {
  const { allowedTeamIds, allowedChannelIds } = config;
  if (allowedTeamIds.length > 0 && (!subject.teamId || !allowedTeamIds.includes(subject.teamId))) {
    return (
      "Sorry, Autonoma isn't enabled for this workspace. Whoever runs Autonoma can allow it by adding " +
      `\`${subject.teamId ?? 'this workspace id'}\` to SLACK_ALLOWED_TEAM_IDS.`
    );
  }
  if (
    allowedChannelIds.length > 0 &&
    (!subject.channelId || !allowedChannelIds.includes(subject.channelId))
  ) {
    const where = allowedChannelIds
      .filter((id) => id.startsWith('C') || id.startsWith('G'))
      .slice(0, 3)
      .map((id) => `<#${id}>`)
      .join(', ');
    return (
      "Sorry, Autonoma isn't enabled in this conversation." +
      (where ? ` You can use it in ${where}.` : '') +
      ` Whoever runs Autonoma can allow it here by adding \`${subject.channelId ?? 'this channel id'}\` to SLACK_ALLOWED_CHANNEL_IDS.`
    );
  }
  return undefined;
}

/**
 * Whether a Slack user may iterate on, cancel or retry `request` (see core authorizeChange): its
 * requester, the requester of the build it changes, or a Slack id on AUTONOMA_ADMINS. Returns the
 * refusal to show them, or undefined.
 */
export async function changeRefusal(
  deps: { config: Pick<SlackConfig, 'admins'>; service: Pick<GenerationService, 'get'> },
  userId: string,
  request: GenerationRequest,
  action: ChangeAction,
): Promise<string | undefined> {
  const decision = authorizeChange({
    actor: { platform: 'slack', id: userId },
    owners: await jobOwners(deps.service, request),
    action,
    admins: deps.config.admins,
  });
  if (decision.allowed) return undefined;
  return refusalText(action, decision.owner ? `<@${decision.owner.externalId}>` : undefined);
}
