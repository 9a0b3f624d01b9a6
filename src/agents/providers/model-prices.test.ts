import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../core/errors.js';
import { memoryLogger } from '../../../tests/helpers/test-env.js';
import { createPriceBook, parseModelPrices } from './model-prices.js';

describe('model prices', () => {
  it('prices dated snapshots and routed names by their base model', () => {
    const book = createPriceBook();
    expect(book.priceOf('gpt-4.1-2025-04-14')).toEqual({ input: 2, output: 8 });
    expect(book.priceOf('gpt-4.1-mini-2025-04-14')).toEqual({ input: 0.4, output: 1.6 });
    expect(book.priceOf('claude-haiku-4-5-20251001')).toEqual({ input: 1, output: 5 });
    expect(book.priceOf('openai/gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(book.cost('gpt-4.1', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBe(6);
  });

  it('takes AUTONOMA_MODEL_PRICES overrides and new models', () => {
    const book = createPriceBook({
      overrides: parseModelPrices(
        '{"gpt-4.1":{"input":1,"output":4},"qwen2.5-coder":{"input":0,"output":0}}',
      ),
    });
    expect(book.priceOf('gpt-4.1')).toEqual({ input: 1, output: 4 });
    expect(book.priceOf('qwen2.5-coder')).toEqual({ input: 0, output: 0 });
  });

  it('rejects a malformed override naming the variable and an example', () => {
    expect(() => parseModelPrices('{"gpt-4.1":{"input":"two"}}')).toThrow(ConfigError);
    expect(() => parseModelPrices('{"gpt-4.1":{"input":"two"}}')).toThrow(/^AUTONOMA_MODEL_PRICES must map/);
    expect(() => parseModelPrices('{not json')).toThrow(/^AUTONOMA_MODEL_PRICES is not valid JSON/);
    expect(parseModelPrices(undefined)).toEqual({});
  });

  it('costs an unknown model 0 and warns once per model', () => {
    const { logger, lines } = memoryLogger('warn');
    const book = createPriceBook({ logger });
    const usage = { inputTokens: 10, outputTokens: 10 };
    expect(book.cost('llama-local', usage)).toBe(0);
    expect(book.cost('llama-local', usage)).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('AUTONOMA_MODEL_PRICES');
    expect(lines[0]).toContain('llama-local');
  });
});
