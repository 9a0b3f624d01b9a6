import type { McpServer, ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import { AutonomaError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

export interface ToolDefinition<In extends z.ZodRawShape, Out extends z.ZodRawShape> {
  title: string;
  description: string;
  inputSchema: In;
  outputSchema: Out;
  annotations?: ToolAnnotations;
}

export type ToolRun<In extends z.ZodRawShape, Out extends z.ZodRawShape> = (
  args: z.infer<z.ZodObject<In>>,
) => Promise<z.infer<z.ZodObject<Out>>>;

/** Errors whose message was written for the caller; anything else is ours and stays in the logs. */
const CALLER_FACING = new Set([
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'quota_exceeded',
  'budget_exceeded',
]);

const INTERNAL_MESSAGE =
  'Autonoma could not do that because of a problem on its side. Try again; if it keeps failing, ' +
  'the server logs have the details.';

export function toolSuccess(structured: Record<string, unknown>): CallToolResult {
  // MCP asks tools with structured output to repeat it as JSON text for clients that only read text.
  return { content: [{ type: 'text', text: JSON.stringify(structured) }], structuredContent: structured };
}

export function toolFailure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Registers a tool whose handler returns its structured output and may throw: refusals become
 * `isError` results the calling model can read and act on, never a crash or a protocol error.
 */
export function registerTool<In extends z.ZodRawShape, Out extends z.ZodRawShape>(
  server: McpServer,
  logger: Logger,
  name: string,
  definition: ToolDefinition<In, Out>,
  run: ToolRun<In, Out>,
): void {
  const log = logger.child({ tool: name });
  const handler = async (args: z.infer<z.ZodObject<In>>): Promise<CallToolResult> => {
    try {
      const output = await run(args);
      log.info({ requestId: (output as { requestId?: unknown }).requestId }, 'mcp tool call succeeded');
      return toolSuccess(output);
    } catch (error) {
      if (error instanceof AutonomaError && CALLER_FACING.has(error.code)) {
        log.info({ code: error.code }, 'mcp tool call refused');
        return toolFailure(error.message);
      }
      log.error({ err: error }, 'mcp tool call failed');
      return toolFailure(INTERNAL_MESSAGE);
    }
  };
  server.registerTool(name, definition, handler as unknown as ToolCallback<In>);
}
