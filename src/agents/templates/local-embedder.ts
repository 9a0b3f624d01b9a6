import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.js';

/**
 * A deterministic embedder that needs no model: words, word pairs and character trigrams hashed into
 * 256 signed buckets (the "hashing trick"), weighted, then L2-normalised. Good enough to rank a few
 * hundred templates by shared vocabulary; the same text gives the same bytes on every machine.
 */
export const LOCAL_EMBEDDER_ID = 'local-hash-v1';

const WORD_WEIGHT = 1;
const PAIR_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;

/** Words that say nothing about which template fits. */
const STOPWORDS = new Set(
  'a an and are as at be by for from has have i in is it its my of on or our so that the their this to we with where which who will you your'.split(
    ' ',
  ),
);

/**
 * FNV-1a (32 bits) with MurmurHash3's finaliser: FNV's low bits alone mix poorly, and the low bits
 * pick the bucket and the sign. Fast, stable across platforms, no dependency.
 */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Lower-case words, with camelCase, kebab-case and snake_case split into their parts. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !STOPWORDS.has(word));
}

function add(vector: number[], feature: string, weight: number): void {
  const hash = hash32(feature);
  const index = hash % vector.length;
  // The top bit picks the sign, so collisions cancel out on average instead of piling up.
  const sign = hash >>> 31 ? 1 : -1;
  vector[index] = (vector[index] ?? 0) + sign * weight;
}

export function embedLocally(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector: number[] = new Array<number>(dimensions).fill(0);
  const tokens = words(text);
  tokens.forEach((word, i) => {
    add(vector, `w:${word}`, WORD_WEIGHT);
    const next = tokens[i + 1];
    if (next !== undefined) add(vector, `p:${word} ${next}`, PAIR_WEIGHT);
    const padded = `#${word}#`;
    for (let j = 0; j + 3 <= padded.length; j += 1)
      add(vector, `t:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT);
  });
  // Dampen repeated terms (long code files repeat `const`, `return`…) like a log term frequency would.
  const damped = vector.map((x) => Math.sign(x) * Math.log1p(Math.abs(x)));
  const unit: number[] = normalize(damped);
  // Text with no words at all still gets a valid (non-zero) vector: cosine needs one.
  if (!unit.some((x) => x !== 0)) unit[0] = 1;
  return unit;
}

export function createLocalEmbedder(options: { dimensions?: number } = {}): Embedder {
  const dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
  return {
    id: dimensions === EMBEDDING_DIMENSIONS ? LOCAL_EMBEDDER_ID : `${LOCAL_EMBEDDER_ID}-${dimensions}`,
    dimensions,
    embed: (texts) => Promise.resolve(texts.map((text) => embedLocally(text, dimensions))),
  };
}
