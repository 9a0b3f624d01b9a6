/** Template retrieval: embedders, the pgvector-or-fallback store, and the seeder fed by the generator. */
export { cosineSimilarity, EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.js';
export { createEmbedder, type EmbedderDeps } from './create-embedder.js';
export { createLocalEmbedder, embedLocally, LOCAL_EMBEDDER_ID } from './local-embedder.js';
export {
  createOpenAIEmbedder,
  OPENAI_EMBEDDING_MODEL,
  type OpenAIEmbedderOptions,
} from './openai-embedder.js';
export { seedTemplates, type SeedOptions, type SeedResult } from './seed-templates.js';
export {
  buildTemplateCatalog,
  REPRESENTATIVE_PROMPTS,
  type CatalogCodeTemplate,
  type CatalogProjectTemplate,
  type TemplateCatalog,
} from './template-catalog.js';
export {
  createTemplateStore,
  detectVectorMode,
  MAX_SEARCH_LIMIT,
  prismaSqlClient,
  TEMPLATE_KINDS,
  TEMPLATE_SEARCH_FALLBACK_WARNING,
  type CodeTemplateRow,
  type ProjectTemplateRow,
  type RawQueryable,
  type SearchOptions,
  type SqlClient,
  type TemplateKind,
  type TemplateMatch,
  type TemplateStore,
  type TemplateStoreOptions,
  type VectorMode,
} from './template-store.js';
