export {
  createDiscordAdapter,
  DISCORD_INTERACTIONS_PATH,
  type DiscordAdapter,
  type DiscordAdapterDeps,
} from './create-discord-adapter.js';
export { COMMANDS, COMMAND_NAME } from './commands-definition.js';
export { createDiscordRest } from './discord-api.js';
export { registerCommands, type RegisteredCommand } from './register-commands.js';
export { discordPublicKey, verifyDiscordSignature } from './verify-signature.js';
export { splitText } from './split-text.js';
