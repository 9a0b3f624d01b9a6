import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { COMMANDS, createDiscordRest, registerCommands } from '../../src/adapters/discord/index.js';
import { createDiscordApi } from '../../src/adapters/discord/discord-api.js';
import { overflowMessages } from '../../src/adapters/discord/messages.js';
import { DiscordStandIn } from '../helpers/discord-stand-in.js';
import { REPO_ROOT } from '../helpers/test-env.js';

const APP = '200000000000000001';
const standIn = new DiscordStandIn();

beforeAll(async () => {
  await standIn.start();
});

afterAll(async () => {
  await standIn.close();
});

describe('Discord REST', () => {
  it('waits out a 429 and sends the edit again', async () => {
    const api = createDiscordApi({
      rest: createDiscordRest({ apiUrl: standIn.apiUrl }),
      applicationId: APP,
      hasBotToken: false,
    });
    standIn.interactionChannels.set('tok-429', '400000000000000001');
    standIn.failNext(
      'PATCH',
      /tok-429/,
      429,
      { message: 'You are being rate limited.', retry_after: 0.2, global: false },
      { 'retry-after': '0.2', 'x-ratelimit-scope': 'user' },
    );
    const started = Date.now();
    const message = await api.editOriginal('tok-429', { content: 'hello', allowed_mentions: { parse: [] } });
    expect(message.content).toBe('hello');
    expect(standIn.find('PATCH', /tok-429/)).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('uploads text that would take too many messages as one attached file', async () => {
    const api = createDiscordApi({
      rest: createDiscordRest({ apiUrl: standIn.apiUrl, botToken: 'bot' }),
      applicationId: APP,
      hasBotToken: true,
    });
    const text = 'word '.repeat(3000).trim();
    const [body] = overflowMessages(text, 'review-summary.md');
    await api.createMessage('400000000000000002', body!);
    const call = standIn.find('POST', /^\/channels\/400000000000000002\/messages$/)[0]!;
    expect(call.files).toEqual([{ name: 'review-summary.md', text }]);
    expect(call.body).toMatchObject({ attachments: [{ id: 0, filename: 'review-summary.md' }] });
    expect(String(call.body?.content)).toContain('attached');
  });
});

describe('npm run discord:register', () => {
  it('registers the commands for one guild through registerCommands', async () => {
    const rest = createDiscordRest({ apiUrl: standIn.apiUrl, botToken: 'bot' });
    const registered = await registerCommands({ rest, applicationId: APP, guildId: '300000000000000001' });
    expect(registered.map((c) => c.name)).toEqual(['autonoma']);
    const call = standIn.find('PUT', /\/guilds\/300000000000000001\/commands$/)[0]!;
    expect(call.body).toEqual(JSON.parse(JSON.stringify(COMMANDS)));
    expect(call.authorized).toBe(true);
  });

  it('runs as a script against DISCORD_API_URL, globally by default', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'discord-register.ts')],
      {
        cwd: path.join(REPO_ROOT, 'tests'),
        env: {
          PATH: process.env.PATH,
          DISCORD_APPLICATION_ID: APP,
          DISCORD_PUBLIC_KEY: 'a'.repeat(64),
          DISCORD_BOT_TOKEN: 'bot',
          DISCORD_API_URL: standIn.apiUrl,
        },
      },
    );
    expect(stdout).toMatch(/Registered \/autonoma for all servers/);
    expect(standIn.find('PUT', new RegExp(`^/applications/${APP}/commands$`))).toHaveLength(1);
  });

  it('explains what is missing when the bot token is not set', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'scripts', 'discord-register.ts'),
        '--guild',
        '300000000000000001',
      ],
      {
        cwd: path.join(REPO_ROOT, 'tests'),
        env: { PATH: process.env.PATH, DISCORD_APPLICATION_ID: APP, DISCORD_PUBLIC_KEY: 'a'.repeat(64) },
      },
    );
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('Set DISCORD_BOT_TOKEN') });
  });
});
