import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildTemplateCatalog,
  cosineSimilarity,
  createLocalEmbedder,
  createTemplateStore,
  embedLocally,
  prismaSqlClient,
  seedTemplates,
  TEMPLATE_SEARCH_FALLBACK_WARNING,
  type TemplateCatalog,
  type TemplateStore,
} from '../../src/agents/templates/index.js';
import { createPrismaClient, type PrismaClient } from '../../src/core/storage/prisma.js';
import { ensureTestDatabase, memoryLogger, TEST_DATABASE_URL } from '../helpers/test-env.js';

/**
 * The machine's PostgreSQL 15 has no pgvector: the migration made `double precision[]` columns and
 * the store ranks by exact cosine in SQL. The ranking must be the one pgvector gives (see
 * templates-pgvector.test.ts): both equal the exact ranking computed here in JS.
 */
const QUERIES = [
  'GitHub Actions CI workflow',
  'sql.js database schema',
  'a recipe app with ratings',
  'vitest API tests for an entity',
  'rate limiting middleware',
];

function exactRanking(catalog: TemplateCatalog, query: string, limit: number): string[] {
  const q = embedLocally(query);
  return [...catalog.code, ...catalog.project]
    .map((t) => ({ name: t.name, similarity: cosineSimilarity(q, embedLocally(t.text)) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit)
    .map((t) => t.name);
}

const catalog = buildTemplateCatalog();
let pool: pg.Pool;
let prisma: PrismaClient;
let store: TemplateStore;
const { logger, lines } = memoryLogger('info');

beforeAll(async () => {
  await ensureTestDatabase();
  pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  prisma = createPrismaClient(TEST_DATABASE_URL, { max: 2 });
  store = await createTemplateStore({ sql: pool, embedder: createLocalEmbedder(), logger });
  // Idempotent: the shared test database may already hold them from an earlier run.
  await seedTemplates(store, { catalog });
});

afterAll(async () => {
  await pool.end();
  await prisma.$disconnect();
});

describe('template retrieval without pgvector (PostgreSQL 15, float arrays)', () => {
  it('detects the float-array columns and logs the fallback once', async () => {
    expect(store.mode).toBe('float-array');
    const { rows } = await pool.query<{ udt_name: string }>(
      `SELECT udt_name::text AS udt_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = 'code_templates' AND column_name = 'embedding'`,
    );
    expect(rows[0]?.udt_name).toBe('_float8');
    await store.search('anything');
    await store.search('anything else');
    const warnings = lines.filter((line) => line.includes(TEMPLATE_SEARCH_FALLBACK_WARNING));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0]!)).toMatchObject({
      level: 40,
      component: 'template-store',
      mode: 'float-array',
    });
  });

  it('seeds idempotently', async () => {
    const again = await seedTemplates(store, { catalog });
    expect(again.written).toEqual({ code: 0, project: 0 });
    expect(await store.count()).toEqual({ code: catalog.code.length, project: catalog.project.length });
  });

  it('ranks exactly as pgvector does (the exact cosine ranking), through pg and through Prisma', async () => {
    const viaPrisma = await createTemplateStore({
      sql: prismaSqlClient(prisma),
      embedder: createLocalEmbedder(),
    });
    for (const query of QUERIES) {
      const expected = exactRanking(catalog, query, 5);
      const matches = await store.search(query, { limit: 5 });
      expect(matches.map((m) => m.name)).toEqual(expected);
      expect((await viaPrisma.search(query, { limit: 5 })).map((m) => m.name)).toEqual(expected);
      const best = [...catalog.code, ...catalog.project].find((t) => t.name === expected[0]);
      expect(matches[0]?.similarity).toBeCloseTo(
        cosineSimilarity(embedLocally(query), embedLocally(best!.text)),
        5,
      );
    }
  });

  it('filters by kind in the fallback too', async () => {
    const projects = await store.search('a CRM with deals and contacts', { kind: 'project', limit: 2 });
    expect(projects.map((p) => p.name)[0]).toBe('crm-app');
    const deployment = await store.search('container image', { kind: 'deployment', limit: 5 });
    expect(new Set(deployment.map((d) => d.kind))).toEqual(new Set(['deployment']));
  });
});
