import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from '@jest/globals';
import { migrateDatabase } from '../../src/core/storage/migrate.js';
import { loadConfig } from '../../src/core/config.js';
import { migrate } from '../../src/main.js';
import { memoryLogger, REPO_ROOT, TEST_DATABASE_URL } from '../helpers/test-env.js';

const dbName = `autonoma_migrate_${process.pid}_${Date.now()}`;
const url = new URL(TEST_DATABASE_URL);
url.pathname = `/${dbName}`;
const databaseUrl = url.toString();
const admin = new URL(TEST_DATABASE_URL);
admin.pathname = '/postgres';

afterAll(async () => {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await client.end();
});

it('creates the database, applies every migration once, and is a no-op when run again', async () => {
  const migrationsDir = path.join(REPO_ROOT, 'prisma', 'migrations');
  const first = await migrateDatabase({ databaseUrl, migrationsDir });
  expect(first.createdDatabase).toBe(true);
  expect(first.applied.length).toBeGreaterThan(0);

  const [second, third] = await Promise.all([
    migrateDatabase({ databaseUrl, migrationsDir }),
    migrateDatabase({ databaseUrl, migrationsDir }),
  ]);
  expect(second.applied).toEqual([]);
  expect(third.applied).toEqual([]);
  expect(second.alreadyApplied).toBe(first.applied.length);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*)::text AS n FROM "_prisma_migrations"');
  const tables = await client.query<{ table_name: string }>(
    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  await client.end();
  expect(Number(rows[0]?.n)).toBe(first.applied.length);
  expect(tables.rows.map((r) => r.table_name)).toEqual(
    expect.arrayContaining([
      'platform_identities',
      'installations',
      'projects',
      'generation_requests',
      'generated_components',
      'agent_sessions',
      'agent_logs',
      'code_templates',
      'project_templates',
      'pull_requests',
    ]),
  );
});

it('logs one warning at start-up where pgvector is missing, and carries on', async () => {
  const { logger, lines } = memoryLogger('info');
  const result = await migrate(loadConfig({}, { DATABASE_URL: databaseUrl }), logger);
  const warnings = lines.filter((l) => l.includes('pgvector'));
  if (result.vectorSupport) {
    expect(warnings).toHaveLength(0);
  } else {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"level":40');
  }
});
