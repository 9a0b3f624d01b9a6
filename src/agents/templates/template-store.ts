import { AutonomaError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { type AppPart, OFFLINE_PARTS } from '../registry.js';
import { EMBEDDING_DIMENSIONS, type Embedder } from './embedder.js';

/**
 * The part of a SQL client the store needs. `pg.Pool`, `pg.Client` and PGlite fit as they are;
 * `prismaSqlClient(prisma)` adapts a Prisma client.
 */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** What a Prisma client offers for raw SQL (kept structural so this file does not import Prisma). */
export interface RawQueryable {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export function prismaSqlClient(prisma: RawQueryable): SqlClient {
  return {
    query: async (text, params = []) => ({ rows: await prisma.$queryRawUnsafe<unknown[]>(text, ...params) }),
  };
}

/** `pgvector`: a `vector(256)` column with an HNSW index; `float-array`: `double precision[]`, exact cosine in SQL. */
export type VectorMode = 'pgvector' | 'float-array';

/** Code template kinds are the generator's parts (its `project` part is the scaffold); `project` is a whole-app template. */
export type TemplateKind = 'project' | 'scaffold' | Exclude<AppPart, 'project'>;
export const TEMPLATE_KINDS: readonly [TemplateKind, ...TemplateKind[]] = [
  'project',
  'scaffold',
  ...OFFLINE_PARTS.flatMap(({ part }) => (part === 'project' ? [] : [part])),
];

export interface CodeTemplateRow {
  name: string;
  kind: Exclude<TemplateKind, 'project'>;
  framework: string;
  code: string;
  metadata: Record<string, unknown>;
  embedding: number[];
}

export interface ProjectTemplateRow {
  name: string;
  description: string;
  config: Record<string, unknown>;
  previewUrl?: string | null;
  embedding: number[];
}

export interface TemplateMatch {
  name: string;
  kind: TemplateKind;
  /** Express, React, vitest… for code; the archetype for project templates. */
  framework: string;
  /** The start of the code, or the project's description. */
  excerpt: string;
  /** Cosine similarity, 1 = same direction. */
  similarity: number;
}

export interface SearchOptions {
  kind?: TemplateKind;
  limit?: number;
  /** Characters of code returned per match (default 600). */
  excerptChars?: number;
  signal?: AbortSignal;
}

/** A seeded row's fingerprint: what its embedding was computed from, and by which embedder. */
export interface SeedFingerprint {
  name: string;
  sourceHash: string | null;
  embedder: string | null;
}

export interface TemplateStore {
  readonly mode: VectorMode;
  readonly embedder: Embedder;
  upsertCodeTemplates(rows: readonly CodeTemplateRow[]): Promise<void>;
  upsertProjectTemplates(rows: readonly ProjectTemplateRow[]): Promise<void>;
  /** Rows carrying a `seed` fingerprint in metadata/config (what the seeder wrote). */
  seededFingerprints(table: 'code' | 'project'): Promise<SeedFingerprint[]>;
  /** Deletes seeded rows whose name is not in `keep` (templates the generator no longer has). */
  pruneSeeded(table: 'code' | 'project', keep: readonly string[]): Promise<number>;
  /** Nearest templates to a text (embedded with the store's embedder) or to a vector. */
  search(query: string | number[], options?: SearchOptions): Promise<TemplateMatch[]>;
  count(): Promise<{ code: number; project: number }>;
}

export interface TemplateStoreOptions {
  sql: SqlClient;
  embedder: Embedder;
  logger?: Logger;
}

export const TEMPLATE_SEARCH_FALLBACK_WARNING =
  'pgvector is not available: template search computes exact cosine similarity in SQL over float arrays (fine for hundreds of templates). ' +
  'Use a PostgreSQL with the vector extension (e.g. pgvector/pgvector:pg16) for indexed search.';

export const MAX_SEARCH_LIMIT = 5;

/** Reads the type of the `embedding` columns that the migration chose (`vector` or `_float8`). */
export async function detectVectorMode(sql: SqlClient): Promise<VectorMode> {
  const { rows } = await sql.query(
    `SELECT table_name::text AS table_name, udt_name::text AS udt_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name IN ('code_templates', 'project_templates')
       AND column_name = 'embedding'`,
  );
  const types = new Map(
    (rows as Array<{ table_name: string; udt_name: string }>).map((r) => [r.table_name, r.udt_name]),
  );
  const code = types.get('code_templates');
  const project = types.get('project_templates');
  if (code === undefined || project === undefined) {
    throw new AutonomaError(
      'config_invalid',
      'The template tables have no embedding column: run `autonoma db:migrate` against this database first.',
    );
  }
  if (code === 'vector' && project === 'vector') return 'pgvector';
  if (code === '_float8' && project === '_float8') return 'float-array';
  throw new AutonomaError(
    'config_invalid',
    `Unexpected embedding column types (code_templates: ${code}, project_templates: ${project}); expected vector or double precision[].`,
  );
}

function vectorLiteral(vector: readonly number[], mode: VectorMode): string {
  if (vector.length !== EMBEDDING_DIMENSIONS || vector.some((x) => !Number.isFinite(x))) {
    throw new AutonomaError(
      'internal',
      `An embedding must be ${EMBEDDING_DIMENSIONS} finite numbers (got ${vector.length}).`,
    );
  }
  const body = vector.join(',');
  return mode === 'pgvector' ? `[${body}]` : `{${body}}`;
}

const CAST: Record<VectorMode, string> = { pgvector: 'vector', 'float-array': 'float8[]' };

/**
 * Similarity and order per mode. With pgvector the ORDER BY is the bare `<=>` distance so the planner
 * can use the HNSW index; without it, cosine is computed exactly over the two arrays.
 */
function rankingSql(mode: VectorMode, alias: string): { similarity: string; join: string; orderBy: string } {
  if (mode === 'pgvector') {
    return {
      similarity: `1 - (${alias}.embedding <=> $1::vector)`,
      join: '',
      orderBy: `${alias}.embedding <=> $1::vector`,
    };
  }
  return {
    similarity: 'cos.similarity',
    join: `CROSS JOIN LATERAL (
      SELECT sum(a * b) / NULLIF(sqrt(sum(a * a)) * sqrt(sum(b * b)), 0) AS similarity
      FROM unnest(${alias}.embedding, $1::float8[]) AS u(a, b)
    ) cos`,
    orderBy: `cos.similarity DESC NULLS LAST, ${alias}.name`,
  };
}

function seedKey(table: 'code' | 'project'): { table: string; json: string } {
  return table === 'code'
    ? { table: 'code_templates', json: 'metadata' }
    : { table: 'project_templates', json: 'config' };
}

export async function createTemplateStore(options: TemplateStoreOptions): Promise<TemplateStore> {
  const { sql, embedder } = options;
  if (embedder.dimensions !== EMBEDDING_DIMENSIONS) {
    throw new AutonomaError(
      'config_invalid',
      `The template tables hold ${EMBEDDING_DIMENSIONS}-dimensional embeddings; embedder ${embedder.id} makes ${embedder.dimensions}.`,
    );
  }
  const mode = await detectVectorMode(sql);
  const logger = options.logger?.child({ component: 'template-store' });
  if (mode === 'float-array') logger?.warn({ mode }, TEMPLATE_SEARCH_FALLBACK_WARNING);
  const cast = CAST[mode];

  async function searchTable(
    table: 'code' | 'project',
    vector: string,
    limit: number,
    kind: TemplateKind | undefined,
    excerptChars: number,
  ): Promise<TemplateMatch[]> {
    const rank = rankingSql(mode, 't');
    const text =
      table === 'code'
        ? `SELECT t.name, t.kind, t.framework, left(t.code, $3::int) AS excerpt, (${rank.similarity})::float8 AS similarity
           FROM code_templates t ${rank.join}
           WHERE t.embedding IS NOT NULL ${kind ? 'AND t.kind = $4' : ''}
           ORDER BY ${rank.orderBy} LIMIT $2::int`
        : `SELECT t.name, 'project' AS kind, coalesce(t.config->>'archetype', '') AS framework,
                  left(t.description, $3::int) AS excerpt, (${rank.similarity})::float8 AS similarity
           FROM project_templates t ${rank.join}
           WHERE t.embedding IS NOT NULL
           ORDER BY ${rank.orderBy} LIMIT $2::int`;
    const params: unknown[] = [vector, limit, excerptChars];
    if (table === 'code' && kind) params.push(kind);
    const { rows } = await sql.query(text, params);
    return (rows as Array<Omit<TemplateMatch, 'similarity'> & { similarity: number | string }>).map((r) => ({
      name: r.name,
      kind: r.kind,
      framework: r.framework,
      excerpt: r.excerpt,
      similarity: Number(r.similarity),
    }));
  }

  return {
    mode,
    embedder,

    async upsertCodeTemplates(rows) {
      for (const row of rows) {
        await sql.query(
          `INSERT INTO code_templates (id, name, kind, framework, code, metadata, embedding)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6::${cast})
           ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, framework = EXCLUDED.framework,
             code = EXCLUDED.code, metadata = EXCLUDED.metadata, embedding = EXCLUDED.embedding`,
          [
            row.name,
            row.kind,
            row.framework,
            row.code,
            JSON.stringify(row.metadata),
            vectorLiteral(row.embedding, mode),
          ],
        );
      }
    },

    async upsertProjectTemplates(rows) {
      for (const row of rows) {
        await sql.query(
          `INSERT INTO project_templates (id, name, description, config, preview_url, embedding)
           VALUES (gen_random_uuid(), $1, $2, $3::jsonb, $4, $5::${cast})
           ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, config = EXCLUDED.config,
             preview_url = EXCLUDED.preview_url, embedding = EXCLUDED.embedding`,
          [
            row.name,
            row.description,
            JSON.stringify(row.config),
            row.previewUrl ?? null,
            vectorLiteral(row.embedding, mode),
          ],
        );
      }
    },

    async seededFingerprints(table) {
      const { table: name, json } = seedKey(table);
      const { rows } = await sql.query(
        `SELECT name, ${json}->'seed'->>'sourceHash' AS "sourceHash", ${json}->'seed'->>'embedder' AS embedder
         FROM ${name} WHERE ${json}->'seed' IS NOT NULL AND embedding IS NOT NULL`,
      );
      return rows as SeedFingerprint[];
    },

    async pruneSeeded(table, keep) {
      const { table: name, json } = seedKey(table);
      const { rows } = await sql.query(
        `DELETE FROM ${name} WHERE ${json}->'seed' IS NOT NULL AND NOT (name = ANY($1::text[])) RETURNING name`,
        [keep],
      );
      return rows.length;
    },

    async search(query, searchOptions = {}) {
      const limit = Math.min(
        Math.max(Math.trunc(searchOptions.limit ?? MAX_SEARCH_LIMIT), 1),
        MAX_SEARCH_LIMIT,
      );
      const excerptChars = searchOptions.excerptChars ?? 600;
      const vector =
        typeof query === 'string' ? (await embedder.embed([query], searchOptions.signal))[0] : query;
      if (vector === undefined) throw new AutonomaError('internal', 'The embedder returned no vector.');
      const literal = vectorLiteral(vector, mode);
      const { kind } = searchOptions;
      const matches =
        kind === 'project'
          ? await searchTable('project', literal, limit, undefined, excerptChars)
          : kind !== undefined
            ? await searchTable('code', literal, limit, kind, excerptChars)
            : [
                ...(await searchTable('code', literal, limit, undefined, excerptChars)),
                ...(await searchTable('project', literal, limit, undefined, excerptChars)),
              ];
      return matches
        .sort((a, b) => b.similarity - a.similarity || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .slice(0, limit);
    },

    async count() {
      const { rows } = await sql.query(
        `SELECT (SELECT count(*) FROM code_templates)::int AS code, (SELECT count(*) FROM project_templates)::int AS project`,
      );
      const row = rows[0] as { code: number; project: number };
      return { code: Number(row.code), project: Number(row.project) };
    },
  };
}
