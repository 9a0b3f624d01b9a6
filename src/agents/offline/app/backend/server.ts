import { lines } from '../code.js';
import type { AppModel, EntityModel, FieldModel } from '../model.js';

/** `src/server/{config,app,main,dev-api}.ts` and the database schema. */

export function renderConfig(model: AppModel): string {
  const auth = model.features.auth;
  return lines(
    "import { existsSync } from 'node:fs';",
    "import { z } from 'zod';",
    '',
    '/** Environment variables, validated once at start-up (see .env.example). */',
    'const EnvSchema = z.object({',
    '  PORT: z.coerce.number().int().min(1).max(65535).default(3000),',
    "  HOST: z.string().min(1).default('0.0.0.0'),",
    "  /** SQLite file; ':memory:' keeps data in memory only. */",
    "  DATABASE_FILE: z.string().min(1).default('data/app.sqlite'),",
    '  /** Requests per minute per client IP on /api. */',
    '  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),',
    '  /** Number of reverse proxies in front of the app (Fly.io, Render: 1), for client IPs. */',
    '  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),',
    auth && '  /** How long a sign-in stays valid. */',
    auth && '  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(24 * 7),',
    '});',
    '',
    'export type Config = z.infer<typeof EnvSchema>;',
    '',
    'export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {',
    '  const result = EnvSchema.safeParse(env);',
    '  if (!result.success) {',
    "    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);",
    "    throw new Error(`Invalid environment: ${problems.join('; ')}. See .env.example.`);",
    '  }',
    '  return result.data;',
    '}',
    '',
    '/** Reads `.env`, when present, into process.env; variables already set keep their values. */',
    "export function loadDotEnv(file = '.env'): void {",
    '  if (existsSync(file)) process.loadEnvFile(file);',
    '}',
    '',
  );
}

export function renderApp(model: AppModel): string {
  const auth = model.features.auth;
  const sorted = [...model.entities].sort((a, b) => (a.kebab < b.kebab ? -1 : 1));
  return lines(
    "import express, { type Express } from 'express';",
    auth && "import { createAuthRouter } from './auth/router';",
    auth && "import { requireAuth } from './auth/middleware';",
    "import type { Database } from './db/database';",
    model.derived.length > 0 && "import { createDerivedValuesRouter } from './derived/router';",
    ...sorted.map((e) => `import { create${e.name}Router } from './entities/${e.kebab}/router';`),
    "import { apiNotFound, errorHandler } from './http/errors';",
    "import { serveClient } from './performance/static-files';",
    "import { jsonBody } from './security/body-limit';",
    "import { securityHeaders } from './security/headers';",
    "import { apiRateLimit } from './security/rate-limit';",
    '',
    'export interface AppOptions {',
    '  db: Database;',
    '  rateLimitPerMinute?: number;',
    '  trustProxyHops?: number;',
    auth && '  sessionTtlHours?: number;',
    '  /** Directory of the built UI (dist/client); omitted in development and tests. */',
    '  clientDir?: string;',
    '}',
    '',
    '/** Builds the HTTP app; it holds no global state, so tests create one per database. */',
    'export function createApp(options: AppOptions): Express {',
    '  const { db } = options;',
    '  const app = express();',
    "  app.set('trust proxy', options.trustProxyHops ?? 0);",
    '  app.use(securityHeaders());',
    "  app.use('/api', apiRateLimit(options.rateLimitPerMinute ?? 300));",
    "  app.use('/api', jsonBody());",
    '',
    "  app.get('/api/health', (_req, res) => {",
    "    res.json({ status: 'ok' });",
    '  });',
    auth &&
      "  app.use('/api/auth', createAuthRouter(db, { sessionTtlHours: options.sessionTtlHours ?? 24 * 7 }));",
    auth && "  app.use('/api', requireAuth(db));",
    model.derived.length > 0 && "  app.use('/api/derived-values', createDerivedValuesRouter(db));",
    ...model.entities.map((e) => `  app.use(${JSON.stringify(e.route)}, create${e.name}Router(db));`),
    "  app.use('/api', apiNotFound);",
    '',
    '  if (options.clientDir) app.use(serveClient(options.clientDir));',
    '  app.use(errorHandler);',
    '  return app;',
    '}',
    '',
  );
}

