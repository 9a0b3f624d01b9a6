import { starterFile } from '../../../starter/shared-files.js';
import { lines, mdText } from '../code.js';
import type { AppModel } from '../model.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function renderPerformancePart(model: AppModel): Map<string, string> {
  return new Map([
    ['src/server/performance/limits.ts', LIMITS_TS],
    ['src/server/performance/static-files.ts', STATIC_FILES_TS],
    ['src/server/db/indexes.ts', renderIndexes(model)],
    ['scripts/check-bundle-size.mjs', starterFile('scripts/check-bundle-size.mjs')],
    ['tests/api/pagination.test.ts', renderPaginationTest(model)],
    ['PERFORMANCE.md', renderPerformanceDoc(model)],
  ]);
}

const LIMITS_TS = `/** List endpoints never return unbounded results. */
export const DEFAULT_PAGE_SIZE = ${DEFAULT_PAGE_SIZE};
export const MAX_PAGE_SIZE = ${MAX_PAGE_SIZE};
export const MAX_SEARCH_LENGTH = 100;
`;

const STATIC_FILES_TS = `import { join } from 'node:path';
import express, { Router } from 'express';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** Serves the built UI: fingerprinted assets cached for a year, the HTML revalidated by ETag. */
export function serveClient(clientDir: string): Router {
  const router = Router();
  router.use(
    '/assets',
    express.static(join(clientDir, 'assets'), { immutable: true, maxAge: ONE_YEAR_MS, fallthrough: false }),
  );
  router.use(
    express.static(clientDir, {
      index: false,
      setHeaders: (res) => {
        res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // Every other path is a client-side view of the single-page app.
  router.get('/{*path}', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(clientDir, 'index.html'));
  });
  return router;
}
`;

function renderIndexes(model: AppModel): string {
  const statements: string[] = [];
  for (const entity of model.entities) {
    const indexed = new Set<string>(['created_at']);
    for (const field of entity.columnFields) {
      const searched = entity.searchFields.includes(field) && field.type !== 'text';
      const display = field === entity.displayField && field.type !== 'text';
      if (!field.unique && field.column && (field.type === 'reference' || searched || display)) {
        indexed.add(field.column);
      }
    }
    for (const column of indexed) {
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${entity.table}_${column}_idx ON ${entity.table} (${column})`,
      );
    }
    for (const field of entity.linkFields) {
      statements.push(
        `CREATE INDEX IF NOT EXISTS ${field.joinTable}_target_idx ON ${field.joinTable} (target_id)`,
      );
    }
  }
  return lines(
    '/** Indexes for default ordering (created_at), foreign keys, join-table lookups and sorted/searched fields. */',
    'export const INDEXES: readonly string[] = [',
    ...statements.map((sql) => `  '${sql}',`),
    '];',
    '',
  );
}

function renderPaginationTest(model: AppModel): string {
  const entity = model.entities[0];
  if (!entity) throw new Error('a spec has at least one entity');
  return lines(
    "import { afterEach, beforeEach, describe, expect, it } from 'vitest';",
    "import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../src/server/performance/limits';",
    "import { createTestContext, type TestContext } from '../helpers/context';",
    '',
    `describe('list bounds (${entity.route})', () => {`,
    '  let ctx: TestContext;',
    '',
    '  beforeEach(async () => {',
    '    ctx = await createTestContext();',
    '  });',
    '',
    '  afterEach(() => {',
    '    ctx.close();',
    '  });',
    '',
    "  it('uses the default page size', async () => {",
    `    const res = await ctx.get('${entity.route}').expect(200);`,
    '    expect(res.body).toMatchObject({ page: 1, pageSize: DEFAULT_PAGE_SIZE, total: 0, items: [] });',
    '  });',
    '',
    "  it('rejects page sizes above the maximum', async () => {",
    `    await ctx.get(\`${entity.route}?pageSize=\${MAX_PAGE_SIZE + 1}\`).expect(400);`,
    `    await ctx.get('${entity.route}?page=0').expect(400);`,
    '  });',
    '',
    "  it('rejects unknown sort fields', async () => {",
    `    await ctx.get('${entity.route}?sort=password').expect(400);`,
    '  });',
    '});',
    '',
  );
}

function renderPerformanceDoc(model: AppModel): string {
  return lines(
    `# Performance — ${mdText(model.appName)}`,
    '',
    '## API',
    `- Every list endpoint is paginated: \`?page=\` (from 1) and \`?pageSize=\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}); larger values answer 400.`,
    '- Many-to-many links of a page are loaded in one query per field (no N+1 queries).',
    '- Indexes (`src/server/db/indexes.ts`) cover the default ordering (`created_at`), every foreign key,',
    '  join-table lookups and the display/searched fields used for sorting.',
    '- `?q=` search uses `LIKE %q%`, a scan of the table: fine for thousands of rows. For more, move to',
    '  SQLite FTS5 or Postgres full-text search.',
    '- JSON bodies are limited to 100 KB.',
    '',
    '## Static files and caching',
    '- `vite build` fingerprints files under `/assets`; they are served with',
    '  `Cache-Control: public, max-age=31536000, immutable`.',
    '- `index.html` is served with `Cache-Control: no-cache` and an `ETag`, so a deploy is picked up at once',
    '  while unchanged pages answer `304 Not Modified`.',
    '',
    '## Bundle budget',
    '`npm run build` ends with `scripts/check-bundle-size.mjs`, which fails when the gzipped JavaScript',
    'exceeds 180 KB or the CSS 20 KB. Split rarely used screens with `import()` when it grows.',
    '',
    '## Storage',
    'sql.js keeps the database in memory and writes the whole file after each committed change: simple',
    'and fast for small data sets (up to a few MB). Beyond that, or with several instances, move to a',
    'server database (Postgres) behind the same repository functions.',
    '',
  );
}
