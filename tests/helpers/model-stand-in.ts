/**
 * A loopback stand-in for the model APIs, speaking the real wire formats so that the official SDKs
 * run unmodified against it (point OPENAI_BASE_URL at `openaiBaseUrl`, ANTHROPIC_BASE_URL at
 * `anthropicBaseUrl`):
 *   POST /v1/chat/completions  OpenAI Chat Completions (function tool_calls, JSON answers)
 *   POST /v1/messages          Anthropic Messages (tool_use blocks, the answer via `final_answer`)
 *   POST /v1/embeddings        OpenAI embeddings (the deterministic local embedder, 256 dimensions)
 * Answers are the offline provider's: each incoming conversation is mapped back into Autonoma's
 * ChatMessage[] (the reverse of openai-provider.ts / anthropic-provider.ts), the offline model decides,
 * and its decision goes back in the wire format with a realistic `usage`. Every request is recorded;
 * a wrong or missing API key gets the API's own 401.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { AGENT_ROLES } from '../../src/agents/pipeline/agent-outputs.js';
import { systemPromptFor } from '../../src/agents/pipeline/agent-instructions.js';
import { FINAL_ANSWER_TOOL } from '../../src/agents/providers/anthropic-provider.js';
import { createOfflineProvider } from '../../src/agents/providers/offline-provider.js';
import { estimateTokens, parseToolArguments } from '../../src/agents/providers/provider-support.js';
import { embedLocally } from '../../src/agents/templates/local-embedder.js';
import type {
  ChatMessage,
  CompletionRequest,
  CompletionResponse,
  ModelProvider,
  ToolCall,
  ToolDefinition,
} from '../../src/core/ports/model-provider.js';

export type WireApi = 'openai' | 'anthropic' | 'embeddings';

export interface RecordedModelRequest {
  api: WireApi;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** The agent role the request came from (chat APIs only). */
  agent?: string;
  status: number;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface ModelStandIn {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** What OPENAI_BASE_URL points at: `<url>/v1`. */
  openaiBaseUrl: string;
  /** What ANTHROPIC_BASE_URL points at: `<url>` (the SDK adds `/v1/messages`). */
  anthropicBaseUrl: string;
  requests: RecordedModelRequest[];
  close(): Promise<void>;
}

export interface ModelStandInOptions {
  /** The key the stand-in accepts (Bearer for OpenAI, x-api-key for Anthropic). */
  apiKey: string;
  /** Who decides the answers; the offline provider by default. */
  provider?: ModelProvider;
}

type Json = Record<string, unknown>;

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const wireId = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url')}`;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Anthropic and OpenAI both accept text either as a string or as an array of text parts. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .filter((part): part is { type: 'text'; text: string } => isObject(part) && part.type === 'text')
      .map((part) => part.text)
      .join('');
  return '';
}

/** The agent role: from the structured-output name (`<role>_result`), else from the system prompt. */
function agentOf(outputName: string | undefined, system: string): string {
  const fromOutput = outputName?.match(/^(\w+?)_result$/)?.[1];
  if (fromOutput && (AGENT_ROLES as readonly string[]).includes(fromOutput)) return fromOutput;
  const fromSystem = AGENT_ROLES.find((role) => system.startsWith(systemPromptFor(role)));
  if (!fromSystem)
    throw new WireError(400, 'invalid_request_error', 'stand-in: cannot tell which agent asked');
  return fromSystem;
}

function outputFor(name: string, jsonSchema: unknown): CompletionRequest['output'] {
  return { name, schema: z.unknown(), jsonSchema: isObject(jsonSchema) ? jsonSchema : {} };
}

