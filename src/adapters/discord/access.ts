import type { Config } from '../../core/config.js';

/** Where a command or message came from, as far as the allow-lists care. */
export interface AccessSubject {
  guildId?: string | undefined;
  channelId?: string | undefined;
  /** For a thread, the channel it belongs to: allowing a channel allows its threads. */
  parentChannelId?: string | undefined;
  roleIds: readonly string[];
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

type AccessConfig = Pick<Config['discord'], 'allowedGuildIds' | 'allowedChannelIds' | 'allowedRoleIds'>;

/** Empty lists mean no restriction; each non-empty list must be satisfied. */
export function checkAccess(config: AccessConfig, subject: AccessSubject): AccessDecision {
  if (config.allowedGuildIds.length > 0 && !config.allowedGuildIds.includes(subject.guildId ?? '')) {
    return {
      allowed: false,
      reason:
        "Sorry, Autonoma isn't enabled in this server. An admin can add its id to DISCORD_ALLOWED_GUILD_IDS.",
    };
  }
  if (config.allowedChannelIds.length > 0) {
    const channels = [subject.channelId, subject.parentChannelId].filter((c): c is string => Boolean(c));
    if (!channels.some((c) => config.allowedChannelIds.includes(c))) {
      return {
        allowed: false,
        reason:
          "Sorry, Autonoma doesn't take requests in this channel. Try one of the channels it's set up for (DISCORD_ALLOWED_CHANNEL_IDS).",
      };
    }
  }
  if (config.allowedRoleIds.length > 0 && !subject.roleIds.some((r) => config.allowedRoleIds.includes(r))) {
    return {
      allowed: false,
      reason:
        "Sorry, you need one of the roles allowed to use Autonoma here (DISCORD_ALLOWED_ROLE_IDS). Ask a server admin if you think that's a mistake.",
    };
  }
  return { allowed: true };
}
