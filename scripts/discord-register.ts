/**
 * Registers the `/autonoma` application command with Discord.
 *
 *   npm run discord:register                  # global (may take up to an hour to appear everywhere)
 *   npm run discord:register -- --guild <id>  # one server, at once (handy while setting up)
 *
 * Needs DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY and DISCORD_BOT_TOKEN; DISCORD_API_URL overrides
 * the API base. Values in ./.env are used for variables that are not already set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs, parseEnv } from 'node:util';
import { createDiscordRest, registerCommands } from '../src/adapters/discord/index.js';
import { loadConfig } from '../src/core/config.js';
import { AutonomaError } from '../src/core/errors.js';

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { guild: { type: 'string' } }, strict: true });
  if (values.guild !== undefined && !/^\d{5,25}$/.test(values.guild)) {
    throw new Error(`--guild must be a numeric server id (got "${values.guild}").`);
  }
  const env = { ...process.env };
  if (existsSync('.env')) {
    for (const [key, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) env[key] ??= value;
  }
  const { discord } = loadConfig(env);
  if (!discord.applicationId)
    throw new Error('Set DISCORD_APPLICATION_ID (Developer Portal → General Information).');
  if (!discord.botToken) throw new Error('Set DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token).');
  const rest = createDiscordRest({ apiUrl: discord.apiUrl, botToken: discord.botToken });
  const registered = await registerCommands({
    rest,
    applicationId: discord.applicationId,
    guildId: values.guild,
  });
  const where = values.guild ? `server ${values.guild}` : 'all servers (global; allow up to an hour)';
  console.log(`Registered ${registered.map((c) => `/${c.name}`).join(', ')} for ${where}.`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof AutonomaError || error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
