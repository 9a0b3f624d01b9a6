import type { Config } from '../../core/config.js';

export type SlackConfig = Config['slack'];

export interface AccessSubject {
  teamId: string | undefined;
  channelId: string | undefined;
}

/**
 * Allowed workspaces and (optionally) channels from config; empty lists allow everything. Returns a
 * polite refusal for the user, or undefined when the request may go ahead.
 */
export function refusal(config: SlackConfig, subject: AccessSubject): string | undefined {
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
