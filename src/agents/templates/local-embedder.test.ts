import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { cosineSimilarity, EMBEDDING_DIMENSIONS } from './embedder.js';
import { createLocalEmbedder, embedLocally, words } from './local-embedder.js';

const digest = (vector: number[]) => createHash('sha256').update(Float64Array.from(vector)).digest('hex');

describe('the local embedder', () => {
  it('is deterministic: same text, same 256 numbers, in every call and every embedder instance', async () => {
    const text = 'An Express router with zod validation for CRUD endpoints';
    const [a] = await createLocalEmbedder().embed([text]);
    const [b] = await createLocalEmbedder().embed([text]);
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(digest(a!)).toBe(digest(b!));
    expect(digest(embedLocally(text))).toBe(digest(a!));
  });

  it('pins its output, so a change to the hashing (which invalidates stored embeddings) is deliberate', () => {
    const vector = embedLocally('a recipe app where users rate dishes');
    const fingerprint = createHash('sha256')
      .update(vector.map((x) => x.toFixed(9)).join(','))
      .digest('hex');
    expect(fingerprint).toBe('f52e26ae2d3e648db05b6105144d6af04745e438bb2d2e2db8137d0c7e66f52f');
  });

  it('returns unit vectors, also for text without words', () => {
    for (const text of ['hello world', 'x'.repeat(10_000), '!!! ???', '']) {
      const norm = Math.sqrt(embedLocally(text).reduce((sum, x) => sum + x * x, 0));
      expect(norm).toBeCloseTo(1, 10);
    }
  });

  it('splits identifiers and drops filler words', () => {
    expect(words('The userProfile-page and user_settings')).toEqual([
      'user',
      'profile',
      'page',
      'user',
      'settings',
    ]);
  });

  it('puts texts that share vocabulary closer than texts that do not', () => {
    const query = embedLocally('GitHub Actions CI workflow');
    const ci = embedLocally('deployment github-actions .github workflows ci.yml: name: CI on push jobs');
    const css = embedLocally('frontend react styles.css: body { margin: 0 } .button { color: blue }');
    expect(cosineSimilarity(query, ci)).toBeGreaterThan(cosineSimilarity(query, css) + 0.1);
  });
});
