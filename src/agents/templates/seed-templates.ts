import { throwIfAborted } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { buildTemplateCatalog, type TemplateCatalog } from './template-catalog.js';
import type { SeedFingerprint, TemplateStore } from './template-store.js';

export interface SeedResult {
  /** Rows written (new, changed, or embedded by another embedder before). */
  written: { code: number; project: number };
  unchanged: { code: number; project: number };
  /** Seeded rows the generator no longer has. */
  removed: { code: number; project: number };
  embedder: string;
  durationMs: number;
}

export interface SeedOptions {
  catalog?: TemplateCatalog;
  logger?: Logger;
  signal?: AbortSignal;
}

function stale<T extends { name: string; sourceHash: string }>(
  rows: readonly T[],
  seeded: readonly SeedFingerprint[],
  embedder: string,
): T[] {
  const known = new Map(seeded.map((f) => [f.name, f]));
  return rows.filter((row) => {
    const previous = known.get(row.name);
    return previous?.sourceHash !== row.sourceHash || previous.embedder !== embedder;
  });
}

/**
 * Fills code_templates and project_templates from the generator's own templates. Idempotent: a row
 * is re-embedded only when its content or the embedder changed, so a restart costs no embedding calls.
 */
export async function seedTemplates(store: TemplateStore, options: SeedOptions = {}): Promise<SeedResult> {
  const started = Date.now();
  const catalog = options.catalog ?? buildTemplateCatalog();
  const embedder = store.embedder;
  const seed = (sourceHash: string) => ({ seed: { sourceHash, embedder: embedder.id } });

  const code = stale(catalog.code, await store.seededFingerprints('code'), embedder.id);
  const project = stale(catalog.project, await store.seededFingerprints('project'), embedder.id);
  throwIfAborted(options.signal);
  const vectors = await embedder.embed(
    [...code.map((c) => c.text), ...project.map((p) => p.text)],
    options.signal,
  );
  throwIfAborted(options.signal);
  await store.upsertCodeTemplates(
    code.map((c, i) => ({
      name: c.name,
      kind: c.kind,
      framework: c.framework,
      code: c.code,
      metadata: { path: c.path, ...seed(c.sourceHash) },
      embedding: vectors[i] ?? [],
    })),
  );
  await store.upsertProjectTemplates(
    project.map((p, i) => ({
      name: p.name,
      description: p.description,
      config: { ...p.config, ...seed(p.sourceHash) },
      embedding: vectors[code.length + i] ?? [],
    })),
  );
  const removed = {
    code: await store.pruneSeeded(
      'code',
      catalog.code.map((c) => c.name),
    ),
    project: await store.pruneSeeded(
      'project',
      catalog.project.map((p) => p.name),
    ),
  };
  const result: SeedResult = {
    written: { code: code.length, project: project.length },
    unchanged: { code: catalog.code.length - code.length, project: catalog.project.length - project.length },
    removed,
    embedder: embedder.id,
    durationMs: Date.now() - started,
  };
  options.logger?.child({ component: 'template-seeder' }).info(result, 'templates seeded');
  return result;
}
