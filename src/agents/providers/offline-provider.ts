import type {
  ChatMessage,
  CompletionRequest,
  CompletionResponse,
  ModelProvider,
} from '../../core/ports/model-provider.js';
import { throwIfAborted } from '../../core/errors.js';
import { extractTaskInput } from '../pipeline/agent-runner.js';
import { decideOfflineAction } from './offline-policies.js';

export const OFFLINE_MODEL = 'autonoma-offline-1';

/** A rough, deterministic token estimate (≈4 characters a token) so runs still show their size. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function messageText(message: ChatMessage): string {
  if (message.role === 'assistant') return message.content + JSON.stringify(message.toolCalls);
  return message.content;
}

/** The tool results that answered the most recent assistant turn, if that turn called tools. */
function lastToolResults(messages: ChatMessage[]): Array<{ path: string; ok: boolean }> | undefined {
  const lastAssistant = messages.map((m) => m.role).lastIndexOf('assistant');
  if (lastAssistant < 0) return undefined;
  const assistant = messages[lastAssistant];
  if (assistant?.role !== 'assistant' || assistant.toolCalls.length === 0) return undefined;
  const results = new Map(
    messages
      .slice(lastAssistant + 1)
      .flatMap((m) => (m.role === 'tool' ? [[m.toolCallId, !m.isError] as const] : [])),
  );
  return assistant.toolCalls
    .filter((call) => call.name === 'write_file')
    .map((call) => ({ path: String(call.arguments.path), ok: results.get(call.id) ?? false }));
}

/**
 * The embedded default model: no network, no key, deterministic. It reads the task data the pipeline
 * sends every model and drives the same tools an LLM would, so the whole pipeline runs for real.
 */
export function createOfflineProvider(): ModelProvider {
  return {
    name: 'offline',
    cost: () => 0,
    async complete(request: CompletionRequest): Promise<CompletionResponse> {
      throwIfAborted(request.signal);
      const first = request.messages[0];
      const input = first?.role === 'user' ? extractTaskInput(first.content) : undefined;
      const action = decideOfflineAction(
        request.agent,
        (input ?? {}) as Record<string, unknown>,
        lastToolResults(request.messages),
      );
      const inputTokens = estimateTokens(request.system + request.messages.map(messageText).join(''));
      if (action.kind === 'tools') {
        const toolCalls = action.calls.map((call, index) => ({
          id: `${request.agent}-${request.messages.length}-${index}`,
          ...call,
        }));
        return {
          content: '',
          toolCalls,
          stopReason: 'tool_calls',
          usage: { inputTokens, outputTokens: estimateTokens(JSON.stringify(toolCalls)) },
          model: OFFLINE_MODEL,
        };
      }
      const content = JSON.stringify(action.value);
      return {
        content,
        toolCalls: [],
        stopReason: 'end',
        usage: { inputTokens, outputTokens: estimateTokens(content) },
        model: OFFLINE_MODEL,
      };
    },
  };
}
