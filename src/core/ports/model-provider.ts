import type { z } from 'zod';

/** A tool the model may call; `inputSchema` is JSON Schema (what MCP's tools/list returns). */
export interface ToolDefinition {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  /**
   * Set when the model's arguments were not a JSON object (`arguments` is then `{}`): the runner
   * answers the call with an error instead of running the tool. `raw` is echoed back verbatim.
   */
  invalidArguments?: { raw: string; error: string };
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string; isError: boolean };

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface CompletionRequest {
  /** The agent role asking (`requirements`, `frontend`, …): providers pick a model per role. */
  agent: string;
  /** Instructions from Autonoma only. User text never goes here; it goes in `messages` as quoted data. */
  system: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** When set, the final answer must be JSON valid against this schema (sent to the model as JSON Schema). */
  output?: { name: string; schema: z.ZodType; jsonSchema: Record<string, unknown> };
  maxOutputTokens?: number;
  signal?: AbortSignal;
  /** The job this call is part of, for per-job and per-day budgets. */
  job?: { requestId: string };
}

export interface CompletionResponse {
  /** Text of the final answer (JSON when `output` was requested), empty when only tools were called. */
  content: string;
  toolCalls: ToolCall[];
  stopReason: 'end' | 'tool_calls' | 'max_tokens';
  usage: TokenUsage;
  model: string;
}

/** Every model provider (offline, openai, anthropic) implements this one interface. */
export interface ModelProvider {
  readonly name: string;
  complete(request: CompletionRequest): Promise<CompletionResponse>;
  /** USD for a usage on a model; 0 for the offline provider. */
  cost(model: string, usage: TokenUsage): number;
}
