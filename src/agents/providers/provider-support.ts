import { AutonomaError, CancelledError, ConfigError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ChatMessage, CompletionRequest, ToolCall } from '../../core/ports/model-provider.js';
import type { PriceBook } from './model-prices.js';

/** What every hosted-model provider takes (Vercel AI SDK style: everything injectable). */
export interface HostedProviderOptions {
  /** Explicit key; else the provider's env var; else a ConfigError naming both. */
  apiKey?: string;
  /** E.g. an OpenAI-compatible local server, or a recorded stand-in in tests. */
  baseURL?: string;
  defaultModel: string;
  /** Agent role → model, overriding `defaultModel` (AUTONOMA_AGENT_MODELS). */
  agentModels?: Record<string, string>;
  prices: PriceBook;
  fetch?: typeof globalThis.fetch;
  /** Retries of 429/408/409/5xx/connection errors inside the SDK, honouring retry-after. Default 3. */
  maxRetries?: number;
  /** Per HTTP attempt. Default 5 minutes: writer agents produce whole files in one answer. */
  timeoutMs?: number;
  maxOutputTokens?: number;
  logger?: Logger;
  /** Where the key falls back to; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 300_000;

export interface ProviderIdentity {
  /** `OpenAI`, `Anthropic`: used in messages. */
  label: string;
  keyVar: string;
  baseUrlVar: string;
  option: string;
}

export function resolveApiKey(
  options: Pick<HostedProviderOptions, 'apiKey' | 'env'>,
  id: ProviderIdentity,
): string {
  const key = options.apiKey?.trim() || (options.env ?? process.env)[id.keyVar]?.trim();
  if (!key) {
    throw new ConfigError(
      `No ${id.label} API key: pass \`apiKey\` to ${id.option} or set ${id.keyVar} (or choose another provider with AUTONOMA_PROVIDER).`,
    );
  }
  return key;
}

export function modelForAgent(
  options: Pick<HostedProviderOptions, 'agentModels' | 'defaultModel'>,
  agent: string,
) {
  return options.agentModels?.[agent] ?? options.defaultModel;
}

/** ≈4 characters a token: for budgets when an OpenAI-compatible server reports no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function requestText(request: Pick<CompletionRequest, 'system' | 'messages'>): string {
  const text = (m: ChatMessage) =>
    m.role === 'assistant' ? m.content + JSON.stringify(m.toolCalls) : m.content;
  return request.system + request.messages.map(text).join('');
}

/**
 * JSON Schema as sent to a model API, where every character is paid for on every turn: without the
 * `$schema` dialect marker and the ±2^53 bounds zod writes for every integer (they say nothing).
 */
export function schemaForApi(schema: Record<string, unknown>): Record<string, unknown> {
  return slim(schema) as Record<string, unknown>;
}

function slim(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(slim);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$schema') continue;
    if ((key === 'maximum' || key === 'minimum') && Math.abs(Number(inner)) === Number.MAX_SAFE_INTEGER)
      continue;
    kept[key] = slim(inner);
  }
  return kept;
}

/** Parses a model's tool arguments; malformed JSON is kept for the runner to return as a tool error. */
export function parseToolArguments(
  raw: string,
): Pick<ToolCall, 'arguments'> & Partial<Pick<ToolCall, 'invalidArguments'>> {
  if (raw.trim() === '') return { arguments: {} };
  try {
    const value: unknown = JSON.parse(raw);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return { arguments: value as Record<string, unknown> };
    return { arguments: {}, invalidArguments: { raw, error: 'expected a JSON object' } };
  } catch (error) {
    return { arguments: {}, invalidArguments: { raw, error: (error as Error).message } };
  }
}

/** The SDKs log through this (they default to `console`). */
export function sdkLogger(logger: Logger) {
  type LogFn = (message: string, ...rest: unknown[]) => void;
  const at =
    (level: 'error' | 'warn' | 'info' | 'debug'): LogFn =>
    (message, ...rest) =>
      logger[level]({ details: rest.length > 0 ? rest : undefined }, message);
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** An SDK error, classified by the provider that knows its SDK's classes. */
export type ProviderFailure =
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  | { kind: 'connection'; message: string }
  | { kind: 'status'; status: number; message: string; code?: string | null; requestId?: string | null };

/** Turns an SDK failure (after the SDK's own retries) into an AutonomaError saying what to do. */
export function providerError(
  failure: ProviderFailure,
  cause: unknown,
  id: ProviderIdentity,
  context: { model: string; baseURL: string; signal?: AbortSignal },
): AutonomaError {
  const { label, keyVar, baseUrlVar } = id;
  switch (failure.kind) {
    case 'aborted': {
      const reason: unknown = context.signal?.reason;
      return reason instanceof AutonomaError ? reason : new CancelledError(undefined, { cause });
    }
    case 'timeout':
      return new AutonomaError('timeout', `${label} did not answer in time (model ${context.model}).`, {
        cause,
        retryable: true,
      });
    case 'connection':
      return new AutonomaError(
        'upstream_unavailable',
        `Could not reach ${label} at ${context.baseURL} (${failure.message}); check ${baseUrlVar} and the network.`,
        { cause, retryable: true },
      );
    case 'status':
      break;
  }
  const { status, message, code } = failure;
  const details = { status, code: code ?? undefined, requestId: failure.requestId ?? undefined };
  const fail = (codeName: AutonomaError['code'], text: string, retryable = false) =>
    new AutonomaError(codeName, text, { cause, retryable, details });
  if (status === 401)
    return fail(
      'unauthorized',
      `${keyVar} was rejected by ${label} (401: ${message}). Check the key, or ${baseUrlVar} if you use a proxy or compatible server.`,
    );
  if (status === 403)
    return fail('forbidden', `${label} refused the request (403: ${message}); check the key's permissions.`);
  if (status === 404)
    return fail(
      'agent_failed',
      `${label} does not know model ${context.model} at ${context.baseURL} (404: ${message}); check the model name (AUTONOMA_AGENT_MODELS, or the provider's *_MODEL variable).`,
    );
  if (status === 429 && (code === 'insufficient_quota' || /quota|billing|credit/i.test(message)))
    return fail(
      'rate_limited',
      `${label} says the account is out of quota (429: ${message}); add credit or use another key.`,
    );
  if (status === 429)
    return fail(
      'rate_limited',
      `${label} is rate limiting requests (429: ${message}); still limited after retries.`,
      true,
    );
  if (status === 408 || status === 409 || status >= 500)
    return fail('upstream_unavailable', `${label} is unavailable (${status}: ${message}).`, true);
  return fail('agent_failed', `${label} rejected the request (${status}: ${message}).`);
}
