import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign } from 'node:crypto';
import { checkAccess } from './access.js';
import { discordPublicKey, verifyDiscordSignature } from './verify-signature.js';

describe('verifyDiscordSignature', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
  const key = discordPublicKey(hex);
  const body = Buffer.from('{"type":1}');
  const signature = sign(null, Buffer.concat([Buffer.from('1700000000'), body]), privateKey).toString('hex');

  it('accepts Discord’s signature over timestamp + body and nothing else', () => {
    expect(verifyDiscordSignature(key, signature, '1700000000', body)).toBe(true);
    expect(verifyDiscordSignature(key, signature, '1700000001', body)).toBe(false);
    expect(verifyDiscordSignature(key, signature, '1700000000', Buffer.from('{"type":2}'))).toBe(false);
    expect(verifyDiscordSignature(key, undefined, '1700000000', body)).toBe(false);
    expect(verifyDiscordSignature(key, 'zz', '1700000000', body)).toBe(false);
  });

  it('names the setting when the public key is malformed', () => {
    expect(() => discordPublicKey('abc')).toThrow(/DISCORD_PUBLIC_KEY/);
  });
});

describe('checkAccess', () => {
  const unset = { allowedGuildIds: [], allowedChannelIds: [], allowedRoleIds: [], allowAllGuilds: false };

  it('refuses every server when no guild is listed, naming the setting and the server id', () => {
    expect(checkAccess(unset, { guildId: '42', roleIds: [] })).toEqual({
      allowed: false,
      reason: expect.stringMatching(/`42` to DISCORD_ALLOWED_GUILD_IDS.*DISCORD_ALLOW_ALL_GUILDS=true/),
    });
  });

  it('lets everyone in when DISCORD_ALLOW_ALL_GUILDS is set and no list is', () => {
    expect(checkAccess({ ...unset, allowAllGuilds: true }, { guildId: '42', roleIds: [] })).toEqual({
      allowed: true,
    });
  });

  it('requires the guild, the channel (or the thread’s parent) and one role when listed', () => {
    const config = {
      allowedGuildIds: ['1'],
      allowedChannelIds: ['10'],
      allowedRoleIds: ['100'],
      allowAllGuilds: false,
    };
    expect(
      checkAccess(config, { guildId: '1', channelId: '11', parentChannelId: '10', roleIds: ['100'] }),
    ).toEqual({
      allowed: true,
    });
    expect(checkAccess(config, { guildId: '2', channelId: '10', roleIds: ['100'] })).toMatchObject({
      allowed: false,
    });
    expect(checkAccess(config, { guildId: '1', channelId: '11', roleIds: ['100'] })).toMatchObject({
      allowed: false,
    });
    const noRole = checkAccess(config, { guildId: '1', channelId: '10', roleIds: ['101'] });
    expect(noRole).toMatchObject({ allowed: false, reason: expect.stringMatching(/roles/) });
  });
});
