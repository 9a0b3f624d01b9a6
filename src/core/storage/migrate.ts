import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { AutonomaError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * Applies prisma/migrations/* in order. Prisma's own `migrate deploy` needs a schema-engine binary that
 * cannot be downloaded here, so this applier does the same job with Prisma's bookkeeping table: an
 * advisory lock, a SHA-256 checksum per migration, one transaction per migration, re-run = no-op.
 */
const LOCK_ID = 72707369; // arbitrary, shared by every Autonoma process migrating the same database

const BOOKKEEPING_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
  /** False where the `vector` extension is missing and embeddings fall back to float arrays. */
  vectorSupport: boolean;
  createdDatabase: boolean;
}

export interface MigrateOptions {
  databaseUrl: string;
  migrationsDir: string;
  logger?: Logger;
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Creates the target database when it does not exist yet (a fresh machine has only `postgres`). */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const target = new URL(databaseUrl);
  const dbName = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!dbName)
    throw new AutonomaError('config_invalid', 'DATABASE_URL must name a database, e.g. …/autonoma');
  const probe = new pg.Client({ connectionString: databaseUrl });
  try {
    await probe.connect();
    return false;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw databaseUnreachable(databaseUrl, error);
  } finally {
    await probe.end().catch(() => undefined);
  }
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '42P04') return false; // created concurrently
    throw databaseUnreachable(databaseUrl, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function databaseUnreachable(databaseUrl: string, cause: unknown): AutonomaError {
  const where = new URL(databaseUrl);
  const message = cause instanceof Error ? cause.message : String(cause);
  return new AutonomaError(
    'upstream_unavailable',
    `Cannot reach PostgreSQL at ${where.hostname}:${where.port || 5432} (${message}). ` +
      'Start PostgreSQL or set DATABASE_URL to a reachable database, e.g. postgresql://postgres@127.0.0.1:5432/autonoma.',
    { cause, retryable: true },
  );
}

export async function migrateDatabase(options: MigrateOptions): Promise<MigrationResult> {
  const createdDatabase = await ensureDatabaseExists(options.databaseUrl);
  const migrations = await readMigrations(options.migrationsDir);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw databaseUnreachable(options.databaseUrl, error);
  }
  const applied: string[] = [];
  let alreadyApplied = 0;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(BOOKKEEPING_DDL);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous !== undefined) {
        if (previous !== migration.checksum) {
          options.logger?.warn({ migration: migration.name }, 'applied migration was modified since it ran');
        }
        alreadyApplied += 1;
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [id, migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new AutonomaError(
          'internal',
          `Migration ${migration.name} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      applied.push(migration.name);
      options.logger?.info({ migration: migration.name }, 'migration applied');
    }
    const vectorSupport = await hasVectorColumns(client);
    return { applied, alreadyApplied, vectorSupport, createdDatabase };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function hasVectorColumns(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ udt_name: string }>(
    `SELECT udt_name::text AS udt_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = 'code_templates' AND column_name = 'embedding'`,
  );
  return rows[0]?.udt_name === 'vector';
}

export const VECTOR_FALLBACK_WARNING =
  'pgvector is not available in this PostgreSQL: template search falls back to exact cosine similarity in SQL. ' +
  'Use a PostgreSQL with the vector extension (the docker-compose database has it) for indexed search.';
