import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { Embedder } from './embedder.js';
import { createLocalEmbedder } from './local-embedder.js';
import { createOpenAIEmbedder } from './openai-embedder.js';

export interface EmbedderDeps {
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

/** OpenAI embeddings when an OpenAI key is configured (whatever the chat provider), else the local embedder. */
export function createEmbedder(config: Pick<Config, 'openai'>, deps: EmbedderDeps = {}): Embedder {
  const { apiKey, baseUrl } = config.openai;
  if (!apiKey) return createLocalEmbedder();
  return createOpenAIEmbedder({
    apiKey,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.logger ? { logger: deps.logger.child({ component: 'embedder' }) } : {}),
  });
}
