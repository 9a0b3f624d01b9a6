import Anthropic from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  Message,
  MessageCreateParamsNonStreaming,
  MessageParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';
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
  modelForAgent,
  providerError,
  resolveApiKey,
  schemaForApi,
  sdkLogger,
  type HostedProviderOptions,
  type ProviderFailure,
  type ProviderIdentity,
} from './provider-support.js';

export type AnthropicProviderOptions = HostedProviderOptions;

const ANTHROPIC: ProviderIdentity = {
  label: 'Anthropic',
  keyVar: 'ANTHROPIC_API_KEY',
  baseUrlVar: 'ANTHROPIC_BASE_URL',
  option: 'createAnthropicProvider',
};
const DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** Below the SDK's non-streaming ceiling (~21k tokens), enough for a large file in one answer. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 16_000;

/**
 * The final answer is a tool call: Messages has no JSON-schema response format that every model
 * and compatible server accepts, but every one accepts a tool whose `input_schema` is the output
 * schema. Its input becomes the response `content` (JSON), which runAgent validates with zod.
 */
export const FINAL_ANSWER_TOOL = 'final_answer';

/** Tool inputs must be objects: a non-object output schema is wrapped as `{ result }`. */
function finalAnswerSchema(jsonSchema: Record<string, unknown>) {
  const schema = schemaForApi(jsonSchema);
  return schema.type === 'object'
    ? { schema, wrapped: false }
    : {
        schema: { type: 'object', properties: { result: schema }, required: ['result'] },
        wrapped: true,
      };
}

function toAnthropicMessages(messages: ChatMessage[]): MessageParam[] {
  const out: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  // Messages alternate user/assistant: tool results (and a follow-up note) share one user turn.
  const push = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'user') push('user', [{ type: 'text', text: message.content }]);
    else if (message.role === 'tool')
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError ? { is_error: true } : {}),
        },
      ]);
    else {
      const blocks: ContentBlockParam[] = [];
      if (message.content !== '') blocks.push({ type: 'text', text: message.content });
      for (const call of message.toolCalls)
        blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
      push('assistant', blocks.length > 0 ? blocks : [{ type: 'text', text: '(no answer)' }]);
    }
  }
  return out;
}

/** The model wanted to finish on its last turn (no tool calls) and was asked to correct its answer. */
function isRepairTurn(messages: ChatMessage[]): boolean {
  const previous = messages.at(-2);
  return (
    messages.at(-1)?.role === 'user' && previous?.role === 'assistant' && previous.toolCalls.length === 0
  );
}

export function buildAnthropicRequest(
  request: CompletionRequest,
  model: string,
  maxOutputTokens: number,
): MessageCreateParamsNonStreaming {
  const tools: Tool[] = request.tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: schemaForApi(tool.inputSchema) as Tool['input_schema'],
  }));
  let toolChoice: ToolChoice | undefined;
  let system = request.system;
  if (request.output) {
    tools.push({
      name: FINAL_ANSWER_TOOL,
      description: `Submit the final result (${request.output.name}). Call it once, when the work is done, with the whole result as input.`,
      input_schema: finalAnswerSchema(request.output.jsonSchema).schema as Tool['input_schema'],
    });
    system = `${system}\n\nWhen you are done, call the ${FINAL_ANSWER_TOOL} tool with the result; do not answer in text.`;
    // Forced when there is nothing else to do, or when the model already tried to finish.
    if (tools.length === 1 || isRepairTurn(request.messages))
      toolChoice = { type: 'tool', name: FINAL_ANSWER_TOOL };
  }
  return {
    model,
    max_tokens: request.maxOutputTokens ?? maxOutputTokens,
    system,
    messages: toAnthropicMessages(request.messages),
    ...(tools.length > 0 ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
  };
}

export function parseAnthropicResponse(
  message: Message,
  request: CompletionRequest,
  model: string,
): CompletionResponse {
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  let finalAnswer: string | undefined;
  for (const block of message.content) {
    if (block.type === 'text') text.push(block.text);
    else if (block.type === 'tool_use') {
      const input = block.input;
      const isObject = input !== null && typeof input === 'object' && !Array.isArray(input);
      if (block.name === FINAL_ANSWER_TOOL && request.output) {
        const wrapped = finalAnswerSchema(request.output.jsonSchema).wrapped;
        finalAnswer = JSON.stringify(wrapped && isObject ? (input as { result?: unknown }).result : input);
      } else if (isObject) {
        toolCalls.push({ id: block.id, name: block.name, arguments: input as Record<string, unknown> });
      } else {
        toolCalls.push({
          id: block.id,
          name: block.name,
          arguments: {},
          invalidArguments: { raw: JSON.stringify(input) ?? '', error: 'expected a JSON object' },
        });
      }
    }
  }
  const usage = {
    // Cache reads and writes are input too (billed differently; counted at the input price).
    inputTokens:
      message.usage.input_tokens +
      (message.usage.cache_creation_input_tokens ?? 0) +
      (message.usage.cache_read_input_tokens ?? 0),
    outputTokens: message.usage.output_tokens,
  };
  // Tool calls first: a final answer given alongside them is asked for again once they have run.
  const content = toolCalls.length === 0 && finalAnswer !== undefined ? finalAnswer : text.join('');
  return {
    content,
    toolCalls,
    stopReason:
      toolCalls.length > 0 ? 'tool_calls' : message.stop_reason === 'max_tokens' ? 'max_tokens' : 'end',
    usage,
    model: message.model || model,
  };
}

function classify(error: unknown): ProviderFailure | undefined {
  if (error instanceof Anthropic.APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof Anthropic.APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof Anthropic.APIConnectionError)
    return { kind: 'connection', message: (error.cause as Error | undefined)?.message ?? error.message };
  if (error instanceof Anthropic.APIError && typeof error.status === 'number') {
    const body = error.error as { error?: { type?: unknown; message?: unknown } } | undefined;
    return {
      kind: 'status',
      status: error.status,
      message: typeof body?.error?.message === 'string' ? body.error.message : error.message,
      code: typeof body?.error?.type === 'string' ? body.error.type : null,
      requestId: error.requestID,
    };
  }
  return undefined;
}

/** Anthropic Messages: tools as `input_schema`, tool_use / tool_result blocks, a final_answer tool. */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const baseURL = options.baseURL ?? DEFAULT_BASE_URL;
  const client = new Anthropic({
    apiKey: resolveApiKey(options, ANTHROPIC),
    baseURL,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.logger ? { logger: sdkLogger(options.logger) } : { logLevel: 'off' as const }),
  });
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
  return {
    name: 'anthropic',
    cost: (model, usage) => options.prices.cost(model, usage),
    async complete(request) {
      throwIfAborted(request.signal);
      const model = modelForAgent(options, request.agent);
      let message: Message;
      try {
        message = await client.messages.create(
          buildAnthropicRequest(request, model, maxOutputTokens),
          request.signal ? { signal: request.signal } : undefined,
        );
      } catch (error) {
        const failure = classify(error);
        if (!failure) throw error;
        throw providerError(failure, error, ANTHROPIC, { model, baseURL, signal: request.signal });
      }
      return parseAnthropicResponse(message, request, model);
    },
  };
}
