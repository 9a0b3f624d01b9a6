import { Routes, type REST } from 'discord.js';
import { COMMANDS } from './commands-definition.js';

export interface RegisteredCommand {
  id: string;
  name: string;
}

/**
 * Puts Autonoma's commands in place with one bulk overwrite (idempotent: running it again updates
 * them). Guild commands appear at once; global ones can take up to an hour to reach every client.
 */
export async function registerCommands(options: {
  rest: REST;
  applicationId: string;
  guildId?: string | undefined;
}): Promise<RegisteredCommand[]> {
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  return (await options.rest.put(route, { body: COMMANDS })) as RegisteredCommand[];
}
