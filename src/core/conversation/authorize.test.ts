import { describe, expect, it } from '@jest/globals';
import { authorizeChange, refusalText, type AuthorizeInput } from './authorize.js';

const alice = { platform: 'slack' as const, externalId: 'U0ALICE', displayName: 'alice' };

function input(overrides: Partial<AuthorizeInput>): AuthorizeInput {
  return {
    actor: { platform: 'slack', id: 'U0ALICE' },
    owners: [alice],
    action: 'iterate',
    admins: [],
    ...overrides,
  };
}

describe('authorizeChange', () => {
  it('lets the requester change, cancel and retry their own job', () => {
    for (const action of ['iterate', 'cancel', 'retry'] as const) {
      expect(authorizeChange(input({ action }))).toEqual({ allowed: true, as: 'requester' });
    }
  });

  it('refuses anyone else, naming the owner on their platform', () => {
    const decision = authorizeChange(input({ actor: { platform: 'slack', id: 'U0BOB' } }));
    expect(decision).toEqual({ allowed: false, owner: alice });
  });

  it('lets the owner of the build an iteration changes act on it, whoever asked for the iteration', () => {
    const admin = { platform: 'slack' as const, externalId: 'U0ADMIN' };
    expect(authorizeChange(input({ owners: [admin, alice], action: 'cancel' }))).toEqual({
      allowed: true,
      as: 'requester',
    });
  });

  it('lets listed admins act on anyone’s job, matching GitHub logins without regard to case', () => {
    expect(authorizeChange(input({ actor: { platform: 'slack', id: 'U0BOB' }, admins: ['U0BOB'] }))).toEqual({
      allowed: true,
      as: 'admin',
    });
    const github = authorizeChange({
      actor: { platform: 'github', id: '42', names: ['OctoCat'] },
      owners: [{ platform: 'github', externalId: '7', displayName: 'alice' }],
      action: 'iterate',
      admins: ['octocat'],
    });
    expect(github).toEqual({ allowed: true, as: 'admin' });
  });

  it('lets people the platform designates act (GitHub write access), and only them besides', () => {
    const designated = input({ actor: { platform: 'github', id: '9', designated: true }, owners: [] });
    expect(authorizeChange(designated)).toEqual({ allowed: true, as: 'designated' });
    expect(authorizeChange({ ...designated, actor: { ...designated.actor, designated: false } })).toEqual({
      allowed: false,
      owner: undefined,
    });
  });

  it('never matches the same id on another platform, nor an empty id', () => {
    const discordNamesake = input({ actor: { platform: 'discord', id: 'U0ALICE' } });
    expect(authorizeChange(discordNamesake)).toMatchObject({ allowed: false, owner: undefined });
    const blank = input({ actor: { platform: 'slack', id: '' }, owners: [{ ...alice, externalId: '' }] });
    expect(authorizeChange(blank)).toMatchObject({ allowed: false });
  });

  it("matches a requester by stable id only: a GitHub login that spells the owner's numeric id is not them", () => {
    const owner = { platform: 'github' as const, externalId: '583231', displayName: 'alice' };
    const namesake = { platform: 'github' as const, id: '99', names: ['583231'] };
    expect(authorizeChange({ actor: namesake, owners: [owner], action: 'iterate', admins: [] })).toEqual({
      allowed: false,
      owner,
    });
    const real = { platform: 'github' as const, id: '583231', names: ['alice'] };
    expect(authorizeChange({ actor: real, owners: [owner], action: 'iterate', admins: [] })).toEqual({
      allowed: true,
      as: 'requester',
    });
  });

  it('leaves jobs with no recorded requester to admins and the designated', () => {
    expect(authorizeChange(input({ owners: [null, undefined] }))).toMatchObject({ allowed: false });
  });
});

describe('refusalText', () => {
  it('says who may act, politely, per action', () => {
    expect(refusalText('iterate', '<@U0ALICE>')).toBe(
      'Only <@U0ALICE> or a workspace admin can change this app.',
    );
    expect(refusalText('cancel', undefined)).toBe(
      'Only the person who asked for it or a workspace admin can cancel this job.',
    );
    expect(refusalText('retry', '@alice')).toBe('Only @alice or a workspace admin can retry this job.');
  });
});

describe('AUTONOMA_ADMINS', () => {
  it('gives each platform its own admins, and names the setting when an entry is malformed', async () => {
    const { loadConfig } = await import('../config.js');
    const config = loadConfig({ AUTONOMA_ADMINS: 'slack:U123, discord:456,github:octocat' });
    expect([config.slack.admins, config.discord.admins, config.github.admins]).toEqual([
      ['U123'],
      ['456'],
      ['octocat'],
    ]);
    expect(() => loadConfig({ AUTONOMA_ADMINS: 'U123' })).toThrow(/AUTONOMA_ADMINS: must be .*platform:id/);
    expect(loadConfig({}).discord).toMatchObject({ allowAllGuilds: false, admins: [] });
    expect(loadConfig({ DISCORD_ALLOW_ALL_GUILDS: 'true' }).discord.allowAllGuilds).toBe(true);
  });
});
