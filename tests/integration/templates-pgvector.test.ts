import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connectToolServers, type ToolClient } from '../../src/agents/mcp/index.js';
import { createTemplatesServer, FIND_TEMPLATES_TOOL } from '../../src/agents/mcp/templates-server.js';
import {
  buildTemplateCatalog,
  cosineSimilarity,
  createLocalEmbedder,
  createTemplateStore,
  detectVectorMode,
  embedLocally,
  seedTemplates,
  type Embedder,
  type TemplateCatalog,
  type TemplateStore,
} from '../../src/agents/templates/index.js';
import { REPO_ROOT } from '../helpers/test-env.js';

/**
 * Template retrieval on real pgvector: PGlite (PostgreSQL in WASM) with its bundled `vector`
 * extension, migrated with our own migration SQL, so the conditional block creates the `vector(256)`
 * columns and HNSW indexes exactly as on a pgvector server.
 */
const QUERIES = [
  'GitHub Actions CI workflow',
  'sql.js database schema',
  'a recipe app with ratings',
  'vitest API tests for an entity',
  'rate limiting middleware',
];

/** The exact nearest neighbours, computed in JS over the catalog: what the database must return. */
function exactRanking(catalog: TemplateCatalog, query: string, limit: number): string[] {
  const q = embedLocally(query);
  return [...catalog.code, ...catalog.project]
    .map((t) => ({ name: t.name, similarity: cosineSimilarity(q, embedLocally(t.text)) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit)
    .map((t) => t.name);
}

let db: PGlite;
let store: TemplateStore;
const catalog = buildTemplateCatalog();
const timings: Record<string, number> = {};

beforeAll(async () => {
  let started = Date.now();
  db = await PGlite.create({ extensions: { vector } });
  timings.pgliteStartMs = Date.now() - started;
  started = Date.now();
  const dir = path.join(REPO_ROOT, 'prisma', 'migrations');
  const migrations = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  for (const name of migrations.sort())
    await db.exec(await readFile(path.join(dir, name, 'migration.sql'), 'utf8'));
  timings.migrateMs = Date.now() - started;
  store = await createTemplateStore({ sql: db, embedder: createLocalEmbedder() });
}, 120_000);

afterAll(async () => {
  await db.close();
  process.stdout.write(`templates on PGlite: ${JSON.stringify(timings)}\n`);
});

describe('template retrieval on pgvector (PGlite)', () => {
  it('gets vector(256) columns with HNSW cosine indexes from our migration', async () => {
    expect(await detectVectorMode(db)).toBe('pgvector');
    expect(store.mode).toBe('pgvector');
    const { rows } = await db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('code_templates', 'project_templates') AND indexdef LIKE '%hnsw%' ORDER BY indexname`,
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      'code_templates_embedding_hnsw',
      'project_templates_embedding_hnsw',
    ]);
    for (const row of rows) expect(row.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
  });

  it('seeds every template once; a second run writes nothing', async () => {
    let started = Date.now();
    const first = await seedTemplates(store, { catalog });
    timings.seedMs = Date.now() - started;
    expect(first.written).toEqual({ code: catalog.code.length, project: catalog.project.length });
    expect(catalog.project.map((p) => p.name)).toEqual(
      expect.arrayContaining(['todo-app', 'blog-app', 'crm-app', 'booking-app', 'general-app']),
    );
    expect(catalog.code.length).toBeGreaterThan(50);
    started = Date.now();
    const second = await seedTemplates(store, { catalog });
    timings.reseedMs = Date.now() - started;
    expect(second.written).toEqual({ code: 0, project: 0 });
    expect(second.unchanged).toEqual({ code: catalog.code.length, project: catalog.project.length });
    expect(await store.count()).toEqual({ code: catalog.code.length, project: catalog.project.length });
  });

  it('returns the exact nearest neighbours in order, with cosine similarities', async () => {
    for (const query of QUERIES) {
      const started = Date.now();
      const matches = await store.search(query, { limit: 5 });
      timings[`query:${query}`] = Date.now() - started;
      expect(matches.map((m) => m.name)).toEqual(exactRanking(catalog, query, 5));
      const similarities = matches.map((m) => m.similarity);
      expect([...similarities].sort((a, b) => b - a)).toEqual(similarities);
      const best = [...catalog.code, ...catalog.project].find((t) => t.name === matches[0]?.name);
      expect(matches[0]?.similarity).toBeCloseTo(
        cosineSimilarity(embedLocally(query), embedLocally(best!.text)),
        5,
      );
    }
    expect((await store.search('GitHub Actions CI workflow', { limit: 1 }))[0]).toMatchObject({
      name: 'deployment:.github/workflows/ci.yml',
      kind: 'deployment',
      framework: 'github-actions',
      excerpt: expect.stringContaining('jobs:'),
    });
  });

  it('uses the HNSW index for the nearest-neighbour query', async () => {
    const literal = `[${embedLocally('express router').join(',')}]`;
    await db.exec('SET enable_seqscan = off');
    try {
      const { rows } = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT name FROM code_templates ORDER BY embedding <=> $1::vector LIMIT 5`,
        [literal],
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
        /Index Scan using code_templates_embedding_hnsw/,
      );
    } finally {
      await db.exec('RESET enable_seqscan');
    }
  });

  it('filters by kind: project templates, or one kind of code template', async () => {
    const projects = await store.search('a CRM with deals and contacts', { kind: 'project', limit: 3 });
    expect(projects.map((p) => p.kind)).toEqual(['project', 'project', 'project']);
    expect(projects[0]).toMatchObject({ name: 'crm-app', framework: 'crm' });
    const security = await store.search('password hashing and sessions', { kind: 'security', limit: 5 });
    expect(security).toHaveLength(5);
    expect(new Set(security.map((s) => s.kind))).toEqual(new Set(['security']));
    expect(await store.search('anything', { limit: 50 })).toHaveLength(5);
  });

  it('serves find_templates over MCP, refusing limits above 5', async () => {
    const tools: ToolClient = await connectToolServers([createTemplatesServer({ store })]);
    try {
      expect((await tools.listTools()).map((t) => t.name)).toEqual([FIND_TEMPLATES_TOOL]);
      const result = await tools.callTool(FIND_TEMPLATES_TOOL, {
        query: 'Dockerfile multi-stage build',
        limit: 2,
      });
      expect(result.isError).toBe(false);
      const { templates } = result.structured as { templates: Array<{ name: string; similarity: number }> };
      expect(templates.map((t) => t.name)).toEqual(exactRanking(catalog, 'Dockerfile multi-stage build', 2));
      expect(templates[0]?.name).toBe('deployment:Dockerfile');
      const tooMany = await tools.callTool(FIND_TEMPLATES_TOOL, { query: 'x', limit: 6 });
      expect(tooMany.isError).toBe(true);
      const badKind = await tools.callTool(FIND_TEMPLATES_TOOL, { query: 'x', kind: 'database' });
      expect(badKind.isError).toBe(true);
    } finally {
      await tools.close();
    }
  });

  it('re-embeds everything when the embedder changes, and prunes templates the generator dropped', async () => {
    const local = createLocalEmbedder();
    const other: Embedder = { ...local, id: 'other-embedder' };
    const otherStore = await createTemplateStore({ sql: db, embedder: other });
    const switched = await seedTemplates(otherStore, { catalog });
    expect(switched.written).toEqual({ code: catalog.code.length, project: catalog.project.length });

    const smaller: TemplateCatalog = {
      code: catalog.code.slice(0, 10),
      project: catalog.project.slice(0, 2),
    };
    const pruned = await seedTemplates(otherStore, { catalog: smaller });
    expect(pruned.removed).toEqual({ code: catalog.code.length - 10, project: catalog.project.length - 2 });
    expect(await store.count()).toEqual({ code: 10, project: 2 });

    const restored = await seedTemplates(store, { catalog });
    expect(restored.written).toEqual({ code: catalog.code.length, project: catalog.project.length });
    expect((await store.search(QUERIES[0]!, { limit: 5 })).map((m) => m.name)).toEqual(
      exactRanking(catalog, QUERIES[0]!, 5),
    );
  });
});
