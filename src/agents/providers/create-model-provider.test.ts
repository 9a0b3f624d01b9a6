import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../core/errors.js';
import { testConfig } from '../../../tests/helpers/test-env.js';
import { createModelProvider } from './create-model-provider.js';

describe('createModelProvider', () => {
  it('picks the provider from config', () => {
    expect(createModelProvider(testConfig()).name).toBe('offline');
    expect(createModelProvider(testConfig({ OPENAI_API_KEY: 'sk-test-1234567890' })).name).toBe('openai');
    expect(createModelProvider(testConfig({ ANTHROPIC_API_KEY: 'sk-ant-1234567890' })).name).toBe(
      'anthropic',
    );
    expect(
      createModelProvider(testConfig({ AUTONOMA_PROVIDER: 'offline', OPENAI_API_KEY: 'sk-test-1234567890' }))
        .name,
    ).toBe('offline');
  });

  it('explains a missing key and a bad price table', () => {
    const previous = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => createModelProvider(testConfig({ AUTONOMA_PROVIDER: 'openai' }))).toThrow(ConfigError);
      expect(() => createModelProvider(testConfig({ AUTONOMA_PROVIDER: 'openai' }))).toThrow(
        /OPENAI_API_KEY/,
      );
    } finally {
      if (previous !== undefined) process.env.OPENAI_API_KEY = previous;
    }
    expect(() => createModelProvider(testConfig({ AUTONOMA_MODEL_PRICES: '[1]' }))).toThrow(
      /AUTONOMA_MODEL_PRICES/,
    );
  });

  it('prices the offline provider at 0 but still counts its tokens', async () => {
    const provider = createModelProvider(testConfig());
    expect(provider.cost('autonoma-offline-1', { inputTokens: 1000, outputTokens: 1000 })).toBe(0);
  });
});
