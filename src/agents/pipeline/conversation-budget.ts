import type { ToolCall } from '../../core/ports/model-provider.js';

/**
 * Keeps an agent's conversation small. Every turn re-sends the whole history, so what a model wrote
 * into a file (already on disk, readable with read_file) and very long tool results are the bulk of
 * its input tokens. Both are shortened once, when they enter the history, so the history only ever
 * grows by appending (which keeps providers' prompt caches valid).
 */
export const MAX_TOOL_RESULT_CHARS = 12_000;
/** Written contents up to this size stay in the history: eliding them would save nothing. */
const KEEP_WRITTEN_CHARS = 400;

/** The call as the history keeps it: a successful write_file without the content it wrote. */
export function compactToolCall(call: ToolCall, succeeded: boolean): ToolCall {
  const content = call.arguments.content;
  if (call.name !== 'write_file' || !succeeded || typeof content !== 'string') return call;
  if (content.length <= KEEP_WRITTEN_CHARS) return call;
  const lines = content.split('\n').length;
  return {
    ...call,
    arguments: {
      ...call.arguments,
      content: `[${content.length} characters, ${lines} lines written; read_file shows the file as it is now]`,
    },
  };
}

/** A tool result cut to `max` characters, saying what was left out and how to see it. */
export function boundToolResult(name: string, content: string, max = MAX_TOOL_RESULT_CHARS): string {
  if (content.length <= max) return content;
  const hint =
    name === 'read_file'
      ? 'call read_file with startLine and endLine for the rest'
      : 'narrow the request (a folder, a pattern) to see the rest';
  return `${content.slice(0, max)}\n[… ${content.length - max} more characters not shown: ${hint}]`;
}
