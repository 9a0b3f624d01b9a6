import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import type { ModelProvider } from '../../core/ports/model-provider.js';
import { createBudgetGuard, type BudgetGuard, type SpendSource } from '../budget/budget-guard.js';
import { createAnthropicProvider } from './anthropic-provider.js';
import { createPriceBook, parseModelPrices } from './model-prices.js';
import { createOfflineProvider, OFFLINE_MODEL } from './offline-provider.js';
import { createOpenAIProvider } from './openai-provider.js';
import { modelForAgent } from './provider-support.js';
import { withSecretGuard } from './secret-scan.js';

export type ModelProviderConfig = Pick<
  Config,
  'provider' | 'openai' | 'anthropic' | 'agentModels' | 'modelPrices' | 'budgets' | 'secrets'
>;

export interface ModelProviderDeps {
  logger?: Logger;
  fetch?: typeof globalThis.fetch;
  /** Recorded spend for daily budgets, e.g. createPrismaSpendSource(prisma). */
  spend?: SpendSource;
  maxRetries?: number;
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * The provider chosen by config (AUTONOMA_PROVIDER, else the first key set, else offline), wrapped
 * so that no configured secret is ever sent to a model and every call stays within the budgets.
 */
export function createModelProvider(config: ModelProviderConfig, deps: ModelProviderDeps = {}): BudgetGuard {
  const logger = deps.logger?.child({ component: 'model-provider' });
  const prices = createPriceBook({
    overrides: parseModelPrices(config.modelPrices),
    ...(logger ? { logger } : {}),
  });
  const common = {
    agentModels: config.agentModels,
    prices,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.maxRetries !== undefined ? { maxRetries: deps.maxRetries } : {}),
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
    ...(logger ? { logger } : {}),
  };
  let base: ModelProvider;
  let modelFor: (agent: string) => string;
  switch (config.provider) {
    case 'openai': {
      const options = {
        ...common,
        defaultModel: config.openai.model,
        ...(config.openai.apiKey ? { apiKey: config.openai.apiKey } : {}),
        ...(config.openai.baseUrl ? { baseURL: config.openai.baseUrl } : {}),
      };
      base = createOpenAIProvider(options);
      modelFor = (agent) => modelForAgent(options, agent);
      break;
    }
    case 'anthropic': {
      const options = {
        ...common,
        defaultModel: config.anthropic.model,
        ...(config.anthropic.apiKey ? { apiKey: config.anthropic.apiKey } : {}),
        ...(config.anthropic.baseUrl ? { baseURL: config.anthropic.baseUrl } : {}),
      };
      base = createAnthropicProvider(options);
      modelFor = (agent) => modelForAgent(options, agent);
      break;
    }
    case 'offline':
      base = createOfflineProvider();
      modelFor = () => OFFLINE_MODEL;
      break;
  }
  return createBudgetGuard(withSecretGuard(base, config.secrets), {
    limits: config.budgets,
    modelFor,
    ...(deps.spend ? { spend: deps.spend } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(logger ? { logger } : {}),
  });
}
