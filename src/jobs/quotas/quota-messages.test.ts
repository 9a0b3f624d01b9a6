import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../core/config.js';
import {
  AutonomaError,
  ConfigError,
  InvalidInputError,
  QuotaExceededError,
  TransientError,
  userFacingMessage,
} from '../../core/errors.js';
import { quotaMessage } from './quota-messages.js';
import { quotaSubject } from './quota-subject.js';

describe('quota settings', () => {
  it('defaults to limits a small team would not notice, and 0 turns a limit off', () => {
    expect(loadConfig({}).quotas).toEqual({
      userBuildsPerHour: 10,
      userConcurrent: 2,
      workspaceBuildsPerHour: 50,
      workspaceConcurrent: 5,
    });
    expect(
      loadConfig({}, { AUTONOMA_QUOTA_USER_CONCURRENT: '0', AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR: '200' })
        .quotas,
    ).toMatchObject({ userConcurrent: 0, workspaceBuildsPerHour: 200 });
  });

  it('refuses a negative or fractional limit, naming the variable', () => {
    expect(() => loadConfig({}, { AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR: '-1' })).toThrow(ConfigError);
    expect(() => loadConfig({}, { AUTONOMA_QUOTA_WORKSPACE_CONCURRENT: '2.5' })).toThrow(
      /AUTONOMA_QUOTA_WORKSPACE_CONCURRENT: must be a whole number \(0 = unlimited\)/,
    );
  });
});

describe('quota refusal messages', () => {
  it('names the limit, the count and when the next hourly slot opens (rounded up to the minute)', () => {
    expect(
      quotaMessage({
        reason: 'tenant_hourly',
        count: 50,
        limit: 50,
        nextSlotAt: new Date('2026-12-03T14:04:30.120Z'),
        tenantKey: 'discord:123',
      }),
    ).toBe(
      'This Discord server started 50 builds in the last hour (limit 50); the next slot opens at 14:05 UTC. ' +
        'Whoever runs Autonoma sets this limit with AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR.',
    );
    expect(
      quotaMessage({
        reason: 'user_hourly',
        count: 1,
        limit: 1,
        nextSlotAt: new Date('2026-12-03T09:00:00.000Z'),
        tenantKey: null,
      }),
    ).toMatch(/^You started 1 build in the last hour \(limit 1\); the next slot opens at 09:00 UTC\./);
    expect(quotaMessage({ reason: 'tenant_concurrent', count: 5, limit: 5, tenantKey: 'github:42' })).toMatch(
      /^This GitHub App installation already has 5 jobs queued or running \(limit 5\)\. Try again when one finishes\./,
    );
  });

  it('counts a request against its user and its workspace by platform id', () => {
    expect(
      quotaSubject({
        requester: { platform: 'slack', externalId: 'U1' },
        installation: { platform: 'slack', externalId: 'T1' },
      }),
    ).toEqual({ userKey: 'slack:U1', tenantKey: 'slack:T1' });
    expect(quotaSubject({})).toEqual({ userKey: null, tenantKey: null });
  });

  it('shows quota, budget and input refusals to the user as written, and nothing else', () => {
    const quota = new QuotaExceededError('You already have 2 jobs queued or running (limit 2).');
    expect(quota).toMatchObject({ code: 'quota_exceeded', retryable: false });
    expect(userFacingMessage(quota)).toBe('You already have 2 jobs queued or running (limit 2).');
    expect(userFacingMessage(new InvalidInputError('Describe the app.'))).toBe('Describe the app.');
    expect(userFacingMessage(new AutonomaError('budget_exceeded', 'Over budget.'))).toBe('Over budget.');
    expect(userFacingMessage(new TransientError('Redis is down.'))).toBeUndefined();
    expect(userFacingMessage(new Error('boom'))).toBeUndefined();
  });
});
