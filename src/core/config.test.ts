import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config.js';
import { ConfigError } from './errors.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig({}, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('works with no environment at all: local Postgres, Redis, offline provider, local forge', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBe('postgresql://postgres@127.0.0.1:5432/autonoma');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.provider).toBe('offline');
    expect(config.forge).toBe('local');
    expect(config.http.port).toBe(3000);
  });

  it('looks at built apps in Chromium unless told not to', () => {
    expect(loadConfig({}).validation.look).toEqual({ timeoutMs: 120_000 });
    expect(
      loadConfig({}, { AUTONOMA_BROWSER_PATH: '/opt/chrome/chrome', AUTONOMA_LOOK_TIMEOUT_MS: '60000' })
        .validation.look,
    ).toEqual({ timeoutMs: 60_000, browserPath: '/opt/chrome/chrome' });
    expect(loadConfig({}, { AUTONOMA_LOOK: 'off' }).validation.look).toBeUndefined();
    expect(problemsOf({ AUTONOMA_LOOK: 'yes' })).toContain('AUTONOMA_LOOK');
  });

  it('names every bad variable in one message, with what it should look like', () => {
    const message = problemsOf({ DATABASE_URL: 'mysql://x', PORT: 'eighty', WORKER_CONCURRENCY: '0' });
    expect(message).toMatch(/^Invalid configuration \(3 problems\)/);
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL, e.g. postgresql://');
    expect(message).toContain('PORT: must be a port number');
    expect(message).toContain('WORKER_CONCURRENCY');
  });

  it('refuses a half-configured platform and never echoes a secret', () => {
    const message = problemsOf({ SLACK_BOT_TOKEN: 'xoxb-very-secret-token-value' });
    expect(message).toContain('SLACK_SIGNING_SECRET: is required when SLACK_BOT_TOKEN is set');
    expect(message).not.toContain('very-secret');
    const badToken = problemsOf({
      SLACK_BOT_TOKEN: 'not-a-bot-token-secret',
      SLACK_SIGNING_SECRET: 'abcdef123456',
    });
    expect(badToken).toContain('SLACK_BOT_TOKEN: must start with xoxb- (the value given is hidden)');
    expect(badToken).not.toContain('not-a-bot-token-secret');
  });

  it('picks providers and forges from the keys present, explicit choice first', () => {
    expect(loadConfig({}, { OPENAI_API_KEY: 'sk-test-123456' }).provider).toBe('openai');
    expect(loadConfig({}, { ANTHROPIC_API_KEY: 'sk-ant-123456' }).provider).toBe('anthropic');
    expect(loadConfig({}, { OPENAI_API_KEY: 'sk-test-123456', AUTONOMA_PROVIDER: 'offline' }).provider).toBe(
      'offline',
    );
    expect(loadConfig({}, { GITHUB_TOKEN: 'ghp_123456789', AUTONOMA_GITHUB_OWNER: 'acme' }).forge).toBe(
      'github',
    );
    expect(problemsOf({ AUTONOMA_FORGE: 'github' })).toContain(
      'GITHUB_TOKEN: is required when AUTONOMA_FORGE=github',
    );
  });

  it('collects secrets for redaction', () => {
    const config = loadConfig({}, { GITHUB_TOKEN: 'ghp_abcdefghijkl', OPENAI_API_KEY: 'sk-abcdefgh' });
    expect(config.secrets).toEqual(expect.arrayContaining(['ghp_abcdefghijkl', 'sk-abcdefgh']));
  });

  it('collects the passwords of DATABASE_URL and REDIS_URL, but not public defaults', () => {
    const config = loadConfig(
      {},
      {
        DATABASE_URL: 'postgresql://app:db-pass%2F42@db:5432/app',
        REDIS_URL: 'redis://:redis-pass-7@cache:6379',
      },
    );
    expect(config.secrets).toEqual(['db-pass%2F42', 'db-pass/42', 'redis-pass-7']);
    const compose = loadConfig({}, { DATABASE_URL: 'postgresql://autonoma:autonoma@postgres:5432/autonoma' });
    expect(compose.secrets).toEqual([]);
  });
});