/** OpenAI Chat Completions body → CompletionRequest (the reverse of buildOpenAIRequest). */
export function openAIWireToRequest(body: Json): CompletionRequest {
  const wire = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  let system = '';
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const message of wire) {
    if (message.role === 'system' || message.role === 'developer') system += textOf(message.content);
    else if (message.role === 'user') messages.push({ role: 'user', content: textOf(message.content) });
    else if (message.role === 'assistant') {
      const toolCalls: ToolCall[] = (
        Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : []
      ).map((call) => {
        const fn = (call.function ?? {}) as { name?: string; arguments?: string };
        toolNames.set(String(call.id), String(fn.name));
        return { id: String(call.id), name: String(fn.name), ...parseToolArguments(fn.arguments ?? '') };
      });
      messages.push({ role: 'assistant', content: textOf(message.content), toolCalls });
    } else if (message.role === 'tool') {
      // Chat Completions has no error flag: openai-provider.ts writes "Error: …" into the text.
      const content = textOf(message.content);
      const isError = content.startsWith('Error: ');
      const toolCallId = String(message.tool_call_id);
      messages.push({
        role: 'tool',
        toolCallId,
        name: toolNames.get(toolCallId) ?? '',
        content: isError ? content.slice('Error: '.length) : content,
        isError,
      });
    }
  }
  const tools: ToolDefinition[] = (Array.isArray(body.tools) ? (body.tools as Json[]) : []).map((tool) => {
    const fn = (tool.function ?? {}) as { name?: string; description?: string; parameters?: Json };
    return { name: String(fn.name), description: fn.description ?? '', inputSchema: fn.parameters ?? {} };
  });
  const format = isObject(body.response_format) ? body.response_format : undefined;
  const schema =
    format?.type === 'json_schema' && isObject(format.json_schema) ? format.json_schema : undefined;
  const outputName = typeof schema?.name === 'string' ? schema.name : undefined;
  const output = outputName ? outputFor(outputName, schema?.schema) : undefined;
  return {
    agent: agentOf(outputName, system),
    system,
    messages,
    tools,
    ...(output ? { output } : {}),
  };
}

/** Anthropic Messages body → CompletionRequest (the reverse of buildAnthropicRequest). */
export function anthropicWireToRequest(body: Json): CompletionRequest {
  const system = textOf(body.system);
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const turn of Array.isArray(body.messages) ? (body.messages as Json[]) : []) {
    const blocks: Json[] =
      typeof turn.content === 'string'
        ? [{ type: 'text', text: turn.content }]
        : Array.isArray(turn.content)
          ? (turn.content as Json[])
          : [];
    if (turn.role === 'assistant') {
      const toolCalls: ToolCall[] = blocks
        .filter((b) => b.type === 'tool_use')
        .map((b) => {
          toolNames.set(String(b.id), String(b.name));
          return { id: String(b.id), name: String(b.name), arguments: isObject(b.input) ? b.input : {} };
        });
      const text = blocks
        .filter((b) => b.type === 'text')
        .map((b) => String(b.text))
        .join('');
      messages.push({ role: 'assistant', content: text === '(no answer)' ? '' : text, toolCalls });
      continue;
    }
    for (const block of blocks) {
      if (block.type === 'tool_result') {
        const toolCallId = String(block.tool_use_id);
        messages.push({
          role: 'tool',
          toolCallId,
          name: toolNames.get(toolCallId) ?? '',
          content: textOf(block.content),
          isError: block.is_error === true,
        });
      } else if (block.type === 'text') messages.push({ role: 'user', content: String(block.text) });
    }
  }
  const wireTools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const finalAnswer = wireTools.find((t) => t.name === FINAL_ANSWER_TOOL);
  // buildAnthropicRequest describes the final_answer tool as "Submit the final result (<name>). …".
  const outputName = String(finalAnswer?.description ?? '').match(/\(([\w-]+)\)/)?.[1];
  const output = finalAnswer && outputName ? outputFor(outputName, finalAnswer.input_schema) : undefined;
  const tools: ToolDefinition[] = wireTools
    .filter((t) => t.name !== FINAL_ANSWER_TOOL)
    .map((t) => ({
      name: String(t.name),
      description: String(t.description ?? ''),
      inputSchema: isObject(t.input_schema) ? t.input_schema : {},
    }));
  return {
    agent: agentOf(outputName, system),
    system,
    messages,
    tools,
    ...(output ? { output } : {}),
  };
}

/** Usage as the APIs count it, approximately: the whole request body in, the answer out. */
function usageFor(rawBody: string, answer: unknown) {
  return {
    inputTokens: estimateTokens(rawBody),
    outputTokens: Math.max(1, estimateTokens(JSON.stringify(answer))),
  };
}

