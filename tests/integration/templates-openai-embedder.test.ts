import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  createEmbedder,
  createOpenAIEmbedder,
  embedLocally,
  LOCAL_EMBEDDER_ID,
  OPENAI_EMBEDDING_MODEL,
} from '../../src/agents/templates/index.js';
import { AutonomaError } from '../../src/core/errors.js';
import { startModelStandIn, type ModelStandIn } from '../helpers/model-stand-in.js';
import { testConfig } from '../helpers/test-env.js';

/** The OpenAI embedder through the official SDK, against the wire-format stand-in (no network). */
const API_KEY = 'sk-standin-embeddings-5f2e9c';
let standIn: ModelStandIn;

beforeAll(async () => {
  standIn = await startModelStandIn({ apiKey: API_KEY });
});
afterAll(async () => {
  await standIn.close();
});

describe('embedders', () => {
  it('asks text-embedding-3-small for 256 float dimensions, in batches, keeping the input order', async () => {
    const embedder = createOpenAIEmbedder({ apiKey: API_KEY, baseURL: standIn.openaiBaseUrl, batchSize: 2 });
    expect(embedder.id).toBe(`openai:${OPENAI_EMBEDDING_MODEL}:256`);
    const texts = ['express router', 'react form', 'docker compose'];
    const before = standIn.requests.length;
    const vectors = await embedder.embed(texts);
    expect(vectors).toEqual(texts.map((t) => embedLocally(t)));
    const sent = standIn.requests.slice(before);
    expect(sent.map((r) => r.body.input)).toEqual([texts.slice(0, 2), texts.slice(2)]);
    expect(sent[0]?.body).toMatchObject({
      model: OPENAI_EMBEDDING_MODEL,
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('says which key and URL to check when the key is rejected', async () => {
    const embedder = createOpenAIEmbedder({
      apiKey: 'sk-wrong-key-000000',
      baseURL: standIn.openaiBaseUrl,
      maxRetries: 0,
    });
    const failure = await embedder.embed(['x']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AutonomaError);
    expect(failure).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/OPENAI_API_KEY.*OPENAI_BASE_URL/),
    });
  });

  it('is chosen from config: OpenAI when its key is set, else the local embedder', () => {
    expect(createEmbedder(testConfig()).id).toBe(LOCAL_EMBEDDER_ID);
    expect(createEmbedder(testConfig({ ANTHROPIC_API_KEY: 'sk-ant-only-123456' })).id).toBe(
      LOCAL_EMBEDDER_ID,
    );
    expect(
      createEmbedder(testConfig({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: standIn.openaiBaseUrl })).id,
    ).toBe(`openai:${OPENAI_EMBEDDING_MODEL}:256`);
  });
});
