import { describe, expect, it } from '@jest/globals';
import { checkPrompt, parseCommand, startsWithVerb, stripMentions } from './commands.js';
import { refusal } from './access.js';

describe('parseCommand', () => {
  it('reads build, status, cancel and help, and treats empty text as help', () => {
    expect(parseCommand('build  a recipe app where users rate dishes ')).toEqual({
      verb: 'build',
      prompt: 'a recipe app where users rate dishes',
    });
    expect(parseCommand('STATUS')).toEqual({ verb: 'status' });
    expect(parseCommand('cancel `0f8c3f8e-0000-4000-8000-000000000000`')).toEqual({
      verb: 'cancel',
      jobId: '0f8c3f8e-0000-4000-8000-000000000000',
    });
    expect(parseCommand('')).toEqual({ verb: 'help' });
    expect(parseCommand('deploy it')).toEqual({ verb: 'unknown', word: 'deploy' });
  });

  it('keeps multi-line prompts whole', () => {
    expect(parseCommand('build a todo app\nwith tags')).toEqual({
      verb: 'build',
      prompt: 'a todo app\nwith tags',
    });
  });
});

describe('checkPrompt', () => {
  it('states the limit when a prompt is empty or too long', () => {
    expect(checkPrompt('  ')).toMatchObject({
      ok: false,
      message: expect.stringContaining('4,000 characters'),
    });
    expect(checkPrompt('x'.repeat(4001))).toMatchObject({
      ok: false,
      message: expect.stringContaining('4,001 characters; the limit is 4,000'),
    });
    expect(checkPrompt(' a todo app ')).toEqual({ ok: true, prompt: 'a todo app' });
  });
});

describe('message text', () => {
  it('strips mentions and spots command words in thread replies', () => {
    expect(stripMentions('<@UAUTONOMA> build a todo app')).toBe('build a todo app');
    expect(startsWithVerb('status please')).toBe(true);
    expect(startsWithVerb('build it with dark mode')).toBe(false);
    expect(startsWithVerb('also add a due date')).toBe(false);
  });
});

describe('refusal', () => {
  const config = {
    signingSecret: 's',
    botToken: 'xoxb-1',
    appToken: undefined,
    apiUrl: 'https://slack.com/api/',
    allowedTeamIds: ['T1'],
    allowedChannelIds: ['C1'],
  };
  it('allows listed workspaces and channels, and names the setting otherwise', () => {
    expect(refusal(config, { teamId: 'T1', channelId: 'C1' })).toBeUndefined();
    expect(refusal(config, { teamId: 'T2', channelId: 'C1' })).toContain('SLACK_ALLOWED_TEAM_IDS');
    expect(refusal(config, { teamId: 'T1', channelId: 'C2' })).toContain('You can use it in <#C1>');
    expect(
      refusal({ ...config, allowedTeamIds: [], allowedChannelIds: [] }, { teamId: 'T9', channelId: 'D1' }),
    ).toBeUndefined();
  });
});
