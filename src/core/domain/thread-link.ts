import type { ThreadRef } from './request.js';

/** A link back to where the request was made, when the platform has stable public URLs for it. */
export function threadLink(thread: ThreadRef, githubWebUrl = 'https://github.com'): string | undefined {
  switch (thread.platform) {
    case 'github':
      return `${githubWebUrl}/${thread.owner}/${thread.repo}/issues/${thread.issueNumber}`;
    case 'slack':
      return thread.threadTs
        ? `https://app.slack.com/client/${thread.teamId}/${thread.channelId}/thread/${thread.channelId}-${thread.threadTs}`
        : undefined;
    case 'discord':
      return thread.guildId
        ? `https://discord.com/channels/${thread.guildId}/${thread.threadId ?? thread.channelId}`
        : undefined;
    default:
      return undefined;
  }
}