export function renderMain(model: AppModel): string {
  const auth = model.features.auth;
  return lines(
    "import { existsSync } from 'node:fs';",
    "import { fileURLToPath } from 'node:url';",
    "import { createApp } from './app';",
    "import { loadConfig, loadDotEnv } from './config';",
    "import { openDatabase } from './db/database';",
    '',
    'async function main(): Promise<void> {',
    '  loadDotEnv();',
    '  const config = loadConfig();',
    '  const db = await openDatabase(config.DATABASE_FILE);',
    '  // The production build puts the UI next to the server bundle: dist/client and dist/server.',
    "  const clientDir = fileURLToPath(new URL('../client', import.meta.url));",
    '  const app = createApp({',
    '    db,',
    '    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,',
    '    trustProxyHops: config.TRUST_PROXY_HOPS,',
    auth && '    sessionTtlHours: config.SESSION_TTL_HOURS,',
    '    clientDir: existsSync(clientDir) ? clientDir : undefined,',
    '  });',
    '  const server = app.listen(config.PORT, config.HOST, () => {',
    '    console.log(`Listening on http://${config.HOST}:${config.PORT}`);',
    '  });',
    '  const shutdown = (): void => {',
    '    server.close(() => {',
    '      db.close();',
    '      process.exit(0);',
    '    });',
    '  };',
    "  process.on('SIGTERM', shutdown);",
    "  process.on('SIGINT', shutdown);",
    '}',
    '',
    'main().catch((error: unknown) => {',
    '  console.error(error);',
    '  process.exit(1);',
    '});',
    '',
  );
}

export const DEV_API_TS = `import type { Express } from 'express';
import { createApp } from './app';
import { loadConfig, loadDotEnv } from './config';
import { openDatabase } from './db/database';

let devApp: Promise<Express> | undefined;

/**
 * The API as mounted by the Vite dev server (see vite.config.ts): one instance per module load,
 * so editing a server file gives a fresh app on the next request.
 */
export function getDevApp(): Promise<Express> {
  devApp ??= (async () => {
    loadDotEnv();
    const config = loadConfig();
    const db = await openDatabase(config.DATABASE_FILE);
    return createApp({ db, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE });
  })();
  return devApp;
}
`;

export function renderMigrate(model: AppModel): string {
  const auth = model.features.auth;
  return lines(
    auth && "import { AUTH_TABLES } from '../auth/schema';",
    "import type { Database } from './database';",
    "import { INDEXES } from './indexes';",
    "import { TABLES } from './schema';",
    '',
    '/** Creates missing tables and indexes; runs at every start and is a no-op when up to date. */',
    'export function migrate(db: Database): void {',
    `  for (const statement of [...TABLES, ${auth ? '...AUTH_TABLES, ' : ''}...INDEXES]) db.exec(statement);`,
    '}',
    '',
  );
}

export function renderSchema(model: AppModel): string {
  const statements = model.entities.flatMap((entity) => [
    tableSql(model, entity),
    ...entity.linkFields.map((field) => joinTableSql(model, entity, field)),
  ]);
  return lines(
    '/** One CREATE TABLE per entity, plus a join table per many-to-many field. */',
    'export const TABLES: readonly string[] = [',
    ...statements.map((sql) => `  \`${sql}\`,`),
    '];',
    '',
  );
}

function tableSql(model: AppModel, entity: EntityModel): string {
  const columns = [
    'id INTEGER PRIMARY KEY AUTOINCREMENT',
    ...entity.columnFields.map((field) => columnSql(model, field)),
    'created_at TEXT NOT NULL',
    'updated_at TEXT NOT NULL',
  ];
  return `CREATE TABLE IF NOT EXISTS ${entity.table} (\n${columns.map((c) => `    ${c}`).join(',\n')}\n  )`;
}

function columnSql(model: AppModel, field: FieldModel): string {
  const column = field.column ?? field.name;
  const parts = [column, sqlType(field)];
  if (field.required) parts.push('NOT NULL');
  if (field.unique) parts.push('UNIQUE');
  if (field.type === 'boolean') parts.push(`CHECK (${column} IN (0, 1))`);
  if (field.type === 'enum')
    parts.push(`CHECK (${column} IN (${field.enumValues.map((v) => `'${v}'`).join(', ')}))`);
  if (field.type === 'reference' && field.target) {
    const target = model.entity(field.target).table;
    parts.push(`REFERENCES ${target} (id) ON DELETE ${field.required ? 'RESTRICT' : 'SET NULL'}`);
  }
  return parts.join(' ');
}

function sqlType(field: FieldModel): string {
  switch (field.type) {
    case 'integer':
    case 'money':
    case 'boolean':
    case 'reference':
      return 'INTEGER';
    case 'number':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

function joinTableSql(model: AppModel, entity: EntityModel, field: FieldModel): string {
  const target = model.entity(field.target ?? entity.specName).table;
  return [
    `CREATE TABLE IF NOT EXISTS ${field.joinTable} (`,
    `    owner_id INTEGER NOT NULL REFERENCES ${entity.table} (id) ON DELETE CASCADE,`,
    `    target_id INTEGER NOT NULL REFERENCES ${target} (id) ON DELETE CASCADE,`,
    '    PRIMARY KEY (owner_id, target_id)',
    '  )',
  ].join('\n');
}