function openAIResponse(body: Json, rawBody: string, response: CompletionResponse) {
  const toolCalls = response.toolCalls.map((call) => ({
    id: wireId('call_'),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  const message = {
    role: 'assistant',
    content: toolCalls.length > 0 ? response.content || null : response.content,
    refusal: null,
    annotations: [],
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
  const usage = usageFor(rawBody, toolCalls.length > 0 ? toolCalls : response.content);
  const model = String(body.model);
  return {
    usage,
    json: {
      id: wireId('chatcmpl-'),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      // The API answers with the dated snapshot of the model asked for.
      model: /-\d{4}-\d{2}-\d{2}$/.test(model) ? model : `${model}-2025-04-14`,
      choices: [
        {
          index: 0,
          message,
          logprobs: null,
          finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        },
      ],
      usage: {
        prompt_tokens: usage.inputTokens,
        completion_tokens: usage.outputTokens,
        total_tokens: usage.inputTokens + usage.outputTokens,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: 0,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_standin01',
    },
  };
}

function anthropicResponse(
  body: Json,
  rawBody: string,
  request: CompletionRequest,
  response: CompletionResponse,
) {
  const content: Json[] = [];
  let stopReason = 'end_turn';
  if (response.toolCalls.length > 0) {
    if (response.content !== '') content.push({ type: 'text', text: response.content });
    for (const call of response.toolCalls)
      content.push({ type: 'tool_use', id: wireId('toolu_'), name: call.name, input: call.arguments });
    stopReason = 'tool_use';
  } else if (request.output) {
    // anthropic-provider.ts takes the final answer from a `final_answer` tool call; tool inputs are
    // objects, so a non-object answer travels wrapped as `{ result }`.
    const value: unknown = JSON.parse(response.content);
    content.push({
      type: 'tool_use',
      id: wireId('toolu_'),
      name: FINAL_ANSWER_TOOL,
      input: isObject(value) ? value : { result: value },
    });
    stopReason = 'tool_use';
  } else {
    content.push({ type: 'text', text: response.content });
  }
  const usage = usageFor(rawBody, content);
  return {
    usage,
    json: {
      id: wireId('msg_'),
      type: 'message',
      role: 'assistant',
      model: String(body.model),
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: usage.inputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: usage.outputTokens,
        service_tier: 'standard',
      },
    },
  };
}

function embeddingsResponse(body: Json) {
  const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input)];
  if (body.dimensions !== undefined && body.dimensions !== 256)
    throw new WireError(400, 'invalid_request_error', 'stand-in: only 256 dimensions are supported');
  const tokens = inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    object: 'list',
    data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: embedLocally(text) })),
    model: String(body.model),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function errorBody(api: WireApi, error: WireError) {
  return api === 'anthropic'
    ? { type: 'error', error: { type: error.type, message: error.message } }
    : { error: { message: error.message, type: error.type, param: null, code: error.type } };
}

export async function startModelStandIn(options: ModelStandInOptions): Promise<ModelStandIn> {
  const provider = options.provider ?? createOfflineProvider();
  const requests: RecordedModelRequest[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const api: WireApi | undefined =
        path === '/v1/chat/completions'
          ? 'openai'
          : path === '/v1/messages'
            ? 'anthropic'
            : path === '/v1/embeddings'
              ? 'embeddings'
              : undefined;
      const record: RecordedModelRequest = {
        api: api ?? 'openai',
        path,
        headers: req.headers,
        body: {},
        status: 0,
      };
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        res.writeHead(status, {
          'content-type': 'application/json',
          ...(record.api === 'anthropic'
            ? { 'request-id': wireId('req_') }
            : { 'x-request-id': wireId('req_'), 'openai-processing-ms': '1' }),
          ...headers,
        });
        res.end(JSON.stringify(json));
      };
      void (async () => {
        try {
          if (req.method !== 'POST' || api === undefined)
            throw new WireError(404, 'not_found_error', `stand-in: no route for ${req.method} ${path}`);
          requests.push(record);
          record.body = JSON.parse(rawBody) as Json;
          if (api === 'anthropic') {
            // Older SDKs send the key as x-api-key; @anthropic-ai/sdk 1.x sends `Authorization: Bearer`.
            const bearer = req.headers.authorization === `Bearer ${options.apiKey}`;
            if (req.headers['x-api-key'] !== options.apiKey && !bearer)
              throw new WireError(401, 'authentication_error', 'invalid x-api-key');
            if (!req.headers['anthropic-version'])
              throw new WireError(400, 'invalid_request_error', 'anthropic-version header is required');
          } else if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
            throw new WireError(
              401,
              'invalid_api_key',
              'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
            );
          }
          if (api === 'embeddings') return send(200, embeddingsResponse(record.body));
          const request =
            api === 'openai' ? openAIWireToRequest(record.body) : anthropicWireToRequest(record.body);
          record.agent = request.agent;
          const response = await provider.complete(request);
          const wire =
            api === 'openai'
              ? openAIResponse(record.body, rawBody, response)
              : anthropicResponse(record.body, rawBody, request, response);
          record.usage = wire.usage;
          send(200, wire.json);
        } catch (error) {
          const wire =
            error instanceof WireError
              ? error
              : new WireError(400, 'invalid_request_error', `stand-in: ${(error as Error).message}`);
          send(wire.status, errorBody(record.api, wire));
        }
      })();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
