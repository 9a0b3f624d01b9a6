import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/core/config.js';
import { createLogger, type Logger } from '../../src/core/logger.js';
import { migrateDatabase } from '../../src/core/storage/migrate.js';

/** Tests use their own database (created and migrated on first use) on the machine's Postgres. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/autonoma_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

let migrated: Promise<unknown> | undefined;
export function ensureTestDatabase(): Promise<unknown> {
  migrated ??= migrateDatabase({
    databaseUrl: TEST_DATABASE_URL,
    migrationsDir: path.join(REPO_ROOT, 'prisma', 'migrations'),
  });
  return migrated;
}

/**
 * Quotas count every request of a user or workspace in the database, and all suites share one test
 * database (and the stand-ins' user and team ids): the tests of quotas set their own limits.
 */
const NO_QUOTAS = {
  AUTONOMA_QUOTA_USER_BUILDS_PER_HOUR: '0',
  AUTONOMA_QUOTA_USER_CONCURRENT: '0',
  AUTONOMA_QUOTA_WORKSPACE_BUILDS_PER_HOUR: '0',
  AUTONOMA_QUOTA_WORKSPACE_CONCURRENT: '0',
};

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig(
    {},
    {
      DATABASE_URL: TEST_DATABASE_URL,
      REDIS_URL: TEST_REDIS_URL,
      LOG_LEVEL: 'silent',
      // Screenshots cost a browser per validation: tests that look at apps ask for it.
      AUTONOMA_LOOK: 'off',
      AUTONOMA_DATA_DIR: path.join(REPO_ROOT, 'node_modules', '.cache', 'autonoma-test-data'),
      ...NO_QUOTAS,
      ...overrides,
    },
  );
}

/** A logger whose lines are kept for assertions instead of printed. */
export function memoryLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}

export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

/**
 * The whole environment of a spawned `autonoma` in a test: the test database and Redis, a queue
 * namespace of its own (its in-process worker takes only its own jobs), and `dataDir`.
 */
export function cliEnv(
  dataDir: string,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    AUTONOMA_QUEUE_PREFIX: uniquePrefix(),
    AUTONOMA_DATA_DIR: dataDir,
    AUTONOMA_LOOK: 'off',
    ...NO_QUOTAS,
    ...extra,
  };
}
