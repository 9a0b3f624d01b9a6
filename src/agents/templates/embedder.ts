/**
 * Text → vector for template retrieval. The database columns are `vector(256)` (or `float8[]`), so every
 * embedder returns 256 numbers; vectors from different embedders are not comparable, hence `id`.
 */
export const EMBEDDING_DIMENSIONS = 256;

export interface Embedder {
  /** Stable name of the model and its settings, stored with each embedding (`local-hash-v1`, …). */
  readonly id: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}

/** Scales a vector to unit length; the zero vector stays zero. */
export function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
