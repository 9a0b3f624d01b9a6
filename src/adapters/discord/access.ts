import type { Config } from '../../core/config.js';
import { authorizeChange, refusalText, type ChangeAction } from '../../core/conversation/authorize.js';
import { jobOwners } from '../../core/conversation/job-owners.js';
import type { GenerationRequest } from '../../core/domain/request.js';
import type { GenerationService } from '../../core/ports/generation-service.js';

/** Where a command or message came from, as far as the allow-lists care. */
export interface AccessSubject {
  guildId?: string | undefined;
  channelId?: string | undefined;
  /** For a thread, the channel it belongs to: allowing a channel allows its threads. */
  parentChannelId?: string | undefined;
  roleIds: readonly string[];
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

type AccessConfig = Pick<
  Config['discord'],
  'allowedGuildIds' | 'allowedChannelIds' | 'allowedRoleIds' | 'allowAllGuilds'
>;

/**
 * Servers must be listed (DISCORD_ALLOWED_GUILD_IDS): a public bot added to a stranger's server must
 * not build in your organisation. An empty list refuses every server unless DISCORD_ALLOW_ALL_GUILDS
 * is true. Empty channel and role lists mean no restriction; non-empty ones must be satisfied.
 */
export function checkAccess(config: AccessConfig, subject: AccessSubject): AccessDecision {
  if (config.allowedGuildIds.length === 0 && !config.allowAllGuilds) {
    return {
      allowed: false,
      reason:
        "Sorry, Autonoma isn't enabled in any server yet. Whoever runs Autonoma can allow this one by adding " +
        `\`${subject.guildId ?? 'its server id'}\` to DISCORD_ALLOWED_GUILD_IDS (or set DISCORD_ALLOW_ALL_GUILDS=true to allow every server).`,
    };
  }
  if (config.allowedGuildIds.length > 0 && !config.allowedGuildIds.includes(subject.guildId ?? '')) {
    return {
      allowed: false,
      reason:
        "Sorry, Autonoma isn't enabled in this server. Whoever runs Autonoma can add " +
        `\`${subject.guildId ?? 'its server id'}\` to DISCORD_ALLOWED_GUILD_IDS.`,
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

/**
 * Whether a Discord user may iterate on, cancel or retry `request` (see core authorizeChange): its
 * requester, the requester of the build it changes, or a Discord id on AUTONOMA_ADMINS. Returns the
 * refusal to show them, or undefined.
 */
export async function changeRefusal(
  deps: { config: Pick<Config['discord'], 'admins'>; service: Pick<GenerationService, 'get'> },
  userId: string | undefined,
  request: GenerationRequest,
  action: ChangeAction,
): Promise<string | undefined> {
  const decision = authorizeChange({
    actor: { platform: 'discord', id: userId },
    owners: await jobOwners(deps.service, request),
    action,
    admins: deps.config.admins,
  });
  if (decision.allowed) return undefined;
  return refusalText(action, decision.owner ? `<@${decision.owner.externalId}>` : undefined);
}
