/** `src/server/db/*`: the sql.js wrapper, column converters and join-table helpers (entity-independent). */

export const DATABASE_TS = `import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import initSqlJs, { type Database as SqlJsDatabase, type SqlValue } from 'sql.js';
import { migrate } from './migrate';

export type Row = Record<string, SqlValue>;
export type Params = readonly SqlValue[];

/** Use as DATABASE_FILE to keep everything in memory (tests, demos). */
export const IN_MEMORY = ':memory:';

/** A small synchronous facade over sql.js; every committed write is flushed to the database file. */
export interface Database {
  all(sql: string, params?: Params): Row[];
  get(sql: string, params?: Params): Row | undefined;
  /** Runs a write and returns the id of the last inserted row. */
  run(sql: string, params?: Params): number;
  exec(sql: string): void;
  transaction<T>(work: () => T): T;
  close(): void;
}

// Compiling the WASM module is the slow part of opening a database: do it once per process.
let sqlJs: ReturnType<typeof initSqlJs> | undefined;

export async function openDatabase(file: string): Promise<Database> {
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  const persistent = file !== IN_MEMORY;
  const data = persistent && existsSync(file) ? readFileSync(file) : undefined;
  const database = new SqliteDatabase(new SQL.Database(data), persistent ? file : undefined);
  database.transaction(() => migrate(database));
  return database;
}

class SqliteDatabase implements Database {
  private depth = 0;

  constructor(
    private readonly db: SqlJsDatabase,
    private readonly file: string | undefined,
  ) {
    this.db.run('PRAGMA foreign_keys = ON');
  }

  all(sql: string, params: Params = []): Row[] {
    const statement = this.db.prepare(sql);
    try {
      statement.bind([...params]);
      const rows: Row[] = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  }

  get(sql: string, params: Params = []): Row | undefined {
    return this.all(sql, params)[0];
  }

  run(sql: string, params: Params = []): number {
    this.db.run(sql, [...params]);
    const id = Number(this.db.exec('SELECT last_insert_rowid()')[0]?.values[0]?.[0] ?? 0);
    if (this.depth === 0) this.persist();
    return id;
  }

  exec(sql: string): void {
    this.db.exec(sql);
    if (this.depth === 0) this.persist();
  }

  transaction<T>(work: () => T): T {
    if (this.depth > 0) return work();
    this.db.run('BEGIN');
    this.depth = 1;
    try {
      const result = work();
      this.db.run('COMMIT');
      this.depth = 0;
      this.persist();
      return result;
    } catch (error) {
      this.db.run('ROLLBACK');
      this.depth = 0;
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }

  private persist(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = \`\${this.file}.tmp\`;
    writeFileSync(temporary, this.db.export());
    renameSync(temporary, this.file);
    // export() reopens the database, which resets connection pragmas.
    this.db.run('PRAGMA foreign_keys = ON');
  }
}
`;

export const COLUMNS_TS = `import type { SqlValue } from 'sql.js';

/** Converters between SQLite values and the JSON shapes of the API. */

/** A cell of a result row (\`undefined\` only when the column was not selected). */
export type Cell = SqlValue | undefined;

export function toText(value: Cell): string {
  return typeof value === 'string' ? value : String(value ?? '');
}

export function toNullableText(value: Cell): string | null {
  return value === null || value === undefined ? null : toText(value);
}

export function toNumber(value: Cell): number {
  return Number(value ?? 0);
}

export function toNullableNumber(value: Cell): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function toBoolean(value: Cell): boolean {
  return value === 1;
}

export function toNullableBoolean(value: Cell): boolean | null {
  return value === null || value === undefined ? null : value === 1;
}

/** Money is stored as integer cents so sums and comparisons stay exact. */
export function fromCents(value: Cell): number {
  return toNumber(value) / 100;
}

export function fromNullableCents(value: Cell): number | null {
  return value === null || value === undefined ? null : Number(value) / 100;
}

export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromBoolean(value: boolean): number {
  return value ? 1 : 0;
}

export function nullable<T, R extends SqlValue>(value: T | null, convert: (present: T) => R): R | null {
  return value === null ? null : convert(value);
}
`;

export const LINKS_TS = `import type { Database } from './database';

/** Many-to-many links: \`owner_id\` -> \`target_id\` rows in a join table. */

export function loadLinks(db: Database, joinTable: string, ownerIds: readonly number[]): Map<number, number[]> {
  const links = new Map<number, number[]>(ownerIds.map((id) => [id, []]));
  if (ownerIds.length === 0) return links;
  const placeholders = ownerIds.map(() => '?').join(', ');
  const rows = db.all(
    \`SELECT owner_id, target_id FROM \${joinTable} WHERE owner_id IN (\${placeholders}) ORDER BY target_id\`,
    ownerIds,
  );
  for (const row of rows) links.get(Number(row.owner_id))?.push(Number(row.target_id));
  return links;
}

export function replaceLinks(db: Database, joinTable: string, ownerId: number, targetIds: readonly number[]): void {
  db.run(\`DELETE FROM \${joinTable} WHERE owner_id = ?\`, [ownerId]);
  for (const targetId of new Set(targetIds)) {
    db.run(\`INSERT INTO \${joinTable} (owner_id, target_id) VALUES (?, ?)\`, [ownerId, targetId]);
  }
}

/** The ids among \`ids\` that have no row in \`table\`. */
export function missingIds(db: Database, table: string, ids: readonly number[]): number[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const placeholders = unique.map(() => '?').join(', ');
  const found = new Set(db.all(\`SELECT id FROM \${table} WHERE id IN (\${placeholders})\`, unique).map((row) => Number(row.id)));
  return unique.filter((id) => !found.has(id));
}
`;
