import OpenAI from 'openai';
import { AutonomaError, ConfigError, throwIfAborted } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { sdkLogger } from '../providers/provider-support.js';
import { EMBEDDING_DIMENSIONS, type Embedder } from './embedder.js';

export const OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

export interface OpenAIEmbedderOptions {
  /** Explicit key; else OPENAI_API_KEY from `env`; else a ConfigError naming both. */
  apiKey?: string;
  baseURL?: string;
  model?: string;
  fetch?: typeof globalThis.fetch;
  maxRetries?: number;
  timeoutMs?: number;
  /** Texts per request (the API takes up to 2048). */
  batchSize?: number;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** text-embedding-3-small reads at most 8191 tokens: ~4 characters a token, with room to spare. */
const MAX_INPUT_CHARS = 24_000;

/**
 * OpenAI embeddings (`text-embedding-3-small`, shortened to 256 dimensions by the API itself, which
 * keeps them unit length) through the official SDK, so OPENAI_BASE_URL and retries behave as for chat.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions = {}): Embedder {
  const apiKey = options.apiKey?.trim() || (options.env ?? process.env).OPENAI_API_KEY?.trim();
  if (!apiKey) {
    throw new ConfigError(
      'No OpenAI API key for embeddings: pass `apiKey` to createOpenAIEmbedder or set OPENAI_API_KEY (without one, templates use the local embedder).',
    );
  }
  const model = options.model ?? OPENAI_EMBEDDING_MODEL;
  const baseURL = options.baseURL ?? 'https://api.openai.com/v1';
  const client = new OpenAI({
    apiKey,
    baseURL,
    maxRetries: options.maxRetries ?? 3,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: sdkLogger(options.logger) } : { logLevel: 'off' as const }),
    organization: null,
    project: null,
  });
  const batchSize = options.batchSize ?? 100;
  return {
    id: `openai:${model}:${EMBEDDING_DIMENSIONS}`,
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts, signal) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        throwIfAborted(signal);
        const batch = texts.slice(start, start + batchSize).map((t) => t.slice(0, MAX_INPUT_CHARS) || ' ');
        let response: OpenAI.CreateEmbeddingResponse;
        try {
          response = await client.embeddings.create(
            { model, input: batch, dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
            signal ? { signal } : undefined,
          );
        } catch (error) {
          throwIfAborted(signal);
          const status = error instanceof OpenAI.APIError ? error.status : undefined;
          throw new AutonomaError(
            status === 401 ? 'unauthorized' : 'upstream_unavailable',
            `OpenAI embeddings failed at ${baseURL} (${status ?? 'no answer'}: ${(error as Error).message}); ` +
              'check OPENAI_API_KEY and OPENAI_BASE_URL, or unset the key to use the local embedder.',
            { cause: error, retryable: status === undefined || status === 429 || status >= 500 },
          );
        }
        const ordered = [...response.data].sort((a, b) => a.index - b.index);
        if (
          ordered.length !== batch.length ||
          ordered.some((d) => d.embedding.length !== EMBEDDING_DIMENSIONS)
        ) {
          throw new AutonomaError(
            'upstream_unavailable',
            `OpenAI embeddings at ${baseURL} did not return ${batch.length} vectors of ${EMBEDDING_DIMENSIONS} numbers (model ${model}).`,
          );
        }
        vectors.push(...ordered.map((d) => d.embedding));
      }
      return vectors;
    },
  };
}
