import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type {
  ChatMessage,
  CompletionRequest,
  CompletionResponse,
  ModelProvider,
  ToolCall,
} from '../../core/ports/model-provider.js';
import { throwIfAborted } from '../../core/errors.js';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  estimateTokens,
  modelForAgent,
  parseToolArguments,
  providerError,
  requestText,
  resolveApiKey,
  schemaForApi,
  sdkLogger,
  type HostedProviderOptions,
  type ProviderFailure,
  type ProviderIdentity,
} from './provider-support.js';
import { callSignal } from '../call-signal.js';

export type OpenAIProviderOptions = HostedProviderOptions;

const OPENAI: ProviderIdentity = {
  label: 'OpenAI',
  keyVar: 'OPENAI_API_KEY',
  baseUrlVar: 'OPENAI_BASE_URL',
  option: 'createOpenAIProvider',
};
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

function toOpenAIMessages(system: string, messages: ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [{ role: 'system', content: system }];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.content });
    else if (message.role === 'tool') {
      // Chat Completions has no error flag on tool results: say it in the text.
      out.push({
        role: 'tool',
        tool_call_id: message.toolCallId,
        content: message.isError ? `Error: ${message.content}` : message.content,
      });
    } else {
      out.push({
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        ...(message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: {
                  name: call.name,
                  arguments: call.invalidArguments?.raw ?? JSON.stringify(call.arguments),
                },
              })),
            }
          : {}),
      });
    }
  }
  return out;
}

/** Chat Completions `response_format` names: letters, digits, _ and -, at most 64. */
function formatName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'result';
}

export function buildOpenAIRequest(
  request: CompletionRequest,
  model: string,
  maxOutputTokens: number | undefined,
): ChatCompletionCreateParamsNonStreaming {
  const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: schemaForApi(tool.inputSchema) },
  }));
  const maxTokens = request.maxOutputTokens ?? maxOutputTokens;
  return {
    model,
    messages: toOpenAIMessages(request.system, request.messages),
    ...(tools.length > 0 ? { tools } : {}),
    ...(request.output
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: formatName(request.output.name),
              schema: schemaForApi(request.output.jsonSchema),
              // Our zod schemas use optional fields and bounds that strict mode rejects; runAgent validates.
              strict: false,
            },
          },
        }
      : {}),
    ...(maxTokens ? { max_completion_tokens: maxTokens } : {}),
  };
}

export function parseOpenAIResponse(
  completion: ChatCompletion,
  request: CompletionRequest,
  model: string,
): CompletionResponse {
  const choice = completion.choices[0];
  const message = choice?.message;
  const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, ...parseToolArguments(call.function.arguments) }]
      : [],
  );
  const content = message?.content ?? message?.refusal ?? '';
  const usage = completion.usage
    ? { inputTokens: completion.usage.prompt_tokens, outputTokens: completion.usage.completion_tokens }
    : // Some OpenAI-compatible servers omit usage: estimate, so budgets still count the call.
      {
        inputTokens: estimateTokens(requestText(request)),
        outputTokens: estimateTokens(toolCalls.length > 0 ? content + JSON.stringify(toolCalls) : content),
      };
  return {
    content,
    toolCalls,
    stopReason:
      toolCalls.length > 0 ? 'tool_calls' : choice?.finish_reason === 'length' ? 'max_tokens' : 'end',
    usage,
    model: completion.model || model,
  };
}

function classify(error: unknown): ProviderFailure | undefined {
  if (error instanceof OpenAI.APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof OpenAI.APIConnectionError)
    return { kind: 'connection', message: (error.cause as Error | undefined)?.message ?? error.message };
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    return {
      kind: 'status',
      status: error.status,
      message: typeof body?.message === 'string' ? body.message : error.message,
      code: error.code,
      requestId: error.requestID,
    };
  }
  return undefined;
}

/** OpenAI Chat Completions (or any compatible server): function tools, JSON-schema final answers. */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const baseURL = options.baseURL ?? DEFAULT_BASE_URL;
  const client = new OpenAI({
    apiKey: resolveApiKey(options, OPENAI),
    baseURL,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: sdkLogger(options.logger) } : { logLevel: 'off' as const }),
    // Never pick up OPENAI_ORG_ID / OPENAI_PROJECT_ID implicitly: configuration comes through config.
    organization: null,
    project: null,
  });
  return {
    name: 'openai',
    cost: (model, usage) => options.prices.cost(model, usage),
    async complete(request) {
      throwIfAborted(request.signal);
      const model = modelForAgent(options, request.agent);
      let completion: ChatCompletion;
      // The SDK never removes the abort listener it adds per request: give it one of its own.
      const call = callSignal(request.signal);
      try {
        completion = await client.chat.completions.create(
          buildOpenAIRequest(request, model, options.maxOutputTokens),
          call.signal ? { signal: call.signal } : undefined,
        );
      } catch (error) {
        const failure = classify(error);
        if (!failure) throw error;
        throw providerError(failure, error, OPENAI, { model, baseURL, signal: request.signal });
      } finally {
        call.end();
      }
      return parseOpenAIResponse(completion, request, model);
    },
  };
}
