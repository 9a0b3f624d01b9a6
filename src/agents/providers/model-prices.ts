import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { TokenUsage } from '../../core/ports/model-provider.js';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices (USD per million input/output tokens) of common models, as published by OpenAI and
 * Anthropic. Cached-input discounts are ignored: costs err on the high side, which budgets want.
 * Override or extend with AUTONOMA_MODEL_PRICES.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-sonnet-4-6': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
};

const PriceOverridesSchema = z.record(
  z.string().min(1).max(100),
  z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict(),
);

const OVERRIDE_EXAMPLE = '{"gpt-4.1":{"input":2,"output":8},"my-local-model":{"input":0,"output":0}}';

/** Parses AUTONOMA_MODEL_PRICES (JSON: model → USD per million input/output tokens). */
export function parseModelPrices(raw: string | undefined): Record<string, ModelPrice> {
  if (raw === undefined || raw.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(
      `AUTONOMA_MODEL_PRICES is not valid JSON (${(error as Error).message}); expected e.g. ${OVERRIDE_EXAMPLE}`,
      { cause: error },
    );
  }
  const parsed = PriceOverridesSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(
      `AUTONOMA_MODEL_PRICES must map model names to USD per million tokens, e.g. ${OVERRIDE_EXAMPLE}: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
}

export interface PriceBook {
  /** The price of a model, matching dated snapshots (`gpt-4.1-2025-04-14`) to their base name. */
  priceOf(model: string): ModelPrice | undefined;
  /** USD for a usage; 0 (and a warning, once per model) when the model has no price. */
  cost(model: string, usage: TokenUsage): number;
}

/** Strips a snapshot date: `-2025-04-14`, `-20250929`, `-latest`. */
function baseModelName(model: string): string {
  return model.replace(/-(?:\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, '');
}

export function createPriceBook(
  options: { overrides?: Record<string, ModelPrice>; logger?: Logger } = {},
): PriceBook {
  const prices = new Map(Object.entries({ ...DEFAULT_MODEL_PRICES, ...options.overrides }));
  const warned = new Set<string>();
  const names = [...prices.keys()].sort((a, b) => b.length - a.length);
  const priceOf = (model: string): ModelPrice | undefined => {
    const exact = prices.get(model) ?? prices.get(baseModelName(model));
    if (exact) return exact;
    // `openai/gpt-4.1` (routers) or `gpt-4.1-preview`: longest known name inside it.
    const stripped = model.slice(model.lastIndexOf('/') + 1);
    const match = names.find((name) => stripped === name || stripped.startsWith(`${name}-`));
    return match === undefined ? undefined : prices.get(match);
  };
  return {
    priceOf,
    cost(model, usage) {
      const price = priceOf(model);
      if (!price) {
        if (!warned.has(model)) {
          warned.add(model);
          options.logger?.warn(
            { model },
            'no price known for this model: its cost counts as 0 and only token budgets apply; add it to AUTONOMA_MODEL_PRICES',
          );
        }
        return 0;
      }
      return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
    },
  };
}
